/* version.c: the one version number, from CMake's project(VERSION). */
#include "storesim/version.h"

#ifndef STORESIM_VERSION
#error "STORESIM_VERSION is set by CMakeLists.txt from project(storesim VERSION ...)"
#endif

const char *ss_version(void)
{
    return STORESIM_VERSION;
}
