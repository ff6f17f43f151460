#!/bin/sh
# The tree's rooms and which way their arrows point (README, Layout), read
# from the #include lines of the sources: every rule below is one test
# point, and a point names the files that break it.
#
#   - no include circle among the project's files;
#   - a child's headers (vrrp/, checkers/, weight/, metrics/) are included only by
#     that child, and the children include only lvsd/core and lvsd/conf of
#     lvsd/ (weight/ holds lvs-agent too: the same rule);
#   - lvsd/core includes nothing outside itself; lvsd/ipvs nothing but
#     itself; lvsd/conf nothing but itself;
#   - the parent's rooms in their order: the top (lvsd/*.c) above state/,
#     above announce/, feedback/, drill/ and preview/, above writer/, above
#     scripts/; a room includes
#     only rooms below it (and lvsd/lvsd.h, the state they share), never
#     one of its own level or above.
# Then the calls, from the built libraries (nm): a library of the parent
# calls only into libraries below it, a child's only into lvsd/core and
# lvsd/conf (and the report codec); the calls that must run up are hooks
# (struct lvsd_hooks, and the children's own); and no circle of calls
# between two files, inside a room or across rooms.
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${abs_top_builddir:-.}
exec python3 - "$top" "$build" <<'EOP'
import os, re, subprocess, sys

top, build = sys.argv[1], sys.argv[2]
roots = ["lvsd", "vrrp", "checkers", "weight", "metrics", "lvsctl"]
inc = {}
for r in roots:
    for d, _, files in os.walk(os.path.join(top, r)):
        for f in files:
            if f.endswith((".c", ".h")):
                p = os.path.relpath(os.path.join(d, f), top)
                with open(os.path.join(top, p), encoding="utf-8") as fh:
                    inc[p] = [m.group(1) for m in
                              re.finditer(r'^#include "([^"]+)"', fh.read(), re.M)
                              if m.group(1) != "config.h"]

n = 0
def point(ok, desc, bad):
    global n
    n += 1
    print(("ok" if ok else "not ok") + f" {n} - {desc}")
    for b in bad[:20]:
        print(f"# {b}")

def room(p):
    """the room a file belongs to, for the rules below"""
    parts = p.split("/")
    if parts[0] != "lvsd":
        return parts[0]
    if len(parts) == 2:
        return "lvsd"          # the top: supervision and control surface
    return "lvsd/" + parts[1]

# 1. no circle: depth-first search over the include graph
bad, state = [], {}
def visit(p, stack):
    state[p] = 1
    for q in inc.get(p, []):
        if q not in inc:
            continue
        if state.get(q) == 1:
            bad.append(" -> ".join(stack[stack.index(q):] + [q]) if q in stack
                       else f"{p} -> {q}")
        elif not state.get(q):
            visit(q, stack + [q])
    state[p] = 2
for p in sorted(inc):
    if not state.get(p):
        visit(p, [p])
point(not bad, "no include circle", bad)

children = {"vrrp", "checkers", "weight", "metrics"}
bad = [f"{p} includes {q}" for p in inc for q in inc[p]
       if room(q) in children and room(p) != room(q)]
point(not bad, "a child's headers are its own", bad)

bad = [f"{p} includes {q}" for p in inc for q in inc[p]
       if room(p) in children and room(q) not in (room(p), "lvsd/core", "lvsd/conf")]
point(not bad, "children include only lvsd/core and lvsd/conf", bad)

for leaf in ("lvsd/core", "lvsd/conf", "lvsd/ipvs"):
    bad = [f"{p} includes {q}" for p in inc for q in inc[p]
           if room(p) == leaf and room(q) != leaf]
    point(not bad, f"{leaf} includes nothing outside itself", bad)

level = {"lvsd": 5, "lvsd/state": 4, "lvsd/announce": 3, "lvsd/feedback": 3, "lvsd/drill": 3,
         "lvsd/preview": 3,
         "lvsd/writer": 2, "lvsd/scripts": 1,
         "lvsd/core": 0, "lvsd/conf": 0, "lvsd/ipvs": 0}
