/* SPDX-License-Identifier: MIT */
/*
 * Reports name the driver's line (built at -O0, -O2 and with NDEBUG,
 * instrumented; tests/sanitizer/CMakeLists.txt):
 *   - a device access started by an MMIO write names that write's line,
 *     whether the accessor is inlined (-O2: the innermost frame outside
 *     the library's headers) or not (-O0: a caller up);
 *   - an access names the load's line;
 *   - the last library call is named as the API the driver called
 *     (coh_map_single: "coh_map", not the give inside it);
 *   - with NDEBUG the caller passes no site, and the report says so.
 * Silent on success, file:line on failure.
 */
#include <stdio.h>
#include <string.h>

#include <coherent/coherent.h>
#include "sim.h"
#include "sim_dmac.h"

static int failed;
#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c)) {                                                    \
			printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); \
			failed = 1;                                            \
		}                                                              \
	} while (0)

static struct sim_report last;
static char printed[512];

static void hook(const struct sim_report *r, void *ctx)
{
	FILE *f = fmemopen(printed, sizeof(printed), "w");

	(void)ctx;
	last = *r;
	if (f) {
		sim_print_report(r, f);
		fclose(f);
	}
}

static int kick_line, load_line, map_line;

/* the "driver": a single transfer from a bus address the device cannot reach */
static void start_copy(volatile uint8_t *regs, uint64_t src, uint64_t dst, uint32_t len)
{
	coh_mmio_write32(regs + DMAC_SRC_LO, (uint32_t)src);
	coh_mmio_write32(regs + DMAC_SRC_HI, (uint32_t)(src >> 32));
	coh_mmio_write32(regs + DMAC_DST_LO, (uint32_t)dst);
	coh_mmio_write32(regs + DMAC_DST_HI, (uint32_t)(dst >> 32));
	coh_mmio_write32(regs + DMAC_LEN, len);
	kick_line = __LINE__ + 1;
	coh_mmio_write32(regs + DMAC_CTRL, DMAC_CTRL_START);
}

static unsigned peek(const volatile uint8_t *p)
{
	load_line = __LINE__ + 1;
	return p[0];
}

int main(void)
{
	static struct coh_map_rec recs[4];
	struct coh_stream st;
	struct coh_device dev;
	struct sim_config cfg;
	volatile uint8_t *regs;
	uint8_t *c;
	uint64_t phys;
	char want[128];

	sim_config_default(&cfg);
	cfg.evict_permille = 0;
	cfg.refill_permille = 0;
	if (sim_init(&cfg) || sim_area(0, (void **)&c, &phys, NULL))
		return 1;
	sim_set_report_hook(hook, NULL);
	coh_device_init(&dev, "dma0", 0);
	coh_stream_init(&st, recs, 4, 0);
	coh_device_set_stream(&dev, &st);
	regs = sim_dmac_create(&dev);
	CHECK(regs != NULL);

	/* a device access started by the MMIO write: that write's line */
	start_copy(regs, 0x10, phys + 4096, 64);
	for (int k = 0; k < 4; k++)
		sim_step();
	CHECK(sim_reports(SIM_BAD_BUS_ADDRESS) >= 1);
	CHECK(last.file && strcmp(last.file, "sites.c") == 0);
	CHECK(last.line == kick_line);
	if (last.line != kick_line)
		printf("got %s:%d, want %d\n", last.file ? last.file : "-", last.line, kick_line);

	/* the map the driver called, at its line; the load at its line */
	coh_bus_t bus;
	map_line = __LINE__ + 1;
	bus = coh_map_single(&dev, c, 64, COH_FROM_DEVICE);
	CHECK(!coh_mapping_error(&dev, bus));
	(void)peek(c);
	CHECK(last.cls == SIM_CPU_READ_DEVICE_OWNED);
	CHECK(last.file && strcmp(last.file, "sites.c") == 0 && last.line == load_line);
#ifdef NDEBUG
	/* no site from this caller: the report says why */
	CHECK(strstr(last.msg, "coh_map FROM_DEVICE at ?:0 (no site: NDEBUG)") != NULL);
	CHECK(coh_map_single(&dev, c, 64, COH_FROM_DEVICE) != 0);	/* a second live mapping */
	CHECK(last.cls == SIM_OVERLAPPING_MAP);
	CHECK(strstr(printed, "last-change=?:0 (") != NULL);
	CHECK(strstr(printed, "call site not recorded: caller built with NDEBUG") != NULL);
#else
	snprintf(want, sizeof(want), "coh_map FROM_DEVICE at sites.c:%d]", map_line);
	CHECK(strstr(last.msg, want) != NULL);
#endif
	(void)want;
	sim_fini();
	return failed;
}
