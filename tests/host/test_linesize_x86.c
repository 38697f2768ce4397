/* SPDX-License-Identifier: MIT */
/* Line size discovery on the host agrees with what the OS reports. */
#include <string.h>
#include <unistd.h>

#include "coherent/coherent.h"
#include "harness.h"

TH_DEFINE_COUNTERS;

static void t_matches_sysconf(void)
{
	long os = sysconf(_SC_LEVEL1_DCACHE_LINESIZE);
	size_t l = coh_cache_line_size();

	CHECK(coh_is_pow2(l));
	if (os > 0)
		CHECK_EQ(l, os);
	CHECK(strcmp(coh_backend_name(), "x86_64") == 0);
}

int main(void)
{
	RUN(t_matches_sysconf);
	return th_finish("x86_64-linesize");
}
