/*
 * replicate_report.c: the text and JSON of --replications (see
 * replicate_report.h).
 */
#include "storesim/replicate_report.h"

#include <math.h>
#include <string.h>

#include "storesim/report.h"
#include "storesim/text.h"
#include "storesim/totals.h"

#define PM "\302\261" /* the plus-minus sign, in UTF-8 */

/* ------------------------------------------------------------------- JSON */

/* "mean" and "half_width", each null when too few values stand behind it. */
static void json_mean_half(struct ss_json *j, const struct ss_summary *s)
{
    if (s->n == 0)
        ss_json_null(j, "mean");
    else
        ss_json_double(j, "mean", s->mean);
    if (s->n < 2)
        ss_json_null(j, "half_width");
    else
        ss_json_double(j, "half_width", s->half);
}

static void json_summary_item(struct ss_json *j, const char *key, const struct ss_summary *s,
                              int with_runs)
{
    ss_json_begin_object(j, key);
    if (with_runs)
        ss_json_int(j, "runs", s->n);
    json_mean_half(j, s);
    ss_json_end_object(j);
}

static void json_totals(struct ss_json *j, const struct ss_metrics_summary *s, bool actions)
{
    size_t t;
    ss_json_begin_object(j, "totals");
    for (t = 0; t < ss_totals_count(); t++)
        if (ss_total_in(t, SS_IN_SUMMARY, actions))
            json_summary_item(j, ss_total(t)->key, &s->total[t], 0);
    ss_json_end_object(j);
}

static void json_summary(struct ss_json *j, const char *key, const struct ss_metrics_summary *s,
                         bool actions)
{
    int k;
    ss_json_begin_object(j, key);
    ss_json_double(j, "confidence", 0.95);
    ss_json_begin_object(j, "symptoms");
    for (k = 0; k < SS_SYMPTOMS; k++)
        json_summary_item(j, ss_symptom_key((enum ss_symptom)k), &s->symptom[k], 1);
    ss_json_end_object(j);
    json_totals(j, s, actions);
    ss_json_end_object(j);
}

/* Under `key`; `of`: "after - before, run by run", or a variant's
 * "NAME - baseline, run by run". */
static void json_difference(struct ss_json *j, const char *key,
                            const struct ss_metrics_summary *d,
                            const struct ss_run_metrics *before,
                            const struct ss_run_metrics *after, int n, bool actions,
                            const char *of)
{
    int k;
    ss_json_begin_object(j, key);
    ss_json_double(j, "confidence", 0.95);
    ss_json_string(j, "of", of);
    ss_json_begin_object(j, "symptoms");
    for (k = 0; k < SS_SYMPTOMS; k++) {
        const struct ss_summary *s = &d->symptom[k];
        ss_json_begin_object(j, ss_symptom_key((enum ss_symptom)k));
        ss_json_int(j, "runs_before", ss_metrics_count(before, n, (enum ss_symptom)k));
        ss_json_int(j, "runs_after", ss_metrics_count(after, n, (enum ss_symptom)k));
        ss_json_int(j, "runs", s->n);
        json_mean_half(j, s);
        ss_json_end_object(j);
    }
    ss_json_end_object(j);
    json_totals(j, d, actions);
    ss_json_end_object(j);
}

/* ------------------------------------------------------------------- text */


/* A count: whole above 100 or when whole, else one decimal; thousands
 * separated. `sign`: always show + or - (a difference). */
static char *count_text(char buf[48], double v, int sign)
{
    char digits[32];
    double a = fabs(v);
    const char *pre = v < 0 ? "-" : (sign && v > 0 ? "+" : "");
    if (a >= 100 || a == floor(a))
        sprintf(buf, "%s%s", pre, ss_thousands(digits, (unsigned long long)(a + 0.5)));
    else
        sprintf(buf, "%s%.1f", pre, a);
    if (strcmp(buf, "-0") == 0 || strcmp(buf, "+0") == 0 || strcmp(buf, "-0.0") == 0)
        strcpy(buf, "0");
    return buf;
}

static char *span_text(char buf[48], double us, int sign)
{
    char t[SS_TIME_TEXT];
    ss_time v = (ss_time)(fabs(us) + 0.5);
    sprintf(buf, "%s%s", v == 0 ? "" : us < 0 ? "-" : sign ? "+" : "", ss_span_text(t, v));
    return buf;
}

