/* test_cli.c: the command line end to end, in-process. */
#include "testutil.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/cli.h"

#define KB testutil_src("scenarios/kb924567.scn")
#define SHORT "--set", "simulation.duration=4h"

/* The text between "key": and the end of its line. */
static long long json_number(const char *json, const char *key)
{
    char pattern[128];
    const char *p;
    sprintf(pattern, "\"%s\": ", key);
    p = strstr(json, pattern);
    assert_non_null(p);
    if (strncmp(p + strlen(pattern), "null", 4) == 0)
        return -1;
    return atoll(p + strlen(pattern));
}

static void kb924567_shows_every_symptom(void **state)
{
    struct testutil_run o = testutil_cli("run", KB, SHORT, NULL);
    (void)state;
    assert_int_equal(o.status, 0);
    assert_non_null(strstr(o.out, "POOL EXHAUSTED"));
    assert_non_null(strstr(o.out, "DELIVERY STARVED"));
    assert_non_null(strstr(o.out, "OWA UNRESPONSIVE"));
    assert_non_null(strstr(o.out, "SMTP STOPPED"));
    assert_non_null(strstr(o.out, "First flush registered"));
    assert_non_null(strstr(o.out, "First flush times out"));
    assert_null(strstr(o.out, "Pool exhausted       never"));
    assert_null(strstr(o.out, "Delivery starved     never"));
    assert_non_null(strstr(o.err, "events per second"));
    testutil_run_free(&o);
}

static void hotfix_removes_symptoms_with_same_arrivals(void **state)
{
    const char *before = testutil_tmp("cli-before.json"), *after = testutil_tmp("cli-after.json");
    struct testutil_run a = testutil_cli("run", KB, SHORT, "--quiet", "--json", before, NULL);
    struct testutil_run b = testutil_cli("run", KB, SHORT, "--quiet", "--json", after, "--set",
                           "hotfix.kb924567=true", NULL);
    char *ja = testutil_slurp(before, NULL), *jb = testutil_slurp(after, NULL);
    (void)state;
    assert_int_equal(a.status, 0);
    assert_int_equal(b.status, 0);
    assert_string_equal(a.out, ""); /* --quiet */
    assert_true(json_number(ja, "pool_exhausted") > 0);
    assert_true(json_number(ja, "delivery_starved") > 0);
    assert_int_equal(json_number(jb, "pool_exhausted"), -1);
    assert_int_equal(json_number(jb, "delivery_starved"), -1);
    assert_int_equal(json_number(jb, "owa_unresponsive"), -1);
    assert_int_equal(json_number(jb, "smtp_stopped"), -1);
    assert_int_equal(json_number(ja, "arrived"), json_number(jb, "arrived"));
    assert_true(json_number(ja, "arrived") > 100000);
    free(ja);
    free(jb);
    testutil_run_free(&a);
    testutil_run_free(&b);
}

/* Common random numbers: the pool size changes nothing that arrives. */
static void pool_size_leaves_arrivals_unchanged(void **state)
{
    struct testutil_run a = testutil_cli("run", KB, SHORT, "--quiet", "--json", "-", NULL);
    struct testutil_run b = testutil_cli("run", KB, SHORT, "--quiet", "--json", "-", "--set", "store.threads=400",
                           NULL);
    (void)state;
    assert_int_equal(json_number(a.out, "arrived"), json_number(b.out, "arrived"));
    assert_true(json_number(b.out, "pool_exhausted") == -1);
    testutil_run_free(&a);
    testutil_run_free(&b);
}

static void same_seed_gives_identical_output(void **state)
{
    const char *j1 = testutil_tmp("cli-same1.json"), *j2 = testutil_tmp("cli-same2.json");
    struct testutil_run a = testutil_cli("run", KB, SHORT, "--json", j1, NULL);
    struct testutil_run b = testutil_cli("run", KB, SHORT, "--json", j2, NULL);
    char *t1 = testutil_slurp(j1, NULL), *t2 = testutil_slurp(j2, NULL);
    (void)state;
    assert_string_equal(a.out, b.out);
    assert_string_equal(t1, t2);
    free(t1);
    free(t2);
    testutil_run_free(&a);
    testutil_run_free(&b);
}

static void other_seed_gives_other_arrivals(void **state)
{
    struct testutil_run a = testutil_cli("run", KB, SHORT, "--quiet", "--json", "-", NULL);
    struct testutil_run b = testutil_cli("run", KB, SHORT, "--quiet", "--json", "-", "--set", "simulation.seed=2",
                           NULL);
    (void)state;
    assert_true(json_number(a.out, "arrived") != json_number(b.out, "arrived"));
    testutil_run_free(&a);
    testutil_run_free(&b);
}

