/* test_eventq.c: the future event list orders on (time, scheduling order). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/eventq.h"

static void handler_a(void *ctx, uint64_t arg)
{
    (void)ctx;
    (void)arg;
}

static void handler_b(void *ctx, uint64_t arg)
{
    (void)ctx;
    (void)arg;
}

static void test_empty(void **state)
{
    struct ss_eventq q;
    struct ss_event ev;
    (void)state;
    ss_eventq_init(&q);
    assert_int_equal(q.len, 0);
    assert_null(ss_eventq_peek(&q));
    memset(&ev, 0x5a, sizeof ev);
    assert_false(ss_eventq_pop(&q, &ev));
    ss_eventq_free(&q);
    /* Free is safe on a queue that never allocated, and twice. */
    ss_eventq_free(&q);
    assert_null(q.heap);
    assert_int_equal(q.len, 0);
}

static void test_orders_by_time(void **state)
{
    static const ss_time times[] = {50, 10, 40, 0, 30, 20, 70, 60};
    struct ss_eventq q;
    struct ss_event ev;
    size_t i;
    (void)state;
    ss_eventq_init(&q);
    for (i = 0; i < sizeof times / sizeof times[0]; i++)
        assert_int_equal(ss_eventq_push(&q, times[i], handler_a, 100 + i), 0);
    assert_int_equal(q.len, 8);
    for (i = 0; i < 8; i++) {
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.time, (ss_time)(i * 10));
    }
    assert_false(ss_eventq_pop(&q, &ev));
    ss_eventq_free(&q);
}

static void test_event_carries_its_payload(void **state)
{
    struct ss_eventq q;
    struct ss_event ev;
    (void)state;
    ss_eventq_init(&q);
    assert_int_equal(ss_eventq_push(&q, 7, handler_b, UINT64_MAX), 0);
    assert_int_equal(ss_eventq_push(&q, 3, handler_a, 12345), 0);
    assert_true(ss_eventq_pop(&q, &ev));
    assert_int_equal(ev.time, 3);
    assert_ptr_equal(ev.fn, handler_a);
    assert_int_equal(ev.arg, 12345);
    assert_int_equal(ev.seq, 1);
    assert_true(ss_eventq_pop(&q, &ev));
    assert_int_equal(ev.time, 7);
    assert_ptr_equal(ev.fn, handler_b);
    assert_true(ev.arg == UINT64_MAX);
    assert_int_equal(ev.seq, 0);
    ss_eventq_free(&q);
}

/* SPEC section 1: events at the same instant run in the order scheduled. */
static void test_equal_times_fifo(void **state)
{
    enum { N = 5000 };
    struct ss_eventq q;
    struct ss_event ev;
    uint64_t i;
    (void)state;
    ss_eventq_init(&q);
    for (i = 0; i < N; i++)
        assert_int_equal(ss_eventq_push(&q, 1000, handler_a, i), 0);
    for (i = 0; i < N; i++) {
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.time, 1000);
        if (ev.arg != i)
            fail_msg("pop %llu returned the event pushed as %llu", (unsigned long long)i,
                     (unsigned long long)ev.arg);
    }
    assert_false(ss_eventq_pop(&q, &ev));
    ss_eventq_free(&q);
}

/* Equal times mixed with others: within each time, push order is kept. */
static void test_equal_times_fifo_interleaved(void **state)
{
    enum { N = 3000, TIMES = 7 };
    struct ss_eventq q;
    struct ss_event ev;
    uint64_t i, last_arg[TIMES];
    ss_time last_time = -1;
    (void)state;
    ss_eventq_init(&q);
    for (i = 0; i < N; i++) {
        /* A scrambled but repeating time per push. */
        ss_time t = (ss_time)((i * 5) % TIMES);
        assert_int_equal(ss_eventq_push(&q, t, handler_a, i), 0);
    }
    for (i = 0; i < TIMES; i++)
        last_arg[i] = 0;
    for (i = 0; i < N; i++) {
        assert_true(ss_eventq_pop(&q, &ev));
        assert_true(ev.time >= last_time);
        if (ev.time != last_time) {
            last_time = ev.time;
        } else {
            assert_true(ev.arg > last_arg[ev.time]);
        }
        last_arg[ev.time] = ev.arg;
        assert_int_equal((ss_time)((ev.arg * 5) % TIMES), ev.time);
    }
    ss_eventq_free(&q);
}

