#!/bin/bash
# Builds the rig's openstack-ansible-style utility container once per machine: an LXC container
# refstack-action-osa-utility, a full copy of the Debian base the LXC tests use (refstack-action-test-base,
# see __tests__/target/lxc-fixture.ts), made the way os_tempest and openstack_openrc make a utility container:
#   - Tempest in the venv /openstack/venvs/tempest-<OSA release> (from Debian's python3-tempest: a venv with
#     --system-site-packages, with the tempest and stestr commands pip would write into its bin);
#   - a tiny Tempest plugin (./plugin, entry point tempest.test_plugins) installed ONLY in that venv;
#   - /etc/tempest/tempest.conf rendered from os_tempest's templates/tempest.conf.j2 (dynamic credentials, as
#     os_tempest's default), /root/workspace from `tempest init --name workspace`, logs in /var/log/utility;
#   - /root/openrc rendered from openstack_openrc's templates/openrc.j2 (the cloud's admin, mode 0600);
#   - no refstack-client.
# The container reaches the Debian mirror only through the HTTP proxy given as $1: apt gets it as http_proxy,
# and the mirror's host names resolve to 127.0.0.9 (where nothing listens) inside the container.
# Rebuilt when this folder changes (a stamp of its files). Prints the build time and, last,
# OSA_UTILITY_BASE=<name>. Needs root, LXC and the dev cloud (scripts/dev-cloud/up.sh).
#
#   build.sh http://127.0.0.1:PORT
set -euo pipefail
PROXY=$1
HERE=$(cd "$(dirname "$0")" && pwd)
BASE=refstack-action-test-base
NAME=refstack-action-osa-utility
OSA_RELEASE=31.1.0
VENV=/openstack/venvs/tempest-$OSA_RELEASE
STATE=${DEV_CLOUD_DIR:-/var/lib/refstack-dev-cloud}
LXC=/var/lib/lxc
stamp=$(cd "$HERE" && find . -type f ! -name '*.pyc' ! -name README.md | sort | xargs cat | sha256sum | cut -c1-16)
built() { [ "$(cat "$LXC/$NAME/rig-stamp" 2>/dev/null)" = "$stamp" ]; }
if built; then
  echo "OSA_UTILITY_BASE=$NAME"
  exit 0
fi
exec 9>"/run/lock/$NAME.lock"
flock 9
if built; then
  echo "OSA_UTILITY_BASE=$NAME"
  exit 0
fi
# The base is built under this lock (__tests__/target/lxc-fixture.ts ensureBase): wait for a build under way.
flock "/run/lock/$BASE.lock" true
if [ ! -f "$LXC/$BASE/config" ] || [ -e "$LXC/$BASE/partial" ]; then
  echo "the Debian LXC base $BASE is missing or unfinished (the LXC tests build it)" >&2
  exit 1
fi
started=$(date +%s)
lxc-stop -k -n "$NAME" >/dev/null 2>&1 || true
lxc-destroy -n "$NAME" >/dev/null 2>&1 || true
lxc-copy -n "$BASE" -N "$NAME"
sed -i 's/^lxc\.net\.0\.type = .*/lxc.net.0.type = none/' "$LXC/$NAME/config"
rootfs=$LXC/$NAME/rootfs
for unit in networking.service ssh.service; do ln -sf /dev/null "$rootfs/etc/systemd/system/$unit"; done
# The mirror only through the proxy: its host names lead nowhere inside the container.
for host in $(grep -rhoE 'https?://[^/ ]+' "$rootfs/etc/apt/sources.list" "$rootfs/etc/apt/sources.list.d" 2>/dev/null |
  sed -E 's#https?://##' | sort -u); do
  echo "127.0.0.9 $host" >>"$rootfs/etc/hosts"
done

