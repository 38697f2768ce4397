/* SPDX-License-Identifier: MIT */
/*
 * A user's host test against the installed simulator: a buffer handed to a
 * simulated non-coherent device and read back through its bus address.
 * Prints "example: ok ..." and exits 0 only if the device saw the CPU's
 * bytes and the sanitizer reported nothing.
 */
#include <stdio.h>
#include <string.h>

#include <coherent/coherent.h>
#include "sim.h"

int main(void)
{
	static struct coh_map_rec recs[4];
	struct coh_stream st;
	struct coh_device dev;
	struct sim_config cfg;
	unsigned char seen[256], *ram;
	uint64_t phys;
	size_t size;
	coh_bus_t bus;

	if (coh_version() != COH_VERSION) {
		printf("example: headers %s, library %s\n", COH_VERSION_STRING,
		       coh_version_string());
		return 1;
	}
	sim_config_default(&cfg);
	if (sim_init(&cfg) || sim_area(0, (void **)&ram, &phys, &size))
		return 1;
	coh_device_init(&dev, "example-dma", 0);
	coh_stream_init(&st, recs, 4, 0);
	coh_device_set_stream(&dev, &st);
	for (int i = 0; i < 256; i++)
		ram[i] = (unsigned char)i;
	bus = coh_map_single(&dev, ram, 256, COH_TO_DEVICE);
	if (coh_mapping_error(&dev, bus) || sim_dev_read(&dev, bus, seen, 256) ||
	    memcmp(seen, ram, 256) || coh_unmap_single(&dev, bus, 256, COH_TO_DEVICE))
		return 1;
	if (sim_quiesce() != 0)
		return 1;
	printf("example: ok backend=%s version=%s\n", coh_backend_name(), coh_version_string());
	sim_fini();
	return 0;
}
