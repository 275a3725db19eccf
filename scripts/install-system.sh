#!/usr/bin/env bash
# Install the system programs the tests drive, from Debian, when they are missing:
# the headless browser of the HTML page's tests (chromium and its chromedriver), and the
# toolchains of the other languages' banks and tests (cc, bash, and util-linux's `unshare`,
# which gives a static check's toolchain a PID namespace of its own). `node` comes with
# Node.js/npm, which the GIFT parser of the tests needs already. Does nothing when all are
# there; `make setup` calls it. Needs root (CI runs as root) or sudo; without either it says
# what to run and fails.
set -euo pipefail

CHROMIUM="${QBANK_CHROMIUM:-/usr/bin/chromium}"
DRIVER="${QBANK_CHROMEDRIVER:-/usr/bin/chromedriver}"

missing=()
[ -x "$CHROMIUM" ] && [ -x "$DRIVER" ] || missing+=(chromium chromium-driver)
command -v cc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v bash >/dev/null 2>&1 || missing+=(bash)
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
command -v node >/dev/null 2>&1 || missing+=(nodejs)

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system: no apt-get here: install ${missing[*]} by hand (chromium: point" \
        "QBANK_CHROMIUM/QBANK_CHROMEDRIVER at it)" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "install-system: run as root: apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-system: installed ${missing[*]}"
