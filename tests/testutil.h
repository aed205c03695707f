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

#include "storesim/scenario.h"

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

/* A scenario that must parse: from text (named `name` in messages) or from a
 * file of the source tree, with --set assignments (sets may be NULL). The
 * test fails with the parser's message when it does not. */
void testutil_scenario(struct ss_scenario *sc, const char *name, const char *text,
                       const char *const *sets, size_t n_sets);
void testutil_scenario_file(struct ss_scenario *sc, const char *relative,
                            const char *const *sets, size_t n_sets);

/* Run "storesim ARGS..." (NULL-terminated) and give its exit status; its
 * standard output is handed over in *out when out is not NULL (free it). */
int testutil_cli_status(char **out, const char *first, ...);

/* JSON text with the whitespace between its tokens removed (strings kept as
 * they are), so that two documents can be compared as text; free() it. */
char *testutil_json_squeeze(const char *json);

/* The whole of a read/write stream, from its start; the stream is closed. */
char *testutil_read_stream(FILE *f);

#endif
