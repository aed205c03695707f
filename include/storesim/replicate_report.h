/*
 * replicate_report.h: what --replications prints and writes.
 *
 * The text report gives every symptom time and every summary total of the
 * table of totals (totals.h) as a mean with the half-width of its 95%
 * confidence interval; a symptom that happens in only some runs is
 * summarised over those runs, and the report says in how many it happened.
 * With compare it gives both sides and the paired difference.
 *
 * The JSON is written as the runs go, each run whole as ss_report_json
 * writes it, so that only one run's results are ever in memory:
 *
 *   {"replications": R, "runs": [<run> ...], "summary": {...}}
 *   {"replications": R, "before": {"runs": [...], "summary": {...}},
 *    "after": {...}, "difference": {...}}
 *
 * A summary is
 *   {"confidence": 0.95,
 *    "symptoms": {"pool_exhausted": {"runs": k, "mean": us, "half_width": us}, ...},
 *    "totals": {"delivery.arrived": {"mean": x, "half_width": h}, ...}}
 * with "mean" null when k = 0 and "half_width" null when fewer than two
 * values stand behind it. The difference's symptoms also give "runs_before",
 * "runs_after" and "runs" (the runs where it happened in both).
 */
#ifndef STORESIM_REPLICATE_REPORT_H
#define STORESIM_REPLICATE_REPORT_H

#include <stdio.h>

#include "storesim/json.h"
#include "storesim/replicate.h"

/* The JSON of a set of replications, as they run. Begin it before
 * ss_replicate (with on_run = ss_replication_json_run and ctx = the writer),
 * end it after; after a failed ss_replicate the document is unfinished:
 * abandon the output. */
struct ss_replication_json {
    struct ss_json *j;
    const struct ss_replication *rq;
};

void ss_replication_json_begin(struct ss_replication_json *w, struct ss_json *j,
                               const struct ss_replication *rq);
void ss_replication_json_run(void *ctx, int side, int i, const struct ss_scenario *sc,
                             const struct ss_results *res, const struct ss_run_metrics *runs);

/* The same for a merge (shard.h): each run's JSON as its shard wrote it
 * (ss_replication.on_merged). */
void ss_replication_json_merged(void *ctx, int side, int i, const char *json,
                                const struct ss_run_metrics *runs);
void ss_replication_json_end(struct ss_replication_json *w, const struct ss_replicated *r);

/* The text report of finished replications. */
void ss_replication_text(FILE *f, const struct ss_replication *rq, const struct ss_replicated *r);

#endif