# The cloud's admin and Keystone, as openstack-ansible's inventory would give them.
# shellcheck disable=SC1091
. "$STATE/admin-openrc.sh"
keystone=${OS_AUTH_URL%/v3}
tempest_vars=$(/usr/bin/python3 - "$keystone" "$VENV" <<'PY'
import json, os, sys
keystone, venv = sys.argv[1], sys.argv[2]
services = ["aodh", "blazar", "ceilometer", "cinder", "freezer", "glance", "gnocchi", "heat", "horizon", "ironic",
            "magnum", "manila", "neutron", "nova", "octavia", "swift", "trove", "zun"]
v = {"tempest_service_available_%s" % s: s == "swift" for s in services}
v.update({
    "ansible_managed": "Ansible managed (rendered by refstack-action's rig, scripts/dev-cloud/osa-utility/build.sh)",
    "debug": False,
    "tempest_log_dir": "/var/log/utility",  # openstack-ansible's group_vars for utility_all
    "tempest_test_accounts": "",  # os_tempest's default: dynamic credentials
    "tempest_test_accounts_file_path": "/root/workspace/etc/tempest_accounts.yaml",
    "tempest_domain_name": "Default",
    "keystone_admin_user_name": os.environ["OS_USERNAME"],
    "keystone_admin_tenant_name": os.environ["OS_PROJECT_NAME"],
    "keystone_auth_admin_password": os.environ["OS_PASSWORD"],
    "tempest_create_isolated_networks": True,
    "tempest_compute_run_ssh": True,
    "tempest_compute_image_ssh_user": "cirros",
    "tempest_venv_bin": venv + "/bin",
    "tempest_image_dir": "/root/tempest-images",
    "tempest_images": [{"url": "https://download.cirros-cloud.net/0.6.3/cirros-0.6.3-x86_64-disk.img",
                        "format": "qcow2"}],
    "tempest_keystone_interface_insecure": False,
    "keystone_service_internalurl": keystone + "/v3",
    "tempest_endpoint_type": "internal",
})
# tempest_tempest_conf_overrides: this cloud's Swift lets 'member' operate accounts (os_swift's default
# role is swiftoperator, which this loopback Keystone does not have).
print(json.dumps({"vars": v, "overrides": {"object-storage": {"operator_role": "member"}}}))
PY
)
openrc_vars=$(/usr/bin/python3 - "$keystone" <<'PY'
import json, os, sys
print(json.dumps({"vars": {
    "ansible_managed": "Ansible managed (rendered by refstack-action's rig, scripts/dev-cloud/osa-utility/build.sh)",
    "openrc_locale": "C.UTF-8",
    "openrc_cinder_endpoint_type": "internalURL", "openrc_nova_endpoint_type": "internalURL",
    "openrc_manila_endpoint_type": "internalURL", "openrc_os_endpoint_type": "internalURL",
    "openrc_os_username": os.environ["OS_USERNAME"], "openrc_os_password": os.environ["OS_PASSWORD"],
    "openrc_os_tenant_name": os.environ["OS_PROJECT_NAME"], "openrc_os_auth_type": "password",
    "openrc_os_auth_url": sys.argv[1], "openrc_os_domain_name": "Default", "openrc_region_name": "RegionOne",
    "openrc_insecure": False, "ansible_facts": {"os_family": "Debian"},
}}))
PY
)

mkdir -p "$rootfs/etc/tempest" "$rootfs/var/log/utility" "$rootfs/root/tempest-images"
echo "$tempest_vars" | /usr/bin/python3 "$HERE/render.py" "$HERE/tempest.conf.j2" >"$rootfs/etc/tempest/tempest.conf"
echo "$openrc_vars" | /usr/bin/python3 "$HERE/render.py" "$HERE/openrc.j2" >"$rootfs/root/openrc"
chmod 600 "$rootfs/root/openrc" "$rootfs/etc/tempest/tempest.conf"

lxc-start -n "$NAME" -d
lxc-wait -n "$NAME" -s RUNNING -t 30
inside() {
  lxc-attach -n "$NAME" --clear-env -v HOME=/root -v PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    -v "http_proxy=$PROXY" -v DEBIAN_FRONTEND=noninteractive -- "$@"
}
for _ in $(seq 1 50); do inside true 2>/dev/null && break; sleep 0.2; done
inside timeout 60 systemctl is-system-running --wait >/dev/null 2>&1 || true
# The base's package lists (from its debootstrap) serve; the Debian template's security line does not update.
inside timeout 1200 apt-get -q -o DPkg::Lock::Timeout=120 install -y --no-install-recommends python3-tempest python3-venv
inside python3 -m venv --system-site-packages --without-pip "$VENV"
pyver=$(inside "$VENV/bin/python3" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
site="$VENV/lib/python$pyver/site-packages"
# The console scripts pip writes for tempest and stestr, with the venv's Python.
for command in "tempest tempest.cmd.main" "stestr stestr.cli"; do
  set -- $command
  printf '#!%s/bin/python3\n# -*- coding: utf-8 -*-\nimport sys\nfrom %s import main\nif __name__ == "__main__":\n    sys.exit(main())\n' \
    "$VENV" "$2" | inside sh -c 'cat > "$1" && chmod 755 "$1"' sh "$VENV/bin/$1"
done
# The plugin, as pip would install it: the package and its dist-info (entry point) in the venv only.
(cd "$HERE/plugin" && tar -c --exclude='*.pyc' --exclude=__pycache__ .) | inside tar -x -C "$site" --no-same-owner
# lock_path of the template: {{ tempest_venv_bin | dirname }}/locks
inside mkdir -p "$VENV/locks"
inside sh -c 'cd /root && "$1" init --name workspace /root/workspace' sh "$VENV/bin/tempest" >/dev/null
inside apt-get clean
lxc-stop -n "$NAME" -t 30 || lxc-stop -k -n "$NAME"
echo "$stamp" >"$LXC/$NAME/rig-stamp"
echo "built the openstack-ansible-style utility container $NAME in $(($(date +%s) - started)) s"
echo "OSA_UTILITY_BASE=$NAME"
