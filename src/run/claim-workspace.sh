# Claims refstack-client's Tempest workspace for one refstack-action run (POSIX sh, run as `sh -c`).
# $1 = the Tempest workspace, $2 = this run's directory (created here).
# Every run in a workspace writes its results to <workspace>/.stestr/N, so runs go one at a time per
# workspace, whichever workdir they use. The claim file names the run that holds it; it is taken over once
# that run has ended. Prints "claimed", or "busy <dir of the holding run>".
f="$1/.refstack-action-run"
if [ -f "$f" ]; then
  # One line: it is printed in the log, mid-line.
  o=$(head -n 1 "$f")
  p=$(cat "$o/pid" 2>/dev/null)
  # Busy: the holder has no exit status and its process group is alive, or it has not started yet (no pid)
  # and was claimed less than 10 minutes ago (it cleans the test accounts before it starts).
  if [ ! -f "$o/exit-status" ]; then
    if [ -n "$p" ] && kill -0 -"$p" 2>/dev/null; then
      echo "busy $o"
      exit 0
    fi
    if [ -z "$p" ] && [ -n "$(find "$o" -maxdepth 0 -mmin -10 2>/dev/null)" ]; then
      echo "busy $o"
      exit 0
    fi
  fi
fi
mkdir -p "$1" "$2" && echo "$2" > "$f.$$" && mv "$f.$$" "$f" && echo claimed
