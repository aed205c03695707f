/*
 * sweep_report.c: what a sweep prints and writes (see sweep_report.h).
 */
#include "storesim/sweep_report.h"

#include <ctype.h>
#include <string.h>

#include "storesim/csv.h"
#include "storesim/text.h"
#include "storesim/totals.h"

#define PM "\302\261" /* the plus-minus sign, in UTF-8 */

/* ---------------------------------------------------------------- report */

static int column_width(const struct ss_vary *v)
{
    int w = (int)strlen(v->key);
    return w < 8 ? 8 : w;
}


static void report_head(FILE *f, const struct ss_scenario *sc, const struct ss_grid *g,
                        int replications)
{
    size_t d;
    ss_line(f, "storesim %s: sweep %s (%s), %ld %s, %d %s each", STORESIM_VERSION, sc->name,
            sc->path, g->points, g->points == 1 ? "point" : "points", replications,
            replications == 1 ? "run" : "runs");
    fputc('\n', f);
    fputs("Varied:\n", f);
    for (d = 0; d < g->n_vary; d++) {
        char a[64], b[64], s[64];
        const struct ss_vary *v = &g->vary[d];
        ss_line(f, "  %s from %s to %s in steps of %s (%ld %s)", v->key,
                ss_vary_text(v, 0, a, sizeof a), ss_vary_text(v, v->points - 1, b, sizeof b),
                ss_vary_step(v, s, sizeof s), v->points, v->points == 1 ? "value" : "values");
    }
    ss_line(f, "The edge is sought along %s, the first key varied.", g->vary[0].key);
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
        ss_pad(f, g->vary[d].key, column_width(&g->vary[d]));
        fputs("  ", f);
    }
    fputs("Delivery starved\n", f);
}

static void report_point(FILE *f, const struct ss_clock *clock, const struct ss_grid *g, long p,
                         int replications, const struct ss_metrics_summary *sum)
{
    const struct ss_summary *st = &sum->symptom[SS_DELIVERY_STARVED];
    double episodes = sum->total[ss_total_find("starved_episodes")].mean;
    char value[64], a[SS_TIME_TEXT], b[SS_TIME_TEXT], span[SS_TIME_TEXT];
    size_t d;
    fputs("  ", f);
    for (d = 0; d < g->n_vary; d++) {
        ss_pad(f, ss_vary_text(&g->vary[d], ss_grid_coord(g, p, d), value, sizeof value),
            column_width(&g->vary[d]));
        fputs("  ", f);
    }
    ss_span_text(span, (ss_time)(sum->total[ss_total_find("starved_us")].mean + 0.5));
    if (replications == 1) {
        char many[48] = "";
        if (st->n == 0) {
            fputs("never\n", f);
        } else {
            if (episodes > 1)
                snprintf(many, sizeof many, " in %.0f episodes", episodes);
            fprintf(f, "at %s, for %s%s\n", ss_clock_hms(a, clock, (ss_time)(st->mean + 0.5)),
                    span, many);
        }
    } else if (st->n == 0) {
        fprintf(f, "in 0 of %d runs\n", replications);
    } else if (st->n == 1) {
        fprintf(f, "in 1 of %d runs, at %s\n", replications,
                ss_clock_hms(a, clock, (ss_time)(st->mean + 0.5)));
    } else {
        fprintf(f, "in %d of %d runs, at %s " PM " %s\n", st->n, replications,
                ss_clock_hms(a, clock, (ss_time)(st->mean + 0.5)),
                ss_time_hms(b, (ss_time)(st->half + 0.5)));
    }
}

/* "store.threads = 150, mta.flush_timeout = 90m" for group `grp` (the
 * point whose first key is at its first value). */
static void group_label(char *buf, size_t size, const struct ss_grid *g, long first_point)
{
    size_t d, len = 0;
    buf[0] = '\0';
    for (d = 1; d < g->n_vary; d++) {
        char value[64];
        int n = snprintf(buf + len, size - len, "%s%s = %s", d > 1 ? ", " : "", g->vary[d].key,
                         ss_vary_text(&g->vary[d], ss_grid_coord(g, first_point, d), value,
                                      sizeof value));
        if (n < 0 || (size_t)n >= size - len)
            return;
        len += (size_t)n;
    }
}

