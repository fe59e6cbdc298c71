#!/bin/bash
# up.sh — stand up a REAL single-machine OpenStack cloud (Keystone v3 + Swift all-in-one) on
# loopback, from Debian 12 packages, plus the Tempest / refstack-client configuration for the
# interop "object" (OpenStack Powered Storage) program. Used by the demo and the end-to-end tests.
#
#   up.sh [--with-ssh] [--with-lxc] [--compute] [--install-only]
#
#   --with-ssh      also start a private key-only sshd on 127.0.0.1:$SSH_PORT (see ssh-up.sh)
#   --with-lxc      also install LXC and debootstrap (the container target tests build a Debian container)
#   --compute       also start the compute side (Nova, Placement, Glance, Neutron, Cinder; see
#                   compute-up.sh) and write the "platform" tempest.conf
#   --install-only  install the Debian packages and exit (the test set-up runs it before every test run)
#
# Environment (all optional):
#   DEV_CLOUD_DIR    state dir (config, sqlite DB, rings, object data, logs, pidfiles, credentials)
#                    default /var/lib/refstack-dev-cloud
#   KEYSTONE_PORT (5000) MEMCACHED_PORT (11211) SWIFT_PROXY_PORT (8080) SWIFT_OBJECT_PORT (6200)
#   SWIFT_CONTAINER_PORT (6201) SWIFT_ACCOUNT_PORT (6202) SSH_PORT (2222)
#   (changing a Swift backend port after the first run needs `down.sh --purge`: it is in the rings)
#
# Root only, Debian 12 only, no systemd needed. Everything binds 127.0.0.1. Services are plain
# background processes with pidfiles in $DEV_CLOUD_DIR/run; stop them with down.sh.
# Idempotent: a re-run only (re)starts what is not running (or whose config changed), re-asserts
# the Keystone resources, empties the Tempest accounts and re-writes the config files (~10 s).
#
# Output: human-readable progress and summary; the LAST line is always `TEMPEST_CONF=<path>`.
# Machine-readable: $DEV_CLOUD_DIR/env (KEY=VALUE lines, see README.md).
set -eEuo pipefail

# The OpenStack libraries come from Debian (python3-*), so only /usr/bin/python3 can import them:
# a pyenv/virtualenv `python3` shim earlier in PATH must never win.
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
PY=/usr/bin/python3

WITH_SSH=0
WITH_LXC=0
WITH_COMPUTE=0
INSTALL_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --with-ssh) WITH_SSH=1 ;;
    --with-lxc) WITH_LXC=1 ;;
    --compute) WITH_COMPUTE=1 ;;
    --install-only) INSTALL_ONLY=1 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "up.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done
