#!/usr/bin/env bash
# The release archive, checksums and .vsix (scripts/dist): SHA256SUMS verifies, the archive holds the
# binary, README.md and LICENSE, and the unpacked binary checks the examples.
. "$(dirname "$0")/lib.sh"
. "$ROOT/scripts/dist/lib.sh"
archive=claude-preflight-$TRIPLE.tar.gz
(cd "$DIST" && sha256sum -c --strict SHA256SUMS)
expect_line "SHA256SUMS lists the archive" "$(sha256sum "$DIST/$archive" | cut -d' ' -f1)  $archive" "$(cat "$DIST/SHA256SUMS")"
expect_eq "the archive's files" "claude-preflight-$TRIPLE/
claude-preflight-$TRIPLE/LICENSE
claude-preflight-$TRIPLE/README.md
claude-preflight-$TRIPLE/claude-preflight" "$(tar -tzf "$DIST/$archive" | sort)"
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
tar -C "$unpacked" -xzf "$DIST/$archive"
expect_examples "the archive's binary" "$unpacked" "$unpacked/claude-preflight-$TRIPLE/claude-preflight"

# The .vsix (scripts/dist/vsix.sh) holds a server that checks the examples too;
# editors/vscode/test/e2e.sh installs it into a real VS Code.
unzip -q -d "$unpacked/vsix" "$DIST/claude-preflight-$PLATFORM.vsix" extension/server/claude-preflight extension/package.json
expect_eq "the .vsix's version" "\"version\": \"$VERSION\"," "$(grep -o '"version": "[^"]*",' "$unpacked/vsix/extension/package.json" | head -1)"
expect_examples "the .vsix's server" "$unpacked" "$unpacked/vsix/extension/server/claude-preflight"
