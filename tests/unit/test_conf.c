/* The configuration loader: broken documents are rejected at the right
 * line:column with a useful sentence; valid ones get the documented defaults. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lvsd/conf/conf.h"

struct bad {
	const char *name;
	const char *doc;
	unsigned line, col;
	const char *frag;
};

/* Small documents; a VRRP instance is only present where a test needs one. */
#define SVC "services:\n  - address: 192.0.2.100\n    port: 80\n"
#define VR "vrrp:\n  - interface: eth0\n    vrid: 51\n    virtual_addresses: [192.0.2.100/24]\n"

#define TS "track_scripts:\n  chk: {script: /bin/true}\n"
#define VRT VR "    track_scripts: "
static const struct bad bad[] = {
    /* tracked objects and sync groups */
    {"unknown track script", TS VRT "[chk, nope]\n", 7, 26, "unknown track script 'nope'"},
    {"unknown track file", VR "    track_files: [{name: f}]\n", 5, 19, "unknown track file 'f'"},
    {"weight out of range", "track_scripts:\n  chk: {script: /bin/true, weight: 255}\n", 2, 36,
     "weight must be an integer from -254 to 254"},
    {"ref weight out of range", TS VRT "[{name: chk, weight: -255}]\n", 7, 41,
     "weight must be an integer from -254 to 254"},
    {"timeout not below interval",
     "track_scripts:\n  chk: {script: /bin/true, interval: 2s, timeout: 2s}\n", 2, 51,
     "timeout must be shorter than interval"},
    {"relative script", "track_scripts:\n  chk: {script: true}\n", 2, 17,
     "must start with an absolute path"},
    {"track file relative", "track_files:\n  f: {file: x}\n", 2, 13, "absolute path"},
    {"same script twice", TS VRT "[chk, chk]\n", 7, 26, "lists the same object twice"},
    {"group names an unknown instance", VR "vrrp_sync_groups:\n  - {name: G, instances: [X]}\n", 6,
     27, "sync group G: unknown vrrp instance 'X'"},
    {"instance in two groups",
     VR "vrrp_sync_groups:\n  - {name: G, instances: [VI_1]}\n"
	"  - {name: H, instances: [VI_1]}\n",
     7, 27, "already in sync group G"},
    {"empty group", VR "vrrp_sync_groups:\n  - {name: G, instances: []}\n", 6, 26,
     "needs 'instances'"},
    /* documents and YAML syntax */
    {"empty file", "", 1, 1, "configuration is empty"},
    {"comments only", "# nothing here\n\n", 1, 1, "configuration is empty"},
    {"unclosed flow list", "global:\n  director_id: [a\n", 3, 1,
     "did not find expected ',' or ']'"},
    {"tab indentation", "global:\n\tuser: x\n", 2, 1, "cannot start any token"},
    {"bad indentation", "global:\n  user: a\n user: b\n", 3, 2, "did not find expected key"},
    {"unterminated quote", "global:\n  user: \"a\n", 3, 1, "end of stream"},
    {"undefined alias", "global: &g {}\nvrrp: *v\n", 2, 7, "undefined alias"},
    {"two documents", "global: {}\n---\nservices: []\n", 3, 1, "only one YAML document"},
    {"root is a list", "- global\n- services\n", 1, 1, "must be a mapping with sections"},
    {"root is a scalar", "hello\n", 1, 1, "must be a mapping with sections"},
    {"key is a list", "? [a]\n: b\n", 1, 3, "keys of the top level must be names"},
    /* unknown and duplicate keys */
    {"misspelt section", "servics: []\n", 1, 1, "did you mean 'services'?"},
    {"unknown global key", "global:\n  colour: red\n", 2, 3,
     "unknown key 'colour' in global; valid keys are: director_id, control_socket"},
    {"duplicate key block", "global:\n  user: a\n  user: b\n", 3, 3,
     "duplicate key 'user' in global (first given at line 2)"},
    {"duplicate key flow", "global: {user: a, user: b}\n", 1, 19, "duplicate key 'user'"},
    {"duplicate section", "vrrp: []\nservices: []\nvrrp: []\n", 3, 1,
     "duplicate key 'vrrp' in the top level (first given at line 1)"},
    {"misspelt check key", SVC "    check: {type: tcp, intervall: 2s}\n", 4, 24,
     "unknown key 'intervall' in a check; did you mean 'interval'?"},
    {"misspelt rs key", SVC "    real_servers:\n      - adress: 198.51.100.11\n", 5, 9,
     "did you mean 'address'?"},
    /* wrong types */
    {"global is a list", "global: [a, b]\n", 1, 9, "global must be a mapping"},
    {"director_id is a mapping", "global:\n  director_id: {a: 1}\n", 2, 16,
     "director_id must be a single value, not a mapping"},
    {"services is a mapping", "services:\n  address: 192.0.2.1\n", 2, 3, "services must be a list"},
    {"vips is a scalar",
     "vrrp:\n  - interface: eth0\n    vrid: 1\n"
     "    virtual_addresses: 192.0.2.1\n",
     4, 24, "virtual_addresses must be a list"},
    {"real_servers is a mapping", SVC "    real_servers: {address: 198.51.100.11}\n", 4, 19,
     "real_servers must be a list"},
    {"check is a scalar", SVC "    check: http\n", 4, 12, "a check must be a mapping"},
    {"port needs a value", "services:\n  - address: 192.0.2.1\n    port:\n", 3, 10,
     "port needs a value"},
    {"port is text", "services:\n  - address: 192.0.2.1\n    port: http\n", 3, 11,
     "port must be a whole number from 1 to 65535, not 'http'"},
    {"bool is text", VR "    preempt: maybe\n", 5, 14, "preempt must be true or false"},
    /* global */
    {"metrics v6 without brackets", "global:\n  metrics: 2001:db8::1:9642\n", 2, 12,
     "without brackets"},
    {"metrics port 0", "global:\n  metrics: 127.0.0.1:0\n", 2, 12, "ports are 1 to 65535"},
    {"metrics no port", "global:\n  metrics: 127.0.0.1\n", 2, 12, "is not ADDRESS:PORT"},
    {"control socket relative", "global:\n  control_socket: lvsd.sock\n", 2, 19,
     "must be an absolute path"},
    {"sync_id too large", "global:\n  sync_id: 256\n", 2, 12, "sync_id must be from 0 to 255"},
    {"sync_interface too long", "global:\n  sync_interface: averyveryverylongname0\n", 2, 19,
     "is not an interface name"},
    {"empty director_id", "global:\n  director_id: \"\"\n", 2, 16, "director_id must not be empty"},
    {"empty key name", "keys:\n  \"\": {file: /etc/lvsd/k}\n", 2, 3, "must not be empty"},
    {"director_id too long",
     "global:\n  director_id: "
     "a234567890123456789012345678901234567890123456789012345678901234567890\n",
     2, 16, "director_id is too long (70 characters, at most 63)"},
    /* keys and reports */
    {"key without file", "keys:\n  web1: { type: ed25519 }\n", 2, 9, "key 'web1' needs 'file'"},
    {"key of unknown type", "keys:\n  web1: { type: rsa, file: /k }\n", 2, 17,
     "unknown value 'rsa'; use one of: ed25519, hmac"},
    {"key defined twice", "keys:\n  a: {file: /k}\n  a: {file: /j}\n", 3, 3,
     "duplicate key 'a' in keys (first given at line 2)"},
    {"max_skew without unit", "reports:\n  max_skew: 30\n", 2, 13,
     "max_skew: '30' needs a unit: ms, s, m or h"},
    {"max_skew unknown unit", "reports:\n  max_skew: 30d\n", 2, 13, "unknown unit"},
    {"max_skew fraction", "reports:\n  max_skew: 1.5s\n", 2, 13,
     "is not a whole number: write e.g. 1500ms"},
    {"round too short", "reports:\n  round: 10ms\n", 2, 10, "round must be from 100ms"},
    {"rate_limit 0", "reports: {rate_limit: 0}\n", 1, 23, "rate_limit must be from 1 to 100000"},
    {"history relative", "reports: {history: w.jsonl}\n", 1, 20, "absolute"},
    {"max_skew no number", "reports:\n  max_skew: s\n", 2, 13, "is not a duration"},
    {"reports listen no port", "reports:\n  listen: 0.0.0.0\n", 2, 11, "is not ADDRESS:PORT"},
    {"reports is a word", "reports: sometimes\n", 1, 10, "reports must be true or false"},
    /* vrrp */
    {"vrrp without vrid", "vrrp:\n  - interface: eth0\n    virtual_addresses: [192.0.2.1]\n", 2, 5,
     "vrrp instance VI_1 needs 'vrid'"},
    {"vrrp without interface", "vrrp:\n  - vrid: 5\n    virtual_addresses: [192.0.2.1]\n", 2, 5,
     "needs 'interface'"},
    {"vrrp without addresses", "vrrp:\n  - name: a\n    interface: eth0\n    vrid: 5\n", 2, 5,
     "needs at least one address in 'virtual_addresses'"},
    {"vrrp empty address list",
     "vrrp:\n  - interface: eth0\n    vrid: 5\n"
     "    virtual_addresses: []\n",
     4, 24, "needs at least one address"},
    {"vrid 0", "vrrp:\n  - interface: eth0\n    vrid: 0\n", 3, 11, "vrid must be from 1 to 255"},
    {"vrid 256", "vrrp:\n  - interface: eth0\n    vrid: 256\n", 3, 11,
     "vrid must be from 1 to 255, not 256"},
    {"version 4", VR "    version: 4\n", 5, 14,
     "version must be 2 (RFC 3768) or 3 (RFC 5798), not '4'"},
    {"priority 0", VR "    priority: 0\n", 5, 15, "priority must be from 1 to 255"},
    {"v2 advert fraction", VR "    version: 2\n    advert_interval: 1500ms\n", 6, 22,
     "whole seconds with VRRP version 2"},
    {"v3 advert not 10ms", VR "    advert_interval: 15ms\n", 5, 22, "multiple of 10ms"},
    {"v3 advert too long", VR "    advert_interval: 50s\n", 5, 22,
     "advert_interval must be from 10ms to 40950ms, not 50s"},
    {"preempt_delay too long", VR "    preempt_delay: 2000s\n", 5, 20,
     "preempt_delay must be from 0s to 1000s"},
    {"vip prefix 33",
     "vrrp:\n  - interface: eth0\n    vrid: 1\n"
     "    virtual_addresses: [192.0.2.1/33]\n",
     4, 25, "IPv4 allows /0 to /32"},
    {"vip v6 prefix 129",
     "vrrp:\n  - interface: eth0\n    vrid: 1\n"
     "    virtual_addresses: [192.0.2.1, 2001:db8::1/129]\n",
     4, 36, "IPv6 allows /0 to /128"},
    {"vip not an address",
     "vrrp:\n  - interface: eth0\n    vrid: 1\n"
     "    virtual_addresses:\n      - 192.0.2.300\n",
     5, 9, "'192.0.2.300' is not an IPv4 or IPv6 address"},
    {"v2 with IPv6",
     "vrrp:\n  - interface: eth0\n    vrid: 1\n    version: 2\n"
     "    virtual_addresses: [2001:db8::1]\n",
     5, 25, "VRRP version 2 carries IPv4 only"},
    {"vip listed twice", VR "    unicast_peers: [198.51.100.2, 198.51.100.2]\n", 5, 35,
     "unicast_peers lists 198.51.100.2 twice"},
    {"peer with prefix", VR "    unicast_peers: [198.51.100.2/24]\n", 5, 21,
     "must be a plain address, without a /prefix"},
    {"peer of the other family", VR "    unicast_peers: [2001:db8::2]\n", 5, 21,
     "unicast_peers: 2001:db8::2 is IPv6, but the instance's virtual addresses are not"},
    {"track bad name", VR "    track_interfaces: [eth/1]\n", 5, 24, "not an interface name"},
    {"notify relative", VR "    notify: notify.sh\n", 5, 13, "notify must be an absolute path"},
    {"duplicate vrrp name",
     "vrrp:\n  - {name: a, interface: eth0, vrid: 1, "
     "virtual_addresses: [192.0.2.1]}\n"
     "  - {name: a, interface: eth1, vrid: 2, "
     "virtual_addresses: [192.0.2.2]}\n",
     3, 5, "duplicate vrrp instance name 'a' (first used at line 2)"},
    {"duplicate vrid",
     "vrrp:\n  - {interface: eth0, vrid: 7, virtual_addresses: [192.0.2.1]}\n"
     "  - {interface: eth0, vrid: 7, virtual_addresses: [192.0.2.2]}\n",
     3, 5, "uses vrid 7 on eth0, like instance VI_1 at line 2"},
    {"vip in two instances",
     "vrrp:\n  - {interface: eth0, vrid: 7, virtual_addresses: "
     "[192.0.2.1]}\n  - {interface: eth1, vrid: 8, "
     "virtual_addresses: [192.0.2.1/24]}\n",
     3, 5, "which instance VI_1 at line 2 already holds"},
    /* services */
    {"service without port", "services:\n  - address: 192.0.2.1\n", 2, 5,
     "service at 192.0.2.1 needs 'port'"},
    {"service without address", "services:\n  - port: 80\n    protocol: tcp\n", 2, 5,
     "needs 'address' and 'port' (or 'fwmark')"},
    {"fwmark with address", "services:\n  - fwmark: 3\n    address: 192.0.2.1\n", 3, 5,
     "a fwmark service has no address"},
    {"fwmark with port", "services:\n  - port: 80\n    fwmark: 3\n", 2, 5,
     "a fwmark service has no port"},
    {"fwmark 0", "services:\n  - fwmark: 0\n", 2, 13, "fwmark must be from 1 to 4294967295"},
    {"service address with prefix", "services:\n  - address: 192.0.2.1/24\n    port: 80\n", 2, 14,
     "must be a plain address"},
    {"service port 70000", "services:\n  - address: 192.0.2.1\n    port: 70000\n", 3, 11,
     "port must be from 1 to 65535, not 70000"},
    {"protocol icmp", SVC "    protocol: icmp\n", 4, 15,
     "unknown value 'icmp'; use one of: tcp, udp, sctp"},
    {"scheduler unknown", SVC "    scheduler: fastest\n", 4, 16,
     "scheduler: unknown value 'fastest'; use one of: rr, wrr"},
    {"scheduler flag unknown", SVC "    scheduler_flags: [port]\n", 4, 23,
     "unknown scheduler flag 'port' (sh-fallback, sh-port, mh-fallback, mh-port, flag-1"},
    {"scheduler flag twice", SVC "    scheduler: sh\n    scheduler_flags: [sh-port, flag-2]\n", 5,
     32, "scheduler_flags sets flag flag-2 twice"},
    {"mh flag on wrr", SVC "    scheduler_flags: [flag-1, mh-port]\n", 4, 31,
     "scheduler flag mh-port applies only to scheduler: mh, and this service uses wrr"},
    {"sh flag on mh, scheduler after",
     SVC "    scheduler_flags: [sh-fallback]\n    scheduler: mh\n", 4, 23,
     "scheduler flag sh-fallback applies only to scheduler: sh, and this service uses mh"},
    {"scheduler flags not a list", SVC "    scheduler_flags: mh-port\n", 4, 22,
     "scheduler_flags must be a list"},
    {"sloppy_tcp not a boolean", "global: {sloppy_tcp: 2}\n", 1, 22,
     "sloppy_tcp must be true or false"},
    {"forwarding unknown", SVC "    forwarding: masq\n", 4, 17, "use one of: tunnel, dr, nat"},
    {"tunnel_type with dr", SVC "    forwarding: dr\n    tunnel_type: gue\n", 5, 5,
     "tunnel_type applies only to forwarding: tunnel, and this service uses dr"},
    {"persistence netmask v6 on v4", SVC "    persistence: {netmask: 'ffff:ffff::'}\n", 4, 28,
     "persistence netmask is IPv6 but the service is IPv4"},
    {"persistence netmask /0 on v6",
     "services:\n  - address: 2001:db8::100\n    port: 80\n    persistence: {netmask: /0}\n", 4, 28,
     "persistence netmask /0 is not allowed for an IPv6 service"},
    {"persistence netmask :: on v6",
     "services:\n  - address: 2001:db8::100\n    port: 80\n    persistence: {netmask: '::'}\n", 4,
     28, "the kernel takes /1 to /128"},
    {"persistence netmask /0 on v6 fwmark",
     "services:\n  - fwmark: 2\n    persistence: {netmask: /0}\n"
     "    real_servers: [{address: 2001:db8::1}]\n",
     3, 28, "persistence netmask /0 is not allowed for an IPv6 service"},
    /* tunnel encapsulation */
    {"gue without tunnel_port", SVC "    tunnel_type: gue\n", 4, 5,
     "tunnel_type gue needs 'tunnel_port'"},
    {"tunnel_port 0", SVC "    tunnel_type: gue\n    tunnel_port: 0\n", 5, 18,
     "tunnel_port must be from 1 to 65535, not 0"},
    {"tunnel_port with ipip", SVC "    tunnel_port: 6080\n", 4, 5,
     "tunnel_port applies only to tunnel_type: gue, and this service uses ipip"},
    {"tunnel_port with gre", SVC "    tunnel_type: gre\n    tunnel_port: 6080\n", 5, 5,
     "tunnel_port applies only to tunnel_type: gue, and this service uses gre"},
    {"tunnel_port with nat", SVC "    forwarding: nat\n    tunnel_port: 6080\n", 5, 5,
     "tunnel_port applies only to forwarding: tunnel, and this service uses nat"},
    {"tunnel_checksum with ipip", SVC "    tunnel_checksum: csum\n", 4, 5,
     "tunnel_checksum applies only to tunnel_type gue or gre, and this service uses ipip"},
    {"tunnel_checksum with dr", SVC "    forwarding: dr\n    tunnel_checksum: none\n", 5, 5,
     "tunnel_checksum applies only to forwarding: tunnel, and this service uses dr"},
    {"remcsum with gre", SVC "    tunnel_type: gre\n    tunnel_checksum: remcsum\n", 5, 22,
     "tunnel_checksum remcsum needs tunnel_type gue"},
    {"tunnel_checksum unknown", SVC "    tunnel_type: gre\n    tunnel_checksum: yes\n", 5, 22,
     "tunnel_checksum: unknown value 'yes'; use one of: none, csum, remcsum"},
    {"persistence netmask holes", SVC "    persistence:\n      netmask: 255.0.255.0\n", 5, 16,
     "is not contiguous"},
    {"persistence prefix too long", SVC "    persistence: {netmask: /33}\n", 4, 28,
     "too long for an IPv4 service"},
    {"persistence timeout ms", SVC "    persistence: {timeout: 1500ms}\n", 4, 28,
     "persistence timeout must be whole seconds"},
    {"persistence word", SVC "    persistence: maybe\n", 4, 18,
     "persistence must be true or false"},
    {"check timeout above interval", SVC "    check: {interval: 1s, timeout: 2s}\n", 4, 36,
     "check timeout (2s) must be shorter than its interval (1s)"},
    {"check interval below default timeout", SVC "    check:\n      interval: 500ms\n", 5, 17,
     "check timeout (1s) must be shorter than its interval (500ms)"},
    {"check interval bare number", SVC "    check: {interval: 2}\n", 4, 23,
     "interval: '2' needs a unit"},
    {"check path on tcp", SVC "    check: {type: tcp, path: /x}\n", 4, 24,
     "path applies only to http and https checks, and this check is tcp"},
    {"check host on tcp", SVC "    check: {type: tcp, host: www.example.com}\n", 4, 24,
     "host applies only to http and https checks, and this check is tcp"},
    {"check sni on http", SVC "    check: {type: http, sni: www.example.com}\n", 4, 25,
     "sni applies only to https checks, and this check is http"},
    {"check ca_file on http", SVC "    check: {type: http, ca_file: /etc/ca.pem}\n", 4, 25,
     "ca_file applies only to https checks, and this check is http"},
    {"check ca_file relative", SVC "    check: {type: https, ca_file: ca.pem}\n", 4, 35, "/"},
    {"check retries 101", SVC "    check: {type: tcp, retries: 101}\n", 4, 33,
     "retries must be from 0 to 100"},
    {"check source not an address", SVC "    check: {type: tcp, source: here}\n", 4, 32,
     "is not an IPv4 or IPv6 address"},
    {"check script missing", SVC "    check:\n      type: script\n", 5, 7,
     "a check of type script needs 'script'"},
    {"check script on http", SVC "    check: {type: http, script: /bin/true}\n", 4, 25,
     "script applies only to checks of type script"},
    {"check digest short", SVC "    check: {type: http, digest: abc}\n", 4, 33,
     "digest must be the SHA-256 of the body as 64 hex digits"},
    {"check status 999", SVC "    check: {type: http, status: 999}\n", 4, 33,
     "status must be from 100 to 599"},
    {"check path relative", SVC "    check: {type: http, path: health}\n", 4, 31,
     "path must start with '/'"},
    {"check rise 0", SVC "    check: {rise: 0}\n", 4, 19, "rise must be from 1 to 1000"},
    {"policy unknown", SVC "    weight_policy: paper-3\n", 4, 20,
     "use one of: static, paper-1, paper-2, damped"},
    {"policy key for other type", SVC "    weight_policy: {type: paper-2, max_step: 5}\n", 4, 36,
     "max_step does not apply to the paper-2 weight policy"},
    {"policy damped with paper key", SVC "    weight_policy:\n      conns_per_min: 100\n", 5, 7,
     "conns_per_min does not apply to the damped weight policy"},
    {"policy expire before stale", SVC "    weight_policy: {stale_after: 10m, expire_after: 5m}\n",
     4, 53, "expire_after must be longer than stale_after"},
    {"policy max_step 0", SVC "    weight_policy: {max_step: 0}\n", 4, 31,
     "max_step must be from 1 to 100"},
    /* real servers */
    {"rs without address", SVC "    real_servers:\n      - port: 80\n", 5, 9,
     "a real server needs 'address'"},
    {"rs hostname", SVC "    real_servers:\n      - address: web1.example\n", 5, 18,
     "'web1.example' is not an IPv4 or IPv6 address"},
    {"rs weight too large",
     SVC "    real_servers:\n      - address: 198.51.100.11\n"
	 "        weight: 70000\n",
     6, 17, "weight must be from 0 to 65535, not 70000"},
    {"rs unknown key ref",
     "keys:\n  web1: {file: /k}\n" SVC "    real_servers:\n      - address: 198.51.100.11\n"
     "        agent_key: web2\n",
     8, 20, "agent_key 'web2' is not defined in keys (defined: web1)"},
    {"rs three keys",
     "keys:\n  a: {file: /a}\n  b: {file: /b}\n" SVC
     "    real_servers:\n      - {address: 198.51.100.11, agent_key: [a, b, a]}\n",
     8, 45, "agent_key takes one key, or a list of two while keys are rotated, not 3"},
    {"rs same key twice",
     "keys:\n  a: {file: /a}\n" SVC
     "    real_servers:\n      - {address: 198.51.100.11, agent_key: [a, a]}\n",
     7, 45, "agent_key lists the same key twice"},
    {"rs second key unknown",
     "keys:\n  a: {file: /a}\n" SVC
     "    real_servers:\n      - {address: 198.51.100.11, agent_key: [a, z]}\n",
     7, 49, "agent_key 'z' is not defined in keys (defined: a)"},
    {"rs key without keys",
     SVC "    real_servers:\n      - address: 198.51.100.11\n"
	 "        agent_key: web2\n",
     6, 20, "there is no 'keys' section"},
    {"rs port mapping with tunnel",
     SVC "    real_servers:\n      - address: 198.51.100.11\n"
	 "        port: 8080\n",
     6, 15, "real server port 8080 differs from the service port 80, which only nat"},
    {"v6 service with v4 rs",
     "services:\n  - address: 2001:db8::100\n    port: 80\n"
     "    real_servers:\n      - address: 198.51.100.11\n",
     5, 18, "real server 198.51.100.11 is IPv4 but the service is IPv6"},
    {"fwmark rs mixed families",
     "services:\n  - fwmark: 1\n    real_servers:\n"
     "      - address: 198.51.100.11\n      - address: 2001:db8::11\n",
     5, 18, "cannot mix address families"},
    {"rs thresholds reversed",
     SVC "    real_servers:\n      - address: 198.51.100.11\n"
	 "        upper_threshold: 10\n        lower_threshold: 10\n",
     7, 26, "lower_threshold (10) must be below upper_threshold (10)"},
    {"rs listed twice",
     SVC "    real_servers:\n      - address: 198.51.100.11\n"
	 "      - address: 198.51.100.12\n      - address: 198.51.100.11\n",
     7, 9,
     "real server 198.51.100.11 port 80 is listed twice in service 192.0.2.100:80 "
     "(first at line 5)"},
    {"rs earliest repeat is reported",
     SVC "    real_servers:\n"
	 "      - address: 198.51.100.11\n      - address: 198.51.100.12\n"
	 "      - address: 198.51.100.13\n      - address: 198.51.100.12\n"
	 "      - address: 198.51.100.11\n",
     8, 9,
     "real server 198.51.100.12 port 80 is listed twice in service 192.0.2.100:80 "
     "(first at line 6)"},
    {"rs same address other port is fine, same port is not",
     "services:\n  - {address: 192.0.2.1, port: 80, forwarding: nat, real_servers: [\n"
     "      {address: 198.51.100.1, port: 80}, {address: 198.51.100.1, port: 81},\n"
     "      {address: 198.51.100.1, port: 81}]}\n",
     4, 7, "real server 198.51.100.1 port 81 is listed twice"},
    /* fwmark services with tunnel or dr forward the packet's own port */
    {"fwmark dr rs with port",
     "services:\n  - fwmark: 3\n    forwarding: dr\n    real_servers:\n"
     "      - {address: 198.51.100.1, port: 80}\n",
     5, 33,
     "a real server of a fwmark service with dr forwarding takes no port: the kernel "
     "forwards the packet's own port"},
    {"fwmark tunnel rs ports 80 and 443",
     "services:\n  - fwmark: 3\n    real_servers:\n"
     "      - address: 198.51.100.1\n        port: 80\n"
     "      - address: 198.51.100.1\n        port: 443\n",
     5, 9, "fwmark service with tunnel forwarding takes no port"},
    {"fwmark rs listed twice",
     "services:\n  - fwmark: 3\n    forwarding: dr\n    real_servers:\n"
     "      - address: 198.51.100.1\n      - address: 198.51.100.1\n",
     6, 9, "real server 198.51.100.1 is listed twice in service fwmark 3 (first at line 5)"},
    {"fwmark nat rs listed twice with the same port",
     "services:\n  - fwmark: 3\n    forwarding: nat\n    real_servers:\n"
     "      - {address: 198.51.100.1, port: 80}\n      - {address: 198.51.100.1}\n"
     "      - {address: 198.51.100.1, port: 80}\n",
     7, 9, "real server 198.51.100.1 port 80 is listed twice in service fwmark 3"},
    /* thresholds the kernel refuses */
    {"rs lower threshold alone",
     SVC "    real_servers:\n      - address: 198.51.100.11\n"
	 "        lower_threshold: 5\n",
     6, 26, "lower_threshold (5) needs an upper_threshold"},
    {"rs lower threshold with upper 0",
     SVC "    real_servers:\n      - {address: 198.51.100.11, upper_threshold: 0, "
	 "lower_threshold: 5}\n",
     5, 71, "lower_threshold (5) needs an upper_threshold"},
    /* empty numbers */
    {"rs weight quoted empty",
     SVC "    real_servers:\n      - address: 198.51.100.11\n        weight: \"\"\n", 6, 17,
     "weight needs a number from 0 to 65535, not an empty string"},
    {"service port quoted empty", "services:\n  - address: 192.0.2.1\n    port: ''\n", 3, 11,
     "port needs a number"},
    /* strings the dump could not give back */
    {"director_id with U+0085", "global:\n  director_id: \"a\\x85b\"\n", 2, 16,
     "director_id must not contain control characters"},
    {"user with U+0080", "global:\n  user: \"\\u0080\"\n", 2, 9,
     "user must not contain control characters"},
    {"key name with U+009F", "keys:\n  \"k\\u009f\": {file: /k}\n", 2, 3,
     "must not contain control characters"},
    {"service name with U+2028", SVC "    name: \"web\\u2028two\"\n", 4, 11,
     "name must not contain control characters"},
    {"script with U+2029", SVC "    check: {type: script, script: \"/bin/true \\u2029\"}\n", 4, 35,
     "script must not contain control characters"},
    {"notify with U+FFFE", VR "    notify: \"/x\\uFFFE\"\n", 5, 13,
     "notify must not contain control characters"},
    {"rs check override bad",
     SVC "    real_servers:\n      - address: 198.51.100.11\n"
	 "        check: {timeout: 5s}\n",
     6, 26, "check timeout (5s) must be shorter than its interval (2s)"},
    /* conflicts between services and with vrrp */
    {"two services one VIP", SVC "  - name: again\n    address: 192.0.2.100\n    port: 80\n", 4, 5,
     "service again is the same virtual service as 192.0.2.100:80 at line 2"},
    {"service repeat far apart",
     "services:\n  - {address: 192.0.2.1, port: 80}\n"
     "  - {address: 192.0.2.1, port: 81}\n"
     "  - {address: 192.0.2.1, port: 80, protocol: udp}\n"
     "  - {name: b, address: 192.0.2.1, port: 81}\n"
     "  - {name: c, address: 192.0.2.1, port: 80}\n",
     5, 5, "service b is the same virtual service as 192.0.2.1:81 at line 3"},
    {"two services one fwmark", "services:\n  - fwmark: 5\n  - fwmark: 5\n", 3, 5, "same fwmark"},
    {"duplicate service name",
     "services:\n  - {name: web, address: 192.0.2.1, port: 80}\n"
     "  - {name: web, address: 192.0.2.1, port: 81}\n",
     3, 5, "duplicate service name 'web' (first used at line 2)"},
    {"ipvs_resync negative", "global:\n  ipvs_resync: -1s\n", 2, 16, "ipvs_resync"},
    /* on_down, sorry servers and quorum hooks */
    {"on_down unknown", SVC "    on_down: delete\n", 4, 14,
     "unknown value 'delete'; use one of: inhibit, remove"},
    {"rs on_down unknown", SVC "    real_servers:\n      - {address: 198.51.100.11, on_down: x}\n",
     5, 43, "use one of: inhibit, remove"},
    {"sorry without address", SVC "    sorry_server: {port: 80}\n", 4, 19,
     "sorry_server needs 'address'"},
    {"sorry is a scalar", SVC "    sorry_server: 198.51.100.99\n", 4, 19,
     "sorry_server must be a mapping"},
    {"sorry bad address", SVC "    sorry_server: {address: 198.51.100.999}\n", 4, 29,
     "198.51.100.999"},
    {"sorry other family", SVC "    sorry_server: {address: \"2001:db8::99\"}\n", 4, 29,
     "sorry_server 2001:db8::99 is IPv6 but the service is IPv4"},
    {"sorry port without nat", SVC "    sorry_server: {address: 198.51.100.99, port: 8080}\n", 4,
     50, "sorry_server port 8080 differs from the service port 80"},
    {"sorry weight 0", SVC "    sorry_server: {address: 198.51.100.99, weight: 0}\n", 4, 52,
     "weight must be from 1 to 65535, not 0"},
    {"sorry unknown key", SVC "    sorry_server: {address: 198.51.100.99, wieght: 2}\n", 4, 44,
     "did you mean 'weight'?"},
    {"sorry is a real server",
     SVC "    real_servers:\n      - address: 198.51.100.11\n"
	 "    sorry_server: {address: 198.51.100.11}\n",
     6, 29, "sorry_server 198.51.100.11 port 80 is also a real server of this service (line 5)"},
    {"sorry fwmark port",
     "services:\n  - fwmark: 3\n    sorry_server: {address: 198.51.100.9, "
     "port: 80}\n",
     3, 43, "the sorry_server of a fwmark service with tunnel forwarding takes no port"},
    {"quorum_up without quorum", SVC "    quorum_up: /bin/true\n", 4, 5,
     "quorum_up runs when the service's quorum changes, and it has none"},
    /* announce */
    {"announce without table", SVC "    announce: {min_up: 0}\n", 4, 15, "announce needs 'table'"},
    {"announce local table", SVC "    announce: {table: 255}\n", 4, 23, "kernel's local table"},
    {"announce table 0", SVC "    announce: {table: 0}\n", 4, 23, "table must be"},
    {"announce unknown key", SVC "    announce: {table: 100, via: x}\n", 4, 28, "via"},
    {"announce min_up above rs",
     SVC "    real_servers: [{address: 198.51.100.1}]\n    announce: {table: 100, min_up: 2}\n", 5,
     36, "more than the service's 1 real servers"},
    {"announce fwmark", "services:\n  - fwmark: 1\n    announce: {table: 100, min_up: 0}\n", 3, 15,
     "a fwmark service has no address to announce"},
    {"announce two tables",
     SVC "    announce: {table: 100, min_up: 0}\n  - address: 192.0.2.100\n    port: 443\n"
	 "    announce: {table: 101, min_up: 0}\n",
     7, 15, "one VIP, one route, one table"},
    {"director_drain_wait too long", "global:\n  director_drain_wait: 2h\n", 2, 24,
     "director_drain_wait"},
    {"quorum_down relative", SVC "    quorum: 2\n    quorum_down: notify.sh down\n", 5, 18,
     "quorum_down must be an absolute path"},
    {"VIP outside vrrp", VR "services:\n  - name: web\n    address: 192.0.2.101\n    port: 80\n", 7,
     14,
     "service web: address 192.0.2.101 is not among the virtual_addresses of any vrrp "
     "instance (VI_1)"},
};

