/*
 * sim.c: the task life cycle and the run.
 *
 * A task is submitted, starts on a thread (at once, or when a thread frees
 * and it is the oldest waiting), holds the thread for its hold time, and
 * ends. What each kind of task does at each step is its own (the hooks of
 * sim_internal.h); this file only moves tasks through the pool.
 */
#include "sim_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The kinds in enum ss_kind order, and the workloads in the order they start. */
static const struct sim_kind *const kinds[SS_KINDS] = {&delivery_kind, &owa_kind, &move_kind,
                                                       &flush_kind};
/* The administrator first: what it does at an instant comes before anything
 * else at that instant. */
static const struct sim_workload *const workloads[] = {&admin_workload, &delivery_workload,
                                                       &owa_workload, &moves_workload};
#define WORKLOADS (sizeof workloads / sizeof workloads[0])

static const char *const symptom_keys[SS_SYMPTOMS] = {
    "pool_exhausted", "delivery_starved", "delivery_recovered",
    "owa_unresponsive", "smtp_stopped", "smtp_resumed", "owa_responsive"};

const char *ss_symptom_key(enum ss_symptom s)
{
    return symptom_keys[s];
}

const char *ss_symptom_label(enum ss_symptom s)
{
    static const char *const labels[SS_SYMPTOMS] = {
        "Pool exhausted", "Delivery starved", "Delivery recovered",
        "OWA unresponsive", "SMTP stopped", "SMTP resumed", "OWA responsive"};
    return labels[s];
}

enum ss_symptom ss_symptom_cause(enum ss_symptom s)
{
    switch (s) {
    case SS_DELIVERY_RECOVERED:
        return SS_DELIVERY_STARVED;
    case SS_SMTP_RESUMED:
        return SS_SMTP_STOPPED;
    case SS_OWA_RESPONSIVE:
        return SS_OWA_UNRESPONSIVE;
    default:
        return SS_SYMPTOMS;
    }
}

const char *ss_symptom_not(enum ss_symptom s)
{
    switch (s) {
    case SS_DELIVERY_RECOVERED:
        return "not starved";
    case SS_SMTP_RESUMED:
        return "not stopped";
    case SS_OWA_RESPONSIVE:
        return "no failure";
    default:
        return "never";
    }
}

const char *ss_symptom_never(const struct ss_results *r, enum ss_symptom s)
{
    enum ss_symptom cause = ss_symptom_cause(s);
    if (cause != SS_SYMPTOMS && r->symptom[cause] == SS_NEVER)
        return ss_symptom_not(s);
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

void sim_symptom_now(struct ss_sim *s, enum ss_symptom which, const char *fmt, ...)
{
    sim_first(&s->res->symptom[which], s->engine.now);
    if (sim_tells(s, SS_TOPIC_EVENT)) {
        va_list ap;
        va_start(ap, fmt);
        ss_trace_vsay(s->trace, s->engine.now, SS_TOPIC_EVENT, fmt, ap);
        va_end(ap);
    }
}

int sim_warn(struct ss_sim *s, const char *fmt, ...)
{
    struct ss_results *r = s->res;
    char line[1024], **grown;
    size_t n;
    va_list ap;
    n = (size_t)snprintf(line, sizeof line, "%s: warning: ", s->sc->path ? s->sc->path : "scenario");
    if (n >= sizeof line)
        n = sizeof line - 1;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - n, fmt, ap);
    va_end(ap);
    grown = realloc(r->warnings, (r->n_warnings + 1) * sizeof *grown);
    if (!grown)
        return -1;
    r->warnings = grown;
    if (!(r->warnings[r->n_warnings] = malloc(strlen(line) + 1)))
        return -1;
    strcpy(r->warnings[r->n_warnings++], line);
    return 0;
}

static void task_end(void *ctx, uint64_t arg);

/* A task's end event names its thread and the thread's gen. */
static uint64_t end_arg(const struct ss_pool *p, long long t)
{
    return (p->thread[t].gen << SS_POOL_THREAD_BITS) | (uint64_t)t;
}

