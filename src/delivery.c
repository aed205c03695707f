/*
 * delivery.c: local delivery, SMTP back-pressure and starvation.
 *
 * Messages arrive as a Poisson process and each needs a delivery task. Those
 * that find no thread wait: they are the backlog. Two watchers look at it:
 *
 *   SMTP     stops answering when the backlog reaches smtp.max_backlog and
 *            answers again once it is down to smtp.resume_backlog; refused
 *            messages come back after smtp.retry (or are deferred);
 *   starved  when the oldest waiting message has waited
 *            delivery.starvation_threshold; recovered when the backlog is empty.
 *
 * A message's service time is drawn when it first arrives and travels with
 * it through any retries, so every run of a scenario offers the same
 * messages in the same order (common random numbers).
 */
#include "sim_internal.h"

#include <stdlib.h>

#include "storesim/dist.h"

struct delivery {
    struct arrivals arrivals;
    struct ss_rng service, retry;  /* streams "delivery.service", "smtp.retry" */
    bool smtp_open;                /* SMTP answering (not stopped by back-pressure) */
    bool watching;                 /* a starvation watch event is pending */
};

static struct ss_episodes *starvation(struct ss_sim *s)
{
    return &s->res->episodes[SS_EP_STARVED];
}

static struct ss_episodes *smtp(struct ss_sim *s)
{
    return &s->res->episodes[SS_EP_SMTP];
}

/* Start an episode now; out of memory stops the run. */
static void start_episode(struct ss_sim *s, struct ss_episodes *e, ss_time fold)
{
    if (episode_begin(e, s->engine.now, fold) != 0)
        ss_engine_stop(&s->engine, SS_ENGINE_ENOMEM);
}

static void offer(struct ss_sim *s, ss_time service);

static void arrival(void *ctx, uint64_t arg)
{
    struct ss_sim *s = ctx;
    struct delivery *d = s->delivery;
    (void)arg;
    ss_engine_at(&s->engine, arrivals_next(&d->arrivals), arrival, 0);
    s->res->delivery.arrived++;
    offer(s, ss_dist_sample(&s->sc->delivery_service, &d->service));
}

static void retry(void *ctx, uint64_t service)
{
    struct ss_sim *s = ctx;
    s->res->delivery.retrying--;
    offer(s, (ss_time)service);
}

static void refuse(struct ss_sim *s, ss_time service)
{
    const struct ss_dist *again = &s->sc->retry;
    ss_time now = s->engine.now;
    bool deferred = again->kind == SS_DIST_CONST && again->a == 0;
    s->res->delivery.refused++;
    if (!s->store.up)
        s->res->delivery.refused_down++;
    if (!episode_going(smtp(s))) {
        /* The first message SMTP refuses since it stopped answering. */
        start_episode(s, smtp(s), s->sc->episode_gap);
        sim_symptom(s, SS_SMTP_STOPPED, true,
                    "SMTP STOPPED: a message is refused; the local delivery queue is full "
                    "(%lld messages waiting)",
                    ss_pool_waiting(&s->pool, SS_DELIVERY));
    }
    if (deferred) {
        s->res->delivery.deferred++;
        if (sim_tells(s, SS_DELIVERY))
            ss_trace_say(s->trace, now, SS_DELIVERY,
                         "message refused by SMTP; the sender keeps it (deferred)");
        return;
    }
    s->res->delivery.retrying++;
    {
        ss_time delay = ss_dist_sample(again, &s->delivery->retry);
        if (sim_tells(s, SS_DELIVERY)) {
            char when[SS_TIME_TEXT];
            ss_trace_say(s->trace, now, SS_DELIVERY,
                         "message refused by SMTP; the sender will retry in %s",
                         ss_span_text(when, delay));
        }
        ss_engine_after(&s->engine, delay, retry, (uint64_t)service);
    }
}

static void offer(struct ss_sim *s, ss_time service)
{
    if (s->delivery->smtp_open)
        sim_submit(s, SS_DELIVERY, service, 0);
    else
        refuse(s, service);
}

/* Fires when the oldest waiting message may have waited the threshold. */
static void starvation_watch(void *ctx, uint64_t arg)
{
    struct ss_sim *s = ctx;
    struct delivery *d = s->delivery;
    const struct ss_task *head = ss_pool_head(&s->pool, SS_DELIVERY);
    ss_time now = s->engine.now, threshold = s->sc->starvation_threshold;
    char waited[SS_TIME_TEXT];
    (void)arg;
    d->watching = false;
    if (!head || episode_going(starvation(s)))
        return;
    if (now - head->enqueued < threshold) {
        /* That message got a thread; watch the one now oldest. */
        d->watching = true;
        ss_engine_at(&s->engine, head->enqueued + threshold, starvation_watch, 0);
        return;
    }
    start_episode(s, starvation(s), s->sc->episode_gap);
    sim_symptom(s, SS_DELIVERY_STARVED, true,
                "DELIVERY STARVED: a message has waited %s for a thread "
                "(%lld messages waiting, %lld of %lld threads held by flushes)",
                ss_span_text(waited, threshold), ss_pool_waiting(&s->pool, SS_DELIVERY),
                s->pool.busy_by[SS_FLUSH], s->pool.threads);
}

