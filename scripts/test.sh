#!/usr/bin/env bash
# Install everything the tests need, then run them all: native unit tests, the package under real Pyodide in Node,
# and the built page in headless Chromium. Works on a fresh Debian/Ubuntu machine (as root or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
# Chromium for the browser tests (Playwright drives Debian's build; it cannot download its own offline).
if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
fi
python3 -m pip install -q -r requirements-dev.txt
npm ci --no-audit --no-fund --loglevel=error
python3 -m pytest "$@"
