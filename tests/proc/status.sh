#!/bin/bash
# lvsctl status shows the parent and its three children; --json is valid
# JSON with the same facts; the control socket is root's alone.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
tap_plan 10
write_conf dir1
check "lvsd starts and answers on its control socket" start_lvsd

out=$(ctl status)
echo "$out" | diag
pids=""
for role in vrrp checkers weight; do
	pids="$pids $(child_pid $role)"
done
kids=$(children_of "$LVSD_PID" | sort -n | tr '\n' ' ')
want=$(echo $pids | tr ' ' '\n' | sort -n | tr '\n' ' ')
check "status lists vrrp, checkers and weight with pids" test "$(echo $pids | wc -w)" = 3
check "those pids are exactly lvsd's children ($kids)" test "$kids" = "$want"
check "status summarises the configuration" \
	grep -q "1 vrrp instances, 1 services, 2 real servers" <<<"$out"

json=$(ctl status --json)
check "status --json parses" python3 -c 'import json,sys; json.loads(sys.stdin.read())' <<<"$json"
check "json: four processes, children's pids match" python3 -c '
import json, sys
s = json.loads(sys.stdin.read())
p = {x["role"]: x for x in s["processes"]}
assert sorted(p) == ["checkers", "lvsd", "vrrp", "weight"], p
assert p["lvsd"]["pid"] == int(sys.argv[1])
assert sorted(str(p[r]["pid"]) for r in ("vrrp", "checkers", "weight")) == sorted(sys.argv[2].split())
for r in ("vrrp", "checkers", "weight"):
    assert p[r]["running"] and p[r]["restarts"] == 0 and p[r]["uptime_s"] >= 0
' "$LVSD_PID" "$pids" <<<"$json"
check "json: configuration summary" python3 -c '
import json, sys
s = json.loads(sys.stdin.read())
c = s["config"]
assert s["director_id"] == "dir1"
assert c["generation"] == 1 and c["file"] == sys.argv[1]
assert (c["vrrp_instances"], c["services"], c["real_servers"]) == (1, 1, 2), c
assert c["loaded_at_unix"] > 0 and c["reloads_failed"] == 0
' "$CONF" <<<"$json"
check "control socket is a socket, mode 600, owned by root" \
	test "$(stat -c '%F %a %u %g' "$SOCK")" = "socket 600 0 0"
check "children report the generation they hold" python3 -c '
import json, sys
s = json.loads(sys.stdin.read())
p = {x["role"]: x for x in s["processes"]}
assert p["vrrp"]["generation"] == 1 and p["vrrp"]["objects"] == 1, p["vrrp"]
assert p["checkers"]["objects"] == 2 and p["weight"]["objects"] == 2, p
' <<<"$json"

# the real servers' table: every column of a row starts where its header
# does, the weight IPVS has and the configured one each in a column of its
# own, right-aligned under their headers
text=$(ctl status)
sed -n '/^real servers$/,/^[a-z]/p' <<<"$text" | diag
check "the real servers' columns line up with their headers" python3 -c '
import sys
lines = sys.stdin.read().split("\n")
i = lines.index("real servers")
head, rows = lines[i + 1], [l for l in lines[i + 2:i + 4]]
assert len(rows) == 2 and all(r.startswith("  web ") for r in rows), rows
for h in ("SERVER", "CHECK", "HEALTH", "FOR"):
    c = head.index(h)
    assert all(r[c - 1] == " " and r[c] != " " for r in rows), (h, rows)
for h, want in (("WEIGHT", ("10", "20")), ("CONF", ("10", "20"))):
    end = head.index(h) + len(h)
    got = tuple(r[:end].split()[-1] for r in rows)
    assert got == want and all(r[end] == " " for r in rows), (h, got, rows)
' <<<"$text"
