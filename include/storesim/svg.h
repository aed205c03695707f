/*
 * svg.h: a chart of a run a trainer can project (--svg).
 *
 * The chart is one self-contained SVG file - no script, no external font or
 * image - drawn for a 1280x720 projector: the threads busy by kind of task as
 * stacked areas, the pool size as a line, the local-delivery backlog as a
 * line on a second (right) axis, and each symptom that happened as a dashed
 * vertical line labelled with its name and time. For compare there are two
 * panels, before and after the hotfix, one above the other; they share the
 * time axis and both scales, so the difference shows at a glance.
 *
 * Every symptom marker is a <g class="symptom" data-symptom="KEY"
 * data-time-us="T">, KEY being ss_symptom_key(), so a program (or a test) can
 * tell which symptoms a chart shows; each panel is a <g class="panel"
 * data-run="before|after|run">. How to read the chart: docs/charts.md.
 *
 * Actions. Each [action NAME] is a solid line at its time across the plot,
 * labelled inside the plot's top (<g class="action" data-action="DO"
 * data-name="NAME" data-time-us="T">), and the time the store was down for
 * a restart is shaded grey (<rect class="down">).
 *
 * Episodes. Every episode of starvation is shaded (<rect class="starved">),
 * and every start and end of an episode of starvation, OWA or SMTP is marked
 * as long as its label fits in the rows above the plot; the panel says how
 * many it could not label.
 *
 * Memory stays bounded however long the run and however short the sample
 * interval: an ss_series keeps at most SS_SERIES_MAX_POINTS points, more than
 * the plot is wide in pixels. When a run has more samples than that, each
 * point stands for a group of consecutive samples and shows the busiest of
 * them (the one with the most threads busy) and the largest backlog among
 * them, so a peak is never averaged away. The last sample (the end of the
 * run) always keeps a point of its own, so the chart reaches the right edge.
 */
#ifndef STORESIM_SVG_H
#define STORESIM_SVG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "storesim/pool.h"
#include "storesim/sim.h"
#include "storesim/simtime.h"

#define SS_SERIES_MAX_POINTS 2000

/* One point of a chart: one sample, or the busiest of a group of them. */
struct ss_point {
    ss_time time;              /* when the group starts */
    long long busy[SS_KINDS];  /* threads busy by kind (the busiest sample) */
    long long backlog;         /* the largest delivery backlog in the group */
};

/* The samples of one run, kept for a chart. */
struct ss_series {
    struct ss_point *point;
    size_t n, cap;
    ss_time end;      /* the run's duration: the sample that ends the run */
    uint64_t group;   /* samples per point: 1 unless there are too many */
    uint64_t seen;    /* samples added so far, the last one not counted */
};

/* Prepare for the samples of a run of `duration` sampled every `interval`.
 * Returns 0, or -1 when out of memory. */
int ss_series_init(struct ss_series *s, ss_time duration, ss_time interval);

/* Add the next sample (they come in time order, as ss_simulate gives them). */
void ss_series_add(struct ss_series *s, const struct ss_sample *sample);

void ss_series_free(struct ss_series *s);

/* One panel: one run. */
struct ss_svg_panel {
    const char *run;                 /* data-run: "before", "after" or "run" */
    const char *heading;             /* plain text above the panel */
    const struct ss_series *series;
    const ss_time *symptom;          /* SS_SYMPTOMS times; SS_NEVER: did not happen */
    const struct ss_episodes *episodes; /* SS_EPISODIC lists; NULL: the first times only */
    const struct ss_action_result *actions; /* the chart's n_actions; NULL: none */
    long long threads;               /* its pool; 0: the chart's (variants may differ) */
    const struct ss_action *defs;    /* its run's actions (a variant may add some); NULL: */
    size_t n_defs;                   /* the chart's */
};

#define SS_SVG_MAX_PANELS 6 /* compare --variant: the baseline and 5 variants (variant.h) */

struct ss_svg_chart {
    const char *title;               /* plain text; names the scenario */
    const struct ss_clock *clock;    /* how times are written; NULL: from the start */
    ss_time duration;                /* the time axis: 0 to duration */
    long long threads;               /* the pool size */
    const struct ss_svg_panel *panel;
    size_t n_panels;                 /* 1 to SS_SVG_MAX_PANELS */
    const struct ss_action *actions; /* the scenario's, marked on every panel */
    size_t n_actions;
};

/* Write the chart. Text (title, headings) is escaped for XML here. */
void ss_svg_write(FILE *f, const struct ss_svg_chart *chart);

/* What the chart shares with the other drawings of a run (lanes.h), so that
 * they read alike: */

/* Text for an SVG element or attribute, escaped (escape.h) with XML's
 * specials as entities. */
void ss_svg_put_text(FILE *f, const char *text);

/* A generous width of `text` in sans-serif at `size` px. */
double ss_svg_text_width(const char *text, double size);

/* The time axis' step for a run of `duration`: 1, 2, 5, 10, 15, 30 s or
 * min, 1, 2, 3, 4, 6, 12 h or days, the smallest with at most ten steps; and
 * a tick's text ("HH:MM", or "HH:MM:SS" when ticks are seconds apart). */
ss_time ss_svg_time_step(ss_time duration);
char *ss_svg_tick_text(char buf[SS_TIME_TEXT], const struct ss_clock *clock, ss_time t,
                       ss_time step);

/* The title centred at the top of a 1280-wide drawing: one line of 24 px
 * when it fits in `width`, else two lines of 20 px broken at a space, the
 * second shortened with "..." if it still does not fit, so it is never cut
 * off at an edge. Returns the lines drawn. Titles longer than
 * SS_SVG_TITLE_MAX bytes are shortened too. */
#define SS_SVG_TITLE_MAX 1024
int ss_svg_draw_title(FILE *f, const char *title, double width);

#endif