/* The delivery backlog now, as the workloads' sample hooks give it. */
static long long backlog_now(const struct ss_sim *s)
{
    struct ss_sample sm;
    size_t w;
    memset(&sm, 0, sizeof sm);
    for (w = 0; w < WORKLOADS; w++)
        if (workloads[w]->sample)
            workloads[w]->sample(s, &sm);
    return sm.backlog;
}

/* The observer told what thread t's task does now (sim.h). */
static void tell(struct ss_sim *s, enum ss_task_step step, long long t, ss_time end)
{
    const struct ss_thread *th = &s->pool.thread[t];
    struct ss_task_note note;
    char title[SS_SCENARIO_LINE_MAX + 96];
    note.step = step;
    note.now = s->engine.now;
    note.thread = t;
    note.kind = (enum ss_kind)th->kind;
    note.started = th->started;
    note.end = end;
    note.title = NULL;
    if (s->task_titles) {
        if (!moves_title(s, note.kind, th->ref, title, sizeof title))
            kinds[th->kind]->name(s, th->ref, title, sizeof title); /* "message", ... */
        note.title = title;
    }
    note.backlog = backlog_now(s);
    s->on_task(s->task_ctx, &note);
}

static void watch_start(struct ss_sim *s, long long t, enum ss_kind kind, ss_time enqueued,
                        ss_time hold, uint64_t ref);

static void task_start(struct ss_sim *s, long long t, enum ss_kind kind, ss_time enqueued,
                       ss_time hold, uint64_t ref)
{
    ss_time now = s->engine.now;
    ss_time left = s->sc->duration - now;
    struct ss_results *r = s->res;
    struct ss_thread *th = &s->pool.thread[t];

    th->started = now;
    th->hold = hold;
    th->ref = ref;
    th->kind = (int)kind;
    ss_hist_add(&r->wait[kind], now - enqueued);
    r->hold_us[kind] += (double)hold;
    r->pool.busy_us[kind] += (double)(hold < left ? hold : left);
    if (s->pool.busy > r->pool.max_busy)
        r->pool.max_busy = s->pool.busy;
    ss_engine_after(&s->engine, hold, task_end, end_arg(&s->pool, t));

    if (s->watched) /* one test for a trace and an observer both */
        watch_start(s, t, kind, enqueued, hold, ref);
    if (kinds[kind]->started)
        kinds[kind]->started(s, ref);
}

/* The trace's line and the observer's note of a task that starts. */
static void watch_start(struct ss_sim *s, long long t, enum ss_kind kind, ss_time enqueued,
                        ss_time hold, uint64_t ref)
{
    ss_time now = s->engine.now;
    if (sim_tells(s, (int)kind)) {
        char task[SS_SCENARIO_LINE_MAX + 64], waited[SS_TIME_TEXT], held[SS_TIME_TEXT];
        kinds[kind]->name(s, ref, task, sizeof task);
        ss_trace_say(s->trace, now, (int)kind,
                     "%s starts on a thread after waiting %s; holds it %s "
                     "(%lld of %lld threads busy)",
                     task, ss_span_text(waited, now - enqueued), ss_span_text(held, hold),
                     s->pool.busy, s->pool.threads);
    }
    if (s->on_task)
        tell(s, SS_TASK_STARTS, t, now + hold);
}

void sim_submit(struct ss_sim *s, enum ss_kind kind, ss_time hold, uint64_t ref)
{
    ss_time now = s->engine.now;
    long long t = ss_pool_acquire(&s->pool, kind);
    if (t >= 0) {
        task_start(s, t, kind, now, hold, ref);
        return;
    }
    if (t == SS_POOL_ENOMEM || ss_pool_wait(&s->pool, kind, now, hold, ref) != 0) {
        ss_engine_stop(&s->engine, SS_ENGINE_ENOMEM);
        return;
    }
    if (!s->store.up) { /* restarting: no thread is busy, none is there */
        if (sim_tells(s, (int)kind))
            ss_trace_say(s->trace, now, (int)kind, "%s waits: the store is restarting (%lld %s "
                         "waiting)", ss_kind_task(kind), s->pool.n_waiting,
                         s->pool.n_waiting == 1 ? "task" : "tasks");
        if (kinds[kind]->waits)
            kinds[kind]->waits(s, ref);
        return;
    }
    sim_symptom(s, SS_POOL_EXHAUSTED, false,
                "POOL EXHAUSTED: all %lld threads are busy and %s has to wait", s->pool.threads,
                ss_kind_task(kind));
    if (sim_tells(s, (int)kind))
        ss_trace_say(s->trace, now, (int)kind,
                     "%s waits: all %lld threads busy (%lld %s waiting)",
                     ss_kind_task(kind), s->pool.threads, s->pool.n_waiting,
                     s->pool.n_waiting == 1 ? "task" : "tasks");
    if (kinds[kind]->waits)
        kinds[kind]->waits(s, ref);
}

