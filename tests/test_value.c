/* test_value.c: the value types of scenario files (SPEC section 3). */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "storesim/value.h"

/* ---- durations ---------------------------------------------------------- */

static void duration_ok(const char *text, ss_time want)
{
    char err[SS_ERR_TEXT] = "";
    ss_time got = -42;
    if (ss_parse_duration(text, &got, err) != 0)
        fail_msg("ss_parse_duration(\"%s\") failed: %s", text, err);
    if (got != want)
        fail_msg("ss_parse_duration(\"%s\") = %lld, expected %lld", text, (long long)got,
                 (long long)want);
}

/* Fails, leaves *out alone, and the message contains `says`. */
static void duration_bad(const char *text, const char *says)
{
    char err[SS_ERR_TEXT] = "";
    ss_time got = -42;
    if (ss_parse_duration(text, &got, err) != -1)
        fail_msg("ss_parse_duration(\"%s\") accepted it as %lld", text, (long long)got);
    assert_int_equal(got, -42);
    if (strstr(err, says) == NULL)
        fail_msg("ss_parse_duration(\"%s\") said \"%s\", expected it to mention \"%s\"", text,
                 err, says);
}

static void test_duration_units(void **state)
{
    (void)state;
    duration_ok("250ms", 250 * SS_MS);
    duration_ok("30s", 30 * SS_SECOND);
    duration_ok("15m", 15 * SS_MINUTE);
    duration_ok("2h", 2 * SS_HOUR);
    duration_ok("1d", SS_DAY);
    duration_ok("750us", 750);
    duration_ok("0s", 0);
    duration_ok("0ms", 0);
    duration_ok("007s", 7 * SS_SECOND);
}

static void test_duration_sums(void **state)
{
    (void)state;
    duration_ok("1h30m", 90 * SS_MINUTE);
    duration_ok("1h 30m", 90 * SS_MINUTE);
    duration_ok("1d2h3m4s5ms6us",
                SS_DAY + 2 * SS_HOUR + 3 * SS_MINUTE + 4 * SS_SECOND + 5 * SS_MS + 6);
    duration_ok("2s500ms", 2500 * SS_MS);
    duration_ok("  45s  ", 45 * SS_SECOND);
    duration_ok("\t1m\t30s", 90 * SS_SECOND);
}

static void test_duration_decimals(void **state)
{
    (void)state;
    duration_ok("1.5s", 1500 * SS_MS);
    duration_ok("0.25s", 250 * SS_MS);
    duration_ok("2.5h", 150 * SS_MINUTE);
    duration_ok("0.001s", SS_MS);
    duration_ok("1.5ms", 1500);
    duration_ok("0.1s", 100 * SS_MS);
    duration_ok("1.5m30s", 2 * SS_MINUTE);
    /* Below a microsecond rounds to the nearest one. */
    duration_ok("0.4us", 0);
    duration_ok("0.6us", 1);
}

static void test_duration_limits(void **state)
{
    (void)state;
    duration_ok("36500d", SS_DURATION_MAX);
    duration_ok("876000h", SS_DURATION_MAX);
    duration_bad("36501d", "too long");
    duration_bad("36500d1us", "too long");
    duration_bad("36499d48h", "too long");
    duration_bad("999999999999d", "too long");
    duration_bad("99999999999999999999999999s", "too long");
    duration_bad("36500.5d", "too long");
    /* 2^64 and 2^64 + 1 must not wrap round to 0us and 1d. */
    duration_bad("18446744073709551616us", "too long");
    duration_bad("18446744073709551617d", "too long");
}

static void test_duration_errors(void **state)
{
    (void)state;
    duration_bad("30", "no unit");
    duration_bad("1.5", "no unit");
    duration_bad("1h30", "no unit");
    duration_bad("-5s", "negative");
    duration_bad(" -5s", "negative");
    duration_bad("", "missing");
    duration_bad("   ", "missing");
    duration_bad("5x", "unknown unit 'x'");
    duration_bad("5sec", "unknown unit 'sec'");
    duration_bad("5S", "unknown unit");
    duration_bad("5min", "unknown unit");
    duration_bad("s", "not a duration");
    duration_bad("ms", "not a duration");
    duration_bad(".5s", "not a duration");
    duration_bad("5.s", "not a duration");
    duration_bad("1e3s", "unknown unit");
    duration_bad("+5s", "not a duration");
    duration_bad("5s,", "unexpected ','");
    duration_bad("5s x", "unexpected 'x'");
    duration_bad("5s -1s", "unexpected");
    duration_bad("1h 30", "no unit");
    duration_bad("1h 30m garbage", "unexpected 'garbage'");
}

