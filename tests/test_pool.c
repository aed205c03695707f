/* test_pool.c: the task pool: counts, one shared FIFO across kinds. */
#include "testutil.h"

#include "storesim/pool.h"

static void acquires_until_full(void **state)
{
    struct ss_pool p;
    (void)state;
    ss_pool_init(&p, 2);
    assert_true(ss_pool_try_acquire(&p, SS_DELIVERY));
    assert_true(ss_pool_try_acquire(&p, SS_FLUSH));
    assert_false(ss_pool_try_acquire(&p, SS_OWA));
    assert_int_equal(p.busy, 2);
    assert_int_equal(p.busy_by[SS_DELIVERY], 1);
    assert_int_equal(p.busy_by[SS_FLUSH], 1);
    assert_int_equal(p.busy_by[SS_OWA], 0);
    ss_pool_free(&p);
}

static void release_without_waiters_frees_thread(void **state)
{
    struct ss_pool p;
    struct ss_task next;
    enum ss_kind kind;
    (void)state;
    ss_pool_init(&p, 1);
    assert_true(ss_pool_try_acquire(&p, SS_MOVE));
    assert_false(ss_pool_release(&p, SS_MOVE, &next, &kind));
    assert_int_equal(p.busy, 0);
    assert_int_equal(p.busy_by[SS_MOVE], 0);
    assert_true(ss_pool_try_acquire(&p, SS_OWA));
    ss_pool_free(&p);
}

/* Waiting tasks of different kinds leave in the order they came. */
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
    assert_true(ss_pool_try_acquire(&p, SS_MOVE));
    for (i = 0; i < sizeof order / sizeof *order; i++)
        assert_int_equal(ss_pool_wait(&p, order[i], (ss_time)i, 100 + (ss_time)i, i), 0);
    assert_int_equal(p.n_waiting, 6);
    assert_int_equal(ss_pool_waiting(&p, SS_DELIVERY), 2);
    for (i = 0; i < sizeof order / sizeof *order; i++) {
        assert_true(ss_pool_release(&p, i == 0 ? SS_MOVE : order[i - 1], &next, &kind));
        assert_int_equal(kind, order[i]);
        assert_int_equal(next.enqueued, (ss_time)i);
        assert_int_equal(next.hold, 100 + (ss_time)i);
        assert_int_equal(next.ref, i);
        assert_int_equal(p.busy, 1); /* the thread passed straight on */
        assert_int_equal(p.busy_by[kind], 1);
    }
    assert_int_equal(p.n_waiting, 0);
    ss_pool_free(&p);
}

/* The rings grow and wrap without losing order. */
static void rings_grow_and_wrap(void **state)
{
    struct ss_pool p;
    struct ss_task next;
    enum ss_kind kind;
    uint64_t in = 0, out = 0;
    int round, i;
    (void)state;
    ss_pool_init(&p, 1);
    assert_true(ss_pool_try_acquire(&p, SS_DELIVERY));
    for (round = 0; round < 50; round++) {
        for (i = 0; i < 37 + round * 3; i++, in++)
            assert_int_equal(ss_pool_wait(&p, SS_DELIVERY, (ss_time)in, 1, in), 0);
        for (i = 0; i < 30 + round * 2; i++, out++) {
            assert_true(ss_pool_release(&p, SS_DELIVERY, &next, &kind));
            assert_int_equal(next.ref, out);
        }
    }
    while (ss_pool_release(&p, SS_DELIVERY, &next, &kind))
        assert_int_equal(next.ref, out++);
    assert_int_equal(out, in);
    ss_pool_free(&p);
}

static void drop_head_removes_oldest_of_kind(void **state)
{
    struct ss_pool p;
    (void)state;
    ss_pool_init(&p, 1);
    assert_true(ss_pool_try_acquire(&p, SS_FLUSH));
    assert_null(ss_pool_head(&p, SS_OWA));
    ss_pool_wait(&p, SS_OWA, 10, 1, 1);
    ss_pool_wait(&p, SS_DELIVERY, 11, 1, 2);
    ss_pool_wait(&p, SS_OWA, 12, 1, 3);
    assert_int_equal(ss_pool_head(&p, SS_OWA)->enqueued, 10);
    ss_pool_drop_head(&p, SS_OWA);
    assert_int_equal(ss_pool_head(&p, SS_OWA)->enqueued, 12);
    assert_int_equal(p.n_waiting, 2);
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
        cmocka_unit_test(release_without_waiters_frees_thread),
        cmocka_unit_test(oldest_waiting_task_across_kinds_goes_first),
        cmocka_unit_test(rings_grow_and_wrap),
        cmocka_unit_test(drop_head_removes_oldest_of_kind),
        cmocka_unit_test(kind_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
