/*
 * fuzz_run.c: a libFuzzer harness that runs small scenarios end to end.
 *
 * The input is a scenario file. When it parses, and its estimate is small
 * (at most EVENTS_MAX events, MEMORY_MAX bytes), the harness runs it twice,
 * without and with the hotfix as compare does, with an event budget (a run
 * that goes past twice EVENTS_MAX is stopped: the estimate was wrong, which
 * is a finding), and checks what every run must keep:
 *
 *   - every symptom time is "never" or within the run, and a symptom that
 *     follows another (recovered, resumed) comes after it;
 *   - counts add up: no more delivered than arrived, no more served and
 *     failed than arrived, flushes registered at least completed and timed
 *     out, moves completed at most submitted, the pool never busier than its
 *     threads;
 *   - the same messages arrive in both runs (common random numbers);
 *   - the same scenario gives the same report, byte for byte, run again;
 *
 * and writes every output (report, JSON, CSV rows, chart, compare) to a
 * sink, so their formatting meets the same hostile names and values.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/compare.h"
#include "storesim/csv.h"
#include "storesim/estimate.h"
#include "storesim/json.h"
#include "storesim/report.h"
#include "storesim/scenario.h"
#include "storesim/sim.h"
#include "storesim/svg.h"

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "fuzz_run: check failed at line %d: %s\n", __LINE__, #cond); \
            abort();                                                                 \
        }                                                                            \
    } while (0)

#define EVENTS_MAX 200000.0
#define MEMORY_MAX (64.0 * 1024 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct watch {
    struct ss_series series;
    FILE *csv;
    int have_series;
};

static void on_sample(void *ctx, const struct ss_sample *s)
{
    struct watch *w = ctx;
    ss_csv_row(w->csv, NULL, NULL, s);
    if (w->have_series)
        ss_series_add(&w->series, s);
}

/* The budget: a run the estimate let through must end well within it. */
static int on_progress(void *ctx, ss_time now, uint64_t events)
{
    (void)ctx;
    (void)now;
    CHECK((double)events <= 2 * EVENTS_MAX + 1000);
    return 0;
}

static void check_results(const struct ss_scenario *sc, const struct ss_results *r)
{
    int s;
    for (s = 0; s < SS_SYMPTOMS; s++)
        CHECK(r->symptom[s] == SS_NEVER || (r->symptom[s] >= 0 && r->symptom[s] <= sc->duration));
    if (r->symptom[SS_DELIVERY_RECOVERED] != SS_NEVER)
        CHECK(r->symptom[SS_DELIVERY_STARVED] != SS_NEVER &&
              r->symptom[SS_DELIVERY_RECOVERED] >= r->symptom[SS_DELIVERY_STARVED]);
    if (r->symptom[SS_SMTP_RESUMED] != SS_NEVER)
        CHECK(r->symptom[SS_SMTP_STOPPED] != SS_NEVER &&
              r->symptom[SS_SMTP_RESUMED] >= r->symptom[SS_SMTP_STOPPED]);
    CHECK(r->delivery.delivered <= r->delivery.arrived);
    CHECK(r->delivery.queued >= 0);
    CHECK(r->owa.served + r->owa.failed <= r->owa.arrived);
    CHECK(r->flushes.registered >= r->flushes.completed + r->flushes.timed_out);
    CHECK(r->moves.completed <= r->moves.submitted);
    CHECK(r->pool.max_busy <= sc->threads);
    CHECK(r->pool.utilization >= 0.0 && r->pool.utilization <= 1.0 + 1e-9);
    CHECK(r->starved_us >= 0 && r->starved_us <= sc->duration);
}

/* One run; its text report into `report` (may be NULL), every other output
 * into `sink`. Returns 0, or -1 when it failed (out of memory). */
