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
. "$(dirname "${BASH_SOURCE[0]}")/debian-packages.sh"
debian_install ha-packages "${missing[@]}"
