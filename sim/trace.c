/* SPDX-License-Identifier: MIT */
/*
 * sim/trace.c - what the simulator sees, as Chrome trace-event JSON (the
 * format chrome://tracing, Perfetto and docs/trace/viewer.html open).
 *
 * Three processes, so a viewer shows three groups of tracks:
 *   pid 1 "buffers"     one track per buffer (its sim_name(), else its
 *                       physical address): every library call on it, bounces,
 *                       device accesses, and a span per device ownership
 *                       (coh_give .. coh_take, map .. unmap)
 *   pid 2 "cache lines" one track per line of cached RAM: clean,
 *                       invalidate, flush, eviction, speculative refill,
 *                       device write
 *   pid 3 "reports"     every sanitizer report, also marked on its line
 * Time is the simulator's own clock: one microsecond per event, so a run
 * replays identically (same seed, same trace).  At most TRACE_MAX events
 * are written; the last one then says the trace was truncated.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sim_internal.h"

#define TRACE_MAX 400000
#define TRACE_BUFS 256

struct tbuf {
	uintptr_t key;			/* start of the buffer's named range, or its address */
	char name[40];
	uint64_t since;			/* device ownership began (if open) */
	const struct coh_where *given;
	int dir;
	int open;
};

static struct {
	FILE *f;
	uint64_t clk;
	unsigned long n;
	struct tbuf buf[TRACE_BUFS];
	unsigned nbuf;
	uint8_t *named;			/* per line: thread_name written */
	size_t nnamed;
	int atexit_set;
} T;

static void jstr(const char *s)
{
	fputc('"', T.f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(T.f, "\\%c", c);
		else if (c < 0x20)
			fprintf(T.f, "\\u%04x", c);
		else
			fputc(c, T.f);
	}
	fputc('"', T.f);
}

static void where_str(char *b, size_t n, const struct coh_where *w)
{
	if (w)
		snprintf(b, n, "%s:%d", sim__base_name(w->file), w->line);
	else
		snprintf(b, n, "?");
}

/* one event: the fixed fields; args (a JSON object body) may be NULL */
static int event(const char *name, const char *cat, char ph, uint64_t ts,
		 uint64_t dur, int pid, unsigned tid, const char *args)
{
	if (T.n >= TRACE_MAX)
		return -1;
	if (++T.n == TRACE_MAX) {
		fprintf(T.f, ",\n{\"name\":\"trace truncated\",\"ph\":\"i\",\"s\":\"g\","
			     "\"ts\":%llu,\"pid\":3,\"tid\":0}", (unsigned long long)T.clk);
		return -1;
	}
	fputs(",\n{\"name\":", T.f);
	jstr(name);
	fprintf(T.f, ",\"cat\":\"%s\",\"ph\":\"%c\",\"ts\":%llu", cat, ph,
		(unsigned long long)ts);
	if (ph == 'X')
		fprintf(T.f, ",\"dur\":%llu", (unsigned long long)(dur ? dur : 1));
	if (ph == 'i')
		fputs(",\"s\":\"t\"", T.f);
	fprintf(T.f, ",\"pid\":%d,\"tid\":%u", pid, tid);
	if (args)
		fprintf(T.f, ",\"args\":{%s}", args);
	fputs("}", T.f);
	return 0;
}

static void meta(const char *what, int pid, unsigned tid, const char *name)
{
	fprintf(T.f, ",\n{\"name\":\"%s\",\"ph\":\"M\",\"pid\":%d,\"tid\":%u,\"args\":{\"name\":",
		what, pid, tid);
	jstr(name);
	fputs("}}", T.f);
}

/*
 * The track of the buffer holding p: keyed by the start of its sim_name()
 * range (else by p), so a buffer named after its first event keeps one
 * track, renamed; 0 ("other buffers") when the table is full.
 */
static unsigned buf_track(uintptr_t p)
{
	uintptr_t key = p;
	const char *nm = sim__name_range(p, &key);
	char name[40];

	if (nm)
		snprintf(name, sizeof(name), "%s", nm);
	else
		snprintf(name, sizeof(name), "0x%llx", (unsigned long long)sim_virt_to_phys((void *)p));
	for (unsigned k = 0; k < T.nbuf; k++) {
		if (T.buf[k].key != key)
			continue;
		if (nm && strcmp(T.buf[k].name, name)) {
			snprintf(T.buf[k].name, sizeof(T.buf[k].name), "%s", name);
			meta("thread_name", 1, k + 1, name);
		}
		return k + 1;
	}
	if (T.nbuf == TRACE_BUFS)
		return 0;
	T.buf[T.nbuf].key = key;
	snprintf(T.buf[T.nbuf].name, sizeof(T.buf[T.nbuf].name), "%s", name);
	meta("thread_name", 1, T.nbuf + 1, name);
	return ++T.nbuf;
}

static unsigned line_track(size_t i)
{
	if (i < T.nnamed && !T.named[i]) {
		char nm[40];

		T.named[i] = 1;
		snprintf(nm, sizeof(nm), "line 0x%llx", (unsigned long long)(S.phys + i * S.line));
		meta("thread_name", 2, (unsigned)i + 1, nm);
	}
	return (unsigned)i + 1;
}

static void trace_atexit(void)
{
	(void)sim_trace_stop();
}

