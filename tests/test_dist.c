/* test_dist.c: hold-time distributions sample what they say. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "storesim/dist.h"
#include "storesim/value.h"

struct moments {
    double mean, sd;
    ss_time min, max;
};

static struct moments sample_many(const struct ss_dist *d, const char *stream, int n)
{
    struct ss_rng r;
    struct moments m = {0.0, 0.0, SS_TIME_MAX, -1};
    double sum = 0.0, sumsq = 0.0;
    int i;
    ss_rng_stream(&r, 7, stream);
    for (i = 0; i < n; i++) {
        ss_time x = ss_dist_sample(d, &r);
        if (x < m.min)
            m.min = x;
        if (x > m.max)
            m.max = x;
        sum += (double)x;
        sumsq += (double)x * (double)x;
    }
    m.mean = sum / n;
    m.sd = sqrt(sumsq / n - m.mean * m.mean);
    return m;
}

static void assert_near(double got, double want, double rel_tolerance, const char *what)
{
    if (!(fabs(got - want) <= rel_tolerance * fabs(want)))
        fail_msg("%s: %.6g, expected %.6g within %.2g%%", what, got, want, rel_tolerance * 100);
}

static void test_const(void **state)
{
    struct ss_dist d = ss_dist_const(250 * SS_MS);
    struct ss_rng r;
    int i;
    (void)state;
    assert_int_equal(d.kind, SS_DIST_CONST);
    ss_rng_stream(&r, 1, "const");
    for (i = 0; i < 1000; i++)
        assert_int_equal(ss_dist_sample(&d, &r), 250 * SS_MS);
    d = ss_dist_const(0);
    assert_int_equal(ss_dist_sample(&d, &r), 0);
    d = ss_dist_const(SS_DAY);
    assert_int_equal(ss_dist_sample(&d, &r), SS_DAY);
}

static void test_exp_mean(void **state)
{
    struct ss_dist d = ss_dist_exp(200 * SS_MS);
    struct moments m;
    (void)state;
    assert_int_equal(d.kind, SS_DIST_EXP);
    m = sample_many(&d, "exp", 400000);
    /* Standard error is 0.16% of the mean; allow 1%. */
    assert_near(m.mean, 200000.0, 0.01, "exp(200ms) mean");
    /* The exponential's standard deviation equals its mean. */
    assert_near(m.sd, 200000.0, 0.02, "exp(200ms) sd");
    assert_true(m.min >= 0);
    assert_true(m.min < 1000);      /* many samples near 0 */
    assert_true(m.max > 2000000);   /* and a long tail (P(> 10 means) = e^-10) */
}

static void test_exp_sample_direct(void **state)
{
    struct ss_rng r;
    double sum = 0.0;
    int i;
    (void)state;
    ss_rng_stream(&r, 3, "gaps");
    for (i = 0; i < 200000; i++) {
        ss_time x = ss_exp_sample(50000.0, &r);
        assert_true(x >= 0);
        sum += (double)x;
    }
    assert_near(sum / 200000, 50000.0, 0.01, "ss_exp_sample(50ms) mean");
    /* A huge mean is clamped, never overflowing the clock. */
    for (i = 0; i < 1000; i++) {
        ss_time x = ss_exp_sample(1e30, &r);
        assert_true(x >= 0);
        assert_true(x <= 100 * 365 * SS_DAY);
    }
}

/* The shape, not just the mean: the empirical distribution function at a few
 * points against the exact one. A sampler can get the mean right and the
 * shape wrong (a bad ziggurat table, a wrong tail); this catches that. With
 * 400000 samples the standard error of each fraction is under 0.0008. */
static void check_cdf(const struct ss_dist *d, const char *stream, const double *at,
                      const double *want, size_t points)
{
    enum { N = 400000 };
    struct ss_rng r;
    long below[16] = {0};
    size_t k;
    int i;
    assert_true(points <= 16);
    ss_rng_stream(&r, 13, stream);
    for (i = 0; i < N; i++) {
        double x = (double)ss_dist_sample(d, &r);
        for (k = 0; k < points; k++)
            if (x <= at[k])
                below[k]++;
    }
    for (k = 0; k < points; k++) {
        double got = (double)below[k] / N;
        if (fabs(got - want[k]) > 0.004)
            fail_msg("%s: P(X <= %.0f) = %.4f, expected %.4f", stream, at[k], got, want[k]);
    }
}

static void test_exp_shape(void **state)
{
    static const double q[] = {0.01, 0.1, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0};
    struct ss_dist d = ss_dist_exp(SS_SECOND);
    double at[8], want[8];
    size_t k;
    (void)state;
    for (k = 0; k < 8; k++) {
        at[k] = q[k] * 1e6;
        want[k] = 1.0 - exp(-q[k]);
    }
    check_cdf(&d, "exp.shape", at, want, 8);
}

