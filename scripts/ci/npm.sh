#!/usr/bin/env bash
# The npm packages (scripts/dist/npm.sh) installed from their tarballs into a new project, as
# `npm install claude-preflight` installs them from the registry (the main package and, of its
# optional dependencies, the one for this platform): `npx claude-preflight` must check the
# examples exactly as the release binary does. Without the platform package, the launcher must
# say what is missing.
. "$(dirname "$0")/lib.sh"
. "$ROOT/scripts/dist/lib.sh"
main=$DIST/claude-preflight-$VERSION.tgz
platform=$DIST/claude-preflight-cli-$PLATFORM-$VERSION.tgz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm_install() {
  (cd "$1" && npm init -y > /dev/null && npm install --no-audit --no-fund --silent "${@:2}")
}

mkdir "$tmp/project"
npm_install "$tmp/project" "$platform" "$main"
expect_examples "npx claude-preflight" "$tmp/project" npx --no-install claude-preflight

mkdir "$tmp/no-platform"
npm_install "$tmp/no-platform" --omit=optional "$main"
status=0
err=$(cd "$tmp/no-platform" && npx --no-install claude-preflight check . 2>&1) || status=$?
expect_eq "without the platform package: exit status" 2 "$status"
message="claude-preflight: the package @claude-preflight/cli-$PLATFORM, which holds the binary for this platform, is not installed; it is an optional dependency of claude-preflight: reinstall without --no-optional or --omit=optional"
expect_eq "without the platform package: the message" "$message" "$err"
[ "$PLATFORM" != linux-x64 ] || expect_line "the README shows that message" "$message" "$(cat "$ROOT/README.md")"
