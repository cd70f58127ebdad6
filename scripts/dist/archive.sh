#!/usr/bin/env bash
# usage: scripts/dist/archive.sh OUT_DIR
# The release archive for this platform: OUT_DIR/claude-preflight-TRIPLE.tar.gz (.zip on
# Windows) holding claude-preflight-TRIPLE/{claude-preflight, README.md, LICENSE}. Prints its path.
. "$(dirname "$0")/lib.sh"
need_binary
out=$(mkdir -p "$1" && cd "$1" && pwd)
name=claude-preflight-$TRIPLE
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "$BINARY" "$stage/$name/$EXE"
chmod 755 "$stage/$name/$EXE"
cp "$ROOT/README.md" "$ROOT/LICENSE" "$stage/$name/"
if [ "$PLATFORM" = win32-x64 ]; then
  rm -f "$out/$name.zip"
  (cd "$stage" && python -m zipfile -c "$out/$name.zip" "$name")
  echo "$out/$name.zip"
else
  tar -C "$stage" -czf "$out/$name.tar.gz" "$name"
  echo "$out/$name.tar.gz"
fi
