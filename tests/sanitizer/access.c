/* SPDX-License-Identifier: MIT */
/*
 * The access observer's bad input and cost, built with coh_sim_instrument():
 * accesses outside the simulated areas (stack, heap, globals, before
 * sim_init, after sim_fini) are ignored or reported, never a crash; one
 * store of an unchanged value dirties a line; a stale load names this
 * file's line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"
#include "sim.h"

TH_DEFINE_COUNTERS;

static struct sim_report last;

static void hook(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	last = *r;
}

static int up(unsigned flags)
{
	struct sim_config cfg;

	sim_config_default(&cfg);
	cfg.ram_size = 64 << 10;
	cfg.evict_permille = 0;
	cfg.refill_permille = 0;
	cfg.flags = flags;
	memset(&last, 0, sizeof(last));
	if (sim_init(&cfg))
		return -1;
	sim_set_report_hook(hook, NULL);
	return 0;
}

static volatile unsigned char global[256];

/* host memory is not simulated: every access ignored, whatever it is */
static void t_host_memory_ignored(void)
{
	unsigned char stack[256], *heap = malloc(256);
	volatile unsigned char sum = 0;

	/* before sim_init: nothing to observe, nothing breaks */
	memset(stack, 1, sizeof(stack));
	CHECK(heap != NULL);
	CHECK_EQ(up(0), 0);
	for (int i = 0; i < 256; i++) {
		stack[i] = (unsigned char)i;
		heap[i] = stack[i];
		global[i] = heap[i];
		sum = (unsigned char)(sum + global[i]);
	}
	memcpy(heap, stack, 256);
	memmove(heap + 1, heap, 200);
	CHECK_EQ(sim_reports(-1), 0);
	(void)sum;
	free(heap);
	sim_fini();
}

/* a store that changes no value still dirties the line (uninstrumented: not seen) */
static void t_store_dirties(void)
{
	struct coh_device dev;
	unsigned char *c, data[64];
	uint64_t p0;

	CHECK_EQ(up(SIM_F_NO_DEVICE_CHECKS), 0);
	coh_device_init(&dev, "d", 0);
	sim_area(0, (void **)&c, &p0, NULL);
	memset(data, 0x5a, sizeof(data));
	c[0] = 0;	/* memory was 0: same value, dirty line all the same */
	CHECK_EQ(sim_dev_write(&dev, p0, data, sizeof(data)), 0);
	sim_quiesce();	/* the write-back puts the CPU's zeros over the device's bytes */
	CHECK_EQ(sim_reports(SIM_EVICT_OVER_DEVICE), 1);
	sim_fini();
}

/* a stale load: reported at the load, with this file and line */
static void t_stale_load_line(void)
{
	struct coh_device dev;
	volatile unsigned char *c;
	unsigned char data[64];
	uint64_t p0;
	int line;
	unsigned char v;

	CHECK_EQ(up(SIM_F_NO_DEVICE_CHECKS), 0);
	coh_device_init(&dev, "d", 0);
	sim_area(0, (void **)&c, &p0, NULL);
	memset(data, 0x5a, sizeof(data));
	CHECK_EQ(sim_dev_write(&dev, p0, data, sizeof(data)), 0);
	line = __LINE__ + 1;
	v = c[3];
	CHECK_EQ(v, 0);	/* the cached copy: stale */
	CHECK_EQ(sim_reports(SIM_STALE_CPU_READ), 1);
	CHECK_EQ(last.cls, SIM_STALE_CPU_READ);
	CHECK(last.file && strcmp(last.file, "access.c") == 0);
	CHECK_EQ(last.line, line);
	/* an acquire, and the load is clean and current */
	CHECK_EQ(coh_acquire(&dev, (void *)(uintptr_t)c, 64), 0);
	v = c[3];
	CHECK_EQ(v, 0x5a);
	CHECK_EQ(sim_reports(-1), 1);
	sim_fini();
}

/*
 * Every routed libc routine is an observed access at the caller's line:
 * on bytes given FROM_DEVICE, a read is CPU_READ_DEVICE_OWNED and a write
 * CPU_WRITE_DEVICE_OWNED, each named at this file's line (one line of
 * the buffer per routine: reports are once per class per line).
 */
