#!/bin/bash
# lvs-agent as an operator runs it: keygen writes the key files lvsd's
# keys: {type, file} loads, --once --print shows a report, and reports
# sent to a receiver on loopback have the documented size, verify with the
# public key (by the codec and by the openssl command line) and arrive in
# order.  Needs no root: nothing leaves 127.0.0.1 / ::1.
. "$(dirname "$0")/lib.sh"
AGENT=$abs_top_builddir/weight/lvs-agent
RECV=$abs_top_builddir/tests/proc/report-recv
FX=${abs_top_srcdir:?}/tests/unit/agent-fixtures
if [ ! -x "$AGENT" ] || [ ! -x "$RECV" ]; then
	echo "1..0 # SKIP lvs-agent or report-recv not built"
	exit 0
fi
proc_setup
AGENT_PID=
RECV_PID=
# stop what is still running, then proc_cleanup with the script's status
trap 'st=$?; for p in $AGENT_PID $RECV_PID; do kill "$p" 2>/dev/null; done; (exit $st); proc_cleanup' EXIT
tap_plan 18

# mode FILE: its permission bits, octal
mode() { stat -c %a "$1"; }
# has FILE LINE...: every LINE is a whole line of FILE
has() {
	local f=$1 l
	shift
	for l in "$@"; do grep -qxF -- "$l" "$f" || return 1; done
}

"$AGENT" keygen --type ed25519 --out "$T/web1" >"$T/keygen.out" 2>&1
check "keygen ed25519 writes a private key only its owner reads" \
	test "$(mode "$T/web1.key")" = 600 -a "$(head -1 "$T/web1.key")" = "-----BEGIN PRIVATE KEY-----"
check "and the public key for the directors" \
	test "$(mode "$T/web1.pub")" = 644 -a "$(head -1 "$T/web1.pub")" = "-----BEGIN PUBLIC KEY-----"
if command -v openssl >/dev/null; then
	check "openssl derives the same public key from the private one" \
		cmp -s "$T/web1.pub" <(openssl pkey -in "$T/web1.key" -pubout)
else
	ok "openssl derives the same public key # SKIP no openssl"
fi
cp "$T/web1.key" "$T/web1.key.orig"
"$AGENT" keygen --out "$T/web1" >/dev/null 2>&1; rc=$?
check "keygen never overwrites a key" \
	test "$rc" = 1 -a "$(cmp -s "$T/web1.key" "$T/web1.key.orig" && echo same)" = same

"$AGENT" keygen --type hmac --out "$T/h1" >/dev/null 2>&1
check "keygen hmac writes 32 bytes as hex, mode 600" \
	test "$(mode "$T/h1.key")" = 600 -a "$(grep -cxE '[0-9a-f]{64}' "$T/h1.key")" = 1

# a fresh install: the key's directory does not exist yet
out=$("$AGENT" keygen --out "$T/etc/lvs-agent/agent" 2>&1); rc=$?
echo "$out" | diag
check "keygen makes the directory it writes into, and says so" \
	test "$rc" = 0 -a -f "$T/etc/lvs-agent/agent.key" -a -f "$T/etc/lvs-agent/agent.pub" \
	-a -z "${out##*"$T/etc/lvs-agent: created"*}"

# --once --print: the fixture /proc and cgroup, so the numbers are known
"$AGENT" --once --print --sample 10ms --window 10ms --proc "$FX/proc" --cgroup "$FX/cgroup" \
	--server 198.51.100.11:80 --key "$T/web1.key" >"$T/print" 2>"$T/print.err"; rc=$?
diag <"$T/print.err"
check "--once --print exits 0 and sends nothing without --director" test "$rc" = 0
check "it prints the fixture's memory, load and cgroup" has "$T/print" \
	'mem_available_kb 912340' 'load15 1.59' 'cg_memory_max max' 'cg_inactive_file 104857600'
check "a signed Ed25519 report of 208 bytes for 198.51.100.11:80" has "$T/print" \
	'server 198.51.100.11:80' 'signature ed25519' 'length 208' 'seq 1'
check "a rate needs two different samples: CPU idle is absent (-)" \
	has "$T/print" 'cpu_idle_permille -'

"$AGENT" --director 127.0.0.1 >/dev/null 2>"$T/usage.err"; rc=$?
check "sending without --key and --server is a usage error (exit 2)" \
	test "$rc" = 2 -a "$(grep -c 'needs --key and --server' "$T/usage.err")" = 1

