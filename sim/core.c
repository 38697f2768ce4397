/* SPDX-License-Identifier: MIT */
/*
 * sim/core.c - the simulated SoC's state, life cycle and address map: the
 * seeded PRNG every random choice draws from, the table of lines touched
 * (what sim_quiesce walks and the scheduler draws from), sim_init/sim_fini.
 * Work is per line touched; nothing ever walks the whole region except
 * sim_init's allocation.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sim_internal.h"

/* the one simulated SoC (S in every sim/ file) */
struct sim_state sim__s;

uint64_t sim__rnd(void)
{
	/* splitmix64 */
	uint64_t z = (S.rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int sim__chance(unsigned permille)
{
	return permille && sim__rnd() % 1000 < permille;
}

void sim__touch(size_t i)
{
	struct sline *m = &S.meta[i];

	if (!m->tracked) {
		if (S.ntracked == S.captracked) {
			size_t n = S.captracked ? 2 * S.captracked : 256;
			uint32_t *t = realloc(S.tracked, n * sizeof(*t));

			if (!t)
				return;
			S.tracked = t;
			S.captracked = n;
		}
		S.tracked[S.ntracked++] = (uint32_t)i;
		m->tracked = 1;
	}
	if (S.nrecent && S.recent[(S.recent_pos + RECENT - 1) % RECENT] == i)
		return;
	S.recent[S.recent_pos] = (uint32_t)i;
	S.recent_pos = (S.recent_pos + 1) % RECENT;
	if (S.nrecent < RECENT)
		S.nrecent++;
}

/* ------------------------------------------------------------ lifecycle */

void sim_config_default(struct sim_config *cfg)
{
	*cfg = (struct sim_config){
		.ram_size = 1u << 20,
		.ram_phys = 0x80000000u,
		.uncached_size = 64u << 10,
		.line = 64,
		.seed = 1,
		.evict_permille = 50,
		.refill_permille = 50,
	};
}

/* page-aligned, zeroed on first touch: set-up cost does not grow with the region */
static void *zalloc(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void zfree(void *p, size_t n)
{
	if (p)
		munmap(p, n);
}

/*
 * The CPU-visible areas of the last sim_fini stay mapped (fresh zero pages,
 * no memory kept) until the next sim_init, so a driver's stale pointer into
 * them is a USE_AFTER_FINI report from the access observer, not a crash.
 */
struct sim_dead sim__dead_areas;
#define dead sim__dead_areas

int sim__dead(uintptr_t a)
{
	return sim__is_dead(a);
}

static void bury(int k, void *p, size_t n)
{
	if (!p)
		return;
	if (mmap(p, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) == MAP_FAILED) {
		munmap(p, n);
		return;
	}
	dead.s[k] = (uintptr_t)p;
	dead.n[k] = n;
}

static void unbury(void)
{
	for (int k = 0; k < 2; k++) {
		if (dead.n[k])
			munmap((void *)dead.s[k], dead.n[k]);
		dead.s[k] = 0;
		dead.n[k] = 0;
	}
}

int sim_init(const struct sim_config *cfg)
{
	size_t size, usize;

	if (S.up)
		return -COH_EBUSY;
	if (!cfg || !cfg->ram_size ||
	    (cfg->line != 32 && cfg->line != 64 && cfg->line != 128))
		return -COH_EINVAL;
	size = (cfg->ram_size + 4095) & ~(size_t)4095;
	usize = (cfg->uncached_size + 4095) & ~(size_t)4095;
	unbury();
	memset(&S, 0, sizeof(S));
	S.cfg = *cfg;
	S.line = cfg->line;
	S.size = size;
	S.phys = cfg->ram_phys;
	S.nlines = size / S.line;
	S.cpu = zalloc(size);
	S.ram = zalloc(size);
	S.shadow = zalloc(size);
	S.meta = zalloc(S.nlines * sizeof(*S.meta));
	S.usize = usize;
	if (usize)
		S.ucpu = zalloc(usize);
	if (!S.cpu || !S.ram || !S.shadow || !S.meta || (usize && !S.ucpu)) {
		sim_fini();
		return -COH_ENOMEM;
	}
	S.uphys = S.phys + ((size + AREA1_GAP - 1) & ~(uint64_t)(AREA1_GAP - 1));
	/* meta is zeroed: a warm cache, any line may be held until invalidated */
	S.rng = cfg->seed;
	S.up = 1;
	if (coh_set_cache_line_size(S.line)) {
		sim_fini();
		return -COH_EINVAL;
	}
	sim__diag_install();
	return 0;
}

void sim_fini(void)
{
	for (unsigned k = 0; k < S.nwins; k++) {
		if (S.wins[k].ops->destroy)
			S.wins[k].ops->destroy(S.wins[k].ctx);
		free(S.wins[k].mem);
	}
	unbury();
	bury(0, S.cpu, S.size);
	zfree(S.ram, S.size);
	zfree(S.shadow, S.size);
	zfree(S.meta, S.nlines * sizeof(*S.meta));
	bury(1, S.ucpu, S.usize);
	free(S.tracked);
	{
		/* a report after the end (USE_AFTER_FINI) still names the run's seed */
		uint64_t seed = S.cfg.seed;

		memset(&S, 0, sizeof(S));
		S.cfg.seed = seed;
	}
}

/* ---------------------------------------------------------- addressing */

int sim_area(int idx, void **cpu, uint64_t *phys, size_t *size)
{
	void *c = idx == 0 ? (void *)S.cpu : idx == 1 ? (void *)S.ucpu : NULL;

	if (!S.up || !c)
		return -COH_ERANGE;
	if (cpu)
		*cpu = c;
	if (phys)
		*phys = idx == 0 ? S.phys : S.uphys;
	if (size)
		*size = idx == 0 ? S.size : S.usize;
	return 0;
}

uint64_t sim_virt_to_phys(const void *p)
{
	uintptr_t a = (uintptr_t)p;

	if (in_area0(a, a + 1))
		return S.phys + (a - (uintptr_t)S.cpu);
	if (in_area1(a, a + 1))
		return S.uphys + (a - (uintptr_t)S.ucpu);
	return ~(uint64_t)0;
}

void *sim_phys_to_virt(uint64_t phys)
{
	if (!S.up)
		return NULL;
	if (phys >= S.phys && phys - S.phys < S.size)
		return S.cpu + (phys - S.phys);
	if (S.usize && phys >= S.uphys && phys - S.uphys < S.usize)
		return S.ucpu + (phys - S.uphys);
	return NULL;
}

size_t sim_line(void)
{
	return S.line;
}

uint64_t sim_seed(void)
{
	return S.cfg.seed;
}
