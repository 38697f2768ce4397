# SPDX-License-Identifier: MIT
# Framebuffers on QEMU aarch64 virt (included by platform/aarch64-virt/
# target.cmake): tests/fb/qemu_fb.c through tools/fb.sh, which compares
# QEMU's screendumps with the picture.  make qemu-fb runs the same ELFs.
set(FBD ${COH_ROOT}/drivers)
add_library(fb_drv STATIC ${FBD}/fb/draw.c ${FBD}/virtio/virtio_gpu.c
  ${FBD}/ramfb/fw_cfg.c ${FBD}/ramfb/ramfb.c)
target_link_libraries(fb_drv PUBLIC virtio_drv coherent)
target_compile_options(fb_drv PRIVATE ${COH_CORE_WARN})

# qemu-fb-<device>[-wc]: the frame in cached memory, or write-combining
foreach(v virtio-gpu virtio-gpu-wc virtio-gpu-mutant-row virtio-gpu-unpadded ramfb ramfb-wc)
  add_executable(qemu-fb-${v} ${COH_ROOT}/tests/fb/qemu_fb.c ${COH_ROOT}/tests/fb/picture.c
    ${COH_ROOT}/tests/virtio/qemu_env.c
    ${COH_PLATFORM_SOURCES})
  set_target_properties(qemu-fb-${v} PROPERTIES SUFFIX ".elf")
  target_include_directories(qemu-fb-${v} PRIVATE ${COH_ROOT}/tests ${COH_PLATFORM_DIR})
  target_link_libraries(qemu-fb-${v} PRIVATE fb_drv virtio_drv coherent)
  target_compile_options(qemu-fb-${v} PRIVATE ${COH_WARN})
  target_compile_definitions(qemu-fb-${v} PRIVATE COH_TEST_TARGET="qemu-fb-${v}")
  target_link_options(qemu-fb-${v} PRIVATE ${COH_LINK_OPTIONS})
endforeach()
target_compile_definitions(qemu-fb-virtio-gpu PRIVATE FB_VIRTIO_GPU)
target_compile_definitions(qemu-fb-virtio-gpu-wc PRIVATE FB_VIRTIO_GPU FB_WC)
# asks QEMU for a picture's own size even below its 16x16 minimum: a device error
target_compile_definitions(qemu-fb-virtio-gpu-unpadded PRIVATE FB_VIRTIO_GPU FB_UNPADDED)
target_compile_definitions(qemu-fb-virtio-gpu-mutant-row PRIVATE FB_VIRTIO_GPU FB_MUTANT_ROW)
target_compile_definitions(qemu-fb-ramfb PRIVATE FB_RAMFB)
target_compile_definitions(qemu-fb-ramfb-wc PRIVATE FB_RAMFB FB_WC)

# An odd-sized picture (partial updates of odd widths), and one at the largest size.
set(FBT "sh ${COH_ROOT}/tools/fb.sh")
set(MKPPM "python3 ${COH_ROOT}/tests/fb/make_ppm.py")
add_test(NAME fb_virtio_gpu COMMAND sh -c
  "${MKPPM} 317 203 1 fb_virtio_gpu.ppm && ${FBT} virtio-gpu $<TARGET_FILE:qemu-fb-virtio-gpu> fb_virtio_gpu.ppm")
add_test(NAME fb_ramfb COMMAND sh -c
  "${MKPPM} 333 111 4 fb_ramfb.ppm && ${FBT} ramfb $<TARGET_FILE:qemu-fb-ramfb> fb_ramfb.ppm")
# Pictures below QEMU's 16x16 minimum mode: shown in a 16-pixel mode, cropped.
add_test(NAME fb_virtio_gpu_small COMMAND sh -c
  "${MKPPM} 7 3 7 fb_virtio_gpu_small.ppm && ${FBT} virtio-gpu $<TARGET_FILE:qemu-fb-virtio-gpu> fb_virtio_gpu_small.ppm")
add_test(NAME fb_ramfb_small COMMAND sh -c
  "${MKPPM} 1 21 8 fb_ramfb_small.ppm && ${FBT} ramfb $<TARGET_FILE:qemu-fb-ramfb> fb_ramfb_small.ppm")
set_tests_properties(fb_virtio_gpu fb_ramfb fb_virtio_gpu_small fb_ramfb_small
  PROPERTIES LABELS "fb" TIMEOUT 120)
# The rest once, in the GCC build (make test also builds every target with
# Clang: the same runs there would only double the time).
if(CMAKE_C_COMPILER_ID STREQUAL "Clang")
  return()
endif()
add_test(NAME fb_virtio_gpu_wc_1280x800 COMMAND sh -c
  "${MKPPM} 1280 800 2 fb_virtio_gpu_wc.ppm && ${FBT} virtio-gpu $<TARGET_FILE:qemu-fb-virtio-gpu-wc> fb_virtio_gpu_wc.ppm")
add_test(NAME fb_ramfb_wc COMMAND sh -c
  "${MKPPM} 640 481 5 fb_ramfb_wc.ppm && ${FBT} ramfb $<TARGET_FILE:qemu-fb-ramfb-wc> fb_ramfb_wc.ppm")
set_tests_properties(fb_virtio_gpu_wc_1280x800 fb_ramfb_wc PROPERTIES LABELS "fb" TIMEOUT 120)
# The planted bug: the second update one row off; the harness must fail it.
add_test(NAME fb_virtio_gpu_mutant_row COMMAND sh -c
  "${MKPPM} 64 48 3 fb_mutant_row.ppm && ${FBT} virtio-gpu $<TARGET_FILE:qemu-fb-virtio-gpu-mutant-row> fb_mutant_row.ppm")
set_tests_properties(fb_virtio_gpu_mutant_row PROPERTIES LABELS "fb" TIMEOUT 120
  PASS_REGULAR_EXPRESSION "second screendump: [1-9][0-9]* rows wrong inside")
# A device error: QEMU's scanouts refuse a mode below 16x16 with
# VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER (0x1205): -COH_EIO, a failed run.
add_test(NAME fb_virtio_gpu_device_error COMMAND sh -c
  "${MKPPM} 8 8 6 fb_device_error.ppm && ${FBT} virtio-gpu $<TARGET_FILE:qemu-fb-virtio-gpu-unpadded> fb_device_error.ppm")
set_tests_properties(fb_virtio_gpu_device_error PROPERTIES LABELS "fb" TIMEOUT 120
  PASS_REGULAR_EXPRESSION "response type 0x1205.*virtio_gpu_set_mode \\(EIO\\)")
