/*
 * sim.c: the task life cycle and the run.
 *
 * A task is submitted, starts on a thread (at once, or when a thread frees
 * and it is the oldest waiting), holds the thread for its hold time, and
 * ends. Its end event carries its kind and reference in one word:
 * (ref << 2) | kind.
 */
#include "sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const symptom_keys[SS_SYMPTOMS] = {
    "pool_exhausted", "delivery_starved", "delivery_recovered",
    "owa_unresponsive", "smtp_stopped", "smtp_resumed"};

const char *ss_symptom_key(enum ss_symptom s)
{
    return symptom_keys[s];
}

const char *ss_symptom_label(enum ss_symptom s)
{
    static const char *const labels[SS_SYMPTOMS] = {
        "Pool exhausted", "Delivery starved", "Delivery recovered",
        "OWA unresponsive", "SMTP stopped", "SMTP resumed"};
    return labels[s];
}

const char *ss_symptom_never(const struct ss_results *r, enum ss_symptom s)
{
    if (s == SS_DELIVERY_RECOVERED && r->symptom[SS_DELIVERY_STARVED] == SS_NEVER)
        return "not starved";
    if (s == SS_SMTP_RESUMED && r->symptom[SS_SMTP_STOPPED] == SS_NEVER)
        return "not stopped";
    return "never";
}

void sim_first(ss_time *when, ss_time now)
{
    if (*when == SS_NEVER)
        *when = now;
}

bool sim_tells(const struct ss_sim *s, int topic)
{
    return s->trace && ss_trace_wants(s->trace, s->engine.now, topic);
}

static void task_end(void *ctx, uint64_t arg);

static void task_start(struct ss_sim *s, enum ss_kind kind, ss_time enqueued, ss_time hold,
                       uint64_t ref)
{
    ss_time now = s->engine.now;
    ss_time left = s->sc->duration - now;
    struct ss_results *r = s->res;

    ss_hist_add(&r->wait[kind], now - enqueued);
    r->hold_us[kind] += (double)hold;
    r->pool.busy_us[kind] += (double)(hold < left ? hold : left);
    if (s->pool.busy > r->pool.max_busy)
        r->pool.max_busy = s->pool.busy;
    ss_engine_after(&s->engine, hold, task_end, (ref << 2) | (uint64_t)kind);

    if (sim_tells(s, (int)kind)) {
        char waited[SS_TIME_TEXT], held[SS_TIME_TEXT];
        ss_span_text(waited, now - enqueued);
        ss_span_text(held, hold);
        if (kind == SS_MOVE || kind == SS_FLUSH)
            ss_trace_say(s->trace, now, (int)kind,
                         "%s, mailbox %llu: %s starts on a thread after waiting %s; holds it %s "
                         "(%lld of %lld threads busy)",
                         s->sc->moves[SS_REF_BATCH(kind == SS_FLUSH ? ref >> 1 : ref)].name,
                         (unsigned long long)SS_REF_MAILBOX(kind == SS_FLUSH ? ref >> 1 : ref),
                         kind == SS_MOVE ? "move" : "flush", waited, held, s->pool.busy,
                         s->pool.threads);
        else
            ss_trace_say(s->trace, now, (int)kind,
                         "%s starts on a thread after waiting %s; holds it %s "
                         "(%lld of %lld threads busy)",
                         kind == SS_DELIVERY ? "message" : "OWA request", waited, held,
                         s->pool.busy, s->pool.threads);
    }
    if (kind == SS_MOVE)
        move_started(s, ref);
}

void sim_submit(struct ss_sim *s, enum ss_kind kind, ss_time hold, uint64_t ref)
{
    ss_time now = s->engine.now;
    if (ss_pool_try_acquire(&s->pool, kind)) {
        task_start(s, kind, now, hold, ref);
        return;
    }
    if (ss_pool_wait(&s->pool, kind, now, hold, ref) != 0) {
        ss_engine_stop(&s->engine, SS_ENGINE_ENOMEM);
        return;
    }
    if (s->res->symptom[SS_POOL_EXHAUSTED] == SS_NEVER) {
        s->res->symptom[SS_POOL_EXHAUSTED] = now;
        if (sim_tells(s, SS_TOPIC_EVENT))
            ss_trace_say(s->trace, now, SS_TOPIC_EVENT,
                         "POOL EXHAUSTED: all %lld threads are busy and %s has to wait",
                         s->pool.threads, ss_kind_task(kind));
    }
    if (sim_tells(s, (int)kind))
        ss_trace_say(s->trace, now, (int)kind,
                     "%s waits: all %lld threads busy (%lld %s waiting)",
                     ss_kind_task(kind), s->pool.threads, s->pool.n_waiting,
                     s->pool.n_waiting == 1 ? "task" : "tasks");
    if (kind == SS_DELIVERY)
        delivery_waits(s);
    else if (kind == SS_OWA)
        owa_waits(s);
}

static void task_end(void *ctx, uint64_t arg)
{
    struct ss_sim *s = ctx;
    enum ss_kind kind = (enum ss_kind)(arg & 3), next_kind;
    uint64_t ref = arg >> 2;
    struct ss_task next;

    switch (kind) {
    case SS_DELIVERY: s->res->delivery.delivered++; break;
    case SS_OWA: s->res->owa.served++; break;
    case SS_FLUSH: flush_finished(s, ref); break;
    default: break;
    }
    if ((kind == SS_DELIVERY || kind == SS_OWA) && sim_tells(s, (int)kind))
        ss_trace_say(s->trace, s->engine.now, (int)kind, "%s; its thread is free",
                     kind == SS_DELIVERY ? "message delivered" : "OWA request answered");
    if (ss_pool_release(&s->pool, kind, &next, &next_kind)) {
        if (next_kind == SS_DELIVERY)
            delivery_leaves(s);
        task_start(s, next_kind, next.enqueued, next.hold, next.ref);
    }
    if (kind == SS_MOVE)
        move_finished(s, ref);
}

