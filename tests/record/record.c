/* SPDX-License-Identifier: MIT */
#include "coherent/backend.h"

struct rec_event rec_log[REC_MAX];
size_t rec_n;
size_t rec_hw_line = 64;
int rec_fail;
