/*
 * test_compare.c: `storesim compare` (issue 3).
 *
 * compare must be exactly two runs: its "before" JSON is the JSON of a plain
 * `run` with the hotfix off, its "after" that of a run with the hotfix on,
 * byte for byte once whitespace is set aside. Then the table and the
 * verdict, one scenario for each cause the verdict can name.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/cli.h"

#define KB testutil_src("scenarios/kb924567.scn")
#define KB_HOTFIX testutil_src("scenarios/kb924567-hotfix.scn")
#define NEW_DATABASE testutil_src("scenarios/new-database.scn")
#define MTA_ENABLED testutil_src("scenarios/mta-enabled.scn")
#define NO_REGISTRY testutil_src("scenarios/hotfix-without-registry.scn")
#define SHORT "--set", "simulation.duration=2h"


static char paths[4][1024];
#define JSON_COMPARE paths[0]
#define JSON_RUN paths[1]
#define SCRATCH paths[2]
#define SCRATCH2 paths[3]

static int setup(void **state)
{
    (void)state;
    strcpy(JSON_COMPARE, testutil_tmp("cmp_compare.json"));
    strcpy(JSON_RUN, testutil_tmp("cmp_run.json"));
    strcpy(SCRATCH, testutil_tmp("cmp_scratch.scn"));
    strcpy(SCRATCH2, testutil_tmp("cmp_scratch.out"));
    return 0;
}

/* ---- JSON, compared as text with the whitespace between tokens removed ---- */


/* The end of the object or array that opens at p (squeezed JSON). */
static const char *value_end(const char *p)
{
    int depth = 0, in_string = 0;
    assert_true(*p == '{' || *p == '[');
    for (; *p; p++) {
        if (in_string) {
            if (*p == '\\')
                p++;
            else if (*p == '"')
                in_string = 0;
        } else if (*p == '"') {
            in_string = 1;
        } else if (*p == '{' || *p == '[') {
            depth++;
        } else if ((*p == '}' || *p == ']') && --depth == 0) {
            return p + 1;
        }
    }
    fail_msg("unbalanced JSON");
    return NULL;
}

static char *slurp_squeezed(const char *path)
{
    char *text = testutil_slurp(path, NULL), *s;
    assert_non_null(text);
    s = testutil_json_squeeze(text);
    free(text);
    return s;
}

/* Split {"before":B,"after":A} into B and A (each a new string); nothing else may be in it. */
static void split_comparison(const char *path, char **before, char **after)
{
    char *all = slurp_squeezed(path);
    const char *b, *b_end, *a, *a_end;
    assert_int_equal(strncmp(all, "{\"before\":", 10), 0);
    b = all + 10;
    b_end = value_end(b);
    assert_int_equal(strncmp(b_end, ",\"after\":", 9), 0);
    a = b_end + 9;
    a_end = value_end(a);
    assert_string_equal(a_end, "}");
    *before = malloc((size_t)(b_end - b) + 1);
    *after = malloc((size_t)(a_end - a) + 1);
    assert_non_null(*before);
    assert_non_null(*after);
    memcpy(*before, b, (size_t)(b_end - b));
    (*before)[b_end - b] = '\0';
    memcpy(*after, a, (size_t)(a_end - a));
    (*after)[a_end - a] = '\0';
    free(all);
}

/* The squeezed JSON of `run SCENARIO SHORT --set hotfix.kb924567=VALUE`. */
static char *run_json(const char *scenario, const char *hotfix)
{
    char set[64];
    struct testutil_run o;
    sprintf(set, "hotfix.kb924567=%s", hotfix);
    remove(JSON_RUN);
    o = testutil_cli("run", scenario, SHORT, "--set", set, "--json", JSON_RUN, "--quiet", NULL);
    assert_int_equal(o.status, 0);
    testutil_run_free(&o);
    return slurp_squeezed(JSON_RUN);
}

