/* test_engine.c: the event loop runs handlers in time order, up to a limit. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/engine.h"

/* What the handlers saw, in order. */
struct log {
    struct ss_engine *engine;
    size_t n;
    uint64_t args[64];
    ss_time times[64];
    uint64_t stop_at_arg;  /* record_and_stop stops the engine at this arg */
    int stop_error;
};

static void record(void *ctx, uint64_t arg)
{
    struct log *log = ctx;
    assert_true(log->n < 64);
    log->args[log->n] = arg;
    log->times[log->n] = log->engine->now;
    log->n++;
}

static void record_and_stop(void *ctx, uint64_t arg)
{
    struct log *log = ctx;
    record(ctx, arg);
    if (arg == log->stop_at_arg)
        ss_engine_stop(log->engine, log->stop_error);
}

/* Schedules `arg` more events, each `arg` µs after now, chained. */
static void chain(void *ctx, uint64_t arg)
{
    struct log *log = ctx;
    record(ctx, arg);
    if (arg > 0)
        ss_engine_after(log->engine, 10, chain, arg - 1);
}

/* Schedules a follow-up at the same instant. */
static void same_instant(void *ctx, uint64_t arg)
{
    struct log *log = ctx;
    record(ctx, arg);
    if (arg == 1)
        ss_engine_after(log->engine, 0, record, 2);
}

/* The earliest pending event, which there must be. */
static struct ss_event peeked(const struct ss_eventq *q)
{
    struct ss_event ev;
    assert_true(ss_eventq_peek(q, &ev));
    return ev;
}

static void setup(struct ss_engine *e, struct log *log)
{
    memset(log, 0, sizeof *log);
    log->engine = e;
    log->stop_at_arg = UINT64_MAX;
    ss_engine_init(e, log);
}

static void test_init(void **state)
{
    struct ss_engine e;
    struct log log;
    (void)state;
    setup(&e, &log);
    assert_int_equal(e.now, 0);
    assert_int_equal(e.events, 0);
    assert_ptr_equal(e.ctx, &log);
    assert_false(e.stopped);
    assert_int_equal(e.error, 0);
    /* An empty run advances the clock to the end and handles nothing. */
    assert_int_equal(ss_engine_run(&e, 5 * SS_SECOND), 0);
    assert_int_equal(e.now, 5 * SS_SECOND);
    assert_int_equal(e.events, 0);
    assert_int_equal(log.n, 0);
    ss_engine_free(&e);
}

static void test_handlers_run_in_order(void **state)
{
    struct ss_engine e;
    struct log log;
    (void)state;
    setup(&e, &log);
    ss_engine_at(&e, 300, record, 3);
    ss_engine_at(&e, 100, record, 1);
    ss_engine_at(&e, 200, record, 20);
    ss_engine_at(&e, 200, record, 21); /* same instant: after 20 */
    ss_engine_at(&e, 0, record, 0);
    assert_int_equal(ss_engine_run(&e, 1000), 0);
    assert_int_equal(log.n, 5);
    assert_int_equal(log.args[0], 0);
    assert_int_equal(log.args[1], 1);
    assert_int_equal(log.args[2], 20);
    assert_int_equal(log.args[3], 21);
    assert_int_equal(log.args[4], 3);
    /* The clock was at each event's time while its handler ran. */
    assert_int_equal(log.times[0], 0);
    assert_int_equal(log.times[1], 100);
    assert_int_equal(log.times[2], 200);
    assert_int_equal(log.times[3], 200);
    assert_int_equal(log.times[4], 300);
    assert_int_equal(e.events, 5);
    assert_int_equal(e.now, 1000);
    ss_engine_free(&e);
}

