//! End-to-end tests of the `claude-preflight` binary: exit codes, standard input, rule
//! selection, `--fix`, the directory walk, discovery, configuration files, `rule`/`rules` and
//! the JSON contract. Each test builds a project in a temporary directory and runs the built
//! binary there with the date fixed (`--today 2026-11-25`); every assertion is exact.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use pretty_assertions::assert_eq;
use serde_json::json;

/// What one run of the binary gave.
#[derive(Debug, PartialEq, Eq)]
struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A project directory to run the binary in.
struct Project {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Project {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        // The binary reports paths from the current directory, which has symlinks resolved.
        let root = dir.path().canonicalize().unwrap();
        Self { _dir: dir, root }
    }

    fn file(&self, rel: &str, text: &str) -> &Self {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap()
    }

    /// Runs the binary with `args` in the project, feeding it `stdin`.
    fn run_with(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_claude-preflight"))
            .current_dir(&self.root)
            .args(args)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        let out = child.wait_with_output().unwrap();
        Output {
            code: out.status.code().unwrap(),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, None)
    }

    /// `check --today 2026-11-25 --format concise ARGS`.
    fn check(&self, args: &[&str]) -> Output {
        let mut all = vec!["check", "--today", "2026-11-25", "--format", "concise"];
        all.extend_from_slice(args);
        self.run(&all)
    }
}

fn output(code: i32, stdout: &str, stderr: &str) -> Output {
    Output {
        code,
        stdout: stdout.into(),
        stderr: stderr.into(),
    }
}

/// A request with nothing wrong in it.
const CLEAN: &str = r#"{"model": "claude-opus-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello"}]}
"#;

/// A request with one finding each of `duplicate-key` (S004), `openai-parameter` (O101) and
/// `unknown-parameter` (R004).
const MIXED: &str = r#"{
  "model": "claude-opus-5",
  "max_tokens": 256,
  "max_tokens": 512,
  "n": 2,
  "colour": "blue",
  "messages": [{"role": "user", "content": "Hi"}]
}
"#;

const MIXED_S004: &str = "mixed.json:3:3: warning[S004] `max_tokens` is set again later in this object: the API keeps only the last value, so this one is ignored (duplicate-key)\n";
const MIXED_O101: &str = "mixed.json:5:3: error[O101] `n` is an OpenAI parameter with no Claude equivalent: the API answers 400 `n: Extra inputs are not permitted` (openai-parameter)\n";
const MIXED_R004: &str = "mixed.json:6:3: error[R004] `colour` is not a Messages API parameter: the API answers 400 `colour: Extra inputs are not permitted` (unknown-parameter)\n";

/// The concise format's closing line, in words of the right number.
fn summary(errors: usize, warnings: usize, payloads: usize, files: usize) -> String {
    let n = |count: usize, noun: &str| {
        if count == 1 {
            format!("1 {noun}")
        } else {
            format!("{count} {noun}s")
        }
    };
    format!(
        "{}, {}, 0 infos in {} across {}\n",
        n(errors, "error"),
        n(warnings, "warning"),
        n(payloads, "payload"),
        n(files, "file")
    )
}

#[test]
fn clean_files_exit_0() {
    let project = Project::new();
    project
        .file("requests/chat.json", CLEAN)
        .file("README.md", "# no request in here\n");
    // README.md is read (Markdown fences may hold requests) and holds none.
    assert_eq!(project.check(&[]), output(0, &summary(0, 0, 1, 2), ""));
    assert_eq!(
        project.check(&["requests/chat.json"]),
        output(0, &summary(0, 0, 1, 1), "")
    );
}

#[test]
fn errors_exit_1_and_warnings_alone_exit_0() {
    let project = Project::new();
    project.file("mixed.json", MIXED);
    let all = format!(
        "{MIXED_S004}{MIXED_O101}{MIXED_R004}{}",
        summary(2, 1, 1, 1)
    );
    assert_eq!(project.check(&[]), output(1, &all, ""));
    assert_eq!(project.check(&["--exit-zero"]), output(0, &all, ""));
    let warnings = format!("{MIXED_S004}{}", summary(0, 1, 1, 1));
    assert_eq!(
        project.check(&["--select", "duplicate-key"]),
        output(0, &warnings, "")
    );
}

#[test]
fn usage_io_and_configuration_failures_exit_2() {
    let project = Project::new();
    project.file("chat.json", CLEAN);
    assert_eq!(
        project.check(&["chat.json", "missing.json"]),
        output(
            2,
            &summary(0, 0, 1, 1),
            "error: missing.json: no such file or directory\n"
        )
    );
    assert_eq!(
        project.check(&["--select", "openai,opneai-parameter"]),
        output(
            2,
            "",
            "error: `opneai-parameter` names no rule, code or family; `claude-preflight rules` lists them\n"
        )
    );
    assert_eq!(
        project.check(&["--api-version", "2024-01-01"]),
        output(
            2,
            "",
            "error: invalid value '2024-01-01' for '--api-version <API_VERSION>': the API knows `2023-06-01` and `2026-10-21`\n\nFor more information, try '--help'.\n"
        )
    );
    project.file(
        "claude-preflight.toml",
        "model = \"claude-opus-5\"\nmodle = \"claude-opus-5\"\n",
    );
    assert_eq!(
        project.check(&[]),
        output(
            2,
            "",
            &format!(
                "error: {}/claude-preflight.toml:2:1: unknown field `modle`, expected one of `model`, `api-version`, `context-warning-ratio`, `include`, `exclude`, `select`, `ignore`, `rules`, `overrides`, `models`, `betas`\n",
                project.root.display()
            )
        )
    );
    project.file(
        "claude-preflight.toml",
        "[rules]\nduplicate-keys = \"off\"\n",
    );
    assert_eq!(
        project.check(&["chat.json"]),
        output(
            2,
            "",
            &format!(
                "error: {}/claude-preflight.toml:2:1: unknown rule `duplicate-keys` in `rules` (did you mean `duplicate-key`?); `claude-preflight rules` lists them\n",
                project.root.display()
            )
        )
    );
    assert_eq!(
        project.check(&["--config", "nowhere.toml"]).stderr,
        format!(
            "error: {}/nowhere.toml: cannot read it: No such file or directory (os error 2)\n",
            project.root.display()
        )
    );
}