/* The thread time a task from `started` to `end` spends within the run. */
static double in_run(const struct ss_sim *s, ss_time started, ss_time end)
{
    ss_time stop = end < s->sc->duration ? end : s->sc->duration;
    return stop > started ? (double)(stop - started) : 0.0;
}

/* The task on thread t holds it until `end` now: the totals of thread time
 * follow. */
static void hold_until(struct ss_sim *s, long long t, ss_time end)
{
    struct ss_thread *th = &s->pool.thread[t];
    struct ss_results *r = s->res;
    ss_time old = th->started + th->hold;
    r->pool.busy_us[th->kind] += in_run(s, th->started, end) - in_run(s, th->started, old);
    r->hold_us[th->kind] += (double)(end - old);
    th->hold = end - th->started;
}

void sim_retime(struct ss_sim *s, long long t, ss_time end, uint64_t ref)
{
    hold_until(s, t, end);
    s->pool.thread[t].ref = ref;
    if (s->on_task)
        tell(s, SS_TASK_RETIMED, t, end);
    ss_pool_cut(&s->pool, t); /* the end event already queued is stale */
    ss_engine_at(&s->engine, end, task_end, end_arg(&s->pool, t));
}

/* A task the store's stop cuts short or drops. */
struct cut {
    int kind;
    bool running;
    uint64_t order;  /* running: when it started; waiting: its stamp */
    long long thread;
    ss_time hold;
    uint64_t ref;
};

/* Running tasks first, in the order they started (then by thread), then the
 * waiting ones, oldest first. */
static int by_order(const void *pa, const void *pb)
{
    const struct cut *a = pa, *b = pb;
    if (a->running != b->running)
        return a->running ? -1 : 1;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    return a->thread < b->thread ? -1 : a->thread > b->thread;
}

void sim_store_stop(struct ss_sim *s)
{
    struct ss_pool *p = &s->pool;
    ss_time now = s->engine.now;
    struct cut *list;
    size_t n = 0, cap = (size_t)p->used, i;
    long long t;
    int k;
    s->store.up = false;
    for (k = 0; k < SS_KINDS; k++)
        if (!kinds[k]->stays)
            cap += (size_t)ss_pool_waiting(p, (enum ss_kind)k);
    list = malloc((cap ? cap : 1) * sizeof *list);
    if (!list) {
        ss_engine_stop(&s->engine, SS_ENGINE_ENOMEM);
        return;
    }
    ss_pool_mark_free(p);
    for (t = 0; t < p->used; t++) {
        struct ss_thread *th = &p->thread[t];
        struct cut c;
        if (th->kind >= SS_KINDS)
            continue;
        c.kind = th->kind;
        c.running = true;
        c.order = (uint64_t)th->started;
        c.thread = t;
        c.hold = th->hold; /* what it was to hold: a message started again needs it all */
        c.ref = th->ref;
        list[n++] = c;
        if (s->on_task)
            tell(s, SS_TASK_CUT, t, now);
        hold_until(s, t, now); /* it held its thread until now, not to its end */
    }
    for (k = 0; k < SS_KINDS; k++) {
        const struct ss_task *head;
        if (kinds[k]->stays)
            continue;
        while ((head = ss_pool_head(p, (enum ss_kind)k)) != NULL) {
            struct cut c;
            c.kind = k;
            c.running = false;
            c.order = head->seq;
            c.thread = -1;
            c.hold = head->hold;
            c.ref = head->ref;
            list[n++] = c;
            ss_pool_drop_head(p, (enum ss_kind)k);
        }
    }
    ss_pool_stop(p);
    qsort(list, n, sizeof *list, by_order);
    for (i = 0; i < n; i++) {
        if (sim_tells(s, list[i].kind)) {
            char task[SS_SCENARIO_LINE_MAX + 64];
            kinds[list[i].kind]->name(s, list[i].ref, task, sizeof task);
            ss_trace_say(s->trace, now, list[i].kind, "%s %s: the store stops", task,
                         list[i].running ? "is cut short" : "leaves the queue");
        }
        if (kinds[list[i].kind]->stopped)
            kinds[list[i].kind]->stopped(s, list[i].ref, list[i].hold, list[i].running);
    }
    free(list);
}

