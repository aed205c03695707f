/*
 * csv.h: the time series of a run as CSV (--csv).
 *
 * One header row, then one row per sample the simulator takes (at 0, every
 * sample_interval, and at the end of the run): the time, the threads busy
 * and the tasks waiting for each kind of work, the delivery backlog, and the
 * cumulative counts of delivered and refused messages and failed OWA
 * requests. For compare, a first column `run` says "before" or "after".
 *
 * Rows are written as the run goes, straight to the file, so a CSV costs no
 * memory however long the run. The columns are listed in docs/charts.md; the
 * text is plain RFC 4180 CSV with no quoting needed (every field is a number,
 * a clock time or one of the two run names).
 */
#ifndef STORESIM_CSV_H
#define STORESIM_CSV_H

#include <stdbool.h>
#include <stdio.h>

#include "storesim/sim.h"
#include "storesim/sweep.h"

/* The header row; with_run adds the leading `run` column (compare). */
void ss_csv_header(FILE *f, bool with_run);

/* One row for one sample; `run` is the value of the `run` column, or NULL
 * when the header had none. */
void ss_csv_row(FILE *f, const char *run, const struct ss_sample *s);

/*
 * A sweep's CSV: one row per point. The varied keys (their numbers; the
 * header gives the unit, "mta.flush_timeout [m]"), the symptom times in
 * seconds (empty: never), then the summary totals of the table of totals
 * (times in seconds, columns named by ss_total_csv). With R > 1 each symptom
 * has "<symptom>_s" (mean over the runs where it happened), "<symptom>_s_half"
 * (95% half-width) and "<symptom>_runs"; each total its mean under its own
 * name and "<name>_half".
 */
void ss_csv_sweep_header(FILE *f, const struct ss_grid *g, int replications);
void ss_csv_sweep_row(FILE *f, const struct ss_grid *g, long p, int replications,
                      const struct ss_metrics_summary *sum);

#endif
