/* SPDX-License-Identifier: MIT */
#include "harness.h"
#include "suites.h"

#ifndef COH_TEST_TARGET
#define COH_TEST_TARGET "host"
#endif

TH_DEFINE_COUNTERS;

int main(void)
{
	suite_fence();
	suite_mem();
	suite_stream();
	suite_driver();
	return th_finish(COH_TEST_TARGET);
}
