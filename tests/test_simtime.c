/* test_simtime.c: turning simulated microseconds into text. */
#include "testutil.h"

#include <string.h>

#include "storesim/simtime.h"
#include "storesim/value.h"

static void test_units(void **state)
{
    (void)state;
    assert_int_equal(SS_MS, 1000);
    assert_int_equal(SS_SECOND, 1000000);
    assert_int_equal(SS_MINUTE, 60000000);
    assert_true(SS_HOUR == INT64_C(3600000000));
    assert_true(SS_DAY == INT64_C(86400000000));
    assert_true(SS_NEVER < 0);
}

static void test_hms(void **state)
{
    char buf[SS_TIME_TEXT];
    (void)state;
    assert_string_equal(ss_time_hms(buf, 0), "00:00:00");
    assert_string_equal(ss_time_hms(buf, 999999), "00:00:00"); /* truncates */
    assert_string_equal(ss_time_hms(buf, SS_SECOND), "00:00:01");
    assert_string_equal(ss_time_hms(buf, 59 * SS_SECOND), "00:00:59");
    assert_string_equal(ss_time_hms(buf, SS_MINUTE), "00:01:00");
    assert_string_equal(ss_time_hms(buf, SS_HOUR + 13 * SS_MINUTE + 1 * SS_SECOND + 1),
                        "01:13:01");
    assert_string_equal(ss_time_hms(buf, 4381250000), "01:13:01");
    assert_string_equal(ss_time_hms(buf, SS_DAY - 1), "23:59:59");
    assert_string_equal(ss_time_hms(buf, SS_DAY), "24:00:00");
    /* The function returns the buffer it was given. */
    assert_ptr_equal(ss_time_hms(buf, 0), buf);
}

static void test_hms_past_99_hours(void **state)
{
    char buf[SS_TIME_TEXT];
    (void)state;
    assert_string_equal(ss_time_hms(buf, 99 * SS_HOUR + 59 * SS_MINUTE + 59 * SS_SECOND),
                        "99:59:59");
    assert_string_equal(ss_time_hms(buf, 100 * SS_HOUR), "100:00:00");
    assert_string_equal(ss_time_hms(buf, 1234 * SS_HOUR + 5 * SS_MINUTE + 6 * SS_SECOND),
                        "1234:05:06");
    /* The longest run a scenario may state still fits the buffer. */
    assert_string_equal(ss_time_hms(buf, SS_DURATION_MAX), "876000:00:00");
    /* Even the largest clock value fits. */
    ss_time_hms(buf, SS_TIME_MAX);
    assert_true(strlen(buf) < SS_TIME_TEXT);
    assert_string_equal(buf, "2562047788:00:54");
}

static void test_hms_ms(void **state)
{
    char buf[SS_TIME_TEXT];
    (void)state;
    assert_string_equal(ss_time_hms_ms(buf, 0), "00:00:00.000");
    assert_string_equal(ss_time_hms_ms(buf, 999), "00:00:00.000"); /* truncates */
    assert_string_equal(ss_time_hms_ms(buf, 1000), "00:00:00.001");
    assert_string_equal(ss_time_hms_ms(buf, 1999999), "00:00:01.999");
    assert_string_equal(ss_time_hms_ms(buf, 2 * SS_HOUR + 3 * SS_MINUTE + 4 * SS_SECOND +
                                                 56 * SS_MS + 7),
                        "02:03:04.056");
    assert_string_equal(ss_time_hms_ms(buf, 150 * SS_HOUR + 250 * SS_MS), "150:00:00.250");
    assert_ptr_equal(ss_time_hms_ms(buf, 0), buf);
}

struct span_case {
    ss_time span;
    const char *text;
};