int sim_trace_start(const char *path)
{
	if (!path)
		return -COH_EINVAL;
	if (T.f)
		return -COH_EBUSY;
	T.f = fopen(path, "w");
	if (!T.f)
		return -COH_EIO;
	T.clk = 0;
	T.n = 0;
	T.nbuf = 0;
	fprintf(T.f, "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"producer\":\"coherent sim\"},"
		     "\"traceEvents\":[");
	/* the first element: every later one starts with ",\n" */
	fputs("\n{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,"
	      "\"args\":{\"name\":\"buffers (ownership)\"}}", T.f);
	meta("process_name", 2, 0, "cache lines");
	meta("process_name", 3, 0, "sanitizer reports");
	meta("thread_name", 1, 0, "other buffers");
	meta("thread_name", 3, 0, "reports");
	if (!T.atexit_set) {
		T.atexit_set = 1;
		atexit(trace_atexit);
	}
	return 0;
}

int sim_trace_stop(void)
{
	int rc;

	if (!T.f)
		return 0;
	/* ownership still open: a span up to now, marked unfinished */
	for (unsigned k = 0; k < T.nbuf && T.n < TRACE_MAX; k++) {
		char a[160], w[64];

		if (!T.buf[k].open)
			continue;
		where_str(w, sizeof(w), T.buf[k].given);
		snprintf(a, sizeof(a), "\"given at\":\"%s\",\"taken at\":\"(not yet)\"", w);
		event("device owns", "ownership", 'X', T.buf[k].since, T.clk - T.buf[k].since,
		      1, k + 1, a);
		T.buf[k].open = 0;
	}
	fputs("\n]}\n", T.f);
	rc = fclose(T.f) ? -COH_EIO : 0;
	T.f = NULL;
	free(T.named);
	T.named = NULL;
	T.nnamed = 0;
	return rc;
}

static void ensure_lines(void)
{
	if (T.nnamed != S.nlines) {
		free(T.named);
		T.named = calloc(S.nlines ? S.nlines : 1, 1);
		T.nnamed = T.named ? S.nlines : 0;
	}
}

void sim__trace_op(int op, const struct coh_device *dev, uintptr_t p, size_t len,
		   int dir, const struct coh_where *where)
{
	const char *on = sim__op_name(op);
	char name[64], a[200], w[64];
	unsigned tid;
	struct tbuf *b;

	if (!T.f || !on)
		return;
	T.clk++;
	tid = buf_track(p);
	where_str(w, sizeof(w), where);
	snprintf(name, sizeof(name), "%s%s", on, sim__dir_name(dir));
	snprintf(a, sizeof(a), "\"at\":\"%s\",\"bytes\":%zu,\"phys\":\"0x%llx\",\"dev\":\"%s\"",
		 w, len, (unsigned long long)sim_virt_to_phys((void *)p),
		 dev && dev->name ? dev->name : "-");
	event(name, op == COH_OP_BOUNCE ? "bounce" : "ownership", 'i', T.clk, 0, 1, tid, a);
	if (!tid)
		return;
	b = &T.buf[tid - 1];
	if (op == COH_OP_GIVE && !b->open) {
		b->open = 1;
		b->since = T.clk;
		b->given = where;
		b->dir = dir;
	} else if ((op == COH_OP_TAKE || op == COH_OP_UNSHARE) && b->open) {
		char g[64];

		where_str(g, sizeof(g), b->given);
		snprintf(name, sizeof(name), "device owns%s", sim__dir_name(b->dir));
		snprintf(a, sizeof(a), "\"given at\":\"%s\",\"taken at\":\"%s\"", g, w);
		event(name, "ownership", 'X', b->since, T.clk - b->since, 1, tid, a);
		b->open = 0;
	}
}

void sim__trace_line(const char *what, size_t i, const struct coh_device *dev)
{
	char a[96];

	if (!T.f)
		return;
	ensure_lines();
	T.clk++;
	snprintf(a, sizeof(a), "\"dev\":\"%s\"", dev && dev->name ? dev->name : "-");
	event(what, "cache", 'i', T.clk, 0, 2, line_track(i), a);
}

void sim__trace_dev(const char *what, const struct coh_device *dev, uintptr_t p,
		    size_t len)
{
	char a[96];

	if (!T.f)
		return;
	T.clk++;
	snprintf(a, sizeof(a), "\"bytes\":%zu,\"dev\":\"%s\"", len,
		 dev && dev->name ? dev->name : "-");
	event(what, "device", 'i', T.clk, 0, 1, buf_track(p), a);
}

void sim__trace_report(const struct sim_report *r)
{
	char a[480], w[64];
	int n;

	if (!T.f)
		return;
	T.clk++;
	snprintf(w, sizeof(w), "%s:%d", r->file ? r->file : "?", r->line);
	n = snprintf(a, sizeof(a), "\"bus\":\"0x%llx\",\"buf\":", (unsigned long long)r->bus);
	/* the message and names may hold quotes: written through jstr below */
	if (n < 0 || (size_t)n >= sizeof(a))
		return;
	if (T.n >= TRACE_MAX)
		return;
	T.n++;
	fprintf(T.f, ",\n{\"name\":\"%s\",\"cat\":\"report\",\"ph\":\"i\",\"s\":\"g\",\"ts\":%llu,"
		     "\"pid\":3,\"tid\":0,\"args\":{%s", sim_class_name(r->cls),
		(unsigned long long)T.clk, a);
	jstr(r->buf);
	fputs(",\"last change\":", T.f);
	jstr(w);
	fputs(",\"change\":", T.f);
	jstr(r->change);
	fputs(",\"msg\":", T.f);
	jstr(r->msg);
	fputs("}}", T.f);
	/* and on the line's own track, when the report is about a line */
	if (S.cpu && S.line && r->bus >= S.phys && r->bus < S.phys + S.size) {
		ensure_lines();
		event(sim_class_name(r->cls), "report", 'i', T.clk, 0, 2,
		      line_track((size_t)((r->bus - S.phys) / S.line)), NULL);
	}
}
