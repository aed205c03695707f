/* text.c: paragraphs and word wrapping for the reports. */
#include "storesim/text.h"

#include <stdarg.h>
#include <string.h>

void ss_para_clear(struct ss_para *p)
{
    p->len = 0;
    p->text[0] = '\0';
}

void ss_para_say(struct ss_para *p, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (p->len >= sizeof p->text - 1)
        return;
    va_start(ap, fmt);
    n = vsnprintf(p->text + p->len, sizeof p->text - p->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        p->len = p->len + (size_t)n < sizeof p->text ? p->len + (size_t)n : sizeof p->text - 1;
}

/* A word ends at a space, except inside double quotes: a quoted name such
 * as "Mailbox Store 2" is never split across lines. */
static size_t word_length(const char *p)
{
    size_t n = 0;
    int quoted = 0;
    for (; p[n] && (quoted || p[n] != ' '); n++)
        if (p[n] == '"')
            quoted = !quoted;
    return n;
}

void ss_wrap_after(FILE *f, const char *lead, const char *text, int hang)
{
    int col = fprintf(f, "%s", lead), start = col;
    const char *p = text;
    for (;;) {
        size_t n;
        p += strspn(p, " ");
        n = word_length(p);
        if (n == 0)
            break;
        if (col > start && col + 1 + (int)n > SS_TEXT_WIDTH) {
            fprintf(f, "\n%*s", hang, "");
            col = start = hang;
        } else if (col > start) {
            fputc(' ', f);
            col++;
        }
        fwrite(p, 1, n, f);
        col += (int)n;
        p += n;
    }
    fputc('\n', f);
}

void ss_wrap(FILE *f, const char *text, int indent)
{
    char lead[16];
    if (indent > 15)
        indent = 15;
    sprintf(lead, "%*s", indent, "");
    ss_wrap_after(f, lead, text, indent);
}

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

char *ss_thousands(char buf[32], unsigned long long n)
{
    char digits[32];
    int len = sprintf(digits, "%llu", n), i, o = 0;
    for (i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

int ss_columns(const char *s)
{
    int cols = 0;
    const unsigned char *p;
    for (p = (const unsigned char *)s; *p; p++)
        cols += (*p & 0xC0) != 0x80;
    return cols;
}

void ss_pad(FILE *f, const char *s, int width)
{
    int cols = ss_columns(s);
    fputs(s, f);
    while (cols++ < width)
        fputc(' ', f);
}
