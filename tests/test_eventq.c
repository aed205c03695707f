/*
 * test_eventq.c: the future event list orders on (time, scheduling order).
 *
 * The queue is a radix heap with no sequence numbers: FIFO among equal times
 * rests on its buckets keeping their order (eventq.h). Every test below
 * checks order and ties against an independent reference: a search of an
 * unsorted array, a sort by (time, push order), or a plain binary heap on
 * (time, sequence number) written here.
 *
 * Under valgrind (STORESIM_SLOW_TOOLS=1) the two largest tests use a tenth
 * of their events.
 */
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

static uint64_t rnd_state = 0x9e3779b97f4a7c15u;

static uint64_t rnd(void)
{
    /* xorshift64*: test data only. */
    rnd_state ^= rnd_state >> 12;
    rnd_state ^= rnd_state << 25;
    rnd_state ^= rnd_state >> 27;
    return rnd_state * 2685821657736338717u;
}

/* The earliest event, which there must be. */
static struct ss_event peeked(const struct ss_eventq *q)
{
    struct ss_event ev;
    assert_true(ss_eventq_peek(q, &ev));
    return ev;
}

static size_t scaled(size_t n)
{
    return getenv("STORESIM_SLOW_TOOLS") ? n / 10 : n;
}

static void test_empty(void **state)
{
    struct ss_eventq q;
    struct ss_event ev;
    ss_time t;
    (void)state;
    ss_eventq_init(&q);
    assert_int_equal(q.len, 0);
    assert_int_equal(ss_eventq_capacity(&q), SS_EVENTQ_SMALL);
    assert_false(ss_eventq_peek(&q, &ev));
    assert_false(ss_eventq_next_time(&q, &t));
    memset(&ev, 0x5a, sizeof ev);
    assert_false(ss_eventq_pop(&q, &ev));
    assert_false(ss_eventq_pop_until(&q, SS_TIME_MAX, &ev));
    /* Nothing was allocated by looking. */
    assert_int_equal(ss_eventq_capacity(&q), SS_EVENTQ_SMALL);
    assert_null(q.blocks);
    ss_eventq_free(&q);
    /* Free is safe on a queue that never allocated, and twice. */
    ss_eventq_free(&q);
    assert_null(q.blocks);
    assert_int_equal(q.len, 0);
}

/* The event is three words: the sequence number of the old heap is gone. */
static void test_event_is_small(void **state)
{
    (void)state;
    assert_true(sizeof(struct ss_event) <= 3 * 8);
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
    assert_true(ss_eventq_pop(&q, &ev));
    assert_int_equal(ev.time, 7);
    assert_ptr_equal(ev.fn, handler_b);
    assert_true(ev.arg == UINT64_MAX);
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
    /* All in one high bucket at first, redistributed on the first pop. */
    for (i = 0; i < N; i++)
        assert_int_equal(ss_eventq_push(&q, 1000, handler_a, i), 0);
    for (i = 0; i < N; i++) {
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.time, 1000);
        if (ev.arg != i)
            fail_msg("pop %llu returned the event pushed as %llu", (unsigned long long)i,
                     (unsigned long long)ev.arg);
        /* Pushes at the current time go behind those already waiting at it. */
        if (i % 3 == 0 && i < N / 2)
            assert_int_equal(ss_eventq_push(&q, 1000, handler_b, N + i), 0);
    }
    for (i = 0; i < N / 2; i += 3) {
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.arg, N + i);
        assert_ptr_equal(ev.fn, handler_b);
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

/*
 * Most tests below run twice: with the queue holding only their own few
 * events (in its small queue) and with FAR more events scheduled far in the
 * future first (FAR > SS_EVENTQ_SMALL: in the buckets). far_fill schedules
 * them; far_drain takes them at the end, in order.
 */
enum { FAR = 3 * SS_EVENTQ_SMALL };
#define FAR_TIME ((ss_time)1 << 50)
#define FAR_ARG 777000

static void far_fill(struct ss_eventq *q, size_t far)
{
    size_t i;
    for (i = 0; i < far; i++)
        assert_int_equal(ss_eventq_push(q, FAR_TIME + (ss_time)(i / 2), handler_b, FAR_ARG + i), 0);
    assert_true(q->in_buckets == (far > SS_EVENTQ_SMALL));
}

static void far_drain(struct ss_eventq *q, size_t far)
{
    struct ss_event ev;
    size_t i;
    for (i = 0; i < far; i++) {
        assert_true(ss_eventq_pop(q, &ev));
        assert_int_equal(ev.time, FAR_TIME + (ss_time)(i / 2));
        assert_int_equal(ev.arg, FAR_ARG + i);
    }
    assert_false(ss_eventq_pop(q, &ev));
}

/* Events at one time, scheduled far apart: the first two go in while the
 * queue's `last` is low (a high bucket), later ones after pops have moved
 * `last` ever closer to them (lower buckets, unless the earlier ones were
 * moved down too). They must still come out in the order scheduled. */
static void fifo_across_redistributions(size_t far)
{
    static const ss_time steps[] = {1, 2, 3, 7, 8, 100, 511, 512, 513, 900, 1000, 1022};
    enum { STEPS = sizeof steps / sizeof steps[0] };
    struct ss_eventq q;
    struct ss_event ev;
    uint64_t want;
    size_t i, n;
    ss_eventq_init(&q);
    far_fill(&q, far);
    assert_int_equal(ss_eventq_push(&q, 1024, handler_a, 1), 0);
    assert_int_equal(ss_eventq_push(&q, 1023, handler_a, 2), 0);
    for (i = 0; i < STEPS; i++) {
        /* The step is the earliest event: taking it moves `last` to it. */
        assert_int_equal(ss_eventq_push(&q, steps[i], handler_b, 100 + i), 0);
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.arg, 100 + i);
        assert_int_equal(ss_eventq_push(&q, 1023, handler_a, 3 + 2 * i), 0);
        assert_int_equal(ss_eventq_push(&q, 1024, handler_a, 4 + 2 * i), 0);
    }
    /* At 1023: 2, then 3, 5, 7, ...; at 1024: 1, then 4, 6, 8, ... */
    for (want = 2, n = 0; n < 1 + STEPS; n++) {
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.time, 1023);
        assert_int_equal(ev.arg, want);
        want = n == 0 ? 3 : want + 2;
    }
    for (want = 1, n = 0; n < 1 + STEPS; n++) {
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.time, 1024);
        assert_int_equal(ev.arg, want);
        want = n == 0 ? 4 : want + 2;
    }
    far_drain(&q, far);
    ss_eventq_free(&q);
}

static void test_fifo_across_redistributions(void **state)
{
    (void)state;
    fifo_across_redistributions(0);
    fifo_across_redistributions(FAR);
}

