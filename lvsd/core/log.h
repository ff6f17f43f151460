/* Logging: to stderr in the foreground (-n), otherwise to syslog. */
#ifndef LVSD_LOG_H
#define LVSD_LOG_H

#include <stdbool.h>
#include <syslog.h>

/* ident names the process role ("lvsd", "vrrp", ...); it prefixes every line. */
void log_init(const char *ident, bool foreground, bool debug);
void log_set_role(const char *ident);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)

#endif
