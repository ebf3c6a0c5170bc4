#!/usr/bin/env bash
# Installs what `./nightjar up --ha` and platform-local's Patroni tests run on, when any of it is missing:
# Debian's patroni (3.0.2 on Debian 12), etcd-server (3.4) and postgresql-15 (with pg_rewind).
# Non-interactive; needs root and apt. Idempotent: does nothing when everything is there.
set -euo pipefail

missing=()
[ -x /usr/bin/patroni ] || missing+=(patroni)
[ -x /usr/bin/etcd ] || missing+=(etcd-server)
{ [ -x /usr/lib/postgresql/15/bin/postgres ] && [ -x /usr/lib/postgresql/15/bin/pg_rewind ]; } || missing+=(postgresql-15)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "ha-packages: ${missing[*]} missing; installing needs root: sudo $0" >&2
  exit 1
fi

echo "ha-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The packages' own services (Debian's main PostgreSQL cluster on 5432, an etcd on 2379) are not wanted:
# the platform runs its own. A policy-rc.d that refuses keeps the maintainer scripts from starting them.
policy=/usr/sbin/policy-rc.d
made_policy=no
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  made_policy=yes
fi
trap '[ "$made_policy" = yes ] && rm -f "$policy"' EXIT
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