if [ "$(id -u)" != 0 ]; then echo "up.sh: must run as root" >&2; exit 1; fi

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${DEV_CLOUD_DIR:-/var/lib/refstack-dev-cloud}"
case "$STATE" in /*) ;; *) STATE="$PWD/$STATE" ;; esac
HOST=127.0.0.1
KEYSTONE_PORT="${KEYSTONE_PORT:-5000}"
MEMCACHED_PORT="${MEMCACHED_PORT:-11211}"
PROXY_PORT="${SWIFT_PROXY_PORT:-8080}"
OBJECT_PORT="${SWIFT_OBJECT_PORT:-6200}"
CONTAINER_PORT="${SWIFT_CONTAINER_PORT:-6201}"
ACCOUNT_PORT="${SWIFT_ACCOUNT_PORT:-6202}"
KEYSTONE_URL="http://$HOST:$KEYSTONE_PORT/v3"
SWIFT_URL="http://$HOST:$PROXY_PORT"
ETC="$STATE/etc"
LOG="$STATE/log"
RUN="$STATE/run"
T0=$(date +%s)

log() { echo "[up +$(( $(date +%s) - T0 ))s] $*"; }
trap 'echo "up.sh: FAILED (line $LINENO); logs are in $LOG/" >&2' ERR

# =============================================================================================
# 1. Debian packages
# =============================================================================================
# uwsgi-core + uwsgi-plugin-python3 is the part of "uwsgi" we need (the `uwsgi` metapackage only
# adds the distro's init-script/emperor setup, which we do not use).
PACKAGES=(keystone uwsgi-core uwsgi-plugin-python3 memcached python3-pymemcache
          python3-keystonemiddleware python3-keystoneclient python3-swiftclient python3-openstackclient
          swift swift-proxy swift-account swift-container swift-object
          refstack-client tempest python3-tempest python3-stestr python3-subunit subunit
          python3-pytest curl sqlite3)
[ "$WITH_SSH" = 1 ] && PACKAGES+=(openssh-server openssh-client)
# lxc's postinst would start lxc-net (a bridge): the policy-rc.d guard below forbids that too.
[ "$WITH_LXC" = 1 ] && PACKAGES+=(lxc lxc-templates debootstrap)

POLICY_RC_CREATED=0
cleanup_policy_rc() {
  if [ "$POLICY_RC_CREATED" = 1 ]; then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=0; fi
}
apt_install() {
  apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"
}
install_packages() {
  local p missing=()
  for p in "${PACKAGES[@]}"; do
    # shellcheck disable=SC2016  # ${db:Status-Status} is a dpkg-query format, not a shell expansion
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
  done
  if [ "${#missing[@]}" = 0 ]; then
    log "packages: all ${#PACKAGES[@]} installed"
    return 0
  fi
  log "packages: installing ${missing[*]}"
  # The postinst scripts of keystone/swift-*/openssh-server would start the distro services with
  # their default configuration (0.0.0.0, port 22/5000/8080...). A policy-rc.d that answers 101
  # ("action forbidden") stops invoke-rc.d from starting anything. Only ours if none exists.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# temporary, from refstack-action scripts/dev-cloud/up.sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=1
    trap cleanup_policy_rc EXIT
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Fresh container images ship without package lists.
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    log "packages: no apt lists yet, running apt-get update"
    apt-get update -q -o DPkg::Lock::Timeout=600
  fi
  if ! apt_install "${missing[@]}"; then
    # Most often stale lists (404 on a superseded .deb): refresh once and retry.
    log "packages: apt-get install failed; apt-get update and one retry"
    apt-get update -q -o DPkg::Lock::Timeout=600
    apt_install "${missing[@]}"
  fi
  cleanup_policy_rc
  log "packages: installed"
}
install_packages
if [ "$WITH_COMPUTE" = 1 ] && [ "$INSTALL_ONLY" = 1 ]; then "$HERE/compute-up.sh" --install-only; fi
if [ "$INSTALL_ONLY" = 1 ]; then
  log "--install-only: done"
  exit 0
fi

mkdir -p "$STATE"
chmod 700 "$STATE"   # credentials, keys and tokens live here
mkdir -p "$ETC/keystone" "$ETC/swift" "$LOG" "$RUN" "$STATE/keystone" "$STATE/srv/node/d1" \
         "$STATE/tempest/etc" "$STATE/tempest/lock"

# =============================================================================================
# 2. Generated secrets (once per state dir)
# =============================================================================================
CREDS="$STATE/credentials.env"
if [ ! -s "$CREDS" ]; then
  gen() { head -c 24 /dev/urandom | base64 | tr -d '/+=\n'; }
  ( umask 077
    cat > "$CREDS.new" <<EOF
ADMIN_PASSWORD=$(gen)
SWIFT_SERVICE_PASSWORD=$(gen)
TEMPEST_USERS_PASSWORD=$(gen)
SWIFT_HASH_PATH_SUFFIX=$(gen)
EOF
    mv "$CREDS.new" "$CREDS" )
fi
# shellcheck disable=SC1090
. "$CREDS"

# =============================================================================================
# helpers
# =============================================================================================
# A pidfile only counts if its process is alive AND its command line mentions our state dir:
# a stale pidfile whose pid was reused by an unrelated process must never be mistaken for (or
# later killed as) one of our services.
our_pid() {  # pidfile -> prints pid, status 0 if it is one of ours
  local pid
  [ -s "$1" ] || return 1
  pid=$(cat "$1")
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF "$STATE/" || return 1
  echo "$pid"
}
stop_pidfile() {  # pidfile: TERM, wait up to 15 s, then KILL
  local pid _
  if pid=$(our_pid "$1"); then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$1"
}
port_busy() {  # port: something accepts connections on 127.0.0.1:port (also true for 0.0.0.0 listeners)
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}
wait_http() {  # url seconds [pidfile]: any HTTP answer counts; fail fast if the process died
  local url=$1 n=$2 pidf=${3:-} _
  for _ in $(seq 1 $((n * 4))); do
    curl -s -o /dev/null --max-time 3 "$url" && return 0
    if [ -n "$pidf" ] && ! our_pid "$pidf" >/dev/null; then
      echo "up.sh: process of $pidf died while waiting for $url" >&2
      return 1
    fi
    sleep 0.25
  done
  echo "up.sh: timeout waiting for $url" >&2
  return 1
}
# A daemon must not inherit our open descriptors: a caller's `flock LOCKFILE up.sh` lock would otherwise
# stay held for as long as the daemon runs.
close_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ]; then exec {fd}>&-; fi
  done
  return 0
}
write_if_changed() {  # dest (content on stdin, mode 600) -> status 0 if dest changed
  local dest=$1
  ( umask 077; cat > "$dest.new" )
  if cmp -s "$dest.new" "$dest"; then rm -f "$dest.new"; return 1; fi
  mv "$dest.new" "$dest"
}