static void take_sample(struct ss_sim *s, const struct ss_sim_options *opt)
{
    struct ss_sample sm;
    int k;
    sm.time = s->engine.now;
    for (k = 0; k < SS_KINDS; k++) {
        sm.busy[k] = s->pool.busy_by[k];
        sm.waiting[k] = ss_pool_waiting(&s->pool, (enum ss_kind)k);
    }
    sm.backlog = sm.waiting[SS_DELIVERY];
    sm.delivered = s->res->delivery.delivered;
    sm.refused = s->res->delivery.refused;
    sm.owa_failed = s->res->owa.failed;
    opt->on_sample(opt->sample_ctx, &sm);
}

static int results_init(struct ss_results *r, const struct ss_scenario *sc)
{
    size_t i;
    int k;
    memset(r, 0, sizeof *r);
    for (k = 0; k < SS_SYMPTOMS; k++)
        r->symptom[k] = SS_NEVER;
    r->first_flush_registered = r->first_flush_skipped = r->first_flush_timeout = SS_NEVER;
    r->end = sc->duration;
    r->pool.threads = sc->threads;
    for (k = 0; k < SS_KINDS; k++)
        ss_hist_init(&r->wait[k]);
    r->n_batches = sc->n_moves;
    if (sc->n_moves) {
        r->batches = calloc(sc->n_moves, sizeof *r->batches);
        if (!r->batches)
            return -1;
    }
    for (i = 0; i < sc->n_moves; i++)
        r->batches[i].started = r->batches[i].done = SS_NEVER;
    return 0;
}

static void finish(struct ss_sim *s)
{
    struct ss_results *r = s->res;
    double total = 0;
    int k;
    for (k = 0; k < SS_KINDS; k++)
        total += r->pool.busy_us[k];
    r->pool.utilization = total / ((double)s->sc->threads * (double)s->sc->duration);
    r->owa.waiting = ss_pool_waiting(&s->pool, SS_OWA);
    r->owa.in_progress = s->pool.busy_by[SS_OWA];
    delivery_end_run(s);
    r->events = s->engine.events;
}

/* Run to the end. With watchers, the engine runs in stretches and stops at
 * each sample time and each 1% of the run: that adds no event, so watching
 * never changes a run. Returns 0, or -1 when on_progress asked to stop. */
static int run(struct ss_sim *s, const struct ss_sim_options *opt)
{
    ss_time end = s->sc->duration, step = s->sc->sample_interval;
    ss_time tick = end / 100 > 0 ? end / 100 : end;
    bool sampling = opt && opt->on_sample, checking = opt && opt->on_progress;
    ss_time next_sample = sampling ? 0 : SS_TIME_MAX, next_check = checking ? tick : SS_TIME_MAX;
    for (;;) {
        ss_time t = end;
        if (next_sample < t)
            t = next_sample;
        if (next_check < t)
            t = next_check;
        if (ss_engine_run(&s->engine, t) != 0)
            return 0;
        if (t == next_sample) {
            take_sample(s, opt);
            next_sample = t == end ? SS_TIME_MAX : (step > end - t ? end : t + step);
        }
        if (t == next_check) {
            if (opt->on_progress(opt->progress_ctx, t, s->engine.events) != 0)
                return -1;
            next_check = t == end ? SS_TIME_MAX : (tick > end - t ? end : t + tick);
        }
        if (t == end)
            return 0;
    }
}

int ss_simulate(const struct ss_scenario *sc, const struct ss_sim_options *opt,
                struct ss_results *res, char *err, size_t err_size)
{
    struct ss_sim s;
    int status = 0;
    memset(&s, 0, sizeof s);
    s.sc = sc;
    s.res = res;
    s.trace = opt ? opt->trace : NULL;
    s.smtp_open = true;
    if (results_init(res, sc) != 0 || ss_pool_init(&s.pool, sc->threads) != 0 ||
        (sc->n_moves && !(s.move_duration = calloc(sc->n_moves, sizeof *s.move_duration)))) {
        snprintf(err, err_size, "out of memory");
        ss_pool_free(&s.pool);
        return -1;
    }
    ss_engine_init(&s.engine, &s);

    delivery_begin(&s);
    owa_begin(&s);
    move_begin(&s);
    if (run(&s, opt) != 0) {
        char clock[SS_TIME_TEXT];
        snprintf(err, err_size, "interrupted at %s of simulated time",
                 ss_time_hms(clock, s.engine.now));
        status = -1;
    } else if (s.engine.error) {
        snprintf(err, err_size, "out of memory after %llu events",
                 (unsigned long long)s.engine.events);
        status = -1;
    } else {
        finish(&s);
    }
    ss_engine_free(&s.engine);
    ss_pool_free(&s.pool);
    free(s.move_duration);
    return status;
}

void ss_results_free(struct ss_results *res)
{
    free(res->batches);
    res->batches = NULL;
    res->n_batches = 0;
}