static char *clock_text(char buf[48], double us, int sign)
{
    char t[SS_TIME_TEXT];
    ss_time v = (ss_time)(fabs(us) + 0.5);
    sprintf(buf, "%s%s", v == 0 ? "" : us < 0 ? "-" : sign ? "+" : "", ss_time_hms(t, v));
    return buf;
}

/* "mean ± half" in the unit of a total; the mean alone with fewer than two runs. */
static char *total_cell(char buf[192], enum ss_unit unit, const struct ss_summary *s,
                        int sign)
{
    char m[48], h[48];
    switch (unit) {
    case SS_UNIT_US:
        span_text(m, s->mean, sign);
        span_text(h, s->half, 0);
        break;
    case SS_UNIT_SHARE:
        sprintf(m, sign ? "%+.1f" : "%.1f%%", 100 * s->mean);
        sprintf(h, 100 * s->half < 0.1 ? "%.2f" : "%.1f", 100 * s->half);
        if (sign)
            strcat(m, " points");
        break;
    default:
        count_text(m, s->mean, sign);
        count_text(h, s->half, 0);
        break;
    }
    if (s->n < 2)
        sprintf(buf, "%s", m);
    else
        sprintf(buf, "%s " PM " %s", m, h);
    return buf;
}

/* "in 20 of 20 runs, at 01:14:10 ± 00:02:31" or "never in 20 runs". */
/* Symptom k of a summary: in how many runs, and when. One that follows
 * another reads as a single run does when that one never happened either:
 * "not starved in 5 runs", not "never". */
static char *symptom_text(char buf[192], const struct ss_clock *clock,
                          const struct ss_metrics_summary *sum, enum ss_symptom k, int runs)
{
    const struct ss_summary *s = &sum->symptom[k];
    enum ss_symptom cause = ss_symptom_cause(k);
    char m[48], h[48];
    if (s->n == 0) {
        sprintf(buf, "%s in %d %s",
                cause != SS_SYMPTOMS && sum->symptom[cause].n == 0 ? ss_symptom_not(k) : "never",
                runs, runs == 1 ? "run" : "runs");
        return buf;
    }
    ss_clock_hms(m, clock, (ss_time)(s->mean + 0.5));
    if (s->n < 2)
        sprintf(buf, "in %d of %d %s, at %s", s->n, runs, runs == 1 ? "run" : "runs", m);
    else
        sprintf(buf, "in %d of %d runs, at %s " PM " %s", s->n, runs, m,
                clock_text(h, s->half, 0));
    return buf;
}

static unsigned long long total_events(const struct ss_run_metrics *runs, int n)
{
    unsigned long long e = 0;
    int i;
    for (i = 0; i < n; i++)
        e += runs[i].events;
    return e;
}

static void heading(FILE *f, const struct ss_scenario *sc, int replications, int compare)
{
    char seed[32];
    ss_line(f, "storesim %s: %s%s (%s), %d %s%s", STORESIM_VERSION,
            compare ? "compare " : "", sc->name, sc->path, replications,
            replications == 1 ? "replication" : "replications",
            compare ? " without and with the KB 924567 hotfix" : "");
    fputc('\n', f);
    ss_report_scenario(f, sc);
    sprintf(seed, "%llu", (unsigned long long)sc->seed);
    fputc('\n', f);
    if (replications > 1)
        fprintf(f, "Run 1 uses seed %s; runs 2 to %d use seeds derived from it.\n\n", seed,
                replications);
    if (compare) {
        ss_wrap(f, "Compared: each run without the KB 924567 hotfix (\"before\") is paired with "
                "one with it installed (\"after\") on the same seed, so the same messages and "
                "requests arrive at the same instants in both.",
             0);
        fputc('\n', f);
    }
}

static void how_to_read(FILE *f, int replications, int compare)
{
    char text[1024];
    sprintf(text, "How to read: \"a " PM " h\" is the mean over the %d runs and the half-width "
                  "of its 95%% confidence interval: the mean over all possible runs of this "
                  "scenario lies between a - h and a + h, 19 times out of 20. A symptom time "
                  "is averaged over the runs where the symptom happened.",
            replications);
    if (compare)
        strcat(text, " \"after - before\" is taken run by run, each pair on one seed, so the "
                     "noise both share cancels and its interval is tighter than either "
                     "side's; when it does not include 0, the hotfix made that difference.");
    ss_wrap(f, text, 0);
}