#[test]
fn stdin_is_reported_under_its_given_name_and_configuration() {
    let project = Project::new();
    let input = "{\n  \"model\": \"claude-opus-5\",\n  \"max_tokens\": 64,\n  \"n\": 2,\n  \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]\n}\n";
    let finding = |severity: &str| {
        format!(
            "requests/chat.json:4:3: {severity}[O101] `n` is an OpenAI parameter with no Claude equivalent: the API answers 400 `n: Extra inputs are not permitted` (openai-parameter)\n"
        )
    };
    let args = [
        "check",
        "-",
        "--stdin-filename",
        "requests/chat.json",
        "--today",
        "2026-11-25",
        "--format",
        "concise",
    ];
    assert_eq!(
        project.run_with(&args, Some(input)),
        output(
            1,
            &format!("{}{}", finding("error"), summary(1, 0, 1, 1)),
            ""
        )
    );
    project.file(
        "requests/claude-preflight.toml",
        "[rules]\nopenai-parameter = \"warning\"\n",
    );
    assert_eq!(
        project.run_with(&args, Some(input)),
        output(
            0,
            &format!("{}{}", finding("warning"), summary(0, 1, 1, 1)),
            ""
        )
    );
}

#[test]
fn select_and_ignore_by_name_code_prefix_and_family() {
    let project = Project::new();
    project.file("mixed.json", MIXED);
    let cases: [(&[&str], i32, String); 6] = [
        (
            &["--select", "duplicate-key"],
            0,
            format!("{MIXED_S004}{}", summary(0, 1, 1, 1)),
        ),
        (
            &["--select", "O101"],
            1,
            format!("{MIXED_O101}{}", summary(1, 0, 1, 1)),
        ),
        (
            &["--select", "R0"],
            1,
            format!("{MIXED_R004}{}", summary(1, 0, 1, 1)),
        ),
        (
            &["--select", "openai"],
            1,
            format!("{MIXED_O101}{}", summary(1, 0, 1, 1)),
        ),
        (
            &["--ignore", "request,S004"],
            1,
            format!("{MIXED_O101}{}", summary(1, 0, 1, 1)),
        ),
        (
            &["--select", "ALL", "--ignore", "O1"],
            1,
            format!("{MIXED_S004}{MIXED_R004}{}", summary(1, 1, 1, 1)),
        ),
    ];
    for (args, code, stdout) in cases {
        assert_eq!(project.check(args), output(code, &stdout, ""), "{args:?}");
    }
}

/// A JSONC request with safe fixes (`stop`, the ignored `max_tokens`), an unsafe one (`n`), a
/// comment and hand-made spacing that fixes must keep.
const FIXABLE: &str = r#"{
    // Nightly summary job.
    "model":   "claude-opus-5",
    "max_tokens": 512,
    "max_tokens": 1024,
    "stop": "END",
    "messages": [
        {"role": "user",   "content": "Summarise the log."}
    ],
    "n": 2
}
"#;

const FIXED_SAFE: &str = r#"{
    // Nightly summary job.
    "model":   "claude-opus-5",
    "max_tokens": 1024,
    "stop_sequences": ["END"],
    "messages": [
        {"role": "user",   "content": "Summarise the log."}
    ],
    "n": 2
}
"#;

const FIXED_ALL: &str = r#"{
    // Nightly summary job.
    "model":   "claude-opus-5",
    "max_tokens": 1024,
    "stop_sequences": ["END"],
    "messages": [
        {"role": "user",   "content": "Summarise the log."}
    ]
}
"#;

const FIXABLE_N: &str = "job.jsonc:9:5: error[O101] `n` is an OpenAI parameter with no Claude equivalent: the API answers 400 `n: Extra inputs are not permitted` (openai-parameter)\n";

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn fix_applies_safe_fixes_in_place_once_and_for_all() {
    use std::os::unix::fs::PermissionsExt;
    let project = Project::new();
    project.file("job.jsonc", FIXABLE);
    let path = project.root.join("job.jsonc");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    assert_eq!(
        project.check(&["--fix"]),
        output(
            1,
            "job.jsonc:9:5: error[O101] `n` is an OpenAI parameter with no Claude equivalent: the API answers 400 `n: Extra inputs are not permitted` (openai-parameter)\n1 error, 0 warnings, 0 infos in 1 payload across 1 file (2 fixed)\n",
            ""
        )
    );
    assert_eq!(project.read("job.jsonc"), FIXED_SAFE);
    // Written through a temporary file renamed over the original: nothing is left beside it,
    // and the file keeps its permissions.
    assert_eq!(entries(&project.root), ["job.jsonc"]);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
    // A second run changes nothing and reports none of the fixed findings.
    assert_eq!(
        project.check(&["--fix"]),
        output(1, &format!("{FIXABLE_N}{}", summary(1, 0, 1, 1)), "")
    );
    assert_eq!(project.read("job.jsonc"), FIXED_SAFE);
}

#[test]
fn unsafe_fixes_need_their_own_flag() {
    let project = Project::new();
    project.file("job.jsonc", FIXABLE);
    assert_eq!(
        project.check(&["--fix", "--unsafe-fixes"]),
        output(
            0,
            "0 errors, 0 warnings, 0 infos in 1 payload across 1 file (3 fixed)\n",
            ""
        )
    );
    assert_eq!(project.read("job.jsonc"), FIXED_ALL);
    assert_eq!(
        project.check(&["--fix", "--unsafe-fixes"]),
        output(0, &summary(0, 0, 1, 1), "")
    );
    assert_eq!(project.read("job.jsonc"), FIXED_ALL);
    let without_fix = project.run(&["check", "--unsafe-fixes"]);
    assert_eq!(without_fix.code, 2);
    assert_eq!(
        without_fix.stderr,
        "error: the following required arguments were not provided:\n  <--fix|--diff>\n\nUsage: claude-preflight check --unsafe-fixes <--fix|--diff> [PATHS]...\n\nFor more information, try '--help'.\n"
    );
}

