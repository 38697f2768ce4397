/* SPDX-License-Identifier: MIT */
/*
 * COH_BOX(T) is a type of its own (issue 19 item 6).  Compiled, not run, by
 * tests/typed/compile_fail.sh: CASE 0 is the correct use and must compile;
 * every other CASE is one misuse and must fail to compile, for the reason
 * the script greps for (so it cannot pass by failing for another reason).
 */
#include "coherent/coherent.h"

struct desc {
	uint32_t addr, len;
};

int box_type_case(struct coh_device *dev);

int box_type_case(struct coh_device *dev)
{
	COH_BOX(struct desc) box;
	COH_SHARED(struct desc) ring;
	int rc = coh_box_alloc(&box, dev, 4, 0);

	if (rc)
		return rc;
	coh_box_ptr(&box)[0] = (struct desc){ 0x1000, 64 };
	(void)coh_box_init_at(&box, 1, ((struct desc){ 0x2000, 64 }));
#if CASE == 0
	rc = coh_box_share(&box, &ring);
	if (!rc)
		rc = (int)coh_read(&ring, [1].len);
	return rc ? rc : coh_free(&ring);
#elif CASE == 1
	/* a box where shared memory is expected: an accessor */
	return (int)coh_read(&box, [0].len);
#elif CASE == 2
	/* a shared handle through a box accessor */
	(void)ring;
	return coh_box_ptr(&ring) != NULL;
#elif CASE == 3
	/* sharing into a handle of another type */
	{
		COH_SHARED(uint32_t) words;

		(void)ring;
		return coh_box_share(&box, &words);
	}
#elif CASE == 4
	/* a box where shared memory is expected: a bulk copy */
	{
		struct desc d = { 0, 0 };

		(void)ring;
		return coh_put(&box, 0, 1, &d);
	}
#elif CASE == 5
	/* sharing without a handle to receive the memory (the old in-place form) */
	(void)ring;
	return coh_box_share(&box);
#elif CASE == 6
	/* a box where shared memory is expected: dump */
	{
		unsigned char b[8];

		(void)ring;
		return (int)coh_dump(&box, 0, b, sizeof(b));
	}
#else
#error "unknown CASE"
#endif
}