#define SEEN(cls, expr)                                                        \
	do {                                                                   \
		unsigned long n0_ = sim_reports(cls);                          \
		int l_ = __LINE__;                                             \
		(void)(expr);                                                  \
		CHECK_EQ(sim_reports(cls), n0_ + 1);                           \
		CHECK_EQ(last.line, l_);                                       \
		CHECK(last.file && strcmp(last.file, "access.c") == 0);        \
	} while (0)
#define R SIM_CPU_READ_DEVICE_OWNED
#define W SIM_CPU_WRITE_DEVICE_OWNED

static void t_libc_seen(void)
{
	struct coh_device dev;
	char *c, host[64], cat[64];
	const size_t lines = 32;

	CHECK_EQ(up(0), 0);
	coh_device_init(&dev, "d", 0);
	sim_area(0, (void **)&c, NULL, NULL);
#define P(k) (c + (k) * 64)
	for (size_t k = 0; k < lines; k++)
		snprintf(P(k), 64, "hello world %zu", k);
	memset(host, 'h', sizeof(host));
	CHECK_EQ(coh_give(&dev, c, lines * 64, COH_FROM_DEVICE), 0);
	/* reads */
	SEEN(R, memcmp(P(0), host, 16));
	SEEN(R, bcmp(P(1), host, 16));
	SEEN(R, memchr(P(2), 'w', 64));
	SEEN(R, memrchr(P(3), 'h', 64));
	SEEN(R, strlen(P(4)));
	SEEN(R, strnlen(P(5), 64));
	SEEN(R, strcmp(P(6), "hello"));
	SEEN(R, strncmp(P(7), "hello", 5));
	SEEN(R, strchr(P(8), 'o'));
	SEEN(R, strrchr(P(9), 'o'));
	SEEN(R, memcpy(host, P(10), 16));
	SEEN(R, memmove(host, P(11), 16));
	SEEN(R, strcpy(host, P(12)));
	SEEN(R, strncpy(host, P(13), 16));
	SEEN(R, memccpy(host, P(14), 'o', 16));
	SEEN(R, mempcpy(host, P(15), 16));
	cat[0] = 0;
	SEEN(R, strcat(cat, P(16)));
	/* writes */
	SEEN(W, memset(P(17), 0, 8));
	SEEN(W, memcpy(P(18), host, 8));
	SEEN(W, memmove(P(19), host, 8));
	SEEN(W, bzero(P(20), 8));
	SEEN(W, explicit_bzero(P(21), 8));
	SEEN(W, strcpy(P(22), "x"));
	SEEN(W, strncpy(P(23), "x", 4));
	SEEN(W, mempcpy(P(24), host, 4));
	SEEN(W, memccpy(P(25), "xyz", 'z', 3));
	/* host memory through the same routines: nothing */
	CHECK_EQ(sim_reports(-1), 26);
	CHECK(memcmp(host, cat, 4) != 0 || strlen(host) > 0);
	CHECK_EQ(sim_reports(-1), 26);
#undef P
	CHECK_EQ(coh_take(&dev, c, lines * 64, COH_FROM_DEVICE), 0);
	sim_fini();
}

/* a pointer kept past sim_fini: a report, not a crash */
static void t_after_fini(void)
{
	volatile unsigned char *c;

	CHECK_EQ(up(0), 0);
	sim_area(0, (void **)&c, NULL, NULL);
	c[0] = 1;
	sim_fini();
	c[0] = 2;
	CHECK_EQ(sim_reports(SIM_USE_AFTER_FINI), 1);
	CHECK_EQ(up(0), 0);	/* and the next run starts clean */
	CHECK_EQ(sim_reports(-1), 0);
	sim_fini();
}

int main(void)
{
	RUN(t_host_memory_ignored);
	RUN(t_store_dirties);
	RUN(t_stale_load_line);
	RUN(t_libc_seen);
	RUN(t_after_fini);
	return th_finish("san-access");
}