static void check_validates_only(void **state)
{
    struct testutil_run o = testutil_cli("check", KB, NULL);
    (void)state;
    assert_int_equal(o.status, 0);
    assert_non_null(strstr(o.out, "valid"));
    assert_null(strstr(o.out, "Timeline"));
    testutil_run_free(&o);
}

/* Bad input: one message, status 2, no output file. */
static void expect_usage_error(struct testutil_run o, const char *message, const char *unwritten)
{
    assert_int_equal(o.status, 2);
    assert_non_null(strstr(o.err, message));
    assert_string_equal(o.out, "");
    if (unwritten)
        assert_false(testutil_exists(unwritten));
    testutil_run_free(&o);
}

static void bad_input_writes_nothing(void **state)
{
    char json[1024], bad[1024];
    (void)state;
    strcpy(json, testutil_tmp("cli-never.json"));
    strcpy(bad, testutil_tmp("cli-bad.scn"));
    remove(json);
    assert_int_equal(testutil_write(bad, "[simulation]\nduration = 1h\n[store]\nthreads = 10\n"
                                         "[delivery]\nrate = 20\nservice = 1s\n"),
                     0);
    expect_usage_error(testutil_cli("run", bad, "--json", json, NULL), "cli-bad.scn:6: error:", json);
    expect_usage_error(testutil_cli("run", testutil_tmp("no-such.scn"), "--json", json, NULL),
                       "no-such.scn", json);
    expect_usage_error(testutil_cli("run", KB, "--json", json, "--set", "store.threads=-1", NULL),
                       "--set store.threads=-1: error:", json);
    expect_usage_error(testutil_cli("frobnicate", KB, NULL), "unknown command", NULL);
    expect_usage_error(testutil_cli("run", KB, "--colour", NULL), "unknown option --colour", NULL);
    expect_usage_error(testutil_cli("run", "--json", json, NULL), "needs a scenario", json);
    expect_usage_error(testutil_cli("run", KB, "--json", NULL), "--json needs a value", NULL);
    expect_usage_error(testutil_cli(NULL), "no command", NULL);
    expect_usage_error(testutil_cli("run", KB, "--trace", "t.txt", NULL),
                       "to trace to a file, write --trace=FILE", NULL);
}

static void unwritable_output_is_status_1(void **state)
{
    struct testutil_run o = testutil_cli("run", KB, SHORT, "--quiet", "--json",
                           testutil_tmp("no-such-dir/out.json"), NULL);
    (void)state;
    assert_int_equal(o.status, 1);
    assert_non_null(strstr(o.err, "no-such-dir/out.json"));
    testutil_run_free(&o);
}

static void trace_tells_flush_decisions(void **state)
{
    struct testutil_run o = testutil_cli("run", KB, "--set", "simulation.duration=31m", "--quiet", "--trace",
                           NULL);
    (void)state;
    assert_int_equal(o.status, 0);
    assert_non_null(strstr(o.out, "Trace of kb924567"));
    assert_non_null(strstr(o.out, "flush registered: the MTA is")); /* wrapped at 80 */
    assert_non_null(strstr(o.out, "starts on a thread after waiting"));
    assert_non_null(strstr(o.out, "message delivered; its thread is free"));
    testutil_run_free(&o);
}

static void check_takes_only_set(void **state)
{
    (void)state;
    expect_usage_error(testutil_cli("check", KB, "--json", testutil_tmp("cli-check.json"), NULL),
                       "check takes only --set", NULL);
    expect_usage_error(testutil_cli("check", KB, "--trace", NULL), "check takes only --set", NULL);
}

/* --only (or --from, --to) alone asks for a trace on standard output. */
static void trace_filter_implies_trace(void **state)
{
    struct testutil_run o = testutil_cli("run", KB, "--set", "simulation.duration=31m", "--quiet", "--only",
                           "flush", NULL);
    (void)state;
    assert_int_equal(o.status, 0);
    assert_non_null(strstr(o.out, "flush registered"));
    assert_null(strstr(o.out, "message delivered"));
    testutil_run_free(&o);
}

