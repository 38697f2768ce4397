/* SPDX-License-Identifier: MIT */
/*
 * tests/harness.h - the smallest test harness that runs on a host and on a
 * bare-metal target with semihosted printf.  Silent on success, file:line on
 * failure; th_finish() prints "<target>: N passed, M failed".
 */
#ifndef COHERENT_TEST_HARNESS_H
#define COHERENT_TEST_HARNESS_H

#include <stdio.h>
#include <stdint.h>

extern int th_pass, th_fail, th_cur_failed;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
			       #cond);                                         \
			th_cur_failed = 1;                                     \
			return;                                                \
		}                                                              \
	} while (0)

#define CHECK_EQ(a, b)                                                         \
	do {                                                                   \
		long long a_ = (long long)(a), b_ = (long long)(b);            \
		if (a_ != b_) {                                                \
			printf("%s:%d: CHECK_EQ failed: %s == %s (%lld != %lld)\n", \
			       __FILE__, __LINE__, #a, #b, a_, b_);            \
			th_cur_failed = 1;                                     \
			return;                                                \
		}                                                              \
	} while (0)

#define RUN(fn)                                                                \
	do {                                                                   \
		th_cur_failed = 0;                                             \
		fn();                                                          \
		if (th_cur_failed) {                                           \
			th_fail++;                                             \
			printf("FAIL %s\n", #fn);                              \
		} else {                                                       \
			th_pass++;                                             \
		}                                                              \
	} while (0)

#define TH_DEFINE_COUNTERS int th_pass, th_fail, th_cur_failed

static inline int th_finish(const char *target)
{
	printf("%s: %d passed, %d failed\n", target, th_pass, th_fail);
	return th_fail ? 1 : 0;
}

#endif
