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

/* The header row; with_run adds the leading `run` column (compare). */
void ss_csv_header(FILE *f, bool with_run);

/* One row for one sample; `run` is the value of the `run` column, or NULL
 * when the header had none. */
void ss_csv_row(FILE *f, const char *run, const struct ss_clock *clock, const struct ss_sample *s);

/* One field of any CSV row, quoted when it must be (RFC 4180); a comma goes
 * before it unless it is the row's first. */
void ss_csv_field(FILE *f, const char *s, bool first);

/* ",NUMBER": up to 6 decimals, trailing zeros dropped (1.5, 42, 0.000001). */
void ss_csv_number(FILE *f, double v);

#endif
