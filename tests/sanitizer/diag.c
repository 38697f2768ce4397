/* SPDX-License-Identifier: MIT */
/*
 * The simulator's default diagnostic handler (sim/diag.c): installed by
 * sim_init, prints the caller's line and the error on stderr, says why
 * when no site was recorded, never replaces a handler the program set,
 * can be replaced, and SIM_F_NO_DIAG keeps the library silent.
 * Silent on success, file:line on failure.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <coherent/coherent.h>
#include "sim.h"

static int failed;
#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c)) {                                                    \
			printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); \
			failed = 1;                                            \
		}                                                              \
	} while (0)

static char out[4096];
static FILE *cap;
static int saved;

/* stderr into a temporary file, until uncapture() reads it into out */
static void capture(void)
{
	fflush(stderr);
	cap = tmpfile();
	saved = dup(2);
	dup2(fileno(cap), 2);
}

static void uncapture(void)
{
	size_t n;

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(cap);
	n = fread(out, 1, sizeof(out) - 1, cap);
	out[n] = 0;
	fclose(cap);
}

static int mine;
static void my_handler(const struct coh_where *w, const char *msg, int err)
{
	(void)w;
	(void)msg;
	(void)err;
	mine++;
}

static int start(unsigned flags)
{
	struct sim_config cfg;

	sim_config_default(&cfg);
	cfg.flags = flags;
	return sim_init(&cfg);
}

int main(void)
{
	char want[64];
	unsigned char *p;
	int line;

	/* the default: installed by sim_init, the caller's line and the code */
	coh_set_diag_handler(NULL);
	CHECK(start(0) == 0);
	CHECK(sim_area(0, (void **)&p, NULL, NULL) == 0);
	capture();
	line = __LINE__ + 1;
	int rc = coh_release(NULL, p, 64);
	uncapture();
	CHECK(rc == -COH_EINVAL);
	snprintf(want, sizeof(want), "coherent: diag.c:%d (main): ", line);
	CHECK(strstr(out, want) != NULL);
	CHECK(strstr(out, "device is NULL (EINVAL)") != NULL);
	/* the messages say what was wrong */
	{
		static struct coh_region reg;
		struct coh_pool pool;
		struct coh_device dev;

		coh_device_init(&dev, "d", 0);
		capture();
		rc = coh_region_add(&reg, p, 0x80000000u, 0, 0);
		uncapture();
		CHECK(rc == -COH_ENOMEM);
		CHECK(strstr(out, "coh_region_add: region too small (ENOMEM)") != NULL);
		CHECK(strstr(out, "wraps") == NULL);
		capture();
		rc = coh_pool_create(&pool, &dev, "big", 64, 64, 0, SIZE_MAX / 2);
		uncapture();
		CHECK(rc == -COH_EINVAL);
		CHECK(strstr(out, "coh_pool_create: too many blocks") != NULL);
		CHECK(strstr(out, "zero block size") == NULL);
	}
	/* replaceable at any time after sim_init */
	CHECK(coh_set_diag_handler(my_handler) == sim_diag_stderr);
	capture();
	coh_release(NULL, p, 64);
	uncapture();
	CHECK(mine == 1 && out[0] == 0);
	sim_fini();

	/* a handler installed first is kept */
	mine = 0;
	CHECK(start(0) == 0);
	capture();
	coh_release(NULL, p, 64);
	uncapture();
	CHECK(mine == 1 && out[0] == 0);
	sim_fini();

	/* SIM_F_NO_DIAG: silent */
	coh_set_diag_handler(NULL);
	CHECK(start(SIM_F_NO_DIAG) == 0);
	capture();
	coh_release(NULL, p, 64);
	uncapture();
	CHECK(out[0] == 0);
	CHECK(coh_set_diag_handler(NULL) == NULL);
	sim_fini();

	/* no site recorded (a COH_DEBUG=0 caller or library): said so */
	capture();
	sim_diag_stderr(NULL, "some refusal", -COH_ERANGE);
	uncapture();
	CHECK(strstr(out, "coherent: ?:0 (call site not recorded") != NULL);
	CHECK(strstr(out, "COH_DEBUG=0") != NULL);
	CHECK(strstr(out, "some refusal (ERANGE)") != NULL);
	if (failed)
		return 1;
	return 0;
}
