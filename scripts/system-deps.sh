#!/usr/bin/env bash
# Debian/Ubuntu libraries that Qt (offscreen or X11) needs, and fonts metric-compatible with
# Times New Roman for rendering. Installs only what is missing; needs root or sudo.
set -euo pipefail
pkgs=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 libxcb-cursor0
      libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxcb-image0
      fonts-liberation fonts-dejavu-core
      # Liberation 2: Times New Roman's metrics with the Vietnamese letters (1.07 lacks ạ, ơ, ư ...
      # and LibreOffice falls back to the wider DejaVu Serif when it prints the Word documents)
      fonts-liberation2)
command -v dpkg-query >/dev/null 2>&1 || { echo "system-deps: not a Debian system, skipping"; exit 0; }
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
