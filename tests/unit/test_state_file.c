/* The state file's codec (lvsd/state/state_file.c): what it writes reads
 * back to the same values, field by field; and a file that is not one, is
 * damaged anywhere, cut short, of another version, or holds a record with
 * values out of range is refused or skipped as state_file.h says. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "lvsd/state/state_file.h"

#define N_REC 3

static uint8_t file[STATE_FILE_HEAD_LEN + N_REC * STATE_FILE_RS_MAX + STATE_FILE_TAIL_LEN];

static struct state_file_head
head(void)
{
	struct state_file_head h = {
	    .wall_ms = 1700000000123ull,
	    .mono_ms = 987654321ull,
	    .director_drained = true,
	    .director_drain_wall_ms = 1699999999000ull,
	};

	memset(h.boot_id, 0x5a, sizeof(h.boot_id));
	strcpy(h.director_id, "dir1");
	return h;
}

/* Record i: IPv4, IPv6 and fwmark services; every field set to something
 * distinct (the learnt state of record 1 byte by byte). */
static struct state_file_rs
rec(int i)
{
	struct state_file_rs r;

	memset(&r, 0, sizeof(r));
	if (i == 1) {
		r.svc.af = AF_INET6;
		r.svc.protocol = IPPROTO_UDP;
		inet_pton(AF_INET6, "2001:db8::100", &r.svc.addr.v6);
		r.svc.port = 53;
		r.dest.af = AF_INET6;
		inet_pton(AF_INET6, "2001:db8:1::11", &r.dest.addr.v6);
	} else {
		r.svc.af = AF_INET;
		r.svc.protocol = i == 2 ? 0 : IPPROTO_TCP;
		r.svc.fwmark = i == 2 ? 7 : 0;
		if (i == 0)
			inet_pton(AF_INET, "192.0.2.100", &r.svc.addr.v4);
		r.svc.port = i == 2 ? 0 : 80;
		r.dest.af = AF_INET;
		inet_pton(AF_INET, i == 0 ? "198.51.100.11" : "198.51.100.12", &r.dest.addr.v4);
	}
	r.dest.port = (uint16_t)(80 + i);
	r.drained = i == 0;
	r.has_override = i == 1;
	r.override = 7;
	r.has_proposal = i != 2;
	r.proposal = 1234;
	r.health = (uint8_t)(i == 0 ? STATE_HEALTH_DOWN : i == 1 ? STATE_HEALTH_UP : 0);
	r.has_wt = i == 1;
	if (r.has_wt) {
		uint8_t *b = (uint8_t *)&r.wt;

		for (size_t k = 0; k < sizeof(r.wt); k++)
			b[k] = (uint8_t)(k * 31 + 7);
		/* the ids and the padding are not kept */
		r.wt.service_id = r.wt.rs_id = 0;
		memset(r.wt.pad, 0, sizeof(r.wt.pad));
		memset(r.wt.last.pad, 0, sizeof(r.wt.last.pad));
		r.wt.policy.report.pad = 0;
		r.wt.policy.pad = 0;
	}
	return r;
}

/* The whole file of N_REC records into file[]: its length. */
static size_t
write_file(void)
{
	struct state_file_head h = head();
	size_t len = state_file_put_head(&h, file);

	assert_int_equal(len, STATE_FILE_HEAD_LEN);
	for (int i = 0; i < N_REC; i++) {
		struct state_file_rs r = rec(i);
		size_t n = state_file_put_rs(&r, file + len);

		assert_true(n > 8 && n <= STATE_FILE_RS_MAX);
		len += n;
	}
	len += state_file_put_tail(N_REC, state_crc32c(0, file, len), file + len);
	return len;
}

static void
test_round_trip(void **state)
{
	size_t len = write_file();
	struct state_file_head h, want = head();
	struct state_file_iter it;
	struct state_file_rs r;

	assert_int_equal(state_file_open(file, len, &h, &it), 0);
	assert_memory_equal(h.boot_id, want.boot_id, 16);
	assert_int_equal(h.wall_ms, want.wall_ms);
	assert_int_equal(h.mono_ms, want.mono_ms);
	assert_true(h.director_drained);
	assert_int_equal(h.director_drain_wall_ms, want.director_drain_wall_ms);
	assert_string_equal(h.director_id, "dir1");
	for (int i = 0; i < N_REC; i++) {
		struct state_file_rs w = rec(i);

		assert_int_equal(state_file_next(&it, &r), 1);
		assert_int_equal(r.svc.af, w.svc.af);
		assert_int_equal(r.svc.protocol, w.svc.protocol);
		assert_int_equal(r.svc.port, w.svc.port);
		assert_int_equal(r.svc.fwmark, w.svc.fwmark);
		assert_memory_equal(r.svc.addr.bytes, w.svc.addr.bytes, 16);
		assert_int_equal(r.dest.af, w.dest.af);
		assert_int_equal(r.dest.port, w.dest.port);
		assert_memory_equal(r.dest.addr.bytes, w.dest.addr.bytes, 16);
		assert_int_equal(r.drained, w.drained);
		assert_int_equal(r.has_override, w.has_override);
		assert_int_equal(r.override, w.override);
		assert_int_equal(r.has_proposal, w.has_proposal);
		assert_int_equal(r.proposal, w.proposal);
		assert_int_equal(r.health, w.health);
		assert_int_equal(r.has_wt, w.has_wt);
		if (w.has_wt)
			assert_memory_equal(&r.wt, &w.wt, sizeof(r.wt));
	}
	assert_int_equal(state_file_next(&it, &r), 0);
}

