#!/usr/bin/env bash
# usage: scripts/dist/wheel.sh OUT_DIR
# The Python wheel for this platform: maturin (`bindings = "bin"` in pyproject.toml) puts the
# release binary in the wheel's scripts, as ruff's wheels hold ruff. maturin runs cargo with the
# release profile in the same target directory, so the binary `cargo build --release --locked`
# made is reused; the script fails if cargo compiled the crate again. Prints the wheel's path.
. "$(dirname "$0")/lib.sh"
need_binary
out=$(mkdir -p "$1" && cd "$1" && pwd)
MATURIN=${MATURIN:-maturin}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
(cd "$ROOT" && "$MATURIN" build --release --locked --out "$out") > "$log" 2>&1 || { cat "$log" >&2; exit 1; }
if grep -q 'Compiling claude-preflight' "$log"; then
  cat "$log" >&2
  echo "maturin compiled the crate again: its cargo flags differ from \`cargo build --release --locked\`" >&2
  exit 1
fi
sed -n 's/.*Built wheel[^/]*\(\/.*\.whl\).*/\1/p' "$log"
