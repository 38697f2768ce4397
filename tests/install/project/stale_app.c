/* SPDX-License-Identifier: MIT */
/*
 * A user's driver test, instrumented (coh_sim_instrument() in CMake, or
 * pkg-config --cflags coherent-sim): a receive buffer maintained with
 * coh_release/coh_acquire, written by a simulated non-coherent device.
 *
 *   example_stale          acquire, then read: no report, "example: ok"
 *   example_stale planted  the acquire forgotten: the simulator must report
 *                          the stale read at the line of the read below
 *                          (seen only when this file is instrumented)
 */
#include <stdio.h>
#include <string.h>

#include <coherent/coherent.h>
#include "sim.h"

static int read_line;	/* the line of the driver's read */
static int caught, wrong;

static void hook(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	sim_print_report(r, stderr);
	if ((r->cls == SIM_STALE_CPU_READ || r->cls == SIM_SPECULATIVE_STALE) && r->file &&
	    strcmp(r->file, "stale_app.c") == 0 && r->line == read_line)
		caught++;
	else
		wrong++;
}

/* the "driver": sums what the device wrote */
static unsigned rx_sum(struct coh_device *dev, unsigned char *rx, size_t n, int planted)
{
	unsigned sum = 0;

	if (!planted)
		coh_acquire(dev, rx, n);
	read_line = __LINE__ + 1;
	for (size_t i = 0; i < n; i++) sum += rx[i];
	return sum;
}

int main(int argc, char **argv)
{
	int planted = argc > 1 && strcmp(argv[1], "planted") == 0;
	struct coh_device dev;
	struct sim_config cfg;
	unsigned char pkt[128], *rx;
	uint64_t phys;
	size_t size;
	unsigned want = 0, got;

	sim_config_default(&cfg);
	if (sim_init(&cfg) || sim_area(0, (void **)&rx, &phys, &size))
		return 1;
	sim_set_report_hook(hook, NULL);
	coh_device_init(&dev, "example-rx", 0);
	for (size_t i = 0; i < sizeof(pkt); i++) {
		rx[i] = 0;
		pkt[i] = (unsigned char)(i + 1);
		want += pkt[i];
	}
	/* the old zeroes are cached: a forgotten acquire reads them */
	coh_release(&dev, rx, sizeof(pkt));
	if (sim_dev_write(&dev, sim_virt_to_phys(rx) + dev.bus_offset, pkt, sizeof(pkt)))
		return 1;
	got = rx_sum(&dev, rx, sizeof(pkt), planted);
	sim_quiesce();
	sim_fini();
	if (planted) {
		if (!caught || wrong) {
			printf("example: stale read NOT caught at stale_app.c:%d (%d right, %d other reports)\n",
			       read_line, caught, wrong);
			return 1;
		}
		printf("example: ok, stale read caught at stale_app.c:%d\n", read_line);
		return 0;
	}
	if (got != want || caught || wrong) {
		printf("example: sum %u, want %u, %d reports\n", got, want, caught + wrong);
		return 1;
	}
	printf("example: ok, %u bytes received, no report\n", (unsigned)sizeof(pkt));
	return 0;
}
