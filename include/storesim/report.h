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

/* The whole text report of one run. */
void ss_report_text(FILE *f, const struct ss_scenario *sc, const struct ss_results *r);

/* One run as a JSON object, under `key` (NULL at top level). */
void ss_report_json(struct ss_json *j, const char *key, const struct ss_scenario *sc,
                    const struct ss_results *r);

#endif
