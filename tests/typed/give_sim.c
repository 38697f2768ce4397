/* SPDX-License-Identifier: MIT */
/*
 * coh_give_n / coh_take_n on the simulator when the backend's op hook
 * refuses a span after earlier ones were handed over (a coherent device's
 * buffer outside simulated memory: no maintainability check looks at it).
 * fence.h promises that on error nothing was given: the simulator must not
 * think the device owns the earlier spans, so freeing them is clean.  The
 * library once returned with span 0 given to the simulator and unknown to
 * its own checker: the free was accepted and reported as
 * SIM_FREE_DEVICE_OWNED (issue 19 item 9).
 */
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"
#include "sim.h"

TH_DEFINE_COUNTERS;

static struct coh_region reg;
static struct coh_device cdev, ncdev;

static void quiet(const struct sim_report *r, void *ctx)
{
	(void)r;
	(void)ctx;
}

static int setup(void)
{
	struct sim_config cfg;
	void *ram;
	uint64_t phys;
	size_t size;

	sim_fini();
	sim_config_default(&cfg);
	if (sim_init(&cfg) || sim_area(0, &ram, &phys, &size))
		return -1;
	sim_set_report_hook(quiet, NULL);
	coh_device_init(&cdev, "coh", COH_DEV_COHERENT);
	coh_device_init(&ncdev, "nc", 0);
	cdev.dma_mask = ncdev.dma_mask = ~0ull;
	return coh_region_add(&reg, ram, phys, 256u << 10, 0);
}

static void teardown(void)
{
	coh_region_remove(&reg);
}

/* span 0 in simulated memory, span 1 outside it: -COH_EFAULT, nothing given */
static void one(struct coh_device *dev, enum coh_dir dir)
{
	COH_SHARED(uint8_t) h;
	static uint8_t outside[256];
	struct coh_span sp[3];

	CHECK_EQ(setup(), 0);
	CHECK_EQ(coh_alloc_shared(&h, dev, 512, 0), 0);
	sp[0] = (struct coh_span){ coh_raw(&h), 256, dir };
	sp[1] = (struct coh_span){ (uint8_t *)coh_raw(&h) + 256, 0, dir };
	sp[2] = (struct coh_span){ outside, sizeof(outside), dir };
	CHECK_EQ(coh_give_n(dev, sp, 3), -COH_EFAULT);
	CHECK_EQ(coh_free(&h), 0);
	CHECK_EQ(sim_reports(SIM_FREE_DEVICE_OWNED), 0);
	CHECK_EQ(sim_reports(-1), 0);
	/* the same spans given one by one, then taken back with the bad one:
	 * refused, and the device still owns span 0 (the checker says so too) */
	CHECK_EQ(coh_alloc_shared(&h, dev, 512, 0), 0);
	sp[0].ptr = coh_raw(&h);
	CHECK_EQ(coh_give(dev, sp[0].ptr, sp[0].len, dir), 0);
	CHECK_EQ(coh_take_n(dev, sp, 3), -COH_EFAULT);
#if COH_DEBUG
	CHECK_EQ(coh_free(&h), -COH_EBUSY);
#endif
	CHECK_EQ(coh_take(dev, sp[0].ptr, sp[0].len, dir), 0);
	CHECK_EQ(coh_free(&h), 0);
	CHECK_EQ(sim_reports(-1), 0);
	teardown();
}

static void t_coherent_to_device(void) { one(&cdev, COH_TO_DEVICE); }
static void t_coherent_from_device(void) { one(&cdev, COH_FROM_DEVICE); }
static void t_coherent_bidi(void) { one(&cdev, COH_BIDIRECTIONAL); }

/* a non-coherent device: the range check refuses span 2 before anything */
static void t_noncoherent(void)
{
	COH_SHARED(uint8_t) h;
	static uint8_t outside[256];
	struct coh_span sp[2];

	CHECK_EQ(setup(), 0);
	CHECK_EQ(coh_alloc_shared(&h, &ncdev, 512, 0), 0);
	sp[0] = (struct coh_span){ coh_raw(&h), 256, COH_FROM_DEVICE };
	sp[1] = (struct coh_span){ outside, sizeof(outside), COH_FROM_DEVICE };
	CHECK_EQ(coh_give_n(&ncdev, sp, 2), -COH_EFAULT);
	CHECK_EQ(coh_free(&h), 0);
	CHECK_EQ(sim_reports(-1), 0);
	teardown();
}

int main(void)
{
	RUN(t_coherent_to_device);
	RUN(t_coherent_from_device);
	RUN(t_coherent_bidi);
	RUN(t_noncoherent);
	sim_fini();
	return th_finish("give_sim");
}
