/* csv.c: the time series as CSV rows (columns in docs/charts.md). */
#include "storesim/csv.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/escape.h"

void ss_csv_header(FILE *f, bool with_run)
{
    int k;
    if (with_run)
        fputs("run,", f);
    fputs("time,time_s", f);
    for (k = 0; k < SS_KINDS; k++)
        fprintf(f, ",busy_%s", ss_kind_name((enum ss_kind)k));
    for (k = 0; k < SS_KINDS; k++)
        fprintf(f, ",waiting_%s", ss_kind_name((enum ss_kind)k));
    fputs(",backlog,delivered,refused,owa_failed\n", f);
}

/* Seconds since the start, exact: "90", "0.25", "3600.000001". */
static void write_seconds(FILE *f, ss_time t)
{
    ss_time whole = t / SS_SECOND, part = t % SS_SECOND;
    int digits = 6;
    fprintf(f, "%" PRId64, whole);
    if (part == 0)
        return;
    while (part % 10 == 0) {
        part /= 10;
        digits--;
    }
    fprintf(f, ".%0*" PRId64, digits, part);
}

void ss_csv_row(FILE *f, const char *run, const struct ss_clock *clock, const struct ss_sample *s)
{
    char text[SS_TIME_TEXT];
    int k;
    if (run)
        fprintf(f, "%s,", run);
    fprintf(f, "%s,", ss_clock_hms(text, clock, s->time));
    write_seconds(f, s->time);
    for (k = 0; k < SS_KINDS; k++)
        fprintf(f, ",%lld", s->busy[k]);
    for (k = 0; k < SS_KINDS; k++)
        fprintf(f, ",%lld", s->waiting[k]);
    fprintf(f, ",%lld,%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", s->backlog, s->delivered,
            s->refused, s->owa_failed);
}

/* ------------------------------------------------------------ any CSV */

void ss_csv_field(FILE *f, const char *text, bool first)
{
    char buf[1024], *safe = ss_escape_copy(text, buf, sizeof buf); /* no line breaks left */
    const char *s = safe;
    if (!first)
        fputc(',', f);
    if (strpbrk(s, ",\"")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    if (safe != buf)
        free(safe);
}

void ss_csv_number(FILE *f, double v)
{
    char buf[64];
    size_t n;
    snprintf(buf, sizeof buf, "%.6f", v);
    n = strlen(buf);
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
    fputc(',', f);
    fputs(buf, f);
}
