/* SPDX-License-Identifier: MIT */
/*
 * tools/netpeer - the host end of a QEMU "-netdev dgram" unix-socket pair:
 * answers and checks the frames of a guest network driver test, speaking
 * the protocol in netproto.h (read it first).  NIC-agnostic: it sees raw
 * Ethernet frames, one per datagram.
 *
 * usage: netpeer --local PATH --remote PATH [--idle SECONDS] [--verbose]
 *   --local   the socket this program binds (QEMU's remote.path)
 *   --remote  the socket QEMU binds (QEMU's local.path); connected once the
 *             guest's first frame arrives, so QEMU may start after us
 *   --idle    exit 2 when no frame arrives for this long (default 30)
 * Exit: 0 after BYE with every received frame good, 1 after BYE with bad
 * frames, 2 idle timeout, 3 socket error, 4 usage.
 *
 * Sends never block: frames wait in a small queue (answers first, then the
 * bursts, which are generated one frame at a time) until the socket is
 * writable, so a guest whose receive ring is full only slows the bursts
 * down and never stops the peer from reading.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "netproto.h"

#define MAXF 4096
#define QLEN 64

static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static uint8_t guest_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static int verbose;
static uint32_t stats[NP_STAT_COUNT];
static unsigned long bad_by_kind[8];

/* answers, sent before any generated frame */
static struct {
	uint8_t f[MAXF];
	size_t n;
} q[QLEN];
static size_t q_head, q_len;

/* the generator of one BURST_REQ or BAD_REQ at a time (a new one queues behind) */
struct job {
	int active;
	unsigned int kind;	/* 0: burst, else NP_BAD_* */
	uint32_t count, next, seed;
};
static struct job jobs[16];
static size_t job_head, job_len;

static void die(const char *what)
{
	fprintf(stderr, "netpeer: %s: %s\n", what, strerror(errno));
	exit(3);
}

static uint8_t *q_push(size_t n)
{
	size_t i;

	if (q_len == QLEN || n > MAXF)
		return NULL;
	i = (q_head + q_len++) % QLEN;
	q[i].n = n;
	return q[i].f;
}

static void job_push(unsigned int kind, uint32_t count, uint32_t seed)
{
	if (job_len == sizeof(jobs) / sizeof(jobs[0])) {
		fprintf(stderr, "netpeer: too many requests queued, one dropped\n");
		return;
	}
	jobs[(job_head + job_len++) % 16] = (struct job){ 1, kind, count, 0, seed };
}

/* the next frame of the current job into f; 0 when no job has one */
static size_t job_next(uint8_t *f)
{
	while (job_len) {
		struct job *j = &jobs[job_head];
		size_t n;

		if (j->next == j->count) {
			/* the end marker, then the job is done */
			if (j->kind == 0)
				np_build(f, NP_MIN_FRAME, guest_mac, peer_mac, NP_OP_BURST_END,
					 j->count, j->count, j->seed, 0);
			else
				np_build(f, NP_MIN_FRAME, guest_mac, peer_mac, NP_OP_BAD_END,
					 j->count, j->kind, j->count, 0);
			job_head = (job_head + 1) % 16;
			job_len--;
			return NP_MIN_FRAME;
		}
		if (j->kind == 0 || j->kind == NP_BAD_FLOOD) {
			uint32_t seed = j->kind ? NP_FLOOD_SEED : j->seed;

			n = np_burst_size(seed, j->next);
			np_build(f, n, guest_mac, peer_mac, NP_OP_DATA, j->next, seed, 0, 1);
		} else if (j->kind == NP_BAD_RUNT) {
			uint8_t full[NP_HDR];

			n = 15 + j->next % (NP_MIN_FRAME - 15);
			if (n >= NP_HDR) {
				np_build(f, n, guest_mac, peer_mac, NP_OP_RUNT, j->next, 0, 0, 0);
			} else {
				/* too short for the header: its first n bytes */
				np_build(full, NP_HDR, guest_mac, peer_mac, NP_OP_RUNT, j->next,
					 0, 0, 0);
				memcpy(f, full, n);
			}
		} else if (j->kind == NP_BAD_OVERSIZE) {
			n = j->next % 8 == 7 ? 3000 : 1515 + (j->next * 97) % (2047 - 1515);
			np_build(f, n, guest_mac, peer_mac, NP_OP_OVERSIZE, j->next, 0, 0, 0);
		} else {
			fprintf(stderr, "netpeer: unknown bad kind %u ignored\n", j->kind);
			j->next = j->count;
			continue;
		}
		j->next++;
		return n;
	}
	return 0;
}

