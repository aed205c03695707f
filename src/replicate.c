/*
 * replicate.c: replications, their confidence intervals and their report
 * (see replicate.h).
 *
 * The runs go one at a time through a single heap ss_results; what the
 * summaries need is copied into an ss_run_metrics per run. Means and
 * variances are accumulated with Welford's method, which stays exact when
 * every run gives the same value (a deterministic scenario: half-width 0).
 */
#include "storesim/replicate.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/report.h"
#include "storesim/text.h"

#define PM "\302\261" /* the plus-minus sign, in UTF-8 */

/* ------------------------------------------------------------ statistics */

uint64_t ss_replication_seed(uint64_t seed, int i)
{
    uint64_t state;
    assert(i >= 0);
    if (i == 0)
        return seed;
    /* The i-th splitmix64 output from `seed`: one step from the state the
     * generator holds after i - 1 steps. */
    state = seed + (uint64_t)(i - 1) * UINT64_C(0x9e3779b97f4a7c15);
    return ss_splitmix64(&state);
}

/* t(0.975, df) for df = 1..30, to 9 significant digits. */
static const double t975[31] = {
    0,           12.7062047,  4.30265273,  3.18244631,  2.77644511,  2.57058184,
    2.44691185,  2.36462425,  2.30600414,  2.26215716,  2.22813885,  2.20098516,
    2.17881283,  2.16036866,  2.14478669,  2.13144955,  2.11990530,  2.10981558,
    2.10092204,  2.09302405,  2.08596345,  2.07961384,  2.07387307,  2.06865761,
    2.06389856,  2.05953855,  2.05552944,  2.05183052,  2.04840714,  2.04522964,
    2.04227246};

double ss_student_t975(int df)
{
    /* Cornish-Fisher expansion of t in powers of 1/df around the normal
     * quantile z (Abramowitz and Stegun 26.7.5). */
    const double z = 1.959963984540054;
    double z2 = z * z, n = df, g1, g2, g3, g4;
    assert(df >= 1);
    if (df <= 30)
        return t975[df];
    g1 = (z2 + 1) * z / 4;
    g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
    g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
    g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
    return z + g1 / n + g2 / (n * n) + g3 / (n * n * n) + g4 / (n * n * n * n);
}

/* Welford's running mean and sum of squared deviations, and the plain sum:
 * the mean reported is sum / n, exact for counts, so 20 runs of 575,878
 * messages on average say 575878, not 575878.0000000001. */
struct accum {
    int n;
    double mean, m2, sum;
};

static void accum_add(struct accum *a, double x)
{
    double delta = x - a->mean;
    a->n++;
    a->sum += x;
    a->mean += delta / a->n;
    a->m2 += delta * (x - a->mean);
}

static void accum_summary(const struct accum *a, struct ss_summary *out)
{
    out->n = a->n;
    out->mean = a->n ? a->sum / a->n : 0.0;
    out->half = 0.0;
    if (a->n >= 2) {
        double var = a->m2 / (a->n - 1);
        out->half = ss_student_t975(a->n - 1) * sqrt(var > 0 ? var : 0) / sqrt((double)a->n);
    }
}

void ss_summarize(const double *x, int n, struct ss_summary *out)
{
    struct accum a = {0, 0.0, 0.0, 0.0};
    int i;
    assert(n >= 0);
    for (i = 0; i < n; i++)
        accum_add(&a, x[i]);
    accum_summary(&a, out);
}

/* ---------------------------------------------------------------- metrics */

static const struct ss_total_info totals[SS_TOTALS] = {
    {"delivery.arrived", "delivery_arrived", "Messages arrived", SS_UNIT_COUNT},
    {"delivery.delivered", "delivery_delivered", "Messages delivered", SS_UNIT_COUNT},
    {"delivery.queued", "delivery_queued", "Messages still queued", SS_UNIT_COUNT},
    {"delivery.refused", "delivery_refused", "SMTP refusals", SS_UNIT_COUNT},
    {"delivery.deferred", "delivery_deferred", "Messages deferred", SS_UNIT_COUNT},
    {"starved_us", "starved_s", "Time starved", SS_UNIT_US},
    {"max_backlog", "max_backlog", "Largest backlog", SS_UNIT_COUNT},
    {"owa.served", "owa_served", "OWA requests served", SS_UNIT_COUNT},
    {"owa.failed", "owa_failed", "OWA requests failed", SS_UNIT_COUNT},
    {"moves.completed", "moves_completed", "Mailbox moves completed", SS_UNIT_COUNT},
    {"flushes.registered", "flushes_registered", "Flushes registered", SS_UNIT_COUNT},
    {"flushes.skipped", "flushes_skipped", "Flushes skipped", SS_UNIT_COUNT},
    {"flushes.timed_out", "flushes_timed_out", "Flushes timed out", SS_UNIT_COUNT},
    {"flushes.completed", "flushes_completed", "Flushes completed", SS_UNIT_COUNT},
    {"pool.utilization", "pool_utilization", "Pool utilisation", SS_UNIT_SHARE},
    {"delivery.wait_us.mean", "delivery_wait_mean_s", "Delivery wait, mean", SS_UNIT_US},
    {"delivery.wait_us.p99", "delivery_wait_p99_s", "Delivery wait, p99", SS_UNIT_US},
};

