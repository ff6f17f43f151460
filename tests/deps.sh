#!/bin/sh
# Install what building and testing lvsd needs on Debian 12 (run as root),
# and create the system user lvsd's unprivileged children run as.  Waits
# for another apt or dpkg (an unattended upgrade, a second test run) to
# finish instead of failing.  Quiet when everything is already there.
# prometheus: promtool checks the metrics and the alerts' unit tests in
# make check, and the lab runs the server to scrape both directors.
set -e
PKGS="build-essential autoconf automake pkg-config
 libnl-3-dev libnl-genl-3-dev libnl-route-3-dev libnftnl-dev libmnl-dev
 libssl-dev libyaml-dev libevent-dev libcmocka-dev
 iproute2 procps python3 user-mode-linux kmod ipvsadm busybox util-linux
 gdb keepalived nftables iputils-arping iputils-ping tcpdump openssl bird2
 prometheus curl"
LOCK_WAIT_S=600

# apt_get ARGS...: apt-get waiting up to LOCK_WAIT_S for the dpkg lock; the
# lists lock of "update" is not covered by that option, so a run that failed
# on a lock is tried again until the same deadline
apt_get() {
	end=$(($(date +%s) + LOCK_WAIT_S))
	while :; do
		if apt-get -o DPkg::Lock::Timeout=$LOCK_WAIT_S "$@" 2>"$apt_err"; then
			return 0
		fi
		if ! grep -q "Could not get lock\|Unable to lock\|is held by process" "$apt_err" ||
			[ "$(date +%s)" -ge "$end" ]; then
			cat "$apt_err" >&2
			return 1
		fi
		sleep 5
	done
}

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt_err=$(mktemp)
	trap 'rm -f "$apt_err"' EXIT
	apt_get update -qq
	apt_get install -y -qq --no-install-recommends $missing >/dev/null
fi

# lvsd's unprivileged children run as this user
if ! id -u lvsd >/dev/null 2>&1; then
	echo "creating the system user lvsd"
	useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin lvsd
fi
