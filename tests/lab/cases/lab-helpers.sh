# The harness helpers other cases rely on: a daemon started in a namespace is
# reachable, stopped and reaped; lab_wait_for honours its bound both ways; an
# rs can be made to fail its HTTP answers and recover.
lab_daemon dir2 web lab-http serve -p 8080 dir2-web
lab_check "a daemon in dir2 answers" \
	lab_wait_for 30 lab_get cl1 -n 1 -t 300 "${LAB_IP[dir2]}:8080"
lab_check "lab_alive sees it" lab_alive web
lab_check "lab_stop stops it with SIGTERM" lab_stop web 30
lab_check "lab_alive no longer sees it" eval '! lab_alive web'
out=$(lab_get cl1 -n 1 -t 300 "${LAB_IP[dir2]}:8080")
lab_is "nothing answers on its port any more" "$(lab_count "$out" failed)" 1

t0=$(lab_now_us)
lab_check "lab_wait_for gives up on a false condition" eval '! lab_wait_for 0.5 false'
ms=$((($(lab_now_us) - t0) / 1000))
# not before its bound; after it as soon as a busy machine lets it
lab_check "... after its 0.5 s bound ($ms ms)" test "$ms" -ge 500 -a "$ms" -lt 10000
t0=$(lab_now_us)
lab_check "lab_wait_for returns at once on a true condition" lab_wait_for 30 true
ms=$((($(lab_now_us) - t0) / 1000))
lab_check "... well before its 30 s bound ($ms ms)" test "$ms" -lt 10000

lab_rs_down rs2
out=$(lab_get cl1 -n 2 -l "${LAB_IP[rs2]}")
lab_log "$out"
lab_is "rs2 marked down answers 503" "$(lab_count "$out" failed)" 2
lab_rs_up rs2
out=$(lab_get cl1 -n 2 "${LAB_IP[rs2]}")
lab_is "rs2 back up answers 200" "$(lab_count "$out" rs2)" 2

out=$(lab_get cl1 -k -n 20 "${LAB_IP[rs3]}")
lab_is "20 requests over one kept-alive connection" "$(lab_count "$out" rs3)" 20
