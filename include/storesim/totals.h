/*
 * totals.h: the one table of totals.
 *
 * Every total a run reports (messages delivered, flushes timed out, time
 * starved, ...) is one row of a single table: its name, its label, its unit,
 * where in struct ss_results it is read from, and where it is shown. Every
 * view walks the table in its order:
 *
 *   the text report    the rows with a `say`: each a piece of a sentence
 *                      ("# delivered, "), '#' standing for the value and
 *                      "{one|many}" for a word that agrees with it; a piece
 *                      that ends in "\n" ends a paragraph;
 *   a run's JSON       the rows shown SS_IN_JSON, under "totals", nested by
 *                      the dots of their key ("delivery.arrived"): the rows
 *                      of each object in table order, then the plain values;
 *   the compare table  the rows shown SS_IN_COMPARE, by label;
 *   summaries          the rows shown SS_IN_SUMMARY: --replications (text
 *                      and JSON, by key) and the sweep CSV (by ss_total_csv).
 *
 * Adding a total is adding one row to the table in totals.c (and, when it is
 * a new count, the field of struct ss_results the simulation fills).
 */
#ifndef STORESIM_TOTALS_H
#define STORESIM_TOTALS_H

#include <stdbool.h>
#include <stddef.h>

#include "storesim/sim.h"

enum ss_unit {
    SS_UNIT_COUNT, /* a whole number of things: "1,234" */
    SS_UNIT_US,    /* a span of simulated time in microseconds: "2h44m23s" */
    SS_UNIT_SHARE  /* a share 0..1, shown as a percentage: "57.8%" */
};

/* Where a total is shown (bits of struct ss_total_def's `shown`). */
#define SS_IN_JSON 1u
#define SS_IN_COMPARE 2u
#define SS_IN_SUMMARY 4u
/* Not a place: the row is shown only for a scenario with actions ([action
 * NAME]), so that the reports of every other scenario stay as they were. */
#define SS_WITH_ACTIONS 8u

/* How the value is read from struct ss_results. */
enum ss_read { SS_READ_U64, SS_READ_LL, SS_READ_TIME, SS_READ_DOUBLE, SS_READ_FN };

struct ss_total_def {
    const char *key;    /* "delivery.arrived": the JSON path under "totals", the summary key */
    const char *label;  /* "Messages arrived": the compare and summary tables */
    enum ss_unit unit;
    unsigned shown;     /* SS_IN_* bits */
    const char *say;    /* its piece of the report's prose; NULL: not in the prose */
    enum ss_read read;  /* a field at `offset`, or fn(results, arg) */
    size_t offset;
    double (*fn)(const struct ss_results *r, int arg);
    int arg;
};

/* The most rows the table may have (ss_run_metrics keeps one value each). */
#define SS_TOTALS_MAX 48

/* The rows, in report order. */
size_t ss_totals_count(void);
const struct ss_total_def *ss_total(size_t i);

/* The row whose key is `key`, or -1. */
int ss_total_find(const char *key);

/* Whether total i is shown in `where` (an SS_IN_* bit; 0: the report's
 * prose) for a scenario with actions or without. */
bool ss_total_in(size_t i, unsigned where, bool actions);

/* The value of total i in a run's results. */
double ss_total_value(size_t i, const struct ss_results *r);

/* The CSV column of total i: the key with '.' as '_', and a time in seconds
 * ("starved_us" -> "starved_s", "delivery.wait_us.p99" ->
 * "delivery_wait_p99_s"). Returns buf. */
char *ss_total_csv(size_t i, char *buf, size_t size);

/* A value in a total's CSV unit: times in seconds, the rest as they are. */
double ss_total_csv_value(size_t i, double value);

#endif
