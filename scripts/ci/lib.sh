# Shared by the install checks in scripts/ci (sourced): the release binary they compare
# against, and assertions that print what differed and fail the script.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The binary `cargo build --release --locked` made, which every package holds.
REFERENCE=${CLAUDE_PREFLIGHT_BINARY:-$ROOT/target/release/claude-preflight}
# What the packages were built into (scripts/dist/all.sh).
DIST=${DIST:-$ROOT/target/dist}
# A virtual environment with pre-commit, pipx and uv (.ci/run makes it).
TOOLS=${TOOLS:-$ROOT/target/ci-tools}
# Lifecycle findings depend on the date: pinned, so outputs compare byte for byte.
TODAY=2026-12-03

# expect_eq WHAT EXPECTED ACTUAL: fails with a diff unless the two texts are equal.
expect_eq() {
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1" >&2
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") >&2 || true
    exit 1
  fi
  echo "ok: $1"
}

# expect_line WHAT LINE TEXT: fails unless LINE is one of the lines of TEXT.
expect_line() {
  if ! grep -qxF -- "$2" <<< "$3"; then
    printf 'FAIL: %s\nno line\n  %s\nin\n%s\n' "$1" "$2" "$3" >&2
    exit 1
  fi
  echo "ok: $1"
}

# expect_examples WHAT DIR CMD...: in DIR, `CMD check $ROOT/examples/` must exit 1 and print
# the release binary's report byte for byte, which has the O101 finding on openai_habits.py.
expect_examples() {
  local what=$1 dir=$2
  shift 2
  local args=(check "$ROOT/examples/" --format concise --no-progress --today "$TODAY")
  local want got status=0
  want=$(cd "$dir" && "$REFERENCE" "${args[@]}") || true
  got=$(cd "$dir" && "$@" "${args[@]}") || status=$?
  expect_eq "$what: exit status" 1 "$status"
  expect_line "$what: the O101 finding" "$ROOT/examples/broken/openai_habits.py:10:5: error[O101] \`max_completion_tokens\` is OpenAI's name: the API answers 400 \`max_completion_tokens: Extra inputs are not permitted\`; Claude calls it \`max_tokens\` (openai-parameter)" "$got"
  expect_eq "$what: the release binary's report" "$want" "$got"
}