#[test]
fn fix_on_stdin_prints_the_fixed_text_and_reports_on_stderr() {
    let project = Project::new();
    let args = [
        "check",
        "-",
        "--stdin-filename",
        "job.jsonc",
        "--fix",
        "--today",
        "2026-11-25",
        "--format",
        "concise",
    ];
    assert_eq!(
        project.run_with(&args, Some(FIXABLE)),
        output(
            1,
            FIXED_SAFE,
            &format!(
                "{FIXABLE_N}1 error, 0 warnings, 0 infos in 1 payload across 1 file (2 fixed)\n"
            )
        )
    );
    // Text that is not a request comes back unchanged.
    assert_eq!(
        project.run_with(&args, Some("{\"name\": \"app\"}\n")),
        output(0, "{\"name\": \"app\"}\n", &summary(0, 0, 0, 1))
    );
    // With `--output-file` the fixed text still comes out; the report goes to the file.
    let mut to_file = args.to_vec();
    to_file.extend(["--output-file", "report.txt"]);
    assert_eq!(
        project.run_with(&to_file, Some(FIXABLE)),
        output(1, FIXED_SAFE, "")
    );
    assert_eq!(
        project.read("report.txt"),
        format!("{FIXABLE_N}1 error, 0 warnings, 0 infos in 1 payload across 1 file (2 fixed)\n")
    );
}

#[test]
fn gitignored_files_are_skipped_by_the_walk_but_checked_when_named() {
    let project = Project::new();
    project
        .file(".gitignore", "generated/\n*.tmp.json\n")
        .file("generated/mixed.json", MIXED)
        .file("scratch.tmp.json", MIXED)
        .file("chat.json", CLEAN);
    assert_eq!(project.check(&[]), output(0, &summary(0, 0, 1, 1), ""));
    assert_eq!(project.check(&["."]), output(0, &summary(0, 0, 1, 1), ""));
    let named = project.check(&["generated/mixed.json", "--select", "O101"]);
    assert_eq!(
        named,
        output(
            1,
            &format!("generated/{MIXED_O101}{}", summary(1, 0, 1, 1)),
            ""
        )
    );
}

#[test]
fn files_that_are_not_claude_requests_get_no_findings_and_say_why() {
    let project = Project::new();
    project
        .file(
            "package.json",
            "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {\"@anthropic-ai/sdk\": \"^0.60.0\"}\n}\n",
        )
        .file(
            "tsconfig.json",
            "{\n  // Compiler options\n  \"compilerOptions\": {\"strict\": true, \"target\": \"es2022\"},\n  \"include\": [\"src\"]\n}\n",
        )
        .file(
            "openai-request.json",
            "{\n  \"model\": \"gpt-4o\",\n  \"max_tokens\": 256,\n  \"stop\": [\"END\"],\n  \"n\": 2,\n  \"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"}]\n}\n",
        )
        .file(
            "deploy/deployment.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n",
        )
        .file(
            "fixtures/response.json",
            r#"{
  "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
  "type": "message",
  "role": "assistant",
  "content": [{"type": "text", "text": "Hello!"}],
  "model": "claude-opus-5",
  "stop_reason": "end_turn",
  "stop_sequence": null,
  "usage": {"input_tokens": 12, "output_tokens": 6}
}
"#,
        )
        .file(
            "training/finetune.jsonl",
            concat!(
                r#"{"messages": [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]}"#,
                "\n",
                r#"{"system": "Be exact.", "messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}]}"#,
                "\n"
            ),
        );
    assert_eq!(project.check(&[]), output(0, &summary(0, 0, 0, 6), ""));
    assert_eq!(
        project.check(&["--explain-discovery"]),
        output(
            0,
            &summary(0, 0, 0, 6),
            concat!(
                "note: deploy/deployment.yaml:1: it has no `messages`\n",
                "note: deploy/deployment.yaml:7: it has no `messages`\n",
                "note: fixtures/response.json:1: it has no `messages`\n",
                "note: openai-request.json:1: `model` is `gpt-4o`, not a Claude model\n",
                "note: package.json:1: it has no `messages`\n",
                "note: training/finetune.jsonl:1: a dataset of 2 conversations, not requests (no record has `model`, `max_tokens` or `anthropic_version`)\n",
                "note: tsconfig.json:1: it has no `messages`\n",
            )
        )
    );
}

#[test]
fn rule_prints_its_documentation() {
    let project = Project::new();
    let page = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules/duplicate-key.md"),
    )
    .unwrap();
    assert_eq!(
        project.run(&["rule", "duplicate-key"]),
        output(0, &page, "")
    );
    assert_eq!(project.run(&["rule", "S004"]), output(0, &page, ""));
    assert_eq!(
        project.run(&["rule", "duplicate-keys"]),
        output(
            2,
            "",
            "error: no rule is named `duplicate-keys` (did you mean `duplicate-key`?); `claude-preflight rules` lists them\n"
        )
    );
}

#[test]
fn rules_lists_every_rule() {
    let project = Project::new();
    let expected: String = claude_preflight::rules::all()
        .map(|rule| {
            format!(
                "{:<6} {:<34} {:<8} {:<14} {}\n",
                rule.code,
                rule.name,
                rule.severity.as_str(),
                rule.fix.as_str(),
                rule.summary()
            )
        })
        .collect();
    assert_eq!(project.run(&["rules"]), output(0, &expected, ""));
}

/// Requests whose unsafe fixes change more than their first edit: adaptive thinking with and
/// without a `budget_tokens` to drop, a forced tool choice with and without a `name` to drop,
/// an OpenAI function tool with and without fields the rewrite leaves behind.
const MULTI_CHANGE: &str = r#"{"model": "claude-opus-4-8", "max_tokens": 16000, "thinking": {"type": "enabled", "budget_tokens": 8000}, "messages": [{"role": "user", "content": "Hi"}]}
{"model": "claude-opus-4-8", "max_tokens": 16000, "thinking": {"type": "enabled"}, "messages": [{"role": "user", "content": "Hi"}]}
{"model": "claude-sonnet-5-5", "max_tokens": 1024, "tools": [{"name": "f", "input_schema": {"type": "object"}}], "tool_choice": {"type": "tool", "name": "f"}, "messages": [{"role": "user", "content": "Hi"}]}
{"model": "claude-sonnet-5-5", "max_tokens": 1024, "tools": [{"name": "f", "input_schema": {"type": "object"}}], "tool_choice": {"type": "any"}, "messages": [{"role": "user", "content": "Hi"}]}
{"model": "claude-opus-5", "max_tokens": 1024, "tools": [{"type": "function", "index": 0, "function": {"name": "f", "parameters": {"type": "object"}, "examples": []}}], "messages": [{"role": "user", "content": "Hi"}]}
{"model": "claude-opus-5", "max_tokens": 1024, "tools": [{"type": "function", "function": {"name": "f"}}], "messages": [{"role": "user", "content": "Hi"}]}
"#;

