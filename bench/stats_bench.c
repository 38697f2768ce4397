/* SPDX-License-Identifier: MIT */
/*
 * bench/stats_bench.c - what the statistics cost a coherent device's fence
 * calls (coh_release + coh_acquire, each a barrier alone on x86): ns per
 * call on one thread, and per call per thread with two threads using one
 * device (where a shared counter makes both CPUs write one cache line).
 * Built twice (bench/CMakeLists.txt): against the library as a release
 * build ships it and with COH_STATS=0; bench/stats_rows.py runs the two
 * interleaved and prints the ratio.
 *
 * usage: stats_bench <calls per thread>   prints "<ns 1 thread> <ns 2 threads>"
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "coherent/coherent.h"
#include "bench.h"

static struct coh_device dev;
static unsigned char buf[256] __attribute__((aligned(128)));
static long calls;
static pthread_barrier_t start;

static void loop(void)
{
	for (long i = 0; i < calls; i++) {
		coh_release(&dev, buf, 64);
		coh_acquire(&dev, buf, 64);
	}
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&start);
	loop();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[2];
	double t0, one, two;

	calls = argc > 1 ? atol(argv[1]) : 2000000;
	if (calls <= 0 || coh_device_init(&dev, "coherent", COH_DEV_COHERENT))
		return 2;
	loop();	/* warm */
	t0 = bench_now();
	loop();
	one = (bench_now() - t0) / (double)calls / 2;
	pthread_barrier_init(&start, NULL, 3);
	for (int k = 0; k < 2; k++)
		pthread_create(&t[k], NULL, worker, NULL);
	pthread_barrier_wait(&start);
	t0 = bench_now();
	for (int k = 0; k < 2; k++)
		pthread_join(t[k], NULL);
	two = (bench_now() - t0) / (double)calls / 2;
	printf("%.3f %.3f\n", one * 1e9, two * 1e9);
	return 0;
}
