#!/bin/sh
# Written by refstack-action: refstack-client -p gives tempest run no --concurrency.
PATH=${PATH#*:}
if [ "$1" = run ] && [ -n "${TEMPEST_CONCURRENCY:-}" ]; then
  shift
  exec tempest run --concurrency "$TEMPEST_CONCURRENCY" "$@"
fi
exec tempest "$@"
