#!/bin/sh
# The shipped alerts and dashboard against Prometheus's own tools: the
# rules parse (promtool check rules) and pass their unit tests (promtool
# test rules); every query of the Grafana dashboard parses as PromQL; and
# every lvsd_ metric the rules and the dashboard name is one lvsd exports
# (metrics/metrics_text.c).  Skipped where promtool is not installed
# (tests/deps.sh installs it).
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
if ! command -v promtool >/dev/null 2>&1; then
	echo "1..0 # SKIP promtool is not installed (tests/deps.sh)"
	exit 0
fi
T=$(mktemp -d /tmp/lvsd-prom.XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0
fail=0
point() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
echo "1..4"

out=$(promtool check rules "$top/etc/prometheus/lvsd.rules.yml" 2>&1); rc=$?
echo "$out" | sed 's/^/# /'
point "$rc" "promtool check rules etc/prometheus/lvsd.rules.yml"

# promtool reads the rule file named in the test file relative to it
cp "$top/etc/prometheus/lvsd.rules.yml" "$top/etc/prometheus/lvsd.rules.test.yml" "$T/"
out=$(cd "$T" && promtool test rules lvsd.rules.test.yml 2>&1); rc=$?
echo "$out" | grep -v '^$' | sed 's/^/# /'
point "$rc" "promtool test rules: every alert fires when it should, and only then"

# the dashboard's queries as recording rules, Grafana's variables filled in
python3 - "$top/etc/grafana/lvsd-dashboard.json" "$T/dash.rules.yml" <<'EOP'
import json, sys
d = json.load(open(sys.argv[1]))
exprs = [t["expr"] for p in d["panels"] for t in p.get("targets", [])]
with open(sys.argv[2], "w") as f:
    f.write("groups:\n  - name: dashboard\n    rules:\n")
    for i, e in enumerate(exprs):
        e = e.replace("$__rate_interval", "5m").replace("$job", ".*").replace("$service", ".*")
        f.write("      - record: dashboard:q%d\n        expr: %s\n" % (i, json.dumps(e)))
print("# %d queries" % len(exprs))
EOP
out=$(promtool check rules "$T/dash.rules.yml" 2>&1); rc=$?
echo "$out" | sed 's/^/# /'
point "$rc" "every query of etc/grafana/lvsd-dashboard.json parses"

# names: what the rules and the dashboard use, against what lvsd exports
grep -o '"lvsd_[a-z_]*"' "$top/metrics/metrics_text.c" | tr -d '"' | sort -u >"$T/exported"
cat "$top/etc/prometheus/lvsd.rules.yml" "$top/etc/grafana/lvsd-dashboard.json" |
	grep -o 'lvsd_[a-z_]*' | grep -v '^lvsd_directors$' | sort -u >"$T/used"
missing=$(comm -23 "$T/used" "$T/exported")
[ -z "$missing" ] || echo "$missing" | sed 's/^/# not exported: /'
point "$([ -z "$missing" ]; echo $?)" "every metric the rules and the dashboard name is exported ($(wc -l <"$T/used") names)"
exit $fail
