/*
 * lanes.h: every thread of the pool on one chart (--lanes).
 *
 * The chart of svg.h counts busy threads; this one shows them: one row per
 * thread (thread 1 at the bottom, where the pool's rule puts work first),
 * and along it a bar for the time the thread ran a task, in the colour of
 * the task's kind. A flush that waits 150 minutes for an MTA that is not
 * there is one long vermillion bar; the pool runs dry when every row is
 * full. The time axis is the chart's (same left and right edges, same
 * ticks), so the two can be laid one over the other.
 *
 * Bounded memory, whatever the number of tasks: the plot is 1096 pixel
 * columns wide, and each row keeps, for each column and kind, the thread
 * time spent on it. A column is painted in the kind that held the thread
 * longest within it, as soon as anything ran there (so a short OWA request
 * still shows), pale when it was busy less than half the column
 * (data-busy="1"; "2": half or more). Consecutive columns of one kind and
 * shade make one bar, so a row has at most one bar at any instant.
 *
 * Above SS_LANES_ROWS_MAX threads, rows fold into bands of several threads
 * each (a band's busy time is that of its threads together), and the chart
 * says so.
 *
 * Each panel is <g class="lanes" data-run="RUN" data-rows="R"
 * data-threads-per-row="G" data-plot-left= data-plot-right= data-plot-top=
 * data-plot-bottom=>; each bar is <rect class="bar" data-kind="KIND"
 * data-row="ROW" data-start-us="T0" data-end-us="T1" data-busy="Q">, ROW from
 * 0 (thread 1, or the first band) and T0, T1 the times of its first and past
 * its last column; symptoms are marked as in svg.h (<g class="symptom">).
 */
#ifndef STORESIM_LANES_H
#define STORESIM_LANES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "storesim/pool.h"
#include "storesim/scenario.h"
#include "storesim/sim.h"
#include "storesim/simtime.h"

#define SS_LANES_COLUMNS 1096  /* the plot's width in pixels, as in svg.c */
#define SS_LANES_ROWS_MAX 300  /* above this many threads, rows fold into bands */

/* What a thread runs now, while the run goes. */
struct ss_lanes_task {
    ss_time started, end;
    int kind;  /* SS_KINDS: none */
};

/* The lanes of one run, collected while it goes (an on_task observer). */
struct ss_lanes {
    ss_time duration;
    long long threads;       /* the pool size */
    long long per_row;       /* threads per row: 1, or more when folded */
    long long rows;
    float *busy;             /* [row][column][kind]: thread time, microseconds */
    struct ss_lanes_task *task; /* by thread, grown to the threads used */
    long long n_task;
    bool failed;             /* out of memory: the lanes are incomplete */
};

/* Prepare for a run of `duration` on a pool of `threads`. 0, or -1 when out
 * of memory. */
int ss_lanes_init(struct ss_lanes *l, ss_time duration, long long threads);

/* The observer: give it as ss_sim_options.on_task, the lanes as task_ctx. */
void ss_lanes_note(void *lanes, const struct ss_task_note *note);

/* After the run: the tasks still on a thread run to the end. */
void ss_lanes_finish(struct ss_lanes *l);

void ss_lanes_free(struct ss_lanes *l);

/* One panel: one run. */
struct ss_lanes_panel {
    const char *run;                 /* data-run: "before", "after" or "run" */
    const char *heading;
    const struct ss_lanes *lanes;
    const ss_time *symptom;          /* SS_SYMPTOMS first times, SS_NEVER: did not happen */
    const struct ss_action_result *actions; /* NULL: none */
};

struct ss_lanes_chart {
    const char *title;
    const struct ss_clock *clock;    /* NULL: from the start */
    ss_time duration;
    long long threads;
    const struct ss_lanes_panel *panel;
    size_t n_panels;                 /* 1 or 2 */
    const struct ss_action *actions; /* the scenario's */
    size_t n_actions;
};

/* Write the chart: one self-contained SVG, 1280x720. */
void ss_lanes_write(FILE *f, const struct ss_lanes_chart *chart);

#endif
