/*
 * escape.h: text from a user, made safe to show.
 *
 * A scenario's names and values, a file name and a --set come from the
 * user, and may hold anything but NUL: an ESC that resets the terminal when
 * the report is printed, a right-to-left override that turns a line around.
 * Every output that a terminal or a viewer shows (the report, the trace, the
 * messages, the CSV, the chart) writes such text through ss_escape; the JSON
 * writes the same characters as \u escapes of its own.
 *
 * What is escaped: the C0 controls (0x00 to 0x1F, tab and newline too),
 * DEL, the C1 controls (U+0080 to U+009F) and the bidirectional controls
 * (U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), each byte written
 * as \xNN; and any byte that is not part of valid UTF-8, as \xNN. Everything
 * else passes as it is.
 */
#ifndef STORESIM_ESCAPE_H
#define STORESIM_ESCAPE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Length (1 to 4) of the valid UTF-8 sequence at p, or 0 when the bytes are
 * not UTF-8: a stray byte of another encoding, an overlong form, a
 * surrogate, or beyond U+10FFFF. */
size_t ss_utf8_length(const unsigned char *p);

/* The code point of the valid UTF-8 sequence of length n at p. */
unsigned long ss_utf8_code(const unsigned char *p, size_t n);

/* Is code point c one a terminal or a viewer acts on (see above)? */
bool ss_is_control(unsigned long c);

/* `in` made safe, into out (always terminated, cut at size - 1 bytes but
 * never inside an escape or a character). Returns out. */
char *ss_escape(char *out, size_t size, const char *in);

/* How many bytes ss_escape writes for `in`, without the terminating NUL, and
 * how many columns they take on a terminal (characters, not bytes). */
size_t ss_escaped_length(const char *in);
size_t ss_escaped_columns(const char *in);

/* `in` escaped into buf when it fits, else into a block from malloc (the
 * caller frees the result when it is not buf); cut short to fit buf when
 * there is no memory. */
char *ss_escape_copy(const char *in, char *buf, size_t size);

/* `s`, escaped. */
void ss_put(FILE *f, const char *s);

/* One line, printf-style, escaped, then a newline: a newline inside the
 * text itself is escaped too, so a line stays one line. */
void ss_line(FILE *f, const char *fmt, ...);
void ss_vline(FILE *f, const char *fmt, va_list ap);

#endif
