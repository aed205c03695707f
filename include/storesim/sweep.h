/*
 * sweep.h: where is the cliff? Run a scenario over a grid of key values.
 *
 * `storesim sweep FILE --vary KEY=FROM:TO:STEP [--vary ...]` runs the
 * scenario once (or R times, with --replications) at every point of the
 * grid: the cartesian product of the varied keys' values. Each point is the
 * scenario loaded with the usual --set assignments plus one "KEY=VALUE" per
 * varied key, placed last so that they win; a bad key or value is refused by
 * the scenario parser with its own message. Every point is checked before the
 * first one runs, so a bad grid writes nothing.
 *
 * Order. The first --vary varies fastest: the rows for one combination of
 * the other keys come together, the first key's values in order. The first
 * key is the one whose edge is sought: for each combination of the others the
 * report names the smallest value of the first key at which local delivery
 * starves ("store.threads = 150: local delivery starves from
 * move batch1.mailboxes = 100"). With replications, a point starves when
 * delivery starved in at least half of its runs. Every point uses the same
 * seeds (replication i: ss_replication_seed(seed, i)), so neighbouring points
 * see the same random numbers and the curve is not blurred by noise.
 *
 * Values. FROM, TO and STEP are decimal numbers (no exponent), sharing one
 * unit or none: "store.threads=100:200:50", "mta.flush_timeout=30m:150m:30m",
 * "delivery.rate=10/s:40/s:10/s". The values are FROM, FROM + STEP, ... up to
 * TO (TO itself when STEP divides the range), computed in exact decimal
 * arithmetic, so 0.1:0.5:0.1 gives 0.1, 0.2, 0.3, 0.4, 0.5. A duration must
 * be written in one unit (90m, not 1h30m).
 *
 * CSV. One row per point: the varied keys (their numbers; the header gives
 * the unit, "mta.flush_timeout [m]"), the symptom times in seconds (empty:
 * never), then the totals of replicate.h (times in seconds). With R > 1 each
 * symptom has "<symptom>_s" (mean over the runs where it happened),
 * "<symptom>_s_half" (95% half-width) and "<symptom>_runs"; each total its
 * mean under its own name and "<name>_half".
 */
#ifndef STORESIM_SWEEP_H
#define STORESIM_SWEEP_H

#include <stddef.h>
#include <stdio.h>

#include "storesim/scenario.h"
#include "storesim/sim.h"

/* Most points one --vary may give, and the whole grid. */
#define SS_VARY_POINTS_MAX 10000

/* One --vary KEY=FROM:TO:STEP. */
struct ss_vary {
    char key[256];     /* "move batch1.mailboxes", as --set writes it */
    char unit[16];     /* the unit FROM, TO and STEP share: "", "m", "ms", "/s" */
    double from, to, step;
    long points;       /* how many values: from, from + step, ... <= to */
    int decimals;      /* digits after the point the values are written with */
    long long first, stride; /* from and step in units of 10^-decimals (exact) */
};

/* Parse "KEY=FROM:TO:STEP". Refuses malformed text, units that differ or are
 * unknown, STEP <= 0, FROM > TO and more than SS_VARY_POINTS_MAX values.
 * Returns 0, or -1 with a one-line message in err ("--vary '...': ..."). */
int ss_vary_parse(const char *text, struct ss_vary *out, char *err, size_t err_size);

/* The k-th value (0 <= k < points) as a number, and as --set text ("90m"). */
double ss_vary_number(const struct ss_vary *v, long k);
char *ss_vary_text(const struct ss_vary *v, long k, char *buf, size_t size);

/* Run the grid: the scenario at `path` with `sets`, at every combination of
 * the n_vary (>= 1) varied keys, `replications` (>= 1) runs per point.
 * Writes the text report (the grid, then the edge) to `report` and the CSV to
 * `csv`, row by row as points finish (either may be NULL).
 *
 * Returns 0; -1 for bad input (a scenario or --vary error, a key varied
 * twice, a grid of more than SS_VARY_POINTS_MAX points): *err holds the
 * message and nothing has been written; or -2 when a run failed (out of
 * memory): *err says so, and the outputs are incomplete. */
/* events_limit > 0: refuse (-1, nothing written) a grid whose runs are
 * estimated above it in all (ss_estimate_events); 0: no limit (--force).
 * watch (may be NULL) is handed to every run, as in ss_replicate_runs. */
int ss_sweep(const char *path, const char *const *sets, size_t n_sets,
             const struct ss_vary *vary, size_t n_vary, int replications, double events_limit,
             const struct ss_sim_options *watch, FILE *report, FILE *csv, struct ss_error *err);

#endif
