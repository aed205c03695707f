/*
 * replicate.h: many runs of one scenario, and how sure their numbers are.
 *
 * One stochastic run is an anecdote: run the scenario again with another seed
 * and delivery may starve ten minutes earlier. `--replications R` runs the
 * scenario R times, each with its own seed, and reports every symptom time and
 * every total as a mean with the half-width of its 95% confidence interval
 * (Student t, R - 1 degrees of freedom): "01:14:10 ± 00:02:31" says the mean
 * over all possible runs of this scenario lies within 2m31s of 01:14:10, with
 * 95% confidence. A symptom that happens in only some runs is summarised over
 * those runs, and the report says in how many it happened.
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

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "storesim/json.h"
#include "storesim/scenario.h"
#include "storesim/sim.h"

/* Most replications one call runs; the command line refuses more. */
#define SS_REPLICATIONS_MAX 10000

/* The seed of replication i (0 <= i < SS_REPLICATIONS_MAX): `seed` itself for
 * i = 0; for i > 0 the i-th output of splitmix64 seeded with `seed`, which is
 * splitmix64's mixing function applied to seed + i x 0x9e3779b97f4a7c15. */
uint64_t ss_replication_seed(uint64_t seed, int i);

/* The two-sided 95% quantile of Student's t with df >= 1 degrees of freedom
 * (t such that P(|T| <= t) = 0.95): exact to 9 digits from a table up to
 * df = 30, from the Cornish-Fisher expansion beyond (error below 1e-7);
 * 1.959964 in the limit. */
double ss_student_t975(int df);

/* A mean and the half-width of its 95% confidence interval. */
struct ss_summary {
    int n;        /* values summarised */
    double mean;  /* their mean; 0 when n = 0 */
    double half;  /* t(n - 1) x sd / sqrt(n), sd the sample standard deviation;
                     0 when n < 2 (one value gives no interval) */
};

/* Summarise x[0..n-1] (n >= 0). */
void ss_summarize(const double *x, int n, struct ss_summary *out);

/* The totals every replication summary reports, in report order. */
enum ss_total {
    SS_T_ARRIVED,      /* messages offered for the first time */
    SS_T_DELIVERED,
    SS_T_QUEUED,       /* in the local delivery queue at the end */
    SS_T_REFUSED,      /* SMTP refusals */
    SS_T_DEFERRED,
    SS_T_STARVED,      /* time spent starved, microseconds */
    SS_T_MAX_BACKLOG,
    SS_T_OWA_SERVED,
    SS_T_OWA_FAILED,
    SS_T_MOVES_DONE,   /* mailbox moves completed */
    SS_T_FLUSH_REGISTERED,
    SS_T_FLUSH_SKIPPED,
    SS_T_FLUSH_TIMED_OUT,
    SS_T_FLUSH_COMPLETED,
    SS_T_UTILIZATION,  /* share of thread time busy, 0..1 */
    SS_T_WAIT_MEAN,    /* delivery wait for a thread, mean, microseconds */
    SS_T_WAIT_P99,     /* ... 99th percentile, microseconds */
    SS_TOTALS
};

enum ss_total_unit { SS_UNIT_COUNT, SS_UNIT_US, SS_UNIT_SHARE };

struct ss_total_info {
    const char *key;    /* JSON summary key: the path in a run's "totals", "delivery.arrived" */
    const char *csv;    /* CSV column: "delivery_arrived", "starved_s" (times in seconds) */
    const char *label;  /* report label: "Messages arrived" */
    enum ss_total_unit unit;
};

const struct ss_total_info *ss_total_info(enum ss_total t);

/* What the summaries keep of one run. */
struct ss_run_metrics {
    uint64_t seed;
    ss_time symptom[SS_SYMPTOMS];  /* SS_NEVER when it did not happen */
    double total[SS_TOTALS];
    uint64_t events;
};

void ss_run_metrics_of(const struct ss_results *r, uint64_t seed, struct ss_run_metrics *out);

/* Summaries of a set of runs. symptom[s] is over the runs where s happened:
 * its n says in how many. */
struct ss_metrics_summary {
    struct ss_summary symptom[SS_SYMPTOMS];
    struct ss_summary total[SS_TOTALS];
};

void ss_metrics_summarize(const struct ss_run_metrics *runs, int n,
                          struct ss_metrics_summary *out);

/* The paired difference after[i] - before[i], summarised. A symptom's
 * difference is over the runs where it happened in both. */
void ss_metrics_difference(const struct ss_run_metrics *before,
                           const struct ss_run_metrics *after, int n,
                           struct ss_metrics_summary *out);

/* Run `replications` (>= 1) runs of sc, replication i with seed
 * ss_replication_seed(sc->seed, i) and everything else as sc says, and fill
 * out[0..replications-1]. When json is not NULL each run is written as an
 * array element (ss_report_json) as soon as it ends. Returns 0, or -1 with
 * err set (out of memory). */
/* `watch` (may be NULL) is handed to every ss_simulate: its on_progress can
 * stop the runs (an interrupt), which then fail with "interrupted". */
int ss_replicate_runs(const struct ss_scenario *sc, int replications, struct ss_run_metrics *out,
                      struct ss_json *json, const struct ss_sim_options *watch, char *err,
                      size_t err_size);

/* The whole --replications command: R runs of sc, or with `compare` R pairs
 * (hotfix false, then true, run i of both with the same seed). Writes the
 * text report to `report` and one JSON value to `json` (either may be NULL;
 * the caller does ss_json_init before and ss_json_end after):
 *
 *   {"replications": R, "runs": [<run> ...], "summary": {...}}
 *   {"replications": R, "before": {"runs": [...], "summary": {...}},
 *    "after": {...}, "difference": {...}}
 *
 * each <run> as ss_report_json writes it. A summary is
 *   {"confidence": 0.95,
 *    "symptoms": {"pool_exhausted": {"runs": k, "mean": us, "half_width": us}, ...},
 *    "totals": {"delivery.arrived": {"mean": x, "half_width": h}, ...}}
 * with "mean" null when k = 0 and "half_width" null when fewer than two
 * values stand behind it. The difference's symptoms also give "runs_before",
 * "runs_after" and "runs" (the runs where it happened in both).
 * Returns 0, or -1 with err set (out of memory); the JSON is then left
 * unfinished: abandon the output (ss_output_abort), do not call ss_json_end. */
int ss_replicate(const struct ss_scenario *sc, int replications, int compare, FILE *report,
                 struct ss_json *json, const struct ss_sim_options *watch, char *err,
                 size_t err_size);

#endif
