#!/usr/bin/env bash
# The pre-commit hooks (.pre-commit-hooks.yaml) run by the real pre-commit ($TOOLS has it) with
# `try-repo` on a new repository holding a broken request: `claude-preflight` must fail with the
# finding, `claude-preflight-fix` must rewrite the file, and then `claude-preflight` must pass.
# The hooks run the `claude-preflight` on PATH: the release binary's directory.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fixture-repo.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make_repo "$tmp/repo"
mkdir "$tmp/bin"
ln -s "$REFERENCE" "$tmp/bin/claude-preflight"
export PATH=$tmp/bin:$PATH PRE_COMMIT_HOME=$tmp/pre-commit-home
# try-repo commits uncommitted changes of the hook repository in a copy: it needs a name.
export GIT_AUTHOR_NAME=ci GIT_AUTHOR_EMAIL=ci@example.invalid GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@example.invalid

# try_hook ID: runs the hook on every file; sets `out` (without pre-commit's config preamble)
# and `status`.
try_hook() {
  status=0
  out=$(cd "$tmp/repo" && "$TOOLS/bin/pre-commit" try-repo --color never "$ROOT" "$1" --all-files 2>&1) || status=$?
  out=$(sed -n '/^\[INFO\]/d; /^claude-preflight/,$p' <<< "$out")
}

try_hook claude-preflight
expect_eq "claude-preflight: exit status" 1 "$status"
expect_eq "claude-preflight: the failure" 'claude-preflight.........................................................Failed
- hook id: claude-preflight
- exit code: 1

error[O101]: `stop` is OpenAI'"'"'s name: the API answers 400 `stop: Extra inputs are not permitted`; Claude calls it `stop_sequences`
 --> requests/broken.json:4:3
  |
4 |   "stop": ["END"],
  |   ^^^^^^
  |
  = help: Rename `stop` to `stop_sequences` (safe fix)
  |
4 |   "stop_sequences": ["END"],
  |        ++++++++++
  = note: rule `openai-parameter` (`claude-preflight rule openai-parameter` explains it)

Found 1 error in 1 file (2 payloads across 3 files checked).
1 fix is available with `--fix`.' "$out"

try_hook claude-preflight-fix
expect_eq "claude-preflight-fix: exit status" 1 "$status"
expect_eq "claude-preflight-fix: the report" 'claude-preflight (fix)...................................................Failed
- hook id: claude-preflight-fix
- files were modified by this hook

Fixed 1 problem.
All checked: 2 payloads across 3 files, no problems.' "$out"
expect_eq "claude-preflight-fix: the fixed file" '{
  "model": "claude-opus-5",
  "max_tokens": 1024,
  "stop_sequences": ["END"],
  "messages": [{"role": "user", "content": "Summarise the report."}]
}' "$(cat "$tmp/repo/requests/broken.json")"

try_hook claude-preflight
expect_eq "claude-preflight after the fix: exit status" 0 "$status"
expect_line "claude-preflight after the fix: passed" "claude-preflight.........................................................Passed" "$out"
