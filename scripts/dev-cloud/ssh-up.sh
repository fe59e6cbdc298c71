#!/bin/bash
# ssh-up.sh — a private, key-only sshd on 127.0.0.1:$SSH_PORT (default 2222) so the action can be
# exercised the way users run it: refstack-client on a remote "utility host" reached over SSH
# (directly, or through a jump host — hence TCP forwarding is allowed).
#
#   ssh-up.sh [--no-install]        (run by `up.sh --with-ssh`; can also run on its own)
#
# It has its own sshd_config, host key, authorized_keys, pidfile and log under $DEV_CLOUD_DIR/ssh;
# the machine's sshd (/etc/ssh/sshd_config, port 22) is neither read, changed nor started.
# Two client keys are generated once and both authorized for root:
#   ssh/id_ed25519        no passphrase
#   ssh/id_ed25519_pass   protected by the passphrase in ssh/passphrase (no trailing newline)
# ssh/known_hosts holds the `[127.0.0.1]:PORT ssh-ed25519 …` line, ssh/ssh_config a `dev-cloud`
# host alias. The SSH_* lines of $DEV_CLOUD_DIR/env are (re)written. Idempotent. Stop: down.sh.
set -eEuo pipefail
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${DEV_CLOUD_DIR:-/var/lib/refstack-dev-cloud}"
case "$STATE" in /*) ;; *) STATE="$PWD/$STATE" ;; esac
SSH_PORT="${SSH_PORT:-2222}"
HOST=127.0.0.1
SSHDIR="$STATE/ssh"
RUN="$STATE/run"
LOG="$STATE/log"
trap 'echo "ssh-up.sh: FAILED (line $LINENO); see $LOG/sshd.log" >&2' ERR

if [ "$(id -u)" != 0 ]; then echo "ssh-up.sh: must run as root" >&2; exit 1; fi

if ! [ -x /usr/sbin/sshd ] || ! command -v ssh >/dev/null || ! command -v ssh-keygen >/dev/null; then
  if [ "${1:-}" = "--no-install" ]; then echo "ssh-up.sh: openssh-server/openssh-client missing" >&2; exit 1; fi
  # one install code path (policy-rc.d guard, apt-get update + retry) for the whole script set
  "$HERE/up.sh" --install-only --with-ssh
fi

mkdir -p "$SSHDIR" "$RUN" "$LOG"
chmod 700 "$STATE" "$SSHDIR"   # sshd's StrictModes checks the directories above authorized_keys
mkdir -p /run/sshd && chmod 755 /run/sshd   # privilege-separation dir; /run is a tmpfs on most boxes

# --- keys (generated once) -------------------------------------------------------------------
[ -s "$SSHDIR/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C dev-cloud-host -f "$SSHDIR/ssh_host_ed25519_key"
[ -s "$SSHDIR/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C dev-cloud-client -f "$SSHDIR/id_ed25519"
if [ ! -s "$SSHDIR/id_ed25519_pass" ] || [ ! -s "$SSHDIR/passphrase" ]; then
  rm -f "$SSHDIR/id_ed25519_pass" "$SSHDIR/id_ed25519_pass.pub"
  ( umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$SSHDIR/passphrase" )
  ssh-keygen -q -t ed25519 -N "$(cat "$SSHDIR/passphrase")" -C dev-cloud-client-passphrase -f "$SSHDIR/id_ed25519_pass"
fi
cat "$SSHDIR/id_ed25519.pub" "$SSHDIR/id_ed25519_pass.pub" > "$SSHDIR/authorized_keys"
chmod 600 "$SSHDIR/authorized_keys" "$SSHDIR/passphrase"
# a non-default port is written in brackets in known_hosts
echo "[$HOST]:$SSH_PORT $(cut -d' ' -f1,2 "$SSHDIR/ssh_host_ed25519_key.pub")" > "$SSHDIR/known_hosts"

# --- sshd configuration ----------------------------------------------------------------------
cat > "$SSHDIR/sshd_config.new" <<EOF
# private sshd of refstack-action scripts/dev-cloud/ssh-up.sh — NOT the system sshd
Port $SSH_PORT
ListenAddress $HOST
HostKey $SSHDIR/ssh_host_ed25519_key
PidFile $RUN/sshd.pid
AuthorizedKeysFile $SSHDIR/authorized_keys
PermitRootLogin prohibit-password
AllowUsers root
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# the action opens a direct-tcpip channel through the first host when it uses a jump host
AllowTcpForwarding yes
AllowAgentForwarding no
X11Forwarding no
PermitTunnel no
PrintMotd no
# end-to-end tests open several connections at once; don't drop them early
MaxStartups 30:30:100
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
LogLevel INFO
EOF
/usr/sbin/sshd -t -f "$SSHDIR/sshd_config.new"

cat > "$SSHDIR/ssh_config" <<EOF
Host dev-cloud
  HostName $HOST
  Port $SSH_PORT
  User root
  IdentityFile $SSHDIR/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $SSHDIR/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
EOF

our_sshd() {  # alive and really ours (pid not reused by something else)
  [ -s "$RUN/sshd.pid" ] && tr '\0' ' ' < "/proc/$(cat "$RUN/sshd.pid")/cmdline" 2>/dev/null | grep -qF "$SSHDIR/"
}
wait_pidfile() { for _ in $(seq 1 40); do [ -s "$RUN/sshd.pid" ] && return 0; sleep 0.25; done; return 1; }

CHANGED=1
cmp -s "$SSHDIR/sshd_config.new" "$SSHDIR/sshd_config" && CHANGED=0
mv "$SSHDIR/sshd_config.new" "$SSHDIR/sshd_config"
if our_sshd; then
  if [ "$CHANGED" = 1 ]; then
    # SIGHUP: sshd re-execs itself (same pid) with the new config
    kill -HUP "$(cat "$RUN/sshd.pid")"
    sleep 0.5; wait_pidfile
    echo "sshd: config changed, reloaded (pid $(cat "$RUN/sshd.pid"))"
  else
    echo "sshd: running (pid $(cat "$RUN/sshd.pid"))"
  fi
else
  rm -f "$RUN/sshd.pid"
  if (exec 3<>"/dev/tcp/$HOST/$SSH_PORT") 2>/dev/null; then
    echo "ssh-up.sh: port $SSH_PORT is taken by a process that is not our sshd" >&2; exit 1
  fi
  /usr/sbin/sshd -f "$SSHDIR/sshd_config" -E "$LOG/sshd.log"   # daemonizes, writes PidFile
  wait_pidfile || { echo "ssh-up.sh: sshd did not start" >&2; tail -5 "$LOG/sshd.log" >&2; exit 1; }
  echo "sshd: started on $HOST:$SSH_PORT (pid $(cat "$RUN/sshd.pid"))"
fi

# --- prove both keys work ----------------------------------------------------------------------
for _ in $(seq 1 20); do ssh -F "$SSHDIR/ssh_config" dev-cloud true 2>/dev/null && break; sleep 0.25; done
ssh -F "$SSHDIR/ssh_config" dev-cloud true
[ "$(ssh-keygen -y -P "$(cat "$SSHDIR/passphrase")" -f "$SSHDIR/id_ed25519_pass" | cut -d' ' -f1,2)" = \
  "$(cut -d' ' -f1,2 "$SSHDIR/id_ed25519_pass.pub")" ] \
  || { echo "ssh-up.sh: $SSHDIR/passphrase does not open $SSHDIR/id_ed25519_pass" >&2; exit 1; }

# --- env file: replace the SSH_* lines -------------------------------------------------------
{
  if [ -f "$STATE/env" ]; then grep -v '^SSH_' "$STATE/env" || true; fi
  cat <<EOF
SSH_HOST=$HOST
SSH_PORT=$SSH_PORT
SSH_USER=root
SSH_KEY=$SSHDIR/id_ed25519
SSH_KNOWN_HOSTS=$SSHDIR/known_hosts
SSH_CONFIG=$SSHDIR/ssh_config
SSH_KEY_WITH_PASSPHRASE=$SSHDIR/id_ed25519_pass
SSH_KEY_PASSPHRASE_FILE=$SSHDIR/passphrase
EOF
} > "$STATE/env.new"
mv "$STATE/env.new" "$STATE/env"

cat <<EOF
ssh ready on $HOST:$SSH_PORT (log $LOG/sshd.log)
  key              : $SSHDIR/id_ed25519
  key + passphrase : $SSHDIR/id_ed25519_pass  (passphrase in $SSHDIR/passphrase)
  known_hosts      : $SSHDIR/known_hosts
  try              : ssh -p $SSH_PORT -i $SSHDIR/id_ed25519 -o UserKnownHostsFile=$SSHDIR/known_hosts root@$HOST true
                     ssh -F $SSHDIR/ssh_config dev-cloud true
EOF
