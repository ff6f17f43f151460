#!/bin/bash
# Signed load reports between namespaces: lvsd in d1 (the director, its
# reports listener on 192.0.2.1), lvs-agent in a1 reporting for real
# servers named by 198.51.100.x, a forger in x1 (report-forge).  Real
# Ed25519 signatures and one HMAC key; the state goes warming then trusted,
# the feedback weight appears and the history file gets lines.  Then each
# attack (truncated, bad magic, version, bit flipped, wrong key, replay,
# older sequence, future timestamp, unknown server, a server without key,
# a flood from one source) increments exactly its drop counter and leaves
# its real server's feedback as it was.  A key rotation drops nothing.
# Last, a reload moves the listener to IPv6 and 20,000 forged reports from
# 2,000 sources of 2001:db8:ff::/64 leave the weight child's memory bounded
# while the real agent's reports are still accepted.
. "$(dirname "$0")/lib.sh"
ns_skip_unless_ready
command -v python3 >/dev/null || { echo "1..0 # SKIP needs python3"; exit 0; }
AGENT=$abs_top_builddir/weight/lvs-agent
FORGE=$abs_top_builddir/tests/netns/report-forge
[ -x "$AGENT" ] && [ -x "$FORGE" ] || { echo "1..0 # SKIP lvs-agent or report-forge not built"; exit 0; }
tap_plan 46
NS_IP[a1]=192.0.2.21
NS_IP6[a1]=2001:db8::21
ns_setup d1 a1 x1 || { echo "Bail out! cannot build the namespaces"; exit 1; }
PORT=7946
DEST=${NS_IP[d1]}:$PORT
HIST=$T/history.jsonl

for k in rs1 rs3old rs3new victim wrong; do
	"$AGENT" keygen --type ed25519 --out "$T/$k" >/dev/null || { echo "Bail out! keygen"; exit 1; }
done
"$AGENT" keygen --type hmac --out "$T/rs2" >/dev/null || { echo "Bail out! keygen hmac"; exit 1; }

# d1_conf LISTEN: the director's configuration
d1_conf() {
	cat >"$T/d1.yaml" <<EOC
global:
  director_id: d1
  control_socket: $T/d1.sock
keys:
  rs1: {type: ed25519, file: $T/rs1.pub}
  rs2: {type: hmac, file: $T/rs2.key}
  rs3old: {type: ed25519, file: $T/rs3old.pub}
  rs3new: {type: ed25519, file: $T/rs3new.pub}
  victim: {type: ed25519, file: $T/victim.pub}
reports:
  listen: "$1"
  max_skew: 300s
  round: 200ms
  rate_limit: 20
  history: $HIST
services:
  - name: web
    address: $VIP
    port: 80
    forwarding: nat
    weight_policy: {type: damped, warmup: 3s}
    check: {type: none}
    real_servers:
      - {address: 198.51.100.11, port: 80, weight: 100, agent_key: rs1}
      - {address: 198.51.100.12, port: 80, weight: 100, agent_key: rs2}
      - {address: 198.51.100.13, port: 80, weight: 100, agent_key: [rs3old, rs3new]}
  - name: victim
    address: $VIP
    port: 81
    forwarding: nat
    weight_policy: {type: damped, warmup: 0s, stale_after: 1h, expire_after: 2h}
    check: {type: none}
    real_servers:
      - {address: 198.51.100.14, port: 81, weight: 50, agent_key: victim}
      - {address: 198.51.100.15, port: 81, weight: 50}
EOC
}
d1_conf "$DEST"
lvsd_start d1 || { echo "Bail out! lvsd does not answer"; exit 1; }
ok "lvsd runs with a report listener on $DEST"

# w: lvsctl weights --json; j EXPR: a python expression over it (d)
w() { "$LVSCTL" -s "$T/d1.sock" weights --json 2>/dev/null; }
j() {
	w | python3 -c '
import json, sys
d = json.load(sys.stdin)
rs = {r["server"]: r for s in d["services"] for r in s["real_servers"]}
drop = d["reports"]["dropped"]
print(eval(sys.argv[1]))' "$1" 2>/dev/null
}
is() { [ "$(j "$1")" = "$2" ]; }
state_of() { j "rs['$1']['state']"; }
reports_of() { j "rs['$1']['reports']"; }
gt() { local v; v=$(j "$1") && [ -n "$v" ] && [ "$v" -gt "$2" ]; }

# agent NAME KEY SERVER DEST: lvs-agent in a1
agent() {
	ip netns exec "$(ns a1)" "$AGENT" -d "$4" -s "$3" -k "$2" --window 2s --sample 500ms \
		--report 500ms >>"$T/agent-$1.log" 2>&1 &
	eval "AG_$1=$!"
	NS_PIDS="$NS_PIDS $!"
}
stop_agent() {
	local p
	p=$(eval echo "\$AG_$1")
	kill -TERM "$p" 2>/dev/null
	wait_until 10 eval "! kill -0 $p 2>/dev/null"
}

