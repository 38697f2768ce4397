/* SPDX-License-Identifier: MIT */
/* tests/core - the portable core suite, run on the host and every target. */
#ifndef COHERENT_TEST_CORE_SUITES_H
#define COHERENT_TEST_CORE_SUITES_H

void suite_fence(void);
void suite_mem(void);
void suite_stream(void);
void suite_driver(void);

#endif
