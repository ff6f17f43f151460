#!/bin/sh
# Install what building and testing lvsd needs on Debian 12 (run as root).
# Quiet when everything is already there.
set -e
PKGS="build-essential autoconf automake pkg-config
 libnl-3-dev libnl-genl-3-dev libnl-route-3-dev libnftnl-dev libmnl-dev
 libssl-dev libyaml-dev libevent-dev libcmocka-dev
 iproute2 procps python3 user-mode-linux kmod ipvsadm busybox util-linux nftables iputils-arping iputils-ping"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
