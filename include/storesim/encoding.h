/*
 * encoding.h: the bytes of a scenario file, as text the reader can take.
 *
 * Scenario files are UTF-8 (or ASCII, which is UTF-8). On Windows, Notepad's
 * "Unicode" is UTF-16, little-endian, with a byte order mark (FF FE), and an
 * administrator who saves a scenario that way should not be told that the
 * file is not text. So:
 *
 *   - UTF-16 with a byte order mark (FF FE little-endian, FE FF big-endian)
 *     is decoded to UTF-8, without the mark; the lines, their ends (LF, CRLF,
 *     CR) and every character stay as they were, so the reader's line numbers
 *     are those an editor shows;
 *   - UTF-16 without a mark, and UTF-32 with or without one, are refused with
 *     a message that says to save the file as UTF-8: without a mark the order
 *     of the bytes is a guess, and a guess is no way to read a file that
 *     decides an outage drill;
 *   - anything else is handed on as it is: UTF-8, with or without its own
 *     byte order mark (the reader skips it), and bytes that are no encoding
 *     this module knows, which the reader then judges (a NUL byte is refused
 *     at its line; other bytes are shown escaped, escape.h).
 *
 * Pure C99: no locale, no iconv, no operating system.
 */
#ifndef STORESIM_ENCODING_H
#define STORESIM_ENCODING_H

#include <stddef.h>

/* What ss_text_decode found. */
enum ss_text_form {
    SS_TEXT_AS_IS,   /* not UTF-16 or UTF-32: the bytes are the text, as they are */
    SS_TEXT_UTF16LE, /* UTF-16 little-endian with its byte order mark: decoded */
    SS_TEXT_UTF16BE  /* UTF-16 big-endian with its byte order mark: decoded */
};

/* Return values of ss_text_decode. */
#define SS_TEXT_OK 0
#define SS_TEXT_REFUSED (-1) /* an encoding the reader does not take: see why */
#define SS_TEXT_NO_MEMORY (-2)

struct ss_text {
    enum ss_text_form form;
    char *text;    /* decoded UTF-8, NUL-terminated (malloc'd); NULL for SS_TEXT_AS_IS */
    size_t len;    /* bytes of text, without the final NUL */
    long line;     /* when refused: the line at fault (1 is the first), or 0: the whole file */
    char why[200]; /* when refused: what the file is and what to do, one line, no newline */
};

/* Look at `len` bytes read from a file (`bytes` may be NULL when len is 0).
 * SS_TEXT_OK: out->form says what they are; for UTF-16, out->text holds the
 * same text in UTF-8 (a U+0000 in the file becomes a NUL byte, for the reader
 * to refuse at its line). SS_TEXT_REFUSED: out->why (and out->line) say why.
 * SS_TEXT_NO_MEMORY: the decoded text did not fit in memory. *out needs
 * ss_text_free afterwards in every case. */
int ss_text_decode(const char *bytes, size_t len, struct ss_text *out);

void ss_text_free(struct ss_text *t);

/* "UTF-16 little-endian" ...: the form's name, for messages. */
const char *ss_text_form_name(enum ss_text_form form);

#endif