/* A report that cannot be written is a failure (status 1), not a success. */
static void unwritable_report_is_status_1(void **state)
{
    const char *path = testutil_tmp("cli-readonly.txt");
    FILE *out, *err = tmpfile();
    char *argv[] = {(char *)"storesim", (char *)"run", NULL, (char *)"--set",
                    (char *)"simulation.duration=10m", NULL};
    char *text;
    (void)state;
    argv[2] = (char *)KB;
    assert_int_equal(testutil_write(path, "x"), 0);
    out = fopen(path, "rb"); /* writing to it fails */
    assert_non_null(out);
    assert_int_equal(ss_cli_main(5, argv, out, err), 1);
    fclose(out);
    text = testutil_read_stream(err);
    assert_non_null(strstr(text, "cannot write the report"));
    free(text);
}

/* An interrupted run (SIGINT) writes nothing and fails. */
static void interrupted_run_writes_nothing(void **state)
{
    char json[1024];
    struct testutil_run o;
    (void)state;
    strcpy(json, testutil_tmp("cli-interrupted.json"));
    remove(json);
    ss_cli_on_signal(SIGINT);
    o = testutil_cli("run", KB, "--json", json, NULL);
    assert_int_equal(o.status, 1);
    assert_non_null(strstr(o.err, "interrupted at"));
    assert_string_equal(o.out, "");
    assert_false(testutil_exists(json));
    testutil_run_free(&o);
    /* Replications and sweeps stop too. */
    ss_cli_on_signal(SIGINT);
    o = testutil_cli("run", KB, "--replications", "3", "--json", json, NULL);
    assert_int_equal(o.status, 1);
    assert_non_null(strstr(o.err, "interrupted at"));
    assert_false(testutil_exists(json));
    testutil_run_free(&o);
    ss_cli_on_signal(SIGINT);
    o = testutil_cli("sweep", KB, "--vary", "store.threads=100:200:100", "--csv", json, NULL);
    assert_int_equal(o.status, 1);
    assert_non_null(strstr(o.err, "interrupted at"));
    assert_false(testutil_exists(json));
    testutil_run_free(&o);
    /* The next command runs normally. */
    o = testutil_cli("run", KB, "--set", "simulation.duration=10m", "--json", json, "--quiet", NULL);
    assert_int_equal(o.status, 0);
    assert_true(testutil_exists(json));
    testutil_run_free(&o);
}

static void replications_summarise_runs(void **state)
{
    struct testutil_run o = testutil_cli("run", KB, "--set", "simulation.duration=2h",
                                         "--replications", "3", "--json", "-", NULL);
    (void)state;
    assert_int_equal(o.status, 0);
    assert_non_null(strstr(o.out, "in 3 of 3 runs, at 00:4"));
    assert_non_null(strstr(o.out, "\"replications\": 3"));
    testutil_run_free(&o);
    o = testutil_cli("compare", KB, "--set", "simulation.duration=1h", "--replications", "2",
                     "--quiet", "--json", "-", NULL);
    assert_int_equal(o.status, 0);
    assert_non_null(strstr(o.out, "\"difference\""));
    testutil_run_free(&o);
    expect_usage_error(testutil_cli("run", KB, "--replications", "0", NULL), "--replications 0",
                       NULL);
    expect_usage_error(testutil_cli("run", KB, "--replications", "2", "--csv", "-", NULL),
                       "describe one run", NULL);
}

static void sweep_finds_the_edge(void **state)
{
    char csv[1024];
    struct testutil_run o;
    char *rows;
    (void)state;
    strcpy(csv, testutil_tmp("cli-sweep.csv"));
    remove(csv);
    o = testutil_cli("sweep", KB, "--set", "simulation.duration=2h", "--vary",
                     "move batch1.mailboxes=50:150:50", "--csv", csv, NULL);
    assert_int_equal(o.status, 0);
    assert_non_null(strstr(o.out, "Local delivery starves from move batch1.mailboxes = 100."));
    rows = testutil_slurp(csv, NULL);
    assert_non_null(rows);
    assert_non_null(strstr(rows, "move batch1.mailboxes"));
    free(rows);
    testutil_run_free(&o);
    remove(csv);
    expect_usage_error(testutil_cli("sweep", KB, "--vary", "store.threads=10:5:1", "--csv", csv,
                                    NULL),
                       "--vary 'store.threads=10:5:1'", csv);
    expect_usage_error(testutil_cli("sweep", KB, "--vary", "store.colour=1:5:1", "--csv", csv,
                                    NULL),
                       "colour", csv);
    expect_usage_error(testutil_cli("sweep", KB, NULL), "at least one --vary", NULL);
    /* Each point of the grid is sized: the second would run for hours. */
    expect_usage_error(testutil_cli("sweep", KB, "--vary", "delivery.rate=20/s:100020/s:100000/s",
                                    "--csv", csv, NULL),
                       "this sweep of 2 points would process", csv);
    expect_usage_error(testutil_cli("run", KB, "--vary", "store.threads=1:2:1", NULL),
                       "belongs to the sweep command", NULL);
}

