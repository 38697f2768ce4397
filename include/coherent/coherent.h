/* SPDX-License-Identifier: MIT */
/* coherent/coherent.h - everything a driver needs. */
#ifndef COHERENT_COHERENT_H
#define COHERENT_COHERENT_H

#include "coherent/types.h"
#include "coherent/device.h"
#include "coherent/fence.h"
#include "coherent/mmio.h"
#include "coherent/stream.h"

#endif /* COHERENT_COHERENT_H */
