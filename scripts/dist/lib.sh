# Shared by the scripts in scripts/dist (sourced, not run): where things are and what this
# platform is called by Rust, npm and VS Code. Every release artifact is built on its own
# platform's runner, so "this platform" is the host.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The crate's version: every package (wheel, npm, .vsix) carries the same one.
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$ROOT/Cargo.toml" | head -1)
# The Rust target triple of the host, which names the release archive.
TRIPLE=$(rustc -vV | sed -n 's/^host: //p')
# The npm and VS Code name of the same platform (`process.platform-process.arch`).
case "$TRIPLE" in
  x86_64-unknown-linux-gnu) PLATFORM=linux-x64 ;;
  aarch64-unknown-linux-gnu) PLATFORM=linux-arm64 ;;
  x86_64-apple-darwin) PLATFORM=darwin-x64 ;;
  aarch64-apple-darwin) PLATFORM=darwin-arm64 ;;
  x86_64-pc-windows-msvc) PLATFORM=win32-x64 ;;
  *) echo "scripts/dist: no release is made for $TRIPLE" >&2; exit 1 ;;
esac
EXE=claude-preflight
[ "$PLATFORM" != win32-x64 ] || EXE=claude-preflight.exe
# The binary every artifact packs: `cargo build --release --locked` builds it once.
BINARY=${CLAUDE_PREFLIGHT_BINARY:-$ROOT/target/release/$EXE}

# Fails unless the release binary exists.
need_binary() {
  [ -f "$BINARY" ] || { echo "$BINARY does not exist: run \`cargo build --release --locked\` first" >&2; exit 1; }
}

# Prints a file's SHA-256 (sha256sum on Linux and Git Bash, shasum on macOS).
sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}
