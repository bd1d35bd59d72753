#!/usr/bin/env bash
# The Electron example's own dependencies (examples/electron/package-lock.json), so its code is
# type-checked against the real electron package. Scripts stay off: electron's postinstall downloads
# the Electron binary, which type-checking does not need and this machine cannot fetch.
# entra-broker itself is linked (file:../..): npm leaves the repository's own node_modules alone.
set -euo pipefail
cd "$(dirname "$0")/../examples/electron"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci in examples/electron (scripts off)" >&2
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
fi