static void report_edge(FILE *f, const struct ss_grid *g, const bool *starved)
{
    const struct ss_vary *v0 = &g->vary[0];
    long groups = g->points / v0->points, grp, i, any = 0;
    fputs("\nThe edge: where local delivery starts to starve\n", f);
    for (grp = 0; grp < groups; grp++) {
        const bool *s = starved + grp * v0->points;
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
            ss_line(f, "  %s: %s", label, line);
        else
            ss_line(f, "  %c%s.", toupper((unsigned char)line[0]), line + 1);
    }
    if (!any && groups > 1)
        fputs("  Local delivery never starves anywhere on this grid.\n", f);
}

/* ------------------------------------------------------------------- CSV */

static void csv_header(FILE *f, const struct ss_grid *g, int replications, bool actions)
{
    char name[320];
    size_t d, t;
    int k;
    for (d = 0; d < g->n_vary; d++) {
        if (g->vary[d].unit[0])
            snprintf(name, sizeof name, "%s [%s]", g->vary[d].key, g->vary[d].unit);
        else
            snprintf(name, sizeof name, "%s", g->vary[d].key);
        ss_csv_field(f, name, d == 0);
    }
    for (k = 0; k < SS_SYMPTOMS; k++) {
        const char *s = ss_symptom_key((enum ss_symptom)k);
        fprintf(f, ",%s_s", s);
        if (replications > 1)
            fprintf(f, ",%s_s_half,%s_runs", s, s);
    }
    for (t = 0; t < ss_totals_count(); t++) {
        if (!ss_total_in(t, SS_IN_SUMMARY, actions))
            continue;
        fprintf(f, ",%s", ss_total_csv(t, name, sizeof name));
        if (replications > 1)
            fprintf(f, ",%s_half", name);
    }
    fputc('\n', f);
}

static void csv_row(FILE *f, const struct ss_grid *g, long p, int replications, bool actions,
                    const struct ss_metrics_summary *sum)
{
    char value[48];
    size_t d, t;
    int k;
    for (d = 0; d < g->n_vary; d++)
        ss_csv_field(f, ss_vary_digits(&g->vary[d], ss_grid_coord(g, p, d), value, sizeof value), d == 0);
    for (k = 0; k < SS_SYMPTOMS; k++) {
        const struct ss_summary *s = &sum->symptom[k];
        if (s->n == 0)
            fputc(',', f);
        else
            ss_csv_number(f, s->mean / 1e6);
        if (replications > 1) {
            if (s->n < 2)
                fputc(',', f);
            else
                ss_csv_number(f, s->half / 1e6);
            fprintf(f, ",%d", s->n);
        }
    }
    for (t = 0; t < ss_totals_count(); t++) {
        if (!ss_total_in(t, SS_IN_SUMMARY, actions))
            continue;
        ss_csv_number(f, ss_total_csv_value(t, sum->total[t].mean));
        if (replications > 1)
            ss_csv_number(f, ss_total_csv_value(t, sum->total[t].half));
    }
    fputc('\n', f);
}


/* ---------------------------------------------------------------- watcher */

static void on_start(void *ctx, const struct ss_sweep *sw, const struct ss_scenario *sc)
{
    struct ss_sweep_report *r = ctx;
    r->clock = sc->clock;
    r->actions = sc->n_actions > 0;
    if (r->text)
        report_head(r->text, sc, &sw->grid, sw->replications);
    if (r->csv)
        csv_header(r->csv, &sw->grid, sw->replications, r->actions);
}

static void on_point(void *ctx, const struct ss_sweep *sw, long p,
                     const struct ss_metrics_summary *sum)
{
    const struct ss_sweep_report *r = ctx;
    if (r->csv)
        csv_row(r->csv, &sw->grid, p, sw->replications, r->actions, sum);
    if (r->text)
        report_point(r->text, &r->clock, &sw->grid, p, sw->replications, sum);
}

static void on_end(void *ctx, const struct ss_sweep *sw, const bool *starved)
{
    const struct ss_sweep_report *r = ctx;
    if (r->text)
        report_edge(r->text, &sw->grid, starved);
}

struct ss_sweep_watcher ss_sweep_report_watcher(struct ss_sweep_report *r)
{
    struct ss_sweep_watcher w;
    w.start = on_start;
    w.point = on_point;
    w.end = on_end;
    w.ctx = r;
    return w;
}
