/*
 * owa.c: Outlook Web Access requests.
 *
 * Requests arrive as a Poisson process; each needs a task. A request that
 * waits owa.timeout without a thread fails at that instant (the browser gave
 * up) and leaves the queue. All requests share one timeout, so the waiting
 * ones time out in queue order: one timer, set for the oldest, is enough.
 *
 * OWA is unresponsive from a request that fails until a whole owa.timeout
 * has passed with no request failing: one watch, set for owa.timeout after
 * the latest failure, ends the episode.
 */
#include "sim_internal.h"

#include <stdlib.h>

#include "storesim/dist.h"

struct owa {
    struct arrivals arrivals;
    struct ss_rng service;  /* stream "owa.service" */
    bool timer;             /* a timeout event is pending */
};

static struct ss_episodes *unresponsive(struct ss_sim *s)
{
    return &s->res->episodes[SS_EP_OWA];
}

/* The engine's alarm, owa.timeout after the last failure: none since, so OWA
 * answers again. Each failure moves the alarm on; it is not an event, so an
 * episode's watch adds nothing to the run's events. */
static void responsive(void *ctx, uint64_t arg)
{
    struct ss_sim *s = ctx;
    char span[SS_TIME_TEXT], lasted[SS_TIME_TEXT];
    (void)arg;
    ss_span_text(lasted, s->engine.now - unresponsive(s)->current.start);
    episode_end(unresponsive(s), s->engine.now);
    sim_symptom(s, SS_OWA_RESPONSIVE, true,
                "OWA RESPONSIVE: no request has failed for %s; OWA answers again, after %s "
                "unresponsive",
                ss_span_text(span, s->sc->owa_timeout), lasted);
}

/* A request failed now: an episode starts, or goes on. `span` is how long
 * it waited; NULL when the store was not running. */
static void failed(struct ss_sim *s, const char *span)
{
    s->res->owa.failed++;
    if (!episode_going(unresponsive(s))) {
        if (episode_begin(unresponsive(s), s->engine.now, s->sc->episode_gap) != 0)
            ss_engine_stop(&s->engine, SS_ENGINE_ENOMEM);
        if (span)
            sim_symptom(s, SS_OWA_UNRESPONSIVE, true,
                        "OWA UNRESPONSIVE: a request waited %s without a thread; the browser "
                        "gives up", span);
        else
            sim_symptom(s, SS_OWA_UNRESPONSIVE, true,
                        "OWA UNRESPONSIVE: the store is not running; requests fail");
    }
    ss_engine_alarm(&s->engine, s->engine.now + s->sc->owa_timeout, responsive, 0);
}

void owa_fail_stopped(struct ss_sim *s)
{
    s->res->owa.failed_restart++;
    failed(s, NULL);
    if (sim_tells(s, SS_OWA))
        ss_trace_say(s->trace, s->engine.now, SS_OWA, "OWA request fails: the store is not "
                     "running");
}

static void arrival(void *ctx, uint64_t arg)
{
    struct ss_sim *s = ctx;
    struct owa *o = s->owa;
    ss_time hold;
    (void)arg;
    ss_engine_at(&s->engine, arrivals_next(&o->arrivals), arrival, 0);
    s->res->owa.arrived++;
    /* Drawn whether or not the store runs: each request holds what it would
     * have in a run without a restart (common random numbers). */
    hold = ss_dist_sample(&s->sc->owa_service, &o->service);
    if (s->store.up)
        sim_submit(s, SS_OWA, hold, 0);
    else
        owa_fail_stopped(s);
}

static void timeout(void *ctx, uint64_t arg)
{
    struct ss_sim *s = ctx;
    const struct ss_task *head;
    ss_time now = s->engine.now, limit = s->sc->owa_timeout;
    char span[SS_TIME_TEXT];
    (void)arg;
    s->owa->timer = false;
    ss_span_text(span, limit);
    while ((head = ss_pool_head(&s->pool, SS_OWA)) && now - head->enqueued >= limit) {
        ss_pool_drop_head(&s->pool, SS_OWA);
        failed(s, span);
        if (sim_tells(s, SS_OWA))
            ss_trace_say(s->trace, now, SS_OWA, "OWA request fails: no thread within the timeout");
    }
    if (head) {
        s->owa->timer = true;
        ss_engine_at(&s->engine, head->enqueued + limit, timeout, 0);
    }
}

static void waits(struct ss_sim *s, uint64_t ref)
{
    (void)ref;
    if (!s->owa->timer) {
        s->owa->timer = true;
        ss_engine_at(&s->engine, ss_pool_head(&s->pool, SS_OWA)->enqueued + s->sc->owa_timeout,
                     timeout, 0);
    }
}

static void done(struct ss_sim *s, uint64_t ref)
{
    (void)ref;
    s->res->owa.served++;
    if (sim_tells(s, SS_OWA))
        ss_trace_say(s->trace, s->engine.now, SS_OWA, "OWA request answered; its thread is free");
}

static void name(const struct ss_sim *s, uint64_t ref, char *buf, size_t size)
{
    (void)s;
    (void)ref;
    snprintf(buf, size, "OWA request");
}

/* A request in the store when it stops fails: the browser gets an error. */
static void stopped(struct ss_sim *s, uint64_t ref, ss_time hold, bool running)
{
    (void)ref;
    (void)hold;
    (void)running;
    s->res->owa.failed_restart++;
    failed(s, NULL);
}

const struct sim_kind owa_kind = {waits, NULL, NULL, done, NULL, name, stopped, false};

static int begin(struct ss_sim *s)
{
    const struct ss_scenario *sc = s->sc;
    struct owa *o = calloc(1, sizeof *o);
    if (!o)
        return -1;
    s->owa = o;
    ss_rng_stream(&o->service, sc->seed, "owa.service");
    if (arrivals_init(&o->arrivals, sc, "owa.arrivals", sc->has_owa, &sc->owa_rate,
                      sc->owa_regular))
        ss_engine_at(&s->engine, arrivals_next(&o->arrivals), arrival, 0);
    return 0;
}

static void sample(const struct ss_sim *s, struct ss_sample *sm)
{
    sm->owa_failed = s->res->owa.failed;
}

static void end(struct ss_sim *s)
{
    s->res->owa.waiting = ss_pool_waiting(&s->pool, SS_OWA);
    s->res->owa.in_progress = s->pool.busy_by[SS_OWA];
}

static void release(struct ss_sim *s)
{
    free(s->owa);
    s->owa = NULL;
}

const struct sim_workload owa_workload = {begin, sample, end, release};
