#!/bin/bash
# compute-up.sh — the dev cloud's compute side: Nova, Placement, Glance, Neutron and Cinder from Debian 12
# (Zed) packages, with MariaDB and RabbitMQ, next to up.sh's Keystone + Swift, bound to 127.0.0.1 only; and
# a Tempest configuration for the interop "platform" (and "compute") programs.
#
#   compute-up.sh [--install-only]        (up.sh --compute runs it after Keystone + Swift are up)
#
#   --install-only  install the Debian packages and exit (CI pre-install step)
#
# No hypervisor and no block device are needed:
#   * nova-compute runs Nova's fake virt driver (compute/refstack_fake_virt.py: its snapshot() uploads real
#     bytes to Glance, so image-from-server tests pass); only python3-nova is installed (the nova-compute
#     package would pull libvirt/qemu-system).
#   * cinder-volume runs Cinder's fake driver backed by sparse files (compute/refstack_fake_cinder.py), so
#     image <-> volume copies really happen.
#   * Neutron ML2 with the fake_agent mechanism driver, plus compute/fake_agent.py reporting an alive agent
#     for the compute host over the real agent RPC, so ports bind and servers go ACTIVE; an external network
#     (API only) for [network] public_network_id.
# Tempest cannot SSH into a guest of a fake hypervisor: [validation] run_validation stays false.
#
# Environment (all optional): DEV_CLOUD_DIR (as up.sh), PLATFORM_MEMBERS (24) and PLATFORM_RESELLERS (12):
# the platform tempest.conf's pre-provisioned accounts (about 2 members + 1 ResellerAdmin per Tempest worker).
# Ports: DB 3306, RabbitMQ 5672 (epmd 4369, distribution 25672), Placement 8778, Glance 9292, Neutron 9696,
# Nova 8774, Cinder 8776.
#
# Idempotent, like up.sh: a re-run only (re)starts what is not running or whose configuration changed.
# Services are plain background processes with pidfiles in $DEV_CLOUD_DIR/run; down.sh stops them.
# Output: progress and a summary; the LAST line is `PLATFORM_TEMPEST_CONF=<path>`. The PLATFORM_* lines of
# $DEV_CLOUD_DIR/env are (re)written.
set -eEuo pipefail
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
PY=/usr/bin/python3

