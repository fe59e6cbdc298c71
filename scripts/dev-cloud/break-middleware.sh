#!/bin/bash
# break-middleware.sh — make the dev cloud non-compliant on purpose (end-to-end tests), and back.
#
#   break-middleware.sh remove NAME   drop filter NAME (e.g. tempurl, formpost, staticweb, slo,
#                                     bulk, symlink, container-quotas, account-quotas) from the
#                                     Swift proxy pipeline and restart the proxy
#   break-middleware.sh restore       put the original pipeline back and restart the proxy
#   break-middleware.sh show          print the current pipeline
#
# Several `remove`s stack; `restore` always returns to the pipeline up.sh wrote (saved in
# etc/swift/proxy-pipeline.orig on the first remove). up.sh also restores it.
# The proxy is RESTARTED (by pidfile), not reloaded: it runs as a single process (workers = 0)
# and error-limits backends that failed, so a fresh process is the only clean state. Returns
# once /healthcheck answers (~2 s).
#
# Swift re-inserts catch_errors, gatekeeper, listing_formats, copy, dlo and versioned_writes by
# itself when they are missing, so removing those would change nothing: they are refused.
set -eEuo pipefail
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
STATE="${DEV_CLOUD_DIR:-/var/lib/refstack-dev-cloud}"
case "$STATE" in /*) ;; *) STATE="$PWD/$STATE" ;; esac
CONF="$STATE/etc/swift/proxy-server.conf"
ORIG="$STATE/etc/swift/proxy-pipeline.orig"
PIDF="$STATE/run/swift-proxy.pid"
LOGF="$STATE/log/swift-proxy.log"
SWIFT_AUTO_INSERTED=" catch_errors gatekeeper listing_formats copy dlo versioned_writes "

usage() { sed -n '2,18p' "$0" >&2; exit 2; }
die() { echo "break-middleware.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root"
[ -f "$CONF" ] || die "$CONF not found: run up.sh first"

pipeline() { sed -n 's/^pipeline = //p' "$CONF"; }
set_pipeline() {  # new pipeline (one line); only the [pipeline:main] line starts with "pipeline ="
  local tmp="$CONF.new"
  awk -v p="$1" '/^pipeline = / { print "pipeline = " p; next } { print }' "$CONF" > "$tmp"
  chmod 600 "$tmp"
  mv "$tmp" "$CONF"
}
proxy_url() {
  local ip port
  ip=$(sed -n 's/^bind_ip = //p' "$CONF" | head -1)
  port=$(sed -n 's/^bind_port = //p' "$CONF" | head -1)
  echo "http://$ip:$port"
}
our_proxy_pid() {  # the pidfile's process, only if its command line is our proxy config
  local pid
  [ -s "$PIDF" ] || return 1
  pid=$(cat "$PIDF")
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$CONF" || return 1
  echo "$pid"
}
restart_proxy() {
  local pid url
  pid=$(our_proxy_pid) || die "swift proxy is not running (no live pid in $PIDF): run up.sh first"
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; sleep 0.5; fi
  # same command line as up.sh
  setsid nohup swift-proxy-server "$CONF" -v >> "$LOGF" 2>&1 < /dev/null &
  echo $! > "$PIDF"
  url=$(proxy_url)
  for _ in $(seq 1 120); do
    if curl -sf -o /dev/null --max-time 3 "$url/healthcheck"; then
      echo "swift proxy restarted (pid $(cat "$PIDF")); pipeline: $(pipeline)"
      return 0
    fi
    our_proxy_pid >/dev/null || { tail -20 "$LOGF" >&2; die "swift proxy died on start"; }
    sleep 0.25
  done
  die "swift proxy did not answer $url/healthcheck within 30 s"
}

case "${1:-}" in
  remove)
    name="${2:-}"
    [ -n "$name" ] || usage
    current=" $(pipeline) "
    [ "$name" != proxy-server ] || die "proxy-server is the application, not a middleware"
    case "$SWIFT_AUTO_INSERTED" in
      *" $name "*) die "Swift re-inserts '$name' by itself; removing it would change nothing" ;;
    esac
    case "$current" in
      *" $name "*) ;;
      *)
        # idempotent: removing an already removed filter is fine (no restart)
        if [ -s "$ORIG" ] && grep -qw -- "$name" "$ORIG"; then
          echo "'$name' is already removed; pipeline: $(pipeline)"; exit 0
        fi
        die "'$name' is not in the pipeline:$current" ;;
    esac
    [ -s "$ORIG" ] || pipeline > "$ORIG"
    new=$(echo "$current" | tr ' ' '\n' | grep -vxF "$name" | grep -v '^$' | paste -sd' ')
    set_pipeline "$new"
    echo "removed '$name' from the Swift proxy pipeline"
    restart_proxy
    ;;
  restore)
    if [ ! -s "$ORIG" ]; then
      echo "pipeline is already the original one: $(pipeline)"
      exit 0
    fi
    set_pipeline "$(cat "$ORIG")"
    rm -f "$ORIG"
    echo "restored the original Swift proxy pipeline"
    restart_proxy
    ;;
  show)
    pipeline
    ;;
  *) usage ;;
esac
