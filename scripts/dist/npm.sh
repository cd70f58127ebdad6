#!/usr/bin/env bash
# usage: scripts/dist/npm.sh OUT_DIR
# The npm packages: @claude-preflight/cli-PLATFORM (this platform's binary, with `os` and
# `cpu` so npm installs it only there) and, from npm/claude-preflight, the main package whose
# launcher runs it. Packs both into OUT_DIR and prints their paths.
. "$(dirname "$0")/lib.sh"
need_binary
out=$(mkdir -p "$1" && cd "$1" && pwd)
main=$ROOT/npm/claude-preflight
node -e '
const [main, version, platform] = process.argv.slice(1);
const pkg = require(main + "/package.json");
const wrong = [pkg.version, ...Object.values(pkg.optionalDependencies)].filter(v => v !== version);
if (wrong.length) { console.error(`npm/claude-preflight/package.json has ${wrong} where Cargo.toml has ${version}`); process.exit(1); }
if (!(`@claude-preflight/cli-${platform}` in pkg.optionalDependencies)) { console.error(`npm/claude-preflight/package.json lacks @claude-preflight/cli-${platform}`); process.exit(1); }
' "$main" "$VERSION" "$PLATFORM"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin"
cp "$BINARY" "$stage/bin/$EXE"
chmod 755 "$stage/bin/$EXE"
cp "$ROOT/LICENSE" "$stage/"
os=${PLATFORM%-*}
cpu=${PLATFORM#*-}
cat > "$stage/package.json" <<JSON
{
  "name": "@claude-preflight/cli-$PLATFORM",
  "version": "$VERSION",
  "description": "The claude-preflight binary for $os $cpu (installed by the claude-preflight package)",
  "license": "Apache-2.0",
  "os": ["$os"],
  "cpu": ["$cpu"],
  "files": ["bin/$EXE"],
  "preferUnplugged": true
}
JSON
cat > "$stage/README.md" <<MD
The \`claude-preflight\` binary for $os $cpu. Install \`claude-preflight\`, which depends on it.
MD
(cd "$stage" && npm pack --silent --pack-destination "$out") | sed "s|^|$out/|"
(cd "$main" && npm pack --silent --pack-destination "$out") | sed "s|^|$out/|"
