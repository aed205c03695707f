/*
 * testutil.h: small helpers shared by the cmocka tests.
 *
 * cmocka needs <stdarg.h>, <stddef.h>, <stdint.h> and <setjmp.h> before
 * <cmocka.h>; include this header instead of cmocka.h.
 */
#ifndef STORESIM_TESTUTIL_H
#define STORESIM_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

/* Path of a file in the source tree: testutil_src("scenarios/kb924567.scn").
 * Paths live in a ring of 16 buffers: copy one that must outlast 15 more calls. */
const char *testutil_src(const char *relative);

/* Path of a scratch file in the build tree, unique per name. */
const char *testutil_tmp(const char *name);

/* Whole contents of a file, NUL-terminated, or NULL; free() it. */
char *testutil_slurp(const char *path, size_t *len);

/* Write text to a file; 0 or -1. */
int testutil_write(const char *path, const char *text);

/* Does the file exist? */
int testutil_exists(const char *path);

/* What a storesim command printed, run in-process through ss_cli_main. */
struct testutil_run {
    int status;
    char *out; /* its standard output */
    char *err; /* its standard error */
};

/* Run "storesim ARGS..." (the list ends with NULL); free with testutil_run_free. */
struct testutil_run testutil_cli(const char *first, ...);
struct testutil_run testutil_cliv(const char *first, va_list ap);
void testutil_run_free(struct testutil_run *r);

/* The whole of a read/write stream, from its start; the stream is closed. */
char *testutil_read_stream(FILE *f);

#endif
