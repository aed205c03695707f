/*
 * test_arrivals.c: arrival streams keep exact time at any allowed rate.
 *
 * Each arrival is handled at the first microsecond at or after its exact
 * time; gaps are never rounded one by one (docs/model.md, section 3).
 */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"
#include "storesim/value.h"

static struct ss_profile rate_of(const char *text)
{
    struct ss_profile r;
    char err[SS_ERR_TEXT];
    if (ss_parse_profile(text, &r, err) != 0)
        fail_msg("%s", err);
    return r;
}

static void regular_times_are_exact(void **state)
{
    struct ss_scenario sc;
    struct arrivals a;
    struct ss_profile r = rate_of("3/s");
    (void)state;
    memset(&sc, 0, sizeof sc);
    assert_true(arrivals_init(&a, &sc, "test", true, &r, true));
    /* 1/3 s apart: 333,333.33 us, handled at the next whole microsecond. */
    assert_int_equal(arrivals_next(&a), 333334);
    assert_int_equal(arrivals_next(&a), 666667);
    assert_int_equal(arrivals_next(&a), 1000000);
    assert_int_equal(arrivals_next(&a), 1333334);
    /* Faster than one a microsecond: several share an instant, time moves on. */
    r = rate_of("2500000/s");
    assert_true(arrivals_init(&a, &sc, "test", true, &r, true));
    assert_int_equal(arrivals_next(&a), 1);  /* 0.4 */
    assert_int_equal(arrivals_next(&a), 1);  /* 0.8 */
    assert_int_equal(arrivals_next(&a), 2);  /* 1.2 */
    assert_int_equal(arrivals_next(&a), 2);  /* 1.6 */
    assert_int_equal(arrivals_next(&a), 2);  /* 2.0 */
    assert_int_equal(arrivals_next(&a), 3);  /* 2.4 */
    /* The slowest rate: one gap of 10^15 us. */
    r = rate_of("0.000000001/s");
    assert_true(arrivals_init(&a, &sc, "test", true, &r, true));
    assert_int_equal(arrivals_next(&a), 1000000000000000LL);
    /* No arrivals: a rate of 0, or no section. */
    r = rate_of("0/s");
    assert_false(arrivals_init(&a, &sc, "test", true, &r, true));
    r = rate_of("5/s");
    assert_false(arrivals_init(&a, &sc, "test", false, &r, false));
}

/* Arrivals in a run of `duration` at `rate`, counted by the simulator. */
static unsigned long long arrived(const char *rate, const char *arrivals, const char *duration,
                                  unsigned long long seed)
{
    struct ss_scenario sc;
    struct ss_results *res = malloc(sizeof *res);
    char text[512], why[128];
    unsigned long long n;
    assert_non_null(res);
    snprintf(text, sizeof text,
             "[simulation]\nduration = %s\nseed = %llu\n[store]\nthreads = 1000000\n"
             "[delivery]\nrate = %s\narrivals = %s\nservice = 0s\n",
             duration, seed, rate, arrivals);
    testutil_scenario(&sc, "rate.scn", text, NULL, 0);
    assert_int_equal(ss_simulate(&sc, NULL, res, why, sizeof why), 0);
    n = res->delivery.arrived;
    ss_results_free(res);
    free(res);
    ss_scenario_free(&sc);
    return n;
}

/* Regular arrivals give exactly rate x duration at any allowed rate. */
static void regular_counts_are_exact(void **state)
{
    (void)state;
    assert_int_equal(arrived("3000000/s", "regular", "100ms", 1), 300000);
    assert_int_equal(arrived("1000000000/s", "regular", "200us", 1), 200000);
    assert_int_equal(arrived("0.7/s", "regular", "1h", 1), 2520);
    assert_int_equal(arrived("7/m", "regular", "1h", 1), 420);
    assert_int_equal(arrived("5000/h", "regular", "1d", 1), 120000);
    assert_int_equal(arrived("86400/d", "regular", "10m", 1), 600);
    assert_int_equal(arrived("0.000000001/s", "regular", "1d", 1), 0);
}

/* Poisson counts at high rates are Poisson: within the 99% interval of the
 * mean (mean +- 2.576 sd, sd = sqrt(mean)), for each of several seeds. Each
 * gap rounded to a microsecond gave 4% too many at 10^6/s and 142% at
 * 5 x 10^6/s. */
static void poisson_counts_at_high_rates(void **state)
{
    static const struct {
        const char *rate, *duration;
        double mean;
    } cases[] = {{"1000000/s", "100ms", 100000}, {"10000000/s", "10ms", 100000},
                 {"5000000/s", "20ms", 100000}, {"20/s", "1h", 72000}};
    size_t c;
    unsigned long long seed;
    (void)state;
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (seed = 1; seed <= 3; seed++) {
            double n = (double)arrived(cases[c].rate, "poisson", cases[c].duration, seed);
            double half = 2.576 * sqrt(cases[c].mean);
            if (fabs(n - cases[c].mean) > half)
                fail_msg("%s for %s, seed %llu: %.0f arrivals, outside %.0f +- %.0f",
                         cases[c].rate, cases[c].duration, seed, n, cases[c].mean, half);
        }
    }
}

/* Rates outside the allowed range are refused at their line. */
static void rates_out_of_range_are_refused(void **state)
{
    const char *path = testutil_tmp("arrivals-low.scn");
    struct testutil_run r;
    (void)state;
    assert_int_equal(testutil_write(path, "[simulation]\nduration = 1h\n[store]\nthreads = 4\n"
                                          "[delivery]\nrate = 0.0000000000001/s\n"
                                          "arrivals = regular\nservice = 1s\n"),
                     0);
    r = testutil_cli("check", path, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "arrivals-low.scn:6: error: delivery.rate: "));
    assert_non_null(strstr(r.err, "too low"));
    testutil_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(regular_times_are_exact),
        cmocka_unit_test(regular_counts_are_exact),
        cmocka_unit_test(poisson_counts_at_high_rates),
        cmocka_unit_test(rates_out_of_range_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
