# Ends a claim of claim.sh (POSIX sh, run as `sh -c`). $1 = the claim dir.
# The keepers stop what still runs of the claim's run, then end; this waits for them (up to 60 s), then prints
# the attempts they stopped, one a line.
: > "$1/release"
i=0
while [ $i -lt 600 ]; do
  busy=
  for h in "$1"/held-*; do [ -f "$h" ] && [ ! -f "$1/busy-${h##*/held-}" ] && busy=1; done
  [ -z "$busy" ] && break
  sleep 0.1; i=$((i + 1))
done
sort -u "$1/stopped" 2>/dev/null; true
