/* SPDX-License-Identifier: MIT */
/*
 * sim/report.c - sanitizer reports: class names, buffer names (sim_name),
 * the once-per-class-per-line dedup, counting, the hook and the default
 * printer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim_internal.h"

static const char *const class_names[SIM_NCLASSES] = {
	"STALE_DEVICE_READ",   "STALE_CPU_READ",	  "PARTIAL_LINE_LOSS",
	"EVICT_OVER_DEVICE",   "CPU_WRITE_DEVICE_OWNED", "SPECULATIVE_STALE",
	"BAD_BUS_ADDRESS",     "FREE_DEVICE_OWNED",	  "UNORDERED_STORES",
	"UNORDERED_LOADS",     "CPU_READ_DEVICE_OWNED", "CPU_WRITE_STALE_LINE",
	"DEVICE_WRITE_NOT_OWNED", "DEVICE_READ_NOT_GIVEN", "UNORDERED_DOORBELL",
	"LEAK_AT_TEARDOWN",    "OVERLAPPING_MAP",	  "USE_AFTER_FINI",
	"INVALIDATE_CPU_DATA",
};

const char *sim_class_name(int cls)
{
	return cls >= 0 && cls < SIM_NCLASSES ? class_names[cls] : "?";
}

const char *sim__op_name(int op)
{
	switch (op) {
	case COH_OP_RELEASE: return "coh_release";
	case COH_OP_ACQUIRE: return "coh_acquire";
	case COH_OP_FLUSH: return "coh_flush";
	case COH_OP_GIVE: return "coh_give";
	case COH_OP_TAKE: return "coh_take";
	case COH_OP_CONSUME: return "coh_consume";
	case COH_OP_SHARE: return "coh_share";
	case COH_OP_UNSHARE: return "coh_unshare";
	case COH_OP_BOUNCE: return "bounce";
	case COH_OP_MAP: return "coh_map";
	default: return NULL;
	}
}

const char *sim__dir_name(int dir)
{
	switch (dir) {
	case COH_TO_DEVICE: return " TO_DEVICE";
	case COH_FROM_DEVICE: return " FROM_DEVICE";
	case COH_BIDIRECTIONAL: return " BIDIRECTIONAL";
	default: return "";
	}
}

const char *sim__name_range(uintptr_t p, uintptr_t *start)
{
	for (unsigned k = S.nnames; k-- > 0;)
		if (p >= S.names[k].s && p < S.names[k].e) {
			if (start)
				*start = S.names[k].s;
			return S.names[k].name;
		}
	return NULL;
}

const char *sim__name_of(uintptr_t p)
{
	return sim__name_range(p, NULL);
}

void sim_name(const void *p, size_t len, const char *name)
{
	struct name *n;

	if (!S.up || !p || !name)
		return;
	for (unsigned k = 0; k < S.nnames; k++)
		if (S.names[k].s == (uintptr_t)p) {
			n = &S.names[k];
			goto set;
		}
	if (S.nnames == NAMES)
		return;
	n = &S.names[S.nnames++];
set:
	n->s = (uintptr_t)p;
	n->e = (uintptr_t)p + (len ? len : 1);
	snprintf(n->name, sizeof(n->name), "%s", name);
}

const char *sim__base_name(const char *f)
{
	const char *s = f ? strrchr(f, '/') : NULL;

	return s ? s + 1 : f;
}

void sim_print_report(const struct sim_report *r, void *file)
{
	FILE *f = file ? file : stderr;

	fprintf(f, "coherent-sim: %s bus=0x%llx buf=%s seed=%llu last-change=",
		sim_class_name(r->cls), (unsigned long long)r->bus,
		r->buf[0] ? r->buf : "-", (unsigned long long)r->seed);
	if (r->file)
		fprintf(f, "%s:%d", r->file, r->line);
	else if (r->change[0])
		/* a library call with no site: the caller passed none */
		fprintf(f, "?:0");
	else
		fprintf(f, "-");
	if (r->change[0])
		fprintf(f, " (%s%s)", r->change,
			r->file ? "" : "; call site not recorded: caller built with NDEBUG/COH_DEBUG=0");
	fprintf(f, " dev=%s: %s\n", r->dev ? r->dev : "-", r->msg);
}

/* count and deliver a report whose class, address and message are set */
void sim__emit(struct sim_report *r, const struct coh_device *dev)
{
	r->seed = S.cfg.seed;
	r->dev = dev ? dev->name : NULL;
	S.counts[r->cls]++;
	S.total++;
	if (dev)
		__atomic_fetch_add(&((struct coh_device *)(uintptr_t)dev)->stats.reports,
				   1ul, __ATOMIC_RELAXED);
	sim__trace_report(r);
	if (S.hook) {
		S.hook(r, S.hook_ctx);
	} else if (S.printed++ < PRINT_MAX) {
		sim_print_report(r, stderr);
		if (S.printed == PRINT_MAX)
			fprintf(stderr, "coherent-sim: further reports counted, not printed\n");
	}
}

/*
 * i: line index or SIZE_MAX; dev: the device involved, if known; at: the
 * access (instrumented code) the report is about, or NULL: the line's last
 * library call is named instead.
 */