/* SHOW=1 prints every message, to review their wording. */
static void
test_bad(void **state)
{
	const struct bad *b = *state;
	struct conf *c = NULL;
	struct conf_error err;
	char line[1024];
	int r;

	r = conf_load_buffer("t.yaml", b->doc, strlen(b->doc), &c, &err);
	conf_error_format(&err, line, sizeof(line));
	if (getenv("SHOW") || r == 0 || err.line != b->line || err.col != b->col ||
	    !strstr(err.msg, b->frag))
		print_message("# %s: got r=%d %s\n#   want %u:%u ...%s...\n", b->name, r, line,
			      b->line, b->col, b->frag);
	assert_int_equal(r, -EINVAL);
	assert_null(c);
	assert_string_equal(err.file, "t.yaml");
	assert_int_equal(err.line, b->line);
	assert_int_equal(err.col, b->col);
	assert_non_null(strstr(err.msg, b->frag));
}

static struct conf *
load_ok(const char *doc)
{
	struct conf *c = NULL;
	struct conf_error err;
	char line[1024];

	if (conf_load_buffer("ok.yaml", doc, strlen(doc), &c, &err) < 0) {
		conf_error_format(&err, line, sizeof(line));
		print_message("# unexpected error: %s\n", line);
		fail();
	}
	assert_non_null(c);
	return c;
}

