#!/bin/bash
# Helix 25.01 in tmux with the shipped editors/helix/languages.toml: opens FILE, waits for the
# server's diagnostics (in Helix's log and in the gutter), prints the diagnostics picker, puts
# the cursor at the start of line LINE (where the finding on `stop` is) and prints the screen
# (Helix shows that line's diagnostic) and the code-action menu, picks the first action, saves
# the file, waits until the server's diagnostics drop to one and prints the picker again, for
# the Rust test to check. Needs HX (the wrapper setup.sh writes) and XDG_CONFIG_HOME holding
# helix/languages.toml; `claude-preflight` must be on PATH.
#   hx_tmux_test.sh FILE LINE
set -u
FILE=$1
LINE=$2
SOCKET=claude-preflight-hx-$$
LOG=$(mktemp)
ORIGINAL=$(mktemp)
cp "$FILE" "$ORIGINAL"
T="tmux -L $SOCKET"
# Wide enough for the picker to show whole messages.
$T new-session -d -s hx -x 400 -y 30 "${HX:?set HX to the hx wrapper} -v --log $LOG $FILE"

# Polls (every 0.2 s, up to 20 s) until the command succeeds.
until_true() {
  for _ in $(seq 1 100); do
    if "$@"; then return 0; fi
    sleep 0.2
  done
  return 1
}
published() { grep -q 'publishDiagnostics' "$LOG" 2>/dev/null && $T capture-pane -p -t hx | grep -q '●'; }
saved() { ! cmp -s "$FILE" "$ORIGINAL"; }
one_left() { $T capture-pane -p -t hx | grep -q '● 1 '; }
screen() { echo "== $1"; $T capture-pane -p -t hx; }

status=0
if until_true published; then
  $T send-keys -t hx Space d
  sleep 1
  screen picker
  $T send-keys -t hx Escape
  sleep 0.3   # so that the terminal does not read Escape and `:` as Alt-:
  $T send-keys -t hx ":$LINE" Enter
  $T send-keys -t hx g s
  sleep 1
  screen cursor
  $T send-keys -t hx Space a
  sleep 1
  screen actions
  $T send-keys -t hx Enter
  sleep 0.5
  $T send-keys -t hx ':w' Enter
  until_true saved || { echo "== failure: the file was not saved"; status=1; }
  until_true one_left || { echo "== failure: the diagnostics were not updated"; status=1; }
  $T send-keys -t hx Space d
  sleep 1
  screen 'picker after the fix'
  $T send-keys -t hx Escape
  sleep 0.3
else
  screen 'failure: no diagnostics'
  status=1
fi
echo "== log"
grep -o '"method":"[a-zA-Z/$]*"' "$LOG" | sort | uniq -c
$T send-keys -t hx ':q!' Enter
sleep 0.5
$T kill-server 2>/dev/null   # this test's own tmux server only (its own socket)
rm -f "$LOG" "$ORIGINAL"
exit $status
