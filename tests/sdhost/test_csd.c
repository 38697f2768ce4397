/* SPDX-License-Identifier: MIT */
/*
 * drivers/sd on its own: CSD v1 (SDSC) and v2 (SDHC) decoding and the
 * register bit extraction, against CSDs built field by field from the SD
 * Simplified Specification's layout (5.3.2, 5.3.3), and CSDs it must refuse.
 */
#include <string.h>

#include "harness.h"
#include "sd.h"
#include "coherent/error.h"

TH_DEFINE_COUNTERS;

static void put(uint32_t r[4], unsigned lo, unsigned n, uint32_t v)
{
	for (unsigned i = 0; i < n; i++) {
		unsigned b = lo + i;

		r[b / 32] = (r[b / 32] & ~(1u << (b % 32))) | ((v >> i) & 1u) << (b % 32);
	}
}

static void t_bits(void)
{
	uint32_t r[4] = { 0x89abcdefu, 0x01234567u, 0xdeadbeefu, 0xc0ffee00u };

	CHECK_EQ(sd_bits(r, 0, 8), 0xef);
	CHECK_EQ(sd_bits(r, 28, 8), 0x78);		/* crosses words 0 and 1 */
	CHECK_EQ(sd_bits(r, 32, 32), 0x01234567u);
	CHECK_EQ(sd_bits(r, 126, 2), 3);
	CHECK_EQ(sd_bits(r, 62, 12), (0xdeadbeefu << 2 | 0x01234567u >> 30) & 0xfff);
}

static void t_v1(void)
{
	uint32_t r[4] = { 0 };
	struct sd_csd c;

	put(r, 126, 2, 0);
	put(r, 96, 8, 0x32);		/* 25 Mbit/s */
	put(r, 84, 12, 0x5b5);
	put(r, 80, 4, 9);
	put(r, 62, 12, 4095);
	put(r, 47, 3, 7);		/* 4096 x 512 x 512 = 1 GiB */
	CHECK_EQ(sd_csd_decode(r, &c), 0);
	CHECK_EQ(c.structure, 0);
	CHECK_EQ(c.capacity, 1ull << 30);
	CHECK_EQ(c.tran_speed_hz, 25000000);
	CHECK_EQ(c.ccc, 0x5b5);
	put(r, 80, 4, 10);		/* 2 GiB cards say 1 KiB blocks */
	CHECK_EQ(sd_csd_decode(r, &c), 0);
	CHECK_EQ(c.capacity, 2ull << 30);
	put(r, 80, 4, 8);		/* not a length the specification allows */
	CHECK_EQ(sd_csd_decode(r, &c), -COH_EPROTO);
	put(r, 80, 4, 12);
	CHECK_EQ(sd_csd_decode(r, &c), -COH_EPROTO);
}

static void t_v2(void)
{
	uint32_t r[4] = { 0 };
	struct sd_csd c;

	put(r, 126, 2, 1);
	put(r, 96, 8, 0x5a);		/* 50 Mbit/s */
	put(r, 80, 4, 9);
	put(r, 48, 22, 0x3b37);		/* (15159 + 1) x 512 KiB: a "8 GB" card */
	CHECK_EQ(sd_csd_decode(r, &c), 0);
	CHECK_EQ(c.structure, 1);
	CHECK_EQ(c.capacity, 15160ull * 512 * 1024);
	CHECK_EQ(c.tran_speed_hz, 50000000);
	put(r, 80, 4, 10);
	CHECK_EQ(sd_csd_decode(r, &c), -COH_EPROTO);
	put(r, 80, 4, 9);
	put(r, 126, 2, 2);		/* SDUC and reserved structures */
	CHECK_EQ(sd_csd_decode(r, &c), -COH_EPROTO);
	put(r, 126, 2, 3);
	CHECK_EQ(sd_csd_decode(r, &c), -COH_EPROTO);
	CHECK_EQ(sd_csd_decode(NULL, &c), -COH_EINVAL);
	CHECK_EQ(sd_csd_decode(r, NULL), -COH_EINVAL);
}

static void t_names(void)
{
	CHECK(strcmp(sd_state_name(SD_ST_TRAN), "tran") == 0);
	CHECK(strcmp(sd_state_name(SD_ST_NONE), "none") == 0);
	CHECK(strcmp(sd_state_name((enum sd_state)99), "none") == 0);
}

int main(void)
{
	RUN(t_bits);
	RUN(t_v1);
	RUN(t_v2);
	RUN(t_names);
	return th_finish("sd_csd");
}
