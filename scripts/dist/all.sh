#!/usr/bin/env bash
# usage: scripts/dist/all.sh OUT_DIR
# Every artifact of this platform from the one release binary: the archive, the wheel, the npm
# packages and the .vsix. The release workflow runs it on each platform's runner; .ci/run runs it
# for linux-x64 and installs what it made.
set -euo pipefail
here=$(dirname "$0")
for part in archive wheel npm vsix; do
  start=$SECONDS
  echo "== dist: $part" >&2
  bash "$here/$part.sh" "$1"
  echo "   ($((SECONDS - start)) s)" >&2
done
