/*
 * text.h: plain sentences for the reports.
 *
 * Reports are built as paragraphs, a piece at a time (ss_para_say), then
 * wrapped at SS_TEXT_WIDTH columns so they read well in a terminal and on a
 * projector. Paragraphs have a fixed size: a piece that does not fit is cut,
 * never written out of bounds.
 *
 * Every function here that writes text escapes what a terminal would act on
 * (escape.h): the text may hold a scenario's names, a file name or a --set.
 */
#ifndef STORESIM_TEXT_H
#define STORESIM_TEXT_H

#include <stddef.h>
#include <stdio.h>

#include "storesim/escape.h"

#define SS_TEXT_WIDTH 78

struct ss_para {
    char text[8192];
    size_t len;
};

/* Empty the paragraph. */
void ss_para_clear(struct ss_para *p);

/* Append printf-style text. */
void ss_para_say(struct ss_para *p, const char *fmt, ...);

/* Write `lead` as is, then the words of `text` wrapped at SS_TEXT_WIDTH;
 * the lines after the first are indented by `hang` spaces. */
void ss_wrap_after(FILE *f, const char *lead, const char *text, int hang);

/* A paragraph with every line indented by `indent` spaces (at most 15). */
void ss_wrap(FILE *f, const char *text, int indent);

/* The columns `s` takes on a terminal, escaped: its characters, not its
 * bytes (the plus-minus sign is two bytes in UTF-8 but one column). */
int ss_columns(const char *s);

/* `s` escaped and left-aligned in `width` columns (padded, never cut). */
void ss_pad(FILE *f, const char *s, int width);


/* "1,234,567": an integer with thousands separators. */
char *ss_thousands(char buf[32], unsigned long long n);

#endif
