/* csv.c: the time series as CSV rows (columns in docs/charts.md). */
#include "storesim/csv.h"

#include <inttypes.h>
#include <string.h>

#include "storesim/totals.h"

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

void ss_csv_row(FILE *f, const char *run, const struct ss_sample *s)
{
    char clock[SS_TIME_TEXT];
    int k;
    if (run)
        fprintf(f, "%s,", run);
    fprintf(f, "%s,", ss_time_hms(clock, s->time));
    write_seconds(f, s->time);
    for (k = 0; k < SS_KINDS; k++)
        fprintf(f, ",%lld", s->busy[k]);
    for (k = 0; k < SS_KINDS; k++)
        fprintf(f, ",%lld", s->waiting[k]);
    fprintf(f, ",%lld,%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", s->backlog, s->delivered,
            s->refused, s->owa_failed);
}

/* ------------------------------------------------------------ the sweep */

static void csv_field(FILE *f, const char *s, int first)
{
    if (!first)
        fputc(',', f);
    if (strpbrk(s, ",\"\n\r")) {
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
}

/* A number with up to 6 decimals, trailing zeros dropped: 1.5, 42, 0.000001. */
static void csv_number(FILE *f, double v)
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

void ss_csv_sweep_header(FILE *f, const struct ss_grid *g, int replications)
{
    char name[320];
    size_t d, t;
    int k;
    for (d = 0; d < g->n_vary; d++) {
        if (g->vary[d].unit[0])
            snprintf(name, sizeof name, "%s [%s]", g->vary[d].key, g->vary[d].unit);
        else
            snprintf(name, sizeof name, "%s", g->vary[d].key);
        csv_field(f, name, d == 0);
    }
    for (k = 0; k < SS_SYMPTOMS; k++) {
        const char *s = ss_symptom_key((enum ss_symptom)k);
        fprintf(f, ",%s_s", s);
        if (replications > 1)
            fprintf(f, ",%s_s_half,%s_runs", s, s);
    }
    for (t = 0; t < ss_totals_count(); t++) {
        if (!(ss_total(t)->shown & SS_IN_SUMMARY))
            continue;
        fprintf(f, ",%s", ss_total_csv(t, name, sizeof name));
        if (replications > 1)
            fprintf(f, ",%s_half", name);
    }
    fputc('\n', f);
}

void ss_csv_sweep_row(FILE *f, const struct ss_grid *g, long p, int replications,
                      const struct ss_metrics_summary *sum)
{
    char value[48];
    size_t d, t;
    int k;
    for (d = 0; d < g->n_vary; d++)
        csv_field(f, ss_vary_digits(&g->vary[d], ss_grid_coord(g, p, d), value, sizeof value), d == 0);
    for (k = 0; k < SS_SYMPTOMS; k++) {
        const struct ss_summary *s = &sum->symptom[k];
        if (s->n == 0)
            fputc(',', f);
        else
            csv_number(f, s->mean / 1e6);
        if (replications > 1) {
            if (s->n < 2)
                fputc(',', f);
            else
                csv_number(f, s->half / 1e6);
            fprintf(f, ",%d", s->n);
        }
    }
    for (t = 0; t < ss_totals_count(); t++) {
        if (!(ss_total(t)->shown & SS_IN_SUMMARY))
            continue;
        csv_number(f, ss_total_csv_value(t, sum->total[t].mean));
        if (replications > 1)
            csv_number(f, ss_total_csv_value(t, sum->total[t].half));
    }
    fputc('\n', f);
}

