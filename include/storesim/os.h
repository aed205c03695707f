/*
 * os.h: the one door to the operating system.
 *
 * C99 cannot tell a device, a FIFO or a read-only file from a regular file,
 * nor whether two names are one file, nor whether a stream is a terminal; it
 * has no exclusive create, no fsync, no SIGHUP or SIGPIPE. What storesim needs
 * of those is here, as a few plain functions, in the manner of SQLite's VFS:
 * every other module is pure C99 and includes no system header, and porting
 * storesim is writing one more implementation of this header.
 *
 * Three implementations, one chosen at build time:
 *   src/os_posix.c  Linux, the BSDs, macOS (POSIX.1-2008)
 *   src/os_win.c    Windows (Win32 and the C runtime's _open family)
 *   src/os_c99.c    anything else, or forced with cmake -DSTORESIM_OS=c99:
 *                   pure C99, answering "unknown" where it cannot know.
 * Each answer that may be unknown says so (-1, SS_OS_UNKNOWN, has_id = 0), and
 * the callers (src/output.c) then fall back to the old, safe-enough behaviour.
 *
 * Errors are reported as errno values (Windows errors are translated to the
 * nearest one), 0 when the system gave no reason, so that strerror() names it.
 * Nothing here allocates except ss_os_final_path, or keeps state except the
 * signal flag.
 */
#ifndef STORESIM_OS_H
#define STORESIM_OS_H

#include <stdio.h>

/* "posix", "windows" or "c99": which implementation this build has. */
const char *ss_os_name(void);

/* ---- what a path is -------------------------------------------------------- */

enum ss_os_kind {
    SS_OS_UNKNOWN = 0, /* cannot tell (the C99 build), or the lookup failed: see error */
    SS_OS_MISSING,     /* nothing by that name (or a symlink to nothing) */
    SS_OS_REGULAR,     /* a regular file */
    SS_OS_DIRECTORY,
    SS_OS_DEVICE,      /* a character or block device: a terminal, /dev/null, NUL, CON */
    SS_OS_FIFO,        /* a named pipe, or a pipe reached through /dev/fd/N */
    SS_OS_SOCKET,
    SS_OS_OTHER
};

/* The identity of a file: device and inode, or volume serial and file index. */
struct ss_os_id {
    unsigned long long volume;
    unsigned long long index;
};

struct ss_os_info {
    enum ss_os_kind kind; /* what the name leads to, symlinks followed */
    int symlink;          /* the name itself is a symbolic link: 1, 0, or -1 unknown */
    int has_id;           /* 1: id is the file's identity; 0: unknown */
    struct ss_os_id id;
    int writable;         /* this process may write the file (a directory: create files
                             in it): 1, 0, or -1 unknown */
    int write_bits;       /* any write permission bit is set (Windows: not read-only):
                             1, 0, or -1 unknown; root may write a file that has none */
    int error;            /* why kind is SS_OS_MISSING or SS_OS_UNKNOWN (errno), else 0 */
};

/* What `path` is. Never reads, writes, creates or changes anything, and never
 * waits: POSIX only looks (lstat, stat, faccessat); Windows opens a file or
 * folder for its identity, without access to its data, and knows devices
 * and pipes by name; the C99 build opens the file for update ("r+b") to
 * learn whether it can be written, and names under /dev/ not at all.
 * Always fills *info. */
void ss_os_inspect(const char *path, struct ss_os_info *info);

/* The same for standard stream fd (0, 1 or 2) as it is open now. */
void ss_os_inspect_std(int fd, struct ss_os_info *info);

/* Are a and b one file? 1 yes, 0 no, -1 cannot tell (an identity unknown). */
int ss_os_same_file(const struct ss_os_info *a, const struct ss_os_info *b);

/* Where writing `path` really goes: a symbolic link followed, link by link
 * (relative links read from the link's own folder), to the first name that
 * is not a link, which may not exist yet. A name that is not a link comes
 * back as it is. Returns a malloc'd string, or NULL with *error set (ELOOP,
 * ENOMEM, ...). The C99 build returns a copy of path. */
