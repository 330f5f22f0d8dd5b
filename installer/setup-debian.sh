#!/usr/bin/env bash
# Install everything fpcert-desktop needs on a fresh Debian 12 / Ubuntu 22.04+ machine,
# then run the demo or the tests. Run as root from a clone of the repository:
#
#   bash installer/setup-debian.sh demo [demo options]    # e-key login, query, print
#   bash installer/setup-debian.sh test [pytest options]  # the whole test suite
#
# It installs Debian packages (SoftHSM2, CUPS with cups-pdf, CJK TrueType fonts, the
# libraries Qt needs, Xvfb), makes a virtualenv in .venv with the project and its test
# tools, and starts cupsd when it is not running (containers have no systemd).
set -euo pipefail

mode=${1:-}
case "$mode" in
  demo|test) shift ;;
  *) echo "usage: $0 demo|test [options]" >&2; exit 2 ;;
esac

if [ "$(id -u)" -ne 0 ]; then
  echo "Run this script as root (sudo bash $0 $mode): it installs Debian packages." >&2
  exit 2
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

packages=(
  python3 python3-venv python3-pip
  softhsm2 opensc
  cups cups-client cups-bsd printer-driver-cups-pdf
  fonts-arphic-uming fonts-hanazono fonts-wqy-zenhei
  poppler-utils zbar-tools xvfb xauth
  libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libxkbcommon0
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xfixes0
)
if [ "$mode" = test ]; then
  packages+=(postgresql)  # the reference server's tests run against PostgreSQL too
  packages+=(libpython3-dev)  # PyInstaller bundles libpython when .venv uses Debian's python3
  packages+=(nsis 7zip)   # tests/packaging/test_nsis.py builds and opens the Windows installer
fi

# Start the Debian PostgreSQL cluster (no systemd in containers) and make the test role
# and database; both are dropped and made anew on every run.
start_test_postgres() {
  echo "== starting PostgreSQL for the server tests"
  local version
  version=$(pg_lsclusters -h | awk 'NR == 1 {print $1}')
  if [ -z "$version" ]; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
    pg_createcluster "$version" main
  fi
  pg_ctlcluster "$version" main start 2>/dev/null || true
  for _ in $(seq 1 50); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 0.2
  done
  su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DROP DATABASE IF EXISTS fpcert_test;
DROP ROLE IF EXISTS fpcert;
CREATE ROLE fpcert LOGIN PASSWORD 'fpcert';
CREATE DATABASE fpcert_test OWNER fpcert;
SQL
}

echo "== installing Debian packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"

echo "== preparing the Python environment in .venv"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"

echo "== starting cupsd"
if ! lpstat -r 2>/dev/null | grep -q "scheduler is running"; then
  /usr/sbin/cupsd
  for _ in $(seq 1 50); do
    lpstat -r 2>/dev/null | grep -q "scheduler is running" && break
    sleep 0.2
  done
fi
lpstat -r

case "$mode" in
  demo)
    exec .venv/bin/fpcert-desktop demo "$@"
    ;;
  test)
    start_test_postgres
    export FPCERT_TEST_POSTGRES_URL="postgresql+psycopg://fpcert:fpcert@127.0.0.1:5432/fpcert_test"
    export QT_QPA_PLATFORM=offscreen
    exec .venv/bin/python -m pytest -ra "$@"
    ;;
esac