static void peek_case(size_t far)
{
    struct ss_eventq q;
    struct ss_event ev;
    struct ss_event top;
    ss_eventq_init(&q);
    far_fill(&q, far);
    assert_int_equal(ss_eventq_push(&q, 20, handler_a, 1), 0);
    assert_int_equal(ss_eventq_push(&q, 10, handler_b, 2), 0);
    assert_int_equal(ss_eventq_push(&q, 10, handler_a, 3), 0);
    /* Nothing has been taken yet (in the buckets, peek searches one): the
     * first scheduled of the two at 10. */
    assert_true(ss_eventq_peek(&q, &top));
    assert_int_equal(top.time, 10);
    assert_int_equal(top.arg, 2);
    assert_ptr_equal(top.fn, handler_b);
    /* Peeking removes nothing. */
    assert_int_equal(q.len, 3 + far);
    top = peeked(&q);
    assert_int_equal(top.arg, 2);
    assert_true(ss_eventq_pop(&q, &ev));
    assert_int_equal(ev.arg, 2);
    assert_int_equal(peeked(&q).arg, 3);
    assert_true(ss_eventq_pop(&q, &ev));
    assert_int_equal(peeked(&q).arg, 1);
    assert_true(ss_eventq_pop(&q, &ev));
    if (far)
        assert_int_equal(peeked(&q).arg, FAR_ARG);
    else
        assert_false(ss_eventq_peek(&q, &ev));
    far_drain(&q, far);
    ss_eventq_free(&q);
}

static void test_peek(void **state)
{
    (void)state;
    peek_case(0);
    peek_case(FAR);
}

static void next_time_case(size_t far)
{
    struct ss_eventq q;
    struct ss_event ev;
    ss_time t = -5;
    ss_eventq_init(&q);
    if (!far) {
        assert_false(ss_eventq_next_time(&q, &t));
        assert_int_equal(t, -5);
    }
    far_fill(&q, far);
    assert_int_equal(ss_eventq_push(&q, 300, handler_a, 1), 0);
    assert_int_equal(ss_eventq_push(&q, 200, handler_a, 2), 0);
    assert_int_equal(ss_eventq_push(&q, 200, handler_a, 3), 0);
    assert_true(ss_eventq_next_time(&q, &t));
    assert_int_equal(t, 200);
    assert_true(ss_eventq_pop(&q, &ev));
    assert_true(ss_eventq_next_time(&q, &t)); /* the other one at 200 */
    assert_int_equal(t, 200);
    assert_true(ss_eventq_pop(&q, &ev));
    assert_true(ss_eventq_next_time(&q, &t));
    assert_int_equal(t, 300);
    assert_int_equal(peeked(&q).time, 300);
    assert_true(ss_eventq_pop(&q, &ev));
    far_drain(&q, far);
    ss_eventq_free(&q);
}

static void test_next_time(void **state)
{
    (void)state;
    next_time_case(0);
    next_time_case(FAR);
}

/* pop_until takes nothing past `until` and changes nothing then: an event
 * scheduled afterwards between `until` and the next one still comes first
 * (the engine's clock stops at `until` and may schedule from there). */
static void pop_until_case(size_t far)
{
    struct ss_eventq q;
    struct ss_event ev;
    ss_eventq_init(&q);
    far_fill(&q, far);
    assert_int_equal(ss_eventq_push(&q, 50, handler_a, 1), 0);
    assert_int_equal(ss_eventq_push(&q, 1000, handler_a, 2), 0);
    assert_true(ss_eventq_pop_until(&q, 50, &ev)); /* inclusive */
    assert_int_equal(ev.arg, 1);
    assert_false(ss_eventq_pop_until(&q, 999, &ev));
    assert_int_equal(q.len, 1 + far);
    assert_false(ss_eventq_pop_until(&q, 500, &ev));
    /* Between 50 (the last taken) and 1000: allowed, and first. */
    assert_int_equal(ss_eventq_push(&q, 600, handler_b, 3), 0);
    assert_int_equal(ss_eventq_push(&q, 51, handler_b, 4), 0);
    assert_true(ss_eventq_pop_until(&q, 999, &ev));
    assert_int_equal(ev.arg, 4);
    assert_true(ss_eventq_pop_until(&q, 999, &ev));
    assert_int_equal(ev.arg, 3);
    assert_false(ss_eventq_pop_until(&q, 999, &ev));
    /* At the time last taken, pop_until still looks at `until`. */
    assert_int_equal(ss_eventq_push(&q, 600, handler_b, 5), 0);
    assert_false(ss_eventq_pop_until(&q, 599, &ev));
    assert_true(ss_eventq_pop_until(&q, 600, &ev));
    assert_int_equal(ev.arg, 5);
    assert_true(ss_eventq_pop_until(&q, FAR_TIME - 1, &ev));
    assert_int_equal(ev.arg, 2);
    assert_false(ss_eventq_pop_until(&q, FAR_TIME - 1, &ev));
    far_drain(&q, far);
    ss_eventq_free(&q);
}

static void test_pop_until(void **state)
{
    (void)state;
    pop_until_case(0);
    pop_until_case(FAR);
}

/* Every bucket: negative times, 0, the extremes, and times that differ from
 * each other in every bit position (the bucket index is a bit width, which
 * Debug builds check against the portable one on each call). */
static void test_times_across_the_range(void **state)
{
    enum { N = 64 * 4 + 6 };
    ss_time t[N], sorted[N];
    struct ss_eventq q;
    struct ss_event ev;
    size_t n = 0, i, j;
    (void)state;
    t[n++] = INT64_MIN;
    t[n++] = INT64_MIN + 1;
    t[n++] = -1;
    t[n++] = 0;
    t[n++] = SS_TIME_MAX - 1;
    t[n++] = SS_TIME_MAX;
    for (i = 0; i < 63; i++) {
        t[n++] = (ss_time)((uint64_t)1 << i);
        t[n++] = (ss_time)((uint64_t)1 << i) - 1 + (ss_time)(i % 2);
        t[n++] = -(ss_time)((uint64_t)1 << i);
        t[n++] = (ss_time)(((uint64_t)1 << i) | 5);
    }
    assert_true(n <= N);
    ss_eventq_init(&q);
    /* In a scrambled order. */
    for (i = 0; i < n; i++) {
        size_t k = (i * 97) % n;
        assert_int_equal(ss_eventq_push(&q, t[k], handler_a, (uint64_t)k), 0);
    }
    /* The reference: insertion sort by (time, push order). */
    for (i = 0; i < n; i++) {
        ss_time x = t[(i * 97) % n];
        for (j = i; j > 0 && sorted[j - 1] > x; j--)
            sorted[j] = sorted[j - 1];
        sorted[j] = x;
    }
    for (i = 0; i < n; i++) {
        assert_true(ss_eventq_pop(&q, &ev));
        if (ev.time != sorted[i])
            fail_msg("pop %zu: time %lld, expected %lld", i, (long long)ev.time,
                     (long long)sorted[i]);
        assert_int_equal(t[ev.arg], ev.time);
    }
    assert_false(ss_eventq_pop(&q, &ev));
    ss_eventq_free(&q);
}