static void
test_defaults(void **state)
{
	struct conf *c = load_ok(VR SVC "    real_servers:\n      - address: 198.51.100.11\n");
	const struct conf_service *s = &c->services[0];
	const struct conf_vrrp *v = &c->vrrp[0];
	char b[CONF_ADDRSTRLEN];

	assert_string_equal(c->global.control_socket, "/run/lvsd/lvsd.sock");
	assert_string_equal(c->global.user, "lvsd");
	assert_true(c->global.director_id[0] != '\0');
	assert_false(c->global.metrics_enabled);
	assert_false(c->reports.enabled);
	assert_int_equal(c->global.sync_id, 0);
	assert_int_equal(c->global.ipvs_resync_ms, 60000);
	assert_string_equal(c->global.sync_interface, "");
	assert_int_equal(c->n_keys, 0);

	assert_int_equal(c->n_vrrp, 1);
	assert_string_equal(v->name, "VI_1");
	assert_int_equal(v->version, 3);
	assert_int_equal(v->priority, 100);
	assert_int_equal(v->advert_interval_ms, 1000);
	assert_true(v->preempt);
	assert_int_equal(v->preempt_delay_ms, 0);
	assert_int_equal(v->n_vips, 1);
	assert_int_equal(v->vips[0].prefix, 24);
	assert_string_equal(conf_addr_str(&v->vips[0], b, sizeof(b)), "192.0.2.100/24");
	assert_int_equal(v->n_unicast_peers, 0);
	assert_string_equal(v->notify, "");
	assert_int_equal(v->pos.line, 2);
	assert_int_equal(v->pos.col, 5);

	assert_int_equal(c->n_services, 1);
	assert_string_equal(s->name, "192.0.2.100:80");
	assert_int_equal(s->family, AF_INET);
	assert_int_equal(s->fwmark, 0);
	assert_int_equal(s->proto, CONF_PROTO_TCP);
	assert_string_equal(s->scheduler, "wrr");
	assert_int_equal(s->forwarding, CONF_FWD_TUNNEL);
	assert_int_equal(s->tunnel_type, CONF_TUN_IPIP);
	assert_false(s->persistent);
	assert_int_equal(s->check.type, CONF_CHECK_TCP);
	assert_int_equal(s->check.interval_ms, 2000);
	assert_int_equal(s->check.timeout_ms, 1000);
	assert_int_equal(s->check.rise, 2);
	assert_int_equal(s->check.fall, 3);
	assert_int_equal(s->check.port, 0);
	assert_string_equal(s->check.path, "/");
	assert_int_equal(s->check.status, 200);
	assert_string_equal(s->check.digest, "");
	assert_int_equal(s->policy.type, CONF_POLICY_DAMPED);
	assert_int_equal(s->policy.mem_per_proc_kb, 3500);
	assert_int_equal(s->policy.conns_per_min, 0);
	assert_int_equal(s->policy.max_step, 10);
	assert_int_equal(s->policy.smoothing, 30);
	assert_int_equal(s->policy.band, 4);
	assert_int_equal(s->policy.write_threshold, 5);
	assert_int_equal(s->policy.warmup_ms, 60000);
	assert_int_equal(s->policy.stale_after_ms, 180000);
	assert_int_equal(s->policy.expire_after_ms, 600000);
	assert_int_equal(s->n_rs, 1);
	assert_int_equal(s->rs[0].port, 80);
	assert_int_equal(s->rs[0].weight, 1);
	assert_int_equal(s->rs[0].u_threshold, 0);
	assert_int_equal(s->rs[0].l_threshold, 0);
	assert_int_equal(s->rs[0].key, -1);
	assert_false(s->rs[0].has_check);
	assert_int_equal(s->addr_pos.line, 6);
	assert_int_equal(s->addr_pos.col, 14);
	conf_free(c);
}

