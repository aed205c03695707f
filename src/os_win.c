/*
 * os_win.c: include/storesim/os.h on Windows (Vista and later).
 *
 * Names are the ANSI code page's (the A functions), as fopen's are. Devices
 * are known by name (NUL, CON, COM1, \\.\...) and never opened to find out
 * what they are: opening a serial port or a named pipe is not a question
 * without consequences. A file's identity is its volume serial number and
 * file index. A replaced file gets the permissions its folder gives new
 * files: Windows ACLs are not copied, only the read-only attribute is
 * looked at (such a file is refused).
 *
 * Built everywhere, compiled to nothing unless this is the implementation
 * chosen (Windows, not forced to the C99 fallback with STORESIM_OS_C99).
 */
#if !defined(STORESIM_OS_C99) && defined(_WIN32)

#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0600 /* GetFinalPathNameByHandle */
#endif
#define WIN32_LEAN_AND_MEAN

#include "storesim/os.h"

#include <windows.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *ss_os_name(void)
{
    return "windows";
}

/* The errno nearest to a Windows error. */
static int from_win(DWORD e)
{
    switch (e) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
        return ENOENT;
    case ERROR_ACCESS_DENIED:
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION:
        return EACCES;
    case ERROR_FILE_EXISTS:
    case ERROR_ALREADY_EXISTS:
        return EEXIST;
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL:
        return ENOSPC;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
        return ENOMEM;
    case ERROR_FILENAME_EXCED_RANGE:
        return ENAMETOOLONG;
    case ERROR_INVALID_NAME:
        return EINVAL;
    case ERROR_BROKEN_PIPE:
    case ERROR_NO_DATA:
        return EPIPE;
    default:
        return EIO;
    }
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

/* Is the last component a DOS device name (NUL, CON, PRN, AUX, COM1-9,
 * LPT1-9, CONIN$, CONOUT$, with or without an extension)? */
static int is_device_name(const char *path)
{
    static const char *const names[] = {"NUL", "CON", "PRN", "AUX", "CONIN$", "CONOUT$"};
    const char *base = path, *p;
    char stem[8];
    size_t n = 0, i;
    for (p = path; *p; p++)
        if (*p == '/' || *p == '\\' || *p == ':')
            base = p + 1;
    for (p = base; *p && *p != '.' && n < sizeof stem - 1; p++)
        stem[n++] = (char)toupper((unsigned char)*p);
    if (*p && *p != '.')
        return 0;
    stem[n] = '\0';
    while (n > 0 && stem[n - 1] == ' ')
        stem[--n] = '\0';
    for (i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(stem, names[i]) == 0)
            return 1;
    return n == 4 && (memcmp(stem, "COM", 3) == 0 || memcmp(stem, "LPT", 3) == 0) &&
           stem[3] >= '1' && stem[3] <= '9';
}

static int in_device_space(const char *path)
{
    return (path[0] == '\\' || path[0] == '/') && (path[1] == '\\' || path[1] == '/') &&
           path[2] == '.' && (path[3] == '\\' || path[3] == '/');
}

static enum ss_os_kind kind_of(HANDLE h)
{
    switch (GetFileType(h)) {
    case FILE_TYPE_DISK:
        return SS_OS_REGULAR;
    case FILE_TYPE_CHAR:
        return SS_OS_DEVICE;
    case FILE_TYPE_PIPE:
        return SS_OS_FIFO;
    default:
        return SS_OS_OTHER;
    }
}

static void identify(HANDLE h, struct ss_os_info *info)
{
    BY_HANDLE_FILE_INFORMATION bh;
    if (GetFileInformationByHandle(h, &bh)) {
        info->has_id = 1;
        info->id.volume = bh.dwVolumeSerialNumber;
        info->id.index = ((unsigned long long)bh.nFileIndexHigh << 32) | bh.nFileIndexLow;
        info->write_bits = (bh.dwFileAttributes & FILE_ATTRIBUTE_READONLY) == 0;
        info->writable = info->write_bits;
        if (!info->writable)
            info->error = EACCES;
    }
}