# ------------------------------------------------------------ real agents
agent rs1 "$T/rs1.key" 198.51.100.11:80 "$DEST"
agent rs2 "$T/rs2.key" 198.51.100.12:80 "$DEST"
agent rs3 "$T/rs3old.key" 198.51.100.13:80 "$DEST"
check "Ed25519 reports of rs1 are accepted" wait_until 30 gt "rs['198.51.100.11:80']['reports']" 0
check "HMAC reports of rs2 are accepted" wait_until 30 gt "rs['198.51.100.12:80']['reports']" 0
check "rs3's reports with the old key of two are accepted" \
	wait_until 30 gt "rs['198.51.100.13:80']['reports']" 0
# warming for the 3 s warmup; on a busy machine those may be over by now
check "rs1 left unknown after its first report (warming, or trusted already)" \
	is "rs['198.51.100.11:80']['state'] in ('warming', 'trusted')" True
check "rs1's feedback weight appears" wait_until 10 gt "rs['198.51.100.11:80']['feedback'] or 0" 0
check "rs1 has a report age and metrics" \
	is "rs['198.51.100.11:80']['report_age_s'] < 5 and rs['198.51.100.11:80']['metrics']['mem_total_kb'] > 0" True
check "rs1 is trusted after the 3 s warmup" wait_until 15 is "rs['198.51.100.11:80']['state']" trusted
check "lvsctl weights shows rs1's trim (damped's integral part) within the band" \
	is "0.25 <= rs['198.51.100.11:80']['trim'] <= 4" True
hist_has() { [ -s "$HIST" ] && grep -qF "\"server\":\"$1\"" "$HIST"; }
check "the history file gets a line for rs1" wait_until 10 hist_has 198.51.100.11:80
check "history lines are JSON with the inputs" python3 -c '
import json, sys
for line in open(sys.argv[1]):
    h = json.loads(line)
    assert {"time", "service", "server", "from", "to", "static", "state"} <= set(h), h
' "$HIST"
check "no report was dropped so far" is "sum(drop.values())" 0

# ----------------------------------------------------------- key rotation
sig0=$(j "drop['signature']")
n0=$(reports_of 198.51.100.13:80)
stop_agent rs3
agent rs3 "$T/rs3new.key" 198.51.100.13:80 "$DEST"
check "rs3's reports with the new key are accepted" wait_until 30 gt "rs['198.51.100.13:80']['reports']" $((n0 + 2))
check "no report of the rotation was dropped" is "drop['signature'] + drop['replay']" "$sig0"

# ---------------------------------------------------------------- attacks
VS=198.51.100.14:81
forge() { nsx x1 "$FORGE" -d "$DEST" "$@"; }
# a genuine first report for the victim (captured), then its feedback is
# steady: one server in a pool of its own, warmup 0
forge -s "$VS" -k "$T/victim.key" -w "$T/captured" -q 1000 -b 7
check "the victim's genuine report is accepted" wait_until 10 is "rs['$VS']['reports']" 1
check "the victim is trusted with a feedback weight" \
	wait_until 10 is "rs['$VS']['state'] == 'trusted' and rs['$VS']['feedback'] is not None" True
# what may not change: the victim's feedback, everything but the report age
victim() { j "{k: v for k, v in rs['$VS'].items() if k != 'report_age_s'}"; }
drops() { j "sorted(drop.items())"; }
V0=$(victim)
H0=$(grep -cF "\"server\":\"$VS\"" "$HIST")

# attack NAME COUNTER FORGE-ARGS...: exactly COUNTER goes up by one
attack() {
	local name=$1 counter=$2 before want; shift 2
	before=$(j "drop")
	want=$(j "dict(drop, $counter=drop['$counter'] + 1)")
	forge "$@" || { not_ok "$name: report-forge failed"; return; }
	if wait_until 10 is "drop" "$want"; then
		ok "$name: counted as $counter, and only that"
	else
		not_ok "$name: counted as $counter, and only that"
		echo "# before $before; now $(j drop)"
	fi
}
attack "the captured report replayed" replay -R "$T/captured"
attack "a truncated report" size -s "$VS" -k "$T/victim.key" -b 7 -m truncate
attack "a report with a bad magic" magic -s "$VS" -k "$T/victim.key" -b 7 -m magic
attack "a report of another version" version -s "$VS" -k "$T/victim.key" -b 7 -m version
attack "a report with a bit flipped" signature -s "$VS" -k "$T/victim.key" -b 7 -m flip
attack "a report signed with a wrong key" signature -s "$VS" -k "$T/wrong.key" -b 7
attack "an HMAC report for an Ed25519 server" signature -s "$VS" -k "$T/rs2.key" -t hmac -b 7
attack "an older sequence number" replay -s "$VS" -k "$T/victim.key" -b 7 -q 999
attack "a timestamp 900 s in the future" skew -s "$VS" -k "$T/victim.key" -b 7 -o 900
attack "a timestamp 900 s in the past" skew -s "$VS" -k "$T/victim.key" -b 7 -o -900
attack "an unknown server" unknown_server -s 198.51.100.99:81 -k "$T/victim.key"
attack "a server without a key" no_key -s 198.51.100.15:81 -k "$T/victim.key"

