/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/rect.h - the two-dimensional release and acquire: a dirty
 * rectangle of a framebuffer.
 *
 * A frame is megabytes the CPU draws into and a DMA engine reads (a display
 * controller's scan-out, a GPU's transfer), or a capture engine writes and
 * the CPU reads.  Per update only a rectangle changes.  Releasing the whole
 * frame costs every line of it; releasing row by row costs a barrier per
 * row.  coh_release_rect() maintains exactly the lines each row of the
 * rectangle spans (a line two rows share once), under one barrier.
 *
 * Memory the CPU maps uncached or write-combining (a coh_region with
 * COH_REGION_UNCACHED or COH_REGION_WC holding the whole rectangle) needs
 * no line operation: the call is then the barrier alone, which drains the
 * write-combining buffers before the MMIO write that starts the device.
 * A coherent device (COH_DEV_COHERENT) likewise costs the barrier only.
 *
 * Errors (every call here):
 *   -COH_EINVAL    dev, f or r NULL; f->base NULL; f->bpp 0; f->width * bpp
 *                  above f->pitch (rows would overlap); a batch of
 *                  another device
 *   -COH_ERANGE    the rectangle is not inside the frame (x + w > width or
 *                  y + h > height)
 *   -COH_EOVERFLOW the frame's size or an address in it wraps
 *   -COH_ENOTSUP, -COH_ENODEV, -COH_EFAULT as coh_release() (coherent/fence.h)
 *   a batch's kept failure (coherent/fence.h, struct coh_batch)
 * None is retryable; on error no line has been maintained and a batch has
 * not been touched.  A rectangle of width or height 0 is a no-op (0).
 *
 * Ownership: release and acquire change none (a frame scanned out
 * continuously is read at any time: the driver's protocol says when the
 * CPU may draw); coh_give_rect() hands the rectangle to the device for one
 * transfer and coh_take_rect() takes it back, so that the checker (the
 * simulator) sees drawing while the device reads.
 * Interrupt context: yes (no allocation; no lock, except the ownership
 * table's in debug builds for coh_give_rect()/coh_take_rect(), as
 * coh_give()); a batch, as ever, is one thread's.
 */
#ifndef COHERENT_RECT_H
#define COHERENT_RECT_H

#include "coherent/fence.h"

/** A framebuffer in CPU memory: rows of pixels, pitch bytes apart. */
struct coh_frame {
	void *base;		/**< CPU address of pixel (0, 0) */
	size_t pitch;		/**< bytes from one row to the next (>= width * bpp) */
	uint32_t width;		/**< pixels per row */
	uint32_t height;	/**< rows */
	uint32_t bpp;		/**< bytes per pixel (4 for 32 bpp) */
};

/** A rectangle of a frame, in pixels. */
struct coh_rect {
	uint32_t x;		/**< first column */
	uint32_t y;		/**< first row */
	uint32_t w;		/**< columns */
	uint32_t h;		/**< rows */
};

/**
 * @brief Make the CPU's drawing in rectangle r of frame f visible to dev.
 *
 * Cleans the lines rows y..y+h-1 of columns x..x+w-1 span (each line
 * once), then one barrier that orders the cleaning before later MMIO (the
 * transfer or flush command's doorbell).  With b non-NULL the line
 * operations join the batch and its coh_batch_end() (or the publish that
 * takes it) is the barrier: several rectangles, one barrier.
 * Ownership: unchanged.  Interrupt context: yes.
 * @retval 0 success (also for an empty rectangle)
 * @retval -COH_EINVAL, -COH_ERANGE, -COH_EOVERFLOW, -COH_ENOTSUP,
 *         -COH_ENODEV, -COH_EFAULT, a batch's failure: see the header
 *         comment; nothing was maintained
 */
#define coh_release_rect(dev, f, r, b) coh_release_rect_at((dev), (f), (r), (b), COH_HERE)
/** @brief coh_release_rect() with the call site explicit (what the macro
 * passes: COH_HERE); same errors, ownership effect and context. */
int coh_release_rect_at(struct coh_device *dev, const struct coh_frame *f,
			const struct coh_rect *r, struct coh_batch *b,
			const struct coh_where *where);

/**
 * @brief Make what dev wrote into rectangle r of frame f (a capture
 * engine's frame) visible to CPU reads.
 *
 * Invalidates the lines the rectangle's rows span; a line holding bytes
 * outside the rectangle (a row's partial edge, or the gap between two rows
 * sharing a line) is cleaned and invalidated instead, never plainly
 * invalidated, so CPU data next to the rectangle survives.  One barrier
 * (or the batch's, b non-NULL).
 * @note Destructive as coh_acquire(): CPU writes inside the rectangle's
 *       whole lines that were not written back are discarded.
 * Ownership: unchanged.  Interrupt context: yes.
 * @retval 0 success (also for an empty rectangle)
 * @retval errors as coh_release_rect()
 */
#define coh_acquire_rect(dev, f, r, b) coh_acquire_rect_at((dev), (f), (r), (b), COH_HERE)
/** @brief coh_acquire_rect() with the call site explicit (what the macro
 * passes: COH_HERE); same errors, ownership effect and context. */
int coh_acquire_rect_at(struct coh_device *dev, const struct coh_frame *f,
			const struct coh_rect *r, struct coh_batch *b,
			const struct coh_where *where);

/**
 * @brief Hand rectangle r of frame f to dev for a transfer in direction
 * dir: a display engine's copy or scan-out of it (COH_TO_DEVICE: its lines
 * cleaned, as coh_release_rect()), or a capture engine's write into it
 * (COH_FROM_DEVICE, COH_BIDIRECTIONAL: cleaned and invalidated, so no
 * dirty line can later be evicted over the device's pixels).
 *
 * Ownership: after the call the device owns the rectangle's bytes, row by
 * row (not the gaps between rows); the CPU must not draw into them until
 * coh_take_rect().  The simulator reports a store to them (drawing while
 * the device reads) and a device access outside them.
 * Interrupt context: yes (debug builds: the ownership table's lock).
 * @retval 0 success (also for an empty rectangle)
 * @retval -COH_EINVAL an unknown direction; others as coh_release_rect()
 */
#define coh_give_rect(dev, f, r, dir, b) coh_give_rect_at((dev), (f), (r), (dir), (b), COH_HERE)
/** @brief coh_give_rect() with the call site explicit (what the macro
 * passes: COH_HERE); same errors, ownership effect and context. */
int coh_give_rect_at(struct coh_device *dev, const struct coh_frame *f,
		     const struct coh_rect *r, enum coh_dir dir, struct coh_batch *b,
		     const struct coh_where *where);

/**
 * @brief Take rectangle r of frame f back from dev after a transfer in
 * direction dir (as given).  COH_TO_DEVICE: no line operation and no
 * barrier (the device only read); the others: as coh_acquire_rect().
 *
 * Ownership: the CPU owns the rectangle's bytes again and may draw.
 * Interrupt context: yes (debug builds: the ownership table's lock).
 * @retval 0 success (also for an empty rectangle)
 * @retval -COH_EINVAL an unknown direction; others as coh_release_rect()
 */
#define coh_take_rect(dev, f, r, dir, b) coh_take_rect_at((dev), (f), (r), (dir), (b), COH_HERE)
/** @brief coh_take_rect() with the call site explicit (what the macro
 * passes: COH_HERE); same errors, ownership effect and context. */
int coh_take_rect_at(struct coh_device *dev, const struct coh_frame *f,
		     const struct coh_rect *r, enum coh_dir dir, struct coh_batch *b,
		     const struct coh_where *where);

#endif /* COHERENT_RECT_H */
