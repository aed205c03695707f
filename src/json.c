/*
 * json.c: streaming JSON writer.
 *
 * Each value starts with its "separator": a comma if its level already holds
 * an item, then (inside a container) a newline and the indentation, then the
 * quoted key. Closing a container puts the bracket on its own line only when
 * the container is non-empty, so empty ones read as {} and [].
 */
#include "storesim/json.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "storesim/text.h"

void ss_json_init(struct ss_json *j, FILE *f)
{
    int i;
    j->f = f;
    j->depth = 0;
    for (i = 0; i < SS_JSON_MAX_DEPTH; i++)
        j->count[i] = 0;
}

static void indent(struct ss_json *j, int levels)
{
    int i;
    for (i = 0; i < levels; i++)
        fputs("  ", j->f);
}


static void write_quoted(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    putc('"', f);
    for (; *p; p++) {
        switch (*p) {
        case '"':  fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\b': fputs("\\b", f); break;
        case '\f': fputs("\\f", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20) {
                fprintf(f, "\\u%04x", (unsigned)*p);
            } else if (*p >= 0x7f) {
                /* JSON is UTF-8: a byte that is not becomes U+FFFD; a control
                 * a terminal would act on (escape.h) a \u escape. */
                size_t n = ss_utf8_length(p);
                if (n == 0) {
                    fputs("\\ufffd", f);
                } else if (ss_is_control(ss_utf8_code(p, n))) {
                    fprintf(f, "\\u%04lx", ss_utf8_code(p, n));
                    p += n - 1;
                } else {
                    fwrite(p, 1, n, f);
                    p += n - 1;
                }
            } else {
                putc(*p, f);
            }
        }
    }
    putc('"', f);
}

/* Comma, newline, indentation and key: everything before a value. */
static void separator(struct ss_json *j, const char *key)
{
    assert(j->f != NULL);
    assert(j->depth >= 0 && j->depth < SS_JSON_MAX_DEPTH);
    /* Only one value at top level; inside, keys exactly when in an object
     * (which the writer does not track, so it trusts the caller on that). */
    assert(j->depth > 0 || (j->count[0] == 0 && key == NULL));
    if (j->count[j->depth] > 0)
        putc(',', j->f);
    if (j->depth > 0) {
        putc('\n', j->f);
        indent(j, j->depth);
    }
    if (key) {
        write_quoted(j->f, key);
        fputs(": ", j->f);
    }
    j->count[j->depth]++;
}

static void open_level(struct ss_json *j, const char *key, int bracket)
{
    separator(j, key);
    putc(bracket, j->f);
    j->depth++;
    assert(j->depth < SS_JSON_MAX_DEPTH && "JSON nested deeper than 31 levels");
    j->count[j->depth] = 0;
}

static void close_level(struct ss_json *j, int bracket)
{
    assert(j->depth > 0 && "JSON end without a matching begin");
    if (j->count[j->depth] > 0) {
        putc('\n', j->f);
        indent(j, j->depth - 1);
    }
    putc(bracket, j->f);
    j->depth--;
}

void ss_json_begin_object(struct ss_json *j, const char *key)
{
    open_level(j, key, '{');
}

void ss_json_end_object(struct ss_json *j)
{
    close_level(j, '}');
}

void ss_json_begin_array(struct ss_json *j, const char *key)
{
    open_level(j, key, '[');
}

void ss_json_end_array(struct ss_json *j)
{
    close_level(j, ']');
}

void ss_json_string(struct ss_json *j, const char *key, const char *value)
{
    assert(value != NULL);
    separator(j, key);
    write_quoted(j->f, value);
}

void ss_json_int(struct ss_json *j, const char *key, long long value)
{
    separator(j, key);
    fprintf(j->f, "%lld", value);
}

void ss_json_uint(struct ss_json *j, const char *key, unsigned long long value)
{
    separator(j, key);
    fprintf(j->f, "%llu", value);
}

void ss_json_double(struct ss_json *j, const char *key, double value)
{
    char buf[40];
    int precision;
    if (!isfinite(value)) {
        ss_json_null(j, key);
        return;
    }
    /* %.17g always round-trips an IEEE double; stop at the first shorter one. */
    for (precision = 1; precision <= 17; precision++) {
        snprintf(buf, sizeof buf, "%.*g", precision, value);
        if (strtod(buf, NULL) == value)
            break;
    }
    separator(j, key);
    fputs(buf, j->f);
}

void ss_json_bool(struct ss_json *j, const char *key, int value)
{
    separator(j, key);
    fputs(value ? "true" : "false", j->f);
}

void ss_json_null(struct ss_json *j, const char *key)
{
    separator(j, key);
    fputs("null", j->f);
}

void ss_json_raw(struct ss_json *j, const char *key, const char *literal)
{
    assert(literal != NULL);
    separator(j, key);
    fputs(literal, j->f);
}

void ss_json_end(struct ss_json *j)
{
    assert(j->depth == 0 && "JSON document ended with open levels");
    putc('\n', j->f);
}
