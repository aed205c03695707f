/*
 * owa.c: Outlook Web Access requests.
 *
 * Requests arrive as a Poisson process; each needs a task. A request that
 * waits owa.timeout without a thread fails at that instant (the browser gave
 * up) and leaves the queue. All requests share one timeout, so the waiting
 * ones time out in queue order: one timer, set for the oldest, is enough.
 */
#include "sim_internal.h"

#include "storesim/dist.h"

/* Time to the next request: exponential, or the mean gap when regular. */
static ss_time next_gap(struct ss_sim *s)
{
    if (s->sc->owa_regular)
        return (ss_time)(s->owa_gap_us + 0.5);
    return ss_exp_sample(s->owa_gap_us, &s->owa_arrivals);
}

static void arrival(void *ctx, uint64_t arg)
{
    struct ss_sim *s = ctx;
    (void)arg;
    ss_engine_after(&s->engine, next_gap(s), arrival, 0);
    s->res->owa.arrived++;
    sim_submit(s, SS_OWA, ss_dist_sample(&s->sc->owa_service, &s->owa_service), 0);
}

static void timeout(void *ctx, uint64_t arg)
{
    struct ss_sim *s = ctx;
    const struct ss_task *head;
    ss_time now = s->engine.now, limit = s->sc->owa_timeout;
    (void)arg;
    s->owa_timer = false;
    while ((head = ss_pool_head(&s->pool, SS_OWA)) && now - head->enqueued >= limit) {
        ss_pool_drop_head(&s->pool, SS_OWA);
        s->res->owa.failed++;
        if (s->res->symptom[SS_OWA_UNRESPONSIVE] == SS_NEVER) {
            s->res->symptom[SS_OWA_UNRESPONSIVE] = now;
            if (sim_tells(s, SS_TOPIC_EVENT)) {
                char span[SS_TIME_TEXT];
                ss_trace_say(s->trace, now, SS_TOPIC_EVENT,
                             "OWA UNRESPONSIVE: a request waited %s without a thread; "
                             "the browser gives up",
                             ss_span_text(span, limit));
            }
        }
        if (sim_tells(s, SS_OWA))
            ss_trace_say(s->trace, now, SS_OWA, "OWA request fails: no thread within the timeout");
    }
    if (head) {
        s->owa_timer = true;
        ss_engine_at(&s->engine, head->enqueued + limit, timeout, 0);
    }
}

void owa_waits(struct ss_sim *s)
{
    if (!s->owa_timer) {
        s->owa_timer = true;
        ss_engine_at(&s->engine, ss_pool_head(&s->pool, SS_OWA)->enqueued + s->sc->owa_timeout,
                     timeout, 0);
    }
}

void owa_begin(struct ss_sim *s)
{
    const struct ss_scenario *sc = s->sc;
    ss_rng_stream(&s->owa_arrivals, sc->seed, "owa.arrivals");
    ss_rng_stream(&s->owa_service, sc->seed, "owa.service");
    if (!sc->has_owa || sc->owa_rate.per_second <= 0)
        return;
    s->owa_gap_us = (double)SS_SECOND / sc->owa_rate.per_second;
    ss_engine_at(&s->engine, next_gap(s), arrival, 0);
}