static void report_one(FILE *f, const struct ss_scenario *sc, const struct ss_run_metrics *runs,
                       int n)
{
    struct ss_metrics_summary sum;
    char cell[192], e[32];
    size_t t;
    int k;
    ss_metrics_summarize(runs, n, &sum);
    heading(f, sc, n, 0);
    how_to_read(f, n, 0);
    fputs("\nSymptoms (simulated time)\n", f);
    for (k = 0; k < SS_SYMPTOMS; k++) {
        fputs("  ", f);
        ss_pad(f, ss_symptom_label((enum ss_symptom)k), 20);
        fprintf(f, " %s\n", symptom_text(cell, &sc->clock, &sum, (enum ss_symptom)k, n));
    }
    fprintf(f, "\nTotals (mean " PM " half-width over %d runs)\n", n);
    for (t = 0; t < ss_totals_count(); t++) {
        if (!ss_total_in(t, SS_IN_SUMMARY, sc->n_actions > 0))
            continue;
        fputs("  ", f);
        ss_pad(f, ss_total(t)->label, 26);
        fprintf(f, " %s\n", total_cell(cell, ss_total(t)->unit, &sum.total[t], 0));
    }
    fprintf(f, "\nEvents processed: %s in %d runs\n",
            ss_thousands(e, total_events(runs, n)), n);
}

/* Two sides of a comparison, side by side: the symptoms (each side, then
 * the change) and the totals, under the labels `b` and `a` ("before" and
 * "after", or "baseline" and a variant's name). */
static void report_pair(FILE *f, const struct ss_scenario *sc,
                        const struct ss_run_metrics *before,
                        const struct ss_run_metrics *after, int n, const char *b,
                        const char *a)
{
    struct ss_metrics_summary sb, sa, d;
    char cell[192], h[48], cells[SS_TOTALS_MAX][3][192], of[64];
    size_t t;
    int k, c, width[2] = {8, 8};
    int label = (int)(strlen(a) > strlen(b) ? strlen(a) : strlen(b)) + 2;
    if (label < 8)
        label = 8;
    ss_metrics_summarize(before, n, &sb);
    ss_metrics_summarize(after, n, &sa);
    ss_metrics_difference(before, after, n, &d);

    fputs("\nSymptoms (simulated time)\n", f);
    for (k = 0; k < SS_SYMPTOMS; k++) {
        fputs("  ", f);
        ss_pad(f, ss_symptom_label((enum ss_symptom)k), 20);
        fprintf(f, " %-*s%s\n", label, b,
                symptom_text(cell, &sc->clock, &sb, (enum ss_symptom)k, n));
        fprintf(f, "  %20s %-*s%s\n", "", label, a,
                symptom_text(cell, &sc->clock, &sa, (enum ss_symptom)k, n));
        if (d.symptom[k].n == 0)
            continue;
        clock_text(cell, d.symptom[k].mean, 1);
        if (d.symptom[k].n >= 2)
            fprintf(f, "  %20s %-*s%s " PM " %s (%d paired runs)\n", "", label, "change", cell,
                    clock_text(h, d.symptom[k].half, 0), d.symptom[k].n);
        else
            fprintf(f, "  %20s %-*s%s (1 paired run)\n", "", label, "change", cell);
    }

    /* Each column as wide as its widest cell, plus two spaces. */
    for (t = 0; t < ss_totals_count(); t++) {
        enum ss_unit unit = ss_total(t)->unit;
        if (!ss_total_in(t, SS_IN_SUMMARY, sc->n_actions > 0))
            continue;
        total_cell(cells[t][0], unit, &sb.total[t], 0);
        total_cell(cells[t][1], unit, &sa.total[t], 0);
        total_cell(cells[t][2], unit, &d.total[t], 1);
        for (c = 0; c < 2; c++)
            if (ss_columns(cells[t][c]) + 2 > width[c])
                width[c] = ss_columns(cells[t][c]) + 2;
    }
    for (c = 0; c < 2; c++)
        if ((int)strlen(c ? a : b) + 2 > width[c])
            width[c] = (int)strlen(c ? a : b) + 2;
    fprintf(f, "\nTotals (mean " PM " half-width over %d runs)\n", n);
    fprintf(f, "  %-24s ", "");
    ss_pad(f, b, width[0]);
    ss_pad(f, a, width[1]);
    snprintf(of, sizeof of, "%s - %s", a, b);
    fprintf(f, "%s\n", of);
    for (t = 0; t < ss_totals_count(); t++) {
        if (!ss_total_in(t, SS_IN_SUMMARY, sc->n_actions > 0))
            continue;
        fputs("  ", f);
        ss_pad(f, ss_total(t)->label, 24);
        fputs(" ", f);
        ss_pad(f, cells[t][0], width[0]);
        ss_pad(f, cells[t][1], width[1]);
        fprintf(f, "%s\n", cells[t][2]);
    }
}