static int run(const struct ss_scenario *sc, FILE *report, FILE *sink, struct ss_results *res)
{
    struct ss_sim_options opt;
    struct watch w;
    struct ss_json j;
    char why[256];
    memset(&opt, 0, sizeof opt);
    memset(&w, 0, sizeof w);
    w.csv = sink;
    w.have_series = ss_series_init(&w.series, sc->duration, sc->sample_interval) == 0;
    opt.on_sample = on_sample;
    opt.sample_ctx = &w;
    opt.on_progress = on_progress;
    if (ss_simulate(sc, &opt, res, why, sizeof why) != 0) {
        ss_series_free(&w.series);
        return -1;
    }
    check_results(sc, res);
    if (report)
        ss_report_text(report, sc, res);
    ss_json_init(&j, sink);
    ss_report_json(&j, NULL, sc, res);
    ss_json_end(&j);
    if (w.have_series) {
        struct ss_svg_panel panel;
        struct ss_svg_chart chart;
        memset(&panel, 0, sizeof panel); /* every field a chart may gain: none */
        memset(&chart, 0, sizeof chart);
        panel.run = "run";
        panel.heading = sc->name;
        panel.series = &w.series;
        panel.symptom = res->symptom;
        panel.episodes = res->episodes;
        chart.title = sc->path;
        chart.clock = &sc->clock;
        chart.duration = sc->duration;
        chart.threads = sc->threads;
        chart.panel = &panel;
        chart.n_panels = 1;
        panel.actions = res->actions;
        chart.actions = sc->actions;
        chart.n_actions = sc->n_actions;
        ss_svg_write(sink, &chart);
        ss_series_free(&w.series);
    }
    return 0;
}

static char *contents(FILE *f)
{
    long n;
    char *text;
    fflush(f);
    n = ftell(f);
    CHECK(n >= 0);
    text = malloc((size_t)n + 1);
    CHECK(text != NULL);
    rewind(f);
    CHECK(fread(text, 1, (size_t)n, f) == (size_t)n);
    text[n] = '\0';
    fclose(f);
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ss_scenario sc, before, after;
    struct ss_results *res = calloc(3, sizeof *res);
    struct ss_estimate est;
    struct ss_error err;
    FILE *sink, *a, *b;
    char *ta, *tb;
    if (!res)
        return 0;
    if (ss_scenario_parse("fuzz.scn", (const char *)data, size, NULL, 0, &sc, &err) != 0) {
        free(res);
        return 0;
    }
    ss_estimate_detail(&sc, &est);
    if (est.total > EVENTS_MAX || est.memory > MEMORY_MAX ||
        (double)sc.duration / (double)sc.sample_interval > 1e5 ||
        ss_compare_scenarios(&sc, &before, &after) != 0) {
        ss_scenario_free(&sc);
        free(res);
        return 0;
    }
    {
        struct ss_estimate other;
        ss_estimate_detail(&after, &other);
        ss_estimate_detail(&before, &est);
        if (est.total > EVENTS_MAX || other.total > EVENTS_MAX || other.memory > MEMORY_MAX)
            goto done;
    }
    sink = tmpfile();
    a = tmpfile();
    b = tmpfile();
    CHECK(sink && a && b);
    if (run(&before, a, sink, &res[0]) == 0 && run(&after, NULL, sink, &res[1]) == 0 &&
        run(&before, b, sink, &res[2]) == 0) {
        struct ss_comparison c;
        /* Common random numbers: the hotfix changes what happens to the mail,
         * not which mail arrives. */
        CHECK(res[0].delivery.arrived == res[1].delivery.arrived);
        CHECK(res[0].owa.arrived == res[1].owa.arrived);
        c.sc[SS_BEFORE] = &before;
        c.sc[SS_AFTER] = &after;
        c.res[SS_BEFORE] = &res[0];
        c.res[SS_AFTER] = &res[1];
        ss_compare_text(sink, &c);
    }
    ss_results_free(&res[0]);
    ss_results_free(&res[1]);
    ss_results_free(&res[2]);
    fclose(sink);
    ta = contents(a);
    tb = contents(b);
    CHECK(strcmp(ta, tb) == 0); /* deterministic */
    free(ta);
    free(tb);
done:
    ss_scenario_free(&before);
    ss_scenario_free(&after);
    ss_scenario_free(&sc);
    free(res);
    return 0;
}
