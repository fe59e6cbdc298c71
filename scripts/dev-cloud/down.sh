#!/bin/bash
# down.sh — stop exactly what up.sh / ssh-up.sh / compute-up.sh started, using their pidfiles; nothing by name.
#
#   down.sh [--purge]
#
# SIGTERM to the pid of each pidfile in $DEV_CLOUD_DIR/run (the compute services, RabbitMQ, epmd,
# MariaDB, then sshd, swift proxy/object/container/account, the keystone uwsgi master, which takes
# its workers with it), wait up to 20 s, SIGKILL what is left. A pid is only signalled if its
# command line or environment references the state dir (a stale
# pidfile whose pid got reused by another process is ignored). $DEV_CLOUD_DIR/env is removed, so
# "env file present" means "up.sh completed and down.sh did not run since".
# State is kept: `up.sh` brings the same cloud back (same users, passwords, keys, data).
#   --purge  also deletes the state dir (config, sqlite DB, rings, object data, logs, credentials,
#            SSH keys). Packages, /etc/swift/swift.conf and /var/lib/tempest are left alone.
set -uo pipefail
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
STATE="${DEV_CLOUD_DIR:-/var/lib/refstack-dev-cloud}"
case "$STATE" in /*) ;; *) STATE="$PWD/$STATE" ;; esac
RUN="$STATE/run"
PURGE=0
for arg in "$@"; do
  case "$arg" in
    --purge) PURGE=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "down.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done
if [ "$(id -u)" != 0 ]; then echo "down.sh: must run as root" >&2; exit 1; fi

rm -f "$STATE/env"
# A pid counts as ours only if its command line or its environment names the state dir (compute-up.sh
# marks what it starts with REFSTACK_DEV_CLOUD=$STATE/: epmd and RabbitMQ have no path in their arguments).
ours() {  # pid
  [ -r "/proc/$1/cmdline" ] || return 1
  local marks
  marks=$( { tr '\0' '\n' < "/proc/$1/cmdline"; tr '\0' '\n' < "/proc/$1/environ"; } 2>/dev/null)
  grep -qF "$STATE/" <<< "$marks"
}
STOPPED=0
stop_group() {  # names... : TERM all of them, wait up to 20 s, KILL what is left
  declare -A PIDS=()
  local name pidf pid alive _
  for name in "$@"; do
    pidf="$RUN/$name.pid"
    [ -s "$pidf" ] || continue
    pid=$(cat "$pidf")
    if ours "$pid"; then
      echo "$name: stopping pid $pid"
      kill -TERM "$pid" 2>/dev/null
      PIDS[$name]=$pid
      STOPPED=1
    else
      echo "$name: not running (stale pidfile removed)"
      rm -f "$pidf"
    fi
  done
  for _ in $(seq 1 80); do
    alive=0
    for name in "${!PIDS[@]}"; do kill -0 "${PIDS[$name]}" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.25
  done
  for name in "${!PIDS[@]}"; do
    if kill -0 "${PIDS[$name]}" 2>/dev/null; then
      echo "$name: pid ${PIDS[$name]} still alive after 20 s, sending KILL"
      kill -KILL "${PIDS[$name]}" 2>/dev/null
    fi
    # sshd/uwsgi/mariadb remove their own pidfile on a clean exit; the others are ours to remove
    rm -f "$RUN/$name.pid"
  done
}
# the compute side (compute-up.sh) first, while Keystone, RabbitMQ and MariaDB still answer
stop_group cinder-volume cinder-scheduler cinder-api nova-compute nova-scheduler nova-conductor nova-api \
           neutron-fake-agent neutron-server glance-api placement
# rabbitmq.pid is the rabbitmq-server script; rabbitmq-beam.pid the Erlang VM it started (RABBITMQ_PID_FILE)
stop_group rabbitmq rabbitmq-beam
stop_group epmd mariadb
rm -f "$RUN/mariadbd.pid"
stop_group sshd swift-proxy swift-object swift-container swift-account keystone memcached
[ "$STOPPED" = 0 ] && echo "nothing was running"

if [ "$PURGE" = 1 ]; then
  echo "removing $STATE"
  rm -rf "$STATE"
fi
exit 0
