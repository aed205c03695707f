/* engine.c: the event loop, in the manner of Redis's ae.c. */
#include "storesim/engine.h"

#include <assert.h>

void ss_engine_init(struct ss_engine *e, void *ctx)
{
    ss_eventq_init(&e->queue);
    e->now = 0;
    e->events = 0;
    e->ctx = ctx;
    e->stopped = false;
    e->error = 0;
}

void ss_engine_free(struct ss_engine *e)
{
    ss_eventq_free(&e->queue);
}

void ss_engine_at(struct ss_engine *e, ss_time at, ss_handler fn, uint64_t arg)
{
    assert(at >= e->now);
    if (ss_eventq_push(&e->queue, at, fn, arg) != 0)
        ss_engine_stop(e, SS_ENGINE_ENOMEM);
}

void ss_engine_after(struct ss_engine *e, ss_time delay, ss_handler fn, uint64_t arg)
{
    assert(delay >= 0);
    /* Saturate rather than overflow: an event past SS_TIME_MAX never fires anyway. */
    ss_engine_at(e, delay > SS_TIME_MAX - e->now ? SS_TIME_MAX : e->now + delay, fn, arg);
}

int ss_engine_run(struct ss_engine *e, ss_time until)
{
    struct ss_event ev;
    /* The event is out of the queue before its handler runs, so whatever the
     * handler schedules is ordered after it, and a radix heap's pop and push
     * cost about what the old heap's one replace-top sift did. */
    while (!e->stopped && ss_eventq_pop_until(&e->queue, until, &ev)) {
        e->now = ev.time;
        e->events++;
        ev.fn(e->ctx, ev.arg);
    }
    if (!e->stopped && e->now < until)
        e->now = until;
    return e->error;
}

void ss_engine_stop(struct ss_engine *e, int error)
{
    e->stopped = true;
    if (error && !e->error)
        e->error = error;
}
