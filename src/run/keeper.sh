# Holds one lock of a refstack-action run (started by claim.sh under flock, which holds the lock for it).
# $1 = the run's claim directory, $2 = the lock's name, $3 = seconds until the run's deadline, $4 = lock file.
# It ends when the run releases its claim ($1/release) or at the deadline; either way it first stops every
# attempt of the run still running ($1/*/pid of a detached run without exit-status, whose leader's arguments
# name its directory: a pid the system reused is never signalled), so a runner that died leaves nothing that
# holds the lock or runs Tempest past the deadline.
end=$(($(date +%s) + $3))
printf '%s since %s\n' "$1" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$4.owner"
: > "$1/held-$2"
while [ ! -f "$1/release" ] && [ "$(date +%s)" -lt "$end" ]; do sleep 1; done
[ -f "$1/release" ] || : > "$1/deadline-reached"
# Prints "<process group> <directory>" of each attempt of the run still running.
running() {
  for f in "$1"/*/pid; do
    [ -f "$f" ] || continue
    d=${f%/pid}
    p=$(cat "$f" 2> /dev/null)
    [ -n "$p" ] && [ ! -f "$d/exit-status" ] && kill -0 "$p" 2> /dev/null || continue
    if [ -r "/proc/$p/cmdline" ]; then
      tr '\000' '\n' < "/proc/$p/cmdline" | grep -qxF -- "$d" || continue
    else
      ps -o args= -p "$p" 2> /dev/null | grep -qF -- "$d" || continue
    fi
    echo "$p $d"
  done
}
# SIGINT first: stestr then ends its run as an interrupted one, its stream written. Then TERM, then KILL.
for signal in INT TERM KILL; do
  attempts=$(running "$1")
  [ -n "$attempts" ] || break
  echo "$attempts" | while read -r p d; do
    kill -"$signal" -"$p" 2> /dev/null
    # A stopped process (SIGSTOP, a debugger) handles the signal only once it runs.
    kill -CONT -"$p" 2> /dev/null
    [ "$signal" = INT ] && echo "$d" >> "$1/stopped"
  done
  i=0
  while [ $i -lt 10 ] && [ -n "$(running "$1")" ]; do sleep 1; i=$((i + 1)); done
done
rm -f "$4.owner"