# start_recv NAME ARG...: a receiver in the background, its output in
# $T/NAME.out; sets PORT once it listens
start_recv() {
	local name=$1
	shift
	"$RECV" -s "$T/$name" "$@" >"$T/$name.out" 2>&1 &
	RECV_PID="$RECV_PID $!"
	eval "${name}_pid=$!"
	wait_until grep -q '^port ' "$T/$name.out" || return 1
	PORT=$(awk '/^port / { print $2 }' "$T/$name.out")
}
# passed NAME N LEN: N reports of LEN bytes that decoded, verified and were fresh
passed() {
	test "$(grep -c "^report [0-9]* len $3 decode ok verify ok fresh ok " "$T/$1.out")" = "$2"
}

# a running agent: three reports in a row to one director
start_recv v4 -n 3 ed25519 "$T/web1.pub"
"$AGENT" --director "127.0.0.1:$PORT" --server 198.51.100.11:80 --key "$T/web1.key" \
	--sample 100ms --window 200ms --report 100ms 2>"$T/agent.err" &
AGENT_PID=$!
wait "$v4_pid"; rc=$?
kill "$AGENT_PID"
diag <"$T/v4.out"
check "the receiver got 3 reports of 208 bytes that decode, verify and are fresh" \
	test "$rc" = 0 -a "$(passed v4 3 208 && echo y)" = y
check "numbered 1, 2, 3 from 198.51.100.11 port 80" \
	test "$(awk '{ print $12 "/" $14 ":" $16 }' "$T/v4.out" | tail -3 | tr '\n' ' ')" = \
	"1/198.51.100.11:80 2/198.51.100.11:80 3/198.51.100.11:80 "
if command -v openssl >/dev/null; then
	head -c 144 "$T/v4.2" >"$T/signed"
	tail -c 64 "$T/v4.2" >"$T/sig"
	check "openssl verifies the signature over the first 144 bytes with the public key" \
		quiet openssl pkeyutl -verify -pubin -inkey "$T/web1.pub" -rawin -in "$T/signed" \
		-sigfile "$T/sig"
else
	ok "openssl verifies the signature # SKIP no openssl"
fi

# every director gets the same report, over IPv4 and IPv6
if start_recv a ed25519 "$T/web1.pub" && pa=$PORT && start_recv b -6 ed25519 "$T/web1.pub"; then
	"$AGENT" --once --director "127.0.0.1:$pa" --director "[::1]:$PORT" --server 2001:db8::11 \
		--key "$T/web1.key" --sample 10ms --window 20ms 2>>"$T/agent.err"
	wait "$a_pid"; ra=$?
	wait "$b_pid"; rb=$?
	diag <"$T/a.out"
	diag <"$T/b.out"
	check "two directors, 127.0.0.1 and ::1, each get the report and verify it" \
		test "$ra$rb" = 00 -a "$(passed a 1 208 && passed b 1 208 && echo y)" = y
	check "the very same datagram" cmp -s "$T/a.1" "$T/b.1"
else
	ok "two directors # SKIP no IPv6 loopback"
	ok "the very same datagram # SKIP no IPv6 loopback"
fi

# a director holding another agent's key drops the report as a bad signature
"$AGENT" keygen --out "$T/web2" >/dev/null
start_recv other ed25519 "$T/web2.pub"
"$AGENT" --once --director "127.0.0.1:$PORT" --server 198.51.100.11 --key "$T/web1.key" \
	--sample 10ms --window 10ms 2>>"$T/agent.err"
wait "$other_pid"; rc=$?
diag <"$T/other.out"
check "another key: decode ok, verify fails as 'signature'" \
	test "$rc" = 1 -a "$(grep -c 'decode ok verify signature' "$T/other.out")" = 1

# HMAC-SHA256: the same secret file on both sides
start_recv hmac hmac "$T/h1.key"
"$AGENT" --once --director "127.0.0.1:$PORT" --server 198.51.100.12 --key "$T/h1.key" \
	--sample 10ms --window 10ms 2>>"$T/agent.err"
wait "$hmac_pid"; rc=$?
diag <"$T/hmac.out"
check "an HMAC report is 176 bytes and verifies with the shared secret" \
	test "$rc" = 0 -a "$(passed hmac 1 176 && echo y)" = y
diag <"$T/agent.err"
