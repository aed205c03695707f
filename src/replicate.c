/*
 * replicate.c: replications (see replicate.h).
 *
 * The runs go one at a time through a single heap ss_results; what the
 * summaries need is copied into an ss_run_metrics per run.
 */
#include "storesim/replicate.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/json.h"
#include "storesim/report.h"
#include "storesim/shard.h"

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

void ss_run_metrics_of(const struct ss_results *r, uint64_t seed, struct ss_run_metrics *out)
{
    size_t t;
    int s;
    out->seed = seed;
    for (s = 0; s < SS_SYMPTOMS; s++)
        out->symptom[s] = r->symptom[s];
    for (t = 0; t < ss_totals_count(); t++)
        out->total[t] = ss_total_value(t, r);
    out->events = r->events;
}

void ss_metrics_summarize(const struct ss_run_metrics *runs, int n,
                          struct ss_metrics_summary *out)
{
    size_t t;
    int s, i;
    for (s = 0; s < SS_SYMPTOMS; s++) {
        struct ss_accum a = SS_ACCUM_EMPTY;
        for (i = 0; i < n; i++)
            if (runs[i].symptom[s] != SS_NEVER)
                ss_accum_add(&a, (double)runs[i].symptom[s]);
        ss_accum_summary(&a, &out->symptom[s]);
    }
    for (t = 0; t < ss_totals_count(); t++) {
        struct ss_accum a = SS_ACCUM_EMPTY;
        for (i = 0; i < n; i++)
            ss_accum_add(&a, runs[i].total[t]);
        ss_accum_summary(&a, &out->total[t]);
    }
}

void ss_metrics_difference(const struct ss_run_metrics *before,
                           const struct ss_run_metrics *after, int n,
                           struct ss_metrics_summary *out)
{
    size_t t;
    int s, i;
    for (s = 0; s < SS_SYMPTOMS; s++) {
        struct ss_accum a = SS_ACCUM_EMPTY;
        for (i = 0; i < n; i++)
            if (before[i].symptom[s] != SS_NEVER && after[i].symptom[s] != SS_NEVER)
                ss_accum_add(&a, (double)after[i].symptom[s] - (double)before[i].symptom[s]);
        ss_accum_summary(&a, &out->symptom[s]);
    }
    for (t = 0; t < ss_totals_count(); t++) {
        struct ss_accum a = SS_ACCUM_EMPTY;
        for (i = 0; i < n; i++)
            ss_accum_add(&a, after[i].total[t] - before[i].total[t]);
        ss_accum_summary(&a, &out->total[t]);
    }
}

int ss_metrics_count(const struct ss_run_metrics *runs, int n, enum ss_symptom s)
{
    int i, k = 0;
    for (i = 0; i < n; i++)
        k += runs[i].symptom[s] != SS_NEVER;
    return k;
}

/* A run of a shard, into its part: its metrics and its JSON. */
static void part_run(FILE *f, int side, int i, const struct ss_scenario *sc,
                     const struct ss_results *res, const struct ss_run_metrics *m)
{
    struct ss_json j;
    ss_part_run(f, 0, side, i, m);
    ss_part_json_begin(f);
    ss_json_init(&j, f);
    ss_report_json(&j, NULL, sc, res);
    ss_json_end(&j);
    ss_part_json_end(f);
}

/* The runs of one side of rq, on scenario sc; on_run (with `side`) after each. */
static int run_side(const struct ss_replication *rq, const struct ss_scenario *sc, int side,
                    struct ss_run_metrics *out, char *err, size_t err_size)
{
    struct ss_results *res = malloc(sizeof *res);
    int i;
    assert(rq->replications >= 1 && rq->replications <= SS_REPLICATIONS_MAX);
    if (!res) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    for (i = 0; i < rq->replications; i++) {
        /* A shallow copy: the run shares every table of sc, only its seed differs. */
        struct ss_scenario run = *sc;
        run.seed = ss_replication_seed(sc->seed, i);
        if (!ss_shard_mine(&rq->shard, i))
            continue; /* another shard's */
        if (rq->merged) {
            const struct ss_part_run *got = ss_parts_find(rq->merged, 0, side, i);
            out[i] = got->m;
            if (rq->on_merged)
                rq->on_merged(rq->ctx, side, i, got->json, out);
            continue;
        }
        if (ss_simulate(&run, rq->watch, res, err, err_size) != 0) {
            ss_results_free(res);
            free(res);
            return -1;
        }
        ss_run_metrics_of(res, run.seed, &out[i]);
        if (rq->part)
            part_run(rq->part, side, i, &run, res, &out[i]);
        else if (rq->on_run)
            rq->on_run(rq->ctx, side, i, &run, res, out);
        ss_results_free(res);
    }
    free(res);
    return 0;
}

int ss_replicate_runs(const struct ss_scenario *sc, int replications, struct ss_run_metrics *out,
                      const struct ss_sim_options *watch, char *err, size_t err_size)
{
    struct ss_replication rq;
    memset(&rq, 0, sizeof rq);
    rq.sc = sc;
    rq.replications = replications;
    rq.watch = watch;
    return run_side(&rq, sc, 0, out, err, err_size);
}

int ss_replicate(const struct ss_replication *rq, struct ss_replicated *out, char *err,
                 size_t err_size)
{
    int side;
    assert(rq->replications >= 1 && rq->replications <= SS_REPLICATIONS_MAX);
    memset(out, 0, sizeof *out);
    out->replications = rq->replications;
    out->sides = rq->n_variants ? 1 + rq->n_variants : rq->compare ? 2 : 1;
    for (side = 0; side < out->sides; side++) {
        struct ss_scenario copy = *rq->sc; /* shallow: only the hotfix changes */
        if (rq->n_variants && side > 0)
            copy = *rq->variant[side - 1];
        else if (rq->compare && !rq->n_variants)
            copy.hotfix = side == 1;
        out->runs[side] = malloc((size_t)rq->replications * sizeof *out->runs[side]);
        if (!out->runs[side]) {
            snprintf(err, err_size, "out of memory");
            return -1;
        }
        if (run_side(rq, &copy, side, out->runs[side], err, err_size) != 0)
            return -1;
    }
    return 0;
}

void ss_replicated_free(struct ss_replicated *r)
{
    int side;
    for (side = 0; side < SS_RUNS_MAX; side++)
        free(r->runs[side]);
    memset(r, 0, sizeof *r);
}