#[test]
fn unsafe_fix_titles_name_every_change_they_make() {
    let project = Project::new();
    project.file("multi.jsonl", MULTI_CHANGE);
    let out = project.run(&[
        "check",
        "--today",
        "2026-11-25",
        "--format",
        "json",
        "multi.jsonl",
    ]);
    assert_eq!((out.code, out.stderr.as_str()), (1, ""));
    let document: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    // Each fix: the line, its title, and the new text of each edit, in order.
    let fixes: Vec<(u64, &str, Vec<&str>)> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["fix"]["applicability"] == "unsafe")
        .map(|d| {
            let fix = &d["fix"];
            (
                d["range"]["start"]["line"].as_u64().unwrap(),
                fix["title"].as_str().unwrap(),
                fix["edits"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["new_text"].as_str().unwrap())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        fixes,
        [
            (
                1,
                "Switch to adaptive thinking (drop `budget_tokens`)",
                vec!["\"adaptive\"", ""]
            ),
            (2, "Switch to adaptive thinking", vec!["\"adaptive\""]),
            (
                3,
                "Let the model choose (`\"type\": \"auto\"`, drop `name`)",
                vec!["{\"type\": \"auto\"}"]
            ),
            (
                4,
                "Let the model choose (`\"type\": \"auto\"`)",
                vec!["{\"type\": \"auto\"}"]
            ),
            (
                5,
                "Rewrite as a Claude tool (`name`, `description`, `input_schema`), dropping `index` and `function.examples`",
                vec!["{\"name\": \"f\", \"input_schema\": {\"type\": \"object\"}}"]
            ),
            (
                6,
                "Rewrite as a Claude tool (`name`, `description`, `input_schema`)",
                vec![
                    "{\"name\": \"f\", \"input_schema\": {\"type\": \"object\", \"properties\": {}}}"
                ]
            ),
        ]
    );
    // The human report offers each under its title.
    let human = project.run(&["check", "--today", "2026-11-25", "multi.jsonl"]);
    let helps: Vec<&str> = human
        .stdout
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("= help: "))
        .filter(|l| l.ends_with("(unsafe fix)"))
        .collect();
    assert_eq!(
        helps,
        [
            "Switch to adaptive thinking (drop `budget_tokens`) (unsafe fix)",
            "Switch to adaptive thinking (unsafe fix)",
            "Let the model choose (`\"type\": \"auto\"`, drop `name`) (unsafe fix)",
            "Let the model choose (`\"type\": \"auto\"`) (unsafe fix)",
            "Rewrite as a Claude tool (`name`, `description`, `input_schema`), dropping `index` and `function.examples` (unsafe fix)",
            "Rewrite as a Claude tool (`name`, `description`, `input_schema`) (unsafe fix)",
        ]
    );
}

#[test]
fn json_output_follows_the_contract() {
    let project = Project::new();
    project.file(
        "req.json",
        "{\n  \"model\": \"claude-opus-5\",\n  \"max_tokens\": 64,\n  \"stop\": \"END\",\n  \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]\n}\n",
    );
    let out = project.run(&["check", "--today", "2026-11-25", "--format", "json"]);
    assert_eq!((out.code, out.stderr.as_str()), (1, ""));
    assert!(
        out.stdout.ends_with("}\n") && out.stdout.lines().count() == 1,
        "{}",
        out.stdout
    );
    let document: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let at = |line: u32, column: u32| json!({"line": line, "column": column});
    assert_eq!(
        document,
        json!({
            "version": 1,
            "diagnostics": [{
                "path": "req.json",
                "code": "O101",
                "name": "openai-parameter",
                "severity": "error",
                "message": "`stop` is OpenAI's name: the API answers 400 `stop: Extra inputs are not permitted`; Claude calls it `stop_sequences` (an array)",
                "range": {"start": at(4, 3), "end": at(4, 9)},
                "fix": {
                    "title": "Rename `stop` to `stop_sequences`",
                    "applicability": "safe",
                    "edits": [
                        {"range": {"start": at(4, 3), "end": at(4, 9)}, "new_text": "\"stop_sequences\""},
                        {"range": {"start": at(4, 11), "end": at(4, 16)}, "new_text": "[\"END\"]"},
                    ],
                },
            }],
            "summary": {"files": 1, "payloads": 1, "errors": 1, "warnings": 0, "infos": 0, "hints": 0, "fixed": 0},
        })
    );
}

#[test]
fn configuration_excludes_includes_and_overrides_per_path() {
    let project = Project::new();
    project
        .file(
            "claude-preflight.toml",
            r#"
include = ["*.req"]
exclude = ["generated", "/legacy/*.json"]

[rules]
duplicate-key = "error"

[[overrides]]
files = ["count/**"]
kind = "count_tokens"

[[overrides]]
files = ["drafts"]
rules = { openai-parameter = "info" }
"#,
        )
        .file("generated/mixed.json", MIXED)
        .file("legacy/mixed.json", MIXED)
        .file("legacy/keep/mixed.json", MIXED)
        .file("prompt.req", "{\"model\": \"claude-opus-5\", \"max_tokens\": 10, \"n\": 1, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}\n")
        .file("notes.txt", "{\"model\": \"claude-opus-5\", \"n\": 1}\n")
        .file("count/tokens.json", "{\"model\": \"claude-opus-5\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}\n")
        .file("drafts/a/b.json", "{\"model\": \"claude-opus-5\", \"max_tokens\": 10, \"n\": 1, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}\n");
    let n = |path: &str, column: usize, severity: &str| {
        format!(
            "{path}:1:{column}: {severity}[O101] `n` is an OpenAI parameter with no Claude equivalent: the API answers 400 `n: Extra inputs are not permitted` (openai-parameter)\n"
        )
    };
    let expected = [
        n("drafts/a/b.json", 46, "info"),
        "legacy/keep/mixed.json:3:3: error[S004] `max_tokens` is set again later in this object: the API keeps only the last value, so this one is ignored (duplicate-key)\n".into(),
        MIXED_O101.replace("mixed.json", "legacy/keep/mixed.json"),
        MIXED_R004.replace("mixed.json", "legacy/keep/mixed.json"),
        n("prompt.req", 46, "error"),
        "4 errors, 0 warnings, 1 info in 4 payloads across 4 files\n".into(),
    ]
    .concat();
    assert_eq!(project.check(&[]), output(1, &expected, ""));
    // Files named on the command line are checked even when excluded.
    assert_eq!(
        project.check(&["legacy/mixed.json", "--select", "S004"]),
        output(
            1,
            &format!(
                "legacy/mixed.json:3:3: error[S004] `max_tokens` is set again later in this object: the API keeps only the last value, so this one is ignored (duplicate-key)\n{}",
                summary(1, 0, 1, 1)
            ),
            ""
        )
    );
}