/* A drained queue forgets its past: any time may be pushed again, into the
 * small queue or on into the buckets. */
static void test_empty_queue_forgets_its_past(void **state)
{
    enum { N = 3 * SS_EVENTQ_SMALL };
    struct ss_eventq q;
    struct ss_event ev;
    size_t i;
    (void)state;
    ss_eventq_init(&q);
    assert_int_equal(ss_eventq_push(&q, 5000, handler_a, 1), 0);
    assert_true(ss_eventq_pop(&q, &ev));
    assert_int_equal(ss_eventq_push(&q, 300, handler_a, 2), 0);
    assert_int_equal(ss_eventq_push(&q, 100, handler_a, 3), 0);
    assert_int_equal(ss_eventq_push(&q, -7, handler_a, 4), 0);
    assert_true(ss_eventq_pop(&q, &ev));
    assert_int_equal(ev.arg, 4);
    assert_true(ss_eventq_pop(&q, &ev));
    assert_int_equal(ev.arg, 3);
    assert_true(ss_eventq_pop(&q, &ev));
    assert_int_equal(ev.arg, 2);
    /* Into the buckets, drained, and again from before the last time. */
    for (i = 0; i < N; i++)
        assert_int_equal(ss_eventq_push(&q, 1000000 + (ss_time)i, handler_a, i), 0);
    assert_true(q.in_buckets);
    for (i = 0; i < N; i++)
        assert_true(ss_eventq_pop(&q, &ev));
    assert_false(q.in_buckets);
    for (i = 0; i < N; i++)
        assert_int_equal(ss_eventq_push(&q, 500 - (ss_time)(i * 100), handler_b, i), 0);
    assert_true(q.in_buckets);
    for (i = 0; i < N; i++) {
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.arg, N - 1 - i);
    }
    ss_eventq_free(&q);
}

/* The small queue: up to SS_EVENTQ_SMALL events need no memory; one more
 * moves them all to the buckets, in order (ties too); emptied, the queue is
 * small again. Around that size, back and forth, against the reference. */
static void test_small_queue_and_buckets(void **state)
{
    struct ss_eventq q;
    struct ss_event ev;
    uint64_t i;
    size_t switches = 0, n = 0, steps;
    struct { ss_time time; uint64_t arg; } ref[64];
    bool was;
    ss_time now = 0;
    (void)state;
    ss_eventq_init(&q);
    for (i = 0; i < SS_EVENTQ_SMALL; i++)
        assert_int_equal(ss_eventq_push(&q, (ss_time)(10 - i % 3), handler_a, i), 0);
    assert_false(q.in_buckets);
    assert_null(q.blocks);
    assert_int_equal(ss_eventq_capacity(&q), SS_EVENTQ_SMALL);
    assert_int_equal(ss_eventq_push(&q, 9, handler_b, 100), 0);
    assert_true(q.in_buckets);
    assert_non_null(q.blocks);
    /* At 8: pushed 2, 5; at 9: 1, 4, 7, then 100; at 10: 0, 3, 6. */
    {
        static const uint64_t want[] = {2, 5, 1, 4, 7, 100, 0, 3, 6};
        for (i = 0; i < 9; i++) {
            assert_true(ss_eventq_pop(&q, &ev));
            assert_int_equal(ev.arg, want[i]);
        }
    }
    assert_false(q.in_buckets);
    /* A random walk of the pending count around SS_EVENTQ_SMALL. */
    was = q.in_buckets;
    for (steps = 0; steps < 200000; steps++) {
        bool push = n == 0 || (n < 2 * SS_EVENTQ_SMALL && rnd() % 2);
        if (push) {
            ss_time t = now + (ss_time)(rnd() % 4);
            ref[n].time = t;
            ref[n].arg = steps;
            n++;
            assert_int_equal(ss_eventq_push(&q, t, handler_a, steps), 0);
        } else {
            size_t best = 0, j;
            for (j = 1; j < n; j++)
                if (ref[j].time < ref[best].time)
                    best = j; /* the first at the least time: ref is in push order */
            assert_true(ss_eventq_pop(&q, &ev));
            assert_int_equal(ev.time, ref[best].time);
            assert_int_equal(ev.arg, ref[best].arg);
            now = ev.time;
            memmove(&ref[best], &ref[best + 1], (n - best - 1) * sizeof ref[0]);
            n--;
        }
        assert_int_equal(q.len, n);
        if (q.in_buckets != was) {
            switches++;
            was = q.in_buckets;
        }
    }
    assert_true(switches > 100);
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
    assert_int_equal(ss_eventq_capacity(&q), SS_EVENTQ_SMALL);
    for (i = 0; i < N; i++) {
        assert_int_equal(ss_eventq_push(&q, (ss_time)(N - i), handler_a, i), 0);
        assert_true(ss_eventq_capacity(&q) >= q.len);
        if (ss_eventq_capacity(&q) != last_cap) {
            growths++;
            last_cap = ss_eventq_capacity(&q);
        }
    }
    /* Geometric, not a block per event: a quarter more each time. */
    assert_true(growths <= 30);
    /* And not much more than needed: the events, one chunk per bucket, a
     * quarter to grow into. */
    assert_true(ss_eventq_capacity(&q) <=
                (N + SS_EVENTQ_BUCKETS * SS_EVENTQ_CHUNK) / 4 * 5 + 64 * SS_EVENTQ_CHUNK);
    assert_int_equal(q.len, N);
    cap_after_fill = ss_eventq_capacity(&q);
    for (i = 0; i < N; i++) {
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.time, (ss_time)(i + 1));
        assert_int_equal(ev.arg, N - 1 - i);
    }
    assert_false(ss_eventq_pop(&q, &ev));
    /* Popping gave the chunks back; refilling reuses them: no growth. */
    for (i = 0; i < N; i++)
        assert_int_equal(ss_eventq_push(&q, (ss_time)(N + 1 + rnd() % N), handler_a, i), 0);
    assert_int_equal(ss_eventq_capacity(&q), cap_after_fill);
    ss_eventq_free(&q);
    assert_null(q.blocks);
    assert_int_equal(ss_eventq_capacity(&q), SS_EVENTQ_SMALL);
}

/* The reference: an unsorted array, searched for the least (time, seq). */
struct ref_event {
    ss_time time;
    uint64_t seq;
    uint64_t arg;
};

static size_t ref_least(const struct ref_event *ref, size_t n)
{
    size_t best = 0, j;
    for (j = 1; j < n; j++)
        if (ref[j].time < ref[best].time ||
            (ref[j].time == ref[best].time && ref[j].seq < ref[best].seq))
            best = j;
    return best;
}

/* Random pushes and pops against the reference. With max_chunks set, pushes
 * may fail: a failed push must leave the queue unchanged, and pops must
 * never fail. */
