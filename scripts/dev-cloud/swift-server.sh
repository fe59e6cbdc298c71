#!/bin/bash
# swift-server.sh — stop one Swift backend of the dev cloud on purpose (end-to-end tests), and start it again.
#
#   swift-server.sh stop NAME    stop swift-NAME-server (NAME: account, container, object) by its pidfile
#   swift-server.sh start NAME   start it again with up.sh's command line, wait for its /healthcheck, then
#                                restart the proxy (it error-limits a backend that failed: a fresh proxy is
#                                the only clean state)
#
# Only processes whose pidfile is in the state dir and whose command line names its config are touched.
# Daemons started here keep no descriptor above 2 of the caller: a lock the caller holds (flock) must end
# with the caller, not live on in a server.
set -eEuo pipefail
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
STATE="${DEV_CLOUD_DIR:-/var/lib/refstack-dev-cloud}"
case "$STATE" in /*) ;; *) STATE="$PWD/$STATE" ;; esac
SW="$STATE/etc/swift"
RUN="$STATE/run"
LOG="$STATE/log"

usage() { sed -n '2,11p' "$0" >&2; exit 2; }
die() { echo "swift-server.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root"
name="${2:-}"
case "$name" in account | container | object | proxy) ;; *) usage ;; esac
conf="$SW/$name-server.conf"
pidf="$RUN/swift-$name.pid"
[ -f "$conf" ] || die "$conf not found: run up.sh first"

our_pid() {  # pidfile -> its pid, if that process runs our config
  local pid
  [ -s "$1" ] || return 1
  pid=$(cat "$1")
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$2" || return 1
  echo "$pid"
}
stop() {  # name conf pidfile: TERM, wait up to 15 s, then KILL
  local pid
  pid=$(our_pid "$3" "$2") || { echo "swift-$1 is not running"; return 0; }
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; sleep 0.5; fi
  echo "swift-$1 stopped (pid $pid)"
}
start() {  # name conf pidfile: up.sh's command line, detached, then wait for /healthcheck
  local port
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2> /dev/null || true; fi
    done
    exec setsid nohup "swift-$1-server" "$2" -v >> "$LOG/swift-$1.log" 2>&1 < /dev/null
  ) &
  echo $! > "$3"
  port=$(sed -n 's/^bind_port = //p' "$2" | head -1)
  for _ in $(seq 1 120); do
    if curl -sf -o /dev/null --max-time 3 "http://127.0.0.1:$port/healthcheck"; then
      echo "swift-$1 started (pid $(cat "$3"))"
      return 0
    fi
    our_pid "$3" "$2" > /dev/null || { tail -20 "$LOG/swift-$1.log" >&2; die "swift-$1 died on start"; }
    sleep 0.25
  done
  die "swift-$1 did not answer on port $port within 30 s"
}

case "${1:-}" in
  stop) stop "$name" "$conf" "$pidf" ;;
  start)
    if our_pid "$pidf" "$conf" > /dev/null; then
      echo "swift-$name is running"
    else
      start "$name" "$conf" "$pidf"
    fi
    if [ "$name" != proxy ]; then
      stop proxy "$SW/proxy-server.conf" "$RUN/swift-proxy.pid"
      start proxy "$SW/proxy-server.conf" "$RUN/swift-proxy.pid"
    fi
    ;;
  *) usage ;;
esac
