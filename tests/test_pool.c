/* test_pool.c: the task pool: numbered threads, one shared FIFO across kinds. */
#include "testutil.h"

#include "storesim/pool.h"

/* A task starts on thread t, as sim.c does it. */
static void run_on(struct ss_pool *p, long long t, enum ss_kind kind)
{
    assert_true(t >= 0);
    p->thread[t].kind = (int)kind;
}

static void acquires_until_full(void **state)
{
    struct ss_pool p;
    (void)state;
    ss_pool_init(&p, 2);
    run_on(&p, ss_pool_acquire(&p, SS_DELIVERY), SS_DELIVERY);
    run_on(&p, ss_pool_acquire(&p, SS_FLUSH), SS_FLUSH);
    assert_int_equal(ss_pool_acquire(&p, SS_OWA), SS_POOL_NONE);
    assert_int_equal(p.busy, 2);
    assert_int_equal(p.busy_by[SS_DELIVERY], 1);
    assert_int_equal(p.busy_by[SS_FLUSH], 1);
    assert_int_equal(p.busy_by[SS_OWA], 0);
    ss_pool_free(&p);
}

/* Threads are numbered: thread 0, 1, ... at first; then the one freed last. */
static void the_thread_freed_last_goes_first(void **state)
{
    struct ss_pool p;
    struct ss_task next;
    enum ss_kind kind;
    long long t;
    (void)state;
    ss_pool_init(&p, 5);
    for (t = 0; t < 4; t++) {
        assert_int_equal(ss_pool_acquire(&p, SS_DELIVERY), t);
        run_on(&p, t, SS_DELIVERY);
    }
    assert_false(ss_pool_release(&p, 2, &next, &kind));
    assert_false(ss_pool_release(&p, 0, &next, &kind));
    assert_int_equal(ss_pool_acquire(&p, SS_OWA), 0);  /* freed last */
    run_on(&p, 0, SS_OWA);
    assert_int_equal(ss_pool_acquire(&p, SS_OWA), 2);
    run_on(&p, 2, SS_OWA);
    assert_int_equal(ss_pool_acquire(&p, SS_OWA), 4);  /* never used yet */
    run_on(&p, 4, SS_OWA);
    assert_int_equal(ss_pool_acquire(&p, SS_OWA), SS_POOL_NONE);
    assert_int_equal(p.busy_by[SS_OWA], 3);
    assert_int_equal(p.busy_by[SS_DELIVERY], 2);
    ss_pool_free(&p);
}

static void release_without_waiters_frees_thread(void **state)
{
    struct ss_pool p;
    struct ss_task next;
    enum ss_kind kind;
    (void)state;
    ss_pool_init(&p, 1);
    run_on(&p, ss_pool_acquire(&p, SS_MOVE), SS_MOVE);
    assert_false(ss_pool_release(&p, 0, &next, &kind));
    assert_int_equal(p.busy, 0);
    assert_int_equal(p.busy_by[SS_MOVE], 0);
    assert_int_equal(ss_pool_acquire(&p, SS_OWA), 0);
    ss_pool_free(&p);
}

/* Waiting tasks of different kinds leave in the order they came, each on
 * the thread that came free. */
static void oldest_waiting_task_across_kinds_goes_first(void **state)
{
    static const enum ss_kind order[] = {SS_FLUSH, SS_DELIVERY, SS_DELIVERY, SS_OWA, SS_FLUSH,
                                         SS_MOVE};
    struct ss_pool p;
    struct ss_task next;
    enum ss_kind kind;
    size_t i;
    (void)state;
    ss_pool_init(&p, 1);
    run_on(&p, ss_pool_acquire(&p, SS_MOVE), SS_MOVE);
    for (i = 0; i < sizeof order / sizeof *order; i++)
        assert_int_equal(ss_pool_wait(&p, order[i], (ss_time)i, 100 + (ss_time)i, i), 0);
    assert_int_equal(p.n_waiting, 6);
    assert_int_equal(ss_pool_waiting(&p, SS_DELIVERY), 2);
    for (i = 0; i < sizeof order / sizeof *order; i++) {
        assert_true(ss_pool_release(&p, 0, &next, &kind));
        assert_int_equal(kind, order[i]);
        assert_int_equal(next.enqueued, (ss_time)i);
        assert_int_equal(next.hold, 100 + (ss_time)i);
        assert_int_equal(next.ref, i);
        assert_int_equal(p.busy, 1); /* the thread passed straight on */
        assert_int_equal(p.busy_by[kind], 1);
        run_on(&p, 0, kind);
    }
    assert_int_equal(p.n_waiting, 0);
    ss_pool_free(&p);
}

