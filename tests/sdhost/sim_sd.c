/* SPDX-License-Identifier: MIT */
/*
 * The sunxi-mmc host and the SD layer against the simulated SD host
 * (sim/sunxi_sdhost.c) on the simulated non-coherent SoC, random eviction
 * and speculative refill, lines 32/64/128.
 *
 *   sdh_sim <cached|uncached> <seeds> <clean|evil|caught>
 *
 * clean:  every seed x line: init (SDSC on even seeds, SDHC on odd ones),
 *         then random reads and writes of 1-48 blocks through a ring of 8
 *         descriptors of 4 KiB (chains of up to 6, wrapping the ring), at
 *         any alignment (some map in place, some bounce), line 64 with
 *         the host's auto-stop off (CMD12 from the SD layer): exact data
 *         (read back through coh_consume), zero sanitizer reports, zero
 *         driver errors, nothing left mapped or posted.
 * evil:   each hostile behaviour of the device (a descriptor written back
 *         with another size or buffer address, left owned, a short
 *         transfer, a data CRC error, a stalled data phase, the card
 *         pulled) armed at a random request of every seed: the documented
 *         code, the counter, and the rest of the workload exact.
 * caught: (a planted bug, tests/sdhost/CMakeLists.txt) some seed must
 *         fail; prints the first report or failure.
 * Last line: "sdh_sim: N passed, M failed" (clean/evil) or "caught at
 * seed" / "NOT caught".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "sim.h"
#include "../sim_rig.h"
#include "sim_sunxi_sdhost.h"
#include "sunxi_mmc.h"

#define BLOCKS 1024		/* 512 KiB: SDHC's smallest C_SIZE unit */
#define NREQ 40
#define DATA (64 * 1024)

static unsigned long reports;
static char first[600];

static void hook(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	if (!reports++)
		rig_report_line(first, sizeof(first), r);
}

COH_DECLARE_BOX(bytes_h, uint8_t);

static struct {
	struct coh_region r0, r1;
	struct coh_device dev;
	struct coh_stream st;
	struct coh_map_rec recs[64];
	struct bytes_h data, pool;
	uint8_t card[BLOCKS * 512], shadow[BLOCKS * 512];
	void *regs;
	struct sunxi_mmc host;
	struct sd_card sd;
	bool host_up;
} R;

static void relax(void *ctx, uint32_t us)
{
	(void)ctx;
	(void)us;
	sim_step();
}

static int up(uint64_t seed, size_t line, unsigned int attrs)
{
	struct sim_config cfg;
	struct sunxi_mmc_config hc = {
		.dev = &R.dev, .ring = 8, .desc_max = 4096, .ring_attrs = attrs,
		.mod_hz = 24000000u, .timeout_us = 20000, .width4 = true, .delay_us = relax,
	};
	uint32_t s = (uint32_t)seed * 2654435761u;
	void *c;
	uint64_t p;
	size_t n;
	int rc;

	sim_config_default(&cfg);
	cfg.seed = seed;
	cfg.line = line;
	cfg.ram_size = 512 * 1024;
	cfg.uncached_size = 64 * 1024;
	if (sim_init(&cfg))
		return -1;
	sim_set_report_hook(hook, NULL);
	if (sim_area(0, &c, &p, &n) || coh_region_add(&R.r0, c, p, n, 0))
		return -1;
	if (sim_area(1, &c, &p, &n) || coh_region_add(&R.r1, c, p, n, COH_REGION_UNCACHED))
		return -1;
	coh_device_init(&R.dev, "sunxi-mmc", 0);
	if (coh_box_alloc(&R.data, &R.dev, DATA, 0) || coh_box_alloc(&R.pool, &R.dev, 65536, 0) ||
	    coh_stream_init(&R.st, R.recs, 64, 0) ||
	    coh_stream_bounce(&R.st, coh_box_ptr(&R.pool),
			      sim_virt_to_phys(coh_box_ptr(&R.pool)), 65536) ||
	    coh_device_set_stream(&R.dev, &R.st))
		return -1;
	sim_name(coh_box_ptr(&R.data), DATA, "data");
	for (size_t i = 0; i < sizeof(R.card); i++)
		R.card[i] = (uint8_t)rig_rnd(&s);
	memcpy(R.shadow, R.card, sizeof(R.card));
	R.regs = sim_sdh_create(&R.dev, R.card, BLOCKS, (int)(seed & 1));
	if (!R.regs)
		return -1;
	hc.regs = R.regs;
	rc = sunxi_mmc_init(&R.host, &hc);
	R.host_up = rc == 0;
	/* line 64 runs without auto-stop: the SD layer sends CMD12 itself */
	if (line == 64)
		R.host.host.caps &= ~SD_CAP_AUTOSTOP;
	if (!rc)
		rc = sd_card_init(&R.sd, &R.host.host);
	return rc;
}

