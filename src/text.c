/* text.c: paragraphs and word wrapping for the reports. */
#include "storesim/text.h"

#include <stdarg.h>
#include <stdlib.h>
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
    char buf[1024], *safe = ss_escape_copy(text, buf, sizeof buf);
    int col = fprintf(f, "%s", lead), start = col;
    const char *p = safe;
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
    if (safe != buf)
        free(safe);
}

void ss_wrap(FILE *f, const char *text, int indent)
{
    char lead[16];
    if (indent > 15)
        indent = 15;
    sprintf(lead, "%*s", indent, "");
    ss_wrap_after(f, lead, text, indent);
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
    return (int)ss_escaped_columns(s);
}

void ss_pad(FILE *f, const char *s, int width)
{
    int cols = ss_columns(s);
    ss_put(f, s);
    while (cols++ < width)
        fputc(' ', f);
}