/// A Bedrock body (no `model`: it is in the URL) with a `system` entry in `messages`, which
/// only some models accept.
const BEDROCK: &str = r#"{"anthropic_version": "bedrock-2023-05-31", "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}, {"role": "system", "content": "Answer in French."}, {"role": "assistant", "content": "Bonjour."}, {"role": "user", "content": "Merci"}]}
"#;

#[test]
fn model_from_flag_configuration_and_extra_models() {
    let project = Project::new();
    project.file("ci/preflight.toml", "[[models]]\nid = \"gateway-claude\"\nlike = \"claude-sonnet-4-5\"\n")
        .file("bedrock.json", BEDROCK)
        .file("proxy.json", "{\"model\": \"gateway-claude\", \"max_tokens\": 64, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"system\", \"content\": \"Answer in French.\"}, {\"role\": \"assistant\", \"content\": \"Bonjour.\"}, {\"role\": \"user\", \"content\": \"Merci\"}]}\n");
    let m103 = |path: &str, column: usize| {
        format!(
            "{path}:1:{column}: error[M103] gateway-claude does not accept `system` entries in `messages`: the API answers 400 ``messages: Unexpected role \"system\"``; put the text in the top-level `system` parameter (system-message)\n"
        )
    };
    // Without configuration the proxy model is not a Claude model, and the Bedrock body's
    // model is unknown, so nothing model-dependent is reported.
    assert_eq!(project.check(&[]), output(0, &summary(0, 0, 1, 2), ""));
    assert_eq!(
        project.check(&["--config", "ci/preflight.toml"]),
        output(
            1,
            &format!("{}{}", m103("proxy.json", 104), summary(1, 0, 2, 2)),
            ""
        )
    );
    assert_eq!(
        project.check(&[
            "--config",
            "ci/preflight.toml",
            "--model",
            "gateway-claude",
            "bedrock.json"
        ]),
        output(
            1,
            &format!("{}{}", m103("bedrock.json", 120), summary(1, 0, 1, 1)),
            ""
        )
    );
    project.file("claude-preflight.toml", "model = \"claude-sonnet-4-5\"\n");
    let sonnet = "bedrock.json:1:120: error[M103] claude-sonnet-4-5-20250929 does not accept `system` entries in `messages`: the API answers 400 ``messages: Unexpected role \"system\"``; put the text in the top-level `system` parameter (system-message)\n";
    assert_eq!(
        project.check(&["bedrock.json"]),
        output(1, &format!("{sonnet}{}", summary(1, 0, 1, 1)), "")
    );
    assert_eq!(
        project.check(&["bedrock.json", "--model", "claude-opus-5"]),
        output(0, &summary(0, 0, 1, 1), "")
    );
}

#[test]
fn api_version_from_flag_configuration_and_pinned_sdk() {
    let project = Project::new();
    project.file(
        "app/request.json",
        "{\"model\": \"claude-haiku-4-5\", \"max_tokens\": 64, \"temperature\": 0.5, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}\n",
    );
    let check = || project.check(&["app/request.json"]);
    let warning = "app/request.json:1:49: warning[A104] `temperature` is rejected under anthropic-version 2026-10-21 (the current SDKs' default); accepted under 2023-06-01. The version in force is not known here: pass `--api-version`, set `api-version` in claude-preflight.toml, or pin the `anthropic` / `@anthropic-ai/sdk` version in the workspace (sampling-parameter-removed)\n";
    let error = "app/request.json:1:49: error[A104] `temperature` does not exist under anthropic-version 2026-10-21: the API answers 400 even at its default value (reported as `temperature: Extra inputs are not permitted`) (sampling-parameter-removed)\n";
    assert_eq!(
        check(),
        output(0, &format!("{warning}{}", summary(0, 1, 1, 1)), "")
    );
    // The Python SDK 2.x sends 2026-10-21.
    project.file("requirements.txt", "anthropic>=2.0,<3\n");
    assert_eq!(
        check(),
        output(1, &format!("{error}{}", summary(1, 0, 1, 1)), "")
    );
    // The nearest pin wins: a TypeScript SDK 0.x beside the request sends 2023-06-01.
    project.file(
        "app/package-lock.json",
        r#"{"lockfileVersion": 3, "packages": {"node_modules/@anthropic-ai/sdk": {"version": "0.137.0"}}}"#,
    );
    assert_eq!(check(), output(0, &summary(0, 0, 1, 1), ""));
    // The configuration wins over the pin, and the command line over both.
    project.file("claude-preflight.toml", "api-version = \"2026-10-21\"\n");
    assert_eq!(
        check(),
        output(1, &format!("{error}{}", summary(1, 0, 1, 1)), "")
    );
    assert_eq!(
        project.check(&["app/request.json", "--api-version", "2023-06-01"]),
        output(0, &summary(0, 0, 1, 1), "")
    );
}

#[test]
fn a_missing_path_prints_one_error_and_no_summary() {
    let project = Project::new();
    assert_eq!(
        project.run(&["check", "missing.json"]),
        output(2, "", "error: missing.json: no such file or directory\n")
    );
}

