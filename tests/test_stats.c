/* test_stats.c: the log-bucket wait histogram. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>

#include "storesim/rng.h"
#include "storesim/stats.h"

static struct ss_hist *new_hist(void)
{
    struct ss_hist *h = malloc(sizeof *h);
    assert_non_null(h);
    ss_hist_init(h);
    return h;
}

static void empty_histogram_reads_zero(void **state)
{
    struct ss_hist *h = new_hist();
    (void)state;
    assert_int_equal(h->count, 0);
    assert_true(ss_hist_mean(h) == 0.0);
    assert_int_equal(ss_hist_quantile(h, 0.5), 0);
    free(h);
}

static void small_values_are_exact(void **state)
{
    struct ss_hist *h = new_hist();
    int v;
    (void)state;
    for (v = 1; v <= 100; v++)
        ss_hist_add(h, v);
    assert_int_equal(ss_hist_quantile(h, 0.50), 50);
    assert_int_equal(ss_hist_quantile(h, 0.95), 95);
    assert_int_equal(ss_hist_quantile(h, 0.99), 99);
    assert_int_equal(ss_hist_quantile(h, 1.0), 100);
    assert_int_equal(h->max, 100);
    assert_int_equal(h->min, 1);
    assert_true(fabs(ss_hist_mean(h) - 50.5) < 1e-9);
    free(h);
}

/* Each bucket starts where the previous ends: buckets tile the values. */
static void buckets_are_contiguous_and_monotonic(void **state)
{
    int b;
    (void)state;
    for (b = 1; b < SS_HIST_BUCKETS; b++) {
        ss_time low = ss_hist_bucket_low(b);
        assert_true(low > ss_hist_bucket_low(b - 1));
        assert_int_equal(ss_hist_bucket(low), b);
        assert_int_equal(ss_hist_bucket(low - 1), b - 1);
    }
    assert_int_equal(ss_hist_bucket(INT64_MAX), SS_HIST_BUCKETS - 1);
}

/* Percentiles of many spread-out values stay within 1% of the exact ones. */
static int cmp_time(const void *a, const void *b)
{
    ss_time x = *(const ss_time *)a, y = *(const ss_time *)b;
    return (x > y) - (x < y);
}

static void quantiles_within_one_percent(void **state)
{
    enum { N = 100000 };
    struct ss_hist *h = new_hist();
    ss_time *v = malloc(N * sizeof *v);
    static const double qs[] = {0.5, 0.9, 0.95, 0.99, 0.999};
    struct ss_rng r;
    size_t i;
    (void)state;
    assert_non_null(v);
    ss_rng_stream(&r, 7, "test");
    for (i = 0; i < N; i++) {
        /* log-uniform over 1us .. ~3h */
        v[i] = (ss_time)exp(ss_rng_uniform(&r) * 23.0);
        ss_hist_add(h, v[i]);
    }
    qsort(v, N, sizeof *v, cmp_time);
    for (i = 0; i < sizeof qs / sizeof *qs; i++) {
        ss_time exact = v[(size_t)ceil(qs[i] * N) - 1];
        ss_time got = ss_hist_quantile(h, qs[i]);
        assert_true(fabs((double)(got - exact)) <= 0.01 * (double)exact + 1.0);
    }
    assert_int_equal(h->max, v[N - 1]);
    assert_int_equal(h->count, N);
    free(v);
    free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_histogram_reads_zero),
        cmocka_unit_test(small_values_are_exact),
        cmocka_unit_test(buckets_are_contiguous_and_monotonic),
        cmocka_unit_test(quantiles_within_one_percent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