static void test_after_is_relative_to_now(void **state)
{
    struct ss_engine e;
    struct log log;
    (void)state;
    setup(&e, &log);
    /* Before the run, now is 0: after(50) lands at 50. */
    ss_engine_after(&e, 50, chain, 3);
    assert_int_equal(ss_engine_run(&e, 1000), 0);
    assert_int_equal(log.n, 4);
    assert_int_equal(log.times[0], 50);
    assert_int_equal(log.times[1], 60);
    assert_int_equal(log.times[2], 70);
    assert_int_equal(log.times[3], 80);
    assert_int_equal(log.args[3], 0);
    /* After a run the clock is at 1000, so after(5) means 1005. */
    ss_engine_after(&e, 5, record, 99);
    assert_int_equal(peeked(&e.queue).time, 1005);
    assert_int_equal(ss_engine_run(&e, 2000), 0);
    assert_int_equal(log.n, 5);
    assert_int_equal(log.times[4], 1005);
    assert_int_equal(e.now, 2000);
    ss_engine_free(&e);
}

static void test_after_saturates(void **state)
{
    struct ss_engine e;
    struct log log;
    (void)state;
    setup(&e, &log);
    assert_int_equal(ss_engine_run(&e, 1000), 0);
    /* A delay that would overflow the clock lands at the end of time. */
    ss_engine_after(&e, SS_TIME_MAX, record, 1);
    assert_int_equal(peeked(&e.queue).time, SS_TIME_MAX);
    assert_int_equal(ss_engine_run(&e, SS_DAY), 0);
    assert_int_equal(log.n, 0);
    ss_engine_free(&e);
}

static void test_run_until_is_inclusive(void **state)
{
    struct ss_engine e;
    struct log log;
    (void)state;
    setup(&e, &log);
    ss_engine_at(&e, 999, record, 1);
    ss_engine_at(&e, 1000, record, 2);
    ss_engine_at(&e, 1001, record, 3);
    ss_engine_at(&e, 5000, record, 4);
    assert_int_equal(ss_engine_run(&e, 1000), 0);
    /* The event at exactly `until` ran; the later ones wait. */
    assert_int_equal(log.n, 2);
    assert_int_equal(log.args[0], 1);
    assert_int_equal(log.args[1], 2);
    assert_int_equal(e.now, 1000);
    assert_int_equal(e.events, 2);
    assert_int_equal(e.queue.len, 2);
    assert_int_equal(peeked(&e.queue).time, 1001);
    /* The run can go on from there. */
    assert_int_equal(ss_engine_run(&e, 4999), 0);
    assert_int_equal(log.n, 3);
    assert_int_equal(log.args[2], 3);
    assert_int_equal(e.now, 4999);
    assert_int_equal(ss_engine_run(&e, 6000), 0);
    assert_int_equal(log.n, 4);
    assert_int_equal(log.times[3], 5000);
    assert_int_equal(e.now, 6000);
    assert_int_equal(e.events, 4);
    assert_int_equal(e.queue.len, 0);
    ss_engine_free(&e);
}

/* A handler at `until` that schedules more work at the same instant: that
 * work is at `until` too, so it runs in this call. */
static void test_run_until_includes_same_instant_followups(void **state)
{
    struct ss_engine e;
    struct log log;
    (void)state;
    setup(&e, &log);
    ss_engine_at(&e, 700, same_instant, 1);
    assert_int_equal(ss_engine_run(&e, 700), 0);
    assert_int_equal(log.n, 2);
    assert_int_equal(log.args[1], 2);
    assert_int_equal(log.times[1], 700);
    assert_int_equal(e.now, 700);
    assert_int_equal(e.queue.len, 0);
    ss_engine_free(&e);
}

static void test_chain_stops_at_until(void **state)
{
    struct ss_engine e;
    struct log log;
    (void)state;
    setup(&e, &log);
    /* Events at 0, 10, 20, ... 400; run to 35: 0, 10, 20, 30 run. */
    ss_engine_at(&e, 0, chain, 40);
    assert_int_equal(ss_engine_run(&e, 35), 0);
    assert_int_equal(log.n, 4);
    assert_int_equal(log.times[3], 30);
    assert_int_equal(e.now, 35);
    assert_int_equal(e.queue.len, 1);
    assert_int_equal(peeked(&e.queue).time, 40);
    ss_engine_free(&e);
}

