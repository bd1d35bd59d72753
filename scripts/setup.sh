#!/usr/bin/env bash
# Everything the demo and the tests need on a fresh Debian 12 with Node 20: Debian packages
# (installed only when missing), npm dependencies, the TypeScript build and the native addon.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(
  chromium                       # headless sign-in in the demo and the end-to-end tests
  dbus dbus-daemon               # private session buses for the broker tests
  gnome-keyring libsecret-tools  # a real Secret Service
  libsecret-1-dev                # keytar builds from source against it
  libwebkit2gtk-4.1-0 libjavascriptcoregtk-4.1-0 libsoup-3.0-0  # Microsoft's MSALRuntime loads with these
  g++-mingw-w64-x86-64 wine64    # the Windows addon: cross-built here, tested under Wine
  clang libgnustep-base-dev libgnustep-gui-dev  # the macOS Objective-C++ syntax check
  clang-format                   # the native/ format check (test/package/lint.test.mjs)
  libclang-rt-14-dev             # libFuzzer, ASan, UBSan: the Windows JSON fuzz (test/native/winJsonFuzz)
  azure-cli                      # the real az (2.45), signed in offline against the dev authority (test/azureCli)
)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci" >&2
  npm ci --no-fund --no-audit >/dev/null
fi
echo "setup: build" >&2
npm run --silent build
if [ -f scripts/build-native.mjs ]; then
  npm run --silent build:native
fi
# Per-area set-up, each in its own script.
for step in scripts/setup-windows.sh scripts/setup-examples.sh; do
  if [ -f "$step" ]; then bash "$step"; fi
done
