#!/bin/bash
# Helix 25.01 in tmux with the shipped editors/helix/languages.toml: opens FILE, waits for the
# server's diagnostics (in Helix's log and on screen), opens the diagnostics picker and prints
# the screen for the Rust test to check. Needs HX (the wrapper setup.sh writes) and
# XDG_CONFIG_HOME holding helix/languages.toml; `claude-preflight` must be on PATH.
#   hx_tmux_test.sh FILE
set -u
FILE=$1
SOCKET=claude-preflight-hx-$$
LOG=$(mktemp)
T="tmux -L $SOCKET"
$T new-session -d -s hx -x 200 -y 40 "${HX:?set HX to the hx wrapper} -v --log $LOG $FILE"
status=1
for _ in $(seq 1 100); do   # up to 20 s for the diagnostics to arrive and show
  sleep 0.2
  if grep -q 'publishDiagnostics' "$LOG" 2>/dev/null && $T capture-pane -p -t hx | grep -q '●'; then
    status=0
    break
  fi
done
$T send-keys -t hx Space d
sleep 1
echo "== picker"
$T capture-pane -p -t hx
echo "== log"
grep -o '"method":"[a-zA-Z/$]*"' "$LOG" | sort | uniq -c
$T send-keys -t hx Escape
$T send-keys -t hx ':q!' Enter
sleep 0.5
$T kill-server 2>/dev/null   # this test's own tmux server only (its own socket)
rm -f "$LOG"
exit $status
