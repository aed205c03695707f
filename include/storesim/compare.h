/*
 * compare.h: one scenario without and with the KB 924567 hotfix, side by side.
 *
 * `storesim compare` runs a scenario twice: "before", with hotfix.kb924567 =
 * false, and "after", with it true. Nothing else changes - same seed, same
 * random streams (SPEC section 3: common random numbers) - so the same
 * messages and requests arrive at the same instants in both runs, and every
 * difference between them is the hotfix's doing.
 *
 * The report is one table (each symptom time and each total: before, after,
 * change) and a verdict in plain words: the hotfix kept local delivery from
 * starving, or it did not and why - the MTA is running (flushes are answered,
 * the hotfix has nothing to fix), Gateway Out Threads is not 0 on a database
 * the mailboxes move from (KB 810489: the hotfix only skips the flush when it
 * is 0), or the load is more than the pool can carry with or without flushes.
 */
#ifndef STORESIM_COMPARE_H
#define STORESIM_COMPARE_H

#include <stdbool.h>
#include <stdio.h>

#include "storesim/json.h"
#include "storesim/scenario.h"
#include "storesim/sim.h"

enum { SS_BEFORE, SS_AFTER, SS_COMPARED };

/* The two runs of a comparison. */
struct ss_comparison {
    const struct ss_scenario *sc[SS_COMPARED];   /* hotfix false, true */
    const struct ss_results *res[SS_COMPARED];
};

/* "before", "after": the CSV's run column, the JSON keys, the chart's panels. */
const char *ss_compare_label(int which);

/* The two scenarios to run: deep copies of sc, the hotfix off and on.
 * Returns 0, or -1 when out of memory (both left safe to free). */
int ss_compare_scenarios(const struct ss_scenario *sc, struct ss_scenario *before,
                         struct ss_scenario *after);

/* Did local delivery starve in the run other than around a restart of the
 * store? A run that starved only while the store was down (and a starvation
 * threshold after it ran again) counts as not starved in every verdict: a
 * store that is not running delivers nothing, whatever the fix. */
bool ss_compare_starved(const struct ss_scenario *sc, const struct ss_results *r);

/* The whole text report: heading, scenario, table, verdict. */
void ss_compare_text(FILE *f, const struct ss_comparison *c);

/* Its parts (--show): the heading line; "Compared: ..." and the table of
 * symptoms and totals before and after. */
void ss_compare_heading(FILE *f, const struct ss_comparison *c);
void ss_compare_table(FILE *f, const struct ss_comparison *c);

/* The verdict paragraph alone (wrapped, indented by two spaces). */
void ss_compare_verdict(FILE *f, const struct ss_comparison *c);

/* {"before": <a run's JSON>, "after": <...>}, each as ss_report_json writes it. */
void ss_compare_json(struct ss_json *j, const struct ss_comparison *c);

#endif