#[test]
fn an_unknown_model_flag_is_refused_with_the_model_in_service() {
    let project = Project::new();
    project.file("chat.json", CLEAN);
    let refused = |id: &str, hint: &str| {
        output(
            2,
            "",
            &format!(
                "error: `--model {id}` names no Claude model known here{hint} (`[[models]]` in the configuration adds one)\n"
            ),
        )
    };
    assert_eq!(project.check(&["--model", "gpt-4o"]), refused("gpt-4o", ""));
    // Sonnet 4.5 was retired on 2026-11-30: its successor is suggested, not it.
    assert_eq!(
        project.run(&[
            "check",
            "--today",
            "2026-12-03",
            "--model",
            "claude-sonnet-4.5"
        ]),
        refused(
            "claude-sonnet-4.5",
            "; did you mean `claude-sonnet-5-5` (Claude Sonnet 5.5)?"
        )
    );
    assert_eq!(
        project.run(&["count", "--model", "gpt-4o", "chat.json"]),
        refused("gpt-4o", "")
    );
    assert_eq!(
        project.check(&["--model", "claude-opus-5"]),
        output(0, &summary(0, 0, 1, 1), "")
    );
}

#[test]
fn unknown_model_suggests_the_successor_in_service() {
    let project = Project::new();
    project.file(
        "chat.json",
        "{\"model\": \"claude-sonnet-4.5\", \"max_tokens\": 64, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}\n",
    );
    let finding = |today: &str| {
        let out = project.run(&["check", "--today", today, "--format", "json", "chat.json"]);
        let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        json["diagnostics"][0].clone()
    };
    let message = |what: &str| {
        format!(
            "`claude-sonnet-4.5` names no Claude model: the API answers 404 `not_found_error` with `model: claude-sonnet-4.5`; did you mean `claude-sonnet-5-5` (Claude Sonnet 5.5)? `claude-sonnet-4-5` (Claude Sonnet 4.5) {what}"
        )
    };
    let retired = finding("2026-12-03");
    assert_eq!(retired["message"], message("was retired on 2026-11-30"));
    assert_eq!(retired["fix"]["title"], "Replace with `claude-sonnet-5-5`");
    assert_eq!(retired["fix"]["applicability"], "unsafe");
    // Deprecated but still served: its successor is suggested all the same.
    let deprecated = finding("2026-11-25");
    assert_eq!(
        deprecated["message"],
        message("is deprecated: end of life 2026-11-30")
    );
    assert_eq!(deprecated["fix"], retired["fix"]);
}

#[test]
fn statistics_count_findings_per_rule() {
    let project = Project::new();
    project.file("mixed.json", MIXED).file("again.json", MIXED);
    assert_eq!(
        project.check(&["--statistics"]),
        output(
            1,
            "2\tO101\t[-] openai-parameter\n2\tR004\t[ ] unknown-parameter\n2\tS004\t[*] duplicate-key\n",
            ""
        )
    );
    let out = project.run(&["check", "--statistics", "--format", "json", "mixed.json"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out.stdout).unwrap(),
        json!([
            {"code": "O101", "name": "openai-parameter", "count": 1, "fixable": false, "unsafe_fixable": true},
            {"code": "R004", "name": "unknown-parameter", "count": 1, "fixable": false, "unsafe_fixable": false},
            {"code": "S004", "name": "duplicate-key", "count": 1, "fixable": true, "unsafe_fixable": false},
        ])
    );
    project.file("mixed.json", CLEAN).file("again.json", CLEAN);
    assert_eq!(project.check(&["--statistics"]), output(0, "", ""));
}

#[test]
fn quiet_prints_the_findings_only() {
    let project = Project::new();
    project
        .file("mixed.json", MIXED)
        .file("notes.md", "# nothing\n");
    assert_eq!(
        project.check(&["--quiet", "mixed.json", "notes.md"]),
        output(1, &[MIXED_S004, MIXED_O101, MIXED_R004].concat(), "")
    );
    assert_eq!(
        project.run(&["check", "-q", "--today", "2026-11-25", "notes.md"]),
        output(0, "", "")
    );
}

#[test]
fn colour_output_file_and_their_defaults() {
    let project = Project::new();
    project.file("mixed.json", MIXED);
    let human = |args: &[&str]| {
        let mut all = vec!["check", "--today", "2026-11-25", "mixed.json"];
        all.extend_from_slice(args);
        project.run(&all)
    };
    let plain = human(&[]);
    assert_eq!(plain.code, 1);
    assert!(!plain.stdout.contains('\x1b'), "a pipe gets no colour");
    assert!(
        plain
            .stdout
            .starts_with("warning[S004]: `max_tokens` is set again"),
        "{}",
        plain.stdout
    );
    let always = human(&["--color", "always"]);
    assert!(
        always.stdout.starts_with("\x1b[1m\x1b[33mwarning["),
        "{:?}",
        always.stdout
    );
    assert_eq!(human(&["--color", "never"]), plain);
    // To a file: the same report, nothing on standard output.
    assert_eq!(human(&["--output-file", "report.txt"]), output(1, "", ""));
    assert_eq!(project.read("report.txt"), plain.stdout);
    assert_eq!(
        project
            .check(&["-o", "out/report.txt", "mixed.json"])
            .stderr,
        "error: cannot write the report: out/report.txt: No such file or directory (os error 2)\n"
    );
}

#[test]
fn diff_shows_what_fix_would_write_and_writes_nothing() {
    let project = Project::new();
    project.file("mixed.json", MIXED).file("chat.json", CLEAN);
    assert_eq!(
        project.check(&["--diff"]),
        output(
            1,
            "--- mixed.json\n+++ mixed.json\n@@ -1,6 +1,5 @@\n {\n   \"model\": \"claude-opus-5\",\n-  \"max_tokens\": 256,\n   \"max_tokens\": 512,\n   \"n\": 2,\n   \"colour\": \"blue\",\n",
            "Would fix 1 problem.\n"
        )
    );
    assert_eq!(project.read("mixed.json"), MIXED);
    assert_eq!(
        project.check(&["--diff", "--unsafe-fixes", "mixed.json"]),
        output(
            1,
            "--- mixed.json\n+++ mixed.json\n@@ -1,8 +1,6 @@\n {\n   \"model\": \"claude-opus-5\",\n-  \"max_tokens\": 256,\n   \"max_tokens\": 512,\n-  \"n\": 2,\n   \"colour\": \"blue\",\n   \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]\n }\n",
            "Would fix 2 problems.\n"
        )
    );
    assert_eq!(
        project.check(&["--diff", "chat.json"]),
        output(0, "", "No fixes to apply.\n")
    );
    assert_eq!(project.check(&["--diff", "--fix"]).code, 2);
}

