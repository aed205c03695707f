/*
 * report.h: what a run found, for people (text) and for programs (JSON).
 *
 * The text report is written to be read aloud in a classroom: the scenario
 * in one paragraph, a timeline of what happened in simulated time, each
 * symptom with its time or "never", then the totals. It holds nothing that
 * depends on the machine (the events-per-second figure is printed apart, on
 * stderr), so the same scenario and seed give the same report, byte for byte.
 *
 * The JSON has the shape of SPEC section 4: "scenario" (every resolved key),
 * "symptoms" (microseconds or null), "totals", "events", "seed".
 */
#ifndef STORESIM_REPORT_H
#define STORESIM_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "storesim/json.h"
#include "storesim/scenario.h"
#include "storesim/sim.h"
#include "storesim/text.h"

/* The scenario in one paragraph of plain sentences (no heading). */
void ss_report_scenario(FILE *f, const struct ss_scenario *sc);

/* What an action does, in words after "the administrator": "restarts the
 * Information Store service (down for 5m)". Returns buf. */
char *ss_action_text(char *buf, size_t size, const struct ss_scenario *sc,
                     const struct ss_action *ac);

/* The parts of the report, in the order it prints them: --show PARTS
 * prints only those asked for, in this order, a blank line between two.
 * compared and verdict are compare's (compare.h). */
enum ss_part {
    SS_PART_HEADING,   /* "storesim 1.0.0: NAME (PATH)" */
    SS_PART_SCENARIO,  /* the paragraph */
    SS_PART_TIMELINE,
    SS_PART_SYMPTOMS,
    SS_PART_TOTALS,    /* the totals in sentences */
    SS_PART_WAITS,     /* the table of waits for a thread */
    SS_PART_EVENTS,    /* "Events processed: N" */
    SS_PART_COMPARED,  /* compare: the table before and after */
    SS_PART_VERDICT,   /* compare: the verdict */
    SS_PARTS
};

/* "timeline", ... */
const char *ss_part_name(int part);

/* "timeline,symptoms" into a mask of (1 << part). Returns 0, or -1 with err
 * naming the unknown part (or compare's part asked of a run). */
int ss_parse_parts(const char *list, bool compare, unsigned *mask, char *err, size_t err_size);

/* One part of a run's report (not compared or verdict), with no blank line
 * before it; the heading line alone. */
void ss_report_part(FILE *f, const struct ss_scenario *sc, const struct ss_results *r, int part);
void ss_report_heading(FILE *f, const struct ss_scenario *sc);

/* Each line of the timeline, in time order: its time and its text. */
void ss_report_each_moment(const struct ss_scenario *sc, const struct ss_results *r,
                           void (*fn)(void *ctx, ss_time t, const char *text), void *ctx);

/* The whole text report of one run. */
void ss_report_text(FILE *f, const struct ss_scenario *sc, const struct ss_results *r);

/* One run as a JSON object, under `key` (NULL at top level). */
void ss_report_json(struct ss_json *j, const char *key, const struct ss_scenario *sc,
                    const struct ss_results *r);

#endif
