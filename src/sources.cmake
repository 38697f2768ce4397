# SPDX-License-Identifier: MIT
# Core sources beyond the fence contract (appended per capability).
list(APPEND COH_CORE_SOURCES
  ${COH_ROOT}/src/lock.c
  ${COH_ROOT}/src/region.c
  ${COH_ROOT}/src/mem.c
  ${COH_ROOT}/src/pool.c
  ${COH_ROOT}/src/driver.c
  ${COH_ROOT}/src/ring.c
  ${COH_ROOT}/src/queue.c
  ${COH_ROOT}/src/cq.c
  ${COH_ROOT}/src/stream.c
  ${COH_ROOT}/src/stream_map.c
  ${COH_ROOT}/src/stream_sg.c
  ${COH_ROOT}/src/stream_seg.c
  ${COH_ROOT}/src/stream_bounce.c
  ${COH_ROOT}/src/stream_rec.c
  ${COH_ROOT}/src/stream_check.c
  ${COH_ROOT}/src/check.c
  ${COH_ROOT}/src/version.c
  ${COH_ROOT}/src/compat_linux.c
  # framebuffers: the rectangle release (issue 23)
  ${COH_ROOT}/src/rect.c
)