bad = []
for p in inc:
    if room(p) not in level or room(p) == "lvsd/core":
        continue
    for q in inc[p]:
        if q == "lvsd/lvsd.h" or room(q) not in level or room(q) == room(p):
            continue
        if level[room(q)] >= level[room(p)]:
            bad.append(f"{p} includes {q}")
point(not bad, "the parent's rooms include only rooms below them", bad)

bad = [f"{q} includes {r}" for q in inc if q == "lvsd/lvsd.h"
       for r in inc[q] if room(r) not in ("lvsd/core", "lvsd/conf")]
point(not bad, "lvsd/lvsd.h, the shared state, includes only core and conf", bad)

# the calls: which library defines each symbol, which it leaves undefined
libs = {"lvsd/state/libstate.a": 4, "lvsd/announce/libannounce.a": 3,
        "lvsd/feedback/libfeedback.a": 3, "lvsd/drill/libdrill.a": 3,
        "lvsd/preview/libpreview.a": 3, "lvsd/writer/libwriter.a": 2,
        "lvsd/scripts/libscripts.a": 1, "lvsd/core/libcore.a": 0,
        "lvsd/conf/libconf.a": 0, "lvsd/ipvs/libipvs.a": 0,
        "vrrp/libvrrp.a": "child", "checkers/libchk.a": "child",
        "weight/libwt.a": "child", "metrics/libmetrics.a": "child",
        "weight/libreport.a": 0}
def nm(lib, *opt):
    out = subprocess.run(["nm", "-g", *opt, os.path.join(build, lib)],
                         capture_output=True, text=True).stdout
    return {l.split()[-1] for l in out.splitlines() if len(l.split()) >= 2}
if all(os.path.exists(os.path.join(build, l)) for l in libs):
    defined = {l: nm(l, "--defined-only") for l in libs}
    owner = {sym: l for l in libs for sym in defined[l]}
    bad = []
    for l, lv in libs.items():
        for sym in sorted(nm(l, "--undefined-only") - defined[l]):
            o = owner.get(sym)
            if o is None or o == l:
                continue
            ok = (libs[o] == 0 if lv == "child"
                  else libs[o] != "child" and libs[o] < lv) or libs[o] == 0
            if not ok:
                bad.append(f"{l} calls {sym} of {o}")
    point(not bad, "each library calls only libraries below it", bad)

    # the calls between files: each library's members and the parent's top
    # (lvsd/lvsd-*.o), a file -> file graph with no circle (a circle inside
    # a room is still one: the rooms' files call one way too)
    def members(path, *opt):
        out = subprocess.run(["nm", "-A", "-g", *opt, path],
                             capture_output=True, text=True).stdout
        got = {}
        for l in out.splitlines():
            head, _, rest = l.rpartition(":")
            f = head.split(":")[-1] if path.endswith(".a") else os.path.relpath(path, build)
            if rest.split():
                got.setdefault(f, set()).add(rest.split()[-1])
        return got
    objs = [os.path.join(build, l) for l in libs]
    topdir = os.path.join(build, "lvsd")
    objs += sorted(os.path.join(topdir, f) for f in os.listdir(topdir)
                   if f.startswith("lvsd-") and f.endswith(".o"))
    defs, undefs = {}, {}
    for o in objs:
        defs.update(members(o, "--defined-only"))
        undefs.update(members(o, "--undefined-only"))
    where = {sym: f for f, syms in defs.items() for sym in syms}
    calls = {f: sorted({where[s] for s in undefs.get(f, ()) if s in where} - {f})
             for f in defs}
    bad, state = [], {}
    def walk(f, stack):
        state[f] = 1
        for g in calls.get(f, []):
            if state.get(g) == 1 and g in stack:
                bad.append(" -> ".join(stack[stack.index(g):] + [g]))
            elif not state.get(g):
                walk(g, stack + [g])
        state[f] = 2
    for f in sorted(calls):
        if not state.get(f):
            walk(f, [f])
    point(not bad, "no circle of calls between files", bad)
else:
    n += 2
    print(f"ok {n - 1} # SKIP the libraries are not built in {build}")
    print(f"ok {n} # SKIP the libraries are not built in {build}")
print(f"1..{n}")
EOP