/* A message joined the backlog. */
static void waits(struct ss_sim *s, uint64_t ref)
{
    struct delivery *d = s->delivery;
    long long backlog = ss_pool_waiting(&s->pool, SS_DELIVERY);
    (void)ref;
    if (backlog > s->res->max_backlog)
        s->res->max_backlog = backlog;
    if (d->smtp_open && backlog >= s->sc->max_backlog) {
        d->smtp_open = false;
        if (sim_tells(s, SS_TOPIC_EVENT))
            ss_trace_say(s->trace, s->engine.now, SS_TOPIC_EVENT,
                         "the local delivery queue reached %lld messages: SMTP stops answering",
                         backlog);
    }
    if (!d->watching && !episode_going(starvation(s))) {
        const struct ss_task *head = ss_pool_head(&s->pool, SS_DELIVERY);
        d->watching = true;
        ss_engine_at(&s->engine, head->enqueued + s->sc->starvation_threshold,
                     starvation_watch, 0);
    }
}

/* A waiting message got a thread: the backlog is one shorter. */
static void leaves(struct ss_sim *s, uint64_t ref)
{
    struct delivery *d = s->delivery;
    long long backlog = ss_pool_waiting(&s->pool, SS_DELIVERY);
    ss_time now = s->engine.now;
    char span[SS_TIME_TEXT];
    (void)ref;
    if (d->smtp_open && !episode_going(starvation(s)))
        return; /* the common case: nothing to watch */
    if (!d->smtp_open && backlog <= s->sc->resume_backlog) {
        d->smtp_open = true;
        if (episode_going(smtp(s)))
            episode_end(smtp(s), now);
        if (s->res->symptom[SS_SMTP_STOPPED] != SS_NEVER)
            sim_first(&s->res->symptom[SS_SMTP_RESUMED], now);
        if (sim_tells(s, SS_TOPIC_EVENT))
            ss_trace_say(s->trace, now, SS_TOPIC_EVENT,
                         "%s: the backlog is down to %lld messages; SMTP answers again",
                         s->res->symptom[SS_SMTP_STOPPED] != SS_NEVER ? "SMTP RESUMED"
                                                                      : "SMTP reopens",
                         backlog);
    }
    if (backlog == 0 && episode_going(starvation(s))) {
        ss_time since = starvation(s)->current.start;
        episode_end(starvation(s), now);
        sim_symptom(s, SS_DELIVERY_RECOVERED, true,
                    "DELIVERY RECOVERED: the local delivery queue is empty again, after %s "
                    "starved",
                    ss_span_text(span, now - since));
    }
}

static void done(struct ss_sim *s, uint64_t ref)
{
    (void)ref;
    s->res->delivery.delivered++;
    if (sim_tells(s, SS_DELIVERY))
        ss_trace_say(s->trace, s->engine.now, SS_DELIVERY, "message delivered; its thread is free");
}

static void name(const struct ss_sim *s, uint64_t ref, char *buf, size_t size)
{
    (void)s;
    (void)ref;
    snprintf(buf, size, "message");
}

/* A message being delivered when the store stopped was not delivered: SMTP
 * still has it, and it goes back to the end of the local delivery queue
 * (waiting messages stay where they are). */
static void stopped(struct ss_sim *s, uint64_t ref, ss_time hold, bool running)
{
    if (!running)
        return;
    s->res->delivery.requeued++;
    sim_submit(s, SS_DELIVERY, hold, ref); /* the store is down: it waits */
}

const struct sim_kind delivery_kind = {waits, leaves, NULL, done, NULL, name, stopped, true};

static int begin(struct ss_sim *s)
{
    const struct ss_scenario *sc = s->sc;
    struct delivery *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    s->delivery = d;
    d->smtp_open = true;
    ss_rng_stream(&d->service, sc->seed, "delivery.service");
    ss_rng_stream(&d->retry, sc->seed, "smtp.retry");
    if (arrivals_init(&d->arrivals, sc, "delivery.arrivals", sc->has_delivery,
                      &sc->delivery_rate, sc->delivery_regular))
        ss_engine_at(&s->engine, arrivals_next(&d->arrivals), arrival, 0);
    return 0;
}

static void sample(const struct ss_sim *s, struct ss_sample *sm)
{
    sm->backlog = ss_pool_waiting(&s->pool, SS_DELIVERY);
    sm->delivered = s->res->delivery.delivered;
    sm->refused = s->res->delivery.refused;
}

static void end(struct ss_sim *s)
{
    struct ss_results *r = s->res;
    r->delivery.queued = ss_pool_waiting(&s->pool, SS_DELIVERY) + s->pool.busy_by[SS_DELIVERY];
}

static void release(struct ss_sim *s)
{
    free(s->delivery);
    s->delivery = NULL;
}

const struct sim_workload delivery_workload = {begin, sample, end, release};
