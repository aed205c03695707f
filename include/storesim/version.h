/*
 * version.h: the one version number of storesim.
 *
 * It is set once, in CMakeLists.txt (project(storesim VERSION ...)), and
 * everything that shows a version takes it from there: `storesim --version`,
 * the first line of every report, the man pages, the Debian package, the
 * CMake package and pkg-config files, and the JSON output. The build passes
 * it to src/version.c only; a program built against the installed library
 * asks ss_version() at run time, so it always names the library it runs.
 */
#ifndef STORESIM_VERSION_H
#define STORESIM_VERSION_H

/* "1.0.0": major.minor.patch, as in CMakeLists.txt. Never NULL. */
const char *ss_version(void);

#endif
