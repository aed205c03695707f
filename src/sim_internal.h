/*
 * sim_internal.h: the running simulation, shared by sim.c and the workload
 * modules (delivery.c, owa.c, move.c). Not part of the public API.
 *
 * sim.c owns the task life cycle: submit (start at once or wait), start,
 * end (free the thread, hand it to the oldest waiting task). It knows no
 * kind of task by name: each kind has one entry of hooks (struct
 * sim_kind), and sim.c calls them at each step. Each workload keeps its own
 * state in a struct of its own, which only its file can see, and is started,
 * finished and freed through its entry in the table of workloads.
 *
 * References. A task carries one 64-bit reference that only the owner of its
 * kind packs and unpacks (a move's batch and mailbox, a flush's move and
 * outcome); the owners check their layouts with SIM_STATIC_ASSERT. While the
 * task runs, its thread keeps it (pool.h), and the task's end event names the
 * thread.
 */
#ifndef STORESIM_SIM_INTERNAL_H
#define STORESIM_SIM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storesim/engine.h"
#include "storesim/pool.h"
#include "storesim/rng.h"
#include "storesim/scenario.h"
#include "storesim/sim.h"
#include "storesim/trace.h"

/* A compile-time check (C99 has no _Static_assert): a negative array size
 * when `cond` is false. */
#define SIM_STATIC_ASSERT(cond, name) typedef char sim_assert_##name[(cond) ? 1 : -1]

#define SIM_REF_BITS 64

struct delivery; /* delivery.c */
struct owa;      /* owa.c */
struct moves;    /* move.c */
struct admin;    /* action.c */

/* The store as the administrator's actions leave it (action.c). Without
 * actions it is what the scenario says, all run long. */
struct store {
    bool up;            /* running; false while it restarts */
    bool mta;           /* the MTA Stacks service runs and answers flushes */
    bool hotfix;        /* the running store has the KB 924567 hotfix */
    long long *gateway; /* Gateway Out Threads of each database, as the store read it at its start */
};

struct ss_sim {
    const struct ss_scenario *sc;
    struct ss_engine engine;
    struct ss_pool pool;
    struct ss_results *res;
    struct ss_trace *trace;
    struct store store;
    /* The observer of every thread (sim.h); on_task NULL: none. */
    void (*on_task)(void *ctx, const struct ss_task_note *note);
    void *task_ctx;
    bool task_titles;
    bool watched;   /* a trace or an observer: task starts are told */

    /* Each workload's own state, allocated by its begin hook. */
    struct delivery *delivery;
    struct owa *owa;
    struct moves *moves;
    struct admin *admin;
};

/* What one kind of task does at each step of its life. Any hook may be NULL. */
struct sim_kind {
    /* The task found no free thread and joined the queue. */
    void (*waits)(struct ss_sim *s, uint64_t ref);
    /* It left the queue for a thread that came free (before it starts). */
    void (*leaves)(struct ss_sim *s, uint64_t ref);
    /* It got its thread, now (after the trace has said so). */
    void (*started)(struct ss_sim *s, uint64_t ref);
    /* Its hold is over; it still has its thread. */
    void (*done)(struct ss_sim *s, uint64_t ref);
    /* Its thread has passed to the oldest waiting task, or is free. */
    void (*released)(struct ss_sim *s, uint64_t ref);
    /* The task in words, for the trace: "message", "batch1, mailbox 3: move". */
    void (*name)(const struct ss_sim *s, uint64_t ref, char *buf, size_t size);
    /* The store stopped (a restart) under the task, on a thread (`running`)
     * or waiting for one; `hold` is what it was to hold. Waiting tasks of a
     * kind that `stays` are kept in the queue and not told. */
    void (*stopped)(struct ss_sim *s, uint64_t ref, ss_time hold, bool running);
    bool stays;
};

extern const struct sim_kind delivery_kind, owa_kind, move_kind, flush_kind;

/* A workload: a source of tasks. begin allocates its state and schedules its
 * first events (0, or -1 when out of memory); sample fills its part of a
 * time-series sample; end writes its totals once the run is over; free
 * releases its state (also after a failed begin). sample and end may be NULL. */
struct sim_workload {
    int (*begin)(struct ss_sim *s);
    void (*sample)(const struct ss_sim *s, struct ss_sample *sample);
    void (*end)(struct ss_sim *s);
    void (*free)(struct ss_sim *s);
};

extern const struct sim_workload delivery_workload, owa_workload, moves_workload,
    admin_workload;

/* sim.c: the task life cycle. A task submitted while the store is down
 * (s->store.up false) waits for it to run again: that is how a kind's
 * `stopped` hook puts a task back at the end of the queue. */
void sim_submit(struct ss_sim *s, enum ss_kind kind, ss_time hold, uint64_t ref);