# =============================================================================================
# 3. Keystone v3: sqlite (WAL), fernet tokens, uwsgi on 127.0.0.1:$KEYSTONE_PORT
# =============================================================================================
KCONF="$ETC/keystone/keystone.conf"
KEYSTONE_CONF_CHANGED=0
write_if_changed "$KCONF" <<EOF && KEYSTONE_CONF_CHANGED=1
# generated by scripts/dev-cloud/up.sh — rewritten on every run
[DEFAULT]
log_dir = $LOG
log_file = keystone.log
debug = false
[database]
connection = sqlite:///$STATE/keystone/keystone.db
[identity]
# bcrypt's minimum cost: the default (12) costs ~0.3 s of CPU per user creation and per password
# authentication on this 2-core box; Tempest and clean-accounts authenticate a lot. Test cloud only.
password_hash_rounds = 4
[token]
provider = fernet
# long enough for the slowest full refstack run; no token refresh surprises mid-run
expiration = 14400
[fernet_tokens]
key_repository = $ETC/keystone/fernet-keys/
[fernet_receipts]
key_repository = $ETC/keystone/fernet-keys/
[credential]
key_repository = $ETC/keystone/credential-keys/
# Keystone's cache in a memcached shared by both uwsgi workers (as devstack runs it). Without it every
# token validation rebuilds the token from sqlite and checks it against every revocation event: Tempest's
# dynamic credentials and clean-ups add hundreds, and validations reached 0.8 s idle and 2.7 s under a
# parallel run, the two workers using most of this 2-core box. Shared, so a revocation one worker records
# invalidates what the other cached.
[cache]
enabled = true
backend = dogpile.cache.pymemcache
memcache_servers = $HOST:$MEMCACHED_PORT
[oslo_policy]
enforce_scope = false
enforce_new_defaults = false
EOF

# keystone-manage prints harmless eventlet "Exception ignored in: _removeHandlerRef" tracebacks at
# exit: keep its chatter in a log file and only show it when it fails.
km() {
  if ! keystone-manage --config-file "$KCONF" "$@" >> "$LOG/keystone-manage.log" 2>&1; then
    tail -40 "$LOG/keystone-manage.log" >&2
    echo "up.sh: keystone-manage $1 failed (full log: $LOG/keystone-manage.log)" >&2
    return 1
  fi
}
if [ ! -f "$STATE/keystone/.bootstrapped" ]; then
  log "keystone: db_sync, keys, bootstrap"
  km db_sync
  # WAL journal: with the default rollback journal, readers holding pooled connections make
  # writes fail with "database is locked" (HTTP 500 on POST /v3/roles ...).
  sqlite3 "$STATE/keystone/keystone.db" 'PRAGMA journal_mode=WAL;' >/dev/null
  [ -e "$ETC/keystone/fernet-keys/0" ] || km fernet_setup --keystone-user root --keystone-group root
  [ -e "$ETC/keystone/credential-keys/0" ] || km credential_setup --keystone-user root --keystone-group root
  km bootstrap --bootstrap-password "$ADMIN_PASSWORD" \
    --bootstrap-username admin --bootstrap-project-name admin --bootstrap-role-name admin \
    --bootstrap-service-name keystone --bootstrap-region-id RegionOne \
    --bootstrap-admin-url "$KEYSTONE_URL" --bootstrap-public-url "$KEYSTONE_URL" \
    --bootstrap-internal-url "$KEYSTONE_URL"
  touch "$STATE/keystone/.bootstrapped"
fi

# memcached for Keystone's cache (and the services' token caches): loopback only, 64 MB, its pidfile in $RUN.
if pid=$(our_pid "$RUN/memcached.pid"); then
  log "memcached: running (pid $pid)"