#[test]
fn add_suppressions_comments_each_line_with_findings() {
    let project = Project::new();
    let yaml = "model: claude-opus-5\nmax_tokens: 64\nn: 2\nmessages:\n  - role: system\n    content: Be terse.\n  - role: user\n    content: Hi\n";
    project.file("chat.yaml", yaml).file("mixed.json", MIXED);
    assert_eq!(
        project.check(&["--add-suppressions=ported from OpenAI"]),
        output(
            1,
            &format!(
                "{MIXED_S004}{MIXED_O101}{MIXED_R004}{}",
                summary(2, 1, 2, 2)
            ),
            "note: mixed.json: 3 findings not suppressible: JSON has no comments to hold a suppression\nAdded 2 suppressions.\n"
        )
    );
    assert_eq!(
        project.read("chat.yaml"),
        "model: claude-opus-5\nmax_tokens: 64\n# preflight: ignore[openai-parameter] ported from OpenAI\nn: 2\nmessages:\n  # preflight: ignore[system-message] ported from OpenAI\n  - role: system\n    content: Be terse.\n  - role: user\n    content: Hi\n"
    );
    // Suppressed, the file is clean; adding again adds nothing.
    assert_eq!(
        project.check(&["--add-suppressions", "chat.yaml"]),
        output(0, &summary(0, 0, 1, 1), "Added 0 suppressions.\n")
    );
    // A comment line inside a curl body would become part of the request: refused.
    let curl = "curl https://api.anthropic.com/v1/messages \\\n  -H \"x-api-key: $ANTHROPIC_API_KEY\" \\\n  -H \"anthropic-version: 2023-06-01\" \\\n  -H \"content-type: application/json\" \\\n  -d '{\n    \"model\": \"claude-opus-5\",\n    \"max_tokens\": 64,\n    \"n\": 2,\n    \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]\n  }'\n";
    project.file("ask.sh", curl);
    let out = project.check(&["--add-suppressions", "ask.sh"]);
    assert_eq!(
        out.stderr,
        "note: ask.sh: 1 finding not suppressed: a comment there would change the request\nAdded 0 suppressions.\n"
    );
    assert_eq!(project.read("ask.sh"), curl);
}

#[test]
fn help_lists_every_file_kind() {
    let project = Project::new();
    let help = project.run(&["check", "--help"]).stdout;
    for (_, name, extensions) in claude_preflight::FileKind::ALL {
        let line = extensions
            .iter()
            .map(|e| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            help.contains(&format!("  {name:<18} {line}\n")),
            "{name} is missing from:\n{help}"
        );
    }
}

#[test]
fn completions_and_the_manual_page_come_from_the_flags() {
    let project = Project::new();
    let bash = project.run(&["completions", "bash"]);
    assert_eq!(bash.code, 0);
    assert!(
        bash.stdout.starts_with("_claude__preflight() {\n"),
        "{}",
        bash.stdout
    );
    for flag in [
        "--statistics",
        "--add-suppressions",
        "--watch",
        "--diff",
        "--today",
    ] {
        assert!(bash.stdout.contains(flag), "{flag}");
    }
    assert_eq!(project.run(&["completions", "tcsh"]).code, 2);
    let man = project.run(&["man"]);
    assert_eq!(man.code, 0);
    assert!(
        man.stdout
            .starts_with(".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n.TH claude-preflight 1 ")
    );
    let sections: Vec<&str> = man
        .stdout
        .lines()
        .filter(|l| l.starts_with(".SH \""))
        .collect();
    assert_eq!(
        sections,
        [
            ".SH \"CLAUDE-PREFLIGHT CHECK\"",
            ".SH \"CLAUDE-PREFLIGHT COUNT\"",
            ".SH \"CLAUDE-PREFLIGHT RULE\"",
            ".SH \"CLAUDE-PREFLIGHT RULES\"",
            ".SH \"CLAUDE-PREFLIGHT EXPLAIN-ERROR\"",
            ".SH \"CLAUDE-PREFLIGHT LSP\"",
            ".SH \"CLAUDE-PREFLIGHT MCP\"",
            ".SH \"CLAUDE-PREFLIGHT COMPLETIONS\"",
            ".SH \"CLAUDE-PREFLIGHT MAN\"",
        ]
    );
    assert!(man.stdout.contains("\\fB\\-\\-add\\-suppressions\\fR"));
    assert_eq!(
        man.stdout.matches(".ie \\n(.g").count(),
        1,
        "one roff preamble"
    );
    assert!(
        !man.stdout.contains("(1)\n"),
        "no pointer at per-subcommand pages that are not installed"
    );
}

