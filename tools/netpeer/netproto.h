/* SPDX-License-Identifier: MIT */
/*
 * tools/netpeer/netproto.h - the test protocol spoken between a guest
 * network driver under QEMU and tools/netpeer (the host side), carried in
 * raw Ethernet frames over a QEMU "-netdev dgram" unix-socket pair (one
 * frame per datagram, no FCS, no IP).  Any NIC model can use it: the
 * driver only moves frames; this header builds and checks them.  Header
 * only, stdint/stddef, so the same code runs in the guest (freestanding,
 * picolibc) and on the host.
 *
 * Frame layout (all multi-byte fields little-endian):
 *   0   dst MAC[6]          the peer answers to the guest's src MAC
 *   6   src MAC[6]
 *   12  EtherType 0x88b5    IEEE 802 local experimental EtherType 1
 *   14  op (u8)             NP_OP_*
 *   15  flags (u8)          0
 *   16  len (u16)           bytes of the whole frame as sent (14..65535)
 *   18  seq (u32)
 *   22  crc (u32)           CRC-32 (IEEE 802.3 polynomial, reflected) over
 *                           bytes [0, 22) and [26, len): everything but itself
 *   26  arg0 (u32), 30 arg1 (u32)   per op, below
 *   34  payload             np_fill(arg0, seq): a seeded xorshift32 stream
 * A frame is good when len matches the frame's size, the CRC matches and
 * (ops carrying generated data) the payload regenerates from (arg0, seq).
 *
 * Conversation (guest -> peer; the peer never speaks first):
 *   HELLO (arg0 = NP_VERSION)        -> HELLO_ACK (arg0 = NP_VERSION)
 *   ECHO (arg0 = seed, payload generated)
 *                                    -> ECHO_REPLY: the request's bytes back
 *                                       (op, crc, MACs rewritten), arg1 = the
 *                                       CRC the peer computed over the request
 *   DATA (arg0 = seed, arg1 = 0)     counted by the peer, no answer
 *   BURST_REQ (arg0 = count, arg1 = seed)
 *                                    -> count x DATA (seq 0..count-1, sizes
 *                                       np_burst_size(seed, seq), arg0 = seed),
 *                                       then BURST_END (arg0 = count)
 *   BAD_REQ (arg0 = kind, arg1 = count)
 *                                    -> count bad frames of that kind, then
 *                                       BAD_END (arg0 = kind, arg1 = count):
 *      NP_BAD_RUNT      frames of 15..59 bytes, op RUNT (not a valid length)
 *      NP_BAD_OVERSIZE  frames of 1515..2047 bytes and one of 3000 per 8,
 *                       op OVERSIZE, CRC valid
 *      NP_BAD_FLOOD     count valid DATA frames back to back (arg0 = seed
 *                       NP_FLOOD_SEED), sizes np_burst_size: more than a
 *                       receive ring holds
 *   STATS_REQ                        -> STATS: payload = NP_STAT_COUNT u32
 *                                       counters (NP_STAT_*)
 *   BYE                              the peer prints its summary and exits:
 *                                       0 if every frame it got was good
 * The peer exits 2 when nothing arrives for its idle timeout, 3 on a
 * socket error.  Frames it cannot parse are counted bad, never answered.
 */
#ifndef COHERENT_TOOLS_NETPROTO_H
#define COHERENT_TOOLS_NETPROTO_H

#include <stddef.h>
#include <stdint.h>

#define NP_VERSION	1u
#define NP_ETHERTYPE	0x88b5u
#define NP_MIN_FRAME	60u	/* shortest Ethernet frame without FCS */
#define NP_MAX_FRAME	1514u	/* longest without FCS and VLAN tag */
#define NP_HDR		34u
#define NP_PAD_MAX	64u	/* a MAC (model) may pad a short frame up to this */

#define NP_OFF_TYPE	12u
#define NP_OFF_OP	14u
#define NP_OFF_FLAGS	15u
#define NP_OFF_LEN	16u
#define NP_OFF_SEQ	18u
#define NP_OFF_CRC	22u
#define NP_OFF_ARG0	26u
#define NP_OFF_ARG1	30u

enum np_op {
	NP_OP_HELLO = 1, NP_OP_HELLO_ACK, NP_OP_ECHO, NP_OP_ECHO_REPLY, NP_OP_DATA,
	NP_OP_BURST_REQ, NP_OP_BURST_END, NP_OP_BAD_REQ, NP_OP_BAD_END,
	NP_OP_RUNT, NP_OP_OVERSIZE, NP_OP_STATS_REQ, NP_OP_STATS, NP_OP_BYE,
};

enum np_bad { NP_BAD_RUNT = 1, NP_BAD_OVERSIZE = 2, NP_BAD_FLOOD = 3 };
#define NP_FLOOD_SEED	0xf100d5u

/* STATS payload: what the peer counted */
enum np_stat {
	NP_STAT_RX_GOOD,	/* good frames received */
	NP_STAT_RX_BAD,		/* bad frames received (length, CRC, payload, unknown op) */
	NP_STAT_RX_ECHO,	/* good ECHO requests */
	NP_STAT_RX_DATA,	/* good DATA frames */
	NP_STAT_TX,		/* frames sent */
	NP_STAT_COUNT
};

static inline uint16_t np_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t np_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline void np_put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void np_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* CRC-32, bitwise with a nibble table: small, and fast enough for 1514 bytes */
static inline uint32_t np_crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
	static const uint32_t t[16] = {
		0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu, 0x76dc4190u,
		0x6b6b51f4u, 0x4db26158u, 0x5005713cu, 0xedb88320u, 0xf00f9344u,
		0xd6d6a3e8u, 0xcb61b38cu, 0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u,
		0xbdbdf21cu,
	};

	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ t[crc & 15];
		crc = (crc >> 4) ^ t[crc & 15];
	}
	return crc;
}

