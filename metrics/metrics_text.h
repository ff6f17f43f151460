/* A snapshot as the Prometheus text exposition format (version 0.0.4):
 * pure, from the snapshot to a buffer; the names follow Prometheus's
 * conventions (an lvsd_ prefix, _total for counters, seconds for time,
 * labels for the instance, service and server).  doc/metrics.md lists
 * them. */
#ifndef METRICS_TEXT_H
#define METRICS_TEXT_H

struct evbuffer;
struct metrics_snap;

#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* Append the exposition of s to out: 0 or -ENOMEM. */
int metrics_text(const struct metrics_snap *s, struct evbuffer *out);

#endif
