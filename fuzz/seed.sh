#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the project's fixtures (tests/fixtures, tests/corpus,
# examples). Run before `cargo fuzz run`; the corpora are not committed. Existing corpus files
# (what earlier runs found) are kept.
set -euo pipefail
cd "$(dirname "$0")"
root=..
corpus=corpus
mkdir -p "$corpus"/{json,yaml,analyze,fix,lsp_frame}

# The letter that selects each file kind in the `analyze` and `fix` targets (src/lib.rs, KINDS).
letter() {
  case "$1" in
    *.json | *.jsonc) echo j ;;
    *.jsonl | *.ndjson) echo l ;;
    *.yaml | *.yml) echo y ;;
    *.py | *.pyi) echo p ;;
    *.js | *.mjs | *.cjs | *.jsx) echo a ;;
    *.ts | *.mts | *.cts) echo t ;;
    *.tsx) echo x ;;
    *.sh | *.bash | *.zsh) echo s ;;
    *.md | *.markdown) echo m ;;
    *.ipynb) echo n ;;
  esac
}

count=0
while IFS= read -r -d '' file; do
  kind=$(letter "$file")
  [ -n "$kind" ] || continue
  name=$(printf '%s' "${file#"$root"/}" | tr '/' '_')
  { printf '%s' "$kind"; cat "$file"; } >"$corpus/analyze/$name"
  cp "$corpus/analyze/$name" "$corpus/fix/$name"
  case "$kind" in
    j | l)
      cp "$file" "$corpus/json/$name"
      cp "$file" "$corpus/yaml/$name"
      { printf 'Content-Length: %d\r\n\r\n' "$(wc -c <"$file")"; cat "$file"; } >"$corpus/lsp_frame/$name"
      ;;
    y) cp "$file" "$corpus/yaml/$name" ;;
  esac
  count=$((count + 1))
done < <(find "$root/tests/fixtures" "$root/tests/corpus" "$root/examples" -type f -size -64k -print0)

# A client's first messages, framed as an editor frames them.
message='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}'
note='{"jsonrpc":"2.0","method":"initialized","params":{}}'
printf 'Content-Length: %d\r\n\r\n%sContent-Length: %d\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n%s' \
  "${#message}" "$message" "${#note}" "$note" >"$corpus/lsp_frame/initialize"

echo "seeded $count fixtures into $(pwd)/$corpus"