static void check_against_runs(const char *scenario)
{
    char *before, *after, *off, *on;
    struct testutil_run o;
    remove(JSON_COMPARE);
    o = testutil_cli("compare", scenario, SHORT, "--json", JSON_COMPARE, "--quiet", NULL);
    assert_int_equal(o.status, 0);
    testutil_run_free(&o);
    split_comparison(JSON_COMPARE, &before, &after);
    off = run_json(scenario, "false");
    on = run_json(scenario, "true");
    assert_string_equal(before, off);
    assert_string_equal(after, on);
    assert_non_null(strstr(before, "\"hotfix.kb924567\":false"));
    assert_non_null(strstr(after, "\"hotfix.kb924567\":true"));
    assert_string_not_equal(before, after);
    free(before);
    free(after);
    free(off);
    free(on);
}

static void json_halves_equal_plain_runs(void **state)
{
    (void)state;
    check_against_runs(KB);
}

static void json_halves_equal_plain_runs_whatever_the_file_says(void **state)
{
    (void)state;
    check_against_runs(KB_HOTFIX); /* the file installs the hotfix; "before" still runs without */
}

/* ---- the text ---- */

/* The line of the table that starts with "  LABEL " (a new string). */
static char *table_row(const char *text, const char *label)
{
    char pattern[64], *row;
    const char *p, *end;
    sprintf(pattern, "\n  %s ", label);
    p = strstr(text, pattern);
    assert_non_null(p);
    p++;
    end = strchr(p, '\n');
    row = malloc((size_t)(end - p) + 1);
    assert_non_null(row);
    memcpy(row, p, (size_t)(end - p));
    row[end - p] = '\0';
    return row;
}

/* The verdict, its lines joined with single spaces (a new string). */
static char *verdict_of(const char *text)
{
    const char *p = strstr(text, "\nVerdict\n");
    char *v, *o;
    assert_non_null(p);
    p += strlen("\nVerdict\n");
    v = malloc(strlen(p) + 1);
    assert_non_null(v);
    for (o = v; *p; p++) {
        if (*p == ' ' || *p == '\n') {
            if (o > v && o[-1] != ' ')
                *o++ = ' ';
        } else {
            *o++ = *p;
        }
    }
    while (o > v && o[-1] == ' ')
        o--;
    *o = '\0';
    return v;
}

static void assert_row_has(const char *text, const char *label, const char *what)
{
    char *row = table_row(text, label);
    if (!strstr(row, what))
        fail_msg("row \"%s\" lacks \"%s\"", row, what);
    free(row);
}

static void table_shows_before_after_and_change(void **state)
{
    struct testutil_run o = testutil_cli("compare", KB, SHORT, NULL);
    (void)state;
    assert_int_equal(o.status, 0);
    assert_int_equal(strncmp(o.out, "storesim ", 9), 0);
    assert_non_null(strstr(o.out, "compare kb924567 ("));
    assert_non_null(strstr(o.out, "The information store has a pool of 100 threads"));
    assert_non_null(strstr(o.out, "before         after          change\n"));
    assert_row_has(o.out, "Pool exhausted", "never (was 00:");
    assert_row_has(o.out, "Delivery starved", "never (was 00:");
    assert_row_has(o.out, "OWA unresponsive", "never (was 00:");
    assert_row_has(o.out, "Messages arrived", " -"); /* same seed, same streams */
    assert_row_has(o.out, "Flushes registered", "-");
    assert_row_has(o.out, "Flushes skipped", "+");
    assert_row_has(o.out, "Time starved", "0s");
    assert_row_has(o.out, "Pool utilisation", " points");
    assert_row_has(o.out, "Most threads busy at once", "100 ");
    assert_row_has(o.out, "Delivery wait, p99", "-");
    /* A report, not a run's report twice. */
    assert_null(strstr(o.out, "Timeline"));
    /* The speed goes to stderr, once for both runs. */
    assert_null(strstr(o.out, "events per second"));
    assert_non_null(strstr(o.err, "events per second"));
    testutil_run_free(&o);
}

static void verdict_hotfix_helped(void **state)
{
    struct testutil_run o = testutil_cli("compare", KB, SHORT, NULL);
    char *v = verdict_of(o.out);
    (void)state;
    assert_int_equal(o.status, 0);
    assert_int_equal(strncmp(v, "The hotfix kept local delivery from starving.", 45), 0);
    assert_non_null(strstr(v, "the store skipped 150 flushes"));
    free(v);
    testutil_run_free(&o);
}

