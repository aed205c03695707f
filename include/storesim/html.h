/*
 * html.h: a run, or a comparison, as one page for a browser (--html FILE).
 *
 * One self-contained file: no network, no file beside it, no font or
 * library fetched; the style sheet, the script and the two drawings (the
 * chart of svg.h and the lanes of lanes.h) are inside it. The page holds the
 * scenario in one paragraph, the verdict (compare), and for each run its
 * timeline, its symptoms and its totals as tables; then the chart, the
 * lanes, and a time slider. Moving the slider (or pressing the arrow keys,
 * Page Up and Page Down, Home and End, as a presenter's remote does) puts a
 * cursor on both drawings and shows the store at that instant: threads busy
 * by kind, the delivery backlog, and what happened last. It steps through
 * the run's samples (simulation.sample_interval). The address may name an
 * instant to open at, the last sample at or before it: page.html#t=00:42:00.
 *
 * Machine-readable for tests: <body data-ready="yes"> once the script has
 * run, data-error="..." if it failed; the state is <div id="state"
 * data-time-us="T">, each run's part of it <div class="run-state"
 * data-run="RUN" data-busy="D,O,M,F" data-backlog="B">.
 */
#ifndef STORESIM_HTML_H
#define STORESIM_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "storesim/compare.h"
#include "storesim/lanes.h"
#include "storesim/scenario.h"
#include "storesim/sim.h"
#include "storesim/svg.h"

struct ss_html_run {
    const char *run;                 /* "run", "before", "after" */
    const char *heading;
    const struct ss_scenario *sc;
    const struct ss_results *res;
    const struct ss_series *series;  /* the samples the slider steps through */
};

struct ss_html_page {
    const char *title;
    const struct ss_html_run *run;
    size_t n_runs;                       /* 1, or 2 for compare */
    const struct ss_comparison *compare; /* NULL: a single run */
    const struct ss_svg_chart *chart;
    const struct ss_lanes_chart *lanes;
};

/* Write the page. Returns 0, or -1 when out of memory (the page is then
 * incomplete: do not commit it). */
int ss_html_write(FILE *f, const struct ss_html_page *page);

#endif