static void
test_switches(void **state)
{
	struct conf *c = load_ok("global:\n  metrics: true\nreports: {}\n"
				 "services:\n  - address: 2001:db8::100\n    port: 443\n"
				 "    persistence: true\n");
	char b[CONF_ADDRSTRLEN];

	assert_true(c->global.metrics_enabled);
	assert_string_equal(conf_addr_str(&c->global.metrics.addr, b, sizeof(b)), "127.0.0.1");
	assert_int_equal(c->global.metrics.port, 9642);
	assert_true(c->reports.enabled);
	assert_string_equal(conf_addr_str(&c->reports.listen.addr, b, sizeof(b)), "0.0.0.0");
	assert_int_equal(c->reports.listen.port, 7946);
	assert_int_equal(c->reports.max_skew_ms, 30000);
	assert_int_equal(c->reports.round_ms, 1000);
	assert_int_equal(c->reports.rate_limit, 50);
	assert_string_equal(c->reports.history, "");
	assert_int_equal(c->reports.history_max_kb, 10240);
	assert_true(c->services[0].persistent);
	assert_int_equal(c->services[0].persistence_timeout_s, 300);
	assert_int_equal(c->services[0].persistence_netmask.family, AF_INET6);
	assert_int_equal(c->services[0].persistence_netmask.prefix, 128);
	assert_string_equal(c->services[0].name, "[2001:db8::100]:443");
	conf_free(c);

	c = load_ok("global: {metrics: \"[2001:db8::1]:9100\"}\nreports: false\n"
		    "services:\n  - {address: 192.0.2.1, port: 80, persistence: {timeout: 1h, "
		    "netmask: /24}}\n");
	assert_int_equal(c->global.metrics.addr.family, AF_INET6);
	assert_int_equal(c->global.metrics.port, 9100);
	assert_false(c->reports.enabled);
	assert_int_equal(c->services[0].persistence_timeout_s, 3600);
	assert_string_equal(
	    inet_ntop(AF_INET, &c->services[0].persistence_netmask.u.v4, b, sizeof(b)),
	    "255.255.255.0");
	conf_free(c);
}

