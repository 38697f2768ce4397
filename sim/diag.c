/* SPDX-License-Identifier: MIT */
/*
 * sim/diag.c - the simulator's default diagnostic handler.
 *
 * The library never prints (it is freestanding), so a refused call is
 * silent until someone installs coh_set_diag_handler().  On the simulator
 * that someone is sim_init: a first port on the host should see why its
 * 638th dma_map_single failed without knowing the hook exists.  A handler
 * the program installed first is kept; SIM_F_NO_DIAG keeps the library
 * silent; any later coh_set_diag_handler() replaces this one.
 */
#include <stdio.h>

#include "sim_internal.h"

#define DIAG_MAX 100	/* per process: a loop of refusals must not bury the test's output */

static unsigned long printed;

void sim_diag_stderr(const struct coh_where *where, const char *msg, int err)
{
	if (printed >= DIAG_MAX)
		return;
	if (where && where->file)
		fprintf(stderr, "coherent: %s:%d%s%s%s: %s", sim__base_name(where->file),
			where->line, where->func ? " (" : "", where->func ? where->func : "",
			where->func ? ")" : "", msg);
	else
		/* release builds pass no site: say so instead of a bare ?:0 */
		fprintf(stderr, "coherent: ?:0 (call site not recorded: the caller or the library was built with COH_DEBUG=0/NDEBUG): %s",
			msg);
	if (err)
		fprintf(stderr, " (%s)", coh_strerror(err));
	fputc('\n', stderr);
	if (++printed == DIAG_MAX)
		fprintf(stderr, "coherent: further diagnostics not printed\n");
}

void sim__diag_install(void)
{
	coh_diag_fn old = coh_set_diag_handler(NULL);

	if (!old && !(S.cfg.flags & SIM_F_NO_DIAG))
		old = sim_diag_stderr;
	coh_set_diag_handler(old);
}
