/*
 * variant.h: `compare FILE --variant "NAME: KEY=VALUE, ..."`, several fixes
 * side by side.
 *
 * A variant is the scenario as written with a few --set assignments of its
 * own: "mta: mta.enabled=true" is the outage with the MTA running. compare
 * with variants runs the scenario as written (the "baseline") and each
 * variant, all on the same seed and the same random streams (SPEC section 3:
 * common random numbers), so the same messages and requests arrive at the
 * same instants in every run and each difference from the baseline is the
 * variant's doing.
 *
 * The report is one table of every run (one column each, in groups that fit
 * 80 columns), one table of each variant's change from the baseline, and a
 * verdict of one short paragraph per variant: did it keep local delivery
 * from starving, and what did it cost (when the moves finished, how many
 * threads were busy at most). docs/cli.md has the rules for names.
 */
#ifndef STORESIM_VARIANT_H
#define STORESIM_VARIANT_H

#include <stddef.h>
#include <stdio.h>

#include "storesim/json.h"
#include "storesim/scenario.h"
#include "storesim/sim.h"

/* Variants one compare takes, and so runs: the baseline and each variant. */
#define SS_VARIANTS_MAX 5
#define SS_RUNS_MAX (1 + SS_VARIANTS_MAX)
/* The longest name: it heads a column of the table. */
#define SS_VARIANT_NAME_MAX 12
/* Assignments one variant makes. */
#define SS_VARIANT_SETS_MAX 16

/* The name of the scenario as written, which no variant may take. */
#define SS_BASELINE "baseline"

struct ss_variant {
    char name[SS_VARIANT_NAME_MAX + 1];
    char *text;                          /* the assignments, split in place */
    const char *sets[SS_VARIANT_SETS_MAX]; /* each "section[ NAME].key=value" */
    size_t n_sets;
};

/* Read one --variant value, "NAME: KEY=VALUE, KEY=VALUE". The assignments
 * are only split here; resolving them against the scenario checks them.
 * Returns 0, or -1 with `why` saying what is wrong (out is then safe to
 * free). */
int ss_variant_parse(const char *arg, struct ss_variant *out, char *why, size_t size);

void ss_variant_free(struct ss_variant *v);

/* "mta.enabled=true, move batch1.concurrency=2": what the variant changes. */
char *ss_variant_changes(const struct ss_variant *v, char *buf, size_t size);

/* The runs of a comparison with variants: run 0 is the baseline, run i the
 * variant variant[i - 1]. */
struct ss_variant_comparison {
    size_t n; /* runs: 2 to SS_RUNS_MAX */
    const struct ss_variant *variant[SS_RUNS_MAX]; /* [0] is NULL: the baseline */
    const struct ss_scenario *sc[SS_RUNS_MAX];
    const struct ss_results *res[SS_RUNS_MAX];
};

/* Run i's name: "baseline", or its variant's. */
const char *ss_variant_name(const struct ss_variant_comparison *c, size_t i);

/* The whole text report: heading, scenario, variants, tables, verdict. */
void ss_variant_text(FILE *f, const struct ss_variant_comparison *c);

/* Its parts (--show): the heading line; "Compared: ...", the variants and
 * the tables; the verdict paragraphs (each indented by two spaces). */
void ss_variant_heading(FILE *f, const struct ss_variant_comparison *c);
void ss_variant_table(FILE *f, const struct ss_variant_comparison *c);
void ss_variant_verdict(FILE *f, const struct ss_variant_comparison *c);

/* {"baseline": <a run's JSON>, "NAME": <...>, ...}, each as ss_report_json
 * writes it, in the order of the command line. */
void ss_variant_json(struct ss_json *j, const struct ss_variant_comparison *c);

#endif
