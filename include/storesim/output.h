/*
 * output.h: output files that are never half-written.
 *
 * A report file (--csv, --json, --svg, --trace) is either written whole or not
 * at all: the text goes to a temporary file beside the target, named
 * "<path>.tmp-<n>", and only ss_output_commit() renames it over the target once
 * every byte is flushed and the file closed without error. A failed or
 * abandoned run removes the temporary and leaves any earlier file at the path
 * as it was. Staying in the target's directory keeps the rename on one file
 * system, where it replaces the file in one step.
 *
 * C99 has no exclusive-create mode (fopen's "x" is C11) and no mkstemp, so
 * <n> is the first number whose name does not exist yet. Two processes racing
 * for the same path could pick the same name; storesim writes each output
 * once, so that is accepted.
 *
 * The path "-" means standard output (SPEC section 4): it is written directly,
 * never closed, and commit only flushes it and checks for errors.
 *
 * Errors are input errors, not bugs: functions return -1 and put a sentence
 * for the user in err, "cannot write PATH: reason", and main exits with 1.
 */
#ifndef STORESIM_OUTPUT_H
#define STORESIM_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

struct ss_output {
    FILE *f;        /* write here; NULL when nothing is open */
    char *path;     /* the target, as given (malloc'd); NULL for stdout */
    char *tmp;      /* the temporary beside it (malloc'd); NULL for stdout */
    int is_stdout;  /* path was "-": f is stdout */
};

/* Open `path` ("-" for stdout) for writing, via a fresh temporary file.
 * Returns 0, or -1 with o zeroed and err = "cannot write PATH: reason"
 * (err may be NULL). */
int ss_output_open(struct ss_output *o, const char *path, char *err, size_t err_size);

/* Flush and close the temporary and rename it over the target. Returns 0, or
 * -1 with err set, the temporary removed and any previous target left alone.
 * Either way o is zeroed after. For stdout: flush and check for errors.
 * Committing an output that is not open is a caller bug (assert). */
int ss_output_commit(struct ss_output *o, char *err, size_t err_size);

/* Give up: close and remove the temporary; the target is not touched. Does
 * nothing for stdout, after a commit, or on a zeroed struct. */
void ss_output_abort(struct ss_output *o);

#endif
