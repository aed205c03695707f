/* test_engine.c: the event loop runs handlers in time order, up to a limit. */
#include "testutil.h"

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
    assert_non_null(ss_eventq_peek(&e.queue));
    assert_int_equal(ss_eventq_peek(&e.queue)->time, 1005);
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
    assert_int_equal(ss_eventq_peek(&e.queue)->time, SS_TIME_MAX);
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
    assert_int_equal(ss_eventq_peek(&e.queue)->time, 1001);
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
    assert_int_equal(ss_eventq_peek(&e.queue)->time, 40);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