static void test_stop(void **state)
{
    struct ss_engine e;
    struct log log;
    (void)state;
    setup(&e, &log);
    log.stop_at_arg = 2;
    ss_engine_at(&e, 100, record_and_stop, 1);
    ss_engine_at(&e, 200, record_and_stop, 2);
    ss_engine_at(&e, 200, record_and_stop, 3); /* same instant, but after the stop */
    ss_engine_at(&e, 300, record_and_stop, 4);
    assert_int_equal(ss_engine_run(&e, 1000), 0);
    /* The loop returned right after the handler that stopped it. */
    assert_int_equal(log.n, 2);
    assert_int_equal(log.args[1], 2);
    assert_true(e.stopped);
    assert_int_equal(e.error, 0);
    /* The clock stays where the stop happened, not at `until`. */
    assert_int_equal(e.now, 200);
    assert_int_equal(e.events, 2);
    assert_int_equal(e.queue.len, 2);
    ss_engine_free(&e);
}

static void test_stop_with_error_is_returned_and_sticky(void **state)
{
    struct ss_engine e;
    struct log log;
    (void)state;
    setup(&e, &log);
    log.stop_at_arg = 1;
    log.stop_error = SS_ENGINE_ENOMEM;
    ss_engine_at(&e, 10, record_and_stop, 1);
    ss_engine_at(&e, 20, record_and_stop, 2);
    assert_int_equal(ss_engine_run(&e, 1000), SS_ENGINE_ENOMEM);
    assert_int_equal(log.n, 1);
    assert_int_equal(e.now, 10);
    /* A later normal stop does not clear the first error. */
    ss_engine_stop(&e, 0);
    assert_int_equal(e.error, SS_ENGINE_ENOMEM);
    ss_engine_stop(&e, 7);
    assert_int_equal(e.error, SS_ENGINE_ENOMEM);
    /* A stopped engine handles nothing more. */
    assert_int_equal(ss_engine_run(&e, 1000), SS_ENGINE_ENOMEM);
    assert_int_equal(log.n, 1);
    ss_engine_free(&e);
}

static void count(void *ctx, uint64_t arg)
{
    uint64_t *counter = ctx;
    (void)arg;
    (*counter)++;
}

static void test_events_counter(void **state)
{
    struct ss_engine e;
    uint64_t handled = 0, i;
    (void)state;
    ss_engine_init(&e, &handled);
    for (i = 0; i < 1000; i++)
        ss_engine_at(&e, (ss_time)(i % 10), count, i);
    /* Times 0..4 hold 500 events. */
    assert_int_equal(ss_engine_run(&e, 4), 0);
    assert_int_equal(handled, 500);
    assert_int_equal(e.events, 500);
    assert_int_equal(ss_engine_run(&e, 100), 0);
    assert_int_equal(handled, 1000);
    assert_int_equal(e.events, 1000);
    ss_engine_free(&e);
}

/* Handlers that schedule at their own instant: what they schedule runs after
 * everything already waiting at that instant, in the order scheduled. */
static void fan_out(void *ctx, uint64_t arg)
{
    struct log *log = ctx;
    record(ctx, arg);
    if (arg == 1) {
        ss_engine_after(log->engine, 0, record, 3);
        ss_engine_at(log->engine, log->engine->now, fan_out, 4);
    } else if (arg == 4) {
        ss_engine_after(log->engine, 0, record, 5);
    }
}