/* A run estimated above 1e10 events is refused unless --force. */
static void huge_runs_need_force(void **state)
{
    (void)state;
    expect_usage_error(testutil_cli("run", KB, "--set", "delivery.rate=1000000/s", NULL),
                       "--force", NULL);
    expect_usage_error(testutil_cli("run", KB, "--set", "simulation.sample_interval=1us",
                                    "--csv", "-", NULL),
                       "samples; --csv and --svg take at most", NULL);
    expect_usage_error(testutil_cli("compare", KB, "--replications", "10000", NULL),
                       "these 20000 runs would process", NULL);
    /* compare counts the run without the hotfix even when the file has it on:
     * 100,000 messages/s alone would pass (5.8e9 events), not with the
     * retry storm of the run without the hotfix. */
    expect_usage_error(testutil_cli("compare", testutil_src("scenarios/kb924567-hotfix.scn"),
                                    "--set", "delivery.rate=100000/s", NULL),
                       "these 2 runs would process", NULL);
}

/* Bad arguments are found before anything runs, exit 2, and say error:. */
static void bad_arguments_found_early(void **state)
{
    static const char *const empty[][2] = {{"--json=", "--json needs a file name"},
                                           {"--csv=", "--csv needs a file name"},
                                           {"--svg=", "--svg needs a file name"},
                                           {"--trace=", "--trace= needs a file name"}};
    const char *csv = testutil_tmp("nodir-for-cli/x.csv");
    struct testutil_run o;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof empty / sizeof empty[0]; i++) {
        o = testutil_cli("run", KB, empty[i][0], NULL);
        assert_int_equal(o.status, 2);
        assert_non_null(strstr(o.err, "storesim: error: "));
        assert_non_null(strstr(o.err, empty[i][1]));
        assert_null(strstr(o.err, "events in")); /* nothing ran */
        testutil_run_free(&o);
    }
    o = testutil_cli("run", KB, "--json", "", NULL);
    assert_int_equal(o.status, 2);
    testutil_run_free(&o);
    /* A bad key of a sweep is the error, not the output folder after it. */
    o = testutil_cli("sweep", KB, "--vary", "store.thread=1:2:1", "--csv", csv, NULL);
    assert_int_equal(o.status, 2);
    assert_non_null(strstr(o.err, "unknown key 'thread' in [store]"));
    testutil_run_free(&o);
    o = testutil_cli("sweep", KB, "--vary", "store.threads=1:2:1", "--vary",
                     "store.threads=3:4:1", NULL);
    assert_int_equal(o.status, 2);
    assert_non_null(strstr(o.err, "storesim: error: --vary: store.threads is varied twice"));
    testutil_run_free(&o);
}

static void help_and_version(void **state)
{
    struct testutil_run h = testutil_cli("--help", NULL), v = testutil_cli("--version", NULL);
    (void)state;
    assert_int_equal(h.status, 0);
    assert_non_null(strstr(h.out, "storesim run SCENARIO"));
    assert_int_equal(v.status, 0);
    assert_non_null(strstr(v.out, "storesim " STORESIM_VERSION));
    testutil_run_free(&h);
    testutil_run_free(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kb924567_shows_every_symptom),
        cmocka_unit_test(hotfix_removes_symptoms_with_same_arrivals),
        cmocka_unit_test(pool_size_leaves_arrivals_unchanged),
        cmocka_unit_test(same_seed_gives_identical_output),
        cmocka_unit_test(other_seed_gives_other_arrivals),
        cmocka_unit_test(check_validates_only),
        cmocka_unit_test(bad_input_writes_nothing),
        cmocka_unit_test(unwritable_output_is_status_1),
        cmocka_unit_test(trace_tells_flush_decisions),
        cmocka_unit_test(help_and_version),
        cmocka_unit_test(bad_arguments_found_early),
        cmocka_unit_test(replications_summarise_runs),
        cmocka_unit_test(sweep_finds_the_edge),
        cmocka_unit_test(huge_runs_need_force),
        cmocka_unit_test(check_takes_only_set),
        cmocka_unit_test(trace_filter_implies_trace),
        cmocka_unit_test(unwritable_report_is_status_1),
        cmocka_unit_test(interrupted_run_writes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
