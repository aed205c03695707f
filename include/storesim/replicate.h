/*
 * replicate.h: many runs of one scenario, and what each of them found.
 *
 * One stochastic run is an anecdote: run the scenario again with another seed
 * and delivery may starve ten minutes earlier. `--replications R` runs the
 * scenario R times, each with its own seed; replicate_report.h turns the runs
 * into means with their 95% confidence intervals (summary.h). This module
 * only runs them and keeps what the summaries need.
 *
 * Seeds. Replication 0 uses the scenario's own seed, so one replication is the
 * plain run; replication i > 0 uses the i-th output of splitmix64 started at
 * the scenario's seed (ss_replication_seed). The seeds of one scenario are all
 * distinct, and each run still derives its random streams from its seed and
 * the streams' names (rng.h), so every run keeps common random numbers between
 * its own workloads.
 *
 * Compare. With `compare`, run i without the hotfix and run i with it use the
 * same seed, so the same messages arrive at the same instants in both (common
 * random numbers). The difference "after - before" is then taken run by run
 * and summarised on its own: the noise both runs share cancels, so its
 * interval is tighter than either side's.
 *
 * Memory. A run's ss_results holds its histograms (about 120 KiB); only one
 * is alive at a time, on the heap. What the summaries need from each run is
 * copied into a small ss_run_metrics.
 */
#ifndef STORESIM_REPLICATE_H
#define STORESIM_REPLICATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storesim/scenario.h"
#include "storesim/sim.h"
#include "storesim/summary.h"
#include "storesim/totals.h"
#include "storesim/variant.h"

/* Most replications one call runs; the command line refuses more. */
#define SS_REPLICATIONS_MAX 10000

/* The seed of replication i (0 <= i < SS_REPLICATIONS_MAX): `seed` itself for
 * i = 0; for i > 0 the i-th output of splitmix64 seeded with `seed`, which is
 * splitmix64's mixing function applied to seed + i x 0x9e3779b97f4a7c15. */
uint64_t ss_replication_seed(uint64_t seed, int i);

/* What the summaries keep of one run: its symptoms and every total of the
 * table of totals (totals.h), by row. */
struct ss_run_metrics {
    uint64_t seed;
    ss_time symptom[SS_SYMPTOMS];  /* SS_NEVER when it did not happen */
    double total[SS_TOTALS_MAX];
    uint64_t events;
};

void ss_run_metrics_of(const struct ss_results *r, uint64_t seed, struct ss_run_metrics *out);

/* Summaries of a set of runs. symptom[s] is over the runs where s happened:
 * its n says in how many. */
struct ss_metrics_summary {
    struct ss_summary symptom[SS_SYMPTOMS];
    struct ss_summary total[SS_TOTALS_MAX];
};

void ss_metrics_summarize(const struct ss_run_metrics *runs, int n,
                          struct ss_metrics_summary *out);

/* The paired difference after[i] - before[i], summarised. A symptom's
 * difference is over the runs where it happened in both. */
void ss_metrics_difference(const struct ss_run_metrics *before,
                           const struct ss_run_metrics *after, int n,
                           struct ss_metrics_summary *out);

/* In how many of the n runs symptom s happened. */
int ss_metrics_count(const struct ss_run_metrics *runs, int n, enum ss_symptom s);

/* Called as each run ends, while its results still exist: side 0 (or 1, the
 * hotfix side of a comparison), run i, and the metrics of that side so far
 * (runs[0..i]). */
typedef void (*ss_run_watcher)(void *ctx, int side, int i, const struct ss_scenario *sc,
                               const struct ss_results *res, const struct ss_run_metrics *runs);

/* A share of the runs (shard.h): shard k of n, 1 <= k <= n; n = 0: all. */
struct ss_shard {
    int k, n;
};

struct ss_parts; /* shard.h */

/* What to run. */
struct ss_replication {
    const struct ss_scenario *sc;
    int replications;                   /* 1 to SS_REPLICATIONS_MAX */
    bool compare;                       /* pairs without and with the hotfix */
    /* compare --variant: side 0 is sc as written (no hotfix changed), side k
     * the scenario variant[k - 1], made from variant_def[k - 1], each paired
     * with side 0 run by run. */
    const struct ss_scenario *variant[SS_VARIANTS_MAX];
    const struct ss_variant *variant_def;
    int n_variants;
    const struct ss_sim_options *watch; /* handed to every ss_simulate (may be NULL):
                                           its on_progress can stop the runs */
    ss_run_watcher on_run;              /* may be NULL */
    void *ctx;
    /* Sharded (shard.h): only the replications i of this shard run; each
     * run's metrics and JSON go to `part`, and on_run is not called. Merged:
     * the runs are read from `merged`, and on_merged (not on_run) hears each
     * with the JSON its shard wrote. */
    struct ss_shard shard;
    FILE *part;
    const struct ss_parts *merged;
    void (*on_merged)(void *ctx, int side, int i, const char *json,
                      const struct ss_run_metrics *runs);
};

/* What the runs found: runs[side][i], side 1 only for compare (and 1 to
 * n_variants for its variants). */
struct ss_replicated {
    int replications, sides;
    struct ss_run_metrics *runs[SS_RUNS_MAX];
};

/* Run the replications: side 0 as the scenario says (compare: without the
 * hotfix), then side 1 (compare: with it), replication i of each with seed
 * ss_replication_seed(sc->seed, i). Returns 0, or -1 with err set (out of
 * memory, interrupted); *out must be freed with ss_replicated_free either way. */
int ss_replicate(const struct ss_replication *rq, struct ss_replicated *out, char *err,
                 size_t err_size);

void ss_replicated_free(struct ss_replicated *r);

/* The runs of one side alone into out[0..replications-1] (a sweep's point).
 * Returns 0, or -1 with err set. */
int ss_replicate_runs(const struct ss_scenario *sc, int replications, struct ss_run_metrics *out,
                      const struct ss_sim_options *watch, char *err, size_t err_size);

#endif