static void report_compare(FILE *f, const struct ss_scenario *sc,
                           const struct ss_run_metrics *before,
                           const struct ss_run_metrics *after, int n)
{
    char e[32];
    heading(f, sc, n, 1);
    how_to_read(f, n, 1);
    report_pair(f, sc, before, after, n, "before", "after");
    fprintf(f, "\nEvents processed: %s in %d runs\n",
            ss_thousands(e, total_events(before, n) + total_events(after, n)), 2 * n);
}

/* Side `side`'s name: "before" and "after", or "baseline" and the variants'. */
static const char *side_name(const struct ss_replication *rq, int side)
{
    if (rq->n_variants)
        return side ? rq->variant_def[side - 1].name : SS_BASELINE;
    return side == 0 ? "before" : "after";
}

/* compare --variant --replications: the baseline paired with each variant. */
static void report_variants(FILE *f, const struct ss_replication *rq,
                            const struct ss_replicated *r)
{
    const struct ss_scenario *sc = rq->sc;
    const int n = r->replications;
    unsigned long long events = 0;
    char seed[32], e[32], text[1024];
    int side;
    ss_line(f, "storesim %s: compare %s (%s) with %d %s, %d %s", STORESIM_VERSION, sc->name,
            sc->path, rq->n_variants, rq->n_variants == 1 ? "variant" : "variants", n,
            n == 1 ? "replication" : "replications");
    fputc('\n', f);
    ss_report_scenario(f, sc);
    fputc('\n', f);
    sprintf(seed, "%llu", (unsigned long long)sc->seed);
    if (n > 1)
        fprintf(f, "Run 1 uses seed %s; runs 2 to %d use seeds derived from it.\n\n", seed, n);
    ss_wrap(f, "Compared: each run of the scenario as written (\"baseline\") is paired with one "
            "of each variant on the same seed, so the same messages and requests arrive at "
            "the same instants in all of them.",
            0);
    fputc('\n', f);
    sprintf(text, "How to read: \"a " PM " h\" is the mean over the %d runs and the half-width "
                  "of its 95%% confidence interval: the mean over all possible runs of this "
                  "scenario lies between a - h and a + h, 19 times out of 20. A symptom time "
                  "is averaged over the runs where the symptom happened. \"NAME - baseline\" "
                  "is taken run by run, each pair on one seed; when its interval does not "
                  "include 0, the variant made that difference.",
            n);
    ss_wrap(f, text, 0);
    for (side = 1; side < r->sides; side++) {
        char changes[512];
        fputc('\n', f);
        snprintf(text, sizeof text, "%s and %s (%s)", SS_BASELINE, side_name(rq, side),
                 ss_variant_changes(&rq->variant_def[side - 1], changes, sizeof changes));
        ss_wrap_after(f, "", text, 2);
        report_pair(f, sc, r->runs[0], r->runs[side], n, SS_BASELINE, side_name(rq, side));
    }
    for (side = 0; side < r->sides; side++)
        events += total_events(r->runs[side], n);
    fprintf(f, "\nEvents processed: %s in %d runs\n", ss_thousands(e, events), r->sides * n);
}

/* ---------------------------------------------------------------- entries */

