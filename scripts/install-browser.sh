#!/usr/bin/env bash
# Install the headless browser the HTML page's tests drive (tests/browser/): Debian's chromium
# and its chromedriver. Does nothing when both are already there; `make setup` calls it.
# Needs root (CI runs as root) or sudo; without either it says what to run and fails.
set -euo pipefail

CHROMIUM="${QBANK_CHROMIUM:-/usr/bin/chromium}"
DRIVER="${QBANK_CHROMEDRIVER:-/usr/bin/chromedriver}"

if [ -x "$CHROMIUM" ] && [ -x "$DRIVER" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: no apt-get here: install chromium and its chromedriver" \
        "($CHROMIUM, $DRIVER) by hand, or point QBANK_CHROMIUM/QBANK_CHROMEDRIVER at them" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "install-browser: run as root: apt-get install -y chromium chromium-driver" >&2
        exit 1
    fi
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
"$DRIVER" --version
