#!/bin/bash
# What needs privilege is opened by the parent and handed to the child
# over its channel: the report socket, bound by the parent to a port below
# 1024 that the weight child (no capabilities) could not bind, is held by
# the weight child; key files readable by root alone reach it as bytes
# (it never opens them), and one the parent cannot read is reported by
# name.  A reload that keeps the listen address keeps the same socket.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
tap_plan 8
port=
for p in $(seq 600 990); do
	ss -Hlun "sport = :$p" | grep -q . || { port=$p; break; }
done
[ -n "$port" ] || { echo "Bail out! no free UDP port below 1024 on 127.0.0.1"; exit 1; }
mkdir -p "$T/keys"
head -c 32 /dev/urandom >"$T/keys/web1.key"
chmod 600 "$T/keys/web1.key"
cat >"$CONF" <<EOC
global:
  control_socket: $SOCK
keys:
  web1: { type: hmac, file: $T/keys/web1.key }
  web2: { type: hmac, file: $T/keys/missing.key }
reports:
  listen: 127.0.0.1:$port
services:
  - name: web
    address: 192.0.2.10
    port: 80
    weight_policy: static
    check: { type: none }
    real_servers:
      - { address: 198.51.100.11, agent_key: web1 }
      - { address: 198.51.100.12, agent_key: web2 }
EOC
check "lvsd starts" start_lvsd
weight=$(child_pid weight)
# the pids holding the socket bound to 127.0.0.1:PORT
holders() {
	ss -Hlunp "sport = :$port" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -n | tr '\n' ' '
}
holds() { case " $(holders) " in *" $1 "*) return 0 ;; esac; return 1; }
check "the weight child ($weight) holds the socket on privileged port $port (holders: $(holders))" \
	holds "$weight"
check "and it has no capability that would let it bind that port itself" \
	test "$(status_field "$weight" CapEff)" = 0000000000000000
check "the weight child says it holds the report socket" \
	wait_for_log "weight[$weight]: holding the report socket"
check "the parent names the key file it cannot read" \
	wait_for_log "key web2: cannot read $T/keys/missing.key: No such file or directory"
check "the weight child counts one of two keys as unreadable, not the root-only one" \
	wait_for_log "weight[$weight]: 1 of 2 keys could not be read by the parent"
inode() { ss -Hlunpe "sport = :$port" | grep -o 'ino:[0-9]*' | sort -u | tr '\n' ' '; }
before=$(inode)
ctl reload >/dev/null
check "a reload keeping the address reaches the weight child" \
	wait_for_log "weight[$weight]: configuration generation 2 installed"
check "and keeps the very same socket ($before)" test "$(inode)" = "$before"