/* Pearson's chi-square over 64 equally likely bins of the exponential, with
 * 4 million samples: sensitive to small distortions of the shape in any part
 * of the range. The seed is fixed, so the test is deterministic; the bound is
 * the 99.999th percentile of chi-square with 63 degrees of freedom. */
static void test_exp_chi_square(void **state)
{
    enum { N = 4000000, BINS = 64 };
    struct ss_rng r;
    long count[BINS] = {0};
    double chi2 = 0.0, expected = (double)N / BINS;
    int i;
    (void)state;
    ss_rng_stream(&r, 17, "exp.chi2");
    for (i = 0; i < N; i++) {
        /* Mean 1e9 us, so rounding to the microsecond does not matter. */
        double x = (double)ss_exp_sample(1e9, &r) / 1e9;
        int bin = (int)(-expm1(-x) * BINS); /* the CDF maps to a uniform */
        if (bin >= BINS)
            bin = BINS - 1;
        count[bin]++;
    }
    for (i = 0; i < BINS; i++)
        chi2 += ((double)count[i] - expected) * ((double)count[i] - expected) / expected;
    if (chi2 > 117.0)
        fail_msg("exponential samples: chi-square %.1f over %d bins (bound 117)", chi2, BINS);
}

static void test_lognormal_shape(void **state)
{
    static const double q[] = {0.2, 0.5, 0.8, 1.0, 1.5, 2.0, 3.0};
    struct ss_dist d = ss_dist_lognormal(SS_SECOND, 700 * SS_MS);
    double at[7], want[7];
    size_t k;
    (void)state;
    for (k = 0; k < 7; k++) {
        at[k] = q[k] * 1e6;
        want[k] = 0.5 * erfc(-(log(at[k]) - d.mu) / (d.sigma * sqrt(2.0)));
    }
    check_cdf(&d, "lognormal.shape", at, want, 7);
}

static void test_uniform(void **state)
{
    struct ss_dist d = ss_dist_uniform(SS_MINUTE, 5 * SS_MINUTE);
    struct moments m;
    (void)state;
    assert_int_equal(d.kind, SS_DIST_UNIFORM);
    m = sample_many(&d, "uniform", 200000);
    assert_true(m.min >= SS_MINUTE);
    assert_true(m.max <= 5 * SS_MINUTE);
    /* The samples reach both ends of the range. */
    assert_true(m.min < SS_MINUTE + SS_SECOND);
    assert_true(m.max > 5 * SS_MINUTE - SS_SECOND);
    assert_near(m.mean, 3.0 * SS_MINUTE, 0.005, "uniform(1m, 5m) mean");
    /* sd of uniform(a, b) is (b - a) / sqrt(12). */
    assert_near(m.sd, 4.0 * SS_MINUTE / sqrt(12.0), 0.01, "uniform(1m, 5m) sd");
}

static void test_uniform_degenerate(void **state)
{
    struct ss_dist d = ss_dist_uniform(7, 7);
    struct moments m = sample_many(&d, "flat", 1000);
    (void)state;
    assert_int_equal(m.min, 7);
    assert_int_equal(m.max, 7);
    d = ss_dist_uniform(0, 2);
    m = sample_many(&d, "tiny", 10000);
    assert_int_equal(m.min, 0);
    assert_int_equal(m.max, 2);
}

static void test_lognormal(void **state)
{
    struct ss_dist d = ss_dist_lognormal(SS_SECOND, 500 * SS_MS);
    struct moments m;
    (void)state;
    assert_int_equal(d.kind, SS_DIST_LOGNORMAL);
    /* The parameters of the underlying normal: sigma^2 = ln(1 + 0.25). */
    assert_true(fabs(d.sigma - sqrt(log(1.25))) < 1e-12);
    assert_true(fabs(d.mu - (log(1e6) - log(1.25) / 2.0)) < 1e-12);
    m = sample_many(&d, "lognormal", 400000);
    /* The mean and sd are those of the hold time itself, as given. */
    assert_near(m.mean, 1e6, 0.005, "lognormal(1s, 500ms) mean");
    assert_near(m.sd, 5e5, 0.03, "lognormal(1s, 500ms) sd");
    assert_true(m.min > 0);
}

static void test_lognormal_median(void **state)
{
    /* The median of a lognormal is exp(mu): check that half the samples lie
     * below it, which the mean alone would not catch. */
    struct ss_dist d = ss_dist_lognormal(10 * SS_SECOND, 20 * SS_SECOND);
    struct ss_rng r;
    double median = exp(d.mu);
    int below = 0, i;
    (void)state;
    ss_rng_stream(&r, 11, "median");
    for (i = 0; i < 100000; i++)
        if ((double)ss_dist_sample(&d, &r) < median)
            below++;
    assert_true(below > 49000 && below < 51000);
}