static void test_span_text(void **state)
{
    static const struct span_case cases[] = {
        {0, "0s"},
        {-5, "0s"}, /* negative spans read as none */
        {1, "1us"},
        {850, "850us"},
        {999, "999us"},
        {1000, "1ms"},
        {1500, "1.5ms"},
        {250 * SS_MS, "250ms"},
        {999900, "999.9ms"},
        {SS_SECOND, "1s"},
        {1250 * SS_MS, "1.25s"},
        {1500 * SS_MS, "1.5s"},
        {30 * SS_SECOND, "30s"},
        {59990 * SS_MS, "59.99s"},
        {SS_MINUTE, "1m"},
        {4 * SS_MINUTE + 5 * SS_SECOND, "4m05s"},
        {4 * SS_MINUTE + 5 * SS_SECOND + 999 * SS_MS, "4m05s"}, /* truncates */
        {15 * SS_MINUTE, "15m"},
        {59 * SS_MINUTE + 59 * SS_SECOND, "59m59s"},
        {SS_HOUR, "1h00m"},
        {2 * SS_HOUR + 30 * SS_MINUTE, "2h30m"},
        {2 * SS_HOUR + 30 * SS_MINUTE + 7 * SS_SECOND, "2h30m07s"},
        {150 * SS_MINUTE, "2h30m"},
        {23 * SS_HOUR + 59 * SS_MINUTE + 59 * SS_SECOND, "23h59m59s"},
        {SS_DAY, "1d"},
        {SS_DAY + 2 * SS_HOUR, "1d2h"},
        {SS_DAY + 2 * SS_HOUR + 5 * SS_MINUTE, "1d2h05m"},
        {SS_DAY + 5 * SS_MINUTE, "1d0h05m"},
        {3 * SS_DAY + 23 * SS_HOUR + 59 * SS_MINUTE + 59 * SS_SECOND, "3d23h59m"},
        {36500 * SS_DAY, "36500d"},
    };
    char buf[SS_TIME_TEXT];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ss_span_text(buf, cases[i].span);
        if (strcmp(buf, cases[i].text) != 0)
            fail_msg("ss_span_text(%lld) = \"%s\", expected \"%s\"",
                     (long long)cases[i].span, buf, cases[i].text);
    }
    assert_ptr_equal(ss_span_text(buf, 1), buf);
}

/* Just below a unit boundary the short form must not round up into a number
 * that belongs to the next form ("60s" for 59.999s, "1000ms" for 999.99ms). */
static void test_span_text_never_rounds_up_to_next_unit(void **state)
{
    char buf[SS_TIME_TEXT];
    (void)state;
    ss_span_text(buf, SS_MINUTE - 1);
    assert_string_equal(buf, "59.99s");
    ss_span_text(buf, SS_SECOND - 1);
    assert_string_equal(buf, "999.9ms");
    ss_span_text(buf, 2 * SS_SECOND - 1);
    assert_string_equal(buf, "1.99s");
}

static void test_span_canonical_forms(void **state)
{
    static const struct span_case cases[] = {
        {0, "0s"},
        {-1, "0s"},
        {1, "1us"},
        {250 * SS_MS, "250ms"},
        {2500 * SS_MS, "2s500ms"},
        {30 * SS_SECOND, "30s"},
        {90 * SS_MINUTE, "1h30m"},
        {SS_DAY + SS_US, "1d1us"},
        {36500 * SS_DAY, "36500d"},
        {SS_DAY + 2 * SS_HOUR + 3 * SS_MINUTE + 4 * SS_SECOND + 5 * SS_MS + 6,
         "1d2h3m4s5ms6us"},
    };
    char buf[SS_TIME_TEXT];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ss_span_canonical(buf, cases[i].span);
        if (strcmp(buf, cases[i].text) != 0)
            fail_msg("ss_span_canonical(%lld) = \"%s\", expected \"%s\"",
                     (long long)cases[i].span, buf, cases[i].text);
    }
    assert_ptr_equal(ss_span_canonical(buf, 1), buf);
}

static void round_trip(ss_time span)
{
    char buf[SS_TIME_TEXT], err[SS_ERR_TEXT];
    ss_time back = -42;
    ss_span_canonical(buf, span);
    assert_true(strlen(buf) < SS_TIME_TEXT);
    if (ss_parse_duration(buf, &back, err) != 0)
        fail_msg("ss_span_canonical(%lld) = \"%s\" does not parse: %s", (long long)span, buf,
                 err);
    if (back != span)
        fail_msg("\"%s\" parses to %lld, not %lld", buf, (long long)back, (long long)span);
}

static void test_span_canonical_round_trip(void **state)
{
    static const ss_time fixed[] = {
        0, 1, 999, 1000, 1001, SS_SECOND - 1, SS_SECOND, 61 * SS_SECOND,
        SS_HOUR - 1, SS_HOUR, SS_DAY - 1, SS_DAY, SS_DAY + 1, 150 * SS_MINUTE,
        SS_DURATION_MAX - 1, SS_DURATION_MAX,
    };
    uint64_t x = 88172645463325252u; /* xorshift64 for spread-out spans */
    size_t i;
    (void)state;
    for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        round_trip(fixed[i]);
    for (i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        /* Vary the magnitude too, so short and long spans are both exercised. */
        round_trip((ss_time)((x >> 1) % (uint64_t)SS_DURATION_MAX) >> (x % 50));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_hms),
        cmocka_unit_test(test_hms_past_99_hours),
        cmocka_unit_test(test_hms_ms),
        cmocka_unit_test(test_span_text),
        cmocka_unit_test(test_span_text_never_rounds_up_to_next_unit),
        cmocka_unit_test(test_span_canonical_forms),
        cmocka_unit_test(test_span_canonical_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