static void verdict_names_the_database_without_the_registry_value(void **state)
{
    struct testutil_run o = testutil_cli("compare", NEW_DATABASE, SHORT, NULL);
    char *v = verdict_of(o.out);
    (void)state;
    assert_int_equal(o.status, 0);
    assert_int_equal(strncmp(v, "Local delivery starved in both runs", 35), 0);
    assert_non_null(strstr(v, "Gateway Out Threads is 1 on \"Mailbox Store 2\", the database "
                              "mailboxes move from in batch2; the hotfix only skips the flush "
                              "when it is 0"));
    assert_null(strstr(v, "on \"Mailbox Store\","));  /* that one is 0 */
    free(v);
    testutil_run_free(&o);
}

static void verdict_hotfix_without_registry_change(void **state)
{
    struct testutil_run o = testutil_cli("compare", NO_REGISTRY, SHORT, NULL);
    char *v = verdict_of(o.out);
    (void)state;
    assert_int_equal(o.status, 0);
    assert_int_equal(strncmp(v, "Local delivery starved in both runs", 35), 0);
    assert_non_null(strstr(v, "Gateway Out Threads is 1 on \"Mailbox Store\", the database "
                              "mailboxes move from in batch1;"));
    assert_non_null(strstr(v, "KB 810489"));
    free(v);
    testutil_run_free(&o);
}

static void verdict_mta_running_nothing_to_fix(void **state)
{
    struct testutil_run o = testutil_cli("compare", MTA_ENABLED, SHORT, NULL);
    char *v = verdict_of(o.out);
    (void)state;
    assert_int_equal(o.status, 0);
    assert_int_equal(strncmp(v, "Local delivery did not starve in either run;", 44), 0);
    assert_non_null(strstr(v, "The MTA is running and answers every flush within 1s, so the "
                              "hotfix has nothing to fix."));
    free(v);
    testutil_run_free(&o);
}

/* A small store, for the verdicts no shipped scenario gives. */
static void write_scenario(const char *mta, const char *rate, int moves)
{
    char text[1024];
    sprintf(text,
            "[simulation]\nduration = 30m\n[store]\nthreads = 10\n[mta]\nenabled = %s\n"
            "[database Mailbox Store]\ngateway_out_threads = 0\n%s"
            "[delivery]\nrate = %s\nservice = exp(500ms)\n",
            mta, moves ? "[move b]\nmailboxes = 8\nstart = 1m\nduration = 10s\n" : "", rate);
    assert_int_equal(testutil_write(SCRATCH, text), 0);
}

static char *verdict_for(const char *mta, const char *rate, int moves)
{
    struct testutil_run o;
    char *v;
    write_scenario(mta, rate, moves);
    o = testutil_cli("compare", SCRATCH, NULL);
    assert_int_equal(o.status, 0);
    v = verdict_of(o.out);
    testutil_run_free(&o);
    return v;
}

static void verdict_load_too_high(void **state)
{
    char *v = verdict_for("false", "30/s", 0); /* 15 threads' worth of work for 10 */
    (void)state;
    assert_int_equal(strncmp(v, "Local delivery starved in both runs", 35), 0);
    assert_non_null(strstr(v, "not because of flushes"));
    assert_non_null(strstr(v, "The load alone is more than the pool of 10 threads can carry"));
    free(v);
}

static void verdict_mta_running_and_starved(void **state)
{
    char *v = verdict_for("true", "30/s", 1);
    (void)state;
    assert_int_equal(strncmp(v, "Local delivery starved in both runs", 35), 0);
    assert_non_null(strstr(v, "the MTA is running and answers every flush within 1s"));
    assert_non_null(strstr(v, "more than the pool of 10 threads can carry"));
    free(v);
}

static void verdict_no_moves_nothing_to_skip(void **state)
{
    char *v = verdict_for("false", "2/s", 0);
    (void)state;
    assert_int_equal(strncmp(v, "Local delivery did not starve in either run;", 44), 0);
    assert_non_null(strstr(v, "No flush was registered (no mailbox was moved)"));
    free(v);
}

/* ---- every option of run ---- */

