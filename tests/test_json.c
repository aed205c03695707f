/*
 * test_json.c: the JSON writer's exact text: layout, escapes, numbers.
 */
#include "testutil.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/json.h"

/* Each test writes into its own scratch file, then compares the whole text. */
static FILE *start(struct ss_json *j, const char *name)
{
    FILE *f = fopen(testutil_tmp(name), "wb");
    assert_non_null(f);
    ss_json_init(j, f);
    return f;
}

static void expect_text(FILE *f, const char *name, const char *expected)
{
    char *got;
    assert_int_equal(ferror(f), 0);
    assert_int_equal(fclose(f), 0);
    got = testutil_slurp(testutil_tmp(name), NULL);
    assert_non_null(got);
    assert_string_equal(got, expected);
    free(got);
    remove(testutil_tmp(name));
}

static void test_brief_example(void **state)
{
    struct ss_json j;
    FILE *f = start(&j, "json_example.json");
    (void)state;
    ss_json_begin_object(&j, NULL);
    ss_json_int(&j, "a", 1);
    ss_json_begin_object(&j, "b");
    ss_json_end_object(&j);
    ss_json_end_object(&j);
    ss_json_end(&j);
    expect_text(f, "json_example.json",
                "{\n"
                "  \"a\": 1,\n"
                "  \"b\": {}\n"
                "}\n");
}

static void test_nested(void **state)
{
    struct ss_json j;
    FILE *f = start(&j, "json_nested.json");
    (void)state;
    ss_json_begin_object(&j, NULL);
    ss_json_begin_object(&j, "totals");
    ss_json_uint(&j, "arrived", 10);
    ss_json_begin_object(&j, "wait_us");
    ss_json_double(&j, "mean", 2.5);
    ss_json_null(&j, "max");
    ss_json_end_object(&j);
    ss_json_end_object(&j);
    ss_json_begin_array(&j, "list");
    ss_json_int(&j, NULL, -1);
    ss_json_begin_array(&j, NULL);
    ss_json_end_array(&j);
    ss_json_begin_object(&j, NULL);
    ss_json_bool(&j, "ok", 1);
    ss_json_end_object(&j);
    ss_json_begin_array(&j, NULL);
    ss_json_bool(&j, NULL, 0);
    ss_json_raw(&j, NULL, "[1, 2]");
    ss_json_end_array(&j);
    ss_json_end_array(&j);
    ss_json_begin_array(&j, "empty");
    ss_json_end_array(&j);
    ss_json_end_object(&j);
    ss_json_end(&j);
    expect_text(f, "json_nested.json",
                "{\n"
                "  \"totals\": {\n"
                "    \"arrived\": 10,\n"
                "    \"wait_us\": {\n"
                "      \"mean\": 2.5,\n"
                "      \"max\": null\n"
                "    }\n"
                "  },\n"
                "  \"list\": [\n"
                "    -1,\n"
                "    [],\n"
                "    {\n"
                "      \"ok\": true\n"
                "    },\n"
                "    [\n"
                "      false,\n"
                "      [1, 2]\n"
                "    ]\n"
                "  ],\n"
                "  \"empty\": []\n"
                "}\n");
}

static void test_top_level_scalars(void **state)
{
    struct ss_json j;
    FILE *f = start(&j, "json_scalar.json");
    (void)state;
    ss_json_string(&j, NULL, "alone");
    ss_json_end(&j);
    expect_text(f, "json_scalar.json", "\"alone\"\n");

    f = start(&j, "json_empty_array.json");
    ss_json_begin_array(&j, NULL);
    ss_json_end_array(&j);
    ss_json_end(&j);
    expect_text(f, "json_empty_array.json", "[]\n");
}

static void test_escapes(void **state)
{
    struct ss_json j;
    FILE *f = start(&j, "json_escapes.json");
    (void)state;
    ss_json_begin_object(&j, NULL);
    /* DEL, C1 CSI and a right-to-left override as \u escapes: a terminal
     * showing the file must not act on them. */
    ss_json_string(&j, "s", "q\"b\\s/\n\t\r\b\f\x01\x1f\x7f caf\xc3\xa9\xc2\x9b\xe2\x80\xae");
    ss_json_string(&j, "k\"\n", "");
    ss_json_end_object(&j);
    ss_json_end(&j);
    expect_text(f, "json_escapes.json",
                "{\n"
                "  \"s\": \"q\\\"b\\\\s/\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f caf\xc3\xa9\\u009b\\u202e\",\n"
                "  \"k\\\"\\n\": \"\"\n"
                "}\n");
}

static void test_integers(void **state)
{
    struct ss_json j;
    FILE *f = start(&j, "json_ints.json");
    (void)state;
    ss_json_begin_array(&j, NULL);
    ss_json_int(&j, NULL, 0);
    ss_json_int(&j, NULL, LLONG_MIN);
    ss_json_int(&j, NULL, LLONG_MAX);
    ss_json_uint(&j, NULL, ULLONG_MAX);
    ss_json_uint(&j, NULL, 4381250000ULL);
    ss_json_end_array(&j);
    ss_json_end(&j);
    expect_text(f, "json_ints.json",
                "[\n"
                "  0,\n"
                "  -9223372036854775808,\n"
                "  9223372036854775807,\n"
                "  18446744073709551615,\n"
                "  4381250000\n"
                "]\n");
}