static void against_reference_model(size_t max_chunks, size_t *failed)
{
    enum { OPS = 20000, MAX = OPS };
    struct ref_event *ref = malloc(MAX * sizeof *ref);
    struct ss_eventq q;
    struct ss_event ev;
    size_t n = 0, i, pushes = 0, pops = 0, empty_pops = 0;
    uint64_t seq = 0;
    ss_time now = 0;
    assert_non_null(ref);
    ss_eventq_init(&q);
    q.max_chunks = max_chunks;
    *failed = 0;
    for (i = 0; i < OPS; i++) {
        /* Phases that mostly push and phases that mostly pop, so the queue
         * grows and shrinks through several sizes. */
        unsigned push_bias = (i / 2000) % 2 ? 30 : 70;
        if (rnd() % 100 < push_bias) {
            /* Mostly a small time range, so equal times are common, some far
             * out; never before now, as in the engine. */
            ss_time t = now + (ss_time)(rnd() % 8 == 0 ? rnd() % 100000000 : rnd() % 16);
            uint64_t arg = rnd();
            if (ss_eventq_push(&q, t, handler_a, arg) != 0) {
                assert_true(max_chunks > 0);
                (*failed)++;
            } else {
                ref[n].time = t;
                ref[n].seq = seq++;
                ref[n].arg = arg;
                n++;
                pushes++;
            }
        } else if (n == 0) {
            assert_false(ss_eventq_pop(&q, &ev));
            assert_false(ss_eventq_peek(&q, &ev));
            empty_pops++;
        } else {
            size_t best = ref_least(ref, n);
            struct ss_event top = peeked(&q);
            assert_int_equal(top.time, ref[best].time);
            assert_int_equal(top.arg, ref[best].arg);
            assert_true(ss_eventq_pop(&q, &ev));
            if (ev.time != ref[best].time || ev.arg != ref[best].arg)
                fail_msg("op %zu: popped (%lld, %llx), reference says (%lld, %llx)", i,
                         (long long)ev.time, (unsigned long long)ev.arg,
                         (long long)ref[best].time, (unsigned long long)ref[best].arg);
            now = ev.time;
            /* Keep the reference in push order (seq decides ties anyway). */
            memmove(&ref[best], &ref[best + 1], (n - best - 1) * sizeof *ref);
            n--;
            pops++;
        }
        assert_int_equal(q.len, n);
        if (max_chunks)
            assert_true(q.chunks <= max_chunks);
    }
    /* Drain. */
    while (n > 0) {
        size_t best = ref_least(ref, n);
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.arg, ref[best].arg);
        memmove(&ref[best], &ref[best + 1], (n - best - 1) * sizeof *ref);
        n--;
    }
    assert_false(ss_eventq_pop(&q, &ev));
    /* The model really was exercised both ways. */
    assert_true(pushes > 3000);
    assert_true(pops > 3000);
    assert_true(empty_pops > 0);
    ss_eventq_free(&q);
    free(ref);
}

static void test_against_reference_model(void **state)
{
    size_t failed;
    (void)state;
    against_reference_model(0, &failed);
    assert_int_equal(failed, 0);
}

/* Many pending events: N random times, with many equal, pushed and then
 * popped, against a sort by (time, push order). */
struct keyed {
    ss_time time;
    size_t order;
};

static int by_time_then_order(const void *pa, const void *pb)
{
    const struct keyed *a = pa, *b = pb;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static void test_many_pending_against_sort(void **state)
{
    size_t n = scaled(1000000), i;
    struct keyed *ref = malloc(n * sizeof *ref);
    struct ss_eventq q;
    struct ss_event ev;
    (void)state;
    assert_non_null(ref);
    ss_eventq_init(&q);
    for (i = 0; i < n; i++) {
        ss_time t;
        switch (rnd() % 4) {
        case 0: t = (ss_time)(rnd() % 1000); break;             /* dense: ~1000 ties each */
        case 1: t = (ss_time)(rnd() % 1000000000); break;        /* microseconds to 1000 s */
        case 2: t = (ss_time)(rnd() >> 2); break;                /* anywhere */
        default: t = 500000 + (ss_time)(rnd() % 3) * 250000; break; /* three busy instants */
        }
        ref[i].time = t;
        ref[i].order = i;
        assert_int_equal(ss_eventq_push(&q, t, handler_a, (uint64_t)i), 0);
        /* Memory: the events, a part-filled chunk per bucket, and never more
         * than one block (at most 1024 chunks) unused. */
        if (i % 1000 == 0)
            assert_true(ss_eventq_capacity(&q) <=
                        q.len + (1024 + 2 * SS_EVENTQ_BUCKETS) * SS_EVENTQ_CHUNK);
    }
    qsort(ref, n, sizeof *ref, by_time_then_order);
    for (i = 0; i < n; i++) {
        assert_true(ss_eventq_pop(&q, &ev));
        if (ev.time != ref[i].time || ev.arg != ref[i].order)
            fail_msg("pop %zu: (%lld, pushed %llu), sort says (%lld, pushed %zu)", i,
                     (long long)ev.time, (unsigned long long)ev.arg, (long long)ref[i].time,
                     ref[i].order);
    }
    assert_false(ss_eventq_pop(&q, &ev));
    ss_eventq_free(&q);
    free(ref);
}

/* The reference for the hold model: a binary heap on (time, seq). */
struct ref_heap {
    struct ref_event *a;
    size_t n;
};

static bool ref_before(const struct ref_event *x, const struct ref_event *y)
{
    return x->time < y->time || (x->time == y->time && x->seq < y->seq);
}

static void ref_push(struct ref_heap *h, struct ref_event e)
{
    size_t i = h->n++;
    while (i > 0 && ref_before(&e, &h->a[(i - 1) / 2])) {
        h->a[i] = h->a[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->a[i] = e;
}

static struct ref_event ref_pop(struct ref_heap *h)
{
    struct ref_event top = h->a[0], last = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && ref_before(&h->a[c + 1], &h->a[c]))
            c++;
        if (!ref_before(&h->a[c], &last))
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    h->a[i] = last;
    return top;
}

/* The simulation's pattern at scale: about P events pending, each pop
 * followed by pushes at now + a random delay (0 often, so ties at the
 * current instant are common), as M/M/c with c = P does; the pending count
 * drifts up and down. Checked against the reference heap, op by op. */
static void test_hold_model_many_pending(void **state)
{
    size_t P = scaled(200000), ops = scaled(2000000), i, cap = 4 * P;
    struct ref_heap h;
    struct ss_eventq q;
    struct ss_event ev;
    uint64_t seq = 0;
    (void)state;
    h.a = malloc(cap * sizeof *h.a);
    h.n = 0;
    assert_non_null(h.a);
    ss_eventq_init(&q);
    for (i = 0; i < P; i++) {
        struct ref_event e;
        e.time = (ss_time)(rnd() % 1000000);
        e.seq = seq++;
        e.arg = rnd();
        ref_push(&h, e);
        assert_int_equal(ss_eventq_push(&q, e.time, handler_a, e.arg), 0);
    }
    for (i = 0; i < ops; i++) {
        struct ref_event want = ref_pop(&h);
        int k, pushes = (int)(rnd() % 3); /* 0, 1 or 2: the count wanders */
        assert_true(ss_eventq_pop(&q, &ev));
        if (ev.time != want.time || ev.arg != want.arg)
            fail_msg("op %zu: popped (%lld, %llx), reference says (%lld, %llx)", i,
                     (long long)ev.time, (unsigned long long)ev.arg, (long long)want.time,
                     (unsigned long long)want.arg);
        if (h.n < P / 2)
            pushes = 2;
        else if (h.n + 2 > cap)
            pushes = 0;
        for (k = 0; k < pushes; k++) {
            struct ref_event e;
            uint64_t r = rnd();
            e.time = ev.time + (r % 4 == 0 ? 0 : (ss_time)((r >> 8) % 2000000));
            e.seq = seq++;
            e.arg = rnd();
            ref_push(&h, e);
            assert_int_equal(ss_eventq_push(&q, e.time, handler_b, e.arg), 0);
        }
        assert_int_equal(q.len, h.n);
    }
    while (h.n > 0) {
        struct ref_event want = ref_pop(&h);
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.arg, want.arg);
    }
    assert_false(ss_eventq_pop(&q, &ev));
    ss_eventq_free(&q);
    free(h.a);
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
        ss_time now = peeked(&a).time;
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        assert_int_equal(ss_eventq_replace_top(&a, now + (ss_time)(x >> 60), handler_b,
                                               1000u + (uint64_t)i),
                         0);
        assert_true(ss_eventq_pop(&b, &eb));
        assert_int_equal(eb.time, now);
        assert_int_equal(ss_eventq_push(&b, now + (ss_time)(x >> 60), handler_b, 1000u + (uint64_t)i), 0);
        assert_int_equal(a.len, b.len);
        assert_int_equal(peeked(&a).time, peeked(&b).time);
        assert_int_equal(peeked(&a).arg, peeked(&b).arg);
    }
    while (ss_eventq_pop(&a, &ea)) {
        assert_true(ss_eventq_pop(&b, &eb));
        assert_int_equal(ea.time, eb.time);
        assert_int_equal(ea.arg, eb.arg);
        assert_ptr_equal(ea.fn, eb.fn);
    }
    assert_false(ss_eventq_pop(&b, &eb));
    ss_eventq_free(&a);
    ss_eventq_free(&b);
}

