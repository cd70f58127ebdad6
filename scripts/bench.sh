#!/usr/bin/env bash
# End-to-end batch benchmark: the release binary against ajv-cli 5 validating the same files
# with the project's schema, plus peak memory. Criterion measures the library beside the
# serde_json floor (`cargo bench --bench check`); this script measures whole processes.
#
# usage: scripts/bench.sh            (needs python3, npm; installs hyperfine with apt if missing)
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=target/bench-corpus
tools=target/bench-tools
[ -d "$corpus/files" ] || python3 scripts/gen-corpus.py "$corpus"
cargo build --release --quiet
bin=target/release/claude-preflight

if [ ! -x "$tools/node_modules/.bin/ajv" ]; then
  mkdir -p "$tools"
  npm install --silent --prefix "$tools" ajv-cli@5 ajv-formats@3 >/dev/null
fi
ajv="$tools/node_modules/.bin/ajv"
if ! command -v hyperfine >/dev/null; then
  apt-get install -y -qq hyperfine >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
fi
if [ ! -x /usr/bin/time ]; then
  apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
fi

files=$(ls "$corpus/files" | wc -l)
bytes=$(du -sb "$corpus/files" | cut -f1)
echo "corpus: $files files, $bytes bytes; big.json $(stat -c %s "$corpus/big.json") bytes"

schema=schemas/messages-request.schema.json
# ajv expands the quoted glob itself; the shell must not (one -d takes one pattern).
ajv_args="validate --spec=draft2020 --strict=false -c ajv-formats -s $schema"
ajv_files="$ajv $ajv_args -d '$corpus/files/*.json'"
ajv_big="$ajv $ajv_args -d '$corpus/big.json'"
# Every file must really be validated: count ajv's verdicts once.
verdicts=$(sh -c "$ajv_files" 2>&1 | grep -cE ' (valid|invalid)$' || true)
[ "$verdicts" = "$files" ] || { echo "ajv validated $verdicts of $files files"; exit 1; }

# check exits 1 (the corpus seeds a few mistakes), ajv too when a file is invalid: -i.
hyperfine --warmup 1 --runs 10 -i --export-markdown target/bench-batch.md \
  -n "claude-preflight check (10,000 files)" "$bin check $corpus/files --format concise --no-progress > /dev/null" \
  -n "ajv-cli 5 validate (10,000 files)" "$ajv_files > /dev/null 2>&1"
hyperfine --warmup 1 --runs 10 -i --export-markdown target/bench-big.md \
  -n "claude-preflight check (32 MB request)" "$bin check $corpus/big.json --format concise > /dev/null" \
  -n "ajv-cli 5 validate (32 MB request)" "$ajv_big > /dev/null 2>&1"

peak() { /usr/bin/time -f "%M" sh -c "$1 > /dev/null 2>&1" 2>&1 | tail -1; }
echo "peak RSS, KB: check 10,000 files $(peak "$bin check $corpus/files --format concise --no-progress")"
echo "peak RSS, KB: check 32 MB request $(peak "$bin check $corpus/big.json --format concise")"
echo "peak RSS, KB: ajv 10,000 files $(peak "$ajv_files")"
echo "peak RSS, KB: ajv 32 MB request $(peak "$ajv_big")"