/* scheduler_flags become the kernel's flags 1 to 3; sloppy_* stay
 * untouched (-1) unless the file says. */
static void
test_sched_flags_sloppy(void **state)
{
	struct conf *c =
	    load_ok(SVC "    scheduler: mh\n    scheduler_flags: [mh-port, mh-fallback]\n");

	assert_int_equal(c->services[0].sched_flags, CONF_SCHED_FLAG_1 | CONF_SCHED_FLAG_2);
	assert_string_equal(conf_sched_flag_name(&c->services[0], CONF_SCHED_FLAG_2), "mh-port");
	assert_int_equal(c->global.sloppy_tcp, -1);
	assert_int_equal(c->global.sloppy_sctp, -1);
	conf_free(c);
	c = load_ok("global: {sloppy_tcp: yes, sloppy_sctp: no}\n" SVC
		    "    scheduler_flags: [flag-3]\n");
	assert_int_equal(c->services[0].sched_flags, CONF_SCHED_FLAG_3);
	assert_string_equal(conf_sched_flag_name(&c->services[0], CONF_SCHED_FLAG_3), "flag-3");
	assert_int_equal(c->global.sloppy_tcp, 1);
	assert_int_equal(c->global.sloppy_sctp, 0);
	conf_free(c);
}

/* Booleans are one parser: metrics takes True, YES, NO like every other switch. */
static void
test_booleans(void **state)
{
	static const struct {
		const char *word;
		bool on;
	} w[] = {{"true", true}, {"True", true}, {"YES", true},	  {"Yes", true},
		 {"no", false},	 {"NO", false},	 {"False", false}};
	char doc[256];

	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		struct conf *c;

		snprintf(doc, sizeof(doc),
			 "global: {metrics: %s}\nreports: %s\nservices:\n  - {address: "
			 "192.0.2.1, port: 80, persistence: %s}\n",
			 w[i].word, w[i].word, w[i].word);
		c = load_ok(doc);
		assert_int_equal(c->global.metrics_enabled, w[i].on);
		assert_int_equal(c->reports.enabled, w[i].on);
		assert_int_equal(c->services[0].persistent, w[i].on);
		if (w[i].on)
			assert_int_equal(c->global.metrics.port, 9642);
		conf_free(c);
	}
}

