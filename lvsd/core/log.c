#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lvsd/core/log.h"

static struct {
	char ident[32];
	bool foreground;
	bool debug;
} log_state = { "lvsd", true, false };

void
log_init(const char *ident, bool foreground, bool debug)
{
	log_state.foreground = foreground;
	log_state.debug = debug;
	log_set_role(ident);
}

void
log_set_role(const char *ident)
{
	snprintf(log_state.ident, sizeof(log_state.ident), "%s", ident);
	if (!log_state.foreground) {
		closelog();
		openlog(log_state.ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	}
}

void
log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio == LOG_DEBUG && !log_state.debug)
		return;
	va_start(ap, fmt);
	if (log_state.foreground) {
		char line[1024];
		struct timespec ts;
		struct tm tm;

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		vsnprintf(line, sizeof(line), fmt, ap);
		fprintf(stderr, "%02d:%02d:%02d.%03ld %s[%d]: %s\n", tm.tm_hour, tm.tm_min,
			tm.tm_sec, ts.tv_nsec / 1000000, log_state.ident, (int)getpid(), line);
	} else {
		vsyslog(prio, fmt, ap);
	}
	va_end(ap);
}