/* The same file written twice is the same bytes, and the CRC is the
 * standard CRC-32C ("123456789" -> 0xe3069283), in one piece or many. */
static void
test_crc(void **state)
{
	static uint8_t again[sizeof(file)];
	size_t len = write_file();

	memcpy(again, file, len);
	assert_int_equal(write_file(), len);
	assert_memory_equal(again, file, len);
	assert_int_equal(state_crc32c(0, "123456789", 9), 0xe3069283u);
	assert_int_equal(state_crc32c(state_crc32c(0, "1234", 4), "56789", 5), 0xe3069283u);
	assert_int_equal(state_crc32c(state_crc32c(0, file, 100), file + 100, len - 100),
			 state_crc32c(0, file, len));
}

/* Any byte changed anywhere, or the file cut anywhere: refused whole. */
static void
test_damage(void **state)
{
	size_t len = write_file();
	struct state_file_head h;
	struct state_file_iter it;

	for (size_t i = 0; i < len; i++) {
		file[i] ^= 0x10;
		/* the version bytes say "another version" rather than "damaged" */
		assert_int_equal(state_file_open(file, len, &h, &it),
				 i >= 8 && i < 12 ? -EPROTONOSUPPORT : -EBADMSG);
		file[i] ^= 0x10;
	}
	for (size_t cut = 0; cut < len; cut++)
		assert_int_equal(state_file_open(file, cut, &h, &it), -EBADMSG);
	assert_int_equal(state_file_open(file, len, &h, &it), 0);
}

static void
test_not_a_state_file(void **state)
{
	const char *yaml = "global:\n  director_id: dir1\n";
	struct state_file_head h;
	struct state_file_iter it;

	assert_int_equal(state_file_open(yaml, strlen(yaml), &h, &it), -EBADMSG);
	assert_int_equal(state_file_open("", 0, &h, &it), -EBADMSG);
	assert_int_equal(state_file_open("LVSDSTAT", 8, &h, &it), -EBADMSG);
}

/* Another version: said so, whatever follows. */
static void
test_version(void **state)
{
	size_t len = write_file();
	struct state_file_head h;
	struct state_file_iter it;

	file[8] = STATE_FILE_VERSION + 1;
	assert_int_equal(state_file_open(file, len, &h, &it), -EPROTONOSUPPORT);
	file[8] = 0;
	assert_int_equal(state_file_open(file, len, &h, &it), -EPROTONOSUPPORT);
}

/* A record with a value out of range, in a file whose CRC holds (written
 * so): skipped alone, the others read. */
static void
test_bad_record(void **state)
{
	struct state_file_head h = head();
	struct state_file_iter it;
	struct state_file_rs r = rec(0), got;
	size_t len = state_file_put_head(&h, file), first;

	first = state_file_put_rs(&r, file + len);
	file[len + 8 + 45] = 3; /* health */
	len += first;
	r = rec(2);
	len += state_file_put_rs(&r, file + len);
	len += state_file_put_tail(2, state_crc32c(0, file, len), file + len);
	assert_int_equal(state_file_open(file, len, &h, &it), 0);
	assert_int_equal(state_file_next(&it, &got), -EBADMSG);
	assert_int_equal(state_file_next(&it, &got), 1);
	assert_int_equal(got.svc.fwmark, 7);
	assert_int_equal(state_file_next(&it, &got), 0);
}

/* The count in the trailer must be the records' number; a record's
 * length must stay inside the file. */
static void
test_framing(void **state)
{
	struct state_file_head h = head();
	struct state_file_iter it;
	struct state_file_rs r = rec(1);
	size_t len = state_file_put_head(&h, file);

	len += state_file_put_rs(&r, file + len);
	len += state_file_put_tail(2, state_crc32c(0, file, len), file + len);
	assert_int_equal(state_file_open(file, len, &h, &it), -EBADMSG);
	len = state_file_put_head(&h, file);
	len += state_file_put_rs(&r, file + len);
	file[STATE_FILE_HEAD_LEN + 4] = 0xff; /* its length, beyond the end */
	len += state_file_put_tail(1, state_crc32c(0, file, len), file + len);
	assert_int_equal(state_file_open(file, len, &h, &it), -EBADMSG);
	/* none at all is a file too */
	len = state_file_put_head(&h, file);
	len += state_file_put_tail(0, state_crc32c(0, file, len), file + len);
	assert_int_equal(state_file_open(file, len, &h, &it), 0);
	assert_int_equal(state_file_next(&it, &r), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip), cmocka_unit_test(test_crc),
	    cmocka_unit_test(test_damage),     cmocka_unit_test(test_not_a_state_file),
	    cmocka_unit_test(test_version),    cmocka_unit_test(test_bad_record),
	    cmocka_unit_test(test_framing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