/* A malformed number after a valid part: found by review, it used to make the
 * parser hand back a NULL end pointer and crash. */
static void test_duration_malformed_second_part(void **state)
{
    (void)state;
    duration_bad("1s 2.", "2.");
    duration_bad("1s2.", "2.");
    duration_bad("1h 5.x", "5.x");
}

static void test_duration_error_message_is_useful(void **state)
{
    char err[SS_ERR_TEXT];
    ss_time t;
    (void)state;
    assert_int_equal(ss_parse_duration("30", &t, err), -1);
    /* It names the value and shows how to write it. */
    assert_non_null(strstr(err, "'30'"));
    assert_non_null(strstr(err, "30s"));
    assert_int_equal(ss_parse_duration("5fortnights", &t, err), -1);
    assert_non_null(strstr(err, "us, ms, s, m, h or d"));
}

/* ---- rates -------------------------------------------------------------- */

static void rate_ok(const char *text, double want)
{
    char err[SS_ERR_TEXT] = "";
    struct ss_rate rate;
    if (ss_parse_rate(text, &rate, err) != 0)
        fail_msg("ss_parse_rate(\"%s\") failed: %s", text, err);
    if (!(fabs(rate.per_second - want) <= 1e-12 * fabs(want)))
        fail_msg("ss_parse_rate(\"%s\") = %.17g, expected %.17g", text, rate.per_second, want);
}

/* The exact form: count x 10^-decimals per unit. */
static void rate_exact(const char *text, unsigned long long count, int decimals, ss_time unit)
{
    char err[SS_ERR_TEXT] = "";
    struct ss_rate rate;
    if (ss_parse_rate(text, &rate, err) != 0)
        fail_msg("ss_parse_rate(\"%s\") failed: %s", text, err);
    if (rate.count != count || rate.decimals != decimals || rate.unit != unit)
        fail_msg("ss_parse_rate(\"%s\") = %llu x 10^-%d per %lld us, expected %llu x 10^-%d per "
                 "%lld us",
                 text, (unsigned long long)rate.count, rate.decimals, (long long)rate.unit, count,
                 decimals, (long long)unit);
}

static void rate_bad(const char *text, const char *says)
{
    char err[SS_ERR_TEXT] = "";
    struct ss_rate rate;
    if (ss_parse_rate(text, &rate, err) != -1)
        fail_msg("ss_parse_rate(\"%s\") accepted it as %g", text, rate.per_second);
    if (strstr(err, says) == NULL)
        fail_msg("ss_parse_rate(\"%s\") said \"%s\", expected it to mention \"%s\"", text, err,
                 says);
}

static void test_rate(void **state)
{
    (void)state;
    rate_ok("20/s", 20.0);
    rate_ok("600/m", 10.0);
    rate_ok("5000/h", 5000.0 / 3600.0);
    rate_ok("86400/d", 1.0);
    rate_ok("0.9/s", 0.9);
    rate_ok("1.5/m", 0.025);
    rate_ok("0/s", 0.0);
    rate_ok("20 / s", 20.0);
    rate_ok(" 20/s ", 20.0);
    rate_ok("1000000000/s", SS_RATE_MAX);
    rate_ok("0.000000001/s", SS_RATE_MIN);
    rate_ok("0.0000864/d", SS_RATE_MIN);
    rate_exact("20/s", 20, 0, SS_SECOND);
    rate_exact("0.25/m", 25, 2, SS_MINUTE);
    rate_exact("0.250/h", 25, 2, SS_HOUR);
    rate_exact("007.50/d", 75, 1, SS_DAY);
    rate_exact("3000000/s", 3000000, 0, SS_SECOND);
    rate_exact("0/s", 0, 0, SS_SECOND);
    rate_exact("0.000/s", 0, 0, SS_SECOND);
    rate_exact("0.123456789012345678/s", 123456789012345678ULL, 18, SS_SECOND);
    rate_exact("1.00000000000000000000/s", 1, 0, SS_SECOND);
}

