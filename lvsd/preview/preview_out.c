/* The preview's output (a heading, then one line per change, counted)
 * and its lists of named fields, which preview.c and preview_ipvs.c both
 * fill and compare. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "lvsd/preview/preview_int.h"

void
pv_heading(struct pv *p, const char *heading)
{
	p->heading = heading;
	p->headed = false;
}

void
pv_line(struct pv *p, char mark, const char *fmt, ...)
{
	va_list ap;

	if (!p->headed && evbuffer_add_printf(p->out, "%s\n", p->heading) < 0)
		p->err = -ENOMEM;
	p->headed = true;
	p->changes++;
	va_start(ap, fmt);
	if (evbuffer_add_printf(p->out, "  %c ", mark) < 0 ||
	    evbuffer_add_vprintf(p->out, fmt, ap) < 0 || evbuffer_add(p->out, "\n", 1) < 0)
		p->err = -ENOMEM;
	va_end(ap);
}

void
pv_set(struct pv_fields *f, const char *key, const char *fmt, ...)
{
	va_list ap;

	if (f->n == PV_FIELDS)
		return;
	f->key[f->n] = key;
	va_start(ap, fmt);
	vsnprintf(f->val[f->n], PV_VALUE, fmt, ap);
	va_end(ap);
	f->n++;
}

bool
pv_changed(const struct pv_fields *a, const struct pv_fields *b, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < a->n && i < b->n && o < len; i++)
		if (strcmp(a->val[i], b->val[i]))
			o += (size_t)snprintf(buf + o, len - o, "%s%s %s -> %s", o ? "; " : "",
					      a->key[i], a->val[i][0] ? a->val[i] : "(none)",
					      b->val[i][0] ? b->val[i] : "(none)");
	return o > 0;
}

void
pv_all(const struct pv_fields *f, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < f->n && o < len; i++)
		if (f->val[i][0])
			o += (size_t)snprintf(buf + o, len - o, "%s%s %s", o ? ", " : "", f->key[i],
					      f->val[i]);
}
