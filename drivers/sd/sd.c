/* SPDX-License-Identifier: MIT */
/*
 * drivers/sd/sd.c - the SD card protocol over struct sd_host_ops
 * (sd.h).  Facts: SD Physical Layer Simplified Specification.
 */
#include "sd.h"

#include "coherent/error.h"

#define ACMD41_TRIES	1000	/* x 1 ms: the specification's 1 s */
#define BUSY_TRIES	10000	/* CMD13 polls after a write (x 100 us) */
#define ID_HZ		400000u
#define DATA_HZ		25000000u

uint32_t sd_bits(const uint32_t raw[4], unsigned int lo, unsigned int n)
{
	unsigned int w = lo / 32, sh = lo % 32;
	uint64_t v = raw[w] >> sh;

	if (sh + n > 32 && w < 3)
		v |= (uint64_t)raw[w + 1] << (32 - sh);
	return n >= 32 ? (uint32_t)v : (uint32_t)(v & ((1u << n) - 1));
}

/* TRAN_SPEED: unit 100 kbit/s .. 100 Mbit/s, mantissa x10 (Spec 5.3.2). */
static uint32_t tran_speed(uint32_t ts)
{
	static const uint32_t unit[4] = { 10000, 100000, 1000000, 10000000 };
	static const uint8_t mant[16] = { 0, 10, 12, 13, 15, 20, 25, 30,
					  35, 40, 45, 50, 55, 60, 70, 80 };

	if ((ts & 7) > 3)
		return 0;
	return unit[ts & 7] * mant[(ts >> 3) & 15];
}

int sd_csd_decode(const uint32_t raw[4], struct sd_csd *out)
{
	struct sd_csd c = { 0 };

	if (!raw || !out)
		return -COH_EINVAL;
	c.structure = sd_bits(raw, 126, 2);
	c.tran_speed_hz = tran_speed(sd_bits(raw, 96, 8));
	c.ccc = sd_bits(raw, 84, 12);
	c.read_bl_len = sd_bits(raw, 80, 4);
	if (c.structure == 0) {
		uint32_t csize = sd_bits(raw, 62, 12), mult = sd_bits(raw, 47, 3);

		/* 2 GiB cards say 1024 (10), 4 GiB ones 2048 (11) */
		if (c.read_bl_len < 9 || c.read_bl_len > 11)
			return -COH_EPROTO;
		c.capacity = ((uint64_t)csize + 1) << (mult + 2) << c.read_bl_len;
	} else if (c.structure == 1) {
		uint32_t csize = sd_bits(raw, 48, 22);

		if (c.read_bl_len != 9)
			return -COH_EPROTO;
		c.capacity = ((uint64_t)csize + 1) * (512u * 1024u);
	} else {
		return -COH_EPROTO;	/* v3 (SDUC) is not an SD memory card we know */
	}
	*out = c;
	return 0;
}

const char *sd_state_name(enum sd_state s)
{
	static const char *const n[] = { "idle", "ready", "ident", "stby", "tran",
					 "data", "rcv", "prg", "dis" };

	if ((unsigned)s < sizeof(n) / sizeof(n[0]))
		return n[s];
	return s == SD_ST_INA ? "ina" : "none";
}

static int cmd(struct sd_card *c, uint8_t op, uint32_t arg, enum sd_rsp rsp,
	       struct sd_cmd *out, const struct sd_data *data)
{
	struct sd_host *h = c->host;
	struct sd_cmd k = { .opcode = op, .rsp = (uint8_t)rsp, .arg = arg };
	int rc;

	c->cmds++;
	rc = h->ops->cmd(h->ctx, &k, data);
	if (out)
		*out = k;
	if (rc)
		c->errors++;
	return rc;
}

/*
 * An R1 (or R1b) answer to a command received in state `want`: error
 * bits are -COH_EIO (a CRC error the card saw) or -COH_EPROTO; a state
 * other than the one the card must have been in is -COH_EPROTO.  `alt`
 * is a second state allowed (the R1 of an auto-stop CMD12 may replace the
 * command's own), SD_ST_NONE for none.
 */
static int check_r1(struct sd_card *c, uint32_t r1, enum sd_state want, enum sd_state alt)
{
	enum sd_state st = (enum sd_state)SD_R1_STATE(r1);

	if (r1 & SD_R1_ERRORS) {
		c->errors++;
		return r1 & SD_R1_CRC_ERR ? -COH_EIO : -COH_EPROTO;
	}
	if (st != want && st != alt) {
		c->errors++;
		return -COH_EPROTO;
	}
	return 0;
}

static int r1_cmd(struct sd_card *c, uint8_t op, uint32_t arg, enum sd_rsp rsp,
		  enum sd_state want)
{
	struct sd_cmd k;
	int rc = cmd(c, op, arg, rsp, &k, NULL);

	return rc ? rc : check_r1(c, k.resp[0], want, SD_ST_NONE);
}

