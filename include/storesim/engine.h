/*
 * engine.h: the discrete-event engine.
 *
 * The whole loop: take the earliest event, advance the clock to it, call its
 * handler, repeat until the next event lies past the end of the run. Handlers
 * schedule further events; all policy lives in them. The engine knows nothing
 * about Exchange.
 *
 * Scheduling can fail only when memory runs out. Rather than make every handler
 * check, the failure is sticky: the engine records it, stops, and ss_engine_run
 * returns it.
 */
#ifndef STORESIM_ENGINE_H
#define STORESIM_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "storesim/eventq.h"
#include "storesim/simtime.h"

struct ss_engine {
    struct ss_eventq queue; /* pending events */
    ss_time now;            /* the clock: time of the event being handled */
    uint64_t events;        /* events handled so far */
    void *ctx;              /* passed to every handler */
    bool stopped;           /* set by ss_engine_stop: the loop returns */
    int error;              /* 0, or why the engine stopped (SS_ENGINE_ENOMEM) */
    ss_time alarm;          /* see ss_engine_alarm; SS_TIME_MAX: none */
    ss_handler alarm_fn;
    uint64_t alarm_arg;
    uint64_t pause_every;   /* see ss_engine_run; 0: never pause */
    /* The loop's own: */
    ss_time until, limit;   /* the end of this stretch; the earlier of it and the alarm */
    uint64_t halt_at;       /* the loop returns when events reaches it */
};

#define SS_ENGINE_ENOMEM 1
#define SS_ENGINE_PAUSED 2 /* not an error: ss_engine_run returned early */

void ss_engine_init(struct ss_engine *e, void *ctx);
void ss_engine_free(struct ss_engine *e);

/* Schedule fn(ctx, arg) at absolute time `at` (not before now). */
void ss_engine_at(struct ss_engine *e, ss_time at, ss_handler fn, uint64_t arg);

/* Schedule fn(ctx, arg) `delay` after now. */
void ss_engine_after(struct ss_engine *e, ss_time delay, ss_handler fn, uint64_t arg);

/* The alarm: fn(ctx, arg) at time `at`, after every event at or before `at`
 * and before any later one. It is a deadline, not an event: nothing is queued
 * and it is not counted in `events`, so a watch that is pushed later again and
 * again (a symptom that ends once nothing has happened for a while) costs
 * nothing until it fires. One alarm at a time: setting it again moves it;
 * SS_TIME_MAX takes it away. It fires once, and may set itself again. */
void ss_engine_alarm(struct ss_engine *e, ss_time at, ss_handler fn, uint64_t arg);

/* Handle every event with time <= until, in order, and the alarm if it falls
 * within. Returns 0 or the error that stopped the engine; the clock is left at
 * `until` when the run completes. With pause_every set, it returns
 * SS_ENGINE_PAUSED instead after that many events, with the clock at the last
 * one: call it again to go on (the run is the same as without pauses). */
int ss_engine_run(struct ss_engine *e, ss_time until);

/* Make the loop return after the current handler; error 0 for a normal stop. */
void ss_engine_stop(struct ss_engine *e, int error);

#endif
