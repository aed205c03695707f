# cmake/mingw-w64-x86_64.cmake: cross-build storesim for 64-bit Windows with
# Debian's MinGW-w64 (apt-get install gcc-mingw-w64-x86-64):
#
#   cmake -S . -B build-win -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake \
#         -DSTORESIM_TESTS=OFF
#
# The result, build-win/storesim.exe, runs on Windows or under Wine
# (docs/install.md).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(STORESIM_MINGW_PREFIX x86_64-w64-mingw32 CACHE STRING "MinGW-w64 tool prefix")
set(CMAKE_C_COMPILER ${STORESIM_MINGW_PREFIX}-gcc)
set(CMAKE_RC_COMPILER ${STORESIM_MINGW_PREFIX}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${STORESIM_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
