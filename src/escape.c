/* escape.c: text from a user, made safe to show (see escape.h). */
#include "storesim/escape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t ss_utf8_length(const unsigned char *p)
{
    size_t n, i;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        n = 2;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        n = 3;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        n = 4;
    else
        return 0;
    for (i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] > 0x9F) || /* overlong, surrogate */
        (p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] > 0x8F))   /* overlong, too high */
        return 0;
    return n;
}

unsigned long ss_utf8_code(const unsigned char *p, size_t n)
{
    switch (n) {
    case 1:
        return p[0];
    case 2:
        return ((unsigned long)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    case 3:
        return ((unsigned long)(p[0] & 0x0F) << 12) | ((unsigned long)(p[1] & 0x3F) << 6) |
               (p[2] & 0x3F);
    default:
        return ((unsigned long)(p[0] & 0x07) << 18) | ((unsigned long)(p[1] & 0x3F) << 12) |
               ((unsigned long)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    }
}

bool ss_is_control(unsigned long c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x200E || c == 0x200F ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/* The bytes one character (or one stray byte) at p takes, and whether they
 * must be escaped. */
static size_t next(const unsigned char *p, bool *escape)
{
    size_t n = ss_utf8_length(p);
    if (n == 0) {
        *escape = true;
        return 1;
    }
    *escape = ss_is_control(ss_utf8_code(p, n));
    return n;
}

char *ss_escape(char *out, size_t size, const char *in)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t used = 0;
    while (*p) {
        bool escape;
        size_t n = next(p, &escape), i, need = escape ? 4 * n : n;
        if (used + need + 1 > size)
            break;
        for (i = 0; i < n; i++) {
            if (escape)
                sprintf(out + used + 4 * i, "\\x%02x", p[i]);
            else
                out[used + i] = (char)p[i];
        }
        used += need;
        p += n;
    }
    if (size > 0)
        out[used] = '\0';
    return out;
}

size_t ss_escaped_length(const char *in)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t total = 0;
    while (*p) {
        bool escape;
        size_t n = next(p, &escape);
        total += escape ? 4 * n : n;
        p += n;
    }
    return total;
}

size_t ss_escaped_columns(const char *in)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t total = 0;
    while (*p) {
        bool escape;
        size_t n = next(p, &escape);
        total += escape ? 4 * n : 1;
        p += n;
    }
    return total;
}

char *ss_escape_copy(const char *in, char *buf, size_t size)
{
    size_t n = ss_escaped_length(in) + 1;
    char *out = n > size ? malloc(n) : NULL;
    if (!out) {
        out = buf;
        n = size;
    }
    return ss_escape(out, n, in);
}

void ss_put(FILE *f, const char *s)
{
    char buf[1024], *safe = ss_escape_copy(s, buf, sizeof buf);
    fputs(safe, f);
    if (safe != buf)
        free(safe);
}

void ss_vline(FILE *f, const char *fmt, va_list ap)
{
    char buf[1024], *text = buf;
    va_list again;
    int n;
    va_copy(again, ap);
    n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n >= (int)sizeof buf && (text = malloc((size_t)n + 1)) != NULL)
        vsnprintf(text, (size_t)n + 1, fmt, again);
    else if (!text)
        text = buf; /* no memory: the line cut short */
    va_end(again);
    if (n >= 0) {
        ss_put(f, text);
        fputc('\n', f);
    }
    if (text != buf)
        free(text);
}

void ss_line(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ss_vline(f, fmt, ap);
    va_end(ap);
}