static void test_same_instant_fifo(void **state)
{
    static const uint64_t want[] = {1, 2, 3, 4, 5, 6};
    struct ss_engine e;
    struct log log;
    size_t i;
    (void)state;
    setup(&e, &log);
    ss_engine_at(&e, 100, fan_out, 1);
    ss_engine_at(&e, 100, fan_out, 2);
    ss_engine_at(&e, 101, record, 6);
    assert_int_equal(ss_engine_run(&e, 1000), 0);
    assert_int_equal(log.n, 6);
    for (i = 0; i < 6; i++)
        assert_int_equal(log.args[i], want[i]);
    for (i = 0; i < 5; i++)
        assert_int_equal(log.times[i], 100);
    ss_engine_free(&e);
}

/* A run that stops short of the next event leaves it where it was: an event
 * scheduled from the stopping point, before that one, runs first. With few
 * events pending (the queue's small queue) and with many (its buckets). */
static void between_until_and_next(size_t far)
{
    struct ss_engine e;
    struct log log;
    size_t i;
    setup(&e, &log);
    for (i = 0; i < far; i++)
        ss_engine_at(&e, (ss_time)1000000000000 + (ss_time)i, record, 100 + i);
    ss_engine_at(&e, 10, record, 1);
    ss_engine_at(&e, 1000, record, 2);
    assert_int_equal(ss_engine_run(&e, 500), 0);
    assert_int_equal(e.now, 500);
    ss_engine_after(&e, 100, record, 3); /* at 600, before the one at 1000 */
    ss_engine_at(&e, 500, record, 4);    /* at the clock itself */
    assert_int_equal(ss_engine_run(&e, 2000), 0);
    assert_int_equal(log.n, 4);
    assert_int_equal(log.args[1], 4);
    assert_int_equal(log.times[1], 500);
    assert_int_equal(log.args[2], 3);
    assert_int_equal(log.times[2], 600);
    assert_int_equal(log.args[3], 2);
    assert_int_equal(log.times[3], 1000);
    assert_int_equal(e.queue.len, far);
    ss_engine_free(&e);
}

static void test_schedule_between_until_and_next(void **state)
{
    (void)state;
    between_until_and_next(0);
    between_until_and_next(4 * SS_EVENTQ_SMALL);
}

/* Out of memory while scheduling: the engine stops at once with
 * SS_ENGINE_ENOMEM, and stays stopped. */
static void flood(void *ctx, uint64_t arg)
{
    struct log *log = ctx;
    uint64_t i;
    record(ctx, arg);
    for (i = 0; i < 100000 && !log->engine->stopped; i++)
        ss_engine_after(log->engine, (ss_time)(1 + i % 977), record, 1000 + i);
}

static void test_out_of_memory_stops_the_run(void **state)
{
    struct ss_engine e;
    struct log log;
    size_t pending;
    (void)state;
    setup(&e, &log);
    e.queue.max_chunks = SS_EVENTQ_BUCKETS + 10;
    ss_engine_at(&e, 5, flood, 1);
    ss_engine_at(&e, 6, record, 2);
    assert_int_equal(ss_engine_run(&e, 1000000), SS_ENGINE_ENOMEM);
    assert_true(e.stopped);
    assert_int_equal(e.error, SS_ENGINE_ENOMEM);
    /* The flood's handler ran; nothing after it did. */
    assert_int_equal(log.n, 1);
    assert_int_equal(e.now, 5);
    pending = e.queue.len;
    assert_true(pending > 100 && pending < 100000);
    assert_int_equal(ss_engine_run(&e, 1000000), SS_ENGINE_ENOMEM);
    assert_int_equal(log.n, 1);
    assert_int_equal(e.queue.len, pending);
    ss_engine_free(&e);
}

/*
 * The engine against a reference loop, on a workload that keeps tens of
 * thousands of events pending: every event, when it runs, schedules 0 to 3
 * more, at delays drawn from its own id (0 often, so that many events share
 * an instant), until a budget of events is spent. The reference is a plain
 * binary heap on (time, sequence number); the two must run the same events
 * at the same times in the same order. Run twice, the engine must repeat
 * itself exactly.
 */
#define WORK_BUDGET 400000

