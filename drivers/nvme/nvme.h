/* SPDX-License-Identifier: MIT */
/*
 * drivers/nvme/nvme.h - an NVMe driver over the public coherent/ API: one
 * admin queue pair, one I/O queue pair with several commands in flight,
 * Read / Write / Flush with PRP1, PRP2 and PRP lists, polled completions
 * with the phase tag.  The controller is reached through its BAR0 (found
 * by platform/pcie on a board, a simulator window on the host); the
 * driver knows nothing of PCI.
 *
 * Memory: every queue, the PRP list pages and the Identify page are
 * coherent allocations of the device (page-aligned, as NVMe wants queue
 * bases and as the lists need); data buffers are the caller's, mapped per
 * command (streaming: bounced when not reachable, not 4-byte aligned or,
 * for reads, sharing cache lines at their edges).  The submission queue is
 * a coherent/queue.h index-published queue whose index is the SQ tail
 * doorbell; the completion queue is a coherent/cq.h phase-tag queue over a
 * typed array the device writes (the library polls the tag, orders it
 * before the entry, and gives the driver a snapshot to decode).
 *
 * Everything the device writes is untrusted: a completion's command id
 * (in range and in flight), SQ id and SQ head (coh_queue_consumed) are
 * checked on the snapshot before anything is used; a bad
 * one is counted, the controller is disabled (it stops DMA), every command
 * in flight is unmapped and failed, and the driver refuses work until
 * nvme_recover().  Polls are bounded (poll_budget reads, relax() between).
 *
 * Errors (negative, coherent/error.h): -COH_EINVAL caller error (nothing
 * submitted), -COH_ERANGE LBA range beyond the namespace, -COH_EAGAIN
 * queue full (retry after a completion), -COH_ENOMEM no mapping record or
 * bounce space (retryable), -COH_EIO the controller failed the command
 * (status in nvme_done.status) or reported fatal status (CSTS.CFS),
 * -COH_ENOTSUP the controller lacks what the driver needs, -COH_EPROTO the
 * device broke the protocol, -COH_ETIMEDOUT no answer within the budget.
 * Not for interrupt context: every call polls; one caller at a time.
 */
#ifndef COHERENT_DRIVERS_NVME_H
#define COHERENT_DRIVERS_NVME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "coherent/coherent.h"
#include "nvme_regs.h"

#define NVME_PAGE		4096u	/* memory page size the driver programs (CC.MPS 0) */
#define NVME_ADMIN_QD		2u	/* admin queue entries: one command at a time, the phase wraps every 2 */
#define NVME_IO_QD_MAX		32u	/* I/O queue entries at most (depth - 1 in flight) */
#define NVME_PRP_ENTRIES	512u	/* one list page per I/O slot: up to 513 pages */
#define NVME_MAX_XFER		(1u << 20)	/* bytes per command at most (and MDTS) */

COH_DECLARE_SHARED(nvme_cq_mem, struct nvme_cqe);
COH_DECLARE_SHARED(nvme_u64_mem, uint64_t);
COH_DECLARE_SHARED(nvme_byte_mem, uint8_t);

/* The driver's own record of one command slot (never read back from the device). */
struct nvme_cmd {
	bool busy;		/* submitted, not completed */
	uint8_t dir;		/* enum coh_dir of the data mapping */
	uint16_t nlist;		/* PRP list entries used */
	coh_bus_t bus;		/* data mapping; len 0: none */
	size_t len;
	void *tag;		/* the caller's */
};

struct nvme_q {
	uint16_t qid, depth;
	struct coh_queue sq;		/* CPU produces; its index is the tail doorbell */
	struct nvme_cq_mem cq;		/* device produces: the entries */
	struct coh_cq cqp;		/* ... and the phase-tag protocol over them */
	volatile void *sq_db, *cq_db;
	struct coh_batch b;		/* the next command's maps and list, released with its SQE */
	uint16_t inflight;
	struct nvme_cmd cmd[NVME_IO_QD_MAX];
};

struct nvme_counters {
	unsigned long submitted, completed;
	unsigned long errors;		/* commands the controller failed (status != 0) */
	unsigned long bad_cid;		/* completion for an id out of range or not in flight */
	unsigned long bad_sqid;		/* completion naming another SQ */
	unsigned long bad_sqhd;		/* SQ head outside what was submitted */
	unsigned long timeouts;
	unsigned long fatal;		/* CSTS.CFS seen */
	unsigned long resets;
};

/* One completed command (nvme_poll / nvme_wait). */
struct nvme_done {
	void *tag;		/* as given to nvme_submit */
	int rc;			/* 0, or the code its status maps to */
	uint16_t status;	/* NVMe status field (SC 7:0, SCT 10:8, DNR 14) */
	uint32_t result;	/* CQE DW0 */
};

