/* SPDX-License-Identifier: MIT */
/*
 * The hosted library (x86_64 backend): a coherent device's buffer handed
 * over and back.  Also the drop-in build's program (no CMake, no install).
 */
#include <stdio.h>

#include <coherent/coherent.h>

#ifdef EXAMPLE_DROPIN
/* the drop-in build names its own config header: prove it was read */
_Static_assert(COH_MAX_LINE == 256, "coh_config.h not used");
#endif

static unsigned char buf[512] __attribute__((aligned(256)));

int main(void)
{
	struct coh_device dev;

	if (coh_device_init(&dev, "example-nic", COH_DEV_COHERENT) ||
	    coh_give(&dev, buf, sizeof(buf), COH_FROM_DEVICE) ||
	    coh_take(&dev, buf, sizeof(buf), COH_FROM_DEVICE) ||
	    coh_version() != COH_VERSION || coh_cache_line_size() == 0)
		return 1;
	printf("example: ok backend=%s version=%s line=%zu\n", coh_backend_name(),
	       coh_version_string(), coh_cache_line_size());
	return 0;
}
