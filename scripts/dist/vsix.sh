#!/usr/bin/env bash
# usage: scripts/dist/vsix.sh OUT_DIR
# The VS Code extension for this platform with the release binary inside
# (editors/vscode's `npm run package`), copied to OUT_DIR/claude-preflight-PLATFORM.vsix.
. "$(dirname "$0")/lib.sh"
need_binary
out=$(mkdir -p "$1" && cd "$1" && pwd)
ext=$ROOT/editors/vscode
(cd "$ext" && npm ci --no-audit --no-fund --silent \
  && CLAUDE_PREFLIGHT_BINARY=$BINARY VSCE_TARGET=$PLATFORM npm run --silent package) >&2
cp "$ext/claude-preflight-$PLATFORM.vsix" "$out/"
echo "$out/claude-preflight-$PLATFORM.vsix"
