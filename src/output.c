/*
 * output.c: write to "<path>.tmp-<n>", rename over path on commit.
 */
#include "storesim/output.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void zero(struct ss_output *o)
{
    o->f = NULL;
    o->path = NULL;
    o->tmp = NULL;
    o->is_stdout = 0;
}

static void release(struct ss_output *o)
{
    free(o->path);
    free(o->tmp);
    zero(o);
}

/* The reason for a failure whose errno was saved as `e`. C99 does not promise
 * that I/O functions set errno, so 0 gets a reason of its own. */
static const char *reason(int e, const char *fallback)
{
    return e ? strerror(e) : fallback;
}

static void fail(char *err, size_t err_size, const char *path, const char *why)
{
    if (err && err_size > 0)
        snprintf(err, err_size, "cannot write %.200s%s: %s", path, strlen(path) > 200 ? "..." : "",
                 why);
}

static char *copy(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c)
        memcpy(c, s, n);
    return c;
}

/* Does anything answer to `name`? A name we cannot open for another reason
 * than "no such file" counts as taken, so we never truncate it. */
static int taken(const char *name)
{
    FILE *f;
    errno = 0;
    f = fopen(name, "rb");
    if (f) {
        fclose(f);
        return 1;
    }
#ifdef ENOENT
    return errno != ENOENT && errno != 0;
#else
    return 0;
#endif
}

int ss_output_open(struct ss_output *o, const char *path, char *err, size_t err_size)
{
    unsigned n;
    size_t size;
    int e;

    zero(o);
    if (strcmp(path, "-") == 0) {
        o->f = stdout;
        o->is_stdout = 1;
        return 0;
    }
    size = strlen(path) + sizeof ".tmp-" + 10;  /* 10 digits hold any unsigned n used */
    o->path = copy(path);
    o->tmp = malloc(size);
    if (!o->path || !o->tmp) {
        release(o);
        fail(err, err_size, path, "out of memory");
        return -1;
    }
    for (n = 0; n < 1000; n++) {
        snprintf(o->tmp, size, "%s.tmp-%u", path, n);
        if (!taken(o->tmp))
            break;
    }
    if (n == 1000) {
        release(o);
        fail(err, err_size, path, "too many leftover temporary files");
        return -1;
    }
    errno = 0;
    o->f = fopen(o->tmp, "wb");
    if (!o->f) {
        e = errno;
        release(o);
        fail(err, err_size, path, reason(e, "cannot create a file there"));
        return -1;
    }
    return 0;
}

int ss_output_commit(struct ss_output *o, char *err, size_t err_size)
{
    const char *why = NULL;
    int e = 0;

    if (o->is_stdout) {
        errno = 0;
        if (fflush(stdout) != 0 || ferror(stdout)) {
            e = errno;
            fail(err, err_size, "standard output", reason(e, "write error"));
            zero(o);
            return -1;
        }
        zero(o);
        return 0;
    }
    assert(o->f != NULL && "commit of an output that is not open");

    errno = 0;
    if (fflush(o->f) != 0) {
        e = errno;
        why = reason(e, "write error");
    } else if (ferror(o->f)) {
        why = "write error";  /* an earlier write failed; its errno is long gone */
    }
    errno = 0;
    if (fclose(o->f) != 0 && !why) {
        e = errno;
        why = reason(e, "error closing the file");
    }
    o->f = NULL;

    if (!why) {
        errno = 0;
        if (rename(o->tmp, o->path) != 0) {
#ifdef _WIN32
            /* Windows' rename() does not replace an existing file. */
            remove(o->path);
            errno = 0;
            if (rename(o->tmp, o->path) != 0)
#endif
            {
                e = errno;
                why = reason(e, "cannot rename the temporary file");
            }
        }
    }

    if (why) {
        fail(err, err_size, o->path, why);
        remove(o->tmp);
        release(o);
        return -1;
    }
    release(o);
    return 0;
}

void ss_output_abort(struct ss_output *o)
{
    if (o->is_stdout) {
        zero(o);
        return;
    }
    if (o->f) {
        fclose(o->f);
        remove(o->tmp);
    }
    release(o);
}
