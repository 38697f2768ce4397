/* SPDX-License-Identifier: MIT */
/*
 * Simulator setup for the crate's hosted tests (feature "sim"): the SoC,
 * its two areas as library regions, the DMA controller model, and the
 * last report kept so a test can check it names the Rust line.
 */
#include <string.h>

#include "coherent/coherent.h"
#include "sim.h"
#include "sim_dmac.h"

static struct coh_region coh_rs_ram, coh_rs_unc;
static int coh_rs_up;
static char coh_rs_last_file[160];
static int coh_rs_last_line;
static int coh_rs_last_cls = -1;

static void coh_rs_report(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	sim_print_report(r, NULL);
	coh_rs_last_cls = r->cls;
	coh_rs_last_line = r->file ? r->line : 0;
	strncpy(coh_rs_last_file, r->file ? r->file : "", sizeof(coh_rs_last_file) - 1);
}

int coh_rs_sim_init(size_t line, unsigned long long seed, unsigned evict,
		    unsigned refill)
{
	struct sim_config cfg;
	void *cpu;
	uint64_t phys;
	size_t size;
	int rc;

	sim_config_default(&cfg);
	cfg.line = line;
	cfg.seed = seed;
	cfg.evict_permille = evict;
	cfg.refill_permille = refill;
	rc = sim_init(&cfg);
	if (rc)
		return rc;
	sim_set_report_hook(coh_rs_report, NULL);
	coh_rs_last_cls = -1;
	coh_rs_last_line = 0;
	coh_rs_last_file[0] = 0;
	if ((rc = sim_area(0, &cpu, &phys, &size)) ||
	    (rc = coh_region_add(&coh_rs_ram, cpu, phys, size, 0)) ||
	    (rc = sim_area(1, &cpu, &phys, &size)) ||
	    (rc = coh_region_add(&coh_rs_unc, cpu, phys, size, COH_REGION_UNCACHED))) {
		sim_fini();
		return rc;
	}
	coh_rs_up = 1;
	return 0;
}

void coh_rs_sim_fini(void)
{
	if (!coh_rs_up)
		return;
	coh_region_remove(&coh_rs_unc);
	coh_region_remove(&coh_rs_ram);
	sim_fini();
	coh_rs_up = 0;
}

int coh_rs_sim_last(char *file, size_t len, int *line)
{
	strncpy(file, coh_rs_last_file, len - 1);
	file[len - 1] = 0;
	*line = coh_rs_last_line;
	return coh_rs_last_cls;
}

/*
 * Streaming state for a test's devices: records only, no bounce pool (the
 * tests' buffers are whole lines; a partial edge line is then refused or
 * bounced by the library's policy, not silently mapped).  A few devices
 * per simulator run.
 */
#define COH_RS_STREAMS 4
static struct coh_stream coh_rs_stream[COH_RS_STREAMS];
static struct coh_map_rec coh_rs_recs[COH_RS_STREAMS][64];

int coh_rs_sim_stream(struct coh_device *dev)
{
	for (int i = 0; i < COH_RS_STREAMS; i++) {
		if (coh_rs_stream[i].rec && coh_stream_live(&coh_rs_stream[i]))
			continue;
		int rc = coh_stream_init(&coh_rs_stream[i], coh_rs_recs[i], 64, 0);
		return rc ? rc : coh_device_set_stream(dev, &coh_rs_stream[i]);
	}
	return -COH_EBUSY;
}
