#!/bin/sh
# The one list of Debian packages edu needs, and the one place that installs them.
# scripts/demo, scripts/test and .ci/run call it; nothing else may assume a package is there.
#
#	scripts/deps.sh [GROUP...]	install what is missing (default: every group)
#	scripts/deps.sh --list [GROUP...]	print the packages, one a line
#
# Groups: build (compile), run (what edud needs at run time), tests (make check), bench.
# It asks dpkg first and runs apt-get (update, then install) only when something is
# missing, so running it twice costs nothing.
set -eu

build="autoconf automake autoconf-archive libtool pkg-config gcc make
	libmicrohttpd-dev libpq-dev libcjson-dev libjwt-dev libcrypt-dev libssl-dev
	libcurl4-openssl-dev libsqlite3-dev libreadline-dev libncurses-dev libcsv-dev
	libcunit1-dev libmagic-dev libmd4c-dev scdoc"
# edud runs its embedded cluster with the server's own initdb and pg_ctl.
run="postgresql"
tests="curl jq openssl tmux openssh-client bash-completion zsh fish man-db procps util-linux"
bench="wrk nginx-light"

list=no
groups=
for arg; do
	case $arg in
	--list) list=yes ;;
	build|run|tests|bench) groups="$groups $arg" ;;
	all) groups="build run tests bench" ;;
	-h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "deps.sh: unknown group '$arg' (build, run, tests, bench, all)" >&2; exit 2 ;;
	esac
done
[ -n "$groups" ] || groups="build run tests bench"

wanted=
for g in $groups; do
	eval "wanted=\"\$wanted \$$g\""
done

if [ $list = yes ]; then
	for p in $wanted; do echo "$p"; done
	exit 0
fi

missing=
for p in $wanted; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing="$missing $p"
done
[ -n "$missing" ] || exit 0

echo "deps.sh: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "deps.sh: not root and no sudo: as root, run: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086 # one word a package
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
