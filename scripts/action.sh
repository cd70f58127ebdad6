#!/usr/bin/env bash
# The GitHub Action (action.yml runs this; .ci/run runs it too, with a local binary): installs
# claude-preflight, runs `check` once for the SARIF file (code scanning) and once with
# `--format github` (annotations on the pull request), and exits with the second run's status.
#
# Inputs come as environment variables, as action.yml passes them:
#   INPUT_VERSION     a release such as 0.1.0, or `latest`
#   INPUT_INSTALL     `binary` (the release archive, checked against its SHA256SUMS) or `wheel`
#                     (pip, into a virtual environment)
#   INPUT_PATHS       what to check, separated by spaces (default `.`)
#   INPUT_ARGS        more `check` arguments, separated by spaces (e.g. `--select models`)
#   INPUT_SARIF_FILE  where the SARIF report goes (default claude-preflight.sarif)
#   INPUT_REPOSITORY  owner/name whose releases hold the binaries (default: the action's own)
# CLAUDE_PREFLIGHT_BINARY skips the installation and runs that binary; CLAUDE_PREFLIGHT_RELEASES
# replaces the releases' download URL (a directory holding the archives and SHA256SUMS).
set -euo pipefail

version=${INPUT_VERSION:-latest}
install=${INPUT_INSTALL:-binary}
sarif=${INPUT_SARIF_FILE:-claude-preflight.sarif}
tmp=${RUNNER_TEMP:-$(mktemp -d)}

fail() {
  echo "::error title=claude-preflight action::$1"
  exit 2
}

# The Rust target triple of the runner, which names the release archive: sets `triple`.
find_triple() {
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) triple=x86_64-unknown-linux-gnu ;;
    Linux-aarch64 | Linux-arm64) triple=aarch64-unknown-linux-gnu ;;
    Darwin-x86_64) triple=x86_64-apple-darwin ;;
    Darwin-arm64) triple=aarch64-apple-darwin ;;
    MINGW*-x86_64 | MSYS*-x86_64 | CYGWIN*-x86_64) triple=x86_64-pc-windows-msvc ;;
    *) fail "no claude-preflight release for $(uname -s) $(uname -m); use install: wheel" ;;
  esac
}

# The release archive for this runner, verified against the release's SHA256SUMS; sets `bin`.
install_binary() {
  local repo=${INPUT_REPOSITORY:-}
  if [ -z "$repo" ]; then
    # A composite action lives in .../_actions/OWNER/NAME/REF.
    repo=$(cd "$(dirname "$0")/.." && pwd | awk -F/ '{print $(NF-2) "/" $(NF-1)}')
  fi
  local base
  if [ -n "${CLAUDE_PREFLIGHT_RELEASES:-}" ]; then
    base=$CLAUDE_PREFLIGHT_RELEASES
  elif [ "$version" = latest ]; then
    base=https://github.com/$repo/releases/latest/download
  else
    base=https://github.com/$repo/releases/download/v$version
  fi
  local triple name archive dir
  find_triple
  name=claude-preflight-$triple
  archive=$name.tar.gz
  [ "$triple" != x86_64-pc-windows-msvc ] || archive=$name.zip
  dir=$tmp/claude-preflight-install
  rm -rf "$dir" && mkdir -p "$dir"
  curl -fsSL --retry 3 -o "$dir/$archive" "$base/$archive" || fail "cannot download $base/$archive"
  curl -fsSL --retry 3 -o "$dir/SHA256SUMS" "$base/SHA256SUMS" || fail "cannot download $base/SHA256SUMS"
  local want got
  want=$(awk -v f="$archive" '$2 == f {print $1}' "$dir/SHA256SUMS")
  [ -n "$want" ] || fail "SHA256SUMS has no line for $archive"
  if command -v sha256sum >/dev/null; then got=$(sha256sum "$dir/$archive" | cut -d' ' -f1); else got=$(shasum -a 256 "$dir/$archive" | cut -d' ' -f1); fi
  [ "$got" = "$want" ] || fail "$archive has SHA-256 $got, but SHA256SUMS says $want"
  if [ "$archive" = "$name.zip" ]; then
    (cd "$dir" && unzip -q "$archive")
    bin=$dir/$name/claude-preflight.exe
  else
    tar -C "$dir" -xzf "$dir/$archive"
    bin=$dir/$name/claude-preflight
  fi
}

# The wheel from PyPI (or wherever pip is pointed) in a virtual environment; sets `bin`.
install_wheel() {
  local venv=$tmp/claude-preflight-venv spec=claude-preflight python=python3 scripts=bin
  [ "$version" = latest ] || spec=claude-preflight==$version
  # Windows runners have `python`, and a venv's programs are in Scripts there.
  case "$(uname -s)" in MINGW* | MSYS* | CYGWIN*) python=python scripts=Scripts ;; esac
  "$python" -m venv "$venv" || fail "$python -m venv failed"
  "$venv/$scripts/python" -m pip install --quiet --disable-pip-version-check "$spec" >&2 || fail "pip install $spec failed"
  bin=$venv/$scripts/claude-preflight
}

if [ -n "${CLAUDE_PREFLIGHT_BINARY:-}" ]; then
  bin=$CLAUDE_PREFLIGHT_BINARY
else
  case "$install" in
    binary) install_binary ;;
    wheel) install_wheel ;;
    *) fail "install must be \`binary\` or \`wheel\`, not \`$install\`" ;;
  esac
fi
"$bin" --version

read -ra paths <<< "${INPUT_PATHS:-.}"
read -ra args <<< "${INPUT_ARGS:-}"
[ ${#paths[@]} -gt 0 ] || paths=(.)

status=0
"$bin" check "${paths[@]}" ${args[@]+"${args[@]}"} --format sarif --no-progress > "$sarif" || status=$?
[ "$status" -le 1 ] || fail "\`claude-preflight check --format sarif\` failed with status $status"
status=0
"$bin" check "${paths[@]}" ${args[@]+"${args[@]}"} --format github --no-progress || status=$?
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"
  echo "exit-code=$status" >> "$GITHUB_OUTPUT"
fi
exit "$status"
