/* SPDX-License-Identifier: MIT */
/*
 * Regression, under AddressSanitizer: coh_get/coh_put on a
 * coh_alloc_shared_flex handle copied the whole allocation into (or out
 * of) the caller's T, a stack-buffer-overflow in coh__mem_get.  They now
 * refuse flex handles; coh_get_flex/coh_put_flex copy array elements into
 * buffers of exactly that many elements, and the trailer accessors stay
 * inside the allocation.  The recording backend shows which lines each
 * copy maintains: exactly those of the elements copied.
 */
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"

TH_DEFINE_COUNTERS;

static unsigned char arena[64 * 1024] __attribute__((aligned(4096)));
static struct coh_region reg;
static struct coh_device dev;

struct avail {
	uint16_t flags, idx;
	uint16_t ring[];
};
struct avail_tail {
	uint16_t used_event;
};

static size_t count(char op)
{
	size_t n = 0;

	for (size_t i = 0; i < rec_n && i < REC_MAX; i++)
		n += rec_log[i].op == op;
	return n;
}

static void t_flex_bulk(void)
{
	COH_SHARED_FLEX(struct avail, struct avail_tail) h;
	struct avail hdr;	/* what the old coh_get wrote 4 + 2 * 256 bytes into */
	uint16_t in[256], out[256];
	uintptr_t first;

	coh_device_init(&dev, "nc", 0);
	dev.dma_mask = ~0ull;
	CHECK_EQ(coh_region_add(&reg, arena, 0x80000000ull, sizeof(arena), 0), 0);
	CHECK_EQ(coh_alloc_shared_flex_tail(&h, &dev, ring, 256, 0), 0);
	CHECK_EQ(coh_get(&h, 0, 1, &hdr), -COH_EINVAL);
	CHECK_EQ(coh_put(&h, 0, 1, &hdr), -COH_EINVAL);
	for (int i = 0; i < 256; i++)
		in[i] = (uint16_t)(i * 3 + 1);
	CHECK_EQ(coh_put_flex(&h, ring, 0, 256, in), 0);
	CHECK_EQ(coh_get_flex(&h, ring, 0, 256, out), 0);
	CHECK(!memcmp(in, out, sizeof(in)));
	CHECK_EQ(coh_get_flex(&h, ring, 1, 256, out), -COH_ERANGE);
	/* ring[32..63]: bytes 68..131 of the allocation, lines 1 and 2 at 64 */
	rec_hw_line = 64;
	coh_set_cache_line_size(64);
	rec_n = 0;
	CHECK_EQ(coh_get_flex(&h, ring, 32, 32, out), 0);
	first = (uintptr_t)coh_raw(&h) + 64;
	CHECK_EQ(count('B'), 1);
	CHECK_EQ(count('I') + count('F'), 2);
	CHECK(rec_log[0].addr == first && rec_log[1].addr == first + 64);
	rec_n = 0;
	CHECK_EQ(coh_put_flex(&h, ring, 32, 32, in), 0);
	CHECK_EQ(count('C'), 2);
	CHECK_EQ(count('B'), 1);
	coh_write_tail(&h, .used_event, 0xbeef);
	CHECK_EQ(coh_read_tail(&h, .used_event), 0xbeef);
	CHECK_EQ(coh_read(&h, [0].ring[255]), in[255]);
	CHECK_EQ(coh_free(&h), 0);
	CHECK_EQ(coh_region_remove(&reg), 0);
}

int main(void)
{
	RUN(t_flex_bulk);
	return th_finish("flex_asan");
}