/* the frame's CRC field value: bytes [0, 22) and [26, len) */
static inline uint32_t np_frame_crc(const uint8_t *f, size_t len)
{
	uint32_t c = 0xffffffffu;

	c = np_crc32_update(c, f, NP_OFF_CRC);
	if (len > NP_OFF_CRC + 4)
		c = np_crc32_update(c, f + NP_OFF_CRC + 4, len - NP_OFF_CRC - 4);
	return ~c;
}

static inline uint32_t np_xorshift(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static inline uint32_t np_seed(uint32_t seed, uint32_t seq)
{
	uint32_t s = seed ^ (seq * 0x9e3779b9u) ^ 0x5bd1e995u;

	return s ? s : 1u;
}

/* payload bytes of (seed, seq) */
static inline void np_fill(uint8_t *p, size_t n, uint32_t seed, uint32_t seq)
{
	uint32_t s = np_seed(seed, seq), v = 0;

	for (size_t i = 0; i < n; i++) {
		if (!(i & 3))
			v = np_xorshift(&s);
		p[i] = (uint8_t)(v >> (8 * (i & 3)));
	}
}

/* 0 when p[0..n) is np_fill(seed, seq), else 1 + the first differing offset */
static inline size_t np_check_fill(const uint8_t *p, size_t n, uint32_t seed, uint32_t seq)
{
	uint32_t s = np_seed(seed, seq), v = 0;

	for (size_t i = 0; i < n; i++) {
		if (!(i & 3))
			v = np_xorshift(&s);
		if (p[i] != (uint8_t)(v >> (8 * (i & 3))))
			return i + 1;
	}
	return 0;
}

/* size of frame seq of a burst or flood: 60..1514, uniform enough */
static inline uint32_t np_burst_size(uint32_t seed, uint32_t seq)
{
	uint32_t s = np_seed(seed ^ 0xa5a5a5a5u, seq);

	np_xorshift(&s);
	return NP_MIN_FRAME + np_xorshift(&s) % (NP_MAX_FRAME - NP_MIN_FRAME + 1);
}

/* Write the header of a frame of `len` bytes (len >= NP_HDR) and, for
 * generated ops, its payload; then the CRC. */
static inline void np_build(uint8_t *f, size_t len, const uint8_t dst[6],
			    const uint8_t src[6], enum np_op op, uint32_t seq,
			    uint32_t arg0, uint32_t arg1, int generate)
{
	for (int i = 0; i < 6; i++) {
		f[i] = dst[i];
		f[6 + i] = src[i];
	}
	f[NP_OFF_TYPE] = (uint8_t)(NP_ETHERTYPE >> 8);
	f[NP_OFF_TYPE + 1] = (uint8_t)NP_ETHERTYPE;
	f[NP_OFF_OP] = (uint8_t)op;
	f[NP_OFF_FLAGS] = 0;
	np_put16(f + NP_OFF_LEN, (uint32_t)len);
	np_put32(f + NP_OFF_SEQ, seq);
	np_put32(f + NP_OFF_ARG0, arg0);
	np_put32(f + NP_OFF_ARG1, arg1);
	if (generate && len > NP_HDR)
		np_fill(f + NP_HDR, len - NP_HDR, arg0, seq);
	np_put32(f + NP_OFF_CRC, np_frame_crc(f, len));
}

/* Verdicts of np_check() */
enum np_verdict {
	NP_GOOD = 0,
	NP_SHORT,	/* shorter than the header */
	NP_NOT_OURS,	/* another EtherType */
	NP_BAD_LEN,	/* len field differs from the received size */
	NP_BAD_CRC,
	NP_BAD_DATA,	/* payload does not regenerate (generated ops only) */
};

static inline const char *np_verdict_name(enum np_verdict v)
{
	static const char *const name[] = {
		"good", "shorter than the header", "not our EtherType",
		"length field differs from its size", "CRC mismatch",
		"payload does not regenerate",
	};

	return (unsigned int)v < sizeof(name) / sizeof(name[0]) ? name[v] : "?";
}

static inline int np_generated(unsigned int op)
{
	return op == NP_OP_ECHO || op == NP_OP_DATA || op == NP_OP_ECHO_REPLY;
}

/*
 * Check a received frame of n bytes.  n may exceed the len field by the
 * padding a MAC adds to short frames (up to NP_PAD_MAX): `padded` allows
 * it.  ECHO_REPLY payloads regenerate from the request's (arg0, seq).
 */
static inline enum np_verdict np_check(const uint8_t *f, size_t n, int padded)
{
	size_t len;

	if (n < NP_HDR)
		return NP_SHORT;
	if (f[NP_OFF_TYPE] != (uint8_t)(NP_ETHERTYPE >> 8) ||
	    f[NP_OFF_TYPE + 1] != (uint8_t)NP_ETHERTYPE)
		return NP_NOT_OURS;
	len = np_get16(f + NP_OFF_LEN);
	if (len != n && !(padded && len < n && n <= NP_PAD_MAX && len >= NP_HDR))
		return NP_BAD_LEN;
	if (np_get32(f + NP_OFF_CRC) != np_frame_crc(f, len))
		return NP_BAD_CRC;
	if (np_generated(f[NP_OFF_OP]) &&
	    np_check_fill(f + NP_HDR, len - NP_HDR, np_get32(f + NP_OFF_ARG0),
			  np_get32(f + NP_OFF_SEQ)))
		return NP_BAD_DATA;
	return NP_GOOD;
}

#endif /* COHERENT_TOOLS_NETPROTO_H */
