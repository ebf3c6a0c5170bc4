# Sourced by bin/ha-packages.sh and bin/observability-packages.sh: installs Debian packages without starting
# their services. POSIX-compatible bash, used under `set -euo pipefail`.

# debian_install NAME PACKAGE... : installs the packages (non-interactive, no recommends) as root; exits 1 with
# the sudo command to run when not root. The packages' own services (Debian's main PostgreSQL cluster, an etcd,
# a Prometheus on 9090) are not wanted: whatever runs them here starts its own. A policy-rc.d that refuses
# keeps the maintainer scripts from starting them.
debian_install() {
  local name=$1
  shift
  if [ "$(id -u)" != 0 ]; then
    echo "$name: $* missing; installing needs root: sudo $0" >&2
    exit 1
  fi
  echo "$name: installing $*"
  export DEBIAN_FRONTEND=noninteractive
  local policy=/usr/sbin/policy-rc.d
  debian_made_policy=no
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    debian_made_policy=yes
  fi
  trap '[ "$debian_made_policy" = yes ] && rm -f /usr/sbin/policy-rc.d' EXIT
  apt-get update -q
  apt-get install -y -q --no-install-recommends "$@"
}
