#!/bin/sh
# Written by refstack-action: Debian's refstack-client run against a Tempest that was on the target before
# (the operator's), in its workspace. refstack-client runs `tempest` and `stestr` by name: that Tempest's bin
# directory comes first in PATH — after refstack-action's worker shim when the run has one (the shim drops
# its own directory and runs the `tempest` found next). Values are set on the lines below, quoted.
# @VALUES@
case "$PATH" in
"$workers":*) PATH="$workers:$bin:${PATH#*:}" ;;
*) PATH="$bin:$PATH" ;;
esac
export PATH
exec "$client_python" "$launcher" "$workspace" "$@"
