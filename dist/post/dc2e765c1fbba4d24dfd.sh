# Writes stdin to $1 with mode $2 (octal) inside the container: a private temp file next to it, then an
# atomic rename, so readers never see a partial file and a secret never sits in a wider-mode file.
set -e
umask 077
mkdir -p -- "$(dirname -- "$1")"
tmp=$(mktemp "$1.tmp-XXXXXX")
trap 'rm -f -- "$tmp"' EXIT
cat > "$tmp"
chmod "$2" "$tmp"
mv -f -- "$tmp" "$1"
trap - EXIT