const struct ss_total_info *ss_total_info(enum ss_total t)
{
    assert(t >= 0 && t < SS_TOTALS);
    return &totals[t];
}

void ss_run_metrics_of(const struct ss_results *r, uint64_t seed, struct ss_run_metrics *out)
{
    double *t = out->total;
    int s;
    out->seed = seed;
    for (s = 0; s < SS_SYMPTOMS; s++)
        out->symptom[s] = r->symptom[s];
    t[SS_T_ARRIVED] = (double)r->delivery.arrived;
    t[SS_T_DELIVERED] = (double)r->delivery.delivered;
    t[SS_T_QUEUED] = (double)r->delivery.queued;
    t[SS_T_REFUSED] = (double)r->delivery.refused;
    t[SS_T_DEFERRED] = (double)r->delivery.deferred;
    t[SS_T_STARVED] = (double)r->starved_us;
    t[SS_T_MAX_BACKLOG] = (double)r->max_backlog;
    t[SS_T_OWA_SERVED] = (double)r->owa.served;
    t[SS_T_OWA_FAILED] = (double)r->owa.failed;
    t[SS_T_MOVES_DONE] = (double)r->moves.completed;
    t[SS_T_FLUSH_REGISTERED] = (double)r->flushes.registered;
    t[SS_T_FLUSH_SKIPPED] = (double)r->flushes.skipped;
    t[SS_T_FLUSH_TIMED_OUT] = (double)r->flushes.timed_out;
    t[SS_T_FLUSH_COMPLETED] = (double)r->flushes.completed;
    t[SS_T_UTILIZATION] = r->pool.utilization;
    t[SS_T_WAIT_MEAN] = ss_hist_mean(&r->wait[SS_DELIVERY]);
    t[SS_T_WAIT_P99] = (double)ss_hist_quantile(&r->wait[SS_DELIVERY], 0.99);
    out->events = r->events;
}

void ss_metrics_summarize(const struct ss_run_metrics *runs, int n,
                          struct ss_metrics_summary *out)
{
    int s, t, i;
    for (s = 0; s < SS_SYMPTOMS; s++) {
        struct accum a = {0, 0.0, 0.0, 0.0};
        for (i = 0; i < n; i++)
            if (runs[i].symptom[s] != SS_NEVER)
                accum_add(&a, (double)runs[i].symptom[s]);
        accum_summary(&a, &out->symptom[s]);
    }
    for (t = 0; t < SS_TOTALS; t++) {
        struct accum a = {0, 0.0, 0.0, 0.0};
        for (i = 0; i < n; i++)
            accum_add(&a, runs[i].total[t]);
        accum_summary(&a, &out->total[t]);
    }
}

void ss_metrics_difference(const struct ss_run_metrics *before,
                           const struct ss_run_metrics *after, int n,
                           struct ss_metrics_summary *out)
{
    int s, t, i;
    for (s = 0; s < SS_SYMPTOMS; s++) {
        struct accum a = {0, 0.0, 0.0, 0.0};
        for (i = 0; i < n; i++)
            if (before[i].symptom[s] != SS_NEVER && after[i].symptom[s] != SS_NEVER)
                accum_add(&a, (double)after[i].symptom[s] - (double)before[i].symptom[s]);
        accum_summary(&a, &out->symptom[s]);
    }
    for (t = 0; t < SS_TOTALS; t++) {
        struct accum a = {0, 0.0, 0.0, 0.0};
        for (i = 0; i < n; i++)
            accum_add(&a, after[i].total[t] - before[i].total[t]);
        accum_summary(&a, &out->total[t]);
    }
}

static int count_runs(const struct ss_run_metrics *runs, int n, int s)
{
    int i, k = 0;
    for (i = 0; i < n; i++)
        k += runs[i].symptom[s] != SS_NEVER;
    return k;
}

/* ------------------------------------------------------------------- runs */

