#!/usr/bin/env bash
# Build the fpcert-desktop .deb: a PyInstaller onedir bundle in /opt/fpcert-desktop.
#
#   bash installer/linux/build-deb.sh [--version X] [--tree DIR] [--output DIR] [--compression C]
#
#   --version X   package version (default: the version in pyproject.toml), also
#                 stamped into the bundle, so `fpcert-desktop --version` prints it
#   --tree DIR    package this PyInstaller output instead of running PyInstaller
#   --output DIR  where the .deb goes (default: dist/)
#   --compression xz|zstd|gzip
#                 compression of the .deb (default xz, which every dpkg reads; zstd
#                 builds in seconds, for tests, and needs dpkg 1.21.18 or Ubuntu's)
#
# Run from a clone with the project's .venv (pip install -e ".[package]"). PYTHON
# selects another interpreter and DEB_MAINTAINER sets the Maintainer field. The script needs dpkg-deb, ldd and dpkg -S, so it runs
# on Debian or Ubuntu, and it needs no network. The package's libc6 minimum comes
# from installer/linux/glibc-minimum.txt and tools/check_glibc.py enforces it on the
# bundle. The other dependencies are the Debian packages that own the system
# libraries the bundle links to, found by installer/linux/system_depends.py on this
# machine, so build on the oldest release the package supports.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
here="$repo/installer/linux"
python=${PYTHON:-$repo/.venv/bin/python}
version=""
tree=""
output="$repo/dist"
compression=xz

while [ $# -gt 0 ]; do
  case "$1" in
    --version) version=${2:?--version needs a value}; shift 2 ;;
    --tree) tree=${2:?--tree needs a folder}; shift 2 ;;
    --output) output=${2:?--output needs a folder}; shift 2 ;;
    --compression) compression=${2:?--compression needs xz, zstd or gzip}; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

case "$compression" in
  xz|zstd|gzip) ;;
  *) echo "error: invalid compression '$compression': use xz, zstd or gzip" >&2; exit 2 ;;
esac
if [ -z "$version" ]; then
  version=$("$python" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$repo/pyproject.toml")
fi
# Debian's version syntax without an epoch, because the version also goes into the file name.
if ! [[ "$version" =~ ^[0-9][A-Za-z0-9.+~-]*$ ]]; then
  echo "error: invalid package version '$version': use digits, letters and . + ~ -, starting with a digit" >&2
  exit 2
fi

glibc_minimum=$(grep -v '^[[:space:]]*#' "$here/glibc-minimum.txt" | grep -m1 -o '[0-9][0-9.]*')
arch=$(dpkg --print-architecture)
# NOTE: the default is a placeholder. Set DEB_MAINTAINER to the publisher's name and
# address for a package that is handed out.
maintainer=${DEB_MAINTAINER:-"fpcert-desktop maintainers <fpcert-desktop@localhost>"}
work="$repo/build/deb"
mkdir -p "$work" "$output"

if [ -z "$tree" ]; then
  echo "== PyInstaller"
  "$python" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$work/dist" --workpath "$work/pyinstaller" "$here/fpcert-desktop.spec"
  tree="$work/dist/fpcert-desktop"
fi
if [ ! -x "$tree/fpcert-desktop" ]; then
  echo "error: $tree/fpcert-desktop not found: give the PyInstaller output folder with --tree" >&2
  exit 2
fi

echo "== staging fpcert-desktop $version"
root="$work/root-$version"
rm -rf "$root"
mkdir -p "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/icons" "$root/usr/share/doc/fpcert-desktop" "$root/etc/fpcert" "$root/DEBIAN"
cp -a "$tree" "$root/opt/fpcert-desktop"
ln -s /opt/fpcert-desktop/fpcert-desktop "$root/usr/bin/fpcert-desktop"
install -m 0644 "$here/fpcert-desktop.desktop" "$root/usr/share/applications/"
cp -a "$repo/resources/icons/hicolor" "$root/usr/share/icons/"
install -m 0644 "$repo/README.md" "$root/usr/share/doc/fpcert-desktop/README.md"
"$python" "$here/copyright.py" > "$root/usr/share/doc/fpcert-desktop/copyright"

# importlib.metadata reads the version from the bundled METADATA (or PKG-INFO, when
# PyInstaller copied the source tree's egg-info). This package's version goes there.
metadata=$(find "$root/opt/fpcert-desktop/_internal" -maxdepth 2 \
  \( -path '*/fpcert_desktop*.dist-info/METADATA' -o -path '*/fpcert_desktop*.egg-info/PKG-INFO' \))
if [ -z "$metadata" ]; then
  echo "error: the fpcert_desktop metadata (dist-info or egg-info) is missing from the bundle: check copy_metadata in the spec" >&2
  exit 1
fi
sed -i "s/^Version: .*/Version: $version/" "$metadata"

# The machine-wide settings file with every default and its description.
"$python" -c 'from fpcert_desktop.config import Settings, render_settings; print(render_settings(Settings()), end="")' \
  > "$root/etc/fpcert/config.toml"
printf '/etc/fpcert/config.toml\n' > "$root/DEBIAN/conffiles"

echo "== checking glibc symbol versions (minimum $glibc_minimum)"
"$python" "$repo/tools/check_glibc.py" "$root/opt/fpcert-desktop" --minimum "$glibc_minimum"

echo "== finding the Debian packages of the system libraries the bundle links to"
# An assignment, not a process substitution, so that set -e stops on its failure.
owner_list=$("$python" "$here/system_depends.py" "$root/opt/fpcert-desktop")
mapfile -t owner_packages <<< "$owner_list"

# What Qt's xcb platform plugin, CUPS printing and the certificates' CJK text need.
# libc6 gets the measured minimum above.
base_packages=(
  cups-client
  fonts-arphic-uming fonts-hanazono fonts-wqy-zenhei
  libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0
)
depends="libc6 (>= $glibc_minimum)"
for package in $(printf '%s\n' "${base_packages[@]}" "${owner_packages[@]}" | sort -u); do
  case "$package" in
    libc6|libc-bin) ;;
    *) depends="$depends, $package" ;;
  esac
done

chmod -R u+rwX,go+rX,go-w "$root"
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: fpcert-desktop
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $depends
Recommends: opensc, opensc-pkcs11
Suggests: softhsm2, printer-driver-cups-pdf
Section: misc
Priority: optional
Description: counter client of Shenzhen's family-planning certificate system
 The print clerk logs in with a USB e-key (PKCS#11), finds the applicant in
 the population records synchronised from the provincial system and prints
 the family-planning certificate (计划生育证明) on the local CUPS printer.
 .
 The program is a self-contained PyInstaller bundle in /opt/fpcert-desktop;
 the machine-wide settings are in /etc/fpcert/config.toml.
CONTROL

deb="$output/fpcert-desktop_${version}_${arch}.deb"
echo "== dpkg-deb"
# --root-owner-group makes every file root:root without fakeroot.
dpkg-deb --root-owner-group -Z"$compression" --threads-max="$(nproc)" --build "$root" "$deb" >/dev/null
rm -rf "$root"
echo "$deb"