void sim_store_start(struct ss_sim *s)
{
    long long t;
    struct ss_task next;
    enum ss_kind kind;
    int got;
    s->store.up = true;
    ss_pool_start(&s->pool);
    while ((got = ss_pool_take_oldest(&s->pool, &t, &next, &kind)) == 1) {
        if (kinds[kind]->leaves)
            kinds[kind]->leaves(s, next.ref);
        task_start(s, t, kind, next.enqueued, next.hold, next.ref);
    }
    if (got < 0)
        ss_engine_stop(&s->engine, SS_ENGINE_ENOMEM);
}

static void task_end(void *ctx, uint64_t arg)
{
    struct ss_sim *s = ctx;
    long long t = (long long)(arg & ((1u << SS_POOL_THREAD_BITS) - 1));
    const struct ss_thread *th = &s->pool.thread[t];
    enum ss_kind kind = (enum ss_kind)th->kind, next_kind;
    uint64_t ref = th->ref;
    struct ss_task next;

    if (th->gen != arg >> SS_POOL_THREAD_BITS)
        return; /* a task cut short or moved: its thread has moved on */
    if (s->on_task)
        tell(s, SS_TASK_ENDS, t, s->engine.now);
    if (kinds[kind]->done)
        kinds[kind]->done(s, ref);
    if (ss_pool_release(&s->pool, t, &next, &next_kind)) {
        if (kinds[next_kind]->leaves)
            kinds[next_kind]->leaves(s, next.ref);
        task_start(s, t, next_kind, next.enqueued, next.hold, next.ref);
    }
    if (kinds[kind]->released)
        kinds[kind]->released(s, ref);
}

static void take_sample(struct ss_sim *s, const struct ss_sim_options *opt)
{
    struct ss_sample sm;
    size_t w;
    int k;
    memset(&sm, 0, sizeof sm);
    sm.time = s->engine.now;
    for (k = 0; k < SS_KINDS; k++) {
        sm.busy[k] = s->pool.busy_by[k];
        sm.waiting[k] = ss_pool_waiting(&s->pool, (enum ss_kind)k);
    }
    for (w = 0; w < WORKLOADS; w++)
        if (workloads[w]->sample)
            workloads[w]->sample(s, &sm);
    opt->on_sample(opt->sample_ctx, &sm);
}

static void results_init(struct ss_results *r, const struct ss_scenario *sc)
{
    int k;
    memset(r, 0, sizeof *r);
    for (k = 0; k < SS_SYMPTOMS; k++)
        r->symptom[k] = SS_NEVER;
    r->first_flush_registered = r->first_flush_skipped = r->first_flush_timeout = SS_NEVER;
    r->end = sc->duration;
    r->pool.threads = sc->threads;
    for (k = 0; k < SS_KINDS; k++)
        ss_hist_init(&r->wait[k]);
}

static void finish(struct ss_sim *s)
{
    struct ss_results *r = s->res;
    double total = 0;
    size_t w;
    int k;
    for (k = 0; k < SS_KINDS; k++)
        total += r->pool.busy_us[k];
    r->pool.utilization = total / ((double)s->sc->threads * (double)s->sc->duration);
    for (w = 0; w < WORKLOADS; w++)
        if (workloads[w]->end)
            workloads[w]->end(s);
    /* An episode that cannot be kept for want of memory is still counted. */
    for (k = 0; k < SS_EPISODIC; k++)
        (void)episode_finish(&r->episodes[k], s->sc->duration);
    r->starved_us = r->episodes[SS_EP_STARVED].total_us;
    r->starved_episodes = r->episodes[SS_EP_STARVED].count;
    /* OWA answers again at the end of its first episode, flapping folded in. */
    r->symptom[SS_OWA_RESPONSIVE] =
        r->episodes[SS_EP_OWA].n ? r->episodes[SS_EP_OWA].list[0].end : SS_NEVER;
    r->events = s->engine.events;
}

