/*
 * output.h: the files a command writes (--csv, --json, --svg, --trace), written
 * whole or not at all, never over an input, never in place of a device.
 *
 * What a name leads to decides how it is written (the operating-system layer,
 * storesim/os.h, says what it is):
 *
 *   "-"                  the command's standard output, written directly;
 *   the same file as standard output (/dev/stdout, or a file stdout is
 *   redirected to)       the same: the command's standard output;
 *   the same file as standard error (/dev/stderr)   standard error, directly;
 *   a device or FIFO     opened and written in place, never replaced, never
 *                        created (/dev/null, /dev/full, a terminal, a named
 *                        pipe, a shell's >(...)); a write error is a failure;
 *   a regular file, or nothing yet
 *                        written to a temporary created exclusively beside
 *                        the target and renamed over it at commit; a file
 *                        replaced keeps its permission bits (and, where
 *                        allowed, owner and group);
 *   a symbolic link      followed: its final target is replaced as above,
 *                        with the temporary in the target's folder, and the
 *                        link stays;
 *   a directory, a socket, a read-only file, a name in a missing or
 *   unwritable folder    refused.
 *
 * The temporary is "<name>.tmp-<n>" in the target's folder, with <name> the
 * target's file name cut to 32 bytes (so that a name near the system's limit
 * still has room) and <n> the first number free: a name that exists is never
 * opened, truncated, reused or removed (O_EXCL), so files that merely look
 * like storesim's temporaries are never touched.
 *
 * A command's outputs are one set, used in four steps:
 *
 *   ss_outputs_check   before the run: refuses an output that is an input or
 *                      another output, or has an empty name (SS_OUTPUTS_BAD_NAME:
 *                      exit 2), and one that cannot be written
 *                      (SS_OUTPUTS_UNWRITABLE: exit 1);
 *   ss_outputs_open    opens them all (the temporaries, the devices in place);
 *   ...the run writes to ss_outputs_stream(set, i)...
 *   ss_outputs_commit  all or none: first every stream written in place (the
 *                      standard output, devices, FIFOs) is flushed and closed,
 *                      then every temporary is flushed to disk and closed; only
 *                      if all of that succeeded is any temporary renamed over
 *                      its target, one after the other;
 *   ss_outputs_abort   instead of commit (a failed or interrupted run):
 *                      removes the temporaries, replaces nothing.
 *
 * What remains possible: bytes sent to a stream (standard output, a device, a
 * pipe) are gone as soon as they are written, so a failed or interrupted run
 * may have sent part of a trace or CSV there; the files are still not
 * replaced. A rename can fail part-way through the commit (a target turned
 * into a folder during the run, the disk removed): the outputs before it are
 * then replaced and the rest are not, and the message says which is which.
 * Between the check and the commit, another program can still change what a
 * name is; the commit looks again before each rename and refuses to replace
 * anything but a regular file.
 *
 * Errors are the user's, not bugs: functions return non-zero and put one
 * sentence in err ("cannot write PATH: reason", or why two names clash); err
 * may be NULL or small (the sentence is cut, still a string).
 *
 * The single-output functions ss_output_open/commit/abort are the same steps
 * for one output (no check against other files).
 */
#ifndef STORESIM_OUTPUT_H
#define STORESIM_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

/* One output being written. Fields after is_stdout are output.c's own. */
struct ss_output {
    FILE *f;        /* write here; NULL when nothing is open */
    char *path;     /* the target as given (malloc'd); NULL for "-" */
    char *tmp;      /* the temporary (malloc'd); NULL when written in place */
    int is_stdout;  /* f is the command's standard output ("-" or the same file) */

    char *target;   /* where tmp is renamed: path, or the file a link leads to */
    int in_place;   /* a device, FIFO or standard error: f is written directly */
    int own_stream; /* f was opened here and is closed at commit or abort */
    const char *label; /* how messages name it ("--json"); may be NULL */
};