struct work {
    struct ss_engine *engine;
    uint64_t next_id;       /* ids handed out so far */
    uint64_t *ran_id;       /* the order events ran in ... */
    ss_time *ran_time;      /* ... and when */
    size_t ran;
    size_t max_pending;     /* most events in the queue at once */
};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x *= UINT64_C(0xc4ceb9fe1a85ec53);
    return x ^ (x >> 33);
}

/* What event `id` schedules: its k-th child's delay, and how many. */
static int children(uint64_t id)
{
    return id < 20000 ? 2 : (int)(mix(id) % 3); /* grow, then wander */
}

static ss_time child_delay(uint64_t id, int k)
{
    uint64_t h = mix(id * 4 + (uint64_t)k + 1);
    switch (h % 4) {
    case 0: return 0;                                 /* the same instant */
    case 1: return (ss_time)((h >> 8) % 1000);        /* a few microseconds on */
    default: return (ss_time)((h >> 8) % 2000000);    /* up to 2 s */
    }
}

static void work_event(void *ctx, uint64_t id)
{
    struct work *w = ctx;
    int k, n = children(id);
    w->ran_id[w->ran] = id;
    w->ran_time[w->ran] = w->engine->now;
    w->ran++;
    if (w->engine->queue.len > w->max_pending)
        w->max_pending = w->engine->queue.len;
    for (k = 0; k < n && w->next_id < WORK_BUDGET; k++)
        ss_engine_after(w->engine, child_delay(id, k), work_event, w->next_id++);
}

static void run_work(struct work *w)
{
    struct ss_engine e;
    uint64_t i;
    w->engine = &e;
    w->next_id = 0;
    w->ran = 0;
    w->max_pending = 0;
    ss_engine_init(&e, w);
    for (i = 0; i < 100; i++)
        ss_engine_at(&e, (ss_time)(i % 7), work_event, w->next_id++);
    assert_int_equal(ss_engine_run(&e, SS_TIME_MAX - 1), 0);
    assert_int_equal(w->ran, w->next_id);
    assert_int_equal(e.events, w->ran);
    ss_engine_free(&e);
}

struct ref_entry {
    ss_time time;
    uint64_t seq;
    uint64_t id;
};