else
  if port_busy "$MEMCACHED_PORT"; then
    echo "up.sh: port $MEMCACHED_PORT is taken by a process that is not our memcached" >&2; exit 1
  fi
  log "memcached: starting on $HOST:$MEMCACHED_PORT"
  rm -f "$RUN/memcached.pid"
  ( close_inherited_fds; exec memcached -d -u root -l "$HOST" -p "$MEMCACHED_PORT" -U 0 -m 64 \
      -P "$RUN/memcached.pid" >> "$LOG/memcached.log" 2>&1 )
  for _ in $(seq 1 40); do port_busy "$MEMCACHED_PORT" && break; sleep 0.25; done
  port_busy "$MEMCACHED_PORT" || { echo "up.sh: memcached did not start; see $LOG/memcached.log" >&2; exit 1; }
fi

if [ "$KEYSTONE_CONF_CHANGED" = 1 ] && our_pid "$RUN/keystone.pid" >/dev/null; then
  log "keystone: config changed, restarting"
  stop_pidfile "$RUN/keystone.pid"
fi
if pid=$(our_pid "$RUN/keystone.pid"); then
  log "keystone: running (pid $pid)"
else
  if port_busy "$KEYSTONE_PORT"; then
    echo "up.sh: port $KEYSTONE_PORT is taken by a process that is not our keystone" >&2; exit 1
  fi
  log "keystone: starting uwsgi on $HOST:$KEYSTONE_PORT"
  rm -f "$RUN/keystone.pid"
  # --lazy-apps: each worker loads keystone itself, so no sqlite connection is shared across fork.
  # --die-on-term: SIGTERM to the master (down.sh) stops everything; --no-orphans: workers exit
  # if the master is SIGKILLed.
  # Connection: close — a plain --http-socket does no keep-alive; say so, so that pooled clients
  # (keystoneauth sessions) do not try to reuse a socket uwsgi has already closed.
  ( close_inherited_fds; exec uwsgi --plugin python3 \
    --http-socket "$HOST:$KEYSTONE_PORT" --wsgi-file /usr/bin/keystone-wsgi-public \
    --master --processes 2 --threads 1 --enable-threads --lazy-apps --die-on-term --no-orphans --need-app \
    --buffer-size 65535 --add-header "Connection: close" \
    --env "OS_KEYSTONE_CONFIG_FILES=$KCONF" \
    --pidfile "$RUN/keystone.pid" --daemonize "$LOG/keystone-uwsgi.log" )
  for _ in $(seq 1 40); do [ -s "$RUN/keystone.pid" ] && break; sleep 0.25; done
fi
wait_http "$KEYSTONE_URL" 60 "$RUN/keystone.pid"
log "keystone: up at $KEYSTONE_URL"

# =============================================================================================
# 4. Keystone resources (find-or-create; one listing per resource type, then create what is
#    missing — each keystone call costs 0.1-0.3 s here)
# =============================================================================================
log "keystone: asserting roles, projects, users, catalog"
KEYSTONE_URL="$KEYSTONE_URL" SWIFT_URL="$SWIFT_URL" ADMIN_PASSWORD="$ADMIN_PASSWORD" \
SWIFT_SERVICE_PASSWORD="$SWIFT_SERVICE_PASSWORD" TEMPEST_USERS_PASSWORD="$TEMPEST_USERS_PASSWORD" \
"$PY" - <<'PYEOF'
import os
from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

env = os.environ
auth = v3.Password(auth_url=env["KEYSTONE_URL"], username="admin", password=env["ADMIN_PASSWORD"],
                   project_name="admin", user_domain_id="default", project_domain_id="default")
ks = client.Client(session=session.Session(auth=auth), interface="public")

roles = {r.name: r for r in ks.roles.list()}
projects = {p.name: p for p in ks.projects.list(domain="default")}
users = {u.name: u for u in ks.users.list(domain="default")}
assignments = {(a.user["id"], a.scope["project"]["id"], a.role["id"])
               for a in ks.role_assignments.list() if hasattr(a, "user") and "project" in a.scope}
created = []

def role(name):
    if name not in roles:
        roles[name] = ks.roles.create(name); created.append("role " + name)
    return roles[name]

def project(name, desc):
    if name not in projects:
        projects[name] = ks.projects.create(name, "default", description=desc)
        created.append("project " + name)
    return projects[name]

def user(name, password, proj):
    # An existing user keeps its password: resetting it would revoke its tokens (the Swift
    # proxy's authtoken would lose its service token until it re-authenticates).
    if name not in users:
        users[name] = ks.users.create(name, domain="default", password=password, default_project=proj)
        created.append("user " + name)
    return users[name]