/* IPv4 persistence masks go to the kernel as they are, 0.0.0.0 included. */
static void
test_v4_netmask_zero(void **state)
{
	struct conf *c =
	    load_ok("services:\n  - {address: 192.0.2.1, port: 80, persistence: "
		    "{netmask: /0}}\n  - {address: 192.0.2.1, port: 81, "
		    "persistence: {netmask: 0.0.0.0}}\n"
		    "  - {address: 2001:db8::1, port: 80, persistence: {netmask: /1}}\n");

	assert_int_equal(c->services[0].persistence_netmask.family, AF_INET);
	assert_int_equal(c->services[0].persistence_netmask.prefix, 0);
	assert_int_equal(c->services[1].persistence_netmask.prefix, 0);
	assert_int_equal(c->services[2].persistence_netmask.prefix, 1);
	conf_free(c);
}

static void
test_tunnel_keys(void **state)
{
	struct conf *c = load_ok("services:\n"
				 "  - {address: 192.0.2.1, port: 80, tunnel_type: gue, "
				 "tunnel_port: 6080, tunnel_checksum: remcsum}\n"
				 "  - {address: 192.0.2.1, port: 81, tunnel_type: gue, "
				 "tunnel_port: 65535}\n"
				 "  - {address: 192.0.2.1, port: 82, tunnel_type: gre, "
				 "tunnel_checksum: csum}\n"
				 "  - {address: 192.0.2.1, port: 83}\n");

	assert_int_equal(c->services[0].tunnel_type, CONF_TUN_GUE);
	assert_int_equal(c->services[0].tun_port, 6080);
	assert_int_equal(c->services[0].tun_csum, CONF_TUN_CSUM_REMCSUM);
	assert_int_equal(c->services[1].tun_port, 65535);
	assert_int_equal(c->services[1].tun_csum, CONF_TUN_CSUM_NONE);
	assert_int_equal(c->services[2].tunnel_type, CONF_TUN_GRE);
	assert_int_equal(c->services[2].tun_port, 0);
	assert_int_equal(c->services[2].tun_csum, CONF_TUN_CSUM_CSUM);
	assert_int_equal(c->services[3].tun_port, 0);
	assert_int_equal(c->services[3].tun_csum, CONF_TUN_CSUM_NONE);
	assert_string_equal(conf_tun_csum_name(CONF_TUN_CSUM_REMCSUM), "remcsum");
	conf_free(c);
}

