#!/bin/bash
# Tracking and notify between two lvsd directors: a track script of weight
# 0 failing on the master puts it in fault (the backup takes over) and its
# recovery lets it preempt back; one of weight -60 drops its priority below
# the backup's; a track file's value moves the priority; a script that hangs
# is killed at its timeout with its whole process group and counts as a
# failure; scripts run as script_user; notify scripts see every transition
# in order with keepalived's arguments; a sync group of two instances fails
# over together when one's tracked interface goes down.  The test drives
# the scripts through files.  Timers: 100 ms advertisements.
. "$(dirname "$0")/lib.sh"
ns_skip_unless_ready
id lvsd >/dev/null 2>&1 || { echo "1..0 # SKIP no user lvsd"; exit 0; }
tap_plan 19
ns_setup d1 d2 || { echo "Bail out! cannot build the namespaces"; exit 1; }
VIP2=192.0.2.101
VIP3=192.0.2.102

# the scripts run as lvsd: a directory it can read and write
S=$T/s
mkdir -m 1777 "$S"
chmod o+x "$T"
# chk.sh FAILFILE [UIDFILE]: fails while FAILFILE exists; records its uid
cat >"$S/chk.sh" <<'EOS'
#!/bin/sh
[ -n "$2" ] && id -u >"$2"
test ! -e "$1"
EOS
# hang.sh PGFILE: records its process group (the first time), then hangs
# with a child of its own
cat >"$S/hang.sh" <<'EOS'
#!/bin/sh
[ -e "$1" ] || echo $$ >"$1"
sleep 1000 &
sleep 1000
EOS
# notify.sh FILE ARGS...: one line per call
cat >"$S/notify.sh" <<'EOS'
#!/bin/sh
f=$1
shift
echo "$*" >>"$f"
EOS
chmod 755 "$S"/*.sh

for n in d1 d2; do
	# a link of its own to track (a veth pair: no dummy module needed)
	nsx "$n" ip link add dum0 type veth peer name dum1
	nsx "$n" ip link set dum1 up
	nsx "$n" ip link set dum0 up
	echo 0 >"$S/$n.prio"
done

conf() { # NODE PRIORITY
	cat >"$T/$1.yaml" <<EOC
global:
  director_id: $1
  control_socket: $T/$1.sock
  script_user: lvsd
track_scripts:
  chk_fault: {script: "$S/chk.sh $S/$1.fault $S/$1.uid", interval: 2s, timeout: 1500ms}
  chk_drop: {script: "$S/chk.sh $S/$1.drop", interval: 2s, timeout: 1500ms, weight: -60}
  chk_hang: {script: "$S/hang.sh $S/$1.pg", interval: 1s, timeout: 300ms, weight: -1}
track_files:
  prio: {file: $S/$1.prio}
vrrp:
  - name: VI_1
    interface: eth0
    vrid: 51
    priority: $2
    advert_interval: 100ms
    virtual_addresses: [$VIP/24]
    notify: "$S/notify.sh $S/$1.notify"
    track_scripts: [chk_fault, chk_drop, chk_hang]
    track_files: [prio]
  - name: VI_2
    interface: eth0
    vrid: 52
    priority: $2
    advert_interval: 100ms
    virtual_addresses: [$VIP2/24]
    track_interfaces: [dum0]
  - name: VI_3
    interface: eth0
    vrid: 53
    priority: $2
    advert_interval: 100ms
    virtual_addresses: [$VIP3/24]
vrrp_sync_groups:
  - name: G
    instances: [VI_2, VI_3]
    notify: "$S/notify.sh $S/$1.gnotify"
EOC
}
conf d1 150
conf d2 100

# st NODE INDEX [KEY]: a field (default state) of an instance in lvsctl status --json
st() {
	"$LVSCTL" -s "$T/$1.sock" status --json 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["vrrp"][int(sys.argv[1])][sys.argv[2]])' \
			"$2" "${3:-state}" 2>/dev/null
}
is() { [ "$(st "$1" "$2")" = "$3" ]; }
prio() { [ "$(st "$1" "$2" effective_priority)" = "$3" ]; }
both() { # INDEX: master on d1, backup on d2, or the other way round with "d2"
	if [ "$2" = d2 ]; then is d2 "$1" master && is d1 "$1" backup; else is d1 "$1" master && is d2 "$1" backup; fi
}

check "lvsd starts on d1" lvsd_start d1
check "lvsd starts on d2" lvsd_start d2
# chk_hang always fails: 150 - 1 on d1
check "d1 is master of VI_1 at priority 149 (the hanging script counts as failing)" \
	wait_until 30 eval 'both 0 && prio d1 0 149'
check "the scripts run as script_user lvsd" \
	wait_until 30 eval '[ "$(cat "$S/d1.uid" 2>/dev/null)" = "$(id -u lvsd)" ]'
check "the hanging script is killed at its timeout with its process group" \
	wait_until 30 eval '[ -s "$S/d1.pg" ] && ! pgrep -g "$(cat "$S/d1.pg")" >/dev/null'
check "and d1 says it timed out" log_has d1 "track script chk_hang: fails: timed out"

# weight 0: fault, the backup takes over; back: preempt
touch "$S/d1.fault"
check "chk_fault failing (weight 0): d1 goes to fault, d2 takes over" \
	wait_until 30 eval 'is d1 0 fault && is d2 0 master'
rm -f "$S/d1.fault"
check "chk_fault succeeds again: d1 preempts" wait_until 30 both 0
check "lvsctl status says why" \
	eval '"$LVSCTL" -s "$T/d1.sock" status | grep -q "tracked: priority -1: script chk_fault ok (weight 0)"'

# weight -60: 149 - 60 = 89 < 100
touch "$S/d1.drop"
check "chk_drop failing (weight -60): d1 at 89, d2 preempts" \
	wait_until 30 eval 'prio d1 0 89 && both 0 d2'
rm -f "$S/d1.drop"
check "chk_drop succeeds again: d1 back at 149 preempts" wait_until 30 eval 'prio d1 0 149 && both 0'

# a track file: value -60 x weight 1 (d2 is at 99: its chk_hang fails too)
echo -60 >"$S/d1.prio"
check "track file at -60: d1 at 89, d2 preempts" wait_until 30 eval 'prio d1 0 89 && both 0 d2'
echo 0 >"$S/d1.prio"
check "track file at 0: d1 back at 149 and master" wait_until 30 eval 'prio d1 0 149 && both 0'

# notify: every transition of VI_1, in order, with keepalived's arguments
transitions() { # the states VI_1 went to, as the log says
	grep -o 'VI_1: [a-z]* -> [a-z]*' "$T/$1.log" | awk '{ print toupper($4) }' | sed 's/^INIT$/STOP/'
}
notified() { awk '$1 == "INSTANCE" && $2 == "VI_1" { print $3 }' "$S/$1.notify" 2>/dev/null; }
check "d1's notify script saw every transition of VI_1 in order" \
	wait_until 30 eval '[ -n "$(transitions d1)" ] && [ "$(transitions d1)" = "$(notified d1)" ]'
check "with the instance's priority as its fourth argument" \
	grep -qx "INSTANCE VI_1 MASTER 149" "$S/d1.notify"

# sync group: VI_2 tracks dum0; VI_3 follows it
check "d1 is master of VI_2 and VI_3 (group G)" wait_until 30 eval 'both 1 && both 2'
nsx d1 ip link set dum0 down
check "dum0 down on d1: VI_2 in fault, VI_3 follows to backup, d2 master of both" \
	wait_until 30 eval 'is d1 1 fault && is d1 2 backup && is d2 1 master && is d2 2 master'
check "the group's notify script said FAULT" wait_until 30 grep -sqx "GROUP G FAULT 0" "$S/d1.gnotify"
nsx d1 ip link set dum0 up
check "dum0 up: d1 takes both back" wait_until 30 eval 'both 1 && both 2'
