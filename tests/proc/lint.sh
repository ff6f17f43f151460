#!/bin/bash
# lvsd -t names each key it accepts but does not act on yet (or that has no
# effect with the rest of the file), a key file it cannot read and an
# interface this system lacks: one line each,
# FILE:LINE:COL: warning: ..., on stderr; the file stays valid (exit 0).
# The daemon logs the same lines at start and at each reload.
. "$(dirname "$0")/lib.sh"
proc_skip_unless_root
proc_setup
tap_plan 13

# line numbers matter: the expected warnings below name them
cat >"$CONF" <<EOC
global:
  control_socket: $SOCK
  user: lvsd
  metrics: true
keys:
  web1: { file: $T/no-such-key.pub }
vrrp:
  - name: VI_1
    interface: lvsd-no-such0
    vrid: 51
    virtual_addresses: [192.0.2.10/24]
    notify: /bin/true
services:
  - name: web
    address: 192.0.2.10
    port: 80
    check: { type: none }
    weight_policy: static
    real_servers:
      - { address: 198.51.100.11, agent_key: web1 }
      - address: 198.51.100.12
        check: { type: script, script: /bin/true }
EOC
cat >"$T/want" <<EOW
$CONF:20:35: warning: agent_key of real server 198.51.100.11 in service web has no effect: reports are off (add a reports section)
$CONF:6:17: warning: key web1: cannot read $T/no-such-key.pub: No such file or directory
$CONF:9:16: warning: vrrp instance VI_1: interface lvsd-no-such0 does not exist on this system
EOW
"$LVSD" -t -f "$CONF" >"$T/out" 2>"$T/err"; rc=$?
diff -u "$T/want" "$T/err" | diag
check "lvsd -t exits 0 with warnings" test "$rc" = 0
check "and still says the file is valid" test "$(cat "$T/out")" = "$CONF: configuration is valid"
check "one warning line per inert key, key file and interface, at file:line:col" \
	cmp -s "$T/want" "$T/err"

# the key file exists: its warning goes, the key's own stays
: >"$T/no-such-key.pub"
"$LVSD" -t -f "$CONF" >/dev/null 2>"$T/err"; rc=$?
check "a readable key file is not named" \
	test "$rc" = 0 -a "$(grep -c 'no-such-key' "$T/err")" = 0 -a "$(grep -c 'agent_key of real server' "$T/err")" = 1

# only what is acted on: no VRRP, no reports, static weights, no checks
cat >"$CONF" <<EOC
global:
  control_socket: $SOCK
  user: lvsd
  metrics: false
reports: false
services:
  - name: web
    address: 192.0.2.10
    port: 80
    check: { type: none }
    weight_policy: { type: static }
    real_servers:
      - { address: 198.51.100.11, weight: 2 }
EOC
"$LVSD" -t -f "$CONF" >"$T/out" 2>"$T/err"; rc=$?
diag <"$T/err"
check "a file of what works: exit 0" test "$rc" = 0
check "and no warning at all" test ! -s "$T/err"
check "defaults are never named (a default tcp check, damped policy)" \
	sh -c "sed '/check:/d; /weight_policy:/d' '$CONF' >'$T/defaults.yaml' &&
		'$LVSD' -t -f '$T/defaults.yaml' 2>&1 >/dev/null | cmp -s - /dev/null"

# the daemon logs them at start and at each reload
write_conf dir1
check "lvsd starts" start_lvsd
check "and logs a warning for its missing interface" \
	wait_for_log "warning: vrrp instance vi_1: interface lvsd-none0 does not exist"
sed -i 's/lvsd-none0/lvsd-none1/' "$CONF"
kill -HUP "$LVSD_PID"
check "and a reload logs the new file's warnings" \
	wait_for_log "warning: vrrp instance vi_1: interface lvsd-none1 does not exist"

# the shipped example of directors behind ECMP draws no warning; the same
# with wrr and without sloppy_tcp draws both
ECMP=${abs_top_srcdir:-$(dirname "$0")/../..}/etc/lvsd-ecmp.yaml
"$LVSD" -t -f "$ECMP" >/dev/null 2>"$T/err"
diag <"$T/err"
check "etc/lvsd-ecmp.yaml: valid, no warning" test ! -s "$T/err"
sed -e 's/scheduler: mh .*/scheduler: wrr/' -e '/scheduler_flags:/d' -e '/sloppy_tcp:/d' \
	"$ECMP" >"$T/ecmp-bad.yaml"
"$LVSD" -t -f "$T/ecmp-bad.yaml" >/dev/null 2>"$T/err"
diag <"$T/err"
check "with wrr and no sloppy_tcp: a warning for each" \
	eval 'grep -q "with scheduler wrr, which does not pick the same real server" "$T/err" &&
		grep -q "sloppy_tcp is not set" "$T/err" && [ "$(wc -l <"$T/err")" = 2 ]'

# every shipped example enables only what lvsd does: its warnings here are
# about this host (key files, interfaces it lacks), never about the file
bad=
for f in "${ECMP%/*}"/*.yaml; do
	"$LVSD" -t -f "$f" >/dev/null 2>"$T/err" || bad="$bad $f(invalid)"
	grep -v -e ': cannot read ' -e ' does not exist on this system$' "$T/err" | diag
	grep -qv -e ': cannot read ' -e ' does not exist on this system$' "$T/err" && bad="$bad $f"
done
check "the shipped examples draw no warning but this host's files and interfaces:$bad" test -z "$bad"