static void test_rate_errors(void **state)
{
    (void)state;
    rate_bad("20", "not a rate");
    rate_bad("20/x", "unknown unit");
    rate_bad("20/", "unknown unit");
    rate_bad("20/ms", "unknown unit");
    rate_bad("20/sec", "unknown unit");
    rate_bad("20/s/s", "unknown unit");
    rate_bad("-20/s", "negative");
    rate_bad("", "missing");
    rate_bad("/s", "not a rate");
    rate_bad("fast", "not a rate");
    rate_bad("20s", "not a rate");
    rate_bad("1000000001/s", "too high");
    rate_bad("2000000000000/s", "too high");
    rate_bad("99999999999999999999999/h", "too high");
    rate_bad("18446744073709551616/s", "too high"); /* 2^64: must not wrap to 0 */
    /* Above 0 but below one in about 32 years: no run could see an arrival. */
    rate_bad("0.0000000000001/s", "too low");
    rate_bad("0.0000000009/s", "too low");
    rate_bad("0.00008/d", "too low");
    rate_bad("1.0000000000000000001/s", "significant digits");
}

static void test_rate_text(void **state)
{
    static const double rates[] = {20.0,  0.9, 10.0, 5000.0 / 3600.0, 0.025, 1e9,
                                   1e-6,  1.0 / 86400.0, 7.0 / 86400.0, 123456.789, 0.0};
    char buf[64], err[SS_ERR_TEXT];
    size_t i;
    (void)state;
    assert_string_equal(ss_rate_text(buf, sizeof buf, 20.0), "20/s");
    assert_string_equal(ss_rate_text(buf, sizeof buf, 0.9), "0.9/s");
    assert_string_equal(ss_rate_text(buf, sizeof buf, 10.0), "10/s");
    assert_string_equal(ss_rate_text(buf, sizeof buf, 0.0), "0/s");
    assert_string_equal(ss_rate_text(buf, sizeof buf, 1e9), "1000000000/s");
    assert_string_equal(ss_rate_text(buf, sizeof buf, 5000.0 / 3600.0), "1.38888888888889/s");
    /* Slow rates in plain decimals, never "1.2e-05": a scenario cannot say that. */
    assert_string_equal(ss_rate_text(buf, sizeof buf, 1e-6), "0.000001/s");
    assert_string_equal(ss_rate_text(buf, sizeof buf, 1.0 / 86400.0), "0.0000115740740740741/s");
    assert_ptr_equal(ss_rate_text(buf, sizeof buf, 1.0), buf);
    /* Every text is a rate a scenario can state, and means the same rate. */
    for (i = 0; i < sizeof rates / sizeof rates[0]; i++) {
        struct ss_rate back;
        ss_rate_text(buf, sizeof buf, rates[i]);
        if (ss_parse_rate(buf, &back, err) != 0)
            fail_msg("ss_rate_text(%g) = \"%s\" does not parse: %s", rates[i], buf, err);
        if (!(fabs(back.per_second - rates[i]) <= 1e-13 * rates[i]))
            fail_msg("ss_rate_text(%.17g) = \"%s\" reads back as %.17g", rates[i], buf,
                     back.per_second);
    }
}

/* ---- distributions ------------------------------------------------------ */

static struct ss_dist dist_ok(const char *text)
{
    char err[SS_ERR_TEXT] = "";
    struct ss_dist d;
    memset(&d, 0, sizeof d);
    if (ss_parse_dist(text, &d, err) != 0)
        fail_msg("ss_parse_dist(\"%s\") failed: %s", text, err);
    return d;
}

static void dist_bad(const char *text, const char *says)
{
    char err[SS_ERR_TEXT] = "";
    struct ss_dist d;
    if (ss_parse_dist(text, &d, err) != -1)
        fail_msg("ss_parse_dist(\"%s\") accepted it", text);
    if (strstr(err, says) == NULL)
        fail_msg("ss_parse_dist(\"%s\") said \"%s\", expected it to mention \"%s\"", text, err,
                 says);
}

