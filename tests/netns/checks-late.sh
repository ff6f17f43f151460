#!/bin/bash
# A checkers child that falls behind (a busy machine, thousands of checks)
# does not take its own lateness for a slow server: the deadline of an
# attempt whose answer is already waiting on the socket is not a timeout.
# The test stops the checkers child (SIGSTOP) for longer than the check's
# timeout (2 s) while attempts are in flight against a server that
# answers after 1 s, then lets it go on: with fall 1, a single false
# timeout would take the server down. The timeout leaves the server, a
# python process on a possibly busy host, a second more than it needs.  A server that really does not answer still times
# out.
. "$(dirname "$0")/lib.sh"
ns_skip_unless_ready
command -v python3 >/dev/null || { echo "1..0 # SKIP needs python3"; exit 0; }
tap_plan 8
NS_IP[r1]=192.0.2.11
ns_setup d1 r1 || { echo "Bail out! cannot build the namespaces"; exit 1; }
R1=${NS_IP[r1]}

# srv PORT MODE: slow (answers 200 after 1 s) or hang (never answers)
cat >"$T/srv.py" <<'EOP'
import socketserver, sys, time
addr, port, mode, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
class H(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.recv(4096)
        with open(count, "a") as f:
            f.write("x\n")
        if mode == "hang":
            time.sleep(3600)
        time.sleep(1.0)
        self.request.sendall(b"HTTP/1.0 200 OK\r\n\r\nok\n")
class S(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
S((addr, port), H).serve_forever()
EOP
for p in "8080 slow" "8090 hang"; do
	set -- $p
	ip netns exec "$(ns r1)" python3 "$T/srv.py" "$R1" "$1" "$2" "$T/req-$1" >>"$T/srv.log" 2>&1 &
	NS_PIDS="$NS_PIDS $!"
done
listening() { nsx r1 ss -Hltn "sport = :$1" | grep -q LISTEN; }
check "the test's servers listen" wait_until 30 eval 'listening 8080 && listening 8090'

cat >"$T/d1.yaml" <<EOC
global:
  director_id: d1
  control_socket: $T/d1.sock
services:
  - name: web
    address: $VIP
    port: 80
    forwarding: nat
    weight_policy: static
    check: {type: http, interval: 2200ms, timeout: 2s, rise: 1, fall: 1}
    real_servers:
      - {address: $R1, port: 8080}
      - {address: $R1, port: 8090}
EOC
lvsd_start d1
slow="rs $R1:8080 in web"
hang="rs $R1:8090 in web"
check "the slow server comes up" wait_until 30 log_has d1 "$slow: up"
check "the server that never answers goes down with timeout" \
	wait_until 30 log_has d1 "$hang: down: timeout"
chk=$(child_pid_of d1 checkers)
check "the checkers child runs (pid ${chk:-none})" test -n "$chk"

# attempts against the slow server are in flight almost half of the time
# (1 s of every 2.2 s): stop the child eight times, each for longer than
# the timeout, at moments spread over the interval, and let it go on
for i in 1 2 3 4 5 6 7 8; do
	sleep "0.$((i * 37 % 30))"
	kill -STOP "$chk"
	sleep 2.5
	kill -CONT "$chk"
done
# the child catches up: its overdue deadlines fire at once, then new
# rounds start; three more requests at the slow server say it is past them
reqs() { cat "$T/req-8080" 2>/dev/null | wc -l; }
want=$(($(reqs) + 3))
check "the child checks again after the last stop" wait_until 30 eval '[ "$(reqs)" -ge "$want" ]'
check "it is the same child" kill -0 "$chk"
check "the slow server never went down (a late loop is not a timeout)" \
	test "$(log_count d1 "$slow: down")" = 0
check "the hanging one went down once, not up again" \
	test "$(log_count d1 "$hang: down")" = 1 -a "$(log_count d1 "$hang: up")" = 0
