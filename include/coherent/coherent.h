/* SPDX-License-Identifier: MIT */
/** @file coherent/coherent.h - everything a driver needs. */
#ifndef COHERENT_COHERENT_H
#define COHERENT_COHERENT_H

#include "coherent/types.h"
#include "coherent/device.h"
#include "coherent/fence.h"
#include "coherent/mmio.h"
#include "coherent/region.h"
#include "coherent/mem.h"
#include "coherent/lock.h"
#include "coherent/pool.h"
#include "coherent/ring.h"
#include "coherent/queue.h"
#include "coherent/cq.h"
#include "coherent/stream.h"
#include "coherent/driver.h"
#include "coherent/version.h"

#endif /* COHERENT_COHERENT_H */
