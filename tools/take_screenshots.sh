#!/usr/bin/env bash
# Take the main-window screenshot shown in the READMEs: the demo's autopilot logs in,
# queries a demo person, previews and prints on a real X server (Xvfb), then saves a
# grab of the window. Needs the packages that installer/setup-debian.sh installs.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
demo_dir=$(mktemp -d)
trap 'rm -rf "$demo_dir"' EXIT
QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1440x900x24" \
  "$repo/.venv/bin/fpcert-desktop" demo --autopilot --people 2000 --dir "$demo_dir"
cp "$demo_dir/screenshots/main-window.png" "$repo/docs/images/main-window.png"
echo "saved docs/images/main-window.png"
