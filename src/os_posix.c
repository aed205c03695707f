/*
 * os_posix.c: include/storesim/os.h on POSIX.1-2008 (Linux, the BSDs, macOS).
 *
 * Built everywhere, compiled to nothing unless this is the implementation
 * chosen (not Windows, not forced to the C99 fallback with STORESIM_OS_C99).
 */
#if !defined(STORESIM_OS_C99) && !defined(_WIN32) && (defined(__unix__) || defined(__APPLE__))

#define _XOPEN_SOURCE 700 /* before any header: -std=c99 hides POSIX */

#include "storesim/os.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

/* How many links ss_os_final_path follows: Linux's own limit. */
#define LINKS_MAX 40

const char *ss_os_name(void)
{
    return "posix";
}

static enum ss_os_kind kind_of(mode_t mode)
{
    if (S_ISREG(mode))
        return SS_OS_REGULAR;
    if (S_ISDIR(mode))
        return SS_OS_DIRECTORY;
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return SS_OS_DEVICE;
    if (S_ISFIFO(mode))
        return SS_OS_FIFO;
    if (S_ISSOCK(mode))
        return SS_OS_SOCKET;
    return SS_OS_OTHER;
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

static void from_stat(struct ss_os_info *info, const struct stat *st)
{
    info->kind = kind_of(st->st_mode);
    info->has_id = 1;
    info->id.volume = (unsigned long long)st->st_dev;
    info->id.index = (unsigned long long)st->st_ino;
    info->write_bits = (st->st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) != 0;
}

void ss_os_inspect(const char *path, struct ss_os_info *info)
{
    struct stat st;
    int how;
    unknown(info, 0);
    if (lstat(path, &st) != 0) {
        unknown(info, errno);
        if (errno == ENOENT)
            info->kind = SS_OS_MISSING;
        return;
    }
    info->symlink = S_ISLNK(st.st_mode) != 0;
    if (info->symlink && stat(path, &st) != 0) {
        int e = errno;
        info->error = e;
        if (e == ENOENT) /* a link to nothing: writing it creates the target */
            info->kind = SS_OS_MISSING;
        return;
    }
    from_stat(info, &st);
    /* Effective ids, as open() would use; a folder must be searchable too. */
    how = info->kind == SS_OS_DIRECTORY ? W_OK | X_OK : W_OK;
    info->writable = faccessat(AT_FDCWD, path, how, AT_EACCESS) == 0;
    if (!info->writable)
        info->error = errno;
}

void ss_os_inspect_std(int fd, struct ss_os_info *info)
{
    struct stat st;
    int flags;
    unknown(info, 0);
    if (fd < 0 || fd > 2 || fstat(fd, &st) != 0) {
        info->error = fd < 0 || fd > 2 ? EINVAL : errno;
        return;
    }
    from_stat(info, &st);
    info->symlink = 0;
    flags = fcntl(fd, F_GETFL);
    info->writable = flags != -1 && ((flags & O_ACCMODE) == O_WRONLY ||
                                     (flags & O_ACCMODE) == O_RDWR);
}

int ss_os_same_file(const struct ss_os_info *a, const struct ss_os_info *b)
{
    if (!a->has_id || !b->has_id)
        return -1;
    return a->id.volume == b->id.volume && a->id.index == b->id.index;
}

static char *copy(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c)
        memcpy(c, s, n);
    return c;
}

/* The text of link `path`, malloc'd; links in /proc say their size is 0. */
static char *read_link(const char *path, int *error)
{
    size_t size = 256;
    for (;;) {
        char *buf = malloc(size);
        ssize_t n;
        if (!buf) {
            *error = ENOMEM;
            return NULL;
        }
        n = readlink(path, buf, size);
        if (n < 0) {
            *error = errno;
            free(buf);
            return NULL;
        }
        if ((size_t)n < size) {
            buf[n] = '\0';
            return buf;
        }
        free(buf);
        if (size > 1u << 20) {
            *error = ENAMETOOLONG;
            return NULL;
        }
        size *= 2;
    }
}

/* `target` read from link `link`: absolute as it is, else from the link's folder. */
static char *beside(const char *link, const char *target, int *error)
{
    const char *slash = strrchr(link, '/');
    size_t dir = slash ? (size_t)(slash - link) + 1 : 0;
    char *joined;
    if (target[0] == '/' || dir == 0)
        joined = copy(target);
    else if ((joined = malloc(dir + strlen(target) + 1)) != NULL) {
        memcpy(joined, link, dir);
        strcpy(joined + dir, target);
    }
    if (!joined)
        *error = ENOMEM;
    return joined;
}

char *ss_os_final_path(const char *path, int *error)
{
    char *cur = copy(path);
    int hops;
    *error = 0;
    if (!cur) {
        *error = ENOMEM;
        return NULL;
    }
    for (hops = 0; hops <= LINKS_MAX; hops++) {
        struct stat st;
        char *target, *next;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return cur; /* not a link (or nothing): writing goes here */
        target = read_link(cur, error);
        if (!target) {
            free(cur);
            return NULL;
        }
        next = beside(cur, target, error);
        free(target);
        free(cur);
        if (!next)
            return NULL;
        cur = next;
    }
    free(cur);
    *error = ELOOP;
    return NULL;
}

