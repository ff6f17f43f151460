/* The IPC codec: pure functions over buffers, no I/O. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "lvsd/core/ipc.h"

#define FIXED(t, s) [t] = {#t, (uint32_t)sizeof(s), false, 0, (uint32_t)sizeof(s)}

static const struct ipc_type_info ipc_types[IPC_TYPE_COUNT] = {
    FIXED(IPC_CONF_BEGIN, struct ipc_conf_begin),
    [IPC_CONF_VRRP] = {"IPC_CONF_VRRP", (uint32_t)sizeof(struct ipc_conf_vrrp), true,
		       (uint32_t)sizeof(struct ipc_addr),
		       (uint32_t)(sizeof(struct ipc_conf_vrrp) +
				  IPC_VRRP_MAX_VIPS * sizeof(struct ipc_addr))},
    FIXED(IPC_CONF_SERVICE, struct ipc_conf_service),
    FIXED(IPC_CONF_RS, struct ipc_conf_rs),
    FIXED(IPC_CONF_KEY, struct ipc_conf_key),
    FIXED(IPC_CONF_REPORTS, struct ipc_conf_reports),
    FIXED(IPC_CONF_END, struct ipc_conf_end),
    FIXED(IPC_CONF_ACK, struct ipc_conf_ack),
    FIXED(IPC_STATUS_REQ, struct ipc_status_req),
    FIXED(IPC_STATUS, struct ipc_status),
};

const struct ipc_type_info *
ipc_type_info(uint32_t type)
{
	if (type == IPC_NONE || type >= IPC_TYPE_COUNT)
		return NULL;
	return &ipc_types[type];
}

const char *
ipc_type_name(uint32_t type)
{
	const struct ipc_type_info *ti = ipc_type_info(type);

	return ti ? ti->name + 4 : "unknown";
}

/* A variable-size payload must agree with the count its fixed part carries. */
static int
ipc_check_count(uint32_t type, const void *payload, size_t n_elems)
{
	uint32_t n;

	switch (type) {
	case IPC_CONF_VRRP:
		memcpy(&n, (const char *)payload + offsetof(struct ipc_conf_vrrp, n_vips),
		       sizeof(n));
		return n == n_elems ? 0 : -EBADMSG;
	default:
		return -EBADMSG;
	}
}

int
ipc_check_payload(uint32_t type, const void *payload, size_t len)
{
	const struct ipc_type_info *ti = ipc_type_info(type);

	if (!ti)
		return -EBADMSG;
	if (!ti->variable)
		return len == ti->size ? 0 : -EBADMSG;
	if (len < ti->size || len > ti->max || (len - ti->size) % ti->elem_size)
		return -EBADMSG;
	return ipc_check_count(type, payload, (len - ti->size) / ti->elem_size);
}

int
ipc_encode(uint32_t type, const void *payload, size_t len, void *buf, size_t cap)
{
	struct ipc_hdr h;

	if (ipc_check_payload(type, payload, len) < 0)
		return -EBADMSG;
	if (cap < IPC_HDR_LEN + len)
		return -ENOBUFS;
	h.type = type;
	h.len = (uint32_t)len;
	memcpy(buf, &h, sizeof(h));
	if (len)
		memcpy((char *)buf + IPC_HDR_LEN, payload, len);
	return (int)(IPC_HDR_LEN + len);
}

int
ipc_decode(const void *buf, size_t len, struct ipc_msg *msg, size_t *consumed)
{
	const struct ipc_type_info *ti;
	const char *payload = (const char *)buf + IPC_HDR_LEN;
	struct ipc_hdr h;

	if (len < IPC_HDR_LEN)
		return 0;
	memcpy(&h, buf, sizeof(h));
	ti = ipc_type_info(h.type);
	/* Judge the header before waiting for a payload it announces. */
	if (!ti || h.len > ti->max || h.len < ti->size)
		return -EBADMSG;
	if (len - IPC_HDR_LEN < h.len)
		return 0;
	if (ipc_check_payload(h.type, payload, h.len) < 0)
		return -EBADMSG;
	msg->type = h.type;
	msg->len = h.len;
	memcpy(&msg->body, payload, h.len);
	*consumed = IPC_HDR_LEN + h.len;
	return 1;
}

void
ipc_strset(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memset(dst, 0, size);
	memcpy(dst, src, n);
}

const char *
ipc_strget(char *field, size_t size)
{
	field[size - 1] = '\0';
	return field;
}
