#!/usr/bin/env bash
# The GitHub Action's script (scripts/action.sh) on a new repository holding a broken request,
# three ways: with the release binary given (and with `args`), installing the release archive (from
# $DIST through a file:// URL, checked against SHA256SUMS) and installing the wheel (pip pointed
# at $DIST). Each must print the version and the annotation, write the SARIF file and the step's
# outputs, and exit 1. A release whose checksum does not match must be refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fixture-repo.sh"
. "$ROOT/scripts/dist/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make_repo "$tmp/repo"

# run_action NAME [VAR=VALUE...]: runs the script in the repository as action.yml does, in a
# runner temp directory of its own; sets `out`, `status` and `runner`.
run_action() {
  runner=$tmp/runner-$1
  mkdir -p "$runner"
  status=0
  out=$(cd "$tmp/repo" && env -u CLAUDE_PREFLIGHT_BINARY RUNNER_TEMP="$runner" GITHUB_OUTPUT="$runner/output" \
    INPUT_VERSION="$VERSION" INPUT_PATHS=requests \
    INPUT_SARIF_FILE="$runner/report.sarif" INPUT_REPOSITORY=OWNER/claude-preflight "${@:2}" \
    bash "$ROOT/scripts/action.sh" 2>&1) || status=$?
}

# expect_action NAME: the annotation, the outputs and the SARIF file of a run that found the error.
expect_action() {
  expect_eq "$1: exit status" 1 "$status"
  expect_eq "$1: the version and the annotation" "claude-preflight $VERSION
::error file=requests/broken.json,line=4,col=3,endLine=4,endColumn=9,title=O101 openai-parameter::\`stop\` is OpenAI's name: the API answers 400 \`stop: Extra inputs are not permitted\`; Claude calls it \`stop_sequences\`" "$out"
  expect_eq "$1: the outputs" "sarif-file=$runner/report.sarif
exit-code=1" "$(cat "$runner/output")"
  expect_eq "$1: the SARIF file" "2.1.0 claude-preflight $VERSION
O101 error requests/broken.json 4:3-4:9 1 fix(es)" "$(python3 -c '
import json, sys
log = json.load(open(sys.argv[1]))
run = log["runs"][0]
driver = run["tool"]["driver"]
print(log["version"], driver["name"], driver["version"])
for r in run["results"]:
    loc = r["locations"][0]["physicalLocation"]
    reg = loc["region"]
    print(r["ruleId"], r["level"], loc["artifactLocation"]["uri"],
          "{}:{}-{}:{}".format(reg["startLine"], reg["startColumn"], reg["endLine"], reg["endColumn"]),
          len(r.get("fixes", [])), "fix(es)")
' "$runner/report.sarif")"
}

run_action given CLAUDE_PREFLIGHT_BINARY="$REFERENCE"
expect_action "a given binary"

run_action args CLAUDE_PREFLIGHT_BINARY="$REFERENCE" INPUT_ARGS="--ignore openai-parameter"
expect_eq "args: exit status" 0 "$status"
expect_eq "args: the version, no annotation" "claude-preflight $VERSION" "$out"

run_action archive CLAUDE_PREFLIGHT_RELEASES="file://$DIST"
expect_action "the release archive"

run_action wheel INPUT_INSTALL=wheel PIP_NO_INDEX=1 PIP_FIND_LINKS="$DIST"
expect_action "the wheel"

mkdir "$tmp/tampered"
cp "$DIST/claude-preflight-$TRIPLE.tar.gz" "$tmp/tampered/"
sed 's/^[0-9a-f]\{8\}/00000000/' "$DIST/SHA256SUMS" > "$tmp/tampered/SHA256SUMS"
run_action tampered CLAUDE_PREFLIGHT_RELEASES="file://$tmp/tampered"
expect_eq "a wrong checksum: exit status" 2 "$status"
want=$(awk -v f="claude-preflight-$TRIPLE.tar.gz" '$2 == f {print $1}' "$DIST/SHA256SUMS")
expect_eq "a wrong checksum: the error" "::error title=claude-preflight action::claude-preflight-$TRIPLE.tar.gz has SHA-256 $want, but SHA256SUMS says 00000000${want:8}" "$out"