int ss_replicate_runs(const struct ss_scenario *sc, int replications, struct ss_run_metrics *out,
                      struct ss_json *json, const struct ss_sim_options *watch, char *err,
                      size_t err_size)
{
    struct ss_results *res;
    int i;
    assert(replications >= 1 && replications <= SS_REPLICATIONS_MAX);
    res = malloc(sizeof *res);
    if (!res) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    for (i = 0; i < replications; i++) {
        /* A shallow copy: the run shares every table of sc, only its seed differs. */
        struct ss_scenario run = *sc;
        run.seed = ss_replication_seed(sc->seed, i);
        if (ss_simulate(&run, watch, res, err, err_size) != 0) {
            ss_results_free(res);
            free(res);
            return -1;
        }
        ss_run_metrics_of(res, run.seed, &out[i]);
        if (json)
            ss_report_json(json, NULL, &run, res);
        ss_results_free(res);
    }
    free(res);
    return 0;
}

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

static void json_totals(struct ss_json *j, const struct ss_metrics_summary *s)
{
    int t;
    ss_json_begin_object(j, "totals");
    for (t = 0; t < SS_TOTALS; t++)
        json_summary_item(j, totals[t].key, &s->total[t], 0);
    ss_json_end_object(j);
}

static void json_summary(struct ss_json *j, const char *key, const struct ss_metrics_summary *s)
{
    int k;
    ss_json_begin_object(j, key);
    ss_json_double(j, "confidence", 0.95);
    ss_json_begin_object(j, "symptoms");
    for (k = 0; k < SS_SYMPTOMS; k++)
        json_summary_item(j, ss_symptom_key((enum ss_symptom)k), &s->symptom[k], 1);
    ss_json_end_object(j);
    json_totals(j, s);
    ss_json_end_object(j);
}

static void json_difference(struct ss_json *j, const struct ss_metrics_summary *d,
                            const struct ss_run_metrics *before,
                            const struct ss_run_metrics *after, int n)
{
    int k;
    ss_json_begin_object(j, "difference");
    ss_json_double(j, "confidence", 0.95);
    ss_json_string(j, "of", "after - before, run by run");
    ss_json_begin_object(j, "symptoms");
    for (k = 0; k < SS_SYMPTOMS; k++) {
        const struct ss_summary *s = &d->symptom[k];
        ss_json_begin_object(j, ss_symptom_key((enum ss_symptom)k));
        ss_json_int(j, "runs_before", count_runs(before, n, k));
        ss_json_int(j, "runs_after", count_runs(after, n, k));
        ss_json_int(j, "runs", s->n);
        json_mean_half(j, s);
        ss_json_end_object(j);
    }
    ss_json_end_object(j);
    json_totals(j, d);
    ss_json_end_object(j);
}

/* ------------------------------------------------------------------- text */


/* `s` left-aligned in `width` columns, counting characters, not bytes: the
 * plus-minus sign is two bytes in UTF-8 but one column. */
static int columns(const char *s)
{
    int cols = 0;
    const unsigned char *p;
    for (p = (const unsigned char *)s; *p; p++)
        cols += (*p & 0xC0) != 0x80;
    return cols;
}

