# Takes one lock of a refstack-action run on the target (POSIX sh with util-linux flock, run as `sh -c`).
# $1 = lock file, $2 = the run's claim directory (created here), $3 = the lock's name (workdir, workspace,
# accounts), $4 = seconds until the run's deadline, $5 = keeper.sh's text.
# flock(2) makes the claim atomic: of any number of runs started at once exactly one holds the lock, and the
# kernel frees it when its keeper ends (released, deadline, killed, or the host restarted): no pid is read.
# Prints "claimed", or "busy <holder's claim directory> since <UTC time>" (or "busy unknown" while a new
# holder has not written its name yet).
command -v flock > /dev/null 2>&1 || { echo "noflock"; exit 0; }
mkdir -p "$2" "${1%/*}" || exit 2
rm -f "$2/held-$3" "$2/busy-$3"
# The keeper runs in its own session, holding the lock (flock -n fails at once when another run holds it).
setsid sh -c 'flock -n -E 75 "$1" sh -c "$5" keeper "$2" "$3" "$4" "$1"; echo $? > "$2/busy-$3"' \
  sh "$1" "$2" "$3" "$4" "$5" > /dev/null 2>&1 < /dev/null &
i=0
while [ ! -f "$2/held-$3" ] && [ ! -f "$2/busy-$3" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
if [ -f "$2/held-$3" ]; then
  echo claimed
elif [ "$(cat "$2/busy-$3")" = 75 ]; then
  o=$(head -n 1 "$1.owner" 2> /dev/null)
  echo "busy ${o:-unknown}"
else
  echo "failed: flock ended with status $(cat "$2/busy-$3" 2> /dev/null || echo unknown)"
fi
