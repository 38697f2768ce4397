/* SPDX-License-Identifier: MIT */
/* tests/virtio/sha256.h - SHA-256 (FIPS 180-4), incremental, for test images. */
#ifndef COHERENT_TESTS_SHA256_H
#define COHERENT_TESTS_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;
	uint8_t buf[64];
	size_t fill;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *p, size_t n);
/* hex: 65 bytes (64 digits and a NUL) */
void sha256_hex(const struct sha256 *s, char *hex);

#endif
