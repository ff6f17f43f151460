#!/bin/bash
# global.metrics: the metrics child serves Prometheus text on the address
# the file gives, as the unprivileged user with no capability, from
# snapshots of the parent; promtool accepts what it serves; a killed child
# is restarted; a reload starts and stops it as the file says.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
tap_plan 15
PORT=$((20000 + $$ % 20000))
URL=http://127.0.0.1:$PORT

# write_metrics_conf on|off
write_metrics_conf() {
	write_conf dir1
	# the second server's check fails for sure (a script that exits 1)
	sed -i 's|^      - address: 198.51.100.12$|&\n        check: { type: script, script: /bin/false, interval: 200ms, timeout: 150ms, fall: 1 }|' "$CONF"
	if [ "$1" = on ]; then
		sed -i "4a\\  metrics: 127.0.0.1:$PORT" "$CONF"
	fi
}
# scrape [PATH]: the body, and the status code in $code
scrape() {
	local out
	out=$(curl -s -m 10 -w '\n%{http_code}' "$URL${1:-/metrics}")
	code=${out##*$'\n'}
	body=${out%$'\n'*}
}
# metric LINE: a series with its value is in the last body
metric() { printf '%s\n' "$body" | grep -qxF -- "$1"; }
serves() { scrape && [ "$code" = 200 ]; }
refuses() { ! curl -s -m 5 -o /dev/null "$URL/metrics"; }

write_metrics_conf on
check "lvsd starts with metrics on" start_lvsd
mpid=
wait_until test -n "$(child_pid metrics)" && mpid=$(child_pid metrics)
check "a metrics child runs (status lists it)" test -n "$mpid"
check "it runs as lvsd, with no capability" \
	test "$(ps -o user= -p "$mpid")" = lvsd -a "$(status_field "$mpid" CapEff)" = 0000000000000000
check "GET /metrics answers 200" wait_until serves
printf '%s\n' "$body" | grep -E '^lvsd_(build_info|vrrp_state|real_server_health)' | head -8 | diag
check "with the director, the instance's state and each real server's health" \
	eval 'metric "lvsd_build_info{version=\"'"$(ctl -v 2>/dev/null | awk '{print $2}')"'\",director=\"dir1\"} 1" &&
	metric "lvsd_vrrp_state{vrrp_instance=\"vi_1\",state=\"fault\"} 1" &&
	metric "lvsd_real_server_weight_configured{service=\"web\",server=\"198.51.100.12:80\"} 20" &&
	metric "lvsd_process_up{process=\"checkers\"} 1"'
check "a server whose check fails has gone down once, with the reason" wait_until eval 'serves &&
	metric "lvsd_real_server_health_transitions_total{service=\"web\",server=\"198.51.100.12:80\",to=\"down\"} 1" &&
	metric "lvsd_real_server_health{service=\"web\",server=\"198.51.100.12:80\",state=\"down\"} 1"'
out=$(printf '%s\n' "$body" | promtool check metrics 2>&1); rc=$?
echo "$out" | diag
check "promtool check metrics finds nothing to say" test "$rc" = 0 -a -z "$out"
scrape /nothing
check "another path is 404" test "$code" = 404
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -X POST "$URL/metrics")
check "POST is refused (libevent says 501 Not Implemented): $code" test "$code" = 501

kill -KILL "$mpid"
check "a killed metrics child is restarted" \
	wait_until eval 'p=$(child_pid metrics); [ -n "$p" ] && [ "$p" != "$mpid" ]'
check "and serves again, counting the restart" \
	wait_until eval 'serves && metric "lvsd_process_restarts_total{process=\"metrics\"} 1"'

write_metrics_conf off
check "a reload without metrics stops the child" \
	eval 'ctl reload >/dev/null && wait_until eval "[ -z \"\$(child_pid metrics)\" ] && refuses"'
check "and status no longer lists it" eval '! ctl status | grep -q "^  metrics "'
write_metrics_conf on
ctl reload >/dev/null
check "a reload with metrics starts it again" wait_until serves
check "and the generation it serves is the new one" \
	wait_until eval 'serves && metric "lvsd_configuration_generation 3"'
