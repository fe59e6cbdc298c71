# What refstack-client will take as this run's stream number: stestr's next-stream (POSIX sh, run as `sh -c`).
# $1 = the Tempest workspace. Prints "fresh" (no repository yet: stestr init makes it 0), "next <content>" with
# "exists" after it when that stream is there already, or "missing <a stream>" when the repository has streams
# but no next-stream.
d="$1/.stestr"
[ -e "$d" ] || { echo fresh; exit 0; }
if [ ! -f "$d/next-stream" ]; then echo "missing $(ls "$d" | grep -E '^[0-9]+$' | head -n 1)"; exit 0; fi
n=$(head -c 64 "$d/next-stream" | head -n 1)
echo "next $n"
case "$n" in *[!0-9]*|"") ;; *) [ -e "$d/$n" ] && echo exists ;; esac
true
