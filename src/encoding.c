/*
 * encoding.c: UTF-16 with a byte order mark decoded to UTF-8; UTF-16 without
 * one and UTF-32 refused with what to do (encoding.h).
 */
#include "storesim/encoding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How much of a file without a byte order mark is looked at to tell UTF-16
 * or UTF-32 by its zero bytes: a scenario opens with comments and section
 * headers, plain ASCII, so a few kilobytes are plenty. */
#define SNIFF_BYTES 4096

/* Fewer units than this are too few to tell anything by: "a\0" is as
 * likely a stray NUL as the letter a in UTF-16. */
#define SNIFF_UNITS_MIN 4

/* What a hint to the user ends with, in every refusal. */
#define SAVE_AS_UTF8 "save it as UTF-8 (in Notepad: File, Save As, Encoding: UTF-8)"

const char *ss_text_form_name(enum ss_text_form form)
{
    switch (form) {
    case SS_TEXT_UTF16LE:
        return "UTF-16 little-endian";
    case SS_TEXT_UTF16BE:
        return "UTF-16 big-endian";
    case SS_TEXT_AS_IS:
        break;
    }
    return "as it is";
}

static const unsigned char *u8(const char *bytes)
{
    return (const unsigned char *)bytes;
}

static int refuse(struct ss_text *out, long line, const char *what)
{
    out->line = line;
    snprintf(out->why, sizeof out->why, "%s: " SAVE_AS_UTF8, what);
    return SS_TEXT_REFUSED;
}

/* Among the first units of `unit` bytes, do more than half have their one
 * nonzero byte at `at` and zeros everywhere else? That is ASCII text in
 * UTF-16 (unit 2) or UTF-32 (unit 4) of one byte order. */
static int looks_wide(const unsigned char *b, size_t len, size_t unit, size_t at)
{
    size_t n = (len < SNIFF_BYTES ? len : SNIFF_BYTES) / unit, i, k, hits = 0;
    for (i = 0; i < n; i++) {
        const unsigned char *u = b + i * unit;
        int ok = u[at] != 0;
        for (k = 0; k < unit && ok; k++)
            ok = k == at || u[k] == 0;
        hits += (size_t)ok;
    }
    return n >= SNIFF_UNITS_MIN && hits * 2 > n;
}

/* A file without a byte order mark that holds zero bytes: is it UTF-32 or
 * UTF-16 in disguise? Refuse it if so; else the reader judges it. */
static int sniff(const char *bytes, size_t len, struct ss_text *out)
{
    const unsigned char *b = u8(bytes);
    if (!memchr(bytes, 0, len))
        return SS_TEXT_OK;
    if (looks_wide(b, len, 4, 0) || looks_wide(b, len, 4, 3))
        return refuse(out, 0, "the file looks like UTF-32, which storesim does not read");
    if (looks_wide(b, len, 2, 0))
        return refuse(out, 0, "the file looks like UTF-16 little-endian without a byte order "
                              "mark, which storesim does not read");
    if (looks_wide(b, len, 2, 1))
        return refuse(out, 0, "the file looks like UTF-16 big-endian without a byte order "
                              "mark, which storesim does not read");
    return SS_TEXT_OK;
}

static size_t put_utf8(char *w, unsigned long cp)
{
    unsigned char *p = (unsigned char *)w;
    if (cp < 0x80) {
        p[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        p[0] = (unsigned char)(0xC0 | (cp >> 6));
        p[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        p[0] = (unsigned char)(0xE0 | (cp >> 12));
        p[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        p[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    p[0] = (unsigned char)(0xF0 | (cp >> 18));
    p[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    p[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    p[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The 16-bit unit at byte i. */
static unsigned long unit_at(const unsigned char *b, size_t i, int big)
{
    return big ? (unsigned long)b[i] << 8 | b[i + 1] : (unsigned long)b[i + 1] << 8 | b[i];
}

/* Decode UTF-16 after its byte order mark (2 bytes). */
static int decode_utf16(const char *bytes, size_t len, int big, struct ss_text *out)
{
    const unsigned char *b = u8(bytes);
    size_t i, w = 0;
    long line = 1;
    unsigned long prev = 0;
    char what[120];
    out->form = big ? SS_TEXT_UTF16BE : SS_TEXT_UTF16LE;
    if (len % 2 != 0) {
        snprintf(what, sizeof what, "the file starts as %s but has an odd number of bytes",
                 ss_text_form_name(out->form));
        return refuse(out, 0, what);
    }
    /* At most 3 bytes of UTF-8 for each 2 of UTF-16 (a pair of 4 gives 4). */
    out->text = malloc((len - 2) / 2 * 3 + 1);
    if (!out->text)
        return SS_TEXT_NO_MEMORY;
    for (i = 2; i < len; i += 2) {
        unsigned long u = unit_at(b, i, big), cp = u;
        if (u >= 0xD800 && u <= 0xDBFF) {
            unsigned long low = i + 3 < len ? unit_at(b, i + 2, big) : 0;
            if (low < 0xDC00 || low > 0xDFFF) {
                snprintf(what, sizeof what, "the %s text is broken (a lone surrogate)",
                         ss_text_form_name(out->form));
                return refuse(out, line, what);
            }
            cp = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
            i += 2;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            snprintf(what, sizeof what, "the %s text is broken (a lone surrogate)",
                     ss_text_form_name(out->form));
            return refuse(out, line, what);
        }
        /* Lines as the reader counts them: LF, CRLF or a lone CR. */
        if (cp == '\n' ? prev != '\r' : cp == '\r')
            line++;
        prev = cp;
        w += put_utf8(out->text + w, cp);
    }
    out->text[w] = '\0';
    out->len = w;
    return SS_TEXT_OK;
}

static int decode(const char *bytes, size_t len, struct ss_text *out)
{
    const unsigned char *b = u8(bytes);
    if (len >= 4 && ((b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0) ||
                     (b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF)))
        return refuse(out, 0, "the file is UTF-32 (it starts with a UTF-32 byte order mark), "
                              "which storesim does not read");
    if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        return decode_utf16(bytes, len, 0, out);
    if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        return decode_utf16(bytes, len, 1, out);
    return len ? sniff(bytes, len, out) : SS_TEXT_OK;
}

int ss_text_decode(const char *bytes, size_t len, struct ss_text *out)
{
    int rc;
    memset(out, 0, sizeof *out);
    out->form = SS_TEXT_AS_IS;
    rc = decode(bytes, len, out);
    if (rc != SS_TEXT_OK)
        ss_text_free(out); /* nothing half-decoded is handed on */
    return rc;
}

void ss_text_free(struct ss_text *t)
{
    free(t->text);
    t->text = NULL;
    t->len = 0;
}