static void test_dist(void **state)
{
    struct ss_dist d;
    (void)state;
    d = dist_ok("250ms");
    assert_int_equal(d.kind, SS_DIST_CONST);
    assert_int_equal(d.a, 250 * SS_MS);
    d = dist_ok("1h30m");
    assert_int_equal(d.kind, SS_DIST_CONST);
    assert_int_equal(d.a, 90 * SS_MINUTE);
    d = dist_ok("0s");
    assert_int_equal(d.kind, SS_DIST_CONST);
    assert_int_equal(d.a, 0);
    d = dist_ok("exp(200ms)");
    assert_int_equal(d.kind, SS_DIST_EXP);
    assert_int_equal(d.a, 200 * SS_MS);
    d = dist_ok(" exp ( 1.5s ) ");
    assert_int_equal(d.kind, SS_DIST_EXP);
    assert_int_equal(d.a, 1500 * SS_MS);
    d = dist_ok("uniform(1m, 5m)");
    assert_int_equal(d.kind, SS_DIST_UNIFORM);
    assert_int_equal(d.a, SS_MINUTE);
    assert_int_equal(d.b, 5 * SS_MINUTE);
    d = dist_ok("uniform(1m,1m)");
    assert_int_equal(d.kind, SS_DIST_UNIFORM);
    assert_int_equal(d.a, d.b);
    d = dist_ok("uniform(0s, 1h30m)");
    assert_int_equal(d.b, 90 * SS_MINUTE);
    d = dist_ok("lognormal(1s, 500ms)");
    assert_int_equal(d.kind, SS_DIST_LOGNORMAL);
    assert_int_equal(d.a, SS_SECOND);
    assert_int_equal(d.b, 500 * SS_MS);
    /* The underlying normal's parameters are filled in too. */
    assert_true(fabs(d.sigma - sqrt(log(1.25))) < 1e-12);
}

static void test_dist_errors(void **state)
{
    (void)state;
    dist_bad("", "missing");
    dist_bad("uniform(5m, 1m)", "minimum is above the maximum");
    dist_bad("exp(", "not a duration");
    dist_bad("exp()", "not a duration");
    dist_bad("exp(1s", "expected ')'");
    dist_bad("exp(1s, 2s)", "expected ')'");
    dist_bad("uniform(1s)", "expected ','");
    dist_bad("uniform(1s 2s)", "expected ','");
    dist_bad("lognormal(1s)", "expected ','");
    dist_bad("foo(1s)", "unknown distribution 'foo'");
    dist_bad("Exp(1s)", "unknown distribution 'Exp'");
    dist_bad("EXP", "not a distribution");
    dist_bad("exp", "not a distribution");
    dist_bad("exp 1s", "not a distribution");
    dist_bad("exp(1s) x", "unexpected 'x'");
    dist_bad("exp(1s))", "unexpected ')'");
    dist_bad("uniform(1m, 5m)garbage", "unexpected 'garbage'");
    dist_bad("250ms x", "unexpected 'x'");
    dist_bad("30", "no unit");
    dist_bad("exp(30)", "no unit");
    dist_bad("exp(-1s)", "negative");
    dist_bad("-1s", "negative");
    dist_bad("exp(0s)", "above 0");
    dist_bad("lognormal(0s, 1s)", "above 0");
    dist_bad("uniform(1m, 99999d)", "too long");
    dist_bad("exp(1s 2.)", "2.");
}

/* ---- booleans and whole numbers ----------------------------------------- */

static void test_bool(void **state)
{
    static const char *bad[] = {"", "True", "FALSE", "yes", "no", "1", "0", " true", "true ",
                                "truex", "t"};
    char err[SS_ERR_TEXT];
    bool b = false;
    size_t i;
    (void)state;
    assert_int_equal(ss_parse_bool("true", &b, err), 0);
    assert_true(b);
    assert_int_equal(ss_parse_bool("false", &b, err), 0);
    assert_false(b);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        b = true;
        err[0] = '\0';
        if (ss_parse_bool(bad[i], &b, err) != -1)
            fail_msg("ss_parse_bool(\"%s\") accepted it", bad[i]);
        assert_true(b); /* untouched */
        assert_non_null(strstr(err, "true or false"));
    }
}