/* The task on thread t ends at `end` instead (not before now), with
 * reference `ref`: a flush the MTA answers, or no longer answers. */
void sim_retime(struct ss_sim *s, long long t, ss_time end, uint64_t ref);

/* The store stops: every task on a thread is cut short and told (stopped),
 * then every waiting task of a kind that does not stay; no thread may be
 * taken until sim_store_start, which hands the threads to the oldest
 * waiting tasks. Out of memory stops the run. */
void sim_store_stop(struct ss_sim *s);
void sim_store_start(struct ss_sim *s);

/* move.c: the MTA started or stopped (s->store.mta is the new state): the
 * flushes registered are answered within mta.flush_time from now, or no
 * longer answered. Returns how many changed. */
uint64_t moves_mta_changed(struct ss_sim *s);

/* move.c: cancel batch b: its wizard submits no further mailbox. Returns how
 * many mailboxes it will not move (0 when it had submitted all). */
uint64_t moves_cancel(struct ss_sim *s, size_t b);

/* move.c: a move or a flush in plain words for a viewer of the threads:
 * "move of mailbox 17, batch1", "flush of mailbox 17, batch1: times out".
 * False for a task of another kind (its name hook says it). */
bool moves_title(const struct ss_sim *s, enum ss_kind kind, uint64_t ref, char *buf,
                 size_t size);

/* owa.c: a request fails now because the store is not running. */
void owa_fail_stopped(struct ss_sim *s);
void sim_first(ss_time *when, ss_time now);  /* record a first time, once */
bool sim_tells(const struct ss_sim *s, int topic);

/* Add a warning to the results (printf-style, after "FILE: warning: ").
 * Returns -1 when out of memory (the warning is lost, the run is not). */
int sim_warn(struct ss_sim *s, const char *fmt, ...);

/* A symptom happens now: its first time is recorded, and the trace tells it
 * (printf-style) the first time, or every time when `every`. A macro, so that
 * the common case - not the first time - costs one comparison and formats
 * nothing (a variadic call is dear in the event loop). */
#define sim_symptom(s, which, every, ...)                                      \
    do {                                                                       \
        if ((every) || (s)->res->symptom[(which)] == SS_NEVER)                 \
            sim_symptom_now((s), (which), __VA_ARGS__);                        \
    } while (0)
void sim_symptom_now(struct ss_sim *s, enum ss_symptom which, const char *fmt, ...);

/*
 * episodes.c: a symptom's episodes, kept as they go. episode_begin starts
 * one at `at`, unless the last one ended less than `fold` before: then that
 * one goes on (an SMTP stop soon after SMTP answered again). episode_end
 * ends the one going on; episode_finish files the last one at the end of the
 * run (still going, or ended). Returns -1 when out of memory.
 */
int episode_begin(struct ss_episodes *e, ss_time at, ss_time fold);
void episode_end(struct ss_episodes *e, ss_time at);
bool episode_going(const struct ss_episodes *e);
int episode_finish(struct ss_episodes *e, ss_time end);
void episodes_free(struct ss_episodes *e);

/*
 * arrivals.c: a stream of arrivals for delivery and OWA, Poisson at a rate
 * or evenly spaced, with its own random stream (SPEC section 3).
 *
 * Each arrival's exact time is kept, never rounded gap by gap: its whole
 * microseconds, and the fraction beyond them (a double for Poisson gaps, an
 * exact remainder for regular ones). An arrival is handled at the first
 * microsecond of the clock at or after its exact time.
 */
struct arrivals {
    struct ss_rng rng;
    bool regular;        /* evenly spaced, for examples worked out by hand */
    bool daily;          /* the rate changes over the day (profile.h) */
    /* One rate: */
    double mean_us;      /* Poisson: the mean gap */
    ss_time gap_whole;   /* regular: the gap is gap_whole + gap_rem / den us */
    uint64_t gap_rem, den;
    ss_time whole;       /* the exact time of the latest arrival: whole us ... */
    double frac;         /* ... + frac (Poisson, 0 <= frac < 1) */
    uint64_t rem;        /* ... + rem / den (regular, rem < den) */
    /* A daily profile: the latest arrival is at seg_start + off, in rate seg,
     * which holds until seg_end. */
    const struct ss_profile *profile;
    size_t seg;
    ss_time seg_start, seg_end;
    double off;
};

/* Seed the stream called `stream` and prepare for `rate` on the scenario's
 * clock. Returns false when there are no arrivals at all (no such section,
 * or a rate of 0 all day). */
bool arrivals_init(struct arrivals *a, const struct ss_scenario *sc, const char *stream,
                   bool present, const struct ss_profile *rate, bool regular);

/* The time of the next arrival (absolute): the one after the last. */
ss_time arrivals_next(struct arrivals *a);

#endif