/* A handle that only asks (no read, no write), following links. */
static HANDLE query_handle(const char *path)
{
    return CreateFileA(path, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                       OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
}

void ss_os_inspect(const char *path, struct ss_os_info *info)
{
    DWORD attr;
    HANDLE h;
    unknown(info, 0);
    if (in_device_space(path)) { /* \\.\pipe\NAME, \\.\COM10, ... */
        const char *p = path + 4;
        int pipe = _strnicmp(p, "pipe", 4) == 0 && (p[4] == '\\' || p[4] == '/');
        info->kind = pipe ? SS_OS_FIFO : SS_OS_DEVICE;
        info->symlink = 0;
        return;
    }
    if (is_device_name(path)) {
        info->kind = SS_OS_DEVICE;
        info->symlink = 0;
        return;
    }
    attr = GetFileAttributesA(path);
    if (attr == INVALID_FILE_ATTRIBUTES) {
        DWORD e = GetLastError();
        info->error = from_win(e);
        if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND)
            info->kind = SS_OS_MISSING;
        return;
    }
    info->symlink = (attr & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
    h = query_handle(path);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        info->error = from_win(e);
        if (info->symlink && (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND))
            info->kind = SS_OS_MISSING; /* a link to nothing */
        return;
    }
    info->kind = kind_of(h);
    identify(h, info);
    CloseHandle(h);
    if (GetFileAttributesA(path) & FILE_ATTRIBUTE_DIRECTORY) {
        info->kind = SS_OS_DIRECTORY;
        info->writable = -1; /* ACLs decide: creating the temporary will say */
        info->write_bits = -1;
        info->error = 0;
    }
}

void ss_os_inspect_std(int fd, struct ss_os_info *info)
{
    HANDLE h;
    unknown(info, 0);
    h = fd >= 0 && fd <= 2 ? (HANDLE)_get_osfhandle(fd) : INVALID_HANDLE_VALUE;
    if (h == INVALID_HANDLE_VALUE || h == (HANDLE)-2) {
        info->error = EBADF;
        return;
    }
    info->kind = kind_of(h);
    info->symlink = 0;
    if (info->kind == SS_OS_REGULAR)
        identify(h, info);
}

int ss_os_same_file(const struct ss_os_info *a, const struct ss_os_info *b)
{
    if (!a->has_id || !b->has_id)
        return -1;
    return a->id.volume == b->id.volume && a->id.index == b->id.index;
}

static char *copy(const char *s, int *error)
{
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c)
        memcpy(c, s, n);
    else
        *error = ENOMEM;
    return c;
}

