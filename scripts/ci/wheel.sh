#!/usr/bin/env bash
# The wheel (scripts/dist/wheel.sh) installed the three ways the README shows, each into a
# fresh place: pip into a new virtual environment, pipx, and uvx; each copy must check the
# examples exactly as the release binary does. $TOOLS is a virtual environment with pipx and uv.
. "$(dirname "$0")/lib.sh"
. "$ROOT/scripts/dist/lib.sh"
wheel=$(ls "$DIST"/claude_preflight-*.whl)
[ "$(wc -l <<< "$wheel")" -eq 1 ] || { echo "FAIL: not one wheel in $DIST: $wheel" >&2; exit 1; }
expect_eq "the wheel's script is the release binary" "$(sha256sum < "$REFERENCE")" \
  "$(python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
    "$wheel" "claude_preflight-$VERSION.data/scripts/claude-preflight" | sha256sum)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
expect_examples "pip install" "$tmp" "$tmp/venv/bin/claude-preflight"

PIPX_HOME=$tmp/pipx PIPX_BIN_DIR=$tmp/pipx-bin "$TOOLS/bin/pipx" install --pip-args=--no-index "$wheel" \
  > "$tmp/pipx.log" 2>&1 || { cat "$tmp/pipx.log" >&2; exit 1; }
expect_examples "pipx install" "$tmp" "$tmp/pipx-bin/claude-preflight"

export UV_CACHE_DIR=$tmp/uv-cache UV_NO_INDEX=1
expect_examples "uvx" "$tmp" "$TOOLS/bin/uvx" --from "$wheel" claude-preflight