void ss_replication_json_begin(struct ss_replication_json *w, struct ss_json *j,
                               const struct ss_replication *rq)
{
    w->j = j;
    w->rq = rq;
    ss_json_begin_object(j, NULL);
    ss_json_int(j, "replications", rq->replications);
}

void ss_replication_json_run(void *ctx, int side, int i, const struct ss_scenario *sc,
                             const struct ss_results *res, const struct ss_run_metrics *runs)
{
    struct ss_replication_json *w = ctx;
    if (i == 0) {
        if (w->rq->compare)
            ss_json_begin_object(w->j, side_name(w->rq, side));
        ss_json_begin_array(w->j, "runs");
    }
    ss_report_json(w->j, NULL, sc, res);
    if (i == w->rq->replications - 1) {
        struct ss_metrics_summary sum;
        ss_json_end_array(w->j);
        ss_metrics_summarize(runs, w->rq->replications, &sum);
        json_summary(w->j, "summary", &sum, sc->n_actions > 0);
        if (w->rq->compare)
            ss_json_end_object(w->j);
    }
}

/* A run's JSON as its shard wrote it (a document of its own, shard.h), put in
 * its place: each line after the first indented to the depth of the array
 * it joins, the document's last line end left out. That is, byte for byte,
 * what ss_report_json writes there. */
static void json_fragment(struct ss_json *j, const char *doc)
{
    size_t n = strlen(doc), i;
    int depth = j->depth, k;
    if (strncmp(doc, "{\n", 2) != 0) { /* not a run's JSON: the part was edited */
        ss_json_null(j, NULL);
        return;
    }
    ss_json_raw(j, NULL, "{");
    for (i = 1; i < n; i++) {
        if (doc[i] == '\n' && i + 1 == n)
            break; /* the document's own last line end */
        putc(doc[i], j->f);
        if (doc[i] == '\n')
            for (k = 0; k < depth; k++)
                fputs("  ", j->f);
    }
}

void ss_replication_json_merged(void *ctx, int side, int i, const char *json,
                                const struct ss_run_metrics *runs)
{
    struct ss_replication_json *w = ctx;
    if (i == 0) {
        if (w->rq->compare)
            ss_json_begin_object(w->j, side_name(w->rq, side));
        ss_json_begin_array(w->j, "runs");
    }
    json_fragment(w->j, json ? json : "null\n");
    if (i == w->rq->replications - 1) {
        struct ss_metrics_summary sum;
        ss_json_end_array(w->j);
        ss_metrics_summarize(runs, w->rq->replications, &sum);
        json_summary(w->j, "summary", &sum, w->rq->sc->n_actions > 0);
        if (w->rq->compare)
            ss_json_end_object(w->j);
    }
}

void ss_replication_json_end(struct ss_replication_json *w, const struct ss_replicated *r)
{
    const bool actions = w->rq->sc->n_actions > 0;
    struct ss_metrics_summary d;
    char of[64];
    int side;
    if (w->rq->n_variants) {
        /* Each variant against the baseline, run by run, under its name. */
        ss_json_begin_object(w->j, "differences");
        for (side = 1; side < r->sides; side++) {
            ss_metrics_difference(r->runs[0], r->runs[side], r->replications, &d);
            snprintf(of, sizeof of, "%s - %s, run by run", side_name(w->rq, side), SS_BASELINE);
            json_difference(w->j, side_name(w->rq, side), &d, r->runs[0], r->runs[side],
                            r->replications, actions, of);
        }
        ss_json_end_object(w->j);
    } else if (w->rq->compare) {
        ss_metrics_difference(r->runs[0], r->runs[1], r->replications, &d);
        json_difference(w->j, "difference", &d, r->runs[0], r->runs[1], r->replications,
                        actions, "after - before, run by run");
    }
    ss_json_end_object(w->j);
}

void ss_replication_text(FILE *f, const struct ss_replication *rq, const struct ss_replicated *r)
{
    if (rq->n_variants) {
        report_variants(f, rq, r);
    } else if (rq->compare) {
        struct ss_scenario before = *rq->sc;
        before.hotfix = 0;
        report_compare(f, &before, r->runs[0], r->runs[1], r->replications);
    } else {
        report_one(f, rq->sc, r->runs[0], r->replications);
    }
}
