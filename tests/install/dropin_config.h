/* SPDX-License-Identifier: MIT */
/* A kernel's one config header for the drop-in build (COH_USER_CONFIG). */
#define COH_MAX_LINE 256
#define COH_CHECK_MAPS 64
