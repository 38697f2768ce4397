/* SPDX-License-Identifier: MIT */
/*
 * sim/symbol.c - a return address in instrumented code -> file:line.
 *
 * Reports about an access name the driver's source line.  The entry points
 * in access.c pass __builtin_return_address(0): the instruction after the
 * call the compiler put just before the access.  dladdr() finds the object
 * holding it and its load address; addr2line (binutils, present wherever
 * gcc is) reads the object's debug line table.  This runs only when a
 * report is made, never on the access path, and each address is looked up
 * once per process (the cache survives sim_fini: code addresses do not
 * move).  Of the inline chain at that address the innermost frame outside
 * the library's own headers is the answer: at -O2 an MMIO write is
 * coh_arch.h inside mmio.h inside the driver, and the driver's line is
 * the one to fix.  At -O0 the header functions are not inlined; the
 * callers' return addresses a site may carry (site.up) are tried then.  COH_SIM_SYMBOLIZE=0 in the environment skips addr2line: reports
 * then carry pc=0x... only.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim_internal.h"

#define SYM_MAX 256

static struct sym {
	uintptr_t pc;
	int line;		/* 0: unknown */
	uint8_t lib;		/* every frame found is the library's own inline code */
	char file[64];
} syms[SYM_MAX];
static unsigned nsyms;

/* the object's path and the address addr2line expects for pc */
static int locate(uintptr_t pc, char *path, size_t n, uintptr_t *addr)
{
	Dl_info info;
	const Elf64_Ehdr *eh;

	if (!dladdr((void *)pc, &info) || !info.dli_fbase)
		return -1;
	eh = info.dli_fbase;
	/* position-independent objects are looked up by offset, ET_EXEC by address */
	*addr = eh->e_type == ET_DYN ? pc - (uintptr_t)info.dli_fbase : pc;
	if (info.dli_fname && info.dli_fname[0] == '/') {
		snprintf(path, n, "%s", info.dli_fname);
		return 0;
	}
	/* the main program: dladdr gives argv[0] or nothing */
	ssize_t k = readlink("/proc/self/exe", path, n - 1);

	if (k <= 0)
		return -1;
	path[k] = 0;
	return 0;
}

/*
 * A frame inside the library's own inline code (the public headers, a
 * backend's coh_arch.h, the forced-include header): never the line a user
 * needs.  The accessor, the MMIO write and the typed field access are
 * inlined into the driver, so their frames come first in the chain.
 */
static int library_frame(const char *path)
{
	const char *b = strrchr(path, '/');

	b = b ? b + 1 : path;
	/* b is "file.h:123 ..." */
	return strstr(path, "/include/coherent/") || strncmp(b, "coh_arch.h:", 11) == 0 ||
	       strncmp(b, "sim_instrument.h:", 17) == 0;
}

/* "dir/file.c:123 (discriminator 2)" -> s->file, s->line; 0 if unknown ("??:0") */
static int parse(struct sym *s, char *out)
{
	char *colon, *slash;
	const char *b;
	size_t len;

	out[strcspn(out, "\n")] = 0;
	colon = strrchr(out, ':');
	if (!colon || out[0] == '?')
		return 0;
	*colon = 0;
	s->line = atoi(colon + 1);
	slash = strrchr(out, '/');
	b = slash ? slash + 1 : out;
	len = strlen(b);
	/* a long name keeps its end (the file name itself) */
	if (len >= sizeof(s->file))
		b += len - (sizeof(s->file) - 1);
	memcpy(s->file, b, strlen(b) + 1);
	return s->line != 0;
}

static void lookup(struct sym *s)
{
	char path[512], cmd[700], out[512], fn[256];
	uintptr_t addr;
	FILE *p;
	const char *e = getenv("COH_SIM_SYMBOLIZE");

	s->line = 0;
	s->file[0] = 0;
	s->lib = 0;
	if ((e && e[0] == '0') || locate(s->pc - 1, path, sizeof(path), &addr) ||
	    strchr(path, '\''))
		return;
	/*
	 * -i: the inline chain, innermost first, then the function it is
	 * inlined in; -f: each frame's function first.  A function of the
	 * library's (coh_*, sim__*: names drivers may not define) is the
	 * library's frame whatever file the line table names (GCC at -O0 gives
	 * a header's macro-made accessor the including file's name).
	 */
	snprintf(cmd, sizeof(cmd), "addr2line -i -f -e '%s' 0x%llx 2>/dev/null", path,
		 (unsigned long long)addr);
	p = popen(cmd, "r");
	if (!p)
		return;
	/* the innermost frame outside the library's code: the driver's line */
	while (fgets(fn, sizeof(fn), p) && fgets(out, sizeof(out), p)) {
		int lib;
		struct sym t;

		out[strcspn(out, "\n")] = 0;
		lib = library_frame(out) || strncmp(fn, "coh_", 4) == 0 ||
		      strncmp(fn, "sim__", 5) == 0;
		t = *s;
		if (!parse(&t, out))
			continue;
		if (!s->line || (s->lib && !lib)) {
			*s = t;
			s->lib = (uint8_t)lib;
		}
	}
	pclose(p);
}

int sim__symbolize(uintptr_t pc, const char **file, int *line)
{
	struct sym *s = NULL;

	for (unsigned k = 0; k < nsyms; k++)
		if (syms[k].pc == pc)
			s = &syms[k];
	if (!s) {
		/* full: the oldest slot is reused (reports are rare) */
		s = &syms[nsyms < SYM_MAX ? nsyms++ : pc % SYM_MAX];
		s->pc = pc;
		lookup(s);
	}
	if (!s->line)
		return -1;
	*file = s->file;
	*line = s->line;
	return s->lib;
}
