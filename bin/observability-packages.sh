#!/usr/bin/env bash
# Installs Debian's prometheus package (Prometheus 2.42 on Debian 12) when its server or its promtool is missing:
# deploy/prometheus-tests runs `promtool check rules` and `promtool test rules`, the local platform and the
# forecaster's tests run the server. Non-interactive; needs root and apt. Idempotent: does nothing when both are there.
set -euo pipefail

missing=()
{ [ -x /usr/bin/prometheus ] && [ -x /usr/bin/promtool ]; } || missing+=(prometheus)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
. "$(dirname "${BASH_SOURCE[0]}")/debian-packages.sh"
debian_install observability-packages "${missing[@]}"
