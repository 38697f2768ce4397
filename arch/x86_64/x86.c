/* SPDX-License-Identifier: MIT */
#include "coherent/backend.h"

int coh__x86_clflushopt;

static void coh__cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

size_t coh__x86_line_size(void)
{
	uint32_t r[4];
	size_t line;

	coh__cpuid(0, 0, r);
	if (r[0] >= 7) {
		uint32_t f[4];

		coh__cpuid(7, 0, f);
		coh__x86_clflushopt = (f[1] >> 23) & 1;
	}
	coh__cpuid(1, 0, r);
	if (!((r[3] >> 19) & 1)) /* no CLFSH: cannot maintain, report unknown */
		return 0;
	line = ((r[1] >> 8) & 0xff) * 8;
	return line;
}
