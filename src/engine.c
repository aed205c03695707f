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
    e->alarm = SS_TIME_MAX;
    e->alarm_fn = NULL;
    e->alarm_arg = 0;
    e->pause_every = 0;
    e->until = SS_TIME_MAX;
    e->limit = SS_TIME_MAX;
    e->halt_at = UINT64_MAX;
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

void ss_engine_alarm(struct ss_engine *e, ss_time at, ss_handler fn, uint64_t arg)
{
    assert(at >= e->now);
    e->alarm = at;
    e->alarm_fn = fn;
    e->alarm_arg = arg;
    e->limit = at < e->until ? at : e->until;
}

int ss_engine_run(struct ss_engine *e, ss_time until)
{
    struct ss_event ev;
    if (e->stopped)
        return e->error;
    e->until = until;
    e->limit = e->alarm < until ? e->alarm : until;
    e->halt_at = e->pause_every ? e->events + e->pause_every : UINT64_MAX;
    /* One test per event: ss_engine_stop brings halt_at down to now. The
     * event is out of the queue before its handler runs, so whatever the
     * handler schedules is ordered after it, and a radix heap's pop and push
     * cost about what the old heap's one replace-top sift did. An alarm
     * lowers the limit to its time until it fires. */
    while (e->events != e->halt_at) {
        if (ss_eventq_pop_until(&e->queue, e->limit, &ev)) {
            e->now = ev.time;
            e->events++;
            ev.fn(e->ctx, ev.arg);
        } else if (e->alarm <= until) {
            e->now = e->alarm;
            e->alarm = SS_TIME_MAX;
            e->limit = until;
            e->alarm_fn(e->ctx, e->alarm_arg);
        } else {
            if (e->now < until)
                e->now = until;
            return 0;
        }
    }
    return e->stopped ? e->error : SS_ENGINE_PAUSED;
}

void ss_engine_stop(struct ss_engine *e, int error)
{
    e->stopped = true;
    e->halt_at = e->events;
    if (error && !e->error)
        e->error = error;
}