# a flood from one source, above rate_limit (20/s, a burst of 40): what
# passes the rate is signed with a wrong key
d0=$(j "drop['rate'] + drop['signature']")
r0=$(j "drop['rate']")
forge -s "$VS" -k "$T/wrong.key" -b 7 -n 500 -r 2000
check "a flood of 500 from one source is all counted" \
	wait_until 10 is "drop['rate'] + drop['signature']" $((d0 + 500))
check "most of the flood is counted as rate" gt "drop['rate']" $((r0 + 400))
check "the victim's feedback did not change" [ "$(victim)" = "$V0" ]
check "the history file has no line for the victim since" \
	[ "$(grep -cF "\"server\":\"$VS\"" "$HIST")" = "$H0" ]
check "the victim still has its one genuine report" is "rs['$VS']['reports']" 1

# ------------------------------------------- many sources, over IPv6, reload
DEST6="[${NS_IP6[d1]}]:$PORT"
d1_conf "$DEST6"
n1=$(reports_of 198.51.100.11:80)
t1=$(state_of 198.51.100.11:80)
"$LVSCTL" -s "$T/d1.sock" reload >/dev/null 2>&1
check "a reload moves the listener to $DEST6" wait_until 10 log_has d1 "listening on ${NS_IP6[d1]} port $PORT"
check "rs1 keeps its reports count and state over the reload" \
	is "rs['198.51.100.11:80']['reports'] >= $n1 and rs['198.51.100.11:80']['state'] == '$t1'" True
stop_agent rs1
agent rs1 "$T/rs1.key" 198.51.100.11:80 "$DEST6"
n1=$(reports_of 198.51.100.11:80)
check "rs1's agent reports to the IPv6 listener" wait_until 30 gt "rs['198.51.100.11:80']['reports']" "$n1"

WPID=$(child_pid_of d1 weight)
check "the weight child's pid is in lvsctl status" [ -n "$WPID" ]
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$WPID/status"; }
RSS0=$(rss)
s0=$(j "sum(drop.values())")
# what the kernel dropped for a full receive buffer, when the receiver is
# slower than the flood on a busy machine: counted apart
rcvbuf() { nsx d1 awk '$1 == "Udp6RcvbufErrors" { print $2 }' /proc/net/snmp6; }
k0=$(rcvbuf)
n1=$(reports_of 198.51.100.11:80)
# 20,000 reports from 2,000 sources, 10 each: fresh, for the victim, wrong key
nsx x1 "$FORGE" -d "$DEST6" -s "$VS" -k "$T/wrong.key" -b 9 -n 20000 -r 5000 \
	-S 2001:db8:ff:: -N 2000 &
FPID=$!
NS_PIDS="$NS_PIDS $FPID"
flood_running() { kill -0 $FPID 2>/dev/null; }
max=$RSS0
agent_moved=0
while flood_running; do
	r=$(rss)
	[ -n "$r" ] && [ "$r" -gt "$max" ] && max=$r
	gt "rs['198.51.100.11:80']['reports']" "$n1" && agent_moved=1
	sleep 0.1
done
wait $FPID
check "report-forge sent 20,000 reports from 2,000 IPv6 sources" [ $? = 0 ]
# (the kernel's count also has the real agent's reports it dropped)
flood_counted() { is "20000 <= sum(drop.values()) - $s0 + $(rcvbuf) - $k0 <= 20100" True; }
check "every report of the flood is dropped, by the receiver or the kernel" \
	wait_until 20 flood_counted
echo "# the receiver dropped $(($(j "sum(drop.values())") - s0)), the kernel $(($(rcvbuf) - k0)): $(j drop)"
check "the receiver saw at least 2,000 of them" gt "sum(drop.values())" $((s0 + 2000))
check "the flood took nothing: no report accepted for the victim" is "rs['$VS']['reports']" 1
r=$(rss)
[ "$r" -gt "$max" ] && max=$r
echo "# weight child VmRSS: $RSS0 kB before, at most $max kB during the flood"
check "the weight child's RSS grew by less than 4 MB" [ $((max - RSS0)) -lt 4096 ]
check "the weight child's RSS stays under 32 MB" [ "$max" -lt 32768 ]
n2=$(reports_of 198.51.100.11:80)
check "rs1's reports are still accepted (during or right after the flood)" \
	eval "[ $agent_moved = 1 ] || wait_until 10 gt \"rs['198.51.100.11:80']['reports']\" $n2"
victim_same() { [ "$(victim)" = "$V0" ]; }
check "the victim's feedback is as before the flood and the reload" wait_until 5 victim_same
check "lvsd still answers" quiet "$LVSCTL" -s "$T/d1.sock" status