char *ss_os_final_path(const char *path, int *error)
{
    DWORD attr = GetFileAttributesA(path), n;
    HANDLE h;
    char *buf, *start;
    *error = 0;
    if (attr == INVALID_FILE_ATTRIBUTES || !(attr & FILE_ATTRIBUTE_REPARSE_POINT))
        return copy(path, error);
    h = query_handle(path);
    if (h == INVALID_HANDLE_VALUE)
        return copy(path, error); /* a link to nothing: the link is replaced */
    n = GetFinalPathNameByHandleA(h, NULL, 0, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
    buf = n ? malloc(n + 1) : NULL;
    if (!buf || GetFinalPathNameByHandleA(h, buf, n + 1, FILE_NAME_NORMALIZED |
                                                             VOLUME_NAME_DOS) == 0) {
        CloseHandle(h);
        free(buf);
        return copy(path, error);
    }
    CloseHandle(h);
    /* "\\?\C:\dir\file" is "C:\dir\file"; "\\?\UNC\host\share" is "\\host\share". */
    start = buf;
    if (strncmp(buf, "\\\\?\\UNC\\", 8) == 0) {
        start = buf + 6;
        start[0] = '\\';
    } else if (strncmp(buf, "\\\\?\\", 4) == 0) {
        start = buf + 4;
    }
    memmove(buf, start, strlen(start) + 1);
    return buf;
}

int ss_os_create_new(const char *path, FILE **f, int *error)
{
    int fd;
    *f = NULL;
    *error = 0;
    /* _O_EXCL is CREATE_NEW: fails on any name that exists, a link included. */
    fd = _open(path, _O_WRONLY | _O_CREAT | _O_EXCL | _O_BINARY | _O_NOINHERIT,
               _S_IREAD | _S_IWRITE);
    if (fd < 0) {
        *error = errno;
        return errno == EEXIST ? 1 : -1;
    }
    *f = _fdopen(fd, "wb");
    if (!*f) {
        *error = errno;
        _close(fd);
        remove(path); /* ours: created a moment ago */
        return -1;
    }
    return 0;
}

int ss_os_adopt_mode(FILE *f, const char *target, int *error)
{
    (void)f;
    (void)target;
    *error = 0; /* a read-only target is refused before; ACLs come from the folder */
    return 0;
}

FILE *ss_os_open_in_place(const char *path, int *error)
{
    FILE *f;
    int fd;
    *error = 0;
    fd = _open(path, _O_WRONLY | _O_BINARY | _O_NOINHERIT); /* no create, no truncate */
    if (fd < 0) {
        *error = errno;
        return NULL;
    }
    if (GetFileType((HANDLE)_get_osfhandle(fd)) == FILE_TYPE_DISK) {
        _close(fd); /* a file after all: never written in place */
        return NULL;
    }
    f = _fdopen(fd, "wb");
    if (!f) {
        *error = errno;
        _close(fd);
    }
    return f;
}

int ss_os_sync(FILE *f, int *error)
{
    int fd;
    *error = 0;
    errno = 0;
    if (fflush(f) != 0) {
        *error = errno;
        return -1;
    }
    fd = _fileno(f);
    if (GetFileType((HANDLE)_get_osfhandle(fd)) == FILE_TYPE_DISK && _commit(fd) != 0) {
        *error = errno;
        return -1;
    }
    return 0;
}

int ss_os_replace(const char *from, const char *to, int *error)
{
    *error = 0;
    if (!MoveFileExA(from, to, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
        *error = from_win(GetLastError());
        return -1;
    }
    return 0;
}

unsigned long long ss_os_memory_limit(void)
{
    MEMORYSTATUSEX m;
    m.dwLength = sizeof m;
    if (!GlobalMemoryStatusEx(&m))
        return 0;
    return m.ullTotalPhys < m.ullTotalVirtual ? m.ullTotalPhys : m.ullTotalVirtual;
}

int ss_os_is_terminal(FILE *f)
{
    DWORD mode;
    int fd = _fileno(f);
    HANDLE h = fd >= 0 ? (HANDLE)_get_osfhandle(fd) : INVALID_HANDLE_VALUE;
    /* _isatty is true of NUL too: only a console is a terminal. */
    return h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode) != 0;
}

int ss_os_guard_std_streams(void)
{
    int fd, closed = 0;
    for (fd = 0; fd <= 2; fd++) {
        HANDLE h = (HANDLE)_get_osfhandle(fd);
        int got;
        if (h != INVALID_HANDLE_VALUE && h != (HANDLE)-2)
            continue;
        got = _open("NUL", fd == 0 ? _O_WRONLY : _O_RDONLY);
        if (got < 0)
            return -1;
        if (got != fd) {
            int ok = _dup2(got, fd) == 0;
            _close(got);
            if (!ok)
                return -1;
        }
        closed |= 1 << fd;
    }
    return closed;
}

static volatile LONG caught;

/* Runs on a thread of its own. Ctrl-C: SIGINT; Ctrl-Break, the console
 * closing, logoff, shutdown: SIGTERM. For the last three Windows ends the
 * process when this returns, so it gives the program a few seconds to clean
 * up (Windows allows five). */
static BOOL WINAPI on_console(DWORD event)
{
    switch (event) {
    case CTRL_C_EVENT:
        InterlockedExchange(&caught, SIGINT);
        return TRUE;
    case CTRL_BREAK_EVENT:
        InterlockedExchange(&caught, SIGTERM);
        return TRUE;
    case CTRL_CLOSE_EVENT:
    case CTRL_LOGOFF_EVENT:
    case CTRL_SHUTDOWN_EVENT:
        InterlockedExchange(&caught, SIGTERM);
        Sleep(4000);
        return TRUE;
    default:
        return FALSE;
    }
}

int ss_os_catch_signals(void)
{
    /* No SIGPIPE on Windows: a write to a closed pipe fails (EPIPE, EINVAL). */
    return SetConsoleCtrlHandler(on_console, TRUE) ? 0 : -1;
}

int ss_os_signal_caught(void)
{
    return (int)caught;
}

void ss_os_signal_clear(void)
{
    InterlockedExchange(&caught, 0);
}

void ss_os_signal_note(int sig)
{
    InterlockedExchange(&caught, sig);
}

#else
typedef int ss_os_win_unused; /* ISO C: a file may not be empty */
#endif