#[test]
fn count_says_what_is_built_at_run_time() {
    let project = Project::new();
    project.file(
        "agent.py",
        "import anthropic\n\nclient = anthropic.Anthropic()\nclient.messages.create(model=\"claude-opus-5\", max_tokens=64, messages=load_history())\n",
    );
    assert_eq!(
        project.run(&["count", "agent.py"]),
        output(
            0,
            "agent.py: claude-opus-5, context window 1,000,000 tokens
                       system      tools       text     images  documents   thinking       total
  total                     -          -          -          -          -          -           -
  not counted: built at run time (1 value)

",
            ""
        )
    );
    let out = project.run(&["count", "--format", "json", "agent.py"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let payload = &json["files"][0]["payloads"][0];
    assert_eq!(payload["input"], serde_json::Value::Null);
    assert_eq!(payload["not_counted"], 1);
}

#[test]
fn watch_checks_again_after_a_change() {
    use std::io::{BufRead, BufReader};
    use std::sync::mpsc;
    use std::time::Duration;

    let project = Project::new();
    project.file("chat.json", CLEAN);
    let mut child = Command::new(env!("CARGO_BIN_EXE_claude-preflight"))
        .current_dir(&project.root)
        .args([
            "check",
            "--watch",
            "--today",
            "2026-11-25",
            "--format",
            "concise",
            ".",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines, received) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if lines.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (notes, noted) = mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines() {
            if notes.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let wait = Duration::from_secs(20);
    let next = |from: &mpsc::Receiver<String>| from.recv_timeout(wait);
    let first = next(&received);
    // Watching starts before the first run ends: a change now is seen.
    let watching = next(&noted);
    // Replaced whole (as editors save), so no run can read it half-written.
    project.file("chat.json.new", MIXED);
    std::fs::rename(
        project.root.join("chat.json.new"),
        project.root.join("chat.json"),
    )
    .unwrap();
    let mut second = Vec::new();
    while let Ok(line) = next(&received) {
        let done = line.ends_with(" file");
        second.push(line);
        if done {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(first.as_deref(), Ok(summary(0, 0, 1, 1).trim_end()));
    assert_eq!(
        watching.as_deref(),
        Ok("watching for changes (Ctrl-C stops)")
    );
    assert_eq!(
        second.join("\n") + "\n",
        [
            MIXED_S004.replace("mixed.json", "chat.json"),
            MIXED_O101.replace("mixed.json", "chat.json"),
            MIXED_R004.replace("mixed.json", "chat.json"),
            summary(2, 1, 1, 1),
        ]
        .concat()
    );
}

#[test]
fn constants_imported_from_a_module_beside_the_file_are_checked_where_they_are_used() {
    let project = Project::new();
    project
        .file(
            "app/config.py",
            "import os\n\nMODEL = \"claude-3-opus-20240229\"\nMAX_TOKENS = 1024\nKEY_MODEL = os.environ[\"MODEL\"]\n",
        )
        .file(
            "app/main.py",
            "import anthropic\n\nfrom .config import KEY_MODEL, MAX_TOKENS, MODEL\n\nclient = anthropic.Anthropic()\nclient.messages.create(model=MODEL, max_tokens=MAX_TOKENS, messages=[{\"role\": \"user\", \"content\": \"Hi\"}])\nclient.messages.create(model=KEY_MODEL, max_tokens=5, messages=[{\"role\": \"user\", \"content\": \"Hi\"}])\n",
        )
        .file(
            "app/explore.ipynb",
            r#"{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": ["import anthropic\n", "from config import MODEL\n", "anthropic.Anthropic().messages.create(model=MODEL, max_tokens=5, messages=[{\"role\": \"user\", \"content\": \"Hi\"}])\n"]}], "metadata": {"kernelspec": {"name": "python3", "language": "python"}}, "nbformat": 4, "nbformat_minor": 5}
"#,
        )
        .file(
            "app/rebound.py",
            "import anthropic\nfrom config import MODEL\n\nMODEL = MODEL.replace(\"3\", \"4\")\nanthropic.Anthropic().messages.create(model=MODEL, max_tokens=5, messages=[{\"role\": \"user\", \"content\": \"Hi\"}])\n",
        )
        .file(
            "web/settings.ts",
            "export const MODEL = \"claude-3-opus-20240229\";\nconst HIDDEN = \"claude-3-opus-20240229\";\nexport { HIDDEN as OTHER };\n",
        )
        .file(
            "web/client.ts",
            "import Anthropic from \"@anthropic-ai/sdk\";\nimport { MODEL as model, OTHER } from \"./settings\";\nimport { MODEL as deep } from \"./sub/settings\";\n\nconst client = new Anthropic();\nawait client.messages.create({ model, max_tokens: 5, messages: [{ role: \"user\", content: \"Hi\" }] });\nawait client.messages.create({ model: OTHER, max_tokens: 5, messages: [{ role: \"user\", content: \"Hi\" }] });\nawait client.messages.create({ model: deep, max_tokens: 5, messages: [{ role: \"user\", content: \"Hi\" }] });\n",
        )
        .file(
            "web/sub/settings.ts",
            "export const MODEL = \"claude-3-opus-20240229\";\n",
        );
    let retired = "error[L102] `claude-3-opus-20240229` is Claude Opus 3, retired on 2026-01-05: the API answers 404 `not_found_error` with `model: claude-3-opus-20240229`; its replacement is `claude-opus-4-8`";
    let expected = format!(
        "app/explore.ipynb:1:198: {retired} (`MODEL` is set in config.py, line 3) (retired-model)\n\
         app/main.py:6:30: {retired} (`MODEL` is set in config.py, line 3) (retired-model)\n\
         web/client.ts:6:32: {retired} (`MODEL` is set in settings.ts, line 1) (retired-model)\n\
         web/client.ts:7:39: {retired} (`OTHER` is set in settings.ts, line 2) (retired-model)\n{}",
        summary(4, 0, 7, 7)
    );
    assert_eq!(project.check(&[]), output(1, &expected, ""));
    // The fix belongs in the module that sets the value: none is offered, nothing is written.
    let before = project.read("app/main.py");
    assert_eq!(project.check(&["--fix", "--unsafe-fixes"]).code, 1);
    assert_eq!(project.read("app/main.py"), before);
    // A key the client is made with, set beside the file: reported where it is used, masked.
    let key = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx-AAAAAAAA";
    project
        .file("keyed/keys.py", &format!("API_KEY = \"{key}\"\n"))
        .file(
            "keyed/main.py",
            "import anthropic\nfrom .keys import API_KEY\nclient = anthropic.Anthropic(api_key=API_KEY)\nclient.messages.create(model=\"claude-opus-5\", max_tokens=5, messages=[{\"role\": \"user\", \"content\": \"Hi\"}])\n",
        );
    let expected = format!(
        "keyed/main.py:3:38: error[Y101] an Anthropic API key is written in the source (`sk-ant-api03…AAAA`): anyone who can read the file can use it; remove it, revoke it in the Claude Console, and send the key in the `x-api-key` header from the environment (`ANTHROPIC_API_KEY`) (`API_KEY` is set in keys.py, line 1) (api-key-in-payload)\n{}",
        summary(1, 0, 1, 2)
    );
    assert_eq!(project.check(&["keyed"]), output(1, &expected, ""));
    // The same file on standard input, named: its module is read beside the name.
    assert_eq!(
        project.run_with(
            &[
                "check",
                "--today",
                "2026-11-25",
                "--format",
                "concise",
                "--stdin-filename",
                "app/main.py",
                "-"
            ],
            Some(&before),
        ),
        output(
            1,
            &format!(
                "app/main.py:6:30: {retired} (`MODEL` is set in config.py, line 3) (retired-model)\n{}",
                summary(1, 0, 2, 1)
            ),
            ""
        )
    );
}
