#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""usage: check_doc.py <doc.md> <source.c>
Every ```c block of the document must appear verbatim in the source (the
source is what make test compiles and runs), and there must be some."""
import re
import sys

doc, src = open(sys.argv[1]).read(), open(sys.argv[2]).read()
blocks = re.findall(r"```c\n(.*?)```", doc, re.S)
bad = [b for b in blocks if b not in src]
for b in bad:
    print("tutorial: block not in %s:\n%s" % (sys.argv[2], b))
print("tutorial: %d code blocks, %d not in the tested source" % (len(blocks), len(bad)))
sys.exit(1 if bad or not blocks else 0)