/* ------------------------------------------------------- out of memory */

/* Too little memory for the buckets: the small queue fills without any,
 * the push that would need them fails, and the queue is as before. */
static void test_out_of_memory_into_buckets(void **state)
{
    struct ss_eventq q;
    struct ss_event ev;
    uint64_t i;
    (void)state;
    ss_eventq_init(&q);
    q.max_chunks = SS_EVENTQ_BUCKETS - 1; /* not a chunk for every bucket */
    for (i = 0; i < SS_EVENTQ_SMALL; i++)
        assert_int_equal(ss_eventq_push(&q, (ss_time)(100 - i % 2), handler_a, i), 0);
    assert_int_equal(ss_eventq_push(&q, 99, handler_b, 999), -1);
    assert_int_equal(q.len, SS_EVENTQ_SMALL);
    assert_false(q.in_buckets);
    assert_null(q.blocks);
    assert_int_equal(ss_eventq_capacity(&q), SS_EVENTQ_SMALL);
    /* Unchanged: at 99 the odd pushes, then at 100 the even ones. */
    for (i = 0; i < SS_EVENTQ_SMALL; i++) {
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.arg, i < SS_EVENTQ_SMALL / 2 ? 2 * i + 1 : 2 * (i - SS_EVENTQ_SMALL / 2));
    }
    assert_false(ss_eventq_pop(&q, &ev));
    q.max_chunks = 0;
    for (i = 0; i <= SS_EVENTQ_SMALL; i++)
        assert_int_equal(ss_eventq_push(&q, 200, handler_a, i), 0);
    assert_true(q.in_buckets);
    for (i = 0; i <= SS_EVENTQ_SMALL; i++) {
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.arg, i);
    }
    ss_eventq_free(&q);
}

/* Fill to the limit with times spread over many buckets, all first in one:
 * the push past it fails and changes nothing; then every pop redistributes
 * without allocating (a redistribution gives chunks back at least as fast
 * as it needs them), in order; and the freed room takes pushes again. */
static void test_out_of_memory_pops_never_fail(void **state)
{
    enum { MAX_EVENTS = 100000 };
    struct keyed *ref = malloc(MAX_EVENTS * sizeof *ref);
    struct ss_eventq q;
    struct ss_event ev;
    size_t n = 0, i;
    (void)state;
    assert_non_null(ref);
    ss_eventq_init(&q);
    q.max_chunks = SS_EVENTQ_BUCKETS + 40;
    for (;;) {
        ss_time t = (ss_time)(rnd() % ((ss_time)1 << 40));
        assert_true(n < MAX_EVENTS);
        if (ss_eventq_push(&q, t, handler_a, (uint64_t)n) != 0)
            break;
        ref[n].time = t;
        ref[n].order = n;
        n++;
    }
    /* Every chunk was used: the bucket of all these times had its own and
     * all the spare ones. */
    assert_int_equal(q.chunks, SS_EVENTQ_BUCKETS + 40);
    assert_int_equal(n, 41 * SS_EVENTQ_CHUNK);
    assert_int_equal(q.len, n);
    /* Failing again changes nothing either. */
    assert_int_equal(ss_eventq_push(&q, 5, handler_a, 999999), -1);
    assert_int_equal(q.len, n);
    qsort(ref, n, sizeof *ref, by_time_then_order);
    for (i = 0; i < n; i++) {
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.time, ref[i].time);
        assert_int_equal(ev.arg, ref[i].order);
        assert_int_equal(q.chunks, SS_EVENTQ_BUCKETS + 40);
        /* Halfway, the room given back takes new events again. */
        if (i == n / 2) {
            size_t k;
            for (k = 0; k < 1000; k++)
                assert_int_equal(ss_eventq_push(&q, ref[n - 1].time + 1, handler_b, k), 0);
        }
    }
    for (i = 0; i < 1000; i++) {
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.arg, i);
    }
    assert_false(ss_eventq_pop(&q, &ev));
    ss_eventq_free(&q);
    free(ref);
}

/* The reference model under a tight limit: pushes fail now and then, each
 * leaving the queue exactly as it was. */
static void test_out_of_memory_against_reference_model(void **state)
{
    size_t failed;
    (void)state;
    against_reference_model(SS_EVENTQ_BUCKETS + 4, &failed);
    assert_true(failed > 100);
}

/* ------------------------------------------------- compact events (item 3) */

/*
 * In the buckets an event is 12 bytes: the low 32 bits of its time and one
 * word for its handler's number and its argument (eventq.h). What does not
 * fit is held whole in a side table, its place in the bucket keeping the
 * order. These tests check each rule, that the two kinds keep FIFO order
 * among themselves, and that the numbers the queue gives handlers change
 * nothing.
 */