INSTALL_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --install-only) INSTALL_ONLY=1 ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "compute-up.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done
if [ "$(id -u)" != 0 ]; then echo "compute-up.sh: must run as root" >&2; exit 1; fi

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LIB="$HERE/compute"
STATE="${DEV_CLOUD_DIR:-/var/lib/refstack-dev-cloud}"
case "$STATE" in /*) ;; *) STATE="$PWD/$STATE" ;; esac
HOST=127.0.0.1
ETC="$STATE/etc"; LOG="$STATE/log"; RUN="$STATE/run"
DB_PORT=3306; RABBIT_PORT=5672; EPMD_PORT=4369; RABBIT_DIST_PORT=25672
PLACEMENT_PORT=8778; GLANCE_PORT=9292; NEUTRON_PORT=9696; NOVA_PORT=8774; CINDER_PORT=8776
COMPUTE_HOST=fake-compute-1
PLATFORM_MEMBERS="${PLATFORM_MEMBERS:-24}"
PLATFORM_RESELLERS="${PLATFORM_RESELLERS:-12}"
T0=$(date +%s)
log() { echo "[compute-up +$(( $(date +%s) - T0 ))s] $*"; }
trap 'echo "compute-up.sh: FAILED (line $LINENO); logs are in $LOG/" >&2' ERR

# =============================================================================================
# 1. Debian packages
# =============================================================================================
PACKAGES=(mariadb-server python3-pymysql rabbitmq-server nova-api nova-conductor nova-scheduler python3-nova
          placement-api glance-api neutron-server python3-neutron cinder-api cinder-scheduler cinder-volume
          qemu-utils python3-openstacksdk uwsgi-core uwsgi-plugin-python3 curl iproute2)
POLICY_RC_CREATED=0
cleanup_policy_rc() {
  if [ "$POLICY_RC_CREATED" = 1 ]; then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=0; fi
}
apt_install() {
  apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=900 \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"
}
missing=()
for p in "${PACKAGES[@]}"; do
  # shellcheck disable=SC2016  # ${db:Status-Status} is a dpkg-query format
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
done
if [ "${#missing[@]}" = 0 ]; then
  log "packages: all ${#PACKAGES[@]} installed"
else
  log "packages: installing ${missing[*]}"
  # Package postinsts would start MariaDB, RabbitMQ and every OpenStack service with the distro
  # configuration (0.0.0.0, default ports): a policy-rc.d answering 101 forbids invoke-rc.d to start them.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# temporary, from refstack-action scripts/dev-cloud/compute-up.sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=1
    trap cleanup_policy_rc EXIT
  fi
  export DEBIAN_FRONTEND=noninteractive
  compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || apt-get update -q -o DPkg::Lock::Timeout=900
  if ! apt_install "${missing[@]}"; then
    log "packages: apt-get install failed; apt-get update and one retry"
    apt-get update -q -o DPkg::Lock::Timeout=900
    apt_install "${missing[@]}"
  fi
  cleanup_policy_rc
  log "packages: installed"
fi
if [ "$INSTALL_ONLY" = 1 ]; then log "--install-only: done"; exit 0; fi

if [ ! -s "$STATE/credentials.env" ] || [ ! -f "$STATE/env" ]; then
  echo "compute-up.sh: Keystone + Swift are not up: run up.sh (or up.sh --compute) first" >&2; exit 1
fi
# shellcheck disable=SC1091
. "$STATE/credentials.env"
KEYSTONE_URL=$(sed -n 's/^KEYSTONE_URL=//p' "$STATE/env")
mkdir -p "$LOG" "$RUN" "$ETC"/{nova,placement,glance,neutron,cinder} \
         "$STATE"/{mysql,rabbitmq,nova,glance/images,glance/staging,glance/tasks,neutron,cinder/fake-volumes,locks} \
         "$STATE/tempest/etc" "$STATE/tempest/lock-platform"

# =============================================================================================
# 2. Generated secrets (once per state dir)
# =============================================================================================
CCREDS="$STATE/compute-credentials.env"
if [ ! -s "$CCREDS" ]; then
  gen() { head -c 24 /dev/urandom | base64 | tr -d '/+=\n'; }
  ( umask 077
    for k in DB RABBIT NOVA PLACEMENT GLANCE NEUTRON CINDER; do echo "${k}_PASSWORD=$(gen)"; done > "$CCREDS.new"
    mv "$CCREDS.new" "$CCREDS" )
fi
# shellcheck disable=SC1090
. "$CCREDS"

# =============================================================================================
# helpers (the conventions of up.sh)
# =============================================================================================
# Every process started here carries REFSTACK_DEV_CLOUD=$STATE/ in its environment: a pidfile only counts
# if its process is alive and has our state dir in its command line or environment (epmd and RabbitMQ
# have no path in their command line), so a reused pid is never mistaken for (or killed as) ours.
export REFSTACK_DEV_CLOUD="$STATE/"
our_pid() {  # pidfile -> prints pid, status 0 if it is one of ours
  local pid
  [ -s "$1" ] || return 1
  pid=$(cat "$1")
  [ -r "/proc/$pid/cmdline" ] || return 1
  # (read whole, then matched: `tr | grep -q` fails under pipefail when grep exits before tr is done)
  local marks
  marks=$( { tr '\0' '\n' < "/proc/$pid/cmdline"; tr '\0' '\n' < "/proc/$pid/environ"; } 2>/dev/null || true)
  grep -qF "$STATE/" <<< "$marks" || return 1
  echo "$pid"
}
stop_pidfile() {  # pidfile: TERM, wait up to 20 s, then KILL
  local pid _
  if pid=$(our_pid "$1"); then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$1"
}
port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
wait_port() {  # port seconds pidfile
  local _
  for _ in $(seq 1 $(($2 * 4))); do
    port_busy "$1" && return 0
    our_pid "$3" >/dev/null || { echo "compute-up.sh: process of $3 died (see $LOG/)" >&2; return 1; }
    sleep 0.25
  done
  echo "compute-up.sh: timeout waiting for port $1" >&2; return 1
}
wait_http() {  # url seconds pidfile: any HTTP answer counts
  local _
  for _ in $(seq 1 $(($2 * 4))); do
    curl -s -o /dev/null --max-time 3 "$1" && return 0
    our_pid "$3" >/dev/null || { echo "compute-up.sh: process of $3 died while waiting for $1 (see $LOG/)" >&2; return 1; }
    sleep 0.25
  done
  echo "compute-up.sh: timeout waiting for $1" >&2; return 1
}
write_if_changed() {  # dest (content on stdin, mode 600) -> status 0 if dest changed
  local dest=$1
  ( umask 077; cat > "$dest.new" )
  if cmp -s "$dest.new" "$dest"; then rm -f "$dest.new"; return 1; fi
  mv "$dest.new" "$dest"
}
# A daemon must not inherit our open descriptors: a caller's `flock LOCKFILE compute-up.sh` lock would
# otherwise stay held for as long as the daemon runs.
close_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ]; then exec {fd}>&-; fi
  done
  return 0
}
declare -A CHANGED=()
start_bg() {  # name port|- logfile cmd... : (re)start unless running with an unchanged configuration
  local name=$1 port=$2 logf=$3 pid; shift 3
  local pidf="$RUN/$name.pid"
  if [ -n "${CHANGED[$name]:-}" ] && pid=$(our_pid "$pidf"); then
    log "$name: configuration changed, restarting (pid $pid)"
    stop_pidfile "$pidf"
  fi
  if pid=$(our_pid "$pidf"); then log "$name: running (pid $pid)"; return 0; fi
  if [ "$port" != - ] && port_busy "$port"; then
    echo "compute-up.sh: port $port is taken by a process that is not our $name" >&2; exit 1
  fi
  log "$name: starting"
  ( close_inherited_fds; exec setsid nohup "$@" >> "$logf" 2>&1 < /dev/null ) &
  echo $! > "$pidf"
}

# =============================================================================================
# 3. MariaDB (own datadir, 127.0.0.1 only) for every service but Keystone (up.sh's sqlite)
# =============================================================================================
MYSOCK="$RUN/mysqld.sock"
if [ ! -d "$STATE/mysql/mysql" ]; then
  log "mariadb: initialising the datadir"
  mariadb-install-db --no-defaults --datadir="$STATE/mysql" --user=root \
    --auth-root-authentication-method=socket --skip-test-db > "$LOG/mariadb-install.log" 2>&1
fi
start_bg mariadb "$DB_PORT" "$LOG/mariadb.out" /usr/sbin/mariadbd --no-defaults --datadir="$STATE/mysql" \
  --socket="$MYSOCK" --port="$DB_PORT" --bind-address="$HOST" --user=root --skip-name-resolve \
  --pid-file="$RUN/mariadbd.pid" --log-error="$LOG/mariadb.log" --character-set-server=utf8mb4 \
  --collation-server=utf8mb4_general_ci --max-connections=1000 --innodb-buffer-pool-size=128M \
  --performance-schema=OFF --innodb-flush-log-at-trx-commit=2 --skip-log-bin
wait_port "$DB_PORT" 60 "$RUN/mariadb.pid"
for _ in $(seq 1 120); do mariadb --no-defaults -S "$MYSOCK" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.25; done
SQL=""
for db in nova_api nova nova_cell0 placement glance neutron cinder; do
  SQL+="CREATE DATABASE IF NOT EXISTS $db CHARACTER SET utf8;"
done
SQL+="CREATE USER IF NOT EXISTS 'openstack'@'$HOST' IDENTIFIED BY '$DB_PASSWORD';"
SQL+="GRANT ALL PRIVILEGES ON *.* TO 'openstack'@'$HOST';"
mariadb --no-defaults -S "$MYSOCK" -uroot -e "$SQL"
dburl() { echo "mysql+pymysql://openstack:$DB_PASSWORD@$HOST:$DB_PORT/$1?charset=utf8"; }
log "mariadb: up at $HOST:$DB_PORT"

# =============================================================================================
# 4. RabbitMQ and its epmd, both on 127.0.0.1
# =============================================================================================
RMQ="$STATE/rabbitmq"
mkdir -p "$LOG/rabbitmq"
[ -e "$RMQ/enabled_plugins" ] || echo '[].' > "$RMQ/enabled_plugins"
: > "$RMQ/rabbitmq-env.conf"
write_if_changed "$RMQ/rabbitmq.conf" <<EOF && CHANGED[rabbitmq]=1
listeners.tcp.1 = $HOST:$RABBIT_PORT
loopback_users = none
log.console = false
log.file.level = warning
EOF
(
  export HOME="$RMQ" RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_NODE_IP_ADDRESS=$HOST \
    RABBITMQ_NODE_PORT=$RABBIT_PORT RABBITMQ_DIST_PORT=$RABBIT_DIST_PORT ERL_EPMD_ADDRESS=$HOST \
    ERL_EPMD_PORT=$EPMD_PORT RABBITMQ_MNESIA_BASE="$RMQ/mnesia" RABBITMQ_LOG_BASE="$LOG/rabbitmq" \
    RABBITMQ_PID_FILE="$RUN/rabbitmq-beam.pid" RABBITMQ_CONFIG_FILE="$RMQ/rabbitmq" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ/enabled_plugins" RABBITMQ_CONF_ENV_FILE="$RMQ/rabbitmq-env.conf" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  start_bg epmd "$EPMD_PORT" "$LOG/epmd.log" /usr/bin/epmd -address "$HOST" -port "$EPMD_PORT"
  wait_port "$EPMD_PORT" 20 "$RUN/epmd.pid"
  [ -z "${CHANGED[rabbitmq]:-}" ] || ! our_pid "$RUN/rabbitmq.pid" >/dev/null || stop_pidfile "$RUN/rabbitmq-beam.pid"
  start_bg rabbitmq "$RABBIT_PORT" "$LOG/rabbitmq-server.log" /usr/lib/rabbitmq/bin/rabbitmq-server
  wait_port "$RABBIT_PORT" 90 "$RUN/rabbitmq.pid"
  # each rabbitmqctl call starts an Erlang VM (seconds): once per state dir
  if [ ! -e "$RMQ/.openstack-user" ]; then
    /usr/lib/rabbitmq/bin/rabbitmqctl -q await_startup >/dev/null
    users=$(/usr/lib/rabbitmq/bin/rabbitmqctl -q list_users 2>/dev/null || true)
    if ! grep -q '^openstack' <<< "$users"; then
      /usr/lib/rabbitmq/bin/rabbitmqctl -q add_user openstack "$RABBIT_PASSWORD" >/dev/null
    fi
    /usr/lib/rabbitmq/bin/rabbitmqctl -q set_permissions openstack '.*' '.*' '.*' >/dev/null
    touch "$RMQ/.openstack-user"
  fi
)
TRANSPORT_URL="rabbit://openstack:$RABBIT_PASSWORD@$HOST:$RABBIT_PORT/"
log "rabbitmq: up at $HOST:$RABBIT_PORT"

# =============================================================================================
# 5. Keystone: service users, catalog, Tempest accounts
# =============================================================================================
# Listing every role assignment costs tens of seconds on a busy Keystone: re-assert only when what is asserted
# changed (a stamp of the inputs), or Keystone's database is not the one it was asserted in.
KEYSTONE_STAMP="$STATE/compute-keystone.stamp"
KEYSTONE_WANT="$PLATFORM_MEMBERS $PLATFORM_RESELLERS $PLACEMENT_PORT $GLANCE_PORT $NEUTRON_PORT $NOVA_PORT $CINDER_PORT $(stat -c %i "$STATE/keystone/keystone.db")"
if [ "$(cat "$KEYSTONE_STAMP" 2>/dev/null)" = "$KEYSTONE_WANT" ]; then
  log "keystone: service users, catalog and Tempest accounts asserted before"
else
log "keystone: asserting service users, catalog and $PLATFORM_MEMBERS + $PLATFORM_RESELLERS Tempest accounts"
KEYSTONE_URL="$KEYSTONE_URL" ADMIN_PASSWORD="$ADMIN_PASSWORD" TEMPEST_USERS_PASSWORD="$TEMPEST_USERS_PASSWORD" \
NOVA_PASSWORD="$NOVA_PASSWORD" PLACEMENT_PASSWORD="$PLACEMENT_PASSWORD" GLANCE_PASSWORD="$GLANCE_PASSWORD" \
NEUTRON_PASSWORD="$NEUTRON_PASSWORD" CINDER_PASSWORD="$CINDER_PASSWORD" HOST="$HOST" \
PLACEMENT_PORT="$PLACEMENT_PORT" GLANCE_PORT="$GLANCE_PORT" NEUTRON_PORT="$NEUTRON_PORT" NOVA_PORT="$NOVA_PORT" \
CINDER_PORT="$CINDER_PORT" PLATFORM_MEMBERS="$PLATFORM_MEMBERS" PLATFORM_RESELLERS="$PLATFORM_RESELLERS" \
  "$PY" "$LIB/keystone_compute.py" | sed 's/^/  /'
echo "$KEYSTONE_WANT" > "$KEYSTONE_STAMP"
fi

authtoken() {  # user password
  cat <<EOF
[keystone_authtoken]
www_authenticate_uri = $KEYSTONE_URL
auth_url = $KEYSTONE_URL
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $2
region_name = RegionOne
service_token_roles_required = true
memcached_servers =
EOF
}
ksauth() {  # section user password
  cat <<EOF
[$1]
auth_url = $KEYSTONE_URL
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $2
password = $3
region_name = RegionOne
EOF
}
policy() {
  printf '[oslo_policy]\nenforce_scope = false\nenforce_new_defaults = false\n'
}
db_synced() {  # name command... : run a schema sync once per state dir
  local name=$1; shift
  [ -e "$STATE/$name.synced" ] && return 0
  log "$name: database sync"
  "$@" > "$LOG/$name-manage.log" 2>&1 || { tail -30 "$LOG/$name-manage.log" >&2; return 1; }
  touch "$STATE/$name.synced"
}

# =============================================================================================
# 6. Placement (uwsgi, like Keystone)
# =============================================================================================
PCONF="$ETC/placement/placement.conf"
{
  printf '# generated by scripts/dev-cloud/compute-up.sh\n[DEFAULT]\nlog_dir = %s\nlog_file = placement.log\n' "$LOG"
  printf '[placement_database]\nconnection = %s\n[api]\nauth_strategy = keystone\n' "$(dburl placement)"
  authtoken placement "$PLACEMENT_PASSWORD"
} | write_if_changed "$PCONF" && CHANGED[placement]=1
db_synced placement placement-manage --config-file "$PCONF" db sync
start_bg placement "$PLACEMENT_PORT" "$LOG/placement-uwsgi.log" uwsgi --plugin python3 \
  --http-socket "$HOST:$PLACEMENT_PORT" --wsgi-file /usr/bin/placement-api --master --processes 2 --threads 1 \
  --enable-threads --lazy-apps --die-on-term --no-orphans --need-app --buffer-size 65535 \
  --add-header "Connection: close" --env "OS_PLACEMENT_CONFIG_DIR=$ETC/placement"

# =============================================================================================
# 7. Glance (file store under the state dir)
# =============================================================================================
GCONF="$ETC/glance/glance-api.conf"
{
  cat <<EOF
# generated by scripts/dev-cloud/compute-up.sh
[DEFAULT]
bind_host = $HOST
bind_port = $GLANCE_PORT
workers = 2
log_dir = $LOG
log_file = glance-api.log
enabled_backends = fs:file
show_image_direct_url = false
[database]
connection = $(dburl glance)
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $STATE/glance/images/
[os_glance_staging_store]
filesystem_store_datadir = $STATE/glance/staging/
[os_glance_tasks_store]
filesystem_store_datadir = $STATE/glance/tasks/
[paste_deploy]
flavor = keystone
config_file = /etc/glance/glance-api-paste.ini
[oslo_concurrency]
lock_path = $STATE/locks
EOF
  policy
  authtoken glance "$GLANCE_PASSWORD"
} | write_if_changed "$GCONF" && CHANGED[glance-api]=1
db_synced glance glance-manage --config-file "$GCONF" db_sync
start_bg glance-api "$GLANCE_PORT" "$LOG/glance-api.out" glance-api --config-file "$GCONF"

# =============================================================================================
# 8. Neutron: ML2 (local + flat) with fake_agent, the router plugin, no L3/DHCP agents
# =============================================================================================
NCONF="$ETC/neutron/neutron.conf"; ML2CONF="$ETC/neutron/ml2_conf.ini"
{
  cat <<EOF
# generated by scripts/dev-cloud/compute-up.sh
[DEFAULT]
bind_host = $HOST
bind_port = $NEUTRON_PORT
core_plugin = ml2
service_plugins = router
auth_strategy = keystone
transport_url = $TRANSPORT_URL
api_workers = 2
rpc_workers = 1
rpc_state_report_workers = 0
state_path = $STATE/neutron
log_dir = $LOG
log_file = neutron-server.log
api_paste_config = /etc/neutron/api-paste.ini
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
dhcp_agent_notification = false
allow_overlapping_ips = true
agent_down_time = 75
[database]
connection = $(dburl neutron)
[oslo_concurrency]
lock_path = $STATE/locks
[agent]
root_helper =
EOF
  policy
  authtoken neutron "$NEUTRON_PASSWORD"
  ksauth nova nova "$NOVA_PASSWORD"
} | write_if_changed "$NCONF" && CHANGED[neutron-server]=1 && CHANGED[neutron-fake-agent]=1
write_if_changed "$ML2CONF" <<EOF && CHANGED[neutron-server]=1
# generated by scripts/dev-cloud/compute-up.sh
[ml2]
type_drivers = local,flat,vlan
tenant_network_types = local
mechanism_drivers = fake_agent
extension_drivers = port_security
[ml2_type_flat]
flat_networks = public
[securitygroup]
enable_security_group = true
firewall_driver = iptables_hybrid
EOF
printf '[fake_agent]\nagent_host = %s\n' "$COMPUTE_HOST" | write_if_changed "$ETC/neutron/fake-agent.ini" \
  && CHANGED[neutron-fake-agent]=1
db_synced neutron neutron-db-manage --config-file "$NCONF" --config-file "$ML2CONF" upgrade heads
start_bg neutron-server "$NEUTRON_PORT" "$LOG/neutron-server.out" \
  neutron-server --config-file "$NCONF" --config-file "$ML2CONF"
start_bg neutron-fake-agent - "$LOG/neutron-fake-agent.out" "$PY" "$LIB/fake_agent.py" \
  --config-file "$NCONF" --config-file "$ETC/neutron/fake-agent.ini" --log-file "$LOG/neutron-fake-agent.log"

# =============================================================================================
# 9. Nova: api, conductor, scheduler, compute (fake driver)
# =============================================================================================
NOVACONF="$ETC/nova/nova.conf"
IMG="$STATE/cirros-fake.qcow2"
[ -s "$IMG" ] || qemu-img create -f qcow2 "$IMG" 64M > /dev/null
nova_conf() {  # with-db(0|1)
  cat <<EOF
# generated by scripts/dev-cloud/compute-up.sh
[DEFAULT]
host = $COMPUTE_HOST
my_ip = $HOST
compute_driver = refstack_fake_virt.SnapshotFakeDriver
transport_url = $TRANSPORT_URL
enabled_apis = osapi_compute
osapi_compute_listen = $HOST
osapi_compute_listen_port = $NOVA_PORT
osapi_compute_workers = 2
state_path = $STATE/nova
instances_path = $STATE/nova/instances
log_dir = $LOG
allow_resize_to_same_host = true
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = /etc/nova/api-paste.ini
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = 20
[oslo_concurrency]
lock_path = $STATE/locks
[oslo_messaging_notifications]
driver = noop
[vnc]
enabled = false
[glance]
region_name = RegionOne
[cinder]
os_region_name = RegionOne
EOF
  # nova-compute gets no database credentials: as in a real deployment, it goes through the conductor.
  if [ "$1" = 1 ]; then
    printf '[api_database]\nconnection = %s\n[database]\nconnection = %s\n' "$(dburl nova_api)" "$(dburl nova)"
  fi
  policy
  ksauth placement placement "$PLACEMENT_PASSWORD"
  ksauth neutron neutron "$NEUTRON_PASSWORD"
  ksauth service_user nova "$NOVA_PASSWORD"
  echo "send_service_user_token = true"
  authtoken nova "$NOVA_PASSWORD"
}
nova_conf 1 | write_if_changed "$NOVACONF" && CHANGED[nova-api]=1 && CHANGED[nova-conductor]=1 && CHANGED[nova-scheduler]=1
nova_conf 0 | write_if_changed "$ETC/nova/nova-compute.conf" && CHANGED[nova-compute]=1
NM=(nova-manage --config-file "$NOVACONF")
nova_db() {
  "${NM[@]}" api_db sync
  local cells
  cells=$("${NM[@]}" cell_v2 list_cells 2>/dev/null || true)
  grep -q ' cell0 ' <<< "$cells" || "${NM[@]}" cell_v2 map_cell0 --database_connection "$(dburl nova_cell0)"
  grep -q ' cell1 ' <<< "$cells" || "${NM[@]}" cell_v2 create_cell --name cell1 --verbose
  "${NM[@]}" db sync
}
db_synced nova nova_db
start_bg nova-api "$NOVA_PORT" "$LOG/nova-api.out" nova-api --config-file "$NOVACONF" --log-file "$LOG/nova-api.log"
start_bg nova-conductor - "$LOG/nova-conductor.out" \
  nova-conductor --config-file "$NOVACONF" --log-file "$LOG/nova-conductor.log"
start_bg nova-scheduler - "$LOG/nova-scheduler.out" \
  nova-scheduler --config-file "$NOVACONF" --log-file "$LOG/nova-scheduler.log"
REFSTACK_FAKE_SNAPSHOT_FILE="$IMG" start_bg nova-compute - "$LOG/nova-compute.out" "$PY" "$LIB/nova_compute.py" \
  --config-file "$ETC/nova/nova-compute.conf" --log-file "$LOG/nova-compute.log"

# =============================================================================================
# 10. Cinder: api, scheduler, volume (fake driver backed by sparse files)
# =============================================================================================
CCONF="$ETC/cinder/cinder.conf"
{
  cat <<EOF
# generated by scripts/dev-cloud/compute-up.sh
[DEFAULT]
my_ip = $HOST
host = cinder-1
osapi_volume_listen = $HOST
osapi_volume_listen_port = $CINDER_PORT
osapi_volume_workers = 2
transport_url = $TRANSPORT_URL
auth_strategy = keystone
state_path = $STATE/cinder
log_dir = $LOG
api_paste_config = /etc/cinder/api-paste.ini
enabled_backends = fake
default_volume_type = __DEFAULT__
glance_api_servers = http://$HOST:$GLANCE_PORT
storage_availability_zone = nova
[database]
connection = $(dburl cinder)
[oslo_concurrency]
lock_path = $STATE/locks
[oslo_messaging_notifications]
driver = noop
[fake]
volume_driver = refstack_fake_cinder.FileBackedFakeDriver
volume_backend_name = fake
target_helper = fake
EOF
  policy
  ksauth nova nova "$NOVA_PASSWORD"
  ksauth service_user cinder "$CINDER_PASSWORD"
  echo "send_service_user_token = true"
  authtoken cinder "$CINDER_PASSWORD"
} | write_if_changed "$CCONF" && CHANGED[cinder-api]=1 && CHANGED[cinder-scheduler]=1 && CHANGED[cinder-volume]=1
db_synced cinder cinder-manage --config-file "$CCONF" db sync
start_bg cinder-api "$CINDER_PORT" "$LOG/cinder-api.out" cinder-api --config-file "$CCONF" --log-file "$LOG/cinder-api.log"
start_bg cinder-scheduler - "$LOG/cinder-scheduler.out" \
  cinder-scheduler --config-file "$CCONF" --log-file "$LOG/cinder-scheduler.log"
PYTHONPATH="$LIB" REFSTACK_FAKE_VOLUME_DIR="$STATE/cinder/fake-volumes" start_bg cinder-volume - \
  "$LOG/cinder-volume.out" cinder-volume --config-file "$CCONF" --log-file "$LOG/cinder-volume.log"

# =============================================================================================
# 11. wait for the APIs, the compute host in cell1, every process alive
# =============================================================================================
wait_http "http://$HOST:$PLACEMENT_PORT/" 120 "$RUN/placement.pid"
wait_http "http://$HOST:$GLANCE_PORT/versions" 120 "$RUN/glance-api.pid"
wait_http "http://$HOST:$NEUTRON_PORT/" 120 "$RUN/neutron-server.pid"
wait_http "http://$HOST:$NOVA_PORT/" 120 "$RUN/nova-api.pid"
wait_http "http://$HOST:$CINDER_PORT/" 120 "$RUN/cinder-api.pid"
log "all APIs answer"
mapped=0
# nova-compute registers once per state dir; a mapped host stays mapped
[ -e "$STATE/nova.host-mapped" ] && mapped=1
for _ in $(seq 1 60); do
  [ "$mapped" = 1 ] && break
  hosts=$("${NM[@]}" cell_v2 list_hosts 2>/dev/null || true)   # no pipe into grep -q: SIGPIPE + pipefail
  if grep -q "$COMPUTE_HOST" <<< "$hosts"; then mapped=1; break; fi
  "${NM[@]}" cell_v2 discover_hosts > /dev/null 2>&1 || true
  sleep 2
done
[ "$mapped" = 1 ] || { echo "compute-up.sh: nova-compute $COMPUTE_HOST never registered; see $LOG/nova-compute.log" >&2; exit 1; }
touch "$STATE/nova.host-mapped"
COMPUTE_SERVICES=(mariadb epmd rabbitmq placement glance-api neutron-server neutron-fake-agent nova-api
                  nova-conductor nova-scheduler nova-compute cinder-api cinder-scheduler cinder-volume)
dead=()
for name in "${COMPUTE_SERVICES[@]}"; do our_pid "$RUN/$name.pid" >/dev/null || dead+=("$name"); done
[ "${#dead[@]}" = 0 ] || { echo "compute-up.sh: not running: ${dead[*]} (see $LOG/)" >&2; exit 1; }

# made once per state dir (resources.py is find-or-create; delete compute-resources.env to re-assert)
if [ ! -s "$STATE/compute-resources.env" ]; then
  log "asserting flavors, images, networks"
  KEYSTONE_URL="$KEYSTONE_URL" ADMIN_PASSWORD="$ADMIN_PASSWORD" IMAGE_FILE="$IMG" OUT="$STATE/compute-resources.env" \
    "$PY" "$LIB/resources.py" | sed 's/^/  /'
fi
# shellcheck disable=SC1091
. "$STATE/compute-resources.env"

# =============================================================================================
# 12. Tempest: the platform tempest.conf = up.sh's tempest.conf with every service enabled, its own
#     accounts and lock dir (object runs and platform runs never steal each other's accounts)
# =============================================================================================
TDIR="$STATE/tempest"
PACCOUNTS="$TDIR/etc/accounts-platform.yaml"
PTCONF="$TDIR/etc/tempest-platform.conf"
{
  echo "# Pre-provisioned Tempest accounts of the platform tempest.conf, generated by compute-up.sh."
  echo "# refstack-client derives the cloud's CPID from the FIRST entry."
  for i in $(seq 1 "$PLATFORM_MEMBERS"); do
    printf -- "- username: 'tempest_compute%s'\n  project_name: 'tempest_compute%s'\n  password: '%s'\n  roles: ['member']\n" \
      "$i" "$i" "$TEMPEST_USERS_PASSWORD"
  done
  for i in $(seq 1 "$PLATFORM_RESELLERS"); do
    printf -- "- username: 'tempest_compute_reseller%s'\n  project_name: 'tempest_compute_reseller%s'\n  password: '%s'\n  roles: ['ResellerAdmin']\n" \
      "$i" "$i" "$TEMPEST_USERS_PASSWORD"
  done
} | write_if_changed "$PACCOUNTS" || true
{
  sed -e '/^\[service_available\]/,$d' -e "s|^test_accounts_file = .*|test_accounts_file = $PACCOUNTS|" \
      -e "s|^lock_path = .*|lock_path = $TDIR/lock-platform|" "$TDIR/etc/tempest.conf"
  cat <<EOF
[service_available]
swift = true
cinder = true
glance = true
neutron = true
nova = true
horizon = false

[service-clients]
# A loopback cloud on two shared cores answers slowly under parallel runs: Tempest's 60 s would cut it off
http_timeout = 300

[validation]
# Tempest would SSH into the guests: a fake hypervisor has none (compute-servers-host/-verify skip)
run_validation = false
image_ssh_user = cirros
connect_method = fixed

[compute]
region = RegionOne
endpoint_type = public
image_ref = $IMAGE_REF
image_ref_alt = $IMAGE_REF_ALT
flavor_ref = $FLAVOR_REF
flavor_ref_alt = $FLAVOR_REF_ALT
fixed_network_name = private
build_timeout = 300
min_compute_nodes = 1
max_microversion = latest

[compute-feature-enabled]
change_password = false
console_output = true
resize = true
pause = true
shelve = true
suspend = true
snapshot = true
rescue = true
cold_migration = false
live_migration = false
vnc_console = false
spice_console = false
serial_console = false
personality = false
attach_encrypted_volume = false
interface_attach = true
config_drive = true
metadata_service = false
# Tempest 33 skips the server-metadata API tests unless this is set ("Metadata is read-only on
# non-Xen-based deployments"); Nova's API supports them with any virt driver.
xenapi_apis = true

[image]
region = RegionOne
endpoint_type = public
build_timeout = 300

[image-feature-enabled]
api_v2 = true
api_v1 = false

[network]
region = RegionOne
endpoint_type = public
project_network_cidr = 10.100.0.0/16
project_network_mask_bits = 28
public_network_id = $PUBLIC_NETWORK_ID
floating_network_name = public
shared_physical_network = false
build_timeout = 300

[network-feature-enabled]
ipv6 = true
ipv6_subnet_attributes = true
api_extensions = all
port_security = true

[volume]
region = RegionOne
endpoint_type = public
catalog_type = volumev3
build_timeout = 300
storage_protocol = fake
vendor_name = Open Source
min_microversion = 3.0
max_microversion = latest

[volume-feature-enabled]
backup = false
snapshot = true
clone = true
manage_volume = false
manage_snapshot = false
api_extensions = all
EOF
} | write_if_changed "$PTCONF" || true

# =============================================================================================
# 13. $STATE/env: the PLATFORM_* lines
# =============================================================================================
{
  grep -v '^PLATFORM_' "$STATE/env" || true
  cat <<EOF
PLATFORM_TEMPEST_CONF=$PTCONF
PLATFORM_ACCOUNTS_FILE=$PACCOUNTS
PLATFORM_ACCOUNTS=$((PLATFORM_MEMBERS + PLATFORM_RESELLERS))
PLATFORM_NOVA_URL=http://$HOST:$NOVA_PORT/v2.1
EOF
} > "$STATE/env.new"
mv "$STATE/env.new" "$STATE/env"

cat <<EOF

compute side is up ($(( $(date +%s) - T0 ))s)
  mariadb $HOST:$DB_PORT, rabbitmq $HOST:$RABBIT_PORT, placement :$PLACEMENT_PORT, glance :$GLANCE_PORT,
  neutron :$NEUTRON_PORT, nova :$NOVA_PORT (fake driver, host $COMPUTE_HOST), cinder :$CINDER_PORT (fake, sparse files)
  tempest.conf  : $PTCONF
  accounts.yaml : $PACCOUNTS ($PLATFORM_MEMBERS members + $PLATFORM_RESELLERS ResellerAdmin)
PLATFORM_TEMPEST_CONF=$PTCONF
EOF