static int app_cmd(struct sd_card *c, enum sd_state st)
{
	struct sd_cmd k;
	int rc = cmd(c, 55, (uint32_t)c->rca << 16, SD_RSP_R1, &k, NULL);

	if (rc)
		return rc;
	rc = check_r1(c, k.resp[0], st, SD_ST_NONE);
	if (!rc && !(k.resp[0] & SD_R1_APP_CMD))
		rc = -COH_EPROTO;	/* the card did not take CMD55 */
	return rc;
}

static int identify(struct sd_card *c)
{
	struct sd_host *h = c->host;
	struct sd_cmd k;
	int rc, i;

	c->state = SD_ST_NONE;
	if ((rc = h->ops->reset(h->ctx)) || (rc = h->ops->set_bus(h->ctx, ID_HZ, 1)))
		return rc;
	c->width = 1;
	c->rca = 0;
	if ((rc = cmd(c, 0, 0, SD_RSP_NONE, NULL, NULL)))
		return rc;
	c->state = SD_ST_IDLE;
	/* 2.7-3.6 V, check pattern 0xaa: a v2 card echoes both */
	rc = cmd(c, 8, 0x1aa, SD_RSP_R7, &k, NULL);
	if (rc == -COH_ETIMEDOUT) {
		/* a v1.x card answers ACMD41 without HCS; no card answers nothing */
		rc = app_cmd(c, SD_ST_IDLE);
		if (!rc)
			rc = cmd(c, 41, SD_OCR_VDD_27_36, SD_RSP_R3, &k, NULL);
		return rc ? rc : -COH_ENOTSUP;
	}
	if (rc)
		return rc;
	if ((k.resp[0] & 0xfff) != 0x1aa)
		return (k.resp[0] & 0xff) != 0xaa ? -COH_EPROTO : -COH_ENOTSUP;
	for (i = 0;; i++) {
		if ((rc = app_cmd(c, SD_ST_IDLE)))
			return rc;
		rc = cmd(c, 41, SD_OCR_HCS | SD_OCR_VDD_27_36, SD_RSP_R3, &k, NULL);
		if (rc)
			return rc;
		if (k.resp[0] & SD_OCR_BUSY)
			break;
		if (i == ACMD41_TRIES)
			return -COH_ETIMEDOUT;	/* never finished powering up */
		c->retries++;
		h->ops->delay_us(h->ctx, 1000);
	}
	if (!(k.resp[0] & SD_OCR_VDD_27_36))
		return -COH_ENOTSUP;
	c->ocr = k.resp[0];
	c->high_capacity = (k.resp[0] & SD_OCR_CCS) != 0;
	c->state = SD_ST_READY;
	if ((rc = cmd(c, 2, 0, SD_RSP_R2, &k, NULL)))
		return rc;
	for (i = 0; i < 4; i++)
		c->cid[i] = k.resp[i];
	c->state = SD_ST_IDENT;
	/* R6: RCA in 31:16, status bits 23, 22, 19, 12:0 in 15:0 */
	for (i = 0; i < 3; i++) {
		if ((rc = cmd(c, 3, 0, SD_RSP_R6, &k, NULL)))
			return rc;
		if ((k.resp[0] & 0xe000u) || (SD_R1_STATE(k.resp[0]) != SD_ST_IDENT &&
					     SD_R1_STATE(k.resp[0]) != SD_ST_STBY))
			return -COH_EPROTO;
		c->rca = (uint16_t)(k.resp[0] >> 16);
		if (c->rca)
			break;
		c->retries++;	/* RCA 0 is not an address: ask again (Spec 4.2.2) */
	}
	if (!c->rca)
		return -COH_EPROTO;
	c->state = SD_ST_STBY;
	return 0;
}

static int configure(struct sd_card *c)
{
	struct sd_host *h = c->host;
	struct sd_cmd k;
	uint32_t hz;
	int rc, i;

	if ((rc = cmd(c, 9, (uint32_t)c->rca << 16, SD_RSP_R2, &k, NULL)))
		return rc;
	for (i = 0; i < 4; i++)
		c->csd_raw[i] = k.resp[i];
	if ((rc = sd_csd_decode(c->csd_raw, &c->csd)))
		return rc;
	/* the CSD's structure must agree with what ACMD41 said */
	if ((c->csd.structure == 1) != c->high_capacity)
		return -COH_EPROTO;
	if (c->csd.capacity % SD_BLOCK)
		return -COH_EPROTO;
	c->blocks = c->csd.capacity / SD_BLOCK;
	if ((rc = r1_cmd(c, 7, (uint32_t)c->rca << 16, SD_RSP_R1B, SD_ST_STBY)))
		return rc;
	c->state = SD_ST_TRAN;
	if (h->caps & SD_CAP_4BIT) {
		if ((rc = app_cmd(c, SD_ST_TRAN)) ||
		    (rc = r1_cmd(c, 6, 2, SD_RSP_R1, SD_ST_TRAN)) ||
		    (rc = h->ops->set_bus(h->ctx, ID_HZ, 4)))
			return rc;
		c->width = 4;
	}
	/* SDHC ignores it (fixed 512); SDSC needs it for 1 KiB-block CSDs */
	if ((rc = r1_cmd(c, 16, SD_BLOCK, SD_RSP_R1, SD_ST_TRAN)))
		return rc;
	hz = c->csd.tran_speed_hz && c->csd.tran_speed_hz < DATA_HZ ? c->csd.tran_speed_hz
								     : DATA_HZ;
	if (h->max_hz && hz > h->max_hz)
		hz = h->max_hz;
	return h->ops->set_bus(h->ctx, hz, c->width);
}