/* A file named on the command line. */
struct ss_file_arg {
    const char *label; /* how messages name it: "--json", "the scenario"; NULL: none */
    const char *path;  /* NULL: not asked for, skipped */
};

enum {
    SS_OUTPUTS_OK = 0,
    SS_OUTPUTS_UNWRITABLE = 1, /* an output cannot be written: exit status 1 */
    SS_OUTPUTS_BAD_NAME = 2    /* a mistake in the command line: an output that is an
                                  input or another output, or an empty name: exit 2 */
};

/* Can `outputs` be written, each to a file of its own, none over one of
 * `inputs`? Same file means the same file however it is named: another
 * spelling (./x, a/../x), a hard link, a symbolic link, /dev/stdout. Several
 * outputs may go to standard output (they share its stream), to standard
 * error, or to one device (/dev/null twice), but not to one file or FIFO.
 * Where the build cannot tell files apart (C99), names are compared as
 * spelled, up to "./" and repeated slashes. An empty name ("--json=") is a
 * bad name too. Returns SS_OUTPUTS_OK, or SS_OUTPUTS_BAD_NAME or
 * SS_OUTPUTS_UNWRITABLE with the first problem in err (a bad name is
 * reported before an unwritable output). Writes nothing. */
int ss_outputs_check(const struct ss_file_arg *outputs, size_t n,
                     const struct ss_file_arg *inputs, size_t n_inputs, char *err,
                     size_t err_size);

/* The outputs of one command. */
struct ss_outputs {
    struct ss_output *item; /* n, in the order asked (malloc'd) */
    size_t n;
    FILE *out;              /* what "-" means: the command's standard output */
};

/* Open every output of `outputs` (n entries; a NULL path is skipped and its
 * stream is NULL). `out` is the stream "-" means (NULL: stdout); it is
 * flushed and checked at commit like the rest, so give the report's stream.
 * Returns SS_OUTPUTS_OK, or SS_OUTPUTS_UNWRITABLE (or SS_OUTPUTS_BAD_NAME: the
 * outputs are checked against each other again, not against the inputs,
 * which only ss_outputs_check knows) with err set and nothing left open or
 * created (set zeroed). Call ss_outputs_check first, before the run. A FIFO
 * without a reader blocks here until one comes or a signal arrives (EINTR). */
int ss_outputs_open(struct ss_outputs *set, const struct ss_file_arg *outputs, size_t n,
                    FILE *out, char *err, size_t err_size);

/* Where output i goes: a temporary, a device, or `out`; NULL if not asked for. */
FILE *ss_outputs_stream(const struct ss_outputs *set, size_t i);

/* Commit all or none (the order is above). Returns 0, or -1 with err saying
 * which output failed and why, and, if the failure came part-way through
 * the renames, which were replaced and which not. The set is released
 * either way. */
int ss_outputs_commit(struct ss_outputs *set, char *err, size_t err_size);

/* Give up: remove every temporary, close what was opened, replace nothing.
 * Does nothing on a zeroed or released set; safe to call twice. */
void ss_outputs_abort(struct ss_outputs *set);

/* ---- one output on its own ------------------------------------------------------ */

/* Open `path` ("-" for stdout) for writing, as ss_outputs_open does for one.
 * Returns 0, or -1 with o zeroed and err = "cannot write PATH: reason". */
int ss_output_open(struct ss_output *o, const char *path, char *err, size_t err_size);

/* Flush and close, then rename the temporary over the target. Returns 0, or
 * -1 with err set, the temporary removed and the target left alone. Either
 * way o is zeroed after. For "-": flush stdout and check for errors.
 * Committing an output that is not open is a caller bug (assert). */
int ss_output_commit(struct ss_output *o, char *err, size_t err_size);

/* Give up: close and remove the temporary; the target is not touched. Does
 * nothing for stdout, after a commit, or on a zeroed struct. */
void ss_output_abort(struct ss_output *o);

#endif
