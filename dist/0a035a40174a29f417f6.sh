# What a Tempest installation is (POSIX sh, run as `sh -c`). $1 = its tempest executable, $2… = workspace
# candidates in order. Prints python= (from the executable's #! line), version= (the tempest distribution's,
# as that Python sees it) and workspace= (the first candidate with a .stestr.conf; empty: none).
py=$(head -n 1 "$1" | sed -n 's/^#![[:space:]]*\([^[:space:]]*\).*/\1/p')
case "$py" in
*/env) py=$(command -v "$(head -n 1 "$1" | awk '{print $2}')") ;;
esac
shift
echo "python=$py"
echo "version=$("$py" -c 'from importlib.metadata import version; print(version("tempest"))' 2>/dev/null)"
for w in "$@"; do
  if [ -f "$w/.stestr.conf" ]; then
    echo "workspace=$w"
    break
  fi
done