def grant(r, u, p):
    if (u.id, p.id, r.id) not in assignments:
        ks.roles.grant(r, user=u, project=p)

admin, member = role("admin"), role("member")          # both created by keystone-manage bootstrap
reseller, service_role = role("ResellerAdmin"), role("service")

# the Swift proxy's own identity (keystonemiddleware authtoken validates user tokens with it)
svc = project("service", "service project")
swift_user = user("swift", env["SWIFT_SERVICE_PASSWORD"], svc)
grant(admin, swift_user, svc)
grant(service_role, swift_user, svc)

# Tempest's pre-provisioned accounts (refstack-client does not use dynamic credentials):
# 5 members (serial runs, and `refstack-client test -p` with 2 workers) + 1 ResellerAdmin.
for name, r in (("demo", member), ("alt_demo", member), ("tempest_member3", member),
                ("tempest_member4", member), ("tempest_member5", member),
                ("tempest_reseller", reseller)):
    p = project(name, "refstack-action dev-cloud test project")
    grant(r, user(name, env["TEMPEST_USERS_PASSWORD"], p), p)

services = ks.services.list(type="object-store")
s = services[0] if services else ks.services.create("swift", type="object-store",
                                                      description="Swift object storage")
want = env["SWIFT_URL"] + "/v1/AUTH_%(project_id)s"
eps = {e.interface: e for e in ks.endpoints.list(service=s, region="RegionOne")}
for iface in ("public", "internal", "admin"):
    if iface not in eps:
        ks.endpoints.create(s, want, interface=iface, region="RegionOne")
        created.append("endpoint object-store/" + iface)
    elif eps[iface].url != want:
        ks.endpoints.update(eps[iface], url=want)
        created.append("endpoint object-store/%s (url fixed)" % iface)
print("  keystone resources ok" + (" (created: %s)" % ", ".join(created) if created else ""))
PYEOF

# =============================================================================================
# 5. Swift all-in-one: 1 device, 1 replica; account/container/object servers + proxy with
#    keystonemiddleware authtoken + keystoneauth
# =============================================================================================
SW="$ETC/swift"
# Swift reads its hash prefix/suffix and storage policies from the fixed path /etc/swift/swift.conf
# (not configurable in Swift 2.30). Debian's swift package ships one (prefix/suffix "changeme"),
# which is fine for a throw-away cloud; only write ours when there is none, never overwrite.
if ! grep -qE '^\s*swift_hash_path_(suffix|prefix)\s*=\s*\S' /etc/swift/swift.conf 2>/dev/null; then
  mkdir -p /etc/swift
  cat > /etc/swift/swift.conf <<EOF
# written by refstack-action scripts/dev-cloud/up.sh (there was no swift.conf)
[swift-hash]
swift_hash_path_suffix = $SWIFT_HASH_PATH_SUFFIX
swift_hash_path_prefix = refstack-dev-cloud
[storage-policy:0]
name = Policy-0
default = yes
[swift-constraints]
EOF
fi

declare -A SWIFT_CHANGED=()
backend_conf() {  # name port extra-app-lines
  cat <<EOF
# generated by scripts/dev-cloud/up.sh — rewritten on every run
[DEFAULT]
bind_ip = $HOST
bind_port = $2
# single process: the pidfile's pid is the whole server
workers = 0
user = root
swift_dir = $SW
devices = $STATE/srv/node
# the "device" is a plain directory, not a mount point
mount_check = false
disable_fallocate = true
log_level = INFO

[pipeline:main]
pipeline = healthcheck $1-server

[app:$1-server]
use = egg:swift#$1
$3
[filter:healthcheck]
use = egg:swift#healthcheck
EOF
}
backend_conf account "$ACCOUNT_PORT" "" | write_if_changed "$SW/account-server.conf" && SWIFT_CHANGED[account]=1
# allow_versions: X-Versions-Location (legacy object versioning, an interop-required capability)
backend_conf container "$CONTAINER_PORT" "allow_versions = true" | write_if_changed "$SW/container-server.conf" && SWIFT_CHANGED[container]=1
backend_conf object "$OBJECT_PORT" "" | write_if_changed "$SW/object-server.conf" && SWIFT_CHANGED[object]=1