/* Run to the end. With watchers, the engine runs in stretches and stops at
 * each sample time, each 1% of the run and, for on_progress, every
 * SS_POLL_EVENTS events within a stretch (so an interrupt is heard within
 * a millisecond or so however long a stretch is): that adds no event, so
 * watching never changes a run. Returns 0, or -1 when on_progress asked to
 * stop. */
static int run(struct ss_sim *s, const struct ss_sim_options *opt)
{
    ss_time end = s->sc->duration, step = s->sc->sample_interval;
    ss_time tick = end / 100 > 0 ? end / 100 : end;
    bool sampling = opt && opt->on_sample, checking = opt && opt->on_progress;
    ss_time next_sample = sampling ? 0 : SS_TIME_MAX, next_check = checking ? tick : SS_TIME_MAX;
    if (checking)
        s->engine.pause_every = SS_POLL_EVENTS;
    for (;;) {
        ss_time t = end;
        int status;
        if (next_sample < t)
            t = next_sample;
        if (next_check < t)
            t = next_check;
        while ((status = ss_engine_run(&s->engine, t)) == SS_ENGINE_PAUSED)
            if (opt->on_progress(opt->progress_ctx, s->engine.now, s->engine.events) != 0)
                return -1;
        if (status != 0)
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

/* The store as the scenario starts it. */
static int store_init(struct store *st, const struct ss_scenario *sc)
{
    size_t d;
    st->up = true;
    st->mta = sc->mta_enabled;
    st->hotfix = sc->hotfix;
    st->gateway = malloc((sc->n_databases ? sc->n_databases : 1) * sizeof *st->gateway);
    if (!st->gateway)
        return -1;
    for (d = 0; d < sc->n_databases; d++)
        st->gateway[d] = sc->databases[d].gateway_out_threads;
    return 0;
}

static void free_workloads(struct ss_sim *s)
{
    size_t w;
    for (w = 0; w < WORKLOADS; w++)
        workloads[w]->free(s);
}

int ss_simulate(const struct ss_scenario *sc, const struct ss_sim_options *opt,
                struct ss_results *res, char *err, size_t err_size)
{
    struct ss_sim s;
    int status = 0;
    size_t w;
    memset(&s, 0, sizeof s);
    s.sc = sc;
    s.res = res;
    s.trace = opt ? opt->trace : NULL;
    if (opt) {
        s.on_task = opt->on_task;
        s.task_ctx = opt->task_ctx;
        s.task_titles = opt->task_titles;
    }
    s.watched = s.trace || s.on_task;
    results_init(res, sc);
    ss_engine_init(&s.engine, &s);
    if (ss_pool_init(&s.pool, sc->threads) != 0 || store_init(&s.store, sc) != 0)
        status = -1;
    for (w = 0; w < WORKLOADS && status == 0; w++)
        status = workloads[w]->begin(&s);
    if (status != 0) {
        snprintf(err, err_size, "out of memory");
    } else if (run(&s, opt) != 0) {
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
    free_workloads(&s);
    free(s.store.gateway);
    ss_engine_free(&s.engine);
    ss_pool_free(&s.pool);
    return status;
}

void ss_results_free(struct ss_results *res)
{
    size_t i;
    int e;
    for (e = 0; e < SS_EPISODIC; e++)
        episodes_free(&res->episodes[e]);
    for (i = 0; i < res->n_warnings; i++)
        free(res->warnings[i]);
    free(res->warnings);
    res->warnings = NULL;
    res->n_warnings = 0;
    free(res->batches);
    res->batches = NULL;
    res->n_batches = 0;
    free(res->actions);
    res->actions = NULL;
    res->n_actions = 0;
}