static void
test_fwmark_and_overrides(void **state)
{
	struct conf *c = load_ok(
	    "keys:\n  k1: {type: hmac, file: /etc/lvsd/k1}\n  k2: {file: /etc/lvsd/k2}\n"
	    "services:\n"
	    "  - fwmark: 7\n    scheduler: mh\n    forwarding: nat\n"
	    "    check: {type: http, path: /ok, interval: 5s, timeout: 2s}\n"
	    "    weight_policy: static\n"
	    "    real_servers:\n"
	    "      - {address: 2001:db8::11, agent_key: k2, check: {type: https, port: 8443}}\n"
	    "      - address: 2001:db8::12\n        port: 8080\n        weight: 0\n"
	    "        agent_key: [k2, k1]\n");
	const struct conf_service *s = &c->services[0];

	assert_int_equal(c->n_keys, 2);
	assert_int_equal(c->keys[0].type, CONF_KEY_HMAC);
	assert_int_equal(c->keys[1].type, CONF_KEY_ED25519);
	assert_string_equal(s->name, "fwmark 7/inet6");
	assert_int_equal(s->fwmark, 7);
	assert_int_equal(s->family, AF_INET6);
	assert_string_equal(s->scheduler, "mh");
	assert_int_equal(s->forwarding, CONF_FWD_NAT);
	assert_int_equal(s->policy.type, CONF_POLICY_STATIC);
	assert_int_equal(s->rs[0].port, 0);
	assert_int_equal(s->rs[0].key, 1);
	assert_int_equal(s->rs[0].key2, -1);
	assert_int_equal(s->rs[1].key, 1); /* rotating: both accepted */
	assert_int_equal(s->rs[1].key2, 0);
	assert_true(s->rs[0].has_check);
	/* the override starts from the service's check */
	assert_int_equal(s->rs[0].check.type, CONF_CHECK_HTTPS);
	assert_string_equal(s->rs[0].check.path, "/ok");
	assert_int_equal(s->rs[0].check.interval_ms, 5000);
	assert_int_equal(s->rs[0].check.port, 8443);
	assert_int_equal(s->rs[1].port, 8080);
	assert_int_equal(s->rs[1].weight, 0);
	assert_false(s->rs[1].has_check);
	assert_int_equal(s->check.port, 0);
	conf_free(c);
}

/* The same VRID on one link is fine for IPv4 and IPv6 (different virtual MACs);
 * services may share a VIP on other ports and protocols. */
static void
test_allowed_neighbours(void **state)
{
	struct conf *c =
	    load_ok("vrrp:\n"
		    "  - {name: v4, interface: eth0, vrid: 9, virtual_addresses: [192.0.2.1]}\n"
		    "  - {name: v6, interface: eth0, vrid: 9, virtual_addresses: [2001:db8::1]}\n"
		    "  - {name: other, interface: eth1, vrid: 9, virtual_addresses: [192.0.2.2]}\n"
		    "services:\n"
		    "  - {address: 192.0.2.1, port: 53, protocol: udp}\n"
		    "  - {address: 192.0.2.1, port: 53, protocol: tcp}\n"
		    "  - {address: 2001:db8::1, port: 53, protocol: udp}\n"
		    "  - {fwmark: 3, real_servers: [{address: 198.51.100.1}]}\n"
		    "  - {fwmark: 3, real_servers: [{address: 2001:db8::2}]}\n");

	assert_int_equal(c->n_vrrp, 3);
	assert_int_equal(c->n_services, 5);
	assert_int_equal(c->services[1].proto, CONF_PROTO_TCP);
	assert_int_equal(c->services[4].family, AF_INET6);
	conf_free(c);
}

static void
test_durations(void **state)
{
	static const struct {
		const char *text;
		uint32_t ms;
	} d[] = {{"10ms", 10}, {"3s", 3000}, {"2m", 120000}, {"1h", 3600000}};
	char doc[256];

	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		struct conf *c;

		snprintf(doc, sizeof(doc),
			 "services:\n  - {address: 192.0.2.1, port: 1, "
			 "weight_policy: {warmup: %s}}\n",
			 d[i].text);
		c = load_ok(doc);
		assert_int_equal(c->services[0].policy.warmup_ms, d[i].ms);
		conf_free(c);
		snprintf(doc, sizeof(doc), "global:\n  ipvs_resync: %s\n", d[i].text);
		c = load_ok(doc);
		assert_int_equal(c->global.ipvs_resync_ms, d[i].ms);
		conf_free(c);
	}
}

/* ipvs_resync: 0 turns the resync off; a bare 0 needs no unit */
static void
test_resync_off(void **state)
{
	struct conf *c = load_ok("global:\n  ipvs_resync: 0\n");

	(void)state;
	assert_int_equal(c->global.ipvs_resync_ms, 0);
	conf_free(c);
	c = load_ok("global:\n  ipvs_resync: 0s\n");
	assert_int_equal(c->global.ipvs_resync_ms, 0);
	conf_free(c);
}

