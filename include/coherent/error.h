/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/error.h - error codes.
 *
 * Context: coh_strerror() runs in any context (a constant string).
 *
 * Every call that can fail returns 0 (or a count) on success and a negative
 * code from this list on failure: "return -COH_EINVAL".  The values are the
 * Linux/POSIX errno numbers, so they print the same in every log.  There is
 * no global error state.
 *
 * Retry semantics, the same everywhere:
 *   COH_EINVAL, COH_EOVERFLOW, COH_ERANGE, COH_EFAULT, COH_ENOTSUP,
 *   COH_ENODEV, COH_EPROTO  - will not succeed if retried unchanged;
 *   COH_ENOMEM, COH_EBUSY, COH_EAGAIN, COH_ENOLINK, COH_ETIMEDOUT - may
 *   succeed later.
 */
#ifndef COHERENT_ERROR_H
#define COHERENT_ERROR_H

#define COH_EIO        5  /**< device reported an error status */
#define COH_EAGAIN    11  /**< nothing ready yet (ring empty), try later */
#define COH_ENOMEM    12  /**< pool, region or bounce space exhausted */
#define COH_EFAULT    14  /**< address outside any known memory region */
#define COH_EBUSY     16  /**< memory is owned by the device / still mapped */
#define COH_ENODEV    19  /**< backend not configured (no controller base, no line size) */
#define COH_EINVAL    22  /**< bad argument: null, misaligned, wrong direction */
#define COH_ERANGE    34  /**< index or offset out of bounds */
#define COH_ENOLINK   67  /**< network link is down (a driver refuses to transmit) */
#define COH_EPROTO    71  /**< device broke the protocol (hostile descriptor) */
#define COH_EOVERFLOW 75  /**< size computation or address range wraps */
#define COH_ENOTSUP   95  /**< not possible on this backend (maintenance on a coherent-only backend) */
#define COH_ETIMEDOUT 110 /**< a device did not answer in time (register poll, reset) */

/** @brief Short name of an error code ("EINVAL"); accepts positive or negative. */
const char *coh_strerror(int err);

#endif /* COHERENT_ERROR_H */