static void down(void)
{
	if (R.host_up)
		(void)sunxi_mmc_destroy(&R.host);
	R.host_up = false;
	coh_device_set_stream(&R.dev, NULL);
	coh_free(&R.pool);
	coh_free(&R.data);
	sim_quiesce();
	coh_region_remove(&R.r1);
	coh_region_remove(&R.r0);
	sim_fini();
}

/* One random request; reads checked against the shadow through coh_consume. */
static int one(uint32_t *s, int *bad, char *what, size_t wn)
{
	uint8_t *base = coh_box_ptr(&R.data);
	bool write = rig_rnd(s) % 3 == 0;
	uint32_t k = 1 + rig_rnd(s) % 48;
	uint64_t lba = rig_rnd(s) % (BLOCKS - k);
	size_t off = rig_rnd(s) % 2 ? 0 : (rig_rnd(s) % 2 ? rig_rnd(s) % 200 : 4 * (rig_rnd(s) % 50));
	uint8_t *b = base + off;
	int rc;

	snprintf(what, wn, "%s lba %llu, %u blocks at +%zu", write ? "write" : "read",
		 (unsigned long long)lba, k, off);
	if (!write) {
		memset(b, 0xee, (size_t)k * 512);
		rc = sd_read(&R.sd, lba, b, k);
		if (rc)
			return rc;
		coh_consume(&R.dev, b, (size_t)k * 512);
		if (memcmp(b, R.shadow + lba * 512, (size_t)k * 512))
			*bad = 1;
		return 0;
	}
	for (size_t i = 0; i < (size_t)k * 512; i++)
		b[i] = (uint8_t)rig_rnd(s);
	rc = sd_write(&R.sd, lba, b, k);
	if (rc == 0) {
		memcpy(R.shadow + lba * 512, b, (size_t)k * 512);
		if (memcmp(R.card + lba * 512, b, (size_t)k * 512))
			*bad = 1;
	} else {
		/* the device may have written part of it: follow the card */
		memcpy(R.shadow + lba * 512, R.card + lba * 512, (size_t)k * 512);
	}
	return rc;
}

static int pass_, fail_;

static void result(bool ok, const char *fmt, unsigned long long seed, size_t line,
		   const char *why)
{
	if (ok) {
		pass_++;
		return;
	}
	fail_++;
	if (fail_ <= 5)
		printf(fmt, seed, line, why);
}

/* The evil behaviours and the code each must give. */
static const struct {
	unsigned int evil;
	int code;
	const char *name;
} evils[] = {
	{ SIM_SDH_EVIL_SIZE, -COH_EPROTO, "size written back" },
	{ SIM_SDH_EVIL_ADDR, -COH_EPROTO, "address written back" },
	{ SIM_SDH_EVIL_OWN, -COH_EPROTO, "descriptor left owned" },
	{ SIM_SDH_EVIL_SHORT, -COH_EPROTO, "short transfer" },
	{ SIM_SDH_EVIL_CRC, -COH_EIO, "data CRC error" },
	{ SIM_SDH_EVIL_RESP_CRC, -COH_EIO, "response CRC error" },
	{ SIM_SDH_EVIL_STALL, -COH_ETIMEDOUT, "stalled data phase" },
	{ 0, -COH_ENODEV, "card pulled" },
};

