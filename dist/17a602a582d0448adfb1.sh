# Finds this run's subunit stream (POSIX sh, run as `sh -c`).
# $1 = the stream refstack-client names, $2 = the Tempest workspace, $3 = a file written just before the run
# started. Prints "stream <path>" for the named stream when it was written after $3, "old <path>" for a named
# stream older than the run, else (a run stopped before stestr renamed its stream) "partial <path>" for
# stestr's temporary stream (`tempfile.mkstemp` in .stestr: tmp*) written after $3; nothing when none.
if [ -f "$1" ]; then
  if [ -n "$(find "$1" -newer "$3" 2>/dev/null)" ]; then echo "stream $1"; else echo "old $1"; fi
  exit 0
fi
t=$(find "$2/.stestr" -maxdepth 1 -type f -name "tmp*" -newer "$3" 2>/dev/null | head -n 1)
[ -n "$t" ] && echo "partial $t"
true
