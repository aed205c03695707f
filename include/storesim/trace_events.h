/*
 * trace_events.h: the run for the timeline viewers (--trace-events FILE).
 *
 * The Trace Event Format (the JSON that Perfetto, https://ui.perfetto.dev,
 * and Chromium's chrome://tracing open): {"traceEvents": [...]}, one event
 * per line, every event with "ph", "ts", "pid" and "tid", times in
 * microseconds of simulated time from the start of the run (the viewers'
 * own unit, so nothing is rounded).
 *
 *   a process per run       pid 1 (run, or before), pid 2 (after), named;
 *   a track per thread      tid = the thread's number (1, 2, ...), named
 *                           "thread N" and sorted by number; tid 0 holds the
 *                           counters and the instants;
 *   a slice per task        "X" events named in plain words ("flush of
 *                           mailbox 17, batch1: times out"), category the
 *                           kind; one thread runs one task at a time, so the
 *                           slices of a track never overlap;
 *   counters                "C" events "threads busy" (by kind) and
 *                           "delivery backlog", at every sample and, within
 *                           the window, as tasks start and end (at most one
 *                           a resolution step: the window / 20,000);
 *   instants                "i" events, global: each symptom's start and
 *                           end, and each administrator's action.
 *
 * --from and --to keep the tasks that start within the window (a task
 * started before it is left out); --only keeps the kinds named (and the
 * instants with "event"). The file's size is estimated before the run
 * (ss_trace_events_estimate) and a huge one refused.
 */
#ifndef STORESIM_TRACE_EVENTS_H
#define STORESIM_TRACE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "storesim/scenario.h"
#include "storesim/sim.h"
#include "storesim/simtime.h"

/* Above this many bytes, --trace-events is refused without --force: the
 * viewers become slow to open a file much larger. */
#define SS_TRACE_EVENTS_LIMIT 256e6

/* A task on a thread, until it ends. */
struct ss_te_open {
    ss_time start;
    int kind;       /* SS_KINDS: none */
    bool counted;   /* started within the window and its kind kept */
    char title[112]; /* its name, for a task still running at the end */
};

struct ss_trace_events {
    FILE *f;
    ss_time from, to;         /* the window; to = SS_NEVER: to the end */
    unsigned topics;          /* bit (1 << kind), and 1 << SS_TOPIC_EVENT for instants */
    int pid;
    ss_time duration;
    bool first;               /* nothing written yet */
    struct ss_te_open *open;  /* by thread */
    long long n_open;
    long long *named;         /* threads named so far, by thread: 1 */
    long long busy[SS_KINDS]; /* threads busy now, by kind */
    long long backlog;
    ss_time step;             /* counter resolution */
    ss_time counted_at;       /* the last counter written; -1: none */
    bool pending;             /* a change not written yet, at pending_at */
    ss_time pending_at;
    uint64_t slices;          /* slices written */
    bool failed;              /* out of memory */
};

/* Open the document and prepare for one run. Call ss_trace_events_run for
 * each run, then ss_trace_events_close once. */
void ss_trace_events_open(struct ss_trace_events *te, FILE *f);

/* A run begins: its process `pid`, named `name`; the window and kinds kept. */
void ss_trace_events_run(struct ss_trace_events *te, int pid, const char *name,
                         ss_time duration, ss_time from, ss_time to, unsigned topics);

/* The observer (ss_sim_options.on_task, with task_titles) and the sampler. */
void ss_trace_events_note(void *te, const struct ss_task_note *note);
void ss_trace_events_sample(struct ss_trace_events *te, const struct ss_sample *sample);

/* The run is over: the tasks still running end with it, and the symptoms,
 * episodes and actions are written as instants. */
void ss_trace_events_end_run(struct ss_trace_events *te, const struct ss_scenario *sc,
                             const struct ss_results *r);

void ss_trace_events_close(struct ss_trace_events *te);

/* About how many bytes a run writes that starts tasks[k] tasks of each kind
 * (estimate.h), `share` of them within the window, of the kinds in topics. */
double ss_trace_events_estimate(const double tasks[SS_KINDS], double share, unsigned topics);

#endif