static void test_peek(void **state)
{
    struct ss_eventq q;
    struct ss_event ev;
    const struct ss_event *top;
    (void)state;
    ss_eventq_init(&q);
    assert_int_equal(ss_eventq_push(&q, 20, handler_a, 1), 0);
    assert_int_equal(ss_eventq_push(&q, 10, handler_b, 2), 0);
    assert_int_equal(ss_eventq_push(&q, 10, handler_a, 3), 0);
    top = ss_eventq_peek(&q);
    assert_non_null(top);
    assert_int_equal(top->time, 10);
    assert_int_equal(top->arg, 2);
    assert_ptr_equal(top->fn, handler_b);
    /* Peeking removes nothing. */
    assert_int_equal(q.len, 3);
    top = ss_eventq_peek(&q);
    assert_int_equal(top->arg, 2);
    assert_true(ss_eventq_pop(&q, &ev));
    assert_int_equal(ev.arg, 2);
    assert_int_equal(ss_eventq_peek(&q)->arg, 3);
    assert_true(ss_eventq_pop(&q, &ev));
    assert_int_equal(ss_eventq_peek(&q)->arg, 1);
    assert_true(ss_eventq_pop(&q, &ev));
    assert_null(ss_eventq_peek(&q));
    ss_eventq_free(&q);
}

static void test_growth(void **state)
{
    enum { N = 100000 };
    struct ss_eventq q;
    struct ss_event ev;
    size_t i, cap_after_fill, last_cap = 0, growths = 0;
    (void)state;
    ss_eventq_init(&q);
    assert_int_equal(q.cap, 0);
    /* Descending times: every push sifts all the way to the root. */
    for (i = 0; i < N; i++) {
        assert_int_equal(ss_eventq_push(&q, (ss_time)(N - i), handler_a, i), 0);
        assert_true(q.cap >= q.len);
        if (q.cap != last_cap) {
            growths++;
            last_cap = q.cap;
        }
    }
    /* The array grows geometrically, not by a slot per event: from 256 to
     * 100000 is 9 doublings. */
    assert_true(growths <= 10);
    assert_int_equal(q.len, N);
    cap_after_fill = q.cap;
    for (i = 0; i < N; i++) {
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.time, (ss_time)(i + 1));
        assert_int_equal(ev.arg, N - 1 - i);
    }
    assert_false(ss_eventq_pop(&q, &ev));
    /* Refilling reuses the array: no further growth. */
    for (i = 0; i < N; i++)
        assert_int_equal(ss_eventq_push(&q, (ss_time)i, handler_a, i), 0);
    assert_int_equal(q.cap, cap_after_fill);
    ss_eventq_free(&q);
    assert_null(q.heap);
    assert_int_equal(q.cap, 0);
}

/* The reference: an unsorted array, searched for the least (time, seq). */
struct ref_event {
    ss_time time;
    uint64_t seq;
    uint64_t arg;
};

static uint64_t rnd_state = 0x9e3779b97f4a7c15u;

static uint64_t rnd(void)
{
    /* xorshift64*: test data only. */
    rnd_state ^= rnd_state >> 12;
    rnd_state ^= rnd_state << 25;
    rnd_state ^= rnd_state >> 27;
    return rnd_state * 2685821657736338717u;
}

