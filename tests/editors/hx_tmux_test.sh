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
shows() { $T capture-pane -p -t hx | sed 's/ *$//' | grep -q "$1"; }
published() { grep -q 'publishDiagnostics' "$LOG" 2>/dev/null && shows '●'; }
saved() { ! cmp -s "$FILE" "$ORIGINAL"; }
screen() { echo "== $1"; $T capture-pane -p -t hx; }
# Sends keys, then waits for the screen to change and settle.
keys() {
  local before
  before=$($T capture-pane -p -t hx)
  $T send-keys -t hx "$@"
  until_true eval '[ "$($T capture-pane -p -t hx)" != "$before" ]'
  sleep 0.3
}

status=0
if until_true published; then
  keys Space d
  until_true shows 'severity code message'
  screen picker
  keys Escape   # (and a pause, so that Escape and `:` are not read as Alt-:)
  $T send-keys -t hx ":$LINE" Enter
  keys g s
  # The cursor line's diagnostic shows once Helix is idle; it ends with its code.
  until_true shows '([A-Z][0-9][0-9][0-9])$'
  screen cursor
  keys Space a
  screen actions
  keys Enter
  $T send-keys -t hx ':w' Enter
  until_true saved || { echo "== failure: the file was not saved"; status=1; }
  until_true shows '● 1 ' || { echo "== failure: the diagnostics were not updated"; status=1; }
  keys Space d
  until_true shows 'severity code message'
  screen 'picker after the fix'
  keys Escape
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
