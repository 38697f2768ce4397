/* SPDX-License-Identifier: MIT */
#include "internal.h"
#include "coherent/version.h"

_Static_assert(COH_VERSION_MAJOR < 100 && COH_VERSION_MINOR < 100 && COH_VERSION_PATCH < 100,
	       "COH_VERSION packs each part in two decimal digits");

int coh_version(void)
{
	return COH_VERSION;
}

const char *coh_version_string(void)
{
	return COH_VERSION_STRING;
}
