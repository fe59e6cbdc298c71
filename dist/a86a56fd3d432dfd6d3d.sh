# What is on the target, in one round trip (POSIX sh, run as `sh -c`): everything provisioning decides on.
# $1 = the workdir, $2 = Debian's Tempest workspace, $3 = the tempest-path input (may be empty).
# Prints key=value lines (empty value: absent); osa-tempest may repeat.
echo "path=$(command -v refstack-client 2>/dev/null)"
echo "git=$([ -x "$1/refstack-client/.venv/bin/refstack-client" ] && echo "$1/refstack-client/.venv/bin/refstack-client")"
echo "gitcommit=$(git -C "$1/refstack-client" rev-parse HEAD 2>/dev/null)"
echo "debian-workspace=$([ -f "$2/.stestr.conf" ] && echo yes)"
echo "dpkg=$(dpkg-query -W -f='${Version}' refstack-client 2>/dev/null)"
echo "apt=$(command -v apt-get 2>/dev/null)"
echo "marker=$(head -1 "$1/provisioned" 2>/dev/null)"
# The operator's Tempest: the one named by tempest-path, openstack-ansible's venvs, the runbook's
# refstack-client checkout (with its own .tempest), a tempest on PATH.
given=
if [ -n "$3" ]; then
  for t in "$3/bin/tempest" "$3/tempest" "$3"; do
    if [ -f "$t" ] && [ -x "$t" ]; then given=$t; break; fi
  done
fi
echo "given-tempest=$given"
for t in /openstack/venvs/tempest-*/bin/tempest; do
  [ -f "$t" ] && [ -x "$t" ] && echo "osa-tempest=$t"
done
r="${HOME:-/root}/refstack-client"
echo "runbook=$([ -x "$r/.venv/bin/refstack-client" ] && [ -f "$r/.tempest/.stestr.conf" ] && echo "$r")"
echo "path-tempest=$(command -v tempest 2>/dev/null)"