static void vreport(int cls, size_t i, uint64_t bus, const struct coh_device *dev,
		    const struct site *at, const char *fmt, va_list ap)
{
	struct sim_report r;
	char last[160] = "";

	memset(&r, 0, sizeof(r));
	if (i != SIZE_MAX) {
		struct sline *m = &S.meta[i];
		const char *on = sim__op_name(m->last_op);

		if (m->rep & (1u << cls))
			return; /* once per class per line until its state is reset */
		m->rep |= 1u << cls;
		if (!dev)
			dev = m->dev;
		bus = S.phys + i * S.line + (dev ? dev->bus_offset : 0);
		const char *nm = NULL;

		/* a name covering any byte of the line */
		for (size_t b = 0; b < S.line && !nm; b++)
			nm = sim__name_of((uintptr_t)CPU(i) + b);
		if (nm)
			snprintf(r.buf, sizeof(r.buf), "%s", nm);
		if (m->where) {
			r.file = sim__base_name(m->where->file);
			r.line = m->where->line;
		}
		if (on) {
			snprintf(r.change, sizeof(r.change), "%s%s", on,
				 sim__dir_name(m->last_dir));
		}
		if (at && on) {
			char lw[64];

			sim__where_str(lw, sizeof(lw), m->where);
			snprintf(last, sizeof(last), " [last library call on the line: %s%s at %s]",
				 on, sim__dir_name(m->last_dir), lw);
		}
	}
	if (at) {
		/* the access itself is the place to look */
		r.file = NULL;
		r.line = 0;
		sim__site_loc(*at, &r.file, &r.line);
		snprintf(r.change, sizeof(r.change), "%s", "CPU access");
	}
	if (!at && S.in_dev && S.kick_at.pc) {
		/* a device access: the register write that started the device is the driver's line */
		const char *kf;
		int kl;

		sim__site_loc(S.kick_at, &kf, &kl);
		if (kf && !r.file) {
			r.file = kf;
			r.line = kl;
			snprintf(r.change, sizeof(r.change), "%s", "MMIO write that started the device");
		} else if (kf) {
			snprintf(last, sizeof(last), " [the device was started by the MMIO write at %s:%d]",
				 kf, kl);
		}
	}
	r.cls = cls;
	r.bus = bus;
	vsnprintf(r.msg, sizeof(r.msg), fmt, ap);
	if (last[0] && strlen(r.msg) + strlen(last) < sizeof(r.msg))
		strcat(r.msg, last);
	sim__emit(&r, dev);
}

void sim__report(int cls, size_t i, uint64_t bus, const struct coh_device *dev,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cls, i, bus, dev, NULL, fmt, ap);
	va_end(ap);
}

void sim__report_at(int cls, size_t i, uint64_t bus, const struct coh_device *dev,
		    struct site at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cls, i, bus, dev, &at, fmt, ap);
	va_end(ap);
}

void sim_set_report_hook(sim_report_fn fn, void *ctx)
{
	S.hook = fn;
	S.hook_ctx = ctx;
}

unsigned long sim_reports(int cls)
{
	if (cls < 0)
		return S.total;
	return cls < SIM_NCLASSES ? S.counts[cls] : 0;
}

void sim__where_str(char *buf, size_t n, const struct coh_where *w)
{
	if (w && w->file)
		snprintf(buf, n, "%s:%d", sim__base_name(w->file), w->line);
	else
		snprintf(buf, n, "?:0 (no site: NDEBUG)");
}

void sim__site_loc(struct site at, const char **file, int *line)
{
	int rc;

	*file = NULL;
	*line = 0;
	if (at.w && at.w->file) {
		*file = sim__base_name(at.w->file);
		*line = at.w->line;
		return;
	}
	if (!at.pc || (rc = sim__symbolize(at.pc, file, line)) < 0)
		return;
	/* inside the library's header code, not inlined (-O0): its callers */
	for (int k = 0; rc == 1 && k < 3 && at.up[k]; k++) {
		const char *f;
		int l;

		if (sim__symbolize(at.up[k], &f, &l) == 0) {
			*file = f;
			*line = l;
			rc = 0;
		}
	}
}

void sim__site_str(char *buf, size_t n, struct site at)
{
	const char *f;
	int l;

	sim__site_loc(at, &f, &l);
	if (f)
		snprintf(buf, n, "%s:%d", f, l);
	else if (at.pc)
		snprintf(buf, n, "pc=0x%llx", (unsigned long long)at.pc);
	else
		snprintf(buf, n, "?");
}

/*
 * A report about an access rather than a line (the ordering models): the
 * buffer named at a, the place is the access's site, change says what kind
 * of access it was.  msg is cut to fit.
 */
void sim__report_access(int cls, const struct coh_device *dev, uint64_t bus,
			uintptr_t a, struct site at, const char *change,
			const char *msg)
{
	struct sim_report r;
	const char *nm = sim__name_of(a);

	memset(&r, 0, sizeof(r));
	r.cls = cls;
	r.bus = bus;
	if (nm)
		snprintf(r.buf, sizeof(r.buf), "%s", nm);
	sim__site_loc(at, &r.file, &r.line);
	snprintf(r.change, sizeof(r.change), "%s", change);
	snprintf(r.msg, sizeof(r.msg), "%s", msg);
	sim__emit(&r, dev);
}
