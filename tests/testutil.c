#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/cli.h"

static char src_buf[16][1024];
static int src_next;

const char *testutil_src(const char *relative)
{
    char *buf = src_buf[src_next++ % 16];
    snprintf(buf, sizeof src_buf[0], "%s/%s", STORESIM_SOURCE_DIR, relative);
    return buf;
}

const char *testutil_tmp(const char *name)
{
    char *buf = src_buf[src_next++ % 16];
    snprintf(buf, sizeof src_buf[0], "%s/%s", STORESIM_BINARY_DIR, name);
    return buf;
}

char *testutil_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int testutil_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = strlen(text);
    int ok = fwrite(text, 1, n, f) == n;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

int testutil_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    fclose(f);
    return 1;
}

char *testutil_read_stream(FILE *f)
{
    long n;
    char *text;
    fflush(f);
    n = ftell(f);
    assert_true(n >= 0);
    text = malloc((size_t)n + 1);
    assert_non_null(text);
    rewind(f);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    return text;
}

struct testutil_run testutil_cliv(const char *first, va_list ap)
{
    char *argv[64];
    int argc = 0;
    const char *arg;
    struct testutil_run r;
    FILE *out = tmpfile(), *err = tmpfile();
    assert_non_null(out);
    assert_non_null(err);
    argv[argc++] = (char *)"storesim";
    for (arg = first; arg; arg = va_arg(ap, const char *)) {
        assert_true(argc < 63);
        argv[argc++] = (char *)arg;
    }
    argv[argc] = NULL;
    r.status = ss_cli_main(argc, argv, out, err);
    r.out = testutil_read_stream(out);
    r.err = testutil_read_stream(err);
    return r;
}

struct testutil_run testutil_cli(const char *first, ...)
{
    struct testutil_run r;
    va_list ap;
    va_start(ap, first);
    r = testutil_cliv(first, ap);
    va_end(ap);
    return r;
}

void testutil_run_free(struct testutil_run *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

int testutil_cli_status(char **out, const char *first, ...)
{
    struct testutil_run r;
    va_list ap;
    va_start(ap, first);
    r = testutil_cliv(first, ap);
    va_end(ap);
    if (out) {
        *out = r.out;
        r.out = NULL;
    }
    testutil_run_free(&r);
    return r.status;
}

void testutil_scenario(struct ss_scenario *sc, const char *name, const char *text,
                       const char *const *sets, size_t n_sets)
{
    struct ss_error err;
    if (ss_scenario_parse(name, text, strlen(text), sets, n_sets, sc, &err) != 0)
        fail_msg("%s", err.text);
}

void testutil_scenario_file(struct ss_scenario *sc, const char *relative,
                            const char *const *sets, size_t n_sets)
{
    struct ss_error err;
    if (ss_scenario_load(testutil_src(relative), sets, n_sets, sc, &err) != 0)
        fail_msg("%s", err.text);
}

char *testutil_json_squeeze(const char *json)
{
    char *out = malloc(strlen(json) + 1), *o = out;
    int in_string = 0;
    assert_non_null(out);
    for (; *json; json++) {
        if (in_string) {
            *o++ = *json;
            if (*json == '\\' && json[1])
                *o++ = *++json;
            else if (*json == '"')
                in_string = 0;
        } else if (*json == '"') {
            *o++ = *json;
            in_string = 1;
        } else if (*json != ' ' && *json != '\n' && *json != '\t' && *json != '\r') {
            *o++ = *json;
        }
    }
    *o = '\0';
    return out;
}
