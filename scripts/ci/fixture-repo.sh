# Sourced by the pre-commit and Action checks: make_repo DIR makes a git repository with one
# broken request (OpenAI's `stop`, which the safe fix renames), one clean request and an
# unrelated package.json, all committed.
make_repo() {
  mkdir -p "$1/requests"
  cat > "$1/requests/broken.json" <<'JSON'
{
  "model": "claude-opus-5",
  "max_tokens": 1024,
  "stop": ["END"],
  "messages": [{"role": "user", "content": "Summarise the report."}]
}
JSON
  cat > "$1/requests/clean.json" <<'JSON'
{
  "model": "claude-opus-5",
  "max_tokens": 1024,
  "messages": [{"role": "user", "content": "Summarise the report."}]
}
JSON
  echo '{"name": "app", "version": "1.0.0", "scripts": {"stop": "kill 1"}}' > "$1/package.json"
  git -C "$1" init -q
  git -C "$1" add .
  git -C "$1" -c user.name=ci -c user.email=ci@example.invalid commit -qm fixtures
}
