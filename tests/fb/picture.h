/* SPDX-License-Identifier: MIT */
/*
 * tests/fb/picture.h - the drawing the framebuffer tests share, on QEMU and
 * on the simulator: a picture of packed RGB pixels drawn in several partial
 * updates, and the one rectangle that changes afterwards.
 */
#ifndef COHERENT_TESTS_FB_PICTURE_H
#define COHERENT_TESTS_FB_PICTURE_H

#include "../drivers/fb/fb.h"

/*
 * Draw rgb (fb's width x height, 3 bytes a pixel) into fb: a left band of
 * odd width, then the rest in rows of uneven height, each rectangle
 * updated as soon as it is drawn.  0 or the first failure.
 */
int pic_draw(struct fb *fb, const uint8_t *rgb);

/* The rectangle the second step inverts (inside the frame, not empty). */
struct coh_rect pic_second(uint32_t width, uint32_t height);

#endif