int main(int argc, char **argv)
{
	static const size_t lines[] = { 32, 64, 128 };
	unsigned int attrs;
	unsigned long seeds;
	const char *mode;

	if (argc != 4) {
		fprintf(stderr, "usage: sdh_sim cached|uncached SEEDS clean|evil|caught\n");
		return 2;
	}
	attrs = strcmp(argv[1], "uncached") == 0 ? COH_ATTR_UNCACHED : 0;
	seeds = strtoul(argv[2], NULL, 10);
	mode = argv[3];
	coh_set_diag_handler(rig_quiet);
	for (unsigned long seed = 1; seed <= seeds; seed++) {
		for (size_t li = 0; li < 3; li++) {
			uint32_t s = (uint32_t)seed * 7919u + (uint32_t)li;
			size_t e = (seed * 3 + li) % (sizeof(evils) / sizeof(evils[0]));
			unsigned armed_at = 1 + rig_rnd(&s) % (NREQ - 2);
			char what[96] = "init", why[800];
			int bad = 0, rc, evil_rc = 1;
			unsigned long evil_seen = 0;
			unsigned long bad0;

			reports = 0;
			first[0] = 0;
			rc = up(seed, lines[li], attrs);
			bad0 = R.host.bad_desc;
			for (unsigned i = 0; !rc && i < NREQ; i++) {
				bool armed = !strcmp(mode, "evil") && i == armed_at;

				if (armed) {
					if (evils[e].evil) {
						sim_sdh_evil(R.regs, evils[e].evil);
						/* a data command for it to spoil */
						snprintf(what, sizeof(what), "read 0, 16 blocks");
						evil_rc = sd_read(&R.sd, 0, coh_box_ptr(&R.data), 16);
						evil_seen = sim_sdh_evil_done(R.regs);
					} else {
						sim_sdh_card_present(R.regs, 0);
						evil_rc = sd_read(&R.sd, 0, coh_box_ptr(&R.data), 8);
						sim_sdh_card_present(R.regs, 1);
					}
					continue;
				}
				rc = one(&s, &bad, what, sizeof(what));
			}
			if (!rc && coh_ring_pending(&R.host.ring))
				rc = -COH_EBUSY;
			if (!rc && coh_stream_live(&R.st))
				rc = -COH_EBUSY;
			down();
			if (!strcmp(mode, "caught")) {
				if (rc || bad || reports) {
					printf("caught at seed %lu line %zu: %s%s%s (%s; driver counted "
					       "%lu bad descriptor(s), RINTR 0x%08lx)\n", seed, lines[li],
					       reports ? first : rc ? coh_strerror(rc) : "wrong data",
					       reports ? "" : " at ", reports ? "" : what,
					       rc ? coh_strerror(rc) : "no error",
					       R.host.bad_desc, (unsigned long)R.host.last_rintr);
					return 0;
				}
				continue;
			}
			snprintf(why, sizeof(why), "%s: rc %s, %s, %lu report(s) %s",
				 what, coh_strerror(rc), bad ? "WRONG DATA" : "data exact",
				 reports, first);
			if (!strcmp(mode, "evil")) {
				bool ok = !rc && !bad && !reports && evil_rc == evils[e].code &&
					  (evils[e].evil == 0 || evil_seen == 1) &&
					  (evils[e].code != -COH_EPROTO || R.host.bad_desc > bad0);

				if (!ok)
					snprintf(why, sizeof(why), "%s: got %s, want %s; rest rc %s, %s, "
						 "%lu report(s) %s", evils[e].name,
						 coh_strerror(evil_rc), coh_strerror(evils[e].code),
						 coh_strerror(rc), bad ? "WRONG DATA" : "data exact",
						 reports, first);
				result(ok, "FAIL seed %llu line %zu: %s\n", seed, lines[li], why);
			} else {
				result(!rc && !bad && !reports && R.host.bad_desc == 0,
				       "FAIL seed %llu line %zu: %s\n", seed, lines[li], why);
			}
		}
	}
	if (!strcmp(mode, "caught")) {
		printf("NOT caught in %lu seeds\n", seeds);
		return 1;
	}
	printf("sdh_sim: %d passed, %d failed\n", pass_, fail_);
	return fail_ ? 1 : 0;
}