struct nvme {
	volatile uint8_t *regs;
	struct coh_device *dev;
	uint64_t cap;
	uint32_t vs;
	unsigned int dstrd;
	unsigned int attrs;		/* queue memory: 0 or COH_ATTR_UNCACHED */
	unsigned int io_depth;
	uint32_t poll_budget;		/* reads per wait (init: given, or a default) */
	void (*relax)(void *ctx);	/* between two polls, may be NULL */
	void *relax_ctx;
	struct nvme_q aq, ioq;
	struct nvme_u64_mem prp;	/* io_depth pages of PRP list */
	struct nvme_byte_mem id;	/* the Identify page */
	uint32_t max_xfer;		/* bytes per command */
	uint64_t nsze;			/* namespace size, logical blocks */
	unsigned int lba_shift;		/* log2 of the logical block size */
	uint32_t nsid;
	bool vwc;			/* volatile write cache: Flush matters */
	char sn[21], mn[41];
	bool dead;			/* protocol error or fatal status: nvme_recover() */
	struct nvme_counters cnt;
};

enum nvme_op { NVME_OP_READ, NVME_OP_WRITE, NVME_OP_FLUSH };

/*
 * Reset and enable the controller at regs for dev, create the admin queues,
 * identify the controller and namespace 1, create one I/O queue pair of
 * io_depth entries (2..NVME_IO_QD_MAX, at most CAP.MQES + 1).  attrs: 0
 * (queues in cached memory) or COH_ATTR_UNCACHED.  budget: reads per wait
 * (0: 1,000,000); relax (may be NULL) runs with relax_ctx between two
 * reads of every wait, this one's included.  The device's min_align becomes at least 4 (PRP1 is
 * dword-aligned); queues are allocated page-aligned.
 * Returns 0; -COH_EINVAL; -COH_ENOTSUP (no NVM command set, pages of 4 KiB
 * not allowed, entry sizes); -COH_ETIMEDOUT (CSTS.RDY); -COH_EIO (CFS, an
 * admin command failed); -COH_EPROTO; allocation errors.  On error nothing
 * stays allocated and the controller is disabled.
 */
int nvme_init(struct nvme *n, void *regs, struct coh_device *dev,
	      unsigned int io_depth, unsigned int attrs, uint32_t budget,
	      void (*relax)(void *ctx), void *relax_ctx);

/*
 * Submit one command on the I/O queue: READ or WRITE of nlb logical blocks
 * at lba from/to buf (contiguous, any alignment, nlb << lba_shift bytes at
 * most max_xfer), or FLUSH (buf NULL, nlb 0).  Ownership: the device owns
 * buf until the command completes (nvme_poll / nvme_wait); the caller must
 * not touch it.  Returns the command id (>= 0); -COH_EINVAL, -COH_ERANGE,
 * -COH_EAGAIN (depth - 1 in flight), -COH_ENOMEM, -COH_EIO (dead).
 */
int nvme_submit(struct nvme *n, enum nvme_op op, uint64_t lba, void *buf,
		uint32_t nlb, void *tag);

/*
 * One look at the I/O completion queue: 1 and *d filled when a command
 * completed (its buffer the caller's again), 0 when none has.  A protocol
 * error or fatal status: the negative code (every command in flight failed
 * and unmapped, the driver dead until nvme_recover()).
 */
int nvme_poll(struct nvme *n, struct nvme_done *d);

/* nvme_poll() until a completion, at most poll_budget times: -COH_ETIMEDOUT
 * after (the controller is then disabled and everything in flight failed). */
int nvme_wait(struct nvme *n, struct nvme_done *d);

/* Synchronous forms (nothing else in flight): submit, wait, status. */
int nvme_read(struct nvme *n, uint64_t lba, void *buf, uint32_t nlb);
int nvme_write(struct nvme *n, uint64_t lba, const void *buf, uint32_t nlb);
int nvme_flush(struct nvme *n);

/* Commands in flight on the I/O queue. */
static inline unsigned int nvme_inflight(const struct nvme *n)
{
	return n->ioq.inflight;
}

/* Disable the controller, fail and unmap everything in flight, free the
 * queues and initialise again with the same parameters. */
int nvme_recover(struct nvme *n);

/*
 * Clean shutdown: delete the I/O queues, CC.SHN normal, wait for
 * CSTS.SHST complete, disable, free everything.  Commands still in flight
 * are failed first.  Returns 0, -COH_ETIMEDOUT (shutdown not confirmed:
 * the controller is disabled and the memory freed all the same), -COH_EINVAL.
 */
int nvme_shutdown(struct nvme *n);

/* The code a status field maps to (0 for success). */
int nvme_status_rc(uint16_t status);

#endif