static void handle(const uint8_t *f, size_t n)
{
	enum np_verdict v = np_check(f, n, 0);
	unsigned int op;
	uint8_t *r;

	if (v != NP_GOOD) {
		stats[NP_STAT_RX_BAD]++;
		bad_by_kind[v & 7]++;
		fprintf(stderr, "netpeer: bad frame of %zu bytes: %s (op %u, seq %u)\n", n,
			np_verdict_name(v), n > NP_OFF_OP ? f[NP_OFF_OP] : 0u,
			n >= NP_OFF_SEQ + 4 ? np_get32(f + NP_OFF_SEQ) : 0u);
		return;
	}
	stats[NP_STAT_RX_GOOD]++;
	memcpy(guest_mac, f + 6, 6);
	op = f[NP_OFF_OP];
	if (verbose)
		fprintf(stderr, "netpeer: op %u seq %u len %zu\n", op,
			np_get32(f + NP_OFF_SEQ), n);
	switch (op) {
	case NP_OP_HELLO:
		r = q_push(NP_MIN_FRAME);
		if (r)
			np_build(r, NP_MIN_FRAME, guest_mac, peer_mac, NP_OP_HELLO_ACK,
				 np_get32(f + NP_OFF_SEQ), NP_VERSION, 0, 0);
		break;
	case NP_OP_ECHO:
		stats[NP_STAT_RX_ECHO]++;
		r = q_push(n);
		if (!r) {
			fprintf(stderr, "netpeer: answer queue full, echo %u dropped\n",
				np_get32(f + NP_OFF_SEQ));
			break;
		}
		memcpy(r, f, n);
		memcpy(r, guest_mac, 6);
		memcpy(r + 6, peer_mac, 6);
		r[NP_OFF_OP] = NP_OP_ECHO_REPLY;
		np_put32(r + NP_OFF_ARG1, np_get32(f + NP_OFF_CRC));
		np_put32(r + NP_OFF_CRC, np_frame_crc(r, n));
		break;
	case NP_OP_DATA:
		stats[NP_STAT_RX_DATA]++;
		break;
	case NP_OP_BURST_REQ:
		job_push(0, np_get32(f + NP_OFF_ARG0), np_get32(f + NP_OFF_ARG1));
		break;
	case NP_OP_BAD_REQ:
		job_push(np_get32(f + NP_OFF_ARG0), np_get32(f + NP_OFF_ARG1), 0);
		break;
	case NP_OP_STATS_REQ: {
		size_t len = NP_HDR + 4 * NP_STAT_COUNT;

		if (len < NP_MIN_FRAME)
			len = NP_MIN_FRAME;
		r = q_push(len);
		if (!r)
			break;
		memset(r, 0, len);
		for (int i = 0; i < NP_STAT_COUNT; i++)
			np_put32(r + NP_HDR + 4 * i, stats[i]);
		/* built last: np_build writes the header and the CRC over the counters */
		np_build(r, len, guest_mac, peer_mac, NP_OP_STATS, np_get32(f + NP_OFF_SEQ),
			 NP_STAT_COUNT, 0, 0);
		break;
	}
	case NP_OP_BYE:
		printf("netpeer: %u good frames received (%u echo, %u data), %u bad, %u sent\n",
		       stats[NP_STAT_RX_GOOD], stats[NP_STAT_RX_ECHO], stats[NP_STAT_RX_DATA],
		       stats[NP_STAT_RX_BAD], stats[NP_STAT_TX]);
		fflush(stdout);
		exit(stats[NP_STAT_RX_BAD] ? 1 : 0);
	default:
		stats[NP_STAT_RX_GOOD]--;
		stats[NP_STAT_RX_BAD]++;
		fprintf(stderr, "netpeer: unknown op %u\n", op);
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *local = NULL, *remote = NULL;
	double idle = 30, last;
	struct sockaddr_un la = { .sun_family = AF_UNIX }, ra = { .sun_family = AF_UNIX };
	static uint8_t rx[70000], gen[MAXF];
	size_t gen_n = 0;
	int fd, connected = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--local") && i + 1 < argc)
			local = argv[++i];
		else if (!strcmp(argv[i], "--remote") && i + 1 < argc)
			remote = argv[++i];
		else if (!strcmp(argv[i], "--idle") && i + 1 < argc)
			idle = atof(argv[++i]);
		else if (!strcmp(argv[i], "--verbose"))
			verbose = 1;
		else {
			fprintf(stderr, "usage: netpeer --local PATH --remote PATH [--idle S] [--verbose]\n");
			return 4;
		}
	}
	if (!local || !remote || strlen(local) >= sizeof(la.sun_path) ||
	    strlen(remote) >= sizeof(ra.sun_path)) {
		fprintf(stderr, "netpeer: --local and --remote socket paths are required (< %zu bytes)\n",
			sizeof(la.sun_path));
		return 4;
	}
	strcpy(la.sun_path, local);
	strcpy(ra.sun_path, remote);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	unlink(local);
	if (bind(fd, (struct sockaddr *)&la, sizeof(la)))
		die("bind");
	last = now_s();
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int want_out = connected && (q_len || gen_n || job_len);
		int rc;

		if (want_out)
			p.events |= POLLOUT;
		/* a unix datagram socket's POLLOUT does not always wait for room in
		 * the receiver's queue: with output pending, retry every millisecond */
		rc = poll(&p, 1, want_out ? 1 : 200);
		if (rc < 0 && errno != EINTR)
			die("poll");
		if (now_s() - last > idle) {
			fprintf(stderr, "netpeer: nothing received for %.0f s: giving up "
				"(%u good, %u bad received, %u sent)\n", idle,
				stats[NP_STAT_RX_GOOD], stats[NP_STAT_RX_BAD], stats[NP_STAT_TX]);
			return 2;
		}
		for (int k = 0; k < 64; k++) {
			ssize_t n = recv(fd, rx, sizeof(rx), 0);

			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR)
					break;
				die("recv");
			}
			last = now_s();
			if (!connected) {
				/* QEMU is up: its socket exists now */
				if (connect(fd, (struct sockaddr *)&ra, sizeof(ra)))
					die("connect");
				connected = 1;
			}
			handle(rx, (size_t)n);
		}
		while (connected) {
			const uint8_t *f;
			size_t n;
			ssize_t w;

			if (q_len) {
				f = q[q_head].f;
				n = q[q_head].n;
			} else {
				if (!gen_n)
					gen_n = job_next(gen);
				if (!gen_n)
					break;
				f = gen;
				n = gen_n;
			}
			w = send(fd, f, n, 0);
			if (w < 0) {
				if (errno == EAGAIN || errno == EINTR)
					break;
				if (errno == ECONNREFUSED || errno == ENOENT) {
					fprintf(stderr, "netpeer: QEMU's socket went away\n");
					return 3;
				}
				die("send");
			}
			stats[NP_STAT_TX]++;
			if (q_len) {
				q_head = (q_head + 1) % QLEN;
				q_len--;
			} else {
				gen_n = 0;
			}
		}
	}
}