static void test_doubles_shortest(void **state)
{
    struct ss_json j;
    FILE *f = start(&j, "json_doubles.json");
    (void)state;
    ss_json_begin_array(&j, NULL);
    ss_json_double(&j, NULL, 0.1);
    ss_json_double(&j, NULL, 1e300);
    ss_json_double(&j, NULL, 3.0);
    ss_json_double(&j, NULL, -0.5);
    ss_json_double(&j, NULL, 1.0 / 3.0);
    ss_json_double(&j, NULL, 0.0);
    ss_json_double(&j, NULL, 123456.75);
    ss_json_end_array(&j);
    ss_json_end(&j);
    expect_text(f, "json_doubles.json",
                "[\n"
                "  0.1,\n"
                "  1e+300,\n"
                "  3,\n"
                "  -0.5,\n"
                "  0.3333333333333333,\n"
                "  0,\n"
                "  123456.75\n"
                "]\n");
}

/* Whatever is written for a double reads back as that very double. */
static void test_doubles_round_trip(void **state)
{
    static const double values[] = {
        0.1, 0.2 + 0.1, 1.0 / 3.0, 2.0 / 3.0, 1e300, -1e-300, DBL_MAX, DBL_MIN,
        DBL_EPSILON, 5e-324, 9007199254740993.0, 4381250000.0, 0.95, 0.99, -7.0,
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof values / sizeof values[0]; i++) {
        struct ss_json j;
        char *text;
        char *end;
        FILE *f = start(&j, "json_round.json");
        ss_json_double(&j, NULL, values[i]);
        ss_json_end(&j);
        assert_int_equal(fclose(f), 0);
        text = testutil_slurp(testutil_tmp("json_round.json"), NULL);
        assert_non_null(text);
        assert_true(strtod(text, &end) == values[i]);
        assert_string_equal(end, "\n");
        assert_true(strlen(text) <= 25);  /* sign, 17 digits, point, e-308, \n */
        free(text);
    }
    remove(testutil_tmp("json_round.json"));
}

static void test_non_finite_is_null(void **state)
{
    struct ss_json j;
    FILE *f = start(&j, "json_nonfinite.json");
    (void)state;
    ss_json_begin_object(&j, NULL);
    ss_json_double(&j, "nan", NAN);
    ss_json_double(&j, "inf", INFINITY);
    ss_json_double(&j, "minus_inf", -INFINITY);
    ss_json_end_object(&j);
    ss_json_end(&j);
    expect_text(f, "json_nonfinite.json",
                "{\n"
                "  \"nan\": null,\n"
                "  \"inf\": null,\n"
                "  \"minus_inf\": null\n"
                "}\n");
}

/* 31 levels is the documented maximum; it must work and close cleanly. */
static void test_max_depth(void **state)
{
    struct ss_json j;
    char expected[4096];
    size_t n = 0;
    int d, k;
    FILE *f = start(&j, "json_deep.json");
    (void)state;
    for (d = 0; d < SS_JSON_MAX_DEPTH - 1; d++)
        ss_json_begin_array(&j, NULL);
    ss_json_int(&j, NULL, 7);
    for (d = 0; d < SS_JSON_MAX_DEPTH - 1; d++)
        ss_json_end_array(&j);
    ss_json_end(&j);
    assert_int_equal(j.depth, 0);

    for (d = 0; d < SS_JSON_MAX_DEPTH - 1; d++) {
        for (k = 0; k < d; k++)
            n += (size_t)sprintf(expected + n, "  ");
        n += (size_t)sprintf(expected + n, "[\n");
    }
    for (k = 0; k < SS_JSON_MAX_DEPTH - 1; k++)
        n += (size_t)sprintf(expected + n, "  ");
    n += (size_t)sprintf(expected + n, "7\n");
    for (d = SS_JSON_MAX_DEPTH - 2; d >= 0; d--) {
        for (k = 0; k < d; k++)
            n += (size_t)sprintf(expected + n, "  ");
        n += (size_t)sprintf(expected + n, d ? "]\n" : "]");
    }
    sprintf(expected + n, "\n");
    expect_text(f, "json_deep.json", expected);
}

/* JSON is UTF-8: valid sequences pass through, stray bytes become U+FFFD. */
static void invalid_utf8_is_replaced(void **state)
{
    FILE *f = tmpfile();
    struct ss_json j;
    char *text;
    (void)state;
    assert_non_null(f);
    ss_json_init(&j, f);
    ss_json_begin_object(&j, NULL);
    ss_json_string(&j, "ok", "Postf\xc3\xa4" "cher \xe2\x82\xac");
    ss_json_string(&j, "bad", "a\xff" "b\xc3" "(\xed\xa0\x80)");
    ss_json_end_object(&j);
    ss_json_end(&j);
    text = testutil_read_stream(f);
    assert_non_null(strstr(text, "\"ok\": \"Postf\xc3\xa4" "cher \xe2\x82\xac\""));
    assert_non_null(strstr(text, "\"bad\": \"a\\ufffdb\\ufffd(\\ufffd\\ufffd\\ufffd)\""));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(invalid_utf8_is_replaced),
        cmocka_unit_test(test_brief_example),
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_top_level_scalars),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_doubles_shortest),
        cmocka_unit_test(test_doubles_round_trip),
        cmocka_unit_test(test_non_finite_is_null),
        cmocka_unit_test(test_max_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