int sd_card_init(struct sd_card *card, struct sd_host *host)
{
	int rc;

	if (!card || !host || !host->ops || !host->ops->cmd || !host->ops->reset ||
	    !host->ops->set_bus || !host->ops->delay_us || !host->max_blocks)
		return -COH_EINVAL;
	*card = (struct sd_card){ .host = host, .state = SD_ST_NONE };
	rc = identify(card);
	if (!rc)
		rc = configure(card);
	if (rc)
		card->state = SD_ST_NONE;
	return rc;
}

/* After a write: CMD13 until the card is back in tran and ready. */
static int wait_ready(struct sd_card *c)
{
	struct sd_cmd k;
	int rc, i;

	for (i = 0; i < BUSY_TRIES; i++) {
		if ((rc = cmd(c, 13, (uint32_t)c->rca << 16, SD_RSP_R1, &k, NULL)))
			return rc;
		if (k.resp[0] & SD_R1_ERRORS)
			return check_r1(c, k.resp[0], SD_ST_TRAN, SD_ST_NONE);
		if (SD_R1_STATE(k.resp[0]) == SD_ST_TRAN && (k.resp[0] & SD_R1_READY))
			return 0;
		if (SD_R1_STATE(k.resp[0]) != SD_ST_PRG && SD_R1_STATE(k.resp[0]) != SD_ST_RCV)
			return -COH_EPROTO;
		c->host->ops->delay_us(c->host->ctx, 100);
	}
	return -COH_ETIMEDOUT;
}

static int xfer(struct sd_card *c, uint64_t lba, void *buf, uint32_t n, bool write)
{
	struct sd_host *h = c->host;
	uint32_t done = 0, lim;

	if (!buf || !n || c->state != SD_ST_TRAN || !h)
		return -COH_EINVAL;
	if (lba >= c->blocks || n > c->blocks - lba)
		return -COH_ERANGE;
	lim = h->max_blocks;
	if (h->align > 1 && (uintptr_t)buf % h->align && h->max_blocks_unaligned &&
	    h->max_blocks_unaligned < lim)
		lim = h->max_blocks_unaligned;	/* every piece keeps the misalignment */
	while (done < n) {
		uint32_t k = n - done < lim ? n - done : lim;
		uint64_t b = lba + done;
		uint32_t arg = c->high_capacity ? (uint32_t)b : (uint32_t)(b * SD_BLOCK);
		bool multi = k > 1, autostop = multi && (h->caps & SD_CAP_AUTOSTOP);
		struct sd_data d = { (uint8_t *)buf + (size_t)done * SD_BLOCK, k, write,
				     autostop };
		uint8_t op = write ? (multi ? 25 : 24) : (multi ? 18 : 17);
		struct sd_cmd r;
		int rc = cmd(c, op, arg, SD_RSP_R1, &r, &d), rc2 = 0;

		if (!rc)
			rc = check_r1(c, r.resp[0], SD_ST_TRAN,
				      autostop ? (write ? SD_ST_RCV : SD_ST_DATA) : SD_ST_NONE);
		if (multi && (!autostop || rc)) {
			struct sd_cmd s;

			/* stop the transfer in any case: the card may be in data/rcv */
			rc2 = cmd(c, 12, 0, SD_RSP_R1B, &s, NULL);
		}
		if (!rc && write)
			rc = wait_ready(c);
		if (!rc)
			rc = rc2;
		if (rc)
			return rc;
		if (write)
			c->writes++;
		else
			c->reads++;
		done += k;
	}
	return 0;
}

int sd_read(struct sd_card *card, uint64_t lba, void *buf, uint32_t blocks)
{
	if (!card)
		return -COH_EINVAL;
	return xfer(card, lba, buf, blocks, false);
}

int sd_write(struct sd_card *card, uint64_t lba, const void *buf, uint32_t blocks)
{
	if (!card)
		return -COH_EINVAL;
	/* the host maps it TO_DEVICE: it never writes the buffer */
	return xfer(card, lba, (void *)(uintptr_t)buf, blocks, true);
}
