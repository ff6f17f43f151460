/* A batch of write requests as one buffer, and the acks that answer it:
 * pure, no I/O.  ipvs_nl.c sends the buffer and feeds every datagram it
 * receives to ipvs_batch_acks, blocking or from an event loop. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/msg.h>

#include "lvsd/ipvs/ipvs.h"

size_t
ipvs_batch_build(int family, uint32_t seq0, struct ipvs_op *ops, size_t n, size_t max_ops,
		 void *buf, size_t cap, size_t *len, uint8_t *state)
{
	uint8_t *out = buf;
	size_t i, used = 0;

	for (i = 0; i < n && i < max_ops; i++) {
		struct nl_msg *msg = nlmsg_alloc();
		struct nlmsghdr *h;
		size_t al;
		int r;

		state[i] = IPVS_BATCH_DONE;
		if (!msg) {
			ops[i].err = -ENOMEM;
			continue;
		}
		r = ipvs_msg_op(msg, family, seq0 + (uint32_t)i, &ops[i]);
		h = nlmsg_hdr(msg);
		al = NLMSG_ALIGN(h->nlmsg_len);
		if (r == 0 && used + al > cap && used > 0) {
			nlmsg_free(msg);
			break; /* the next batch takes it */
		}
		if (r == 0 && al > cap)
			r = -EMSGSIZE;
		if (r == 0) {
			memcpy(out + used, h, h->nlmsg_len);
			memset(out + used + h->nlmsg_len, 0, al - h->nlmsg_len);
			used += al;
			state[i] = IPVS_BATCH_SENT;
			ops[i].err = -EIO; /* until its ack arrives */
		} else {
			ops[i].err = r;
		}
		nlmsg_free(msg);
	}
	*len = used;
	return i;
}

int
ipvs_batch_acks(const void *buf, size_t len, uint32_t seq0, struct ipvs_op *ops, size_t k,
		uint8_t *state)
{
	const struct nlmsghdr *h = buf;
	int rem = len > INT32_MAX ? INT32_MAX : (int)len, acked = 0;

	for (; NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem)) {
		uint32_t seq, idx;
		int err;

		if (h->nlmsg_type != NLMSG_ERROR)
			continue; /* not an ack: nothing of a write batch */
		if (ipvs_parse_ack(h, h->nlmsg_len, &seq, &err) < 0)
			return -EBADMSG;
		idx = seq - seq0;
		if (idx >= k || state[idx] != IPVS_BATCH_SENT)
			continue; /* an earlier batch's, or a repeat */
		state[idx] = IPVS_BATCH_DONE;
		ops[idx].err = err;
		acked++;
	}
	if (rem != 0)
		return -EBADMSG; /* a truncated message */
	return acked;
}

int
ipvs_dump_take(const void *buf, size_t len, int family, uint32_t seq, ipvs_dump_cb cb, void *arg,
	       int *err)
{
	const struct nlmsghdr *h = buf;
	int rem = len > INT32_MAX ? INT32_MAX : (int)len;

	for (; NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem)) {
		uint32_t s;
		int e = 0;

		if (h->nlmsg_seq != seq)
			continue; /* another request's */
		if (h->nlmsg_type == NLMSG_ERROR) {
			if (ipvs_parse_ack(h, h->nlmsg_len, &s, &e) < 0)
				e = -EBADMSG;
		} else if (h->nlmsg_type == NLMSG_DONE) {
			if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
				memcpy(&e, NLMSG_DATA(h), sizeof(e));
		} else if (h->nlmsg_type == family) {
			e = cb(h, h->nlmsg_len, arg);
			if (e < 0 && !*err)
				*err = e;
			if (h->nlmsg_flags & NLM_F_MULTI)
				continue;
			return 1; /* a single reply */
		} else {
			continue;
		}
		if (e < 0 && !*err)
			*err = e;
		return 1; /* NLMSG_DONE or an ack end the dump */
	}
	return rem != 0 ? -EBADMSG : 0;
}
