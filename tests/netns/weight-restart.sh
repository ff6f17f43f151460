#!/bin/bash
# What the weight child learnt survives its death and lvsd's restart.  Two
# directors d1 and d2 get the very same signed reports (report-forge in x1
# sends each to d1, and its captured bytes to d2) for three real servers of
# unequal memory, so their damped weights move away from the static ones
# and agree.  Then d1's weight child is killed with -9 right after it
# accepted a report (before the round that folds it in): the restarted
# child takes back what the parent kept: the captured report replayed is
# dropped as a replay, the feedback states stay trusted, and at the next
# round the weights of both directors are equal within one step (without
# the state they would fall back to the static weights, several steps away).
# The same across a restart of the whole lvsd on d1 (SIGTERM, the state
# file), and after a kill -9 of d1's parent alone.  max_skew is 300 s, not
# the default 30 s: a replay older than max_skew is dropped as skew, not
# as a replay, and a restart on a busy host can take a good part of 30 s.
. "$(dirname "$0")/lib.sh"
ns_skip_unless_ready
command -v python3 >/dev/null || { echo "1..0 # SKIP needs python3"; exit 0; }
AGENT=$abs_top_builddir/weight/lvs-agent
FORGE=$abs_top_builddir/tests/netns/report-forge
[ -x "$AGENT" ] && [ -x "$FORGE" ] || { echo "1..0 # SKIP lvs-agent or report-forge not built"; exit 0; }
tap_plan 32
ns_setup d1 d2 x1 || { echo "Bail out! cannot build the namespaces"; exit 1; }
PORT=7946
STEP=10 # max_step, percent
RS=(198.51.100.11:80 198.51.100.12:80 198.51.100.13:80)
for i in 0 1 2; do
	"$AGENT" keygen --type ed25519 --out "$T/k$i" >/dev/null || { echo "Bail out! keygen"; exit 1; }
done

# conf NODE: a director's configuration (the same but for its address)
conf() {
	cat >"$T/$1.yaml" <<EOC
global:
  director_id: $1
  control_socket: $T/$1.sock
keys:
  k0: {type: ed25519, file: $T/k0.pub}
  k1: {type: ed25519, file: $T/k1.pub}
  k2: {type: ed25519, file: $T/k2.pub}
reports:
  listen: "${NS_IP[$1]}:$PORT"
  max_skew: 300s
  round: 300ms
services:
  - name: web
    address: $VIP
    port: 80
    forwarding: nat
    weight_policy: {type: damped, warmup: 1s, max_step: $STEP, write_threshold: 0, integral: 30}
    check: {type: none}
    real_servers:
      - {address: 198.51.100.11, port: 80, weight: 100, agent_key: k0}
      - {address: 198.51.100.12, port: 80, weight: 100, agent_key: k1}
      - {address: 198.51.100.13, port: 80, weight: 100, agent_key: k2}
EOC
}
conf d1
conf d2
lvsd_start d1 || { echo "Bail out! lvsd on d1 does not answer"; exit 1; }
lvsd_start d2 || { echo "Bail out! lvsd on d2 does not answer"; exit 1; }
ok "two directors with a report listener each"

# j NODE EXPR: a python expression over the node's lvsctl weights --json
j() {
	"$LVSCTL" -s "$T/$1.sock" weights --json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
rs = {r["server"]: r for s in d["services"] for r in s["real_servers"]}
drop = d["reports"]["dropped"]
print(eval(sys.argv[1]))' "$2" 2>/dev/null
}
is() { [ "$(j "$1" "$2")" = "$3" ]; }
# folded NODE N: every server's report number N is folded in by a round
# (the feedback, and with it the count, goes to the parent after a round)
folded() { is "$1" "all(r['reports'] >= $2 for r in rs.values())" True; }

