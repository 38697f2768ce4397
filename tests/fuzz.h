/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz.h - what the model-based fuzz programs share (tests/stream/
 * fuzz.c, tests/typed/fuzz_mem.c, tests/typed/fuzz_ring.c): a seeded
 * xorshift generator, a diagnostic handler that only counts (the bad calls
 * are meant to be reported), FUZZ_EXPECT, which names the seed and step of
 * a broken expectation, and the seed loop over the recording backend.
 * Each program defines run(seed, steps) with locals `seed` and `step`.
 */
#ifndef COHERENT_TEST_FUZZ_H
#define COHERENT_TEST_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

#include "coherent/coherent.h"

static uint64_t fuzz_rs;
static int fuzz_fails;
static unsigned long fuzz_diags;

/* a stream of its own per program (salt) and seed */
static inline void fuzz_seed(uint64_t seed, uint64_t salt)
{
	fuzz_rs = seed * 0x9E3779B97F4A7C15ull + salt;
}

/* uniform-enough in [0, n); 0 for n == 0 */
static inline uint32_t rnd(uint32_t n)
{
	fuzz_rs ^= fuzz_rs << 13;
	fuzz_rs ^= fuzz_rs >> 7;
	fuzz_rs ^= fuzz_rs << 17;
	return n ? (uint32_t)(fuzz_rs % n) : 0;
}

static void fuzz_diag(const struct coh_where *w, const char *m, int e)
{
	(void)w;
	(void)m;
	(void)e;
	fuzz_diags++;
}

/* the first ten broken expectations are printed, all are counted */
#define FUZZ_EXPECT(cond, what)                                                \
	do {                                                                   \
		if (!(cond) && fuzz_fails++ < 10)                              \
			printf("%s: seed %llu step %d: %s\n", FUZZ_NAME,       \
			       (unsigned long long)seed, step, (what));        \
	} while (0)

/*
 * Seeds 1..argv[1] (default dseeds) of argv[2] (default dsteps) steps each,
 * on the recording backend with 64-byte lines; stops at the first failing
 * seed.  Prints "<name>: N seed(s) x M steps: ok|FAILED" and returns the
 * exit code.
 */
static int fuzz_main(int argc, char **argv, int dseeds, int dsteps,
		     int (*run)(uint64_t seed, int steps))
{
	int seeds = argc > 1 ? atoi(argv[1]) : dseeds;
	int steps = argc > 2 ? atoi(argv[2]) : dsteps;
	int bad = 0;

	rec_hw_line = 64;
	coh_set_cache_line_size(64);
	coh_set_diag_handler(fuzz_diag);
	for (int s = 1; s <= seeds && !bad; s++)
		bad = run((uint64_t)s, steps) != 0;
	printf("%s: %d seed(s) x %d steps: %s (%lu diagnostics for the bad calls)\n",
	       FUZZ_NAME, seeds, steps, bad ? "FAILED" : "ok", fuzz_diags);
	return bad;
}

#endif