static void int_bad(const char *text, long long min, long long max, const char *says)
{
    char err[SS_ERR_TEXT] = "";
    long long v = -42;
    if (ss_parse_int(text, min, max, &v, err) != -1)
        fail_msg("ss_parse_int(\"%s\", %lld, %lld) accepted it as %lld", text, min, max, v);
    assert_int_equal(v, -42);
    if (strstr(err, says) == NULL)
        fail_msg("ss_parse_int(\"%s\") said \"%s\", expected it to mention \"%s\"", text, err,
                 says);
}

static void test_int(void **state)
{
    char err[SS_ERR_TEXT];
    long long v = -1;
    (void)state;
    assert_int_equal(ss_parse_int("0", 0, 10, &v, err), 0);
    assert_int_equal(v, 0);
    assert_int_equal(ss_parse_int("10", 0, 10, &v, err), 0);
    assert_int_equal(v, 10);
    assert_int_equal(ss_parse_int("0042", 1, 100, &v, err), 0);
    assert_int_equal(v, 42);
    assert_int_equal(ss_parse_int("9223372036854775807", 0, INT64_MAX, &v, err), 0);
    assert_true(v == INT64_MAX);

    int_bad("11", 0, 10, "too large: at most 10");
    int_bad("0", 1, 10, "too small: at least 1");
    int_bad("-1", 0, 10, "negative");
    int_bad("99999999999999999999", 0, 1000, "too large");
    int_bad("9223372036854775808", 0, INT64_MAX, "too large");
    int_bad("18446744073709551615", 0, INT64_MAX, "too large");
    int_bad("", 0, 10, "not a whole number");
    int_bad("ten", 0, 10, "not a whole number");
    int_bad("5x", 0, 10, "not a whole number");
    int_bad("1.5", 0, 10, "not a whole number");
    int_bad(" 5", 0, 10, "not a whole number");
    int_bad("+5", 0, 10, "not a whole number");
    int_bad("1e3", 0, 10000, "not a whole number");
    int_bad("0x10", 0, 100, "not a whole number");
}

static void test_u64(void **state)
{
    char err[SS_ERR_TEXT] = "";
    uint64_t v = 7;
    (void)state;
    assert_int_equal(ss_parse_u64("0", &v, err), 0);
    assert_true(v == 0);
    assert_int_equal(ss_parse_u64("1", &v, err), 0);
    assert_true(v == 1);
    assert_int_equal(ss_parse_u64("18446744073709551615", &v, err), 0);
    assert_true(v == UINT64_MAX);
    assert_int_equal(ss_parse_u64("18446744073709551614", &v, err), 0);
    assert_true(v == UINT64_MAX - 1);
    assert_int_equal(ss_parse_u64("00018446744073709551615", &v, err), 0);
    assert_true(v == UINT64_MAX);

    v = 7;
    assert_int_equal(ss_parse_u64("18446744073709551616", &v, err), -1);
    assert_non_null(strstr(err, "too large"));
    assert_int_equal(ss_parse_u64("18446744073709551620", &v, err), -1);
    assert_int_equal(ss_parse_u64("99999999999999999999", &v, err), -1);
    assert_int_equal(ss_parse_u64("184467440737095516150", &v, err), -1);
    assert_non_null(strstr(err, "too large"));
    assert_int_equal(ss_parse_u64("-1", &v, err), -1);
    assert_non_null(strstr(err, "negative"));
    assert_int_equal(ss_parse_u64("", &v, err), -1);
    assert_non_null(strstr(err, "not a whole number"));
    assert_int_equal(ss_parse_u64("12a", &v, err), -1);
    assert_int_equal(ss_parse_u64(" 12", &v, err), -1);
    assert_int_equal(ss_parse_u64("0x12", &v, err), -1);
    assert_true(v == 7); /* untouched by every failure */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duration_units),
        cmocka_unit_test(test_duration_sums),
        cmocka_unit_test(test_duration_decimals),
        cmocka_unit_test(test_duration_limits),
        cmocka_unit_test(test_duration_errors),
        cmocka_unit_test(test_duration_malformed_second_part),
        cmocka_unit_test(test_duration_error_message_is_useful),
        cmocka_unit_test(test_rate),
        cmocka_unit_test(test_rate_errors),
        cmocka_unit_test(test_rate_text),
        cmocka_unit_test(test_dist),
        cmocka_unit_test(test_dist_errors),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_int),
        cmocka_unit_test(test_u64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