static void trace_tells_both_runs(void **state)
{
    struct testutil_run o;
    char option[1100], *trace;
    const char *before, *after;
    (void)state;
    write_scenario("false", "2/s", 1);
    sprintf(option, "--trace=%s", SCRATCH2);
    remove(SCRATCH2);
    o = testutil_cli("compare", SCRATCH, option, "--only", "flush", "--quiet", NULL);
    assert_int_equal(o.status, 0);
    assert_string_equal(o.out, "");
    trace = testutil_slurp(SCRATCH2, NULL);
    assert_non_null(trace);
    before = strstr(trace, "Trace of cmp_scratch (");
    assert_ptr_equal(before, trace);
    assert_non_null(strstr(before, "), before: without the KB 924567 hotfix\n"));
    after = strstr(trace, "), after: with the KB 924567 hotfix\n");
    assert_non_null(after);
    /* Each run told under its heading: flushes registered before, skipped after. */
    assert_non_null(strstr(trace, "flush registered"));
    assert_true(strstr(trace, "flush registered") < after);
    assert_non_null(strstr(trace, "flush skipped"));
    assert_true(strstr(trace, "flush skipped") > after);
    assert_null(strstr(after, "flush registered"));
    free(trace);
    testutil_run_free(&o);
}

static void json_to_standard_output(void **state)
{
    struct testutil_run o = testutil_cli("compare", KB, SHORT, "--json", "-", "--quiet", NULL);
    (void)state;
    assert_int_equal(o.status, 0);
    assert_int_equal(strncmp(o.out, "{\n  \"before\": {\n", 16), 0);
    assert_non_null(strstr(o.out, "\n  \"after\": {\n"));
    testutil_run_free(&o);
}

static void bad_scenario_writes_nothing(void **state)
{
    struct testutil_run o;
    char json[1024], csv[1024], svg[1024], trace[1100];
    (void)state;
    strcpy(json, testutil_tmp("cmp_bad.json"));
    strcpy(csv, testutil_tmp("cmp_bad.csv"));
    strcpy(svg, testutil_tmp("cmp_bad.svg"));
    sprintf(trace, "--trace=%s", testutil_tmp("cmp_bad.trace"));
    remove(json);
    remove(csv);
    remove(svg);
    remove(trace + 8);
    o = testutil_cli("compare", KB, "--set", "store.threads=many", "--json", json, "--csv", csv, "--svg",
            svg, trace, NULL);
    assert_int_equal(o.status, 2);
    assert_string_equal(o.out, "");
    assert_non_null(strstr(o.err, "store.threads"));
    assert_false(testutil_exists(json));
    assert_false(testutil_exists(csv));
    assert_false(testutil_exists(svg));
    assert_false(testutil_exists(trace + 8));
    testutil_run_free(&o);
}

static void unwritable_output_is_exit_1(void **state)
{
    struct testutil_run o;
    (void)state;
    remove(JSON_COMPARE);
    o = testutil_cli("compare", KB, SHORT, "--json", JSON_COMPARE, "--csv",
            testutil_tmp("no/such/dir/c.csv"), NULL);
    assert_int_equal(o.status, 1);
    assert_non_null(strstr(o.err, "cannot write"));
    assert_string_equal(o.out, "");
    assert_false(testutil_exists(JSON_COMPARE));
    testutil_run_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_halves_equal_plain_runs),
        cmocka_unit_test(json_halves_equal_plain_runs_whatever_the_file_says),
        cmocka_unit_test(table_shows_before_after_and_change),
        cmocka_unit_test(verdict_hotfix_helped),
        cmocka_unit_test(verdict_names_the_database_without_the_registry_value),
        cmocka_unit_test(verdict_hotfix_without_registry_change),
        cmocka_unit_test(verdict_mta_running_nothing_to_fix),
        cmocka_unit_test(verdict_load_too_high),
        cmocka_unit_test(verdict_mta_running_and_starved),
        cmocka_unit_test(verdict_no_moves_nothing_to_skip),
        cmocka_unit_test(trace_tells_both_runs),
        cmocka_unit_test(json_to_standard_output),
        cmocka_unit_test(bad_scenario_writes_nothing),
        cmocka_unit_test(unwritable_output_is_exit_1),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
