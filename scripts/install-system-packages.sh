#!/usr/bin/env bash
# Debian packages, by group. Idempotent: installs only what is missing.
#   browser  Chromium (Playwright cannot download its own here) and a font for screenshots
#   moodle   what the local Moodle harness needs: PHP 8.2 with Moodle's extensions, PostgreSQL 15, nginx + php-fpm
# With no group: browser.
set -euo pipefail

declare -A groups=(
  [browser]="chromium fonts-dejavu-core"
  [moodle]="postgresql php8.2-cli php8.2-fpm php8.2-pgsql php8.2-curl php8.2-gd php8.2-zip php8.2-intl php8.2-mbstring php8.2-xml php8.2-soap php8.2-opcache nginx-light"
)

wanted=()
for group in "${@:-browser}"; do
  [ -n "${groups[$group]:-}" ] || { echo "unknown package group: $group (browser, moodle)" >&2; exit 2; }
  read -r -a list <<<"${groups[$group]}"
  wanted+=("${list[@]}")
done

missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages: all present (${wanted[*]})"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "system packages missing: ${missing[*]}; run this script as root (apt-get install)" >&2
  exit 1
fi
echo "system packages: installing ${missing[*]}"
apt-get update -qq
# Services are started by whoever needs them, with their own settings.
printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
trap 'rm -f /usr/sbin/policy-rc.d' EXIT
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
