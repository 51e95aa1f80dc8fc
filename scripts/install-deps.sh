#!/bin/sh
# Install what keikai needs to build, test and run on Debian 12, only what is missing.
# Usage: scripts/install-deps.sh [--test]   (--test adds the test and benchmark tools,
#   and a PostgreSQL server for the tests that run keikai on PostgreSQL)
set -eu

pkgs="build-essential meson ninja-build pkg-config gettext locales
      libmicrohttpd-dev libsqlite3-dev sqlite3 libpq-dev libpwquality-dev cracklib-runtime libjansson-dev libsodium-dev libxml2-dev libunistring-dev zlib1g-dev
      libgpgme-dev gnupg libcurl4-openssl-dev python3-aiosmtpd libcmark-dev"
if [ "${1:-}" = "--test" ]; then
	pkgs="$pkgs libcriterion-dev nodejs npm chromium fonts-ipafont-gothic curl wrk nginx-light clang
	      libxml2-utils
	      postgresql"
fi

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# A node and npm installed some other way count as present.
command -v node >/dev/null && missing=$(echo "$missing" | sed 's/ nodejs\b//')
command -v npm >/dev/null && missing=$(echo "$missing" | sed 's/ npm\b//')

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ -n "$missing" ]; then
	echo "install-deps: installing$missing"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

# Pages are served in Japanese through gettext, which needs the ja_JP.UTF-8 locale.
if ! locale -a 2>/dev/null | grep -qi '^ja_JP\.utf-\?8$'; then
	echo "install-deps: generating the ja_JP.UTF-8 locale"
	$sudo sh -c "sed -i 's/^# *\(ja_JP.UTF-8 UTF-8\)/\1/' /etc/locale.gen; grep -q '^ja_JP.UTF-8 UTF-8' /etc/locale.gen || echo 'ja_JP.UTF-8 UTF-8' >> /etc/locale.gen; locale-gen >/dev/null"
fi
