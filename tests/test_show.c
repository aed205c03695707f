/*
 * test_show.c: --show PARTS, the report part by part (report.h), and the
 * report and the trace within 80 columns.
 *
 * Each part alone is exactly that part of the whole report; parts together
 * come in the report's order, a blank line between two; a part that is not
 * there, or compare's asked of run, is a usage error that writes nothing.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#define KB testutil_src("scenarios/kb924567.scn")
#define SHORT "--set", "simulation.duration=50m" /* the pool runs dry at 00:41:47 */

static char *whole;   /* the whole report of KB cut to 50 minutes */
static char *compared; /* the whole compare */

static int setup(void **state)
{
    (void)state;
    if (testutil_cli_status(&whole, "run", KB, SHORT, NULL) != 0)
        return -1;
    if (testutil_cli_status(&compared, "compare", KB, SHORT, NULL) != 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(whole);
    free(compared);
    return 0;
}

static char *show(const char *command, const char *parts)
{
    char *out = NULL;
    assert_int_equal(testutil_cli_status(&out, command, KB, SHORT, "--show", parts, NULL), 0);
    assert_non_null(out);
    return out;
}

/* The part of the whole report from the line that starts with `from` to the
 * blank line before the next part (or the end). */
static char *section(const char *report, const char *from)
{
    const char *start = strstr(report, from), *end;
    char *copy;
    assert_non_null(start);
    end = strstr(start, "\n\n");
    end = end ? end + 1 : start + strlen(start);
    copy = malloc((size_t)(end - start) + 1);
    assert_non_null(copy);
    memcpy(copy, start, (size_t)(end - start));
    copy[end - start] = '\0';
    return copy;
}

static void each_part_alone(void **state)
{
    static const char *const parts[][2] = {
        {"timeline", "Timeline (simulated time)\n"}, {"symptoms", "Symptoms\n"},
        {"totals", "Totals\n"}, {"waits", "  Wait for a thread"},
        {"events", "Events processed: "}, {"heading", "storesim "},
        {"scenario", "The information store has a pool"}};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof parts / sizeof *parts; i++) {
        char *out = show("run", parts[i][0]), *want = section(whole, parts[i][1]);
        assert_string_equal(out, want);
        free(out);
        free(want);
    }
}

static void parts_together_in_the_report_order(void **state)
{
    char *out = show("run", "totals,timeline"), *a = section(whole, "Timeline"),
         *b = section(whole, "Totals\n"), want[20000];
    (void)state;
    snprintf(want, sizeof want, "%s\n%s", a, b);
    assert_string_equal(out, want);
    free(out);
    free(a);
    free(b);
    out = show("run", "heading,scenario,timeline,symptoms,totals,waits,events");
    assert_string_equal(out, whole); /* all of them: the whole report */
    free(out);
}

static void compare_parts(void **state)
{
    char *out = show("compare", "verdict"), *want = section(compared, "Verdict\n");
    (void)state;
    assert_string_equal(out, want);
    free(out);
    free(want);
    out = show("compare", "compared");
    assert_true(strncmp(out, "Compared: this scenario", 23) == 0);
    assert_non_null(strstr(out, "Pool exhausted"));
    assert_null(strstr(out, "Verdict"));
    free(out);
    /* A run's part, for each run, under its heading. */
    out = show("compare", "symptoms");
    assert_true(strncmp(out, "Before: without the KB 924567 hotfix", 36) == 0);
    assert_non_null(strstr(out, "\n\nAfter: with the KB 924567 hotfix (hotfix.kb924567 = "
                                "true)\nSymptoms\n  Pool exhausted       never\n"));
    free(out);
}

static void bad_parts_are_usage_errors(void **state)
{
    struct testutil_run r = testutil_cli("run", KB, "--show", "timeline,verdicts", NULL);
    (void)state;
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "--show: unknown part \"verdicts\" (the parts are heading, "));
    testutil_run_free(&r);
    r = testutil_cli("run", KB, "--show", "verdict", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "verdict belongs to compare"));
    testutil_run_free(&r);
    r = testutil_cli("run", KB, "--show", "", NULL);
    assert_int_equal(r.status, 2);
    testutil_run_free(&r);
    r = testutil_cli("run", KB, "--show", "totals", "--quiet", NULL);
    assert_int_equal(r.status, 2);
    testutil_run_free(&r);
    r = testutil_cli("run", KB, "--show", "totals", "--replications", "2", NULL);
    assert_int_equal(r.status, 2);
    testutil_run_free(&r);
}

static int widest(const char *text)
{
    int most = 0, col = 0;
    const unsigned char *p;
    for (p = (const unsigned char *)text; *p; p++) {
        if (*p == '\n') {
            col = 0;
            continue;
        }
        if ((*p & 0xC0) != 0x80 && ++col > most)
            most = col;
    }
    return most;
}

/* The report, compare and the trace of every kind fit in 80 columns. */
static void eighty_columns(void **state)
{
    char *trace = NULL;
    (void)state;
    assert_true(widest(whole) <= 80);
    assert_true(widest(compared) <= 80);
    assert_int_equal(testutil_cli_status(&trace, "run",
                                         testutil_src("scenarios/restart-store.scn"), "--set",
                                         "simulation.duration=1h20m", "--from", "1h14m", "--to",
                                         "1h16m", "--quiet", NULL),
                     0);
    assert_non_null(strstr(trace, "cut short"));
    assert_true(widest(trace) <= 80);
    free(trace);
    assert_int_equal(testutil_cli_status(&trace, "compare", testutil_src("scenarios/tonight.scn"),
                                         "--set", "simulation.duration=1h", NULL),
                     0);
    assert_true(widest(trace) <= 80);
    free(trace);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_part_alone),
        cmocka_unit_test(parts_together_in_the_report_order),
        cmocka_unit_test(compare_parts),
        cmocka_unit_test(bad_parts_are_usage_errors),
        cmocka_unit_test(eighty_columns),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
