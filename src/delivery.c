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

#include "storesim/dist.h"

static void offer(struct ss_sim *s, ss_time service);

/* Time to the next arrival: exponential (Poisson arrivals), or the mean gap
 * itself when the scenario asks for regular arrivals. */
static ss_time next_gap(struct ss_sim *s)
{
    if (s->sc->delivery_regular)
        return (ss_time)(s->delivery_gap_us + 0.5);
    return ss_exp_sample(s->delivery_gap_us, &s->delivery_arrivals);
}

static void arrival(void *ctx, uint64_t arg)
{
    struct ss_sim *s = ctx;
    (void)arg;
    ss_engine_after(&s->engine, next_gap(s), arrival, 0);
    s->res->delivery.arrived++;
    offer(s, ss_dist_sample(&s->sc->delivery_service, &s->delivery_service));
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
    if (s->res->symptom[SS_SMTP_STOPPED] == SS_NEVER) {
        s->res->symptom[SS_SMTP_STOPPED] = now;
        if (sim_tells(s, SS_TOPIC_EVENT))
            ss_trace_say(s->trace, now, SS_TOPIC_EVENT,
                         "SMTP STOPPED: the first message is refused; the local delivery "
                         "queue is full (%lld messages waiting)",
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
        ss_time delay = ss_dist_sample(again, &s->smtp_retry);
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
    if (s->smtp_open)
        sim_submit(s, SS_DELIVERY, service, 0);
    else
        refuse(s, service);
}

/* Fires when the oldest waiting message may have waited the threshold. */
static void starvation_watch(void *ctx, uint64_t arg)
{
    struct ss_sim *s = ctx;
    const struct ss_task *head = ss_pool_head(&s->pool, SS_DELIVERY);
    ss_time now = s->engine.now, threshold = s->sc->starvation_threshold;
    (void)arg;
    s->starvation_watch = false;
    if (!head || s->starved)
        return;
    if (now - head->enqueued < threshold) {
        /* That message got a thread; watch the one now oldest. */
        s->starvation_watch = true;
        ss_engine_at(&s->engine, head->enqueued + threshold, starvation_watch, 0);
        return;
    }
    s->starved = true;
    s->starved_since = now;
    s->res->starved_episodes++;
    sim_first(&s->res->symptom[SS_DELIVERY_STARVED], now);
    if (sim_tells(s, SS_TOPIC_EVENT)) {
        char waited[SS_TIME_TEXT];
        ss_trace_say(s->trace, now, SS_TOPIC_EVENT,
                     "DELIVERY STARVED: a message has waited %s for a thread "
                     "(%lld messages waiting, %lld of %lld threads held by flushes)",
                     ss_span_text(waited, threshold), ss_pool_waiting(&s->pool, SS_DELIVERY),
                     s->pool.busy_by[SS_FLUSH], s->pool.threads);
    }
}

void delivery_waits(struct ss_sim *s)
{
    long long backlog = ss_pool_waiting(&s->pool, SS_DELIVERY);
    if (backlog > s->res->max_backlog)
        s->res->max_backlog = backlog;
    if (s->smtp_open && backlog >= s->sc->max_backlog) {
        s->smtp_open = false;
        if (sim_tells(s, SS_TOPIC_EVENT))
            ss_trace_say(s->trace, s->engine.now, SS_TOPIC_EVENT,
                         "the local delivery queue reached %lld messages: SMTP stops answering",
                         backlog);
    }
    if (!s->starved && !s->starvation_watch) {
        const struct ss_task *head = ss_pool_head(&s->pool, SS_DELIVERY);
        s->starvation_watch = true;
        ss_engine_at(&s->engine, head->enqueued + s->sc->starvation_threshold,
                     starvation_watch, 0);
    }
}

void delivery_leaves(struct ss_sim *s)
{
    long long backlog = ss_pool_waiting(&s->pool, SS_DELIVERY);
    ss_time now = s->engine.now;
    if (!s->smtp_open && backlog <= s->sc->resume_backlog) {
        s->smtp_open = true;
        if (s->res->symptom[SS_SMTP_STOPPED] != SS_NEVER)
            sim_first(&s->res->symptom[SS_SMTP_RESUMED], now);
        if (sim_tells(s, SS_TOPIC_EVENT))
            ss_trace_say(s->trace, now, SS_TOPIC_EVENT,
                         "%s: the backlog is down to %lld messages; SMTP answers again",
                         s->res->symptom[SS_SMTP_STOPPED] != SS_NEVER ? "SMTP RESUMED"
                                                                      : "SMTP reopens",
                         backlog);
    }
    if (s->starved && backlog == 0) {
        s->starved = false;
        s->res->starved_us += now - s->starved_since;
        sim_first(&s->res->symptom[SS_DELIVERY_RECOVERED], now);
        if (sim_tells(s, SS_TOPIC_EVENT)) {
            char span[SS_TIME_TEXT];
            ss_trace_say(s->trace, now, SS_TOPIC_EVENT,
                         "DELIVERY RECOVERED: the local delivery queue is empty again, "
                         "after %s starved",
                         ss_span_text(span, now - s->starved_since));
        }
    }
}

void delivery_begin(struct ss_sim *s)
{
    const struct ss_scenario *sc = s->sc;
    ss_rng_stream(&s->delivery_arrivals, sc->seed, "delivery.arrivals");
    ss_rng_stream(&s->delivery_service, sc->seed, "delivery.service");
    ss_rng_stream(&s->smtp_retry, sc->seed, "smtp.retry");
    if (!sc->has_delivery || sc->delivery_rate.per_second <= 0)
        return;
    s->delivery_gap_us = (double)SS_SECOND / sc->delivery_rate.per_second;
    ss_engine_at(&s->engine, next_gap(s), arrival, 0);
}

void delivery_end_run(struct ss_sim *s)
{
    struct ss_results *r = s->res;
    r->delivery.queued = ss_pool_waiting(&s->pool, SS_DELIVERY) + s->pool.busy_by[SS_DELIVERY];
    if (s->starved)
        r->starved_us += s->sc->duration - s->starved_since;
}
