/* SPDX-License-Identifier: MIT */
/*
 * The recording backend's log as a string of operation letters (see
 * coh_arch.h), compared by the host tests that assert maintenance op by
 * op: REC_CHECK_OPS("CCB", return) fails the current test (harness.h) and
 * runs the given statement when the calls since the last rec_n = 0 did
 * anything else.
 */
#ifndef COHERENT_TEST_RECORD_OPS_H
#define COHERENT_TEST_RECORD_OPS_H

#include <stdio.h>
#include <string.h>

static char rec_seq[REC_MAX + 1];

static inline const char *rec_ops(void)
{
	size_t n = rec_n < REC_MAX ? rec_n : REC_MAX;

	for (size_t i = 0; i < n; i++)
		rec_seq[i] = rec_log[i].op;
	rec_seq[n] = 0;
	return rec_seq;
}

#define REC_CHECK_OPS(want, on_failure)                                        \
	do {                                                                   \
		if (strcmp(rec_ops(), (want))) {                               \
			printf("%s:%d: recorded \"%s\", want \"%s\"\n", __FILE__, \
			       __LINE__, rec_seq, (want));                     \
			th_cur_failed = 1;                                     \
			on_failure;                                            \
		}                                                              \
	} while (0)

#endif