char *ss_os_final_path(const char *path, int *error);

/* ---- writing files ------------------------------------------------------------ */

/* Create `path` for writing only if nothing has that name (O_EXCL,
 * CREATE_NEW: never opens, truncates or follows what is there, not even a
 * dangling symlink). Returns 0 with *f open ("wb"), 1 when the name is taken,
 * -1 with *error for any other failure. The C99 build cannot create
 * exclusively: it counts every name it can open, or cannot open for another
 * reason than "no such file", as taken, then creates with fopen. */
int ss_os_create_new(const char *path, FILE **f, int *error);

/* Give the new file f the permission bits of the existing file `target` (and,
 * where this process may, its owner and group), before it replaces it.
 * Returns 0, or -1 with *error. The C99 build does nothing and returns 0. */
int ss_os_adopt_mode(FILE *f, const char *target, int *error);

/* Open a device or FIFO for writing in place: no create, no truncate, no
 * controlling terminal. Blocks on a FIFO until it has a reader (a signal
 * ends the wait with EINTR). Refuses (-1) what turns out to be a regular file
 * or a directory once open. Returns the stream or NULL with *error. */
FILE *ss_os_open_in_place(const char *path, int *error);

/* Push f's bytes to the disk: fflush, then fsync / FlushFileBuffers (the C99
 * build: fflush only). Returns 0, or -1 with *error. f stays open. */
int ss_os_sync(FILE *f, int *error);

/* Rename `from` over `to` in one step, durably: rename(2) then fsync of the
 * folder on POSIX; MoveFileEx with MOVEFILE_REPLACE_EXISTING and
 * MOVEFILE_WRITE_THROUGH on Windows; rename() in C99 (on Windows: remove,
 * then rename). Returns 0, or -1 with *error and `to` as it was. */
int ss_os_replace(const char *from, const char *to, int *error);

/* ---- standard streams and terminals ---------------------------------------------- */

/* Is f a terminal? 1, 0, or -1 cannot tell (the C99 build). */
int ss_os_is_terminal(FILE *f);

/* Call first in main. Each of the standard streams 0, 1, 2 that is closed
 * is opened on the null device, so that no file opened later takes its
 * number and receives the report or the messages; stdin write-only, stdout
 * and stderr read-only, so that using them fails (EBADF) as it would have
 * failed closed, instead of succeeding silently. Returns the set of those
 * found closed (bit 0 stdin, bit 1 stdout, bit 2 stderr), or -1 when the
 * build cannot tell (C99). */
int ss_os_guard_std_streams(void);

/* ---- memory -------------------------------------------------------------------------- */

/* The most memory this process may use, in bytes: the machine's physical
 * memory, or less when a limit is set on the process (ulimit -v, -d on
 * POSIX). 0 when the build cannot tell (C99). */
unsigned long long ss_os_memory_limit(void);

/* ---- signals ------------------------------------------------------------------------- */

/* Catch SIGINT, SIGTERM and SIGHUP (Ctrl-C, kill, the terminal closing; on
 * Windows Ctrl-C, Ctrl-Break and the console closing) with a handler that
 * only records the signal, as often as it comes (never reset to the default,
 * so a second Ctrl-C does not kill the process before it cleans up), and
 * without SA_RESTART, so that a blocked open or write returns EINTR. SIGPIPE
 * is ignored: a write to a closed pipe fails with EPIPE instead of killing
 * the process. Returns 0, or -1 if a handler could not be installed. The C99
 * build uses signal() and installs the handler again each time it runs. */
int ss_os_catch_signals(void);

/* The signal last caught (SIGINT, SIGTERM or SIGHUP; on Windows SIGINT for
 * Ctrl-C and SIGTERM for the rest), or 0 since the start or the last
 * ss_os_signal_clear(). */
int ss_os_signal_caught(void);

/* Forget the signal caught (a command has handled it). */
void ss_os_signal_clear(void);

/* Record `sig` as caught, as the handler does: for a caller's own handler
 * and for the tests. */
void ss_os_signal_note(int sig);

#endif
