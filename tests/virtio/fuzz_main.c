/* SPDX-License-Identifier: MIT */
/*
 * A fixed-seed slice of the virtio fuzz harness without libFuzzer (make
 * test, GCC, ASan + UBSan): `fuzz_virtio_slice N SEED` runs N inputs of
 * pseudo-random bytes (lengths 1 to 600).
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000;
	uint64_t s = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
	static uint8_t buf[600];

	for (unsigned long i = 0; i < n; i++) {
		size_t len;

		s = s * 6364136223846793005ull + 1442695040888963407ull;
		len = 1 + (size_t)(s >> 33) % sizeof(buf);
		for (size_t k = 0; k < len; k++) {
			s = s * 6364136223846793005ull + 1442695040888963407ull;
			buf[k] = (uint8_t)(s >> 56);
		}
		LLVMFuzzerTestOneInput(buf, len);
	}
	printf("fuzz_virtio_slice: %lu inputs, no finding\n", n);
	return 0;
}