# The pipeline break-middleware.sh edits. Every middleware an interop "object" capability needs.
# No memcached on this box, hence no cache/ratelimit. Swift itself re-inserts catch_errors,
# gatekeeper, listing_formats, copy, dlo and versioned_writes when they are missing.
PIPELINE="catch_errors gatekeeper healthcheck proxy-logging listing_formats bulk tempurl formpost staticweb authtoken keystoneauth copy container-quotas account-quotas slo dlo versioned_writes symlink proxy-logging proxy-server"
write_if_changed "$SW/proxy-server.conf" <<EOF && SWIFT_CHANGED[proxy]=1
# generated by scripts/dev-cloud/up.sh — rewritten on every run
# (scripts/dev-cloud/break-middleware.sh edits the pipeline line; up.sh puts it back)
[DEFAULT]
bind_ip = $HOST
bind_port = $PROXY_PORT
workers = 0
user = root
swift_dir = $SW
log_level = INFO

[pipeline:main]
pipeline = $PIPELINE

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
www_authenticate_uri = $KEYSTONE_URL
auth_url = $KEYSTONE_URL
auth_type = password
project_domain_id = default
user_domain_id = default
project_name = service
username = swift
password = $SWIFT_SERVICE_PASSWORD
# let tempurl/formpost/staticweb requests without a token through to keystoneauth
delay_auth_decision = True
service_token_roles_required = True
include_service_catalog = False

[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin, member
reseller_admin_role = ResellerAdmin

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:bulk]
use = egg:swift#bulk
[filter:tempurl]
use = egg:swift#tempurl
[filter:formpost]
use = egg:swift#formpost
[filter:staticweb]
use = egg:swift#staticweb
[filter:copy]
use = egg:swift#copy
[filter:container-quotas]
use = egg:swift#container_quotas
[filter:account-quotas]
use = egg:swift#account_quotas
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
[filter:versioned_writes]
use = egg:swift#versioned_writes
allow_versioned_writes = true
[filter:symlink]
use = egg:swift#symlink
EOF
# up.sh restores the full pipeline, so a pending break-middleware.sh "remove" is void now.
rm -f "$SW/proxy-pipeline.orig"

