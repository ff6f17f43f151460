#!/bin/bash
# Adverts that are not valid, sent to an lvsd master and backup from a third
# host on the link, are dropped and counted by reason and never acted on:
# TTL not 255, a bad checksum, version 4, a version 3 advert to these
# version 2 instances, another VRID, a v2 interval not ours, an interval of
# 0, a foreign address list, a truncated packet, auth type 1.  Each forged
# advert would otherwise make the backup's master-down timer reset or the
# master step down (priority 254).  Every reason has a counter of its own
# (status --json has no key twice).
. "$(dirname "$0")/lib.sh"
ns_skip_unless_ready
tap_plan 16
ns_setup d1 d2 x1 || { echo "Bail out! cannot build the namespaces"; exit 1; }
ADVERT=1s
vrrp_conf d1 150 "    version: 2"
vrrp_conf d2 100 "    version: 2"
check "lvsd starts on d1 and d2" eval 'lvsd_start d1 && lvsd_start d2'
check "d1 is master, d2 backup" wait_until 30 eval 'is_state d1 master && is_state d2 backup'

# forge KIND COUNT: COUNT adverts of one kind from x1 to the group, priority 254
forge() {
	nsx x1 python3 - "$1" "$2" "$VIP" "${NS_IP[x1]}" <<'EOP'
import socket, struct, sys, time
kind, count, vip = sys.argv[1], int(sys.argv[2]), socket.inet_aton(sys.argv[3])
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def advert(version=2, vrid=51, prio=254, interval=1, addrs=(vip,), auth=0, bad_sum=False):
    h = struct.pack("!BBBBBBH", (version << 4) | 1, vrid, prio, len(addrs), auth, interval, 0)
    body = h + b"".join(addrs) + b"\0" * 8
    c = csum(body) ^ (1 if bad_sum else 0)
    return body[:6] + struct.pack("!H", c) + body[8:]
def advert3(prio=254, centis=100, addrs=(vip,)):
    # RFC 5798: checksum over the IPv4 pseudo-header and the message
    body = struct.pack("!BBBBHH", 0x31, 51, prio, len(addrs), centis, 0) + b"".join(addrs)
    pseudo = (socket.inet_aton(sys.argv[4]) + socket.inet_aton("224.0.0.18") +
              struct.pack("!BBH", 0, 112, len(body)))
    return body[:6] + struct.pack("!H", csum(pseudo + body)) + body[8:]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
ttl = 64 if kind == "ttl" else 255
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(sys.argv[4]))
pkt = {
    "ttl": advert(),
    "checksum": advert(bad_sum=True),
    "version": advert(version=4),
    "vrid": advert(vrid=52),
    "interval": advert(interval=3),
    "interval0": advert(interval=0),
    "v3": advert3(),
    "addresses": advert(addrs=(socket.inet_aton("192.0.2.200"),)),
    "short": advert()[:10],
    "auth": advert(auth=1),
}[kind]
for _ in range(count):
    s.sendto(pkt, ("224.0.0.18", 0))
    time.sleep(0.05)
EOP
}
# drops NODE REASON: the node's counter of drops for REASON
drops() {
	"$LVSCTL" -s "$T/$1.sock" status --json | python3 -c '
import json, sys
def once(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        sys.exit("a key twice: %s" % keys)
    return dict(pairs)
print(json.load(sys.stdin, object_pairs_hook=once)["vrrp"][0]["dropped_by_reason"].get(sys.argv[1], 0))' "$2"
}
# KIND:REASON, the reason being the counter's name
for kr in ttl:ttl checksum:checksum version:version v3:version-mismatch vrid:vrid \
	interval:interval-mismatch interval0:interval addresses:addresses short:length auth:auth; do
	kind=${kr%%:*} reason=${kr#*:}
	forge "$kind" 5
	check "5 adverts with a bad $kind: dropped and counted as '$reason' on the backup and the master" \
		wait_until 30 eval '[ "$(drops d2 "$reason")" = 5 ] && [ "$(drops d1 "$reason")" = 5 ]'
done
"$LVSCTL" -s "$T/d2.sock" status --json | python3 -c '
import json, sys
print("backup dropped:", json.load(sys.stdin)["vrrp"][0]["dropped_by_reason"])' | diag
check "the master never stepped down: one transition each" \
	test "$(vrrp_json d1 transitions) $(vrrp_json d2 transitions)" = "2 1"
check "d1 is still master, d2 backup" eval 'is_state d1 master && is_state d2 backup'
check "every forged advert is in the dropped total" \
	test "$(vrrp_json d2 adverts_dropped)" = 50
# the backup hears one legitimate sender: what it received is at most what
# d1 sent (read after), never the 50 forged ones on top
recv=$(vrrp_json d2 adverts_received)
sent=$(vrrp_json d1 adverts_sent)
check "and nothing forged was counted as received by the backup ($recv received, d1 sent $sent)" \
	test "$recv" -ge 1 -a "$recv" -le "$sent"