/* The rings grow and wrap without losing order; so does the table. */
static void rings_grow_and_wrap(void **state)
{
    struct ss_pool p;
    struct ss_task next;
    enum ss_kind kind;
    uint64_t in = 0, out = 0;
    int round, i;
    (void)state;
    ss_pool_init(&p, 1);
    run_on(&p, ss_pool_acquire(&p, SS_DELIVERY), SS_DELIVERY);
    for (round = 0; round < 50; round++) {
        for (i = 0; i < 37 + round * 3; i++, in++)
            assert_int_equal(ss_pool_wait(&p, SS_DELIVERY, (ss_time)in, 1, in), 0);
        for (i = 0; i < 30 + round * 2; i++, out++) {
            assert_true(ss_pool_release(&p, 0, &next, &kind));
            assert_int_equal(next.ref, out);
        }
    }
    while (ss_pool_release(&p, 0, &next, &kind))
        assert_int_equal(next.ref, out++);
    assert_int_equal(out, in);
    ss_pool_free(&p);
    ss_pool_init(&p, 1000);
    for (i = 0; i < 1000; i++)
        run_on(&p, ss_pool_acquire(&p, SS_OWA), SS_OWA);
    assert_int_equal(p.used, 1000);
    assert_true(p.cap == 1000); /* never more than N */
    assert_int_equal(ss_pool_acquire(&p, SS_OWA), SS_POOL_NONE);
    ss_pool_free(&p);
}

static void drop_head_removes_oldest_of_kind(void **state)
{
    struct ss_pool p;
    (void)state;
    ss_pool_init(&p, 1);
    run_on(&p, ss_pool_acquire(&p, SS_FLUSH), SS_FLUSH);
    assert_null(ss_pool_head(&p, SS_OWA));
    ss_pool_wait(&p, SS_OWA, 10, 1, 1);
    ss_pool_wait(&p, SS_DELIVERY, 11, 1, 2);
    ss_pool_wait(&p, SS_OWA, 12, 1, 3);
    assert_int_equal(ss_pool_head(&p, SS_OWA)->enqueued, 10);
    assert_int_equal(ss_pool_queued(&p, SS_OWA, 1)->enqueued, 12);
    ss_pool_drop_head(&p, SS_OWA);
    assert_int_equal(ss_pool_head(&p, SS_OWA)->enqueued, 12);
    assert_int_equal(p.n_waiting, 2);
    ss_pool_free(&p);
}

/* A stop frees every thread and cuts what each ran; nothing may start until
 * the store runs again; then the oldest waiting tasks take threads 0, 1, ... */
static void stop_and_start(void **state)
{
    struct ss_pool p;
    struct ss_task next;
    enum ss_kind kind;
    long long t;
    uint64_t gen1, gen2;
    (void)state;
    ss_pool_init(&p, 3);
    run_on(&p, ss_pool_acquire(&p, SS_FLUSH), SS_FLUSH);
    run_on(&p, ss_pool_acquire(&p, SS_MOVE), SS_MOVE);
    run_on(&p, ss_pool_acquire(&p, SS_DELIVERY), SS_DELIVERY);
    assert_false(ss_pool_release(&p, 2, &next, &kind)); /* thread 2 is free */
    gen1 = p.thread[1].gen;
    gen2 = p.thread[2].gen;
    ss_pool_wait(&p, SS_DELIVERY, 5, 1, 7);
    ss_pool_wait(&p, SS_OWA, 6, 1, 8);
    ss_pool_stop(&p);
    assert_int_equal(p.busy, 0);
    assert_int_equal(p.busy_by[SS_FLUSH] + p.busy_by[SS_MOVE], 0);
    assert_int_equal(p.thread[1].gen, gen1 + 1); /* what it ran was cut */
    assert_int_equal(p.thread[2].gen, gen2);     /* it ran nothing */
    assert_int_equal(ss_pool_acquire(&p, SS_OWA), SS_POOL_NONE);
    assert_int_equal(ss_pool_take_oldest(&p, &t, &next, &kind), 0);
    assert_int_equal(p.n_waiting, 2);
    ss_pool_start(&p);
    assert_int_equal(ss_pool_take_oldest(&p, &t, &next, &kind), 1);
    assert_int_equal(t, 0);
    assert_int_equal(kind, SS_DELIVERY);
    assert_int_equal(next.ref, 7);
    run_on(&p, t, kind);
    assert_int_equal(ss_pool_take_oldest(&p, &t, &next, &kind), 1);
    assert_int_equal(t, 1);
    assert_int_equal(kind, SS_OWA);
    run_on(&p, t, kind);
    assert_int_equal(ss_pool_take_oldest(&p, &t, &next, &kind), 0);
    assert_true(ss_pool_pop_oldest(&p, &next, &kind) == false);
    ss_pool_free(&p);
}

static void kind_names(void **state)
{
    (void)state;
    assert_string_equal(ss_kind_name(SS_DELIVERY), "delivery");
    assert_string_equal(ss_kind_name(SS_OWA), "owa");
    assert_string_equal(ss_kind_name(SS_MOVE), "move");
    assert_string_equal(ss_kind_name(SS_FLUSH), "flush");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(acquires_until_full),
        cmocka_unit_test(the_thread_freed_last_goes_first),
        cmocka_unit_test(release_without_waiters_frees_thread),
        cmocka_unit_test(oldest_waiting_task_across_kinds_goes_first),
        cmocka_unit_test(rings_grow_and_wrap),
        cmocka_unit_test(drop_head_removes_oldest_of_kind),
        cmocka_unit_test(stop_and_start),
        cmocka_unit_test(kind_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
