/* The clocks the roles read, in the units they keep.  Header only. */
#ifndef LVSD_CORE_CLOCK_H
#define LVSD_CORE_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Clock id (CLOCK_MONOTONIC, CLOCK_REALTIME) in milliseconds. */
static inline uint64_t
lvsd_clock_ms(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* Seconds since t, a time of CLOCK_MONOTONIC. */
static inline double
lvsd_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* Clock id in nanoseconds. */
static inline uint64_t
lvsd_clock_ns(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

#endif
