/*
 * os_c99.c: include/storesim/os.h in pure C99, for a system with neither
 * POSIX nor Windows, or any build configured with -DSTORESIM_OS=c99.
 *
 * C99 knows files only through fopen, so this answers "unknown" wherever it
 * would have to guess, and src/output.c falls back to what storesim did
 * before it had an operating-system layer: write a temporary beside the
 * target and rename it over the target. What it can still learn safely:
 *   - whether a name can be opened for update ("r+b" opens, never creates or
 *     truncates): a read-only file or a directory is refused before a run,
 *     with the system's reason (as root, a read-only file can be opened and
 *     is replaced: C99 cannot see permission bits);
 *   - "no such file" (ENOENT, where <errno.h> has it) means missing;
 *   - a name under /dev/ is a device by convention, written in place rather
 *     than replaced by a regular file (/dev/null, /dev/full, /dev/tty).
 * It cannot tell two names of one file apart (callers compare spellings), nor
 * follow symbolic links (a link is replaced by a file), nor create a file
 * exclusively (it probes, then creates: see ss_os_create_new), nor see
 * whether a standard stream is closed or a terminal. docs/robustness.md says
 * what that means for each kind of output.
 */
#if defined(STORESIM_OS_C99) || !(defined(_WIN32) || defined(__unix__) || defined(__APPLE__))

#include "storesim/os.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

const char *ss_os_name(void)
{
    return "c99";
}

static void unknown(struct ss_os_info *info, int error)
{
    memset(info, 0, sizeof *info);
    info->kind = SS_OS_UNKNOWN;
    info->symlink = -1;
    info->writable = -1;
    info->write_bits = -1;
    info->error = error;
}

static int is_no_such_file(int e)
{
#ifdef ENOENT
    return e == ENOENT;
#else
    (void)e;
    return 0;
#endif
}

void ss_os_inspect(const char *path, struct ss_os_info *info)
{
    FILE *f;
    int e;
    unknown(info, 0);
    if (strncmp(path, "/dev/", 5) == 0) {
        info->kind = SS_OS_DEVICE;
        return;
    }
    errno = 0;
    f = fopen(path, "r+b");
    if (f) {
        fclose(f);
        info->writable = 1;
        return;
    }
    e = errno;
    info->error = e;
    if (is_no_such_file(e)) {
        info->kind = SS_OS_MISSING;
        return;
    }
#ifdef EISDIR
    if (e == EISDIR) {
        info->kind = SS_OS_DIRECTORY; /* whether files can be made in it: unknown */
        return;
    }
#endif
    if (e != 0)
        info->writable = 0; /* it is there and cannot be written: the reason says why */
}

void ss_os_inspect_std(int fd, struct ss_os_info *info)
{
    (void)fd;
    unknown(info, 0);
}

int ss_os_same_file(const struct ss_os_info *a, const struct ss_os_info *b)
{
    (void)a;
    (void)b;
    return -1;
}

char *ss_os_final_path(const char *path, int *error)
{
    size_t n = strlen(path) + 1;
    char *c = malloc(n);
    *error = 0;
    if (c)
        memcpy(c, path, n);
    else
        *error = errno;
    return c;
}

int ss_os_create_new(const char *path, FILE **f, int *error)
{
    FILE *probe;
    int e;
    *f = NULL;
    *error = 0;
    /* Not atomic: a name that appears between the probe and the create is
     * truncated. Only a name that cannot be opened because it does not
     * exist counts as free. (Opening a FIFO by that name would block: the
     * C99 build cannot know that it is one.) */
    errno = 0;
    probe = fopen(path, "rb");
    if (probe) {
        fclose(probe);
        return 1;
    }
    e = errno;
    if (e != 0 && !is_no_such_file(e))
        return 1;
    errno = 0;
    *f = fopen(path, "wb");
    if (!*f) {
        *error = errno;
        return -1;
    }
    return 0;
}

int ss_os_adopt_mode(FILE *f, const char *target, int *error)
{
    (void)f;
    (void)target;
    *error = 0;
    return 0;
}

FILE *ss_os_open_in_place(const char *path, int *error)
{
    FILE *f;
    errno = 0;
    f = fopen(path, "wb"); /* a device: "w" truncates nothing */
    *error = f ? 0 : errno;
    return f;
}

int ss_os_sync(FILE *f, int *error)
{
    errno = 0;
    *error = 0;
    if (fflush(f) != 0) {
        *error = errno;
        return -1;
    }
    return 0;
}

int ss_os_replace(const char *from, const char *to, int *error)
{
    errno = 0;
    *error = 0;
    if (rename(from, to) == 0)
        return 0;
#ifdef _WIN32
    /* Windows' rename() does not replace an existing file: not atomic. */
    remove(to);
    errno = 0;
    if (rename(from, to) == 0)
        return 0;
#endif
    *error = errno;
    return -1;
}

unsigned long long ss_os_memory_limit(void)
{
    return 0;
}

int ss_os_is_terminal(FILE *f)
{
    (void)f;
    return -1;
}

int ss_os_guard_std_streams(void)
{
    return -1;
}

static volatile sig_atomic_t caught;

/* C99 lets an implementation reset a handler to SIG_DFL before calling it
 * (glibc does, under -std=c99): install it again at once, as C99 7.14.1.1
 * allows, so that a second signal is caught too. */
static void on_signal(int sig)
{
    signal(sig, on_signal);
    caught = sig;
}

/* Catch sig, unless it was ignored when storesim started (nohup). */
static int catch_one(int sig)
{
    void (*old)(int) = signal(sig, on_signal);
    if (old == SIG_ERR)
        return -1;
    if (old == SIG_IGN)
        signal(sig, SIG_IGN);
    return 0;
}

int ss_os_catch_signals(void)
{
    int status = 0;
    status |= catch_one(SIGINT);
    status |= catch_one(SIGTERM);
#ifdef SIGHUP
    status |= catch_one(SIGHUP);
#endif
#ifdef SIGPIPE
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
        status = -1;
#endif
    return status ? -1 : 0;
}

int ss_os_signal_caught(void)
{
    return caught;
}

void ss_os_signal_clear(void)
{
    caught = 0;
}

void ss_os_signal_note(int sig)
{
    caught = sig;
}

#else
typedef int ss_os_c99_unused; /* ISO C: a file may not be empty */
#endif
