#!/bin/bash
# Health checks against real servers the test starts in namespaces of
# their own: plain HTTP, TLS with a certificate made for the test, one that
# answers 503, one that flaps, one that accepts and hangs, one that
# resets, a port where nothing listens, and hostile answers (a header line
# that never ends, a 100 MB body, garbage instead of TLS).  Each server
# reaches its state after the configured rise/fall with the right reason,
# in lvsctl status and once in the log; the hostile ones do not hold up
# the others; a restarted checkers child does not flap any weight.
# There is no IPVS on the host: what the director would write is the
# effective weight status shows (the lab tests the kernel side).
. "$(dirname "$0")/lib.sh"
ns_skip_unless_ready
command -v python3 >/dev/null && command -v openssl >/dev/null ||
	{ echo "1..0 # SKIP needs python3 and openssl"; exit 0; }
tap_plan 31
NS_IP[r1]=192.0.2.11
NS_IP[r2]=192.0.2.12
NS_IP6[r1]=2001:db8::11
NS_IP6[r2]=2001:db8::12
ns_setup d1 r1 r2 || { echo "Bail out! cannot build the namespaces"; exit 1; }
R1=${NS_IP[r1]}
R2=${NS_IP[r2]}

openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=www.example.com -days 1 \
	-keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null ||
	{ echo "Bail out! openssl req failed"; exit 1; }
touch "$T/flap-up"

# srv ADDR PORT MODE: a server of one behaviour
cat >"$T/srv.py" <<'EOP'
import os, socket, socketserver, ssl, sys, time
addr, port, mode, tdir = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def answer(status, body=b"ok\n"):
    return b"HTTP/1.0 %d X\r\nContent-Type: text/plain\r\n\r\n" % status + body
class H(socketserver.BaseRequestHandler):
    def handle(self):
        s = self.request
        if mode == "hang":
            time.sleep(3600)
        if mode == "reset":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
            s.close()  # an RST, before socketserver's own shutdown sends a FIN
            return
        if mode == "garbage":
            s.sendall(os.urandom(4096))
            time.sleep(1)
            return
        if mode == "tls":
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(tdir + "/cert.pem", tdir + "/key.pem")
            try:
                s = ctx.wrap_socket(s, server_side=True)
            except (ssl.SSLError, OSError):
                return
        try:
            s.recv(4096)
            if mode in ("ok", "tls"):
                s.sendall(answer(200))
            elif mode == "503":
                s.sendall(answer(503))
            elif mode == "flap":
                s.sendall(answer(200 if os.path.exists(tdir + "/flap-up") else 503))
            elif mode == "endless":
                s.sendall(b"HTTP/1.0 200 OK\r\nX-Endless: ")
                while True:
                    s.sendall(b"a" * 65536)
            elif mode == "huge":
                s.sendall(b"HTTP/1.0 200 OK\r\n\r\n")
                for _ in range(1600):
                    s.sendall(b"b" * 65536)
        except OSError:
            pass