# batch: one report per server to d1, its very bytes to d2 (the last
# captured in $T/cap$i); each call changes the memory a little
SEQ=1000
N=0
batch() {
	local i mem
	SEQ=$((SEQ + 1))
	N=$((N + 1))
	for i in 0 1 2; do
		mem=$((300000 + 600000 * i + (SEQ * 7919 % 40) * 1000))
		nsx x1 "$FORGE" -d "${NS_IP[d1]}:$PORT" -s "${RS[$i]}" -k "$T/k$i.key" -q "$SEQ" \
			-b $((16 + i)) -M "$mem" -w "$T/cap$i" || return 1
		nsx x1 "$FORGE" -d "${NS_IP[d2]}:$PORT" -R "$T/cap$i" || return 1
	done
}
# both N: both directors folded in the last batch
both() { wait_until 20 folded d1 "$1" && wait_until 20 folded d2 "$1"; }
# weights NODE: the effective weights, in server order
weights() { j "$1" "' '.join(str(rs[s]['effective']) for s in sorted(rs))"; }
# within_step: d1's and d2's weights differ by at most one step each
within_step() {
	python3 -c '
import sys
a, b, step = [int(x) for x in sys.argv[1].split()], [int(x) for x in sys.argv[2].split()], int(sys.argv[3])
sys.exit(not (len(a) == len(b) == 3 and all(abs(x - y) <= max(1, max(x, y) * step // 100) for x, y in zip(a, b))))
' "$(weights d1)" "$(weights d2)" "$STEP"
}
# far_from_static: some server's weight is more than three steps from the
# static weight x the unit (100 x 10): a restart that forgot would show
far_from_static() {
	python3 -c '
import sys
sys.exit(not any(abs(int(w) - 1000) > 300 for w in sys.argv[1].split()))' "$(weights d1)"
}
# trimmed: damped's integral part moved (it carries history: what a
# restarted child must not lose)
trimmed() { is d1 "any(abs(r['trim'] - 1) > 0.2 for r in rs.values())" True; }
# converge: batches until both directors' weights are equal, away from
# static, with trims that moved
converge() {
	local k
	for k in $(seq 60); do
		batch && both "$N" || return 1
		if [ "$(weights d1)" = "$(weights d2)" ] && far_from_static && trimmed; then
			return 0
		fi
	done
	return 1
}
check "the same reports to both: trusted, weights and trims moved, equal on both" converge
echo "# d1: $(weights d1), d2: $(weights d2)"
check "every server is trusted on d1" is d1 "sorted(set(r['state'] for r in rs.values()))" "['trusted']"

# rq NODE: the report socket's receive queue in the node (0: all read)
rq() { nsx "$1" ss -H -u -n -l "sport = :$PORT" | awk '{ s += $2 } END { print s + 0 }'; }
read_all() { [ "$(rq d1)" = 0 ]; }

# -------------------------------------------- the weight child killed -9
before=$(j d1 "rs['${RS[0]}']['reports']")
W0=$(child_pid_of d1 weight)
batch
check "d1's weight child read the new reports" wait_until 10 read_all
kill -KILL "$W0"
new_child() { local p; p=$(child_pid_of d1 weight); [ -n "$p" ] && [ "$p" != "$W0" ]; }
check "the weight child killed with -9 is restarted" wait_until 20 new_child
check "the reports accepted just before are folded in by the new child" both "$N"
check "and counted as by d2" \
	is d1 "rs['${RS[0]}']['reports']" "$(j d2 "rs['${RS[0]}']['reports']")"
check "the restarted child kept the count ($before before the batch)" \
	is d1 "rs['${RS[0]}']['reports']" $((before + 1))
for i in 0 1 2; do
	nsx x1 "$FORGE" -d "${NS_IP[d1]}:$PORT" -R "$T/cap$i"
done
check "the captured reports replayed to the new child: three replays dropped" \
	wait_until 10 is d1 "drop['replay']" 3
check "nothing else dropped, nothing accepted by it" \
	is d1 "sum(drop.values()) == 3 and rs['${RS[0]}']['reports'] == $((before + 1))" True
check "every server is still trusted on d1 (not warming again)" \
	is d1 "sorted(set(r['state'] for r in rs.values()))" "['trusted']"
echo "# d1: $(weights d1), d2: $(weights d2)"
check "the weights of both directors are within one step" within_step
check "and still away from static on d1" far_from_static
batch
check "the next batch is folded in by both" both "$N"
echo "# d1: $(weights d1), d2: $(weights d2)"
check "at the next round the weights are within one step" within_step

# ------------------------------------------------ lvsd restarted (SIGTERM)
batch
both "$N"
kill -TERM "$PID_d1"
check "lvsd on d1 stops on SIGTERM" wait_until 30 eval "! kill -0 $PID_d1 2>/dev/null"
check "it wrote the state file with the learnt state" \
	log_has d1 "state file $T/d1.state written: 3 real servers"
lvsd_start d1
check "lvsd on d1 starts again" test $? = 0
check "it restored the learnt state of the three servers" \
	log_has d1 "restored 3 real servers (0 drained, 0 overrides, 0 down, 3 with learnt state)"
check "before any new report, the servers are trusted" \
	wait_until 10 is d1 "sorted(set(r['state'] for r in rs.values()))" "['trusted']"
echo "# d1: $(weights d1), d2: $(weights d2)"
check "and the weights within one step of d2's" within_step
for i in 0 1 2; do
	nsx x1 "$FORGE" -d "${NS_IP[d1]}:$PORT" -R "$T/cap$i"
done
check "the last reports replayed to the new lvsd: dropped as replays" \
	wait_until 10 is d1 "drop['replay']" 3
echo "# d1's drops: $(j d1 "drop")"
batch
check "the next batch is folded in by both" both "$N"
echo "# d1: $(weights d1), d2: $(weights d2)"
check "at the next round the weights are within one step" within_step

# --------------------------------------------- lvsd's parent killed -9
# (the file is as of its last write: a batch, then the writes after it,
# until none is pending: a second without one)
# st KEY: a field of d1's status --json "state"
st() {
	"$LVSCTL" -s "$T/d1.sock" status --json 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["state"][sys.argv[1]])' "$1"
}
quiet_since() { [ "$(st writes)" -gt "$1" ] && python3 -c 'import sys; sys.exit(float(sys.argv[1]) < 1.0)' "$(st written_s_ago)"; }
w0=$(st writes)
batch
both "$N"
check "the state file is written after the last batch, then nothing is pending" \
	wait_until 20 quiet_since "$w0"
kill -KILL "$PID_d1"
check "lvsd's parent on d1 killed with -9: its children go with it" \
	wait_until 30 eval '[ -z "$(pgrep -f "^lvsd: weight" -P "$PID_d1")" ]'
wait "$PID_d1" 2>/dev/null
# its control socket is left behind: the next lvsd takes it over
lvsd_start d1
check "lvsd on d1 starts again" test $? = 0
check "it restored the learnt state from the file" log_has d1 "3 with learnt state"
check "the servers are trusted" \
	wait_until 10 is d1 "sorted(set(r['state'] for r in rs.values()))" "['trusted']"
batch
check "the next batch is folded in by both" both "$N"
echo "# d1: $(weights d1), d2: $(weights d2)"
check "at the next round the weights are within one step" within_step
check "lvsd on d1 stops" eval 'kill -TERM $PID_d1 && wait_until 30 eval "! kill -0 $PID_d1 2>/dev/null"'
