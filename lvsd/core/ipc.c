/* The IPC codec: pure functions over buffers, no I/O. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "lvsd/core/ipc.h"

#define FIXED(t, s) [t] = {#t, (uint32_t)sizeof(s), false, false, 0, (uint32_t)sizeof(s), 0}
#define WITH_FD(t, s) [t] = {#t, (uint32_t)sizeof(s), false, true, 0, (uint32_t)sizeof(s), 0}
/* fixed part s with a uint32 count field, then at most max elements e */
#define VAR(t, s, field, e, max)                                                                   \
	[t] = {#t,                                                                                 \
	       (uint32_t)sizeof(s),                                                                \
	       true,                                                                               \
	       false,                                                                              \
	       (uint32_t)sizeof(e),                                                                \
	       (uint32_t)(sizeof(s) + (max) * sizeof(e)),                                          \
	       (uint32_t)offsetof(s, field)}

static const struct ipc_type_info ipc_types[IPC_TYPE_COUNT] = {
    FIXED(IPC_HELLO, struct ipc_hello),
    FIXED(IPC_CONF_BEGIN, struct ipc_conf_begin),
    VAR(IPC_CONF_VRRP, struct ipc_conf_vrrp, n_addrs, struct ipc_addr,
	IPC_VRRP_MAX_VIPS + IPC_VRRP_MAX_PEERS),
    FIXED(IPC_CONF_TRACK_IF, struct ipc_conf_track_if),
    FIXED(IPC_CONF_SERVICE, struct ipc_conf_service),
    FIXED(IPC_CONF_RS, struct ipc_conf_rs),
    VAR(IPC_CONF_KEY, struct ipc_conf_key, len, uint8_t, IPC_KEY_MAX),
    FIXED(IPC_CONF_REPORTS, struct ipc_conf_reports),
    WITH_FD(IPC_CONF_SOCKET, struct ipc_conf_socket),
    FIXED(IPC_CONF_END, struct ipc_conf_end),
    FIXED(IPC_CONF_ACK, struct ipc_conf_ack),
    FIXED(IPC_STATUS_REQ, struct ipc_status_req),
    FIXED(IPC_STATUS, struct ipc_status),
    FIXED(IPC_READY, struct ipc_ready),
    FIXED(IPC_HANDOVER, struct ipc_handover),
    VAR(IPC_HEALTH, struct ipc_health, n, struct ipc_health_rs, IPC_BATCH_MAX),
    VAR(IPC_WEIGHTS, struct ipc_weights, n, struct ipc_weight, IPC_BATCH_MAX),
    FIXED(IPC_VRRP_STATE, struct ipc_vrrp_state),
    FIXED(IPC_TRACK, struct ipc_track),
    VAR(IPC_CONF_CA, struct ipc_conf_ca, len, uint8_t, IPC_CA_MAX),
    VAR(IPC_FEEDBACK, struct ipc_feedback, n, struct ipc_feedback_rs, IPC_FEEDBACK_MAX),
    FIXED(IPC_SNAP_REQ, struct ipc_snap_req),
    FIXED(IPC_SNAP_BEGIN, struct ipc_snap_begin),
    VAR(IPC_SNAP_VRRP, struct ipc_snap_vrrps, n, struct ipc_snap_vrrp, IPC_SNAP_VRRP_MAX),
    VAR(IPC_SNAP_SVC, struct ipc_snap_svcs, n, struct ipc_snap_svc, IPC_SNAP_SVC_MAX),
    VAR(IPC_SNAP_RS, struct ipc_snap_rss, n, struct ipc_snap_rs, IPC_SNAP_RS_MAX),
    FIXED(IPC_SNAP_END, struct ipc_snap_end),
    VAR(IPC_WT_STATE, struct ipc_wt_state, n, struct ipc_wt_rs, IPC_WT_STATE_MAX),
    VAR(IPC_WT_RESTORE, struct ipc_wt_state, n, struct ipc_wt_rs, IPC_WT_STATE_MAX),
};

_Static_assert(IPC_TYPE_COUNT <= 32, "the children's accept masks are 32 bits");
_Static_assert(sizeof(struct ipc_wt_state) + IPC_WT_STATE_MAX * sizeof(struct ipc_wt_rs) <=
		   IPC_PAYLOAD_MAX,
	       "weight state frame too large");
_Static_assert(sizeof(struct ipc_wt_rs) % 8 == 0, "ipc_wt_rs keeps 8-byte alignment");

_Static_assert(sizeof(struct ipc_snap_vrrps) + IPC_SNAP_VRRP_MAX * sizeof(struct ipc_snap_vrrp) <=
		   IPC_PAYLOAD_MAX,
	       "snapshot VRRP frame too large");
_Static_assert(sizeof(struct ipc_snap_svcs) + IPC_SNAP_SVC_MAX * sizeof(struct ipc_snap_svc) <=
		   IPC_PAYLOAD_MAX,
	       "snapshot service frame too large");
_Static_assert(sizeof(struct ipc_snap_rss) + IPC_SNAP_RS_MAX * sizeof(struct ipc_snap_rs) <=
		   IPC_PAYLOAD_MAX,
	       "snapshot real server frame too large");

_Static_assert(sizeof(struct ipc_feedback) + IPC_FEEDBACK_MAX * sizeof(struct ipc_feedback_rs) <=
		   IPC_PAYLOAD_MAX,
	       "feedback frame too large");

_Static_assert(sizeof(struct ipc_conf_vrrp) +
		       (IPC_VRRP_MAX_VIPS + IPC_VRRP_MAX_PEERS) * sizeof(struct ipc_addr) <=
		   IPC_PAYLOAD_MAX,
	       "VRRP frame too large");
_Static_assert(sizeof(struct ipc_weights) + IPC_BATCH_MAX * sizeof(struct ipc_weight) <=
		   IPC_PAYLOAD_MAX,
	       "weights frame too large");
_Static_assert(sizeof(struct ipc_health) + IPC_BATCH_MAX * sizeof(struct ipc_health_rs) <=
		   IPC_PAYLOAD_MAX,
	       "health frame too large");
_Static_assert(sizeof(struct ipc_conf_key) + IPC_KEY_MAX <= IPC_PAYLOAD_MAX, "key frame too large");

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

int
ipc_check_payload(uint32_t type, const void *payload, size_t len)
{
	const struct ipc_type_info *ti = ipc_type_info(type);
	uint32_t n;

	if (!ti)
		return -EBADMSG;
	if (!ti->variable)
		return len == ti->size ? 0 : -EBADMSG;
	if (len < ti->size || len > ti->max || (len - ti->size) % ti->elem_size)
		return -EBADMSG;
	/* the count the fixed part carries must be the number of elements */
	memcpy(&n, (const char *)payload + ti->count_off, sizeof(n));
	return n == (len - ti->size) / ti->elem_size ? 0 : -EBADMSG;
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
ipc_decode(void *buf, size_t len, struct ipc_msg *msg)
{
	char *payload = (char *)buf + IPC_HDR_LEN;
	struct ipc_hdr h;

	if (len < IPC_HDR_LEN || len > IPC_FRAME_MAX)
		return -EBADMSG;
	memcpy(&h, buf, sizeof(h));
	if (h.len != len - IPC_HDR_LEN || ipc_check_payload(h.type, payload, h.len) < 0)
		return -EBADMSG;
	msg->type = h.type;
	msg->len = h.len;
	msg->payload = payload;
	msg->fd = -1;
	return 0;
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
