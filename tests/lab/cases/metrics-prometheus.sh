# A real Prometheus server (Debian's) scrapes both directors' metrics
# children through a planned drill and answers PromQL: before, dir1 is
# the one master of VI_1; after `lvsctl handover`, dir2 is.  promtool
# accepts both directors' pages.  The alerts of etc/prometheus load.
# (Two directors' scrapes are not one instant: a query over the moment of
# the handover may see both or neither as master, so none is asserted.
# Prometheus is heavy for the lab's one CPU: adverts every second and
# scrapes every 5 s leave room for it on a loaded host.)
# lab: timeout=400
if ! command -v prometheus >/dev/null || ! command -v curl >/dev/null; then
	lab_skip "prometheus or curl is not installed (tests/deps.sh)"
fi
conf() {
	cat >"$LAB_CASE_DIR/$1.yaml" <<END
global:
  director_id: $1
  control_socket: $LAB_CASE_DIR/$1.sock
  metrics: ${LAB_IP[$1]}:9642
vrrp:
  - name: VI_1
    interface: eth0
    vrid: 51
    priority: $2
    advert_interval: 1s
    virtual_addresses: [$LAB_VIP/24]
    unicast_peers: [$3]
services:
  - name: web
    address: $LAB_VIP
    port: 80
    forwarding: tunnel
    check: { type: http, interval: 2s, timeout: 1s }
    real_servers:
      - address: ${LAB_IP[rs1]}
      - address: ${LAB_IP[rs2]}
END
}
conf dir1 150 "${LAB_IP[dir2]}"
conf dir2 100 "${LAB_IP[dir1]}"
lab_daemon dir1 lvsd-dir1 lvsd -n -f "$LAB_CASE_DIR/dir1.yaml"
lab_daemon dir2 lvsd-dir2 lvsd -n -f "$LAB_CASE_DIR/dir2.yaml"
lab_check "dir1 is master with the VIP, dir2 backup" lab_wait_for 30 lab_vrrp_settled dir1 dir2

for d in dir1 dir2; do
	lab_check "$d serves its metrics" lab_wait_for 30 \
		eval "lab_in cl1 curl -sf -m 5 -o '$LAB_CASE_DIR/$d.prom' http://${LAB_IP[$d]}:9642/metrics"
	out=$(promtool check metrics <"$LAB_CASE_DIR/$d.prom" 2>&1)
	lab_is "promtool check metrics on $d's page says nothing" "$out" ""
done

# the server, in the client's namespace, scraping both every 5 s
cp "$LAB_SRC/etc/prometheus/lvsd.rules.yml" "$LAB_CASE_DIR/"
cat >"$LAB_CASE_DIR/prometheus.yml" <<END
global:
  scrape_interval: 5s
  scrape_timeout: 5s
  evaluation_interval: 5s
rule_files: [lvsd.rules.yml]
scrape_configs:
  - job_name: lvsd
    static_configs:
      - targets: ['${LAB_IP[dir1]}:9642', '${LAB_IP[dir2]}:9642']
END
lab_daemon cl1 prometheus prometheus --config.file="$LAB_CASE_DIR/prometheus.yml" \
	--storage.tsdb.path="$LAB_CASE_DIR/tsdb" --web.listen-address=127.0.0.1:9090
# q PROMQL: the result as "INSTANCE=VALUE ..." sorted (instance: the director's address)
q() {
	lab_in cl1 curl -sf -m 30 --data-urlencode "query=$1" http://127.0.0.1:9090/api/v1/query |
		python3 -c '
import json, sys
t = sys.stdin.read()
r = json.loads(t)["data"]["result"] if t else []
print(" ".join(sorted("%s=%s" % (x["metric"].get("instance", "-").split(":")[0], x["value"][1]) for x in r)))'
}
masters='lvsd_vrrp_state{vrrp_instance="VI_1",state="master"} == 1'
lab_check "Prometheus scrapes both directors" lab_wait_for 120 \
	eval '[[ $(q "up{job=\"lvsd\"}") == "${LAB_IP[dir1]}=1 ${LAB_IP[dir2]}=1" ]]'
lab_check "PromQL: dir1 is the master" lab_wait_for 120 eval '[[ $(q "$masters") == "${LAB_IP[dir1]}=1" ]]'
lab_check "the alert rules loaded" lab_wait_for 60 \
	eval 'lab_in cl1 curl -sf -m 5 http://127.0.0.1:9090/api/v1/rules | grep -q LvsdTwoMasters'

out=$(lvsctl -s "$LAB_CASE_DIR/dir1.sock" handover 2>&1)
lab_log "$out"
lab_check "the drill: dir1 hands over to dir2" lab_wait_for 30 lab_vrrp_settled dir2 dir1
lab_check "PromQL: dir2 is the new master" lab_wait_for 120 \
	eval '[[ $(q "$masters") == "${LAB_IP[dir2]}=1" ]]'
lab_check "the handover is in Prometheus too: dir1 was master, then dir2 (one scrape at least each)" \
	lab_wait_for 60 eval '[[ $(q "max_over_time(lvsd_vrrp_state{vrrp_instance=\"VI_1\",state=\"master\"}[5m])") == "${LAB_IP[dir1]}=1 ${LAB_IP[dir2]}=1" ]]'
lab_check "every real server up on both, as Prometheus has it" lab_wait_for 60 \
	eval '[[ $(q "lvsd_service_real_servers_up{service=\"web\"}") == "${LAB_IP[dir1]}=2 ${LAB_IP[dir2]}=2" ]]'
lab_check "prometheus stops" lab_stop prometheus 30
lab_check "dir2 stops" lab_stop lvsd-dir2 30
lab_check "dir1 stops" lab_stop lvsd-dir1 30