static void
test_file_errors(void **state)
{
	struct conf *c = NULL;
	struct conf_error err;
	char line[1024];

	assert_int_equal(conf_load("/nonexistent/lvsd.yaml", &c, &err), -ENOENT);
	assert_null(c);
	conf_error_format(&err, line, sizeof(line));
	assert_string_equal(line, "/nonexistent/lvsd.yaml: cannot read the configuration: "
				  "No such file or directory");
	assert_int_equal(conf_load("/", &c, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a regular file"));
	/* a failed read() is an error, not the end of the file: pagemap refuses
	 * reads that are not a multiple of 8 bytes */
	assert_int_equal(conf_load("/proc/self/pagemap", &c, &err), -EINVAL);
	assert_null(c);
	assert_string_equal(err.msg, "cannot read the configuration: Invalid argument");
	/* more bytes than fstat() said (procfs says 0): the file is changing */
	assert_int_equal(conf_load("/proc/self/status", &c, &err), -EIO);
	assert_null(c);
	assert_string_equal(err.msg, "cannot read the configuration: its size changed while "
				     "it was read");
}

/* fewer bytes than fstat() said: sysfs attributes say 4096 and hold a few */
static void
test_file_short(void **state)
{
	static const char *const files[] = {"/sys/kernel/profiling", "/sys/kernel/kexec_loaded",
					    "/sys/devices/system/cpu/online"};
	struct conf *c = NULL;
	struct conf_error err;
	struct stat st;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (stat(files[i], &st) < 0 || !S_ISREG(st.st_mode) || st.st_size != 4096 ||
		    access(files[i], R_OK) < 0)
			continue;
		assert_int_equal(conf_load(files[i], &c, &err), -EIO);
		assert_null(c);
		assert_non_null(strstr(err.msg, "its size changed while it was read"));
		return;
	}
	skip();
}

/* conf_load() of ordinary files: whole, and empty. */
static void
test_file_ok(void **state)
{
	static const char doc[] = "services:\n  - {address: 192.0.2.1, port: 80}\n";
	char path[] = "/tmp/test_conf.XXXXXX";
	struct conf *c = NULL;
	struct conf_error err;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(conf_load(path, &c, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "configuration is empty"));
	assert_int_equal(write(fd, doc, sizeof(doc) - 1), (ssize_t)sizeof(doc) - 1);
	assert_int_equal(conf_load(path, &c, &err), 0);
	assert_int_equal(c->n_services, 1);
	assert_int_equal(c->services[0].port, 80);
	conf_free(c);
	close(fd);
	unlink(path);
}

/* Aliases are allowed (a shared check or real server list), but cannot make
 * the walk explode: a list shared by many services hits the node budget. */
static void
test_aliases(void **state)
{
	struct conf *c = NULL;
	struct conf_error err;
	size_t size = 1 << 20, used;
	char *doc = malloc(size);

	c = load_ok("services:\n  - {address: 192.0.2.1, port: 80, check: &chk {type: http, "
		    "path: /h}, real_servers: &rs [{address: 198.51.100.1}]}\n"
		    "  - {address: 192.0.2.1, port: 81, check: *chk, real_servers: *rs}\n");
	assert_string_equal(c->services[1].check.path, "/h");
	assert_int_equal(c->services[1].rs[0].port, 81);
	conf_free(c);
	c = NULL;

	assert_non_null(doc);
	used = (size_t)snprintf(doc, size,
				"services:\n  - address: 2001:db8::1\n    port: 1\n"
				"    real_servers: &r\n");
	for (int i = 0; i < 1000; i++)
		used += (size_t)snprintf(doc + used, size - used,
					 "      - address: 2001:db8::1:%x\n", i + 1);
	for (int i = 2; i < 400; i++)
		used +=
		    (size_t)snprintf(doc + used, size - used,
				     "  - {address: 2001:db8::1, port: %d, real_servers: *r}\n", i);
	assert_true(used < size);
	assert_int_equal(conf_load_buffer("big", doc, used, &c, &err), -EINVAL);
	assert_null(c);
	assert_non_null(strstr(err.msg, "the document is too large"));
	free(doc);
}

/* Many real servers load, and a repeat at the end is still found. */
static void
test_many_real_servers(void **state)
{
	size_t size = 2 << 20, used;
	char *doc = malloc(size);
	struct conf *c = NULL;
	struct conf_error err;
	int n = 20000;

	assert_non_null(doc);
	used = (size_t)snprintf(doc, size,
				"services:\n  - address: 192.0.2.1\n    port: 80\n"
				"    real_servers:\n");
	for (int i = 0; i < n; i++)
		used += (size_t)snprintf(doc + used, size - used, "      - address: 10.%d.%d.%d\n",
					 i >> 16, (i >> 8) & 255, i & 255);
	c = load_ok(doc);
	assert_int_equal(c->services[0].n_rs, (size_t)n);
	conf_free(c);
	c = NULL;
	used += (size_t)snprintf(doc + used, size - used, "      - address: 10.0.0.7\n");
	assert_int_equal(conf_load_buffer("many", doc, used, &c, &err), -EINVAL);
	assert_int_equal(err.line, (unsigned)n + 5);
	assert_int_equal(err.col, 9);
	assert_non_null(strstr(err.msg, "10.0.0.7 port 80 is listed twice"));
	assert_non_null(strstr(err.msg, "(first at line 12)"));
	free(doc);
}

/* on_down is inherited and overridden; the sorry server takes the
 * service's forwarding and port unless given; hooks are kept verbatim. */
static void
test_on_down_sorry_quorum(void **state)
{
	struct conf *c =
	    load_ok(SVC "    on_down: remove\n"
			"    quorum: 2\n    quorum_hysteresis: 1\n"
			"    quorum_up: /etc/lvsd/q up\n    quorum_down: /etc/lvsd/q down\n"
			"    real_servers:\n"
			"      - address: 198.51.100.11\n"
			"      - {address: 198.51.100.12, on_down: inhibit}\n"
			"    sorry_server: {address: 198.51.100.99, weight: 3}\n"
			"  - address: 192.0.2.100\n    port: 443\n    forwarding: tunnel\n"
			"    real_servers: [{address: 198.51.100.11}]\n"
			"    sorry_server: {address: 127.0.0.1, port: 8443, forwarding: nat}\n");
	const struct conf_service *s = &c->services[0], *t = &c->services[1];
	char b[CONF_ADDRSTRLEN];

	(void)state;
	assert_int_equal(s->on_down, CONF_ON_DOWN_REMOVE);
	assert_int_equal(s->rs[0].on_down, CONF_ON_DOWN_REMOVE);
	assert_int_equal(s->rs[1].on_down, CONF_ON_DOWN_INHIBIT);
	assert_true(s->has_sorry);
	assert_string_equal(conf_addr_str(&s->sorry.addr, b, sizeof(b)), "198.51.100.99");
	assert_int_equal(s->sorry.port, 80);
	assert_int_equal(s->sorry.weight, 3);
	assert_int_equal(s->sorry.forwarding, CONF_FWD_TUNNEL);
	assert_string_equal(s->quorum_up, "/etc/lvsd/q up");
	assert_string_equal(s->quorum_down, "/etc/lvsd/q down");
	assert_int_equal(t->on_down, CONF_ON_DOWN_INHIBIT);
	assert_int_equal(t->sorry.port, 8443);
	assert_int_equal(t->sorry.forwarding, CONF_FWD_NAT);
	assert_int_equal(t->sorry.weight, 1);
	conf_free(c);
}

int
main(void)
{
	size_t n_bad = sizeof(bad) / sizeof(bad[0]);
	static const struct CMUnitTest fixed[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_switches),
	    cmocka_unit_test(test_booleans),
	    cmocka_unit_test(test_sched_flags_sloppy),
	    cmocka_unit_test(test_v4_netmask_zero),
	    cmocka_unit_test(test_tunnel_keys),
	    cmocka_unit_test(test_fwmark_and_overrides),
	    cmocka_unit_test(test_allowed_neighbours),
	    cmocka_unit_test(test_durations),
	    cmocka_unit_test(test_resync_off),
	    cmocka_unit_test(test_file_errors),
	    cmocka_unit_test(test_file_short),
	    cmocka_unit_test(test_file_ok),
	    cmocka_unit_test(test_aliases),
	    cmocka_unit_test(test_many_real_servers),
	    cmocka_unit_test(test_on_down_sorry_quorum),
	};
	size_t n_fixed = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest *t = calloc(n_bad + n_fixed, sizeof(*t));
	int r;

	if (!t)
		return 1;
	for (size_t i = 0; i < n_bad; i++) {
		t[i].name = bad[i].name;
		t[i].test_func = test_bad;
		t[i].initial_state = (void *)(uintptr_t)&bad[i];
	}
	memcpy(t + n_bad, fixed, sizeof(fixed));
	r = _cmocka_run_group_tests("conf", t, n_bad + n_fixed, NULL, NULL);
	free(t);
	return r;
}
