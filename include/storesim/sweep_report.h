/*
 * sweep_report.h: what a sweep prints and writes, point by point as it runs.
 *
 * The text: the varied keys, one line per point (its values and when
 * delivery starved, for how long), then the edge for each combination of
 * the keys after the first: "local delivery starves from
 * move batch1.mailboxes = 90".
 *
 * The CSV, written through csv.h: one row per point. The varied keys (their
 * numbers; the header gives the unit, "mta.flush_timeout [m]"), the symptom
 * times in seconds (empty: never), then the summary totals of the table of
 * totals (times in seconds, columns named by ss_total_csv). With R > 1 each
 * symptom has "<symptom>_s" (mean over the runs where it happened),
 * "<symptom>_s_half" (95% half-width) and "<symptom>_runs"; each total its
 * mean under its own name and "<name>_half".
 */
#ifndef STORESIM_SWEEP_REPORT_H
#define STORESIM_SWEEP_REPORT_H

#include <stdio.h>

#include "storesim/sweep.h"

struct ss_sweep_report {
    FILE *text;            /* the report; NULL: none */
    FILE *csv;             /* the CSV; NULL: none */
    struct ss_clock clock; /* the first point's, for its times (set as it starts) */
    bool actions;          /* the scenario has actions: their totals are columns too */
};

/* A watcher (sweep.h) that writes the report and the CSV of r. */
struct ss_sweep_watcher ss_sweep_report_watcher(struct ss_sweep_report *r);

#endif
