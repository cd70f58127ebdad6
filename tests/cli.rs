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

fn summary(errors: usize, warnings: usize, payloads: usize, files: usize) -> String {
    format!(
        "{errors} errors, {warnings} warnings, 0 infos in {payloads} payloads across {files} files\n"
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
            "job.jsonc:9:5: error[O101] `n` is an OpenAI parameter with no Claude equivalent: the API answers 400 `n: Extra inputs are not permitted` (openai-parameter)\n1 errors, 0 warnings, 0 infos in 1 payloads across 1 files (2 fixed)\n",
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
            "0 errors, 0 warnings, 0 infos in 1 payloads across 1 files (3 fixed)\n",
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
        "error: the following required arguments were not provided:\n  --fix\n\nUsage: claude-preflight check --fix --unsafe-fixes [PATHS]...\n\nFor more information, try '--help'.\n"
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
                "{FIXABLE_N}1 errors, 0 warnings, 0 infos in 1 payloads across 1 files (2 fixed)\n"
            )
        )
    );
    // Text that is not a request comes back unchanged.
    assert_eq!(
        project.run_with(&args, Some("{\"name\": \"app\"}\n")),
        output(0, "{\"name\": \"app\"}\n", &summary(0, 0, 0, 1))
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
        "4 errors, 0 warnings, 1 infos in 4 payloads across 4 files\n".into(),
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