int ss_os_create_new(const char *path, FILE **f, int *error)
{
    int fd;
    *f = NULL;
    *error = 0;
    /* O_EXCL: fails on any name that exists, a dangling symlink included. */
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC, 0666);
    if (fd < 0) {
        *error = errno;
        return errno == EEXIST ? 1 : -1;
    }
    *f = fdopen(fd, "wb");
    if (!*f) {
        *error = errno;
        close(fd);
        unlink(path); /* ours: created a moment ago */
        return -1;
    }
    return 0;
}

int ss_os_adopt_mode(FILE *f, const char *target, int *error)
{
    struct stat want, have;
    int fd = fileno(f);
    *error = 0;
    if (stat(target, &want) != 0 || fstat(fd, &have) != 0) {
        *error = errno;
        return -1;
    }
    /* Owner and group only where allowed (root, or a group of ours); a
     * failure leaves the new file ours, which is what writing it anew gives. */
    if (want.st_uid != have.st_uid || want.st_gid != have.st_gid) {
        if (fchown(fd, want.st_uid, want.st_gid) != 0 && want.st_gid != have.st_gid &&
            fchown(fd, (uid_t)-1, want.st_gid) != 0) {
            /* neither: keep ours */
        }
    }
    if (fchmod(fd, want.st_mode & 0777) != 0) {
        *error = errno;
        return -1;
    }
    return 0;
}

FILE *ss_os_open_in_place(const char *path, int *error)
{
    struct stat st;
    FILE *f;
    int fd;
    *error = 0;
    fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC); /* blocks on a FIFO without reader */
    if (fd < 0) {
        *error = errno;
        return NULL;
    }
    if (fstat(fd, &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
        /* It changed since it was inspected: never write a file in place. */
        close(fd);
        return NULL;
    }
    f = fdopen(fd, "wb");
    if (!f) {
        *error = errno;
        close(fd);
    }
    return f;
}

int ss_os_sync(FILE *f, int *error)
{
    *error = 0;
    errno = 0;
    if (fflush(f) != 0) {
        *error = errno;
        return -1;
    }
    /* EINVAL: a pipe or a device, which has no disk to reach. */
    if (fsync(fileno(f)) != 0 && errno != EINVAL) {
        *error = errno;
        return -1;
    }
    return 0;
}

/* The folder `path` is in, fsync'd so that a rename in it survives a crash.
 * Best effort: the rename has happened whatever this says. */
static void sync_folder(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir;
    int fd;
    if (!slash) {
        dir = copy(".");
    } else {
        size_t n = slash == path ? 1 : (size_t)(slash - path);
        dir = malloc(n + 1);
        if (dir) {
            memcpy(dir, path, n);
            dir[n] = '\0';
        }
    }
    if (!dir)
        return;
    fd = open(dir, O_RDONLY | O_CLOEXEC);
    free(dir);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

int ss_os_replace(const char *from, const char *to, int *error)
{
    *error = 0;
    if (rename(from, to) != 0) {
        *error = errno;
        return -1;
    }
    sync_folder(to);
    return 0;
}

/* The lower of `limit` and the soft limit `resource` sets, if any. */
static unsigned long long lower_limit(unsigned long long limit, int resource)
{
    struct rlimit rl;
    if (getrlimit(resource, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        (limit == 0 || (unsigned long long)rl.rlim_cur < limit))
        return (unsigned long long)rl.rlim_cur;
    return limit;
}

unsigned long long ss_os_memory_limit(void)
{
    unsigned long long limit = 0;
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGESIZE)
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (pages > 0 && size > 0)
        limit = (unsigned long long)pages * (unsigned long long)size;
#endif
    limit = lower_limit(limit, RLIMIT_AS);
#ifdef RLIMIT_DATA
    limit = lower_limit(limit, RLIMIT_DATA);
#endif
    return limit;
}

int ss_os_is_terminal(FILE *f)
{
    int fd = fileno(f);
    return fd >= 0 && isatty(fd);
}

int ss_os_guard_std_streams(void)
{
    int fd, closed = 0;
    for (fd = 0; fd <= 2; fd++) {
        int got;
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        /* The lowest free number is fd, since every lower one is open. */
        got = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
        if (got < 0)
            return -1;
        if (got != fd) {
            int ok = dup2(got, fd) == fd;
            close(got);
            if (!ok)
                return -1;
        }
        closed |= 1 << fd;
    }
    return closed;
}

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
    caught = sig;
}

/* Install on_signal for sig, unless sig was ignored when storesim started
 * (nohup, a background job of a script): that choice is the caller's. */
static int catch_one(int sig)
{
    struct sigaction sa, old;
    if (sigaction(sig, NULL, &old) != 0)
        return -1;
    if (old.sa_handler == SIG_IGN)
        return 0;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a blocked call returns EINTR; no SA_RESETHAND */
    return sigaction(sig, &sa, NULL);
}

int ss_os_catch_signals(void)
{
    struct sigaction ign;
    int status = 0;
    status |= catch_one(SIGINT);
    status |= catch_one(SIGTERM);
    status |= catch_one(SIGHUP);
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    status |= sigaction(SIGPIPE, &ign, NULL);
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
typedef int ss_os_posix_unused; /* ISO C: a file may not be empty */
#endif