class S(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
S((addr, port), H).serve_forever()
EOP
srv() {
	ip netns exec "$(ns "$1")" python3 "$T/srv.py" "$2" "$3" "$4" "$T" >>"$T/srv.log" 2>&1 &
	NS_PIDS="$NS_PIDS $!"
}
srv r1 "$R1" 8080 ok
srv r1 "$R1" 8081 flap
srv r1 "$R1" 8082 503
srv r1 "$R1" 8443 tls
srv r2 "$R2" 8090 hang
srv r2 "$R2" 8091 reset
srv r2 "$R2" 8092 endless
srv r2 "$R2" 8093 huge
srv r2 "$R2" 8444 garbage

listening() { nsx "$1" ss -Hltn "sport = :$2" | grep -q LISTEN; }
all_listening() {
	local p
	for p in 8080 8081 8082 8443; do listening r1 $p || return 1; done
	for p in 8090 8091 8092 8093 8444; do listening r2 $p || return 1; done
}
check "the test's servers listen" wait_until 30 all_listening

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
    check: {type: http, path: /health, interval: 600ms, timeout: 400ms, rise: 2, fall: 2}
    real_servers:
      - {address: $R1, port: 8080, weight: 5}
      - {address: $R1, port: 8081, weight: 5}
      - {address: $R1, port: 8082}
      - {address: $R2, port: 8090}
      - {address: $R2, port: 8091}
      - {address: $R2, port: 8092}
      - {address: $R2, port: 8093}
      - {address: $R2, port: 8099}
  - name: tls
    address: $VIP
    port: 443
    forwarding: nat
    weight_policy: static
    check: {type: https, sni: www.example.com, interval: 600ms, timeout: 400ms, rise: 2, fall: 2}
    real_servers:
      - {address: $R1, port: 8443, weight: 3}
      - {address: $R2, port: 8444, weight: 3}
  - name: verified
    address: $VIP
    port: 8443
    forwarding: nat
    weight_policy: static
    check: {type: https, sni: www.example.com, ca_file: $T/cert.pem,
            interval: 600ms, timeout: 400ms, rise: 2, fall: 2}
    real_servers:
      - {address: $R1, port: 8443}
  - name: misnamed
    address: $VIP
    port: 8444
    forwarding: nat
    weight_policy: static
    check: {type: https, sni: other.example.com, ca_file: $T/cert.pem,
            interval: 600ms, timeout: 400ms, rise: 2, fall: 2}
    real_servers:
      - {address: $R1, port: 8443}
  - name: q
    address: $VIP
    port: 8081
    forwarding: nat
    weight_policy: static
    quorum: 2
    check: {type: http, interval: 600ms, timeout: 400ms, rise: 2, fall: 2}
    real_servers:
      - {address: $R1, port: 8080}
      - {address: $R1, port: 8081}
  - name: tcp
    address: $VIP
    port: 22
    forwarding: nat
    weight_policy: static
    check: {type: tcp, interval: 600ms, timeout: 400ms, retries: 1, retry_delay: 100ms}
    real_servers:
      - {address: $R1, port: 8080, weight: 2}
      - {address: $R2, port: 8099, weight: 2}
EOC

# rs SERVICE SERVER FIELD: a field of the server in lvsctl status --json
rs() {
	"$LVSCTL" -s "$T/d1.sock" status --json 2>/dev/null | python3 -c '
import json, sys
for r in json.load(sys.stdin)["real_servers"]:
    if r["service"] == sys.argv[1] and r["server"] == sys.argv[2]:
        print(r[sys.argv[3]])' "$@"
}
# is SERVICE SERVER HEALTH [REASON-PREFIX]
is() {
	[ "$(rs "$1" "$2" health)" = "$3" ] || return 1
	[ -z "${4:-}" ] || case "$(rs "$1" "$2" last_result)" in "$4"*) ;; *) return 1 ;; esac
}
check "lvsd starts on d1" lvsd_start d1

check "a plain HTTP server is up, effective weight 5" wait_until 30 eval \
	"is web $R1:8080 up ok && [ \"\$(rs web $R1:8080 effective_weight)\" = 5 ]"
check "one that answers 503 is down: status 503, weight 0" wait_until 30 eval \
	"is web $R1:8082 down 'status 503' && [ \"\$(rs web $R1:8082 effective_weight)\" = 0 ]"
check "one that accepts and hangs is down: timeout" wait_until 30 is web "$R2:8090" down timeout
check "one that resets is down: reset" wait_until 30 is web "$R2:8091" down reset
check "a port where nothing listens is down: refused" wait_until 30 is web "$R2:8099" down refused
check "a header line without end is down: header too long" \
	wait_until 30 is web "$R2:8092" down "bad response: header too long"
check "a 100 MB body is down: body too long" wait_until 30 is web "$R2:8093" down "body too long"
check "TLS with SNI to a server with a test certificate is up" wait_until 30 is tls "$R1:8443" up ok
check "garbage instead of TLS is down: TLS failure: (what OpenSSL says)" \
	wait_until 30 is tls "$R2:8444" down "TLS failure: "
check "verified against its CA file (sent by the parent) and its name, it is up" \
	wait_until 30 is verified "$R1:8443" up ok
check "under another name it is down: TLS failure: certificate verify failed" \
	wait_until 30 is misnamed "$R1:8443" down "TLS failure: certificate verify failed"
check "a tcp check is up on a listening port, down where refused (after its retry)" \
	wait_until 30 eval "is tcp $R1:8080 up && is tcp $R2:8099 down refused"
