# What is on the target, in one round trip (POSIX sh, run as `sh -c`): everything provisioning decides on.
# $1 = the workdir, $2 = Debian's Tempest workspace. Prints key=value lines (empty value: absent).
echo "path=$(command -v refstack-client 2>/dev/null)"
echo "git=$([ -x "$1/refstack-client/.venv/bin/refstack-client" ] && echo "$1/refstack-client/.venv/bin/refstack-client")"
echo "gitcommit=$(git -C "$1/refstack-client" rev-parse HEAD 2>/dev/null)"
echo "debian-workspace=$([ -f "$2/.stestr.conf" ] && echo yes)"
echo "dpkg=$(dpkg-query -W -f='${Version}' refstack-client 2>/dev/null)"
echo "apt=$(command -v apt-get 2>/dev/null)"
echo "marker=$(head -1 "$1/provisioned" 2>/dev/null)"
