#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs every benchmark of a release build: bench/run.sh <build dir>
set -eu
b=${1:-build/bench}
"$b/bench/stream/stream_bench"
