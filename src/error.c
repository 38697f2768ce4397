/* SPDX-License-Identifier: MIT */
#include "internal.h"

const char *coh_strerror(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case 0: return "OK";
	case COH_EIO: return "EIO";
	case COH_EAGAIN: return "EAGAIN";
	case COH_ENOMEM: return "ENOMEM";
	case COH_EFAULT: return "EFAULT";
	case COH_EBUSY: return "EBUSY";
	case COH_ENODEV: return "ENODEV";
	case COH_EINVAL: return "EINVAL";
	case COH_ERANGE: return "ERANGE";
	case COH_EPROTO: return "EPROTO";
	case COH_EOVERFLOW: return "EOVERFLOW";
	case COH_ENOTSUP: return "ENOTSUP";
	case COH_ENOLINK: return "ENOLINK";
	case COH_ETIMEDOUT: return "ETIMEDOUT";
	default: return "E?";
	}
}

static coh_diag_fn coh__diag_fn;

coh_diag_fn coh_set_diag_handler(coh_diag_fn fn)
{
	return __atomic_exchange_n(&coh__diag_fn, fn, __ATOMIC_ACQ_REL);
}

void coh__diag(const struct coh_where *where, const char *msg, int err)
{
	coh_diag_fn fn = __atomic_load_n(&coh__diag_fn, __ATOMIC_ACQUIRE);

	if (fn)
		fn(where, msg, err);
}
