/*
 * sweep.c: runs over a grid of key values, and the edge where delivery
 * starves (see sweep.h).
 *
 * Values are kept as integers in units of 10^-decimals, so a grid stated in
 * decimals ("0.1:0.5:0.1") has no rounding drift and each value is written
 * back exactly as the user would have typed it.
 */
#include "storesim/sweep.h"

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/estimate.h"
#include "storesim/replicate.h"
#include "storesim/report.h"
#include "storesim/text.h"

#define PM "\302\261" /* the plus-minus sign, in UTF-8 */
#define DIGITS_MAX 15 /* a value's digits, so that it stays exact in a double */

/* ------------------------------------------------------------------ --vary */

static const char *const units[] = {"", "us", "ms", "s", "m", "h", "d", "/s", "/m", "/h", "/d"};

/* "--vary 'TEXT': " and the message. */
static int vary_error(char *err, size_t size, const char *text, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(err, size, "--vary '%.200s': ", text);
    if (n > 0 && (size_t)n < size) {
        va_start(ap, fmt);
        vsnprintf(err + n, size - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* One of FROM, TO, STEP: "150", "0.25", "30m". Returns 0 or -1. */
struct part {
    char text[64];
    long long mantissa;  /* digits without the point */
    int decimals;        /* digits after the point */
    int digits;          /* significant digits */
    char unit[16];
};

static int parse_part(const char *s, size_t len, struct part *p)
{
    size_t i = 0;
    int seen_digit = 0, after_point = -1;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    while (len && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    if (len >= sizeof p->text)
        len = sizeof p->text - 1;
    memcpy(p->text, s, len);
    p->text[len] = '\0';
    p->mantissa = 0;
    p->digits = 0;
    for (; i < len; i++) {
        if (isdigit((unsigned char)s[i])) {
            seen_digit = 1;
            if (p->mantissa || s[i] != '0')
                p->digits++;
            if (p->digits > DIGITS_MAX)
                return -1;
            p->mantissa = p->mantissa * 10 + (s[i] - '0');
            if (after_point >= 0)
                after_point++;
        } else if (s[i] == '.' && after_point < 0) {
            after_point = 0;
        } else {
            break;
        }
    }
    if (!seen_digit || after_point == 0 || len - i >= sizeof p->unit)
        return -1;
    p->decimals = after_point < 0 ? 0 : after_point;
    memcpy(p->unit, s + i, len - i);
    p->unit[len - i] = '\0';
    return 0;
}

static int known_unit(const char *u)
{
    size_t i;
    for (i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(u, units[i]) == 0)
            return 1;
    return 0;
}

static long long pow10ll(int n)
{
    long long p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

int ss_vary_parse(const char *text, struct ss_vary *out, char *err, size_t err_size)
{
    static const char usage[] = "expected KEY=FROM:TO:STEP, for example store.threads=100:200:50";
    const char *eq = strchr(text, '='), *k0 = text, *k1, *c1, *c2;
    struct part p[3];
    const char *const names[3] = {"FROM", "TO", "STEP"};
    long long scaled[3];
    int i, decimals = 0;

    memset(out, 0, sizeof *out);
    if (!eq)
        return vary_error(err, err_size, text, "%s", usage);
    k1 = eq;
    while (k0 < k1 && isspace((unsigned char)*k0))
        k0++;
    while (k1 > k0 && isspace((unsigned char)k1[-1]))
        k1--;
    if (k1 == k0 || !memchr(k0, '.', (size_t)(k1 - k0)))
        return vary_error(err, err_size, text, "%s (KEY is section.key or \"section NAME.key\")",
                          usage);
    if ((size_t)(k1 - k0) >= sizeof out->key)
        return vary_error(err, err_size, text, "the key is too long");
    memcpy(out->key, k0, (size_t)(k1 - k0));
    out->key[k1 - k0] = '\0';

    c1 = strchr(eq + 1, ':');
    c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c1 || !c2 || strchr(c2 + 1, ':'))
        return vary_error(err, err_size, text, "%s", usage);
    {
        const char *start[3], *end[3];
        start[0] = eq + 1, end[0] = c1;
        start[1] = c1 + 1, end[1] = c2;
        start[2] = c2 + 1, end[2] = c2 + strlen(c2);
        for (i = 0; i < 3; i++) {
            if (parse_part(start[i], (size_t)(end[i] - start[i]), &p[i]) != 0) {
                if (p[i].digits > DIGITS_MAX)
                    return vary_error(err, err_size, text, "%s '%s' has more than 15 digits",
                                      names[i], p[i].text);
                return vary_error(err, err_size, text,
                                  "%s '%s' is not a number (write digits with an optional "
                                  "decimal point and unit: 150, 0.5, 30m, 20/s)",
                                  names[i], p[i].text);
            }
            if (!known_unit(p[i].unit))
                return vary_error(err, err_size, text,
                                  "%s '%s' has an unknown unit '%s' (durations: us, ms, s, m, h, "
                                  "d; rates: /s, /m, /h, /d)",
                                  names[i], p[i].text, p[i].unit);
            if (p[i].decimals > decimals)
                decimals = p[i].decimals;
        }
    }
    if (strcmp(p[0].unit, p[1].unit) != 0 || strcmp(p[0].unit, p[2].unit) != 0) {
        char got[208];
        snprintf(got, sizeof got, "'%s', '%s' and '%s'", p[0].text, p[1].text, p[2].text);
        return vary_error(err, err_size, text,
                          "FROM, TO and STEP must be written in one unit (got %s); for "
                          "example 30m:150m:30m, not 30m:2h30m:30m",
                          got);
    }
    for (i = 0; i < 3; i++) {
        int shift = decimals - p[i].decimals;
        if (p[i].digits + shift > DIGITS_MAX)
            return vary_error(err, err_size, text, "%s '%s' has more than 15 digits",
                              names[i], p[i].text);
        scaled[i] = p[i].mantissa * pow10ll(shift);
    }
    if (scaled[2] <= 0)
        return vary_error(err, err_size, text, "STEP must be above 0 (got '%s')", p[2].text);
    if (scaled[0] > scaled[1])
        return vary_error(err, err_size, text, "FROM (%s) is above TO (%s)", p[0].text, p[1].text);
    if ((scaled[1] - scaled[0]) / scaled[2] + 1 > SS_VARY_POINTS_MAX) {
        char n[32], limit[32];
        sprintf(n, "%lld", (scaled[1] - scaled[0]) / scaled[2] + 1);
        sprintf(limit, "%d", SS_VARY_POINTS_MAX);
        return vary_error(err, err_size, text,
                          "that is %s values, more than the %s a sweep may run (take a larger "
                          "STEP)",
                          n, limit);
    }
    strcpy(out->unit, p[0].unit);
    out->decimals = decimals;
    out->first = scaled[0];
    out->stride = scaled[2];
    out->points = (long)((scaled[1] - scaled[0]) / scaled[2] + 1);
    out->from = (double)scaled[0] / (double)pow10ll(decimals);
    out->to = (double)scaled[1] / (double)pow10ll(decimals);
    out->step = (double)scaled[2] / (double)pow10ll(decimals);
    return 0;
}

double ss_vary_number(const struct ss_vary *v, long k)
{
    assert(k >= 0 && k < v->points);
    return (double)(v->first + k * v->stride) / (double)pow10ll(v->decimals);
}

/* x units of 10^-decimals as decimal text: "150", "0.25" (no trailing zeros). */
static char *scaled_text(long long x, int decimals, char *buf, size_t size)
{
    long long scale = pow10ll(decimals);
    if (decimals == 0) {
        snprintf(buf, size, "%lld", x);
    } else {
        size_t n;
        snprintf(buf, size, "%lld.%0*lld", x / scale, decimals, x % scale);
        n = strlen(buf);
        while (n > 0 && buf[n - 1] == '0')
            buf[--n] = '\0';
        if (n > 0 && buf[n - 1] == '.')
            buf[--n] = '\0';
    }
    return buf;
}

/* The k-th value without its unit. */
static char *vary_digits(const struct ss_vary *v, long k, char *buf, size_t size)
{
    assert(k >= 0 && k < v->points);
    return scaled_text(v->first + k * v->stride, v->decimals, buf, size);
}

char *ss_vary_text(const struct ss_vary *v, long k, char *buf, size_t size)
{
    char digits[48];
    snprintf(buf, size, "%s%s", vary_digits(v, k, digits, sizeof digits), v->unit);
    return buf;
}

/* ------------------------------------------------------------------- grid */

struct grid {
    const char *path;
    const char *const *base;
    size_t n_base;
    const struct ss_vary *vary;
    size_t n_vary;
    long points;
    const char **sets;     /* base, then one per varied key */
    char (*assign)[320];   /* the "KEY=VALUE" texts */
};

/* The value index of varied key `d` at grid point p: the first key fastest. */
static long coord(const struct grid *g, long p, size_t d)
{
    size_t i;
    for (i = 0; i < d; i++)
        p /= g->vary[i].points;
    return p % g->vary[d].points;
}

static int load_point(struct grid *g, long p, struct ss_scenario *sc, struct ss_error *err)
{
    size_t d;
    for (d = 0; d < g->n_vary; d++) {
        char value[64];
        snprintf(g->assign[d], sizeof g->assign[d], "%s=%s", g->vary[d].key,
                 ss_vary_text(&g->vary[d], coord(g, p, d), value, sizeof value));
        g->sets[g->n_base + d] = g->assign[d];
    }
    return ss_scenario_load(g->path, g->sets, g->n_base + g->n_vary, sc, err);
}

/* ------------------------------------------------------------------- CSV */

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

static double in_csv_unit(enum ss_total t, double v)
{
    return ss_total_info(t)->unit == SS_UNIT_US ? v / 1e6 : v;
}

static void csv_header(FILE *f, const struct grid *g, int replications)
{
    char name[320];
    size_t d;
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
    for (k = 0; k < SS_TOTALS; k++) {
        fprintf(f, ",%s", ss_total_info((enum ss_total)k)->csv);
        if (replications > 1)
            fprintf(f, ",%s_half", ss_total_info((enum ss_total)k)->csv);
    }
    fputc('\n', f);
}

static void csv_row(FILE *f, const struct grid *g, long p, int replications,
                    const struct ss_metrics_summary *sum)
{
    char value[48];
    size_t d;
    int k;
    for (d = 0; d < g->n_vary; d++)
        csv_field(f, vary_digits(&g->vary[d], coord(g, p, d), value, sizeof value), d == 0);
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
    for (k = 0; k < SS_TOTALS; k++) {
        csv_number(f, in_csv_unit((enum ss_total)k, sum->total[k].mean));
        if (replications > 1)
            csv_number(f, in_csv_unit((enum ss_total)k, sum->total[k].half));
    }
    fputc('\n', f);
}

/* ---------------------------------------------------------------- report */

static int column_width(const struct ss_vary *v)
{
    int w = (int)strlen(v->key);
    return w < 8 ? 8 : w;
}

static void pad(FILE *f, const char *s, int width)
{
    int cols = 0;
    const unsigned char *c;
    for (c = (const unsigned char *)s; *c; c++)
        cols += (*c & 0xC0) != 0x80;
    fputs(s, f);
    while (cols++ < width)
        fputc(' ', f);
}


static void report_head(FILE *f, const struct ss_scenario *sc, const struct grid *g,
                        int replications)
{
    size_t d;
    fprintf(f, "storesim %s: sweep %s (%s), %ld %s, %d %s each\n\n", STORESIM_VERSION, sc->name,
            sc->path, g->points, g->points == 1 ? "point" : "points", replications,
            replications == 1 ? "run" : "runs");
    fputs("Varied:\n", f);
    for (d = 0; d < g->n_vary; d++) {
        char a[64], b[64], s[64];
        const struct ss_vary *v = &g->vary[d];
        fprintf(f, "  %s from %s to %s in steps of %s%s (%ld %s)\n", v->key,
                ss_vary_text(v, 0, a, sizeof a), ss_vary_text(v, v->points - 1, b, sizeof b),
                scaled_text(v->stride, v->decimals, s, sizeof s), v->unit, v->points,
                v->points == 1 ? "value" : "values");
    }
    fprintf(f, "The edge is sought along %s, the first key varied.\n", g->vary[0].key);
    if (replications > 1) {
        char text[512];
        sprintf(text, "Each point runs %d replications, with the same seeds at every point. "
                      "\"a " PM " h\" is a mean and the half-width of its 95%% confidence "
                      "interval. A point starves when delivery starved in at least half its "
                      "runs.",
                replications);
        fputc('\n', f);
        ss_wrap(f, text, 0);
    }
    fputc('\n', f);
    fputs("  ", f);
    for (d = 0; d < g->n_vary; d++) {
        pad(f, g->vary[d].key, column_width(&g->vary[d]));
        fputs("  ", f);
    }
    fputs("Delivery starved\n", f);
}

static void report_point(FILE *f, const struct grid *g, long p, int replications,
                         const struct ss_metrics_summary *sum)
{
    const struct ss_summary *st = &sum->symptom[SS_DELIVERY_STARVED];
    char value[64], a[SS_TIME_TEXT], b[SS_TIME_TEXT], span[SS_TIME_TEXT];
    size_t d;
    fputs("  ", f);
    for (d = 0; d < g->n_vary; d++) {
        pad(f, ss_vary_text(&g->vary[d], coord(g, p, d), value, sizeof value),
            column_width(&g->vary[d]));
        fputs("  ", f);
    }
    ss_span_text(span, (ss_time)(sum->total[SS_T_STARVED].mean + 0.5));
    if (replications == 1) {
        if (st->n == 0)
            fputs("never\n", f);
        else
            fprintf(f, "at %s, for %s\n", ss_time_hms(a, (ss_time)(st->mean + 0.5)), span);
    } else if (st->n == 0) {
        fprintf(f, "in 0 of %d runs\n", replications);
    } else if (st->n == 1) {
        fprintf(f, "in 1 of %d runs, at %s\n", replications,
                ss_time_hms(a, (ss_time)(st->mean + 0.5)));
    } else {
        fprintf(f, "in %d of %d runs, at %s " PM " %s\n", st->n, replications,
                ss_time_hms(a, (ss_time)(st->mean + 0.5)),
                ss_time_hms(b, (ss_time)(st->half + 0.5)));
    }
}

/* "store.threads = 150, mta.flush_timeout = 90m" for group `grp` (the
 * point whose first key is at its first value). */
static void group_label(char *buf, size_t size, const struct grid *g, long first_point)
{
    size_t d, len = 0;
    buf[0] = '\0';
    for (d = 1; d < g->n_vary; d++) {
        char value[64];
        int n = snprintf(buf + len, size - len, "%s%s = %s", d > 1 ? ", " : "", g->vary[d].key,
                         ss_vary_text(&g->vary[d], coord(g, first_point, d), value,
                                      sizeof value));
        if (n < 0 || (size_t)n >= size - len)
            return;
        len += (size_t)n;
    }
}

static void report_edge(FILE *f, const struct grid *g, const unsigned char *starved)
{
    const struct ss_vary *v0 = &g->vary[0];
    long groups = g->points / v0->points, grp, i, any = 0;
    fputs("\nThe edge: where local delivery starts to starve\n", f);
    for (grp = 0; grp < groups; grp++) {
        const unsigned char *s = starved + grp * v0->points;
        char label[1024], line[1400], a[64], b[64];
        long edge = -1, gap = -1;
        for (i = 0; i < v0->points; i++)
            if (s[i]) {
                edge = i;
                break;
            }
        for (i = edge + 1; edge >= 0 && i < v0->points; i++)
            if (!s[i]) {
                gap = i;
                break;
            }
        group_label(label, sizeof label, g, grp * v0->points);
        if (edge < 0)
            snprintf(line, sizeof line, "local delivery does not starve, up to %s = %s", v0->key,
                     ss_vary_text(v0, v0->points - 1, a, sizeof a));
        else if (edge == 0 && v0->points > 1)
            snprintf(line, sizeof line,
                     "local delivery starves already at %s = %s, the smallest value tried",
                     v0->key, ss_vary_text(v0, 0, a, sizeof a));
        else
            snprintf(line, sizeof line, "local delivery starves from %s = %s%s%s", v0->key,
                     ss_vary_text(v0, edge, a, sizeof a),
                     gap >= 0 ? ", though not at " : "",
                     gap >= 0 ? ss_vary_text(v0, gap, b, sizeof b) : "");
        any += edge >= 0;
        if (label[0])
            fprintf(f, "  %s: %s\n", label, line);
        else
            fprintf(f, "  %c%s.\n", toupper((unsigned char)line[0]), line + 1);
    }
    if (!any && groups > 1)
        fputs("  Local delivery never starves anywhere on this grid.\n", f);
}

/* ----------------------------------------------------------------- sweep */

static int input_error(struct ss_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->text, sizeof err->text, fmt, ap);
    va_end(ap);
    return -1;
}

int ss_sweep(const char *path, const char *const *sets, size_t n_sets,
             const struct ss_vary *vary, size_t n_vary, int replications, double events_limit,
             const struct ss_sim_options *watch, FILE *report, FILE *csv, struct ss_error *err)
{
    struct grid g;
    struct ss_scenario sc;
    struct ss_run_metrics *runs = NULL;
    unsigned char *starved = NULL;
    size_t d, e;
    long p;
    int rc = 0;
    double events = 0;

    assert(replications >= 1 && replications <= SS_REPLICATIONS_MAX);
    if (n_vary == 0)
        return input_error(err, "sweep: give at least one --vary KEY=FROM:TO:STEP");
    memset(&g, 0, sizeof g);
    g.path = path;
    g.base = sets;
    g.n_base = n_sets;
    g.vary = vary;
    g.n_vary = n_vary;
    g.points = 1;
    for (d = 0; d < n_vary; d++) {
        for (e = 0; e < d; e++)
            if (strcmp(vary[d].key, vary[e].key) == 0)
                return input_error(err, "--vary: %s is varied twice", vary[d].key);
        if (g.points * vary[d].points > SS_VARY_POINTS_MAX)
            return input_error(err, "--vary: the grid has more than %d points; take larger "
                                    "steps or fewer keys",
                               SS_VARY_POINTS_MAX);
        g.points *= vary[d].points;
    }

    g.sets = malloc((n_sets + n_vary) * sizeof *g.sets);
    g.assign = malloc(n_vary * sizeof *g.assign);
    starved = calloc((size_t)g.points, 1);
    runs = malloc((size_t)replications * sizeof *runs);
    if (!g.sets || !g.assign || !starved || !runs) {
        input_error(err, "%s: out of memory", path);
        rc = -2;
        goto done;
    }
    for (d = 0; d < n_sets; d++)
        g.sets[d] = sets[d];

    /* Every point must load before any runs: a bad grid writes nothing. */
    for (p = 0; p < g.points; p++) {
        if (load_point(&g, p, &sc, err) != 0) {
            rc = -1;
            goto done;
        }
        events += ss_estimate_events(&sc) * replications;
        ss_scenario_free(&sc);
    }
    if (events_limit > 0 && events > events_limit) {
        rc = input_error(err, "%s: error: this sweep of %ld points would process about %.1e "
                              "events in all, more than the limit of %.0e; take fewer points or "
                              "add --force to run it anyway",
                         path, g.points, events, events_limit);
        goto done;
    }

    for (p = 0; p < g.points; p++) {
        struct ss_metrics_summary sum;
        char why[256];
        if (load_point(&g, p, &sc, err) != 0) {
            rc = -1; /* the file changed under the sweep */
            goto done;
        }
        if (p == 0 && report)
            report_head(report, &sc, &g, replications);
        if (p == 0 && csv)
            csv_header(csv, &g, replications);
        if (ss_replicate_runs(&sc, replications, runs, NULL, watch, why, sizeof why) != 0) {
            snprintf(err->text, sizeof err->text, "%s: %s", sc.path, why);
            ss_scenario_free(&sc);
            rc = -2;
            goto done;
        }
        ss_scenario_free(&sc);
        ss_metrics_summarize(runs, replications, &sum);
        starved[p] = 2 * sum.symptom[SS_DELIVERY_STARVED].n >= replications;
        if (csv)
            csv_row(csv, &g, p, replications, &sum);
        if (report)
            report_point(report, &g, p, replications, &sum);
    }
    if (report)
        report_edge(report, &g, starved);

done:
    free(g.sets);
    free(g.assign);
    free(starved);
    free(runs);
    return rc;
}