static bool ref_before(const struct ref_entry *a, const struct ref_entry *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void ref_run(uint64_t *ran_id, ss_time *ran_time, size_t *ran)
{
    struct ref_entry *h = malloc(WORK_BUDGET * sizeof *h);
    size_t n = 0;
    uint64_t seq = 0, next_id = 0, i;
    assert_non_null(h);
    *ran = 0;
#define REF_PUSH(t, ident)                                                  \
    do {                                                                    \
        struct ref_entry x_;                                                \
        size_t j_ = n++;                                                    \
        x_.time = (t);                                                      \
        x_.seq = seq++;                                                     \
        x_.id = (ident);                                                    \
        while (j_ > 0 && ref_before(&x_, &h[(j_ - 1) / 2])) {               \
            h[j_] = h[(j_ - 1) / 2];                                        \
            j_ = (j_ - 1) / 2;                                              \
        }                                                                   \
        h[j_] = x_;                                                         \
    } while (0)
    for (i = 0; i < 100; i++)
        REF_PUSH((ss_time)(i % 7), next_id++);
    while (n > 0) {
        struct ref_entry top = h[0], last = h[--n];
        size_t j = 0;
        int k, m;
        for (;;) {
            size_t c = 2 * j + 1;
            if (c >= n)
                break;
            if (c + 1 < n && ref_before(&h[c + 1], &h[c]))
                c++;
            if (!ref_before(&h[c], &last))
                break;
            h[j] = h[c];
            j = c;
        }
        h[j] = last;
        ran_id[*ran] = top.id;
        ran_time[*ran] = top.time;
        (*ran)++;
        m = children(top.id);
        for (k = 0; k < m && next_id < WORK_BUDGET; k++)
            REF_PUSH(top.time + child_delay(top.id, k), next_id++);
    }
#undef REF_PUSH
    free(h);
}

static void test_against_reference_loop(void **state)
{
    struct work w;
    uint64_t *ref_id = malloc(WORK_BUDGET * sizeof *ref_id);
    ss_time *ref_time = malloc(WORK_BUDGET * sizeof *ref_time);
    uint64_t *first_id = malloc(WORK_BUDGET * sizeof *first_id);
    size_t ref_n, i;
    (void)state;
    w.ran_id = malloc(WORK_BUDGET * sizeof *w.ran_id);
    w.ran_time = malloc(WORK_BUDGET * sizeof *w.ran_time);
    assert_true(ref_id && ref_time && first_id && w.ran_id && w.ran_time);
    ref_run(ref_id, ref_time, &ref_n);
    assert_int_equal(ref_n, WORK_BUDGET);
    run_work(&w);
    assert_int_equal(w.ran, ref_n);
    assert_true(w.max_pending > 10000);
    for (i = 0; i < ref_n; i++)
        if (w.ran_id[i] != ref_id[i] || w.ran_time[i] != ref_time[i])
            fail_msg("event %zu: the engine ran %llu at %lld, the reference %llu at %lld", i,
                     (unsigned long long)w.ran_id[i], (long long)w.ran_time[i],
                     (unsigned long long)ref_id[i], (long long)ref_time[i]);
    /* Deterministic: a second run repeats the first exactly. */
    memcpy(first_id, w.ran_id, ref_n * sizeof *first_id);
    run_work(&w);
    assert_memory_equal(first_id, w.ran_id, ref_n * sizeof *first_id);
    free(ref_id);
    free(ref_time);
    free(first_id);
    free(w.ran_id);
    free(w.ran_time);
}

/* ---- the alarm: a deadline between events, not an event ----------------- */

/* An event that moves the alarm on to 10 µs from now, as an OWA failure
 * moves the watch for OWA answering again. */
static void push_alarm(void *ctx, uint64_t arg)
{
    struct log *log = ctx;
    record(ctx, arg);
    ss_engine_alarm(log->engine, log->engine->now + 10, record, 100 + arg);
}

/* An alarm that sets itself again, 5 µs later, twice. */
static void alarm_again(void *ctx, uint64_t arg)
{
    struct log *log = ctx;
    record(ctx, arg);
    if (arg < 202)
        ss_engine_alarm(log->engine, log->engine->now + 5, alarm_again, arg + 1);
}

static void test_alarm_between_events(void **state)
{
    struct ss_engine e;
    struct log log;
    (void)state;
    setup(&e, &log);
    ss_engine_at(&e, 10, record, 1);
    ss_engine_at(&e, 20, record, 2);
    ss_engine_at(&e, 21, record, 3);
    ss_engine_alarm(&e, 20, record, 99);
    ss_engine_at(&e, 20, record, 4); /* at the alarm's time: before it */
    assert_int_equal(ss_engine_run(&e, 100), 0);
    assert_int_equal(log.n, 5);
    assert_int_equal(log.args[0], 1);
    assert_int_equal(log.args[1], 2);
    assert_int_equal(log.args[2], 4);
    assert_int_equal(log.args[3], 99);
    assert_int_equal(log.times[3], 20);
    assert_int_equal(log.args[4], 3);
    assert_int_equal(e.events, 4); /* the alarm is not an event */
    assert_int_equal(e.alarm, SS_TIME_MAX); /* it fired once */
    assert_int_equal(e.now, 100);
    ss_engine_free(&e);
}

static void test_alarm_moved_by_events(void **state)
{
    struct ss_engine e;
    struct log log;
    (void)state;
    setup(&e, &log);
    /* Events at 0, 5, 12: each moves the alarm to 10 µs later; only the last
     * one's, at 22, fires, before the event at 30. */
    ss_engine_at(&e, 0, push_alarm, 1);
    ss_engine_at(&e, 5, push_alarm, 2);
    ss_engine_at(&e, 12, push_alarm, 3);
    ss_engine_at(&e, 30, record, 4);
    assert_int_equal(ss_engine_run(&e, 100), 0);
    assert_int_equal(log.n, 5);
    assert_int_equal(log.args[3], 103);
    assert_int_equal(log.times[3], 22);
    assert_int_equal(log.args[4], 4);
    ss_engine_free(&e);
}

static void test_alarm_past_until_waits(void **state)
{
    struct ss_engine e;
    struct log log;
    (void)state;
    setup(&e, &log);
    ss_engine_at(&e, 0, push_alarm, 1); /* alarm at 10 */
    assert_int_equal(ss_engine_run(&e, 9), 0);
    assert_int_equal(log.n, 1);
    assert_int_equal(e.now, 9);
    assert_int_equal(ss_engine_run(&e, 10), 0); /* inclusive, as for events */
    assert_int_equal(log.n, 2);
    assert_int_equal(log.times[1], 10);
    /* Taken away, it never fires. */
    ss_engine_alarm(&e, 15, record, 7);
    ss_engine_alarm(&e, SS_TIME_MAX, NULL, 0);
    assert_int_equal(ss_engine_run(&e, 1000), 0);
    assert_int_equal(log.n, 2);
    /* Set again from its own handler, it fires again. */
    ss_engine_alarm(&e, 1005, alarm_again, 200);
    assert_int_equal(ss_engine_run(&e, 2000), 0);
    assert_int_equal(log.n, 5);
    assert_int_equal(log.times[2], 1005);
    assert_int_equal(log.times[3], 1010);
    assert_int_equal(log.times[4], 1015);
    assert_int_equal(e.events, 1);
    ss_engine_free(&e);
}

/* ---- pauses: a long stretch returns every so many events ---------------- */

static void test_pause_every(void **state)
{
    struct ss_engine e, plain;
    struct log log, plain_log;
    int pauses = 0, status;
    (void)state;
    setup(&plain, &plain_log);
    ss_engine_at(&plain, 0, chain, 40);
    assert_int_equal(ss_engine_run(&plain, 1000), 0);
    setup(&e, &log);
    ss_engine_at(&e, 0, chain, 40);
    e.pause_every = 7;
    while ((status = ss_engine_run(&e, 1000)) == SS_ENGINE_PAUSED) {
        pauses++;
        assert_int_equal(e.events, (uint64_t)pauses * 7);
        assert_int_equal(e.now, log.times[log.n - 1]); /* at the last event */
    }
    assert_int_equal(status, 0);
    assert_int_equal(pauses, 41 / 7);
    assert_int_equal(e.now, 1000);
    /* The same run as without pauses. */
    assert_int_equal(log.n, plain_log.n);
    assert_memory_equal(log.args, plain_log.args, log.n * sizeof log.args[0]);
    assert_memory_equal(log.times, plain_log.times, log.n * sizeof log.times[0]);
    ss_engine_free(&e);
    ss_engine_free(&plain);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_handlers_run_in_order),
        cmocka_unit_test(test_after_is_relative_to_now),
        cmocka_unit_test(test_after_saturates),
        cmocka_unit_test(test_run_until_is_inclusive),
        cmocka_unit_test(test_run_until_includes_same_instant_followups),
        cmocka_unit_test(test_chain_stops_at_until),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_stop_with_error_is_returned_and_sticky),
        cmocka_unit_test(test_events_counter),
        cmocka_unit_test(test_same_instant_fifo),
        cmocka_unit_test(test_schedule_between_until_and_next),
        cmocka_unit_test(test_out_of_memory_stops_the_run),
        cmocka_unit_test(test_against_reference_loop),
        cmocka_unit_test(test_alarm_between_events),
        cmocka_unit_test(test_alarm_moved_by_events),
        cmocka_unit_test(test_alarm_past_until_waits),
        cmocka_unit_test(test_pause_every),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
