/* SPDX-License-Identifier: MIT */
/*
 * netpeer_selftest - the peer against a fake guest on the host: this
 * program takes QEMU's place on the socket pair and speaks netproto.h.
 * Run twice: a clean conversation (the peer must exit 0 and every answer
 * must check out), then one with a corrupted frame and a truncated one
 * (the peer must count both bad and exit 1), so the peer's own checks are
 * shown to fail when they should.  usage: netpeer_selftest <netpeer>
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netproto.h"

static const uint8_t me[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t peer[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static int fails;

#define EXPECT(c)                                                              \
	do {                                                                   \
		if (!(c)) {                                                    \
			printf("%s:%d: EXPECT failed: %s\n", __FILE__, __LINE__, #c); \
			fails++;                                               \
		}                                                              \
	} while (0)

static void tx(int fd, const uint8_t *f, size_t n)
{
	while (send(fd, f, n, 0) < 0) {
		if (errno != EAGAIN && errno != ENOENT && errno != ECONNREFUSED) {
			perror("selftest: send");
			exit(2);
		}
		usleep(1000);
	}
}

/* next frame from the peer, or 0 after 3 s */
static size_t rx(int fd, uint8_t *f, size_t cap)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, 3000) <= 0)
		return 0;
	n = recv(fd, f, cap, 0);
	return n < 0 ? 0 : (size_t)n;
}

static int conversation(const char *netpeer, int corrupt)
{
	char dir[] = "/tmp/netpeer-selftest.XXXXXX", local[128], remote[128];
	struct sockaddr_un a = { .sun_family = AF_UNIX }, b = { .sun_family = AF_UNIX };
	uint8_t f[4096], r[4096];
	size_t n;
	pid_t pid;
	int fd, st;
	uint32_t got = 0;

	if (!mkdtemp(dir))
		return perror("mkdtemp"), 2;
	snprintf(local, sizeof(local), "%s/qemu.sock", dir);
	snprintf(remote, sizeof(remote), "%s/peer.sock", dir);
	strcpy(a.sun_path, local);
	strcpy(b.sun_path, remote);
	pid = fork();
	if (pid == 0) {
		execl(netpeer, netpeer, "--local", remote, "--remote", local, "--idle", "5",
		      (char *)NULL);
		perror("exec netpeer");
		_exit(127);
	}
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)))
		return perror("socket"), 2;
	for (int i = 0; i < 100 && access(remote, F_OK); i++)
		usleep(10000);
	if (connect(fd, (struct sockaddr *)&b, sizeof(b)))
		return perror("connect"), 2;

	np_build(f, NP_MIN_FRAME, peer, me, NP_OP_HELLO, 0, NP_VERSION, 0, 0);
	tx(fd, f, NP_MIN_FRAME);
	n = rx(fd, r, sizeof(r));
	EXPECT(n == NP_MIN_FRAME && np_check(r, n, 0) == NP_GOOD && r[NP_OFF_OP] == NP_OP_HELLO_ACK);
	EXPECT(n >= 6 && !memcmp(r, me, 6));

	for (uint32_t s = 0; s < 20; s++) {
		size_t len = np_burst_size(7, s);

		np_build(f, len, peer, me, NP_OP_ECHO, s, 0xec40u + s, 0, 1);
		tx(fd, f, len);
		n = rx(fd, r, sizeof(r));
		EXPECT(n == len && np_check(r, n, 0) == NP_GOOD);
		EXPECT(r[NP_OFF_OP] == NP_OP_ECHO_REPLY && np_get32(r + NP_OFF_SEQ) == s);
		EXPECT(np_get32(r + NP_OFF_ARG1) == np_get32(f + NP_OFF_CRC));
	}

	np_build(f, NP_MIN_FRAME, peer, me, NP_OP_BURST_REQ, 0, 50, 99, 0);
	tx(fd, f, NP_MIN_FRAME);
	for (;;) {
		n = rx(fd, r, sizeof(r));
		if (!n || np_check(r, n, 0) != NP_GOOD) {
			EXPECT(0);
			break;
		}
		if (r[NP_OFF_OP] == NP_OP_BURST_END)
			break;
		EXPECT(r[NP_OFF_OP] == NP_OP_DATA && np_get32(r + NP_OFF_SEQ) == got &&
		       n == np_burst_size(99, got));
		got++;
	}
	EXPECT(got == 50);

	/* bad input the peer sends on request: runts, then oversized frames */
	np_build(f, NP_MIN_FRAME, peer, me, NP_OP_BAD_REQ, 0, NP_BAD_RUNT, 5, 0);
	tx(fd, f, NP_MIN_FRAME);
	for (int k = 0; k < 5; k++) {
		n = rx(fd, r, sizeof(r));
		EXPECT(n >= 15 && n < NP_MIN_FRAME && r[NP_OFF_OP] == NP_OP_RUNT);
	}
	n = rx(fd, r, sizeof(r));
	EXPECT(n && r[NP_OFF_OP] == NP_OP_BAD_END);
	np_build(f, NP_MIN_FRAME, peer, me, NP_OP_BAD_REQ, 0, NP_BAD_OVERSIZE, 8, 0);
	tx(fd, f, NP_MIN_FRAME);
	for (int k = 0; k < 8; k++) {
		n = rx(fd, r, sizeof(r));
		EXPECT(n > NP_MAX_FRAME && np_check(r, n, 0) == NP_GOOD &&
		       r[NP_OFF_OP] == NP_OP_OVERSIZE);
	}
	n = rx(fd, r, sizeof(r));
	EXPECT(n && r[NP_OFF_OP] == NP_OP_BAD_END);

	for (uint32_t s = 0; s < 10; s++) {
		size_t len = np_burst_size(3, s);

		np_build(f, len, peer, me, NP_OP_DATA, s, 0xda7a0000u, 0, 1);
		if (corrupt && s == 4)
			f[len - 1] ^= 0x40;	/* one flipped bit: a CRC error */
		tx(fd, f, len);
	}
	if (corrupt)
		tx(fd, f, NP_HDR - 2);	/* too short to be a frame of ours */

	np_build(f, NP_MIN_FRAME, peer, me, NP_OP_STATS_REQ, 0, 0, 0, 0);
	tx(fd, f, NP_MIN_FRAME);
	n = rx(fd, r, sizeof(r));
	EXPECT(n && np_check(r, n, 0) == NP_GOOD && r[NP_OFF_OP] == NP_OP_STATS);
	if (n >= NP_HDR + 4 * NP_STAT_COUNT) {
		EXPECT(np_get32(r + NP_HDR + 4 * NP_STAT_RX_BAD) == (corrupt ? 2u : 0u));
		EXPECT(np_get32(r + NP_HDR + 4 * NP_STAT_RX_ECHO) == 20);
		EXPECT(np_get32(r + NP_HDR + 4 * NP_STAT_RX_DATA) == (corrupt ? 9u : 10u));
	}

	np_build(f, NP_MIN_FRAME, peer, me, NP_OP_BYE, 0, 0, 0, 0);
	tx(fd, f, NP_MIN_FRAME);
	if (waitpid(pid, &st, 0) != pid)
		return perror("waitpid"), 2;
	close(fd);
	unlink(local);
	unlink(remote);
	rmdir(dir);
	EXPECT(WIFEXITED(st) && WEXITSTATUS(st) == (corrupt ? 1 : 0));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: netpeer_selftest <netpeer>\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (conversation(argv[1], 0) || conversation(argv[1], 1))
		return 2;
	printf("netpeer_selftest: %s\n", fails ? "FAIL" : "ok");
	return fails ? 1 : 0;
}
