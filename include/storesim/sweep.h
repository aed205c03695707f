/*
 * sweep.h: where is the cliff? Run a scenario over a grid of key values.
 *
 * `storesim sweep FILE --vary KEY=FROM:TO:STEP [--vary ...]` runs the
 * scenario once (or R times, with --replications) at every point of the
 * grid: the cartesian product of the varied keys' values (vary.h). The file
 * is read once; each point is that file resolved with the usual --set
 * assignments plus one "KEY=VALUE" per varied key, placed last so that they
 * win; a bad key or value is refused by the scenario parser with its own
 * message. Every point is checked before the first one runs, so a bad grid
 * writes nothing.
 *
 * Order. The first --vary varies fastest: the points for one combination of
 * the other keys come together, the first key's values in order. The first
 * key is the one whose edge is sought: for each combination of the others
 * the report (sweep_report.h) names the smallest value of the first key at
 * which local delivery starves. With replications, a point starves when
 * delivery starved in at least half of its runs. Every point uses the same
 * seeds (replication i: ss_replication_seed(seed, i)), so neighbouring
 * points see the same random numbers and the curve is not blurred by noise.
 */
#ifndef STORESIM_SWEEP_H
#define STORESIM_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#include "storesim/replicate.h"
#include "storesim/scenario.h"
#include "storesim/shard.h"
#include "storesim/sim.h"
#include "storesim/vary.h"

/* The points of a grid: vary[0] fastest. */
struct ss_grid {
    const struct ss_vary *vary;
    size_t n_vary;
    long points;
};

/* The grid of n_vary (>= 1) varied keys. Returns 0, or -1 with a message in
 * err (a key varied twice, more than SS_VARY_POINTS_MAX points). */
int ss_grid_init(struct ss_grid *g, const struct ss_vary *vary, size_t n_vary, char *err,
                 size_t err_size);

/* The value index of varied key d at grid point p. */
long ss_grid_coord(const struct ss_grid *g, long p, size_t d);

struct ss_sweep;

/* What watches a sweep as it goes (any may be NULL). */
struct ss_sweep_watcher {
    /* Before the first point runs; sc is the first point's scenario. */
    void (*start)(void *ctx, const struct ss_sweep *sw, const struct ss_scenario *sc);
    /* After each point, with the summary of its runs. */
    void (*point)(void *ctx, const struct ss_sweep *sw, long p,
                  const struct ss_metrics_summary *sum);
    /* After the last point: starved[p] for every point. */
    void (*end)(void *ctx, const struct ss_sweep *sw, const bool *starved);
    void *ctx;
};

/* What to sweep. */
struct ss_sweep {
    const struct ss_scenario_file *file;  /* read once (scenario.h) */
    const char *const *sets;              /* --set, before the varied keys */
    size_t n_sets;
    struct ss_grid grid;                  /* from ss_grid_init */
    int replications;                     /* >= 1 */
    double events_limit;                  /* > 0: refuse a larger grid; 0: --force */
    double memory_limit;                  /* > 0: refuse a point that needs more bytes */
    const struct ss_sim_options *watch;   /* handed to every run (may be NULL) */
    struct ss_sweep_watcher watcher;
    /* Sharded (shard.h): only this shard's points run, their runs go to
     * `part`, and the watcher hears nothing. Merged: the runs are read
     * from `merged` instead of made, and the watcher hears them all. */
    struct ss_shard shard;
    FILE *part;
    const struct ss_parts *merged;
};

/* Check the grid before anything is opened: every point must resolve, and the
 * whole grid fit events_limit. Returns 0, or -1 with the message in *err. */
int ss_sweep_check(const struct ss_sweep *sw, struct ss_error *err);

/* Run the grid (checked). Returns 0, or -2 when a run failed (out of memory,
 * interrupted): *err says so, and what the watcher heard is incomplete. */
int ss_sweep_run(const struct ss_sweep *sw, struct ss_error *err);

#endif
