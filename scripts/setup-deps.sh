#!/bin/sh
# Installs the Debian packages perfcmp builds, tests and measures with (README "Install").
# Idempotent: installs only what is missing; as root it runs apt-get, otherwise it prints the
# exact command to run. Usage: scripts/setup-deps.sh [--bench]
set -eu

pkgs="build-essential pkg-config libcjson-dev zlib1g-dev libsqlite3-dev libxxhash-dev \
libcriterion-dev libisal-dev libgsl-dev gnuplot-nox libxml2-utils valgrind clang \
libclang-rt-14-dev time xxhash jq sqlite3"
if [ "${1:-}" = "--bench" ]; then
	pkgs="$pkgs hyperfine"
fi

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "perfcmp: missing Debian packages:$missing" >&2
	echo "hint: run: sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi

echo "perfcmp: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
