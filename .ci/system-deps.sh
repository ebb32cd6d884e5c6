#!/usr/bin/env bash
# Debian packages the tests use to check outputs as a user would: Chromium opens the HTML map,
# GDAL's ogrinfo reads exports back, poppler's pdftoppm renders PDFs; gcc compiles the ring engine.
# Installed only when missing.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
command -v ogrinfo >/dev/null || need+=(gdal-bin)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
# A C compiler builds bordermap's ring engine (hatch_build.py); without one it measures with pyproj alone.
command -v cc >/dev/null || need+=(gcc libc6-dev)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  echo "system-deps: missing ${need[*]}; install them (Debian: apt-get install ${need[*]})" >&2
  exit 0
fi
SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
echo "system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
