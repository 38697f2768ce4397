/* SPDX-License-Identifier: MIT */
/* The generic backend never pretends: maintenance for a non-coherent device fails. */
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"

TH_DEFINE_COUNTERS;

static unsigned char buf[256];

static void t_noncoherent_refused(void)
{
	struct coh_device dev;

	coh_device_init(&dev, "nc", 0);
	CHECK_EQ(coh_release(&dev, buf, 64), -COH_ENOTSUP);
	CHECK_EQ(coh_acquire(&dev, buf, 64), -COH_ENOTSUP);
	CHECK_EQ(coh_flush(&dev, buf, 64), -COH_ENOTSUP);
	CHECK_EQ(coh_give(&dev, buf, 64, COH_FROM_DEVICE), -COH_ENOTSUP);
}

static void t_coherent_ok(void)
{
	struct coh_device dev;

	coh_device_init(&dev, "c", COH_DEV_COHERENT);
	CHECK_EQ(coh_release(&dev, buf, 64), 0);
	CHECK_EQ(coh_acquire(&dev, buf + 1, 63), 0);
	CHECK_EQ(coh_flush(&dev, buf, 64), 0);
	CHECK(strcmp(coh_backend_name(), "generic") == 0);
}

int main(void)
{
	RUN(t_noncoherent_refused);
	RUN(t_coherent_ok);
	return th_finish("generic");
}