static void test_lognormal_zero_sd_is_constant(void **state)
{
    struct ss_dist d = ss_dist_lognormal(3 * SS_SECOND, 0);
    struct moments m = sample_many(&d, "nosd", 1000);
    (void)state;
    assert_int_equal(m.min, 3 * SS_SECOND);
    assert_int_equal(m.max, 3 * SS_SECOND);
}

static void test_same_stream_same_samples(void **state)
{
    struct ss_dist d = ss_dist_exp(SS_SECOND);
    struct ss_rng a, b, c;
    int i, differ = 0;
    (void)state;
    ss_rng_stream(&a, 5, "delivery.service");
    ss_rng_stream(&b, 5, "delivery.service");
    ss_rng_stream(&c, 6, "delivery.service");
    for (i = 0; i < 1000; i++) {
        ss_time x = ss_dist_sample(&d, &a);
        assert_int_equal(x, ss_dist_sample(&d, &b));
        if (x != ss_dist_sample(&d, &c))
            differ++;
    }
    assert_true(differ > 990);
}

static void test_mean(void **state)
{
    struct ss_dist d;
    (void)state;
    d = ss_dist_const(250 * SS_MS);
    assert_true(ss_dist_mean(&d) == 250000.0);
    d = ss_dist_exp(200 * SS_MS);
    assert_true(ss_dist_mean(&d) == 200000.0);
    d = ss_dist_uniform(SS_MINUTE, 5 * SS_MINUTE);
    assert_true(ss_dist_mean(&d) == 180000000.0);
    d = ss_dist_uniform(0, 3);
    assert_true(ss_dist_mean(&d) == 1.5);
    d = ss_dist_lognormal(SS_SECOND, 500 * SS_MS);
    assert_true(ss_dist_mean(&d) == 1000000.0);
}

static void check_text(struct ss_dist d, const char *want)
{
    char buf[128], err[SS_ERR_TEXT];
    struct ss_dist back;
    assert_ptr_equal(ss_dist_text(buf, sizeof buf, &d), buf);
    assert_string_equal(buf, want);
    /* What the text says parses back to the same distribution. */
    if (ss_parse_dist(buf, &back, err) != 0)
        fail_msg("\"%s\" does not parse: %s", buf, err);
    assert_int_equal(back.kind, d.kind);
    assert_int_equal(back.a, d.a);
    if (d.kind == SS_DIST_UNIFORM || d.kind == SS_DIST_LOGNORMAL)
        assert_int_equal(back.b, d.b);
}

static void test_text(void **state)
{
    char small[8];
    struct ss_dist d;
    (void)state;
    check_text(ss_dist_const(250 * SS_MS), "250ms");
    check_text(ss_dist_const(0), "0s");
    check_text(ss_dist_const(90 * SS_MINUTE), "1h30m");
    check_text(ss_dist_exp(200 * SS_MS), "exp(200ms)");
    check_text(ss_dist_exp(1500 * SS_MS), "exp(1s500ms)");
    check_text(ss_dist_uniform(SS_MINUTE, 5 * SS_MINUTE), "uniform(1m, 5m)");
    check_text(ss_dist_uniform(0, SS_SECOND), "uniform(0s, 1s)");
    check_text(ss_dist_lognormal(SS_SECOND, 500 * SS_MS), "lognormal(1s, 500ms)");
    check_text(ss_dist_lognormal(2 * SS_HOUR, 0), "lognormal(2h, 0s)");
    /* A short buffer gets a truncated, terminated text. */
    d = ss_dist_uniform(SS_MINUTE, 5 * SS_MINUTE);
    memset(small, 'x', sizeof small);
    ss_dist_text(small, sizeof small, &d);
    assert_string_equal(small, "uniform");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_const),
        cmocka_unit_test(test_exp_mean),
        cmocka_unit_test(test_exp_sample_direct),
        cmocka_unit_test(test_exp_shape),
        cmocka_unit_test(test_exp_chi_square),
        cmocka_unit_test(test_uniform),
        cmocka_unit_test(test_uniform_degenerate),
        cmocka_unit_test(test_lognormal),
        cmocka_unit_test(test_lognormal_median),
        cmocka_unit_test(test_lognormal_shape),
        cmocka_unit_test(test_lognormal_zero_sd_is_constant),
        cmocka_unit_test(test_same_stream_same_samples),
        cmocka_unit_test(test_mean),
        cmocka_unit_test(test_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