static void pad(FILE *f, const char *s, int width)
{
    int cols = columns(s);
    fputs(s, f);
    while (cols++ < width)
        fputc(' ', f);
}

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
static char *total_cell(char buf[192], enum ss_total_unit unit, const struct ss_summary *s,
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
static char *symptom_text(char buf[192], const struct ss_summary *s, int runs)
{
    char m[48], h[48];
    if (s->n == 0) {
        sprintf(buf, "never in %d %s", runs, runs == 1 ? "run" : "runs");
        return buf;
    }
    clock_text(m, s->mean, 0);
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
    fprintf(f, "storesim %s: %s%s (%s), %d %s%s\n\n", STORESIM_VERSION,
            compare ? "compare " : "", sc->name, sc->path, replications,
            replications == 1 ? "replication" : "replications",
            compare ? " without and with the KB 924567 hotfix" : "");
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
    int k;
    ss_metrics_summarize(runs, n, &sum);
    heading(f, sc, n, 0);
    how_to_read(f, n, 0);
    fputs("\nSymptoms (simulated time)\n", f);
    for (k = 0; k < SS_SYMPTOMS; k++) {
        fputs("  ", f);
        pad(f, ss_symptom_label((enum ss_symptom)k), 20);
        fprintf(f, " %s\n", symptom_text(cell, &sum.symptom[k], n));
    }
    fprintf(f, "\nTotals (mean " PM " half-width over %d runs)\n", n);
    for (k = 0; k < SS_TOTALS; k++) {
        fputs("  ", f);
        pad(f, totals[k].label, 26);
        fprintf(f, " %s\n", total_cell(cell, totals[k].unit, &sum.total[k], 0));
    }
    fprintf(f, "\nEvents processed: %s in %d runs\n",
            ss_thousands(e, total_events(runs, n)), n);
}

static void report_compare(FILE *f, const struct ss_scenario *sc,
                           const struct ss_run_metrics *before,
                           const struct ss_run_metrics *after, int n)
{
    struct ss_metrics_summary sb, sa, d;
    char cell[192], h[48], e[32], cells[SS_TOTALS][3][192];
    int k, c, width[2] = {8, 8};
    ss_metrics_summarize(before, n, &sb);
    ss_metrics_summarize(after, n, &sa);
    ss_metrics_difference(before, after, n, &d);
    heading(f, sc, n, 1);
    how_to_read(f, n, 1);

    fputs("\nSymptoms (simulated time)\n", f);
    for (k = 0; k < SS_SYMPTOMS; k++) {
        fputs("  ", f);
        pad(f, ss_symptom_label((enum ss_symptom)k), 20);
        fprintf(f, " before  %s\n", symptom_text(cell, &sb.symptom[k], n));
        fprintf(f, "  %20s after   %s\n", "", symptom_text(cell, &sa.symptom[k], n));
        if (d.symptom[k].n == 0)
            continue;
        clock_text(cell, d.symptom[k].mean, 1);
        if (d.symptom[k].n >= 2)
            fprintf(f, "  %20s change  %s " PM " %s (%d paired runs)\n", "", cell,
                    clock_text(h, d.symptom[k].half, 0), d.symptom[k].n);
        else
            fprintf(f, "  %20s change  %s (1 paired run)\n", "", cell);
    }

    /* Each column as wide as its widest cell, plus two spaces. */
    for (k = 0; k < SS_TOTALS; k++) {
        total_cell(cells[k][0], totals[k].unit, &sb.total[k], 0);
        total_cell(cells[k][1], totals[k].unit, &sa.total[k], 0);
        total_cell(cells[k][2], totals[k].unit, &d.total[k], 1);
        for (c = 0; c < 2; c++)
            if (columns(cells[k][c]) + 2 > width[c])
                width[c] = columns(cells[k][c]) + 2;
    }
    fprintf(f, "\nTotals (mean " PM " half-width over %d runs)\n", n);
    fprintf(f, "  %-24s ", "");
    pad(f, "before", width[0]);
    pad(f, "after", width[1]);
    fputs("after - before\n", f);
    for (k = 0; k < SS_TOTALS; k++) {
        fputs("  ", f);
        pad(f, totals[k].label, 24);
        fputs(" ", f);
        pad(f, cells[k][0], width[0]);
        pad(f, cells[k][1], width[1]);
        fprintf(f, "%s\n", cells[k][2]);
    }
    fprintf(f, "\nEvents processed: %s in %d runs\n",
            ss_thousands(e, total_events(before, n) + total_events(after, n)), 2 * n);
}

/* ---------------------------------------------------------------- command */

int ss_replicate(const struct ss_scenario *sc, int replications, int compare, FILE *report,
                 struct ss_json *json, const struct ss_sim_options *watch, char *err,
                 size_t err_size)
{
    struct ss_run_metrics *runs[2] = {NULL, NULL};
    int sides = compare ? 2 : 1, side, rc = 0;
    assert(replications >= 1 && replications <= SS_REPLICATIONS_MAX);

    for (side = 0; side < sides; side++) {
        runs[side] = malloc((size_t)replications * sizeof *runs[side]);
        if (!runs[side]) {
            snprintf(err, err_size, "out of memory");
            free(runs[0]);
            return -1;
        }
    }
    if (json) {
        ss_json_begin_object(json, NULL);
        ss_json_int(json, "replications", replications);
    }
    for (side = 0; side < sides && rc == 0; side++) {
        struct ss_scenario copy = *sc; /* shallow: only the hotfix changes */
        if (compare)
            copy.hotfix = side == 1;
        if (json) {
            if (compare)
                ss_json_begin_object(json, side ? "after" : "before");
            ss_json_begin_array(json, "runs");
        }
        rc = ss_replicate_runs(&copy, replications, runs[side], json, watch, err, err_size);
        if (rc == 0 && json) {
            struct ss_metrics_summary sum;
            ss_json_end_array(json);
            ss_metrics_summarize(runs[side], replications, &sum);
            json_summary(json, "summary", &sum);
            if (compare)
                ss_json_end_object(json);
        }
    }
    if (rc == 0 && json) {
        if (compare) {
            struct ss_metrics_summary d;
            ss_metrics_difference(runs[0], runs[1], replications, &d);
            json_difference(json, &d, runs[0], runs[1], replications);
        }
        ss_json_end_object(json);
    }
    if (rc == 0 && report) {
        if (compare) {
            struct ss_scenario before = *sc;
            before.hotfix = 0;
            report_compare(report, &before, runs[0], runs[1], replications);
        } else {
            report_one(report, sc, runs[0], replications);
        }
    }
    free(runs[0]);
    free(runs[1]);
    return rc;
}