# rings: partition power 8, 1 replica, one device d1 per ring
for ring in "account:$ACCOUNT_PORT" "container:$CONTAINER_PORT" "object:$OBJECT_PORT"; do
  name=${ring%%:*}; port=${ring##*:}
  if [ ! -s "$SW/$name.ring.gz" ]; then
    log "swift: building $name ring"
    rm -f "$SW/$name.builder"
    swift-ring-builder "$SW/$name.builder" create 8 1 1 >/dev/null
    swift-ring-builder "$SW/$name.builder" add "r1z1-$HOST:$port/d1" 100 >/dev/null
    # exit status 1 = "warning" (e.g. fewer devices than replicas would like); the ring is written
    swift-ring-builder "$SW/$name.builder" rebalance >/dev/null || true
    [ -s "$SW/$name.ring.gz" ] || { echo "up.sh: building the $name ring failed" >&2; exit 1; }
  fi
done

# The proxy error-limits a backend that failed (and keeps avoiding it for a while), so whenever a
# backend is (re)started under a running proxy, the proxy is restarted too.
BACKEND_STARTED=0
for srv in "account:$ACCOUNT_PORT" "container:$CONTAINER_PORT" "object:$OBJECT_PORT" "proxy:$PROXY_PORT"; do
  name=${srv%%:*}; port=${srv##*:}
  pidf="$RUN/swift-$name.pid"
  if pid=$(our_pid "$pidf") && { [ -n "${SWIFT_CHANGED[$name]:-}" ] || { [ "$name" = proxy ] && [ "$BACKEND_STARTED" = 1 ]; }; }; then
    log "swift-$name: config changed or backend restarted, restarting (pid $pid)"
    stop_pidfile "$pidf"
  fi
  if pid=$(our_pid "$pidf"); then
    log "swift-$name: running (pid $pid)"
    continue
  fi
  if port_busy "$port"; then
    echo "up.sh: port $port is taken by a process that is not our swift-$name" >&2; exit 1
  fi
  log "swift-$name: starting on $HOST:$port"
  # -v: log to stderr too (captured here); Swift's syslog target may not exist on a container box
  ( close_inherited_fds
    exec setsid nohup "swift-$name-server" "$SW/$name-server.conf" -v >> "$LOG/swift-$name.log" 2>&1 < /dev/null ) &
  echo $! > "$pidf"
  [ "$name" = proxy ] || BACKEND_STARTED=1
done
for srv in "account:$ACCOUNT_PORT" "container:$CONTAINER_PORT" "object:$OBJECT_PORT" "proxy:$PROXY_PORT"; do
  wait_http "http://$HOST:${srv##*:}/healthcheck" 60 "$RUN/swift-${srv%%:*}.pid" \
    || { tail -20 "$LOG/swift-${srv%%:*}.log" >&2; exit 1; }
done
log "swift: up at $SWIFT_URL"

# =============================================================================================
# 6. smoke test: a token as demo, then PUT / GET / DELETE through keystoneauth
# =============================================================================================
log "smoke test: swift as demo (PUT/GET/DELETE)"
KEYSTONE_URL="$KEYSTONE_URL" TEMPEST_USERS_PASSWORD="$TEMPEST_USERS_PASSWORD" "$PY" - <<'PYEOF' \
  || { echo "up.sh: swift smoke test FAILED; see $LOG/swift-proxy.log" >&2; exit 1; }
import os, time
from keystoneauth1 import session
from keystoneauth1.identity import v3
from swiftclient import client as sc
auth = v3.Password(auth_url=os.environ["KEYSTONE_URL"], username="demo",
                   password=os.environ["TEMPEST_USERS_PASSWORD"], project_name="demo",
                   user_domain_id="default", project_domain_id="default")
conn = sc.Connection(session=session.Session(auth=auth), os_options={"region_name": "RegionOne"})
body = ("hello %f" % time.time()).encode()
conn.put_container("dev-cloud-smoke")
conn.put_object("dev-cloud-smoke", "smoke.txt", contents=body)
assert conn.get_object("dev-cloud-smoke", "smoke.txt")[1] == body, "object body mismatch"
conn.delete_object("dev-cloud-smoke", "smoke.txt")
conn.delete_container("dev-cloud-smoke")
PYEOF

# =============================================================================================
# 7. Tempest / refstack-client configuration
# =============================================================================================
TDIR="$STATE/tempest"
ACCOUNTS="$TDIR/etc/accounts.yaml"
TCONF="$TDIR/etc/tempest.conf"
{
  echo "# Pre-provisioned Tempest accounts, generated by scripts/dev-cloud/up.sh."
  echo "# refstack-client derives the cloud's CPID from the FIRST entry."
  for acct in demo:member alt_demo:member tempest_member3:member tempest_member4:member \
              tempest_member5:member tempest_reseller:ResellerAdmin; do
    cat <<EOF
- username: '${acct%%:*}'
  project_name: '${acct%%:*}'
  password: '$TEMPEST_USERS_PASSWORD'
  roles: ['${acct##*:}']
EOF
  done
} | write_if_changed "$ACCOUNTS" || true

write_if_changed "$TCONF" <<EOF || true
# generated by scripts/dev-cloud/up.sh — rewritten on every run
[DEFAULT]
log_dir = $LOG
log_file = tempest.log
debug = false

[oslo_concurrency]
lock_path = $TDIR/lock

[auth]
# refstack-client requires pre-provisioned accounts
use_dynamic_credentials = false
test_accounts_file = $ACCOUNTS
default_credentials_domain_name = Default
create_isolated_networks = false
admin_username = admin
admin_password = $ADMIN_PASSWORD
admin_project_name = admin
admin_domain_name = Default

[identity]
auth_version = v3
uri_v3 = $KEYSTONE_URL
region = RegionOne
v3_endpoint_type = public
disable_ssl_certificate_validation = false

[identity-feature-enabled]
api_v3 = true

[object-storage]
region = RegionOne
endpoint_type = public
operator_role = member
reseller_admin_role = ResellerAdmin

[object-storage-feature-enabled]
# discover the middleware from the proxy's /info (so a removed middleware shows up as such)
discoverable_apis = all
discoverability = true
object_versioning = true
container_sync = false

[service_available]
swift = true
cinder = false
glance = false
neutron = false
nova = false
horizon = false

[validation]
run_validation = false
EOF

# refstack-client (Debian) hard-codes its Tempest workspace: /var/lib/tempest, with .stestr.conf
# and a `tempest` symlink to the installed package (test_path=./tempest/test_discover). The
# `tempest` package ships both; put back whatever is missing.
TW=/var/lib/tempest
mkdir -p "$TW"
if [ ! -f "$TW/.stestr.conf" ]; then
  log "tempest workspace: writing $TW/.stestr.conf"
  printf '[DEFAULT]\ntest_path=./tempest/test_discover\ngroup_regex=([^\\.]*\\.)*\n' > "$TW/.stestr.conf"
fi
if [ ! -e "$TW/tempest/test_discover" ]; then
  log "tempest workspace: linking $TW/tempest"
  rm -f "$TW/tempest"
  ln -s /usr/lib/python3/dist-packages/tempest "$TW/tempest"
fi
[ -e "$TW/tempest/test_discover" ] || { echo "up.sh: $TW/tempest/test_discover missing (python3-tempest?)" >&2; exit 1; }

# openrc files for the openstack / swift CLIs
write_if_changed "$STATE/admin-openrc.sh" <<EOF || true
export OS_AUTH_URL=$KEYSTONE_URL OS_IDENTITY_API_VERSION=3 OS_REGION_NAME=RegionOne
export OS_USERNAME=admin OS_PASSWORD='$ADMIN_PASSWORD' OS_PROJECT_NAME=admin
export OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default
EOF
write_if_changed "$STATE/demo-openrc.sh" <<EOF || true
export OS_AUTH_URL=$KEYSTONE_URL OS_IDENTITY_API_VERSION=3 OS_REGION_NAME=RegionOne
export OS_USERNAME=demo OS_PASSWORD='$TEMPEST_USERS_PASSWORD' OS_PROJECT_NAME=demo
export OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default
EOF

# Tempest re-uses these accounts on every run and ObjectExpiryTest leaks a container each time
# (see clean-accounts.py): hand out a clean cloud.
log "emptying the Tempest accounts"
"$PY" "$HERE/clean-accounts.py" "$ACCOUNTS" "$KEYSTONE_URL" | sed 's/^/  /'

# =============================================================================================
# 8. machine-readable description ($STATE/env) — the end-to-end tests read this
# =============================================================================================
# ssh-up.sh and compute-up.sh merge their SSH_* / PLATFORM_* lines into this file; keep them.
OLD_SSH_LINES=""
[ -f "$STATE/env" ] && OLD_SSH_LINES=$(grep -E '^(SSH|PLATFORM)_' "$STATE/env" || true)
{
  cat <<EOF
STATE_DIR=$STATE
TEMPEST_CONF=$TCONF
ACCOUNTS_FILE=$ACCOUNTS
KEYSTONE_URL=$KEYSTONE_URL
SWIFT_URL=$SWIFT_URL
ADMIN_OPENRC=$STATE/admin-openrc.sh
DEMO_OPENRC=$STATE/demo-openrc.sh
TEMPEST_WORKSPACE=$TW
LOG_DIR=$LOG
EOF
  if [ -n "$OLD_SSH_LINES" ]; then echo "$OLD_SSH_LINES"; fi
} > "$STATE/env.new"
mv "$STATE/env.new" "$STATE/env"

# =============================================================================================
# 9. optional SSH path. Once enabled it stays managed: a plain re-run keeps a running sshd (and
#    its env lines) instead of leaving it unchecked.
# =============================================================================================
if [ "$WITH_SSH" = 1 ] || our_pid "$RUN/sshd.pid" >/dev/null; then
  DEV_CLOUD_DIR="$STATE" "$HERE/ssh-up.sh" --no-install | sed 's/^/  /'
else
  sed -i '/^SSH_/d' "$STATE/env"
fi

# =============================================================================================
# 10. optional compute side; like sshd, once started it stays managed by plain re-runs
# =============================================================================================
if [ "$WITH_COMPUTE" = 1 ] || our_pid "$RUN/nova-api.pid" >/dev/null; then
  DEV_CLOUD_DIR="$STATE" "$HERE/compute-up.sh" | sed 's/^/  /'
else
  sed -i '/^PLATFORM_/d' "$STATE/env"
fi

cat <<EOF

dev cloud is up ($(( $(date +%s) - T0 ))s)
  keystone      : $KEYSTONE_URL  (uwsgi pid $(cat "$RUN/keystone.pid"))
  swift proxy   : $SWIFT_URL/v1/AUTH_<project_id>  (pid $(cat "$RUN/swift-proxy.pid")); backends $HOST:$OBJECT_PORT/$CONTAINER_PORT/$ACCOUNT_PORT
  state dir     : $STATE  (logs $LOG/, pidfiles $RUN/)
  env file      : $STATE/env
  openrc        : $STATE/admin-openrc.sh, $STATE/demo-openrc.sh
  accounts.yaml : $ACCOUNTS
  run           : refstack-client test -c $TCONF --test-list <list> -v
                  (results in $TW/.stestr/; empty the accounts before each run: $HERE/clean-accounts.py)
TEMPEST_CONF=$TCONF
EOF