check "the log says each first result once, with its reason" eval \
	"log_has d1 'rs $R1:8082 in web: down: status 503 (1 failure in a row)' &&
	 log_has d1 'rs $R2:8090 in web: down: timeout' &&
	 [ \$(log_count d1 'rs $R2:8093 in web: down:') = 1 ]"

# the hostile servers keep failing while the others keep their pace
n0=$(rs web "$R1:8080" results_in_a_row)
check "the good server's checks go on at their pace beside the hostile ones" \
	wait_until 30 eval "[ \$(rs web $R1:8080 results_in_a_row) -ge \$((n0 + 5)) ]"
check "and it never left up" eval "[ \$(log_count d1 'rs $R1:8080 in web: down') = 0 ]"

# flapping: down after fall (2) failures, up after rise (2) successes
check "the flapping server starts up" wait_until 30 is web "$R1:8081" up
rm -f "$T/flap-up"
check "it goes down after 2 failures: status 503, weight 0" wait_until 30 eval \
	"is web $R1:8081 down 'status 503' && [ \"\$(rs web $R1:8081 effective_weight)\" = 0 ] &&
	 is q $R1:8081 down"
check "the log says so once" eval \
	"[ \$(log_count d1 'rs $R1:8081 in web: down: status 503 (2 failures in a row)') = 1 ]"
touch "$T/flap-up"
check "it comes back after 2 successes with its weight" wait_until 30 eval \
	"is web $R1:8081 up ok && [ \"\$(rs web $R1:8081 effective_weight)\" = 5 ]"
check "the log says so once" eval \
	"[ \$(log_count d1 'rs $R1:8081 in web: up (2 successes in a row)') = 1 ]"

check "the flapping server took service q's quorum away, once" eval \
	"[ \$(log_count d1 'service q: quorum lost: weight 1 of the servers up, quorum 2') = 1 ]"
check "and gave it back" wait_until 30 eval \
	"log_has d1 'service q: quorum regained: weight 2 of the servers up, quorum 2' &&
	 '$LVSCTL' -s '$T/d1.sock' status | grep -qF 'quorum of q: held (weight up 2, quorum 2)'"

# drain: weight 0 whatever the health, until undrain
check "lvsctl drain sets a healthy server's weight to 0" eval \
	"'$LVSCTL' -s '$T/d1.sock' drain web $R1:8080 >/dev/null &&
	 [ \"\$(rs web $R1:8080 effective_weight)\" = 0 ] && [ \"\$(rs web $R1:8080 drained)\" = True ] &&
	 is web $R1:8080 up"
check "the log names the operator" log_has d1 "rs $R1:8080 in web: drained by the operator"
check "lvsctl undrain gives it back" eval \
	"'$LVSCTL' -s '$T/d1.sock' undrain web $R1:8080 >/dev/null &&
	 [ \"\$(rs web $R1:8080 effective_weight)\" = 5 ] && [ \"\$(rs web $R1:8080 drained)\" = False ]"

# a checkers child that dies and restarts flaps nothing
lines() { grep -cE 'in [a-z]+: (up|down)' "$T/d1.log"; }
before=$(lines)
old=$(child_pid_of d1 checkers)
kill -KILL "$old"
check "the checkers child is restarted" wait_until 30 eval \
	"p=\$(child_pid_of d1 checkers); [ -n \"\$p\" ] && [ \"\$p\" != $old ]"
new=$(child_pid_of d1 checkers)
check "and checks again" wait_until 30 eval \
	"grep -q 'checkers\[$new\]: configuration generation 1 installed' '$T/d1.log' &&
	 [ \$(rs web $R1:8080 results_in_a_row) -ge 3 ] &&
	 [ \$(rs web $R1:8080 results_in_a_row) -lt $n0 ]"
check "no weight flapped: no transition logged, weights as before" eval \
	"[ \$(lines) = $before ] && [ \"\$(rs web $R1:8080 effective_weight)\" = 5 ] &&
	 [ \"\$(rs web $R1:8082 effective_weight)\" = 0 ]"
check "status shows the real servers as text" eval \
	"'$LVSCTL' -s '$T/d1.sock' status | grep -qE '^  web +$R1:8082 +http +down .* 0 +1  status 503\$'"