/* 300 handlers, each recording its own number and the argument. */
struct seen {
    int id;
    uint64_t arg;
};

#define H(n)                                                                                    \
    static void h##n(void *ctx, uint64_t arg)                                                   \
    {                                                                                           \
        ((struct seen *)ctx)->id = n;                                                           \
        ((struct seen *)ctx)->arg = arg;                                                        \
    }
#define H10(p) H(p##0) H(p##1) H(p##2) H(p##3) H(p##4) H(p##5) H(p##6) H(p##7) H(p##8) H(p##9)
#define H100(p)                                                                                 \
    H10(p##0) H10(p##1) H10(p##2) H10(p##3) H10(p##4) H10(p##5) H10(p##6) H10(p##7) H10(p##8)  \
    H10(p##9)
H100(1) H100(2) H100(3)
#define T10(p) h##p##0, h##p##1, h##p##2, h##p##3, h##p##4, h##p##5, h##p##6, h##p##7, h##p##8, h##p##9
#define T100(p) T10(p##0), T10(p##1), T10(p##2), T10(p##3), T10(p##4), T10(p##5), T10(p##6), \
    T10(p##7), T10(p##8), T10(p##9)
static const ss_handler many_handlers[] = {T100(1), T100(2), T100(3)};
enum { MANY_HANDLERS = sizeof many_handlers / sizeof many_handlers[0] };

/* Which of many_handlers an event's fn is, by running it. */
static int handler_id(const struct ss_event *ev)
{
    struct seen s = {-1, 0};
    ev->fn(&s, ev->arg);
    assert_true(s.arg == ev->arg);
    return s.id - 100;
}

/* A queue in its buckets with `last` at 0 and nothing held whole: eight
 * events at FAR_TIME and after, for far_drain(q, 8), which went in while
 * `last` was 0 (pushed while it was INT64_MIN they would be far from the
 * start of bucket 64's range and held whole). */
static void into_buckets(struct ss_eventq *q)
{
    struct ss_event ev;
    assert_int_equal(ss_eventq_push(q, 0, handler_a, 1), 0);
    assert_true(ss_eventq_pop(q, &ev));
    far_fill(q, 8);
    assert_int_equal(ss_eventq_push(q, 0, handler_a, 2), 0);
    assert_true(q->in_buckets);
    assert_true(ss_eventq_pop(q, &ev));
    assert_true(ev.time == 0 && ev.arg == 2);
    assert_int_equal(q->last, 0);
    assert_int_equal(q->side_used, 0);
}

/* The chunk is the events' 12 bytes each and a link: no padding. */
static void test_compact_event_size(void **state)
{
    (void)state;
    assert_int_equal(sizeof(struct ss_eventq_chunk),
                     sizeof(struct ss_eventq_chunk *) + 12 * SS_EVENTQ_CHUNK);
}

/* The limits of what is held in 12 bytes: arguments up to 2^56 - 1, the
 * first SS_EVENTQ_HANDLERS handlers, a time less than 2^32 past the start of
 * its bucket's range. Past each, the event is held whole (side_used counts
 * them) and comes out the same. */
static void test_limits_of_compact_events(void **state)
{
    struct ss_eventq q;
    struct ss_event ev;
    /* Bucket 41 (times with bit 40 the highest set, `last` being 0) starts at
     * 2^40: from there 2^32 - 1 fits, 2^32 does not. */
    const ss_time b41 = (ss_time)1 << 40;
    size_t i;
    (void)state;
    ss_eventq_init(&q);
    into_buckets(&q);
    assert_int_equal(q.side_used, 0);
    assert_int_equal(ss_eventq_push(&q, 5, handler_a, SS_EVENTQ_ARG_MAX), 0);
    assert_int_equal(q.side_used, 0);
    assert_int_equal(ss_eventq_push(&q, 5, handler_b, SS_EVENTQ_ARG_MAX + 1), 0);
    assert_int_equal(q.side_used, 1);
    assert_int_equal(ss_eventq_push(&q, 5, handler_a, UINT64_MAX), 0);
    assert_int_equal(q.side_used, 2);
    assert_int_equal(ss_eventq_push(&q, b41 + 0xffffffff, handler_a, 7), 0);
    assert_int_equal(q.side_used, 2);
    assert_int_equal(ss_eventq_push(&q, b41 + 0x100000000, handler_b, 8), 0);
    assert_int_equal(q.side_used, 3);
    /* Handlers: handler_a and handler_b have numbers; 126 more do, and the
     * rest are held whole. */
    for (i = 0; i < MANY_HANDLERS; i++)
        assert_int_equal(ss_eventq_push(&q, 6, many_handlers[i], 1000 + i), 0);
    assert_int_equal(q.handlers, SS_EVENTQ_HANDLERS);
    assert_int_equal(q.side_used, 3 + MANY_HANDLERS - (SS_EVENTQ_HANDLERS - 2));
    /* All come out as they went in: at 5 the three in order, ... */
    assert_true(ss_eventq_pop(&q, &ev));
    assert_true(ev.time == 5 && ev.fn == handler_a && ev.arg == SS_EVENTQ_ARG_MAX);
    assert_true(ss_eventq_pop(&q, &ev));
    assert_true(ev.time == 5 && ev.fn == handler_b && ev.arg == SS_EVENTQ_ARG_MAX + 1);
    assert_true(ss_eventq_pop(&q, &ev));
    assert_true(ev.time == 5 && ev.fn == handler_a && ev.arg == UINT64_MAX);
    /* ... at 6 the handlers in order, each itself, ... */
    for (i = 0; i < MANY_HANDLERS; i++) {
        assert_true(ss_eventq_pop(&q, &ev));
        assert_int_equal(ev.time, 6);
        assert_int_equal(handler_id(&ev), i);
        assert_int_equal(ev.arg, 1000 + i);
    }
    /* ... then the two far ones, exactly. */
    assert_true(ss_eventq_pop(&q, &ev));
    assert_true(ev.time == b41 + 0xffffffff && ev.arg == 7);
    assert_true(ss_eventq_pop(&q, &ev));
    assert_true(ev.time == b41 + 0x100000000 && ev.arg == 8 && ev.fn == handler_b);
    assert_int_equal(q.side_used, 0);
    far_drain(&q, 8);
    ss_eventq_free(&q);
}

/* Equal times, some events held whole (a large argument, a far time) and
 * some not, pushed alternately: they come out in the order pushed. */
static void test_fifo_ties_compact_and_whole(void **state)
{
    enum { N = 600 };
    static const ss_time at[] = {77, (ss_time)1 << 40 | (ss_time)1 << 35 | 9, 0x123456789};
    struct ss_eventq q;
    struct ss_event ev;
    size_t t, i;
    (void)state;
    for (t = 0; t < sizeof at / sizeof at[0]; t++) {
        ss_eventq_init(&q);
        into_buckets(&q);
        for (i = 0; i < N; i++) {
            uint64_t arg = i % 3 == 1 ? UINT64_MAX - i : i;
            assert_int_equal(ss_eventq_push(&q, at[t], i % 2 ? handler_b : handler_a, arg), 0);
            /* Others around it, before and after. */
            assert_int_equal(ss_eventq_push(&q, at[t] + 1 + (ss_time)(i % 5), handler_a, 5000 + i), 0);
            if (at[t] > 60)
                assert_int_equal(ss_eventq_push(&q, at[t] - 1 - (ss_time)(i % 50), handler_b, 9000 + i), 0);
        }
        assert_true(q.side_used > 0);
        if (at[t] > 60)
            for (i = 0; i < N; i++)
                assert_true(ss_eventq_pop(&q, &ev) && ev.time < at[t]);
        for (i = 0; i < N; i++) {
            assert_true(ss_eventq_pop(&q, &ev));
            assert_int_equal(ev.time, at[t]);
            assert_true(ev.arg == (i % 3 == 1 ? UINT64_MAX - i : i));
            assert_ptr_equal(ev.fn, i % 2 ? handler_b : handler_a);
        }
        for (i = 0; i < N; i++)
            assert_true(ss_eventq_pop(&q, &ev) && ev.time > at[t] && ev.arg >= 5000);
        far_drain(&q, 8);
        assert_int_equal(q.side_used, 0);
        ss_eventq_free(&q);
    }
}

/* Events whose times need more than 32 bits in their bucket (held whole)
 * move down as `last` comes closer, into buckets where their low 32 bits
 * say it all, and keep their times and their order; later pushes at the same
 * times, which fit from the start, come after them. */
static void test_far_events_move_down(void **state)
{
    const ss_time base = (ss_time)1 << 44 | (ss_time)1 << 37; /* bucket 45, 2^37 past its start */
    struct ss_eventq q;
    struct ss_event ev;
    size_t i;
    (void)state;
    ss_eventq_init(&q);
    into_buckets(&q);
    /* 200 far events at 100 times, two at each, and one before them all. */
    assert_int_equal(ss_eventq_push(&q, base - 1000, handler_b, 1), 0);
    for (i = 0; i < 200; i++)
        assert_int_equal(ss_eventq_push(&q, base + (ss_time)(i % 100) * 999, handler_a, 100 + i), 0);
    assert_int_equal(q.side_used, 201);
    assert_int_equal(q.far[45], 201);
    /* Taking the first brings `last` to base - 1000: the rest move down and
     * now fit, but stay held whole (they need not move out of the side
     * table). */
    assert_true(ss_eventq_pop(&q, &ev));
    assert_true(ev.time == base - 1000 && ev.arg == 1);
    assert_int_equal(q.side_used, 200);
    assert_int_equal(q.far[45], 0);
    /* The same times again, compact from the start. */
    for (i = 0; i < 100; i++)
        assert_int_equal(ss_eventq_push(&q, base + (ss_time)i * 999, handler_b, 300 + i), 0);
    assert_int_equal(q.side_used, 200);
    for (i = 0; i < 100; i++) {
        ss_time t = base + (ss_time)i * 999;
        assert_true(ss_eventq_pop(&q, &ev));
        assert_true(ev.time == t && ev.arg == 100 + i && ev.fn == handler_a);
        assert_true(ss_eventq_pop(&q, &ev));
        assert_true(ev.time == t && ev.arg == 200 + i && ev.fn == handler_a);
        assert_true(ss_eventq_pop(&q, &ev));
        assert_true(ev.time == t && ev.arg == 300 + i && ev.fn == handler_b);
    }
    assert_int_equal(q.side_used, 0);
    far_drain(&q, 8);
    ss_eventq_free(&q);
}

/* A bucket whose far events are mixed with compact ones, and whose earliest
 * time is one of the far ones: the compact ones' times are its from bit b - 1
 * up and their own below, not its bits between. Peek and pop agree. */
static void test_far_and_compact_in_one_bucket(void **state)
{
    const ss_time start = (ss_time)1 << 48; /* bucket 49's range starts here */
    static const ss_time off[] = {5, (ss_time)1 << 33, 9, ((ss_time)1 << 40) + 3, 12, 7,
                                  (ss_time)1 << 32, 0xffffffff};
    enum { OFFS = sizeof off / sizeof off[0] };
    struct keyed ref[OFFS * 3];
    struct ss_eventq q;
    struct ss_event ev;
    size_t i, n = 0;
    (void)state;
    ss_eventq_init(&q);
    into_buckets(&q);
    for (i = 0; i < OFFS * 3; i++) {
        ref[n].time = start + off[(i * 5) % OFFS];
        ref[n].order = i;
        assert_int_equal(ss_eventq_push(&q, ref[n].time, handler_a, i), 0);
        n++;
    }
    qsort(ref, n, sizeof ref[0], by_time_then_order);
    for (i = 0; i < n; i++) {
        struct ss_event top = peeked(&q);
        assert_true(ss_eventq_pop(&q, &ev));
        assert_true(top.time == ev.time && top.arg == ev.arg);
        if (ev.time != ref[i].time || ev.arg != ref[i].order)
            fail_msg("pop %zu: (%lld, %llu), expected (%lld, %zu)", i, (long long)ev.time,
                     (unsigned long long)ev.arg, (long long)ref[i].time, ref[i].order);
        /* A push at the time just taken goes behind the others there. */
        if (i % 4 == 0) {
            assert_int_equal(ss_eventq_push(&q, ev.time, handler_b, 7777), 0);
            while (peeked(&q).time == ev.time && peeked(&q).arg != 7777) {
                assert_true(ss_eventq_pop(&q, &ev));
                i++;
                assert_true(ev.arg == ref[i].order);
            }
            assert_true(ss_eventq_pop(&q, &ev));
            assert_true(ev.arg == 7777 && ev.fn == handler_b);
        }
    }
    far_drain(&q, 8);
    ss_eventq_free(&q);
}

/* A bucket emptied by taking its only event, a far one, keeps its count of
 * far events (an overcount); its next events, compact, come out right. */
static void test_far_count_after_single_event(void **state)
{
    const ss_time t = (ss_time)1 << 40 | (ss_time)1 << 34;
    struct ss_eventq q;
    struct ss_event ev;
    size_t i;
    (void)state;
    ss_eventq_init(&q);
    into_buckets(&q);
    assert_int_equal(ss_eventq_push(&q, t, handler_a, 1), 0);
    assert_int_equal(q.far[41], 1);
    assert_true(ss_eventq_pop(&q, &ev));
    assert_true(ev.time == t && ev.arg == 1);
    for (i = 0; i < 50; i++)
        assert_int_equal(ss_eventq_push(&q, t + ((ss_time)1 << 39) + (ss_time)(49 - i), handler_b, i), 0);
    for (i = 0; i < 50; i++) {
        assert_true(ss_eventq_pop(&q, &ev));
        assert_true(ev.time == t + ((ss_time)1 << 39) + (ss_time)i && ev.arg == 49 - i);
    }
    far_drain(&q, 8);
    ss_eventq_free(&q);
}

/* Many pending events of every kind: 1,000,000 random times (dense ties,
 * within 2^32, far out), handlers from a set of 300, arguments that fit and
 * that do not; against a sort by (time, push order), with handler and
 * argument. */
struct mixed {
    ss_time time;
    size_t order;
    uint64_t arg;
    int id;
};

static int mixed_by_time_then_order(const void *pa, const void *pb)
{
    const struct mixed *a = pa, *b = pb;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static void test_many_pending_mixed(void **state)
{
    size_t n = scaled(1000000), i;
    struct mixed *ref = malloc(n * sizeof *ref);
    struct ss_eventq q;
    struct ss_event ev;
    (void)state;
    assert_non_null(ref);
    ss_eventq_init(&q);
    for (i = 0; i < n; i++) {
        uint64_t r = rnd();
        ss_time t;
        switch (r % 5) {
        case 0: t = (ss_time)(rnd() % 1000); break;                 /* dense: ties */
        case 1: t = (ss_time)(rnd() % 4000000000u); break;          /* within 2^32 */
        case 2: t = (ss_time)(rnd() >> 14); break;                  /* up to 2^50 */
        case 3: t = ((ss_time)1 << 36) + (ss_time)(rnd() % 3); break; /* three far instants */
        default: t = (ss_time)(rnd() >> 1); break;                  /* anywhere */
        }
        ref[i].time = t;
        ref[i].order = i;
        ref[i].id = (int)((r >> 8) % (r >> 20 & 1 ? 6 : MANY_HANDLERS));
        ref[i].arg = (r >> 16) % 7 == 0 ? rnd() | (uint64_t)1 << 63 : rnd() >> 8;
        assert_int_equal(ss_eventq_push(&q, t, many_handlers[ref[i].id], ref[i].arg), 0);
    }
    qsort(ref, n, sizeof *ref, mixed_by_time_then_order);
    for (i = 0; i < n; i++) {
        assert_true(ss_eventq_pop(&q, &ev));
        if (ev.time != ref[i].time || ev.arg != ref[i].arg || handler_id(&ev) != ref[i].id)
            fail_msg("pop %zu: (%lld, %llx, h%d), sort says (%lld, %llx, h%d)", i,
                     (long long)ev.time, (unsigned long long)ev.arg, handler_id(&ev),
                     (long long)ref[i].time, (unsigned long long)ref[i].arg, ref[i].id);
    }
    assert_false(ss_eventq_pop(&q, &ev));
    assert_int_equal(q.side_used, 0);
    ss_eventq_free(&q);
    free(ref);
}

/* The number the queue gave fn (SS_EVENTQ_HANDLERS: none). */
static size_t number_of(const struct ss_eventq *q, ss_handler fn)
{
    size_t i;
    for (i = 0; i < q->handlers; i++)
        if (q->handler[i] == fn)
            return i;
    return SS_EVENTQ_HANDLERS;
}

/* Determinism: the numbers the queue gives handlers (in the order it first
 * sees them, more of them than it holds) and where its hash puts them change
 * nothing. Two queues, one of which first sees the handlers in the reverse
 * order, run the same random pushes and pops and give the same events. */
static void test_handler_numbers_change_nothing(void **state)
{
    size_t ops = scaled(400000), i, pending = 0;
    struct ss_eventq a, b;
    struct ss_event ea, eb;
    ss_time now = 0;
    (void)state;
    ss_eventq_init(&a);
    ss_eventq_init(&b);
    /* a numbers the handlers forwards, b backwards; then both are empty. */
    for (i = 0; i < MANY_HANDLERS; i++) {
        assert_int_equal(ss_eventq_push(&a, 0, many_handlers[i], i), 0);
        assert_int_equal(ss_eventq_push(&b, 0, many_handlers[MANY_HANDLERS - 1 - i], i), 0);
    }
    assert_true(number_of(&a, many_handlers[0]) != number_of(&b, many_handlers[0]));
    while (ss_eventq_pop(&a, &ea))
        assert_true(ss_eventq_pop(&b, &eb));
    assert_false(ss_eventq_pop(&b, &eb));
    for (i = 0; i < ops; i++) {
        if (pending == 0 || rnd() % 100 < 55) {
            uint64_t r = rnd();
            ss_time t = now + (ss_time)(r % 4 == 0 ? 0 : (r >> 8) % (r & 16 ? 100 : 1u << 31));
            ss_handler fn = many_handlers[(r >> 40) % MANY_HANDLERS];
            uint64_t arg = r & 32 ? r : r >> 10;
            assert_int_equal(ss_eventq_push(&a, t, fn, arg), 0);
            assert_int_equal(ss_eventq_push(&b, t, fn, arg), 0);
            pending++;
        } else {
            assert_true(ss_eventq_pop(&a, &ea));
            assert_true(ss_eventq_pop(&b, &eb));
            assert_true(ea.time == eb.time && ea.fn == eb.fn && ea.arg == eb.arg);
            now = ea.time;
            pending--;
        }
    }
    while (ss_eventq_pop(&a, &ea)) {
        assert_true(ss_eventq_pop(&b, &eb));
        assert_true(ea.time == eb.time && ea.fn == eb.fn && ea.arg == eb.arg);
    }
    assert_false(ss_eventq_pop(&b, &eb));
    ss_eventq_free(&a);
    ss_eventq_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_event_is_small),
        cmocka_unit_test(test_orders_by_time),
        cmocka_unit_test(test_event_carries_its_payload),
        cmocka_unit_test(test_equal_times_fifo),
        cmocka_unit_test(test_equal_times_fifo_interleaved),
        cmocka_unit_test(test_fifo_across_redistributions),
        cmocka_unit_test(test_peek),
        cmocka_unit_test(test_next_time),
        cmocka_unit_test(test_pop_until),
        cmocka_unit_test(test_times_across_the_range),
        cmocka_unit_test(test_empty_queue_forgets_its_past),
        cmocka_unit_test(test_small_queue_and_buckets),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_against_reference_model),
        cmocka_unit_test(test_many_pending_against_sort),
        cmocka_unit_test(test_hold_model_many_pending),
        cmocka_unit_test(test_replace_top_matches_pop_then_push),
        cmocka_unit_test(test_out_of_memory_into_buckets),
        cmocka_unit_test(test_out_of_memory_pops_never_fail),
        cmocka_unit_test(test_out_of_memory_against_reference_model),
        cmocka_unit_test(test_compact_event_size),
        cmocka_unit_test(test_limits_of_compact_events),
        cmocka_unit_test(test_fifo_ties_compact_and_whole),
        cmocka_unit_test(test_far_events_move_down),
        cmocka_unit_test(test_far_and_compact_in_one_bucket),
        cmocka_unit_test(test_far_count_after_single_event),
        cmocka_unit_test(test_many_pending_mixed),
        cmocka_unit_test(test_handler_numbers_change_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
