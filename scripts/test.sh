#!/usr/bin/env bash
# Install everything the tests need, then run them all: native unit tests, the package under real Pyodide in Node,
# the built page in headless Chromium, and the standalone file in headless Firefox. Works on a fresh Debian/Ubuntu
# machine (as root or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
# Chromium for the browser tests (Playwright drives Debian's build; it cannot download its own offline).
if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
fi
# Firefox for tests/test_firefox.py (the standalone file in a second engine); where apt has none, that test skips.
if ! command -v firefox-esr >/dev/null 2>&1 && ! command -v firefox >/dev/null 2>&1; then
  { $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
    firefox-esr; } || echo "scripts/test.sh: no firefox-esr here; tests/test_firefox.py will skip"
fi
python3 -m pip install -q -r requirements-dev.txt
npm ci --no-audit --no-fund --loglevel=error
python3 -m pytest "$@"
