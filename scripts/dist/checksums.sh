#!/usr/bin/env bash
# usage: scripts/dist/checksums.sh DIR
# Writes DIR/SHA256SUMS for every other file in DIR (`sha256sum -c SHA256SUMS` checks them) and
# prints it.
. "$(dirname "$0")/lib.sh"
cd "$1"
sums=$(for f in *; do
  [ -f "$f" ] && [ "$f" != SHA256SUMS ] && printf '%s  %s\n' "$(sha256 "$f")" "$f"
done)
printf '%s\n' "$sums" > SHA256SUMS
cat SHA256SUMS