static void test_against_reference_model(void **state)
{
    enum { OPS = 20000, MAX = OPS };
    struct ref_event *ref = malloc(MAX * sizeof *ref);
    struct ss_eventq q;
    struct ss_event ev;
    size_t n = 0, i, pushes = 0, pops = 0, empty_pops = 0;
    uint64_t seq = 0;
    ss_time now = 0;
    (void)state;
    assert_non_null(ref);
    ss_eventq_init(&q);
    for (i = 0; i < OPS; i++) {
        /* Phases that mostly push and phases that mostly pop, so the heap
         * grows and shrinks through several sizes. */
        unsigned push_bias = (i / 2000) % 2 ? 30 : 70;
        if (rnd() % 100 < push_bias) {
            /* Small time range, so equal times are common; never before now,
             * as in the engine. */
            ss_time t = now + (ss_time)(rnd() % 16);
            uint64_t arg = rnd();
            assert_int_equal(ss_eventq_push(&q, t, handler_a, arg), 0);
            ref[n].time = t;
            ref[n].seq = seq++;
            ref[n].arg = arg;
            n++;
            pushes++;
        } else if (n == 0) {
            assert_false(ss_eventq_pop(&q, &ev));
            assert_null(ss_eventq_peek(&q));
            empty_pops++;
        } else {
            size_t best = 0, j;
            const struct ss_event *top = ss_eventq_peek(&q);
            for (j = 1; j < n; j++)
                if (ref[j].time < ref[best].time ||
                    (ref[j].time == ref[best].time && ref[j].seq < ref[best].seq))
                    best = j;
            assert_non_null(top);
            assert_int_equal(top->time, ref[best].time);
            assert_true(ss_eventq_pop(&q, &ev));
            if (ev.time != ref[best].time || ev.seq != ref[best].seq ||
                ev.arg != ref[best].arg)
                fail_msg("op %zu: popped (%lld, seq %llu), reference says (%lld, seq %llu)", i,
                         (long long)ev.time, (unsigned long long)ev.seq,
                         (long long)ref[best].time, (unsigned long long)ref[best].seq);
            now = ev.time;
            ref[best] = ref[--n];
            pops++;
        }
        assert_int_equal(q.len, n);
    }
    /* Drain. */
    while (n > 0) {
        size_t best = 0, j;
        for (j = 1; j < n; j++)
            if (ref[j].time < ref[best].time ||
                (ref[j].time == ref[best].time && ref[j].seq < ref[best].seq))
                best = j;
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.seq, ref[best].seq);
        ref[best] = ref[--n];
    }
    assert_false(ss_eventq_pop(&q, &ev));
    /* The model really was exercised both ways. */
    assert_true(pushes > 5000);
    assert_true(pops > 5000);
    assert_true(empty_pops > 0);
    ss_eventq_free(&q);
    free(ref);
}

/* replace_top gives exactly the order of a pop followed by a push. */
static void test_replace_top_matches_pop_then_push(void **state)
{
    struct ss_eventq a, b;
    struct ss_event ea, eb;
    uint64_t x = 12345;
    int i;
    (void)state;
    ss_eventq_init(&a);
    ss_eventq_init(&b);
    for (i = 0; i < 300; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        assert_int_equal(ss_eventq_push(&a, (ss_time)(x >> 58), handler_a, (uint64_t)i), 0);
        assert_int_equal(ss_eventq_push(&b, (ss_time)(x >> 58), handler_a, (uint64_t)i), 0);
    }
    for (i = 0; i < 5000; i++) {
        ss_time now = ss_eventq_peek(&a)->time;
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        ss_eventq_replace_top(&a, now + (ss_time)(x >> 60), handler_b, 1000u + (uint64_t)i);
        assert_true(ss_eventq_pop(&b, &eb));
        assert_int_equal(ss_eventq_push(&b, now + (ss_time)(x >> 60), handler_b, 1000u + (uint64_t)i), 0);
        assert_int_equal(ss_eventq_peek(&a)->time, ss_eventq_peek(&b)->time);
        assert_int_equal(ss_eventq_peek(&a)->arg, ss_eventq_peek(&b)->arg);
    }
    while (ss_eventq_pop(&a, &ea)) {
        assert_true(ss_eventq_pop(&b, &eb));
        assert_int_equal(ea.time, eb.time);
        assert_int_equal(ea.arg, eb.arg);
        assert_int_equal(ea.seq, eb.seq);
    }
    assert_false(ss_eventq_pop(&b, &eb));
    ss_eventq_free(&a);
    ss_eventq_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_orders_by_time),
        cmocka_unit_test(test_event_carries_its_payload),
        cmocka_unit_test(test_equal_times_fifo),
        cmocka_unit_test(test_equal_times_fifo_interleaved),
        cmocka_unit_test(test_peek),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_against_reference_model),
        cmocka_unit_test(test_replace_top_matches_pop_then_push),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
