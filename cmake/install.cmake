# SPDX-License-Identifier: MIT
# cmake --install: the public headers, every backend's headers, one static
# library per backend built here, a CMake package and pkg-config files.
#
#   find_package(coherent 0.1 REQUIRED)
#   target_link_libraries(app PRIVATE coherent::x86_64)   # or ::generic, ::sim, ::aarch64 ...
#
#   pkg-config --cflags --libs coherent       # hosted: the host's own backend
#   pkg-config --cflags --libs coherent-sim   # the simulator, for host tests
#
# The same coherent::<backend> names exist in a tree that pulls this one in
# with add_subdirectory(), so a consumer's CMake is the same either way.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(COH_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/coherent)
set(coh_exported "")

# coh_export(<library target> <backend name>)
function(coh_export target backend)
  if(NOT TARGET ${target})
    return()
  endif()
  add_library(coherent::${backend} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${backend}
    OUTPUT_NAME coherent_${backend})
  # A backend's coh_arch.h is found by name: its folder is on the path.
  target_include_directories(${target} INTERFACE
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/coherent/arch/${backend}>)
  install(TARGETS ${target} EXPORT coherentTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  set(coh_exported ${coh_exported} ${backend} PARENT_SCOPE)
endfunction()

if(COH_TARGET STREQUAL "")
  coh_export(coherent_x86_64 x86_64)
  coh_export(coherent_generic generic)
  coh_export(coherent_sim sim)
else()
  coh_export(coherent ${COH_BACKEND})
  coh_export(coherent_thead riscv64-thead)
  coh_export(coherent_sifive riscv64-sifive-ccache)
endif()

install(DIRECTORY ${COH_ROOT}/include/coherent
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
# Every backend's headers (small; the *-common folders they share included),
# so a kernel build can also pick its backend from the installed tree.
install(DIRECTORY ${COH_ROOT}/arch/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/coherent/arch FILES_MATCHING PATTERN "*.h")
if("sim" IN_LIST coh_exported)
  install(DIRECTORY ${COH_ROOT}/sim/
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/coherent/arch/sim FILES_MATCHING PATTERN "*.h"
    PATTERN "*_internal.h" EXCLUDE)
endif()

install(EXPORT coherentTargets NAMESPACE coherent::
  DESTINATION ${COH_INSTALL_CMAKEDIR})
# the simulator's access observer out of tree: coh_sim_instrument() comes
# with find_package(coherent), its forced-include header with the sim headers
set(COH_INSTALL_SIMINC ${CMAKE_INSTALL_INCLUDEDIR}/coherent/arch/sim)
if("sim" IN_LIST coh_exported)
  install(FILES ${COH_ROOT}/cmake/sim_instrument.cmake DESTINATION ${COH_INSTALL_CMAKEDIR})
endif()
configure_package_config_file(${COH_ROOT}/cmake/coherentConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/coherentConfig.cmake
  INSTALL_DESTINATION ${COH_INSTALL_CMAKEDIR} PATH_VARS COH_INSTALL_SIMINC)
# 0.x: a minor release may break the API, so only the same minor matches.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/coherentConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/coherentConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/coherentConfigVersion.cmake
  DESTINATION ${COH_INSTALL_CMAKEDIR})

# pkg-config, hosted builds only: the host's backend and the simulator.
if(COH_TARGET STREQUAL "")
  # the .pc finds the prefix from its own place (lib/ or lib/<multiarch>/)
  file(RELATIVE_PATH COH_PC_UP ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
  foreach(pc coherent:x86_64 coherent-sim:sim)
    string(REPLACE ":" ";" pc ${pc})
    list(GET pc 0 COH_PC_NAME)
    list(GET pc 1 COH_PC_BACKEND)
    # coherent-sim: code compiled with its Cflags is instrumented, as
    # coh_sim_instrument() does it, for the compiler that built this package
    # (the other compiler's flags: pkg-config --variable=instrument_<gnu|clang>)
    set(COH_PC_INSTR "")
    set(COH_PC_VARS "")
    if(COH_PC_BACKEND STREQUAL "sim")
      set_property(GLOBAL PROPERTY COH_SIM_INSTRUMENT_H
        "\${includedir}/coherent/arch/sim/sim_instrument.h")
      foreach(id GNU Clang)
        coh_sim_instrument_flags(f ${id})
        string(REPLACE ";" " " f "${f}")
        string(TOLOWER ${id} lid)
        string(APPEND COH_PC_VARS "instrument_${lid}=${f}\n")
      endforeach()
      set(COH_PC_INSTR " \${instrument_${CMAKE_C_COMPILER_ID}}")
      string(TOLOWER "${COH_PC_INSTR}" COH_PC_INSTR)
      set_property(GLOBAL PROPERTY COH_SIM_INSTRUMENT_H ${COH_ROOT}/sim/sim_instrument.h)
    endif()
    configure_file(${COH_ROOT}/cmake/coherent.pc.in
      ${CMAKE_CURRENT_BINARY_DIR}/${COH_PC_NAME}.pc @ONLY)
    install(FILES ${CMAKE_CURRENT_BINARY_DIR}/${COH_PC_NAME}.pc
      DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
  endforeach()
endif()
