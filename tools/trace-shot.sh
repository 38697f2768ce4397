#!/bin/sh
# SPDX-License-Identifier: MIT
# usage: tools/trace-shot.sh [host build dir]
# Renders a real trace to docs/trace/trace.png: the demo records a short run
# with a planted bug (--inject no-acquire: the destination is taken back
# TO_DEVICE, without the invalidate), the trace's first buffers and
# busiest cache lines are inlined into docs/trace/viewer.html, and Debian's
# headless Chromium screenshots the page offline (no network: every
# background service is switched off).  Needs: apt-get install chromium.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/host}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/demo/coh-demo" --count 4 --inject no-acquire --trace "$tmp/t.json" >/dev/null || true
python3 - "$tmp/t.json" "$root/docs/trace/viewer.html" "$tmp/shot.html" <<'PY'
import collections, json, sys
evs = json.load(open(sys.argv[1]))["traceEvents"]
names = {(e["pid"], e.get("tid")): e["args"]["name"] for e in evs
         if e["ph"] == "M" and e["name"] == "thread_name"}
keep_bufs = {"ring", "src[0]", "dst[0]", "src[1]", "dst[1]"}
busy = collections.Counter((e["pid"], e["tid"]) for e in evs if e["ph"] != "M" and e["pid"] == 2)
keep_lines = {k for k, _ in busy.most_common(14)}
def keep(e):
    k = (e["pid"], e.get("tid"))
    if e["ph"] == "M" and e["name"] == "process_name":
        return True
    if e["pid"] == 1:
        return names.get(k) in keep_bufs
    if e["pid"] == 2:
        return k in keep_lines
    return True
doc = {"traceEvents": [e for e in evs if keep(e)]}
html = open(sys.argv[2]).read().replace(
    "<body>", "<body>\n<script>window.COH_TRACE = " + json.dumps(doc) + ";</script>", 1)
open(sys.argv[3], "w").write(html)
PY
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --disable-sync --no-first-run --hide-scrollbars \
	--window-size=1400,760 --screenshot="$root/docs/trace/trace.png" \
	"file://$tmp/shot.html" 2>/dev/null
echo "trace-shot: docs/trace/trace.png"
