/* SPDX-License-Identifier: MIT */
/*
 * drivers/nvme/nvme_regs.h - NVMe controller registers, queue entries and
 * opcodes, named as in the NVM Express Base Specification 1.4 (section 3.1
 * controller registers, 4.2/4.6 submission and completion queue entries,
 * 5 admin commands, NVM command set 6).  Facts only; checked against QEMU
 * hw/nvme (the device the QEMU runs use).
 */
#ifndef COHERENT_DRIVERS_NVME_REGS_H
#define COHERENT_DRIVERS_NVME_REGS_H

#include <stdint.h>

/* controller registers (BAR0) */
#define NVME_REG_CAP	0x00	/* 64-bit: capabilities */
#define NVME_REG_VS	0x08
#define NVME_REG_INTMS	0x0c
#define NVME_REG_INTMC	0x10
#define NVME_REG_CC	0x14
#define NVME_REG_CSTS	0x1c
#define NVME_REG_AQA	0x24
#define NVME_REG_ASQ	0x28	/* 64-bit */
#define NVME_REG_ACQ	0x30	/* 64-bit */
#define NVME_REG_DBS	0x1000	/* doorbells: (2 qid + {0 SQ tail, 1 CQ head}) << (2 + DSTRD) */

/* CAP */
#define NVME_CAP_MQES(c)	((uint32_t)((c) & 0xffff))	/* max queue entries - 1 */
#define NVME_CAP_TO(c)		((uint32_t)(((c) >> 24) & 0xff))	/* ready timeout, 500 ms units */
#define NVME_CAP_DSTRD(c)	((uint32_t)(((c) >> 32) & 0xf))
#define NVME_CAP_CSS_NVM(c)	((((c) >> 37) & 1) != 0)
#define NVME_CAP_MPSMIN(c)	((uint32_t)(((c) >> 48) & 0xf))	/* 2^(12 + n) */

/* CC */
#define NVME_CC_EN		(1u << 0)
#define NVME_CC_CSS_NVM		(0u << 4)
#define NVME_CC_MPS(n)		((uint32_t)(n) << 7)	/* page 2^(12 + n) */
#define NVME_CC_AMS_RR		(0u << 11)
#define NVME_CC_SHN_NORMAL	(1u << 14)
#define NVME_CC_SHN_MASK	(3u << 14)
#define NVME_CC_IOSQES(n)	((uint32_t)(n) << 16)	/* SQ entry 2^n bytes */
#define NVME_CC_IOCQES(n)	((uint32_t)(n) << 20)

/* CSTS */
#define NVME_CSTS_RDY		(1u << 0)
#define NVME_CSTS_CFS		(1u << 1)	/* controller fatal status */
#define NVME_CSTS_SHST_MASK	(3u << 2)
#define NVME_CSTS_SHST_DONE	(2u << 2)

/* admin opcodes */
#define NVME_ADM_DELETE_SQ	0x00
#define NVME_ADM_CREATE_SQ	0x01
#define NVME_ADM_DELETE_CQ	0x04
#define NVME_ADM_CREATE_CQ	0x05
#define NVME_ADM_IDENTIFY	0x06
#define NVME_ADM_SET_FEATURES	0x09
#define NVME_FEAT_NUM_QUEUES	0x07
#define NVME_CNS_NS		0x00
#define NVME_CNS_CTRL		0x01

/* NVM opcodes */
#define NVME_CMD_FLUSH		0x00
#define NVME_CMD_WRITE		0x01
#define NVME_CMD_READ		0x02

/* Create I/O queue flags (CDW11) */
#define NVME_QUEUE_PC		(1u << 0)	/* physically contiguous */

/* Identify controller / namespace byte offsets */
#define NVME_IDC_SN		4	/* 20 ASCII bytes */
#define NVME_IDC_MN		24	/* 40 ASCII bytes */
#define NVME_IDC_MDTS		77	/* max transfer 2^n min pages, 0: none */
#define NVME_IDC_SQES		512
#define NVME_IDC_CQES		513
#define NVME_IDC_NN		516	/* 32-bit: namespaces */
#define NVME_IDC_VWC		525	/* bit 0: volatile write cache present */
#define NVME_IDN_NSZE		0	/* 64-bit: size in logical blocks */
#define NVME_IDN_FLBAS		26	/* bits 3:0: LBA format in use */
#define NVME_IDN_LBAF		128	/* 4 bytes each: LBADS bits 23:16 */

/* A submission queue entry (64 bytes, little-endian fields). */
struct nvme_sqe {
	uint32_t cdw0;		/* opcode 7:0, fuse 9:8, PSDT 15:14 (0: PRPs), CID 31:16 */
	uint32_t nsid;
	uint32_t cdw2, cdw3;
	uint64_t mptr;
	uint64_t prp1;
	uint64_t prp2;
	uint32_t cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};

/* A completion queue entry (16 bytes). */
struct nvme_cqe {
	uint32_t dw0;		/* command specific */
	uint32_t dw1;
	uint32_t dw2;		/* SQ head 15:0, SQ id 31:16 */
	uint32_t dw3;		/* CID 15:0, phase 16, status field 31:17 */
};

#define NVME_CQE_CID(dw3)	((uint16_t)((dw3) & 0xffff))
#define NVME_CQE_PHASE(dw3)	(((dw3) >> 16) & 1u)
#define NVME_CQE_STATUS(dw3)	((uint16_t)((dw3) >> 17))	/* SC 7:0, SCT 10:8, CRD, M, DNR 14 */
#define NVME_SC(st)		((st) & 0xff)
#define NVME_SCT(st)		(((st) >> 8) & 7)
#define NVME_CQE_SQHD(dw2)	((uint16_t)((dw2) & 0xffff))
#define NVME_CQE_SQID(dw2)	((uint16_t)((dw2) >> 16))

/* generic command status (SCT 0) values the driver tells apart */
#define NVME_SC_SUCCESS		0x00
#define NVME_SC_INVALID_OPCODE	0x01
#define NVME_SC_INVALID_FIELD	0x02
#define NVME_SC_CID_CONFLICT	0x03
#define NVME_SC_DATA_XFER	0x04
#define NVME_SC_INVALID_NS	0x0b
#define NVME_SC_LBA_RANGE	0x80
#define NVME_SC_CAP_EXCEEDED	0x81
#define NVME_SCT_GENERIC	0
#define NVME_SCT_CMD_SPECIFIC	1
#define NVME_SCT_MEDIA		2

#endif
