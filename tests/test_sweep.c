/*
 * test_sweep.c: --vary parsing, the grid, and the edge where delivery starves.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/replicate.h"
#include "storesim/sweep.h"
#include "storesim/sweep_report.h"

/* What the sweep command does with a file: read it once, make the grid,
 * check every point, then run and report. Returns 0, -1 (bad input: nothing
 * written) or -2 (a run failed). */
static int sweep(const char *path, const char *const *sets, size_t n_sets,
                 const struct ss_vary *vary, size_t n_vary, int replications, FILE *report,
                 FILE *csv, struct ss_error *err)
{
    struct ss_scenario_file *file;
    struct ss_sweep sw;
    struct ss_sweep_report out;
    int rc;
    memset(&sw, 0, sizeof sw);
    if (ss_grid_init(&sw.grid, vary, n_vary, err->text, sizeof err->text) != 0)
        return -1;
    if (ss_scenario_file_read(path, &file, err) != 0)
        return -1;
    sw.file = file;
    sw.sets = sets;
    sw.n_sets = n_sets;
    sw.replications = replications;
    out.text = report;
    out.csv = csv;
    sw.watcher = ss_sweep_report_watcher(&out);
    rc = ss_sweep_check(&sw, err);
    if (rc == 0)
        rc = ss_sweep_run(&sw, err);
    ss_scenario_file_free(file);
    return rc;
}

/* ---------------------------------------------------------------- --vary */

static void vary_parses(void **state)
{
    struct ss_vary v;
    char err[512], text[64];
    (void)state;
    assert_int_equal(ss_vary_parse("move batch1.mailboxes=50:300:50", &v, err, sizeof err), 0);
    assert_string_equal(v.key, "move batch1.mailboxes");
    assert_string_equal(v.unit, "");
    assert_int_equal(v.points, 6);
    assert_string_equal(ss_vary_text(&v, 0, text, sizeof text), "50");
    assert_string_equal(ss_vary_text(&v, 5, text, sizeof text), "300");
    assert_true(v.from == 50 && v.to == 300 && v.step == 50);

    assert_int_equal(ss_vary_parse("store.threads=100:200:50", &v, err, sizeof err), 0);
    assert_int_equal(v.points, 3);
    assert_true(ss_vary_number(&v, 2) == 200);

    assert_int_equal(ss_vary_parse("mta.flush_timeout=30m:150m:30m", &v, err, sizeof err), 0);
    assert_string_equal(v.unit, "m");
    assert_int_equal(v.points, 5);
    assert_string_equal(ss_vary_text(&v, 2, text, sizeof text), "90m");

    /* Decimals are exact: no 0.30000000000000004. */
    assert_int_equal(ss_vary_parse("delivery.rate=0.1/s:0.5/s:0.1/s", &v, err, sizeof err), 0);
    assert_int_equal(v.points, 5);
    assert_string_equal(ss_vary_text(&v, 2, text, sizeof text), "0.3/s");
    assert_string_equal(ss_vary_text(&v, 4, text, sizeof text), "0.5/s");

    /* Blanks around the parts; a STEP that does not divide the range stops
     * at the last value within it; FROM = TO is one point. */
    assert_int_equal(ss_vary_parse(" store.threads = 100 : 200 : 30 ", &v, err, sizeof err), 0);
    assert_string_equal(v.key, "store.threads");
    assert_int_equal(v.points, 4);
    assert_string_equal(ss_vary_text(&v, 3, text, sizeof text), "190");
    assert_int_equal(ss_vary_parse("store.threads=7:7:1", &v, err, sizeof err), 0);
    assert_int_equal(v.points, 1);
    assert_int_equal(ss_vary_parse("delivery.service=0.5s:2s:0.25s", &v, err, sizeof err), 0);
    assert_int_equal(v.points, 7);
    assert_string_equal(ss_vary_text(&v, 6, text, sizeof text), "2s");
    assert_string_equal(ss_vary_text(&v, 1, text, sizeof text), "0.75s");
}

static void refused(const char *text, const char *why);

/* A point in time varied over times of day: FROM and TO times, STEP a
 * duration; the values are the times they name, with their day. */
static void vary_times(void **state)
{
    struct ss_vary v;
    char err[256], text[64];
    (void)state;
    assert_int_equal(ss_vary_parse("move m.start=20:00:23:00:30m", &v, err, sizeof err), 0);
    assert_true(v.times);
    assert_false(v.seconds);
    assert_int_equal(v.points, 7);
    assert_int_equal(v.first, 20 * 3600000000LL);
    assert_int_equal(v.stride, 30 * 60000000LL);
    assert_string_equal(ss_vary_text(&v, 0, text, sizeof text), "20:00");
    assert_string_equal(ss_vary_text(&v, 1, text, sizeof text), "20:30");
    assert_string_equal(ss_vary_text(&v, 6, text, sizeof text), "23:00");
    assert_string_equal(ss_vary_step(&v, text, sizeof text), "30m");
    /* Past midnight, with the day. */
    assert_int_equal(ss_vary_parse("move m.start=22:00:02:00+1d:1h", &v, err, sizeof err), 0);
    assert_int_equal(v.points, 5);
    assert_string_equal(ss_vary_text(&v, 2, text, sizeof text), "00:00+1d");
    assert_string_equal(ss_vary_text(&v, 4, text, sizeof text), "02:00+1d");
    /* With seconds, or a step that needs them. */
    assert_int_equal(ss_vary_parse("move m.start=22:00:00:22:01:00:30s", &v, err, sizeof err), 0);
    assert_true(v.seconds);
    assert_int_equal(v.points, 3);
    assert_string_equal(ss_vary_text(&v, 1, text, sizeof text), "22:00:30");
    assert_int_equal(ss_vary_parse("move m.start=22:00:22:01:30s", &v, err, sizeof err), 0);
    assert_true(v.seconds);
    assert_string_equal(ss_vary_text(&v, 1, text, sizeof text), "22:00:30");
    refused("move m.start=23:00:22:00:30m", "FROM (23:00) is after TO (22:00); for the next day "
                                           "write TO as 22:00+1d");
    refused("move m.start=22:00:23:00:0s", "STEP must be above 0");
    refused("move m.start=22:00:23:00:30", "STEP: '30' has no unit");
    refused("move m.start=2x:00:23:00:30m", "FROM: ");
    refused("move m.start=20:00:23:00:01:00", "with times of day as FROM and TO and a duration "
                                             "as STEP");
}

static void refused(const char *text, const char *why)
{
    struct ss_vary v;
    char err[512];
    if (ss_vary_parse(text, &v, err, sizeof err) != -1)
        fail_msg("'%s' was accepted", text);
    if (!strstr(err, why) || strncmp(err, "--vary '", 8) != 0)
        fail_msg("'%s': expected \"%s\" in: %s", text, why, err);
    if (strchr(err, '\n') || strchr(err, '\x1b'))
        fail_msg("'%s': the message is not one safe line: %s", text, err);
}

static void vary_errors(void **state)
{
    (void)state;
    refused("store.threads", "expected KEY=FROM:TO:STEP");
    refused("store.threads=1:2", "expected KEY=FROM:TO:STEP");
    refused("store.threads=1:2:3:4", "expected KEY=FROM:TO:STEP");
    refused("=1:2:1", "KEY is section.key");
    refused("threads=1:2:1", "KEY is section.key");
    refused("store.threads=200:100:10", "FROM (200) is above TO (100)");
    refused("store.threads=1:10:0", "STEP must be above 0");
    refused("store.threads=1:10:0.0", "STEP must be above 0");
    refused("store.threads=1:100000:1", "that is 100000 values, more than the 10000");
    refused("mta.flush_timeout=30m:2h:30m", "must be written in one unit");
    refused("mta.flush_timeout=30m:150m:30", "must be written in one unit");
    refused("store.threads=a:2:1", "FROM 'a' is not a number");
    refused("store.threads=1:b:1", "TO 'b' is not a number");
    refused("store.threads=-1:2:1", "FROM '-1' is not a number");
    refused("store.threads=1.:2:1", "FROM '1.' is not a number");
    refused("store.threads=1:2:", "STEP '' is not a number");
    refused("mta.flush_timeout=30x:60x:30x", "unknown unit 'x'");
    refused("store.threads=1e3:2e3:1e3", "unknown unit 'e3'");
    refused("store.threads=1:1234567890123456:1", "more than 15 digits");
    /* Leading zeros are not digits, but the decimals still count. */
    refused("delivery.rate=0.0000000000000000001/s:1/s:1/s", "more than 15 decimals");
    refused("store.threads=1:2:0.0000000000000000000000001", "more than 15 decimals");
    /* A line break or an escape in the text stays out of the message (fuzz_args, finding 2). */
    refused("move batch1.mailboxes=8-\n:1:1", "--vary 'move batch1.mailboxes=8-\\x0a:1:1': ");
    refused("store.threads\x1b[2J=a:2:1", "--vary 'store.threads\\x1b[2J=a:2:1'");
}

/* ------------------------------------------------------------------ grid */

/*
 * A scenario whose edge is known by hand. No randomness: a message arrives
 * every second and holds a thread for 500ms; mailboxes are moved one at a
 * time (concurrency 1) from 10.25s, each move holding a thread for 5m; the
 * MTA is disabled, so every flush holds its thread for the whole run.
 *
 * During the k-th move, k flushes and the move hold k + 1 threads, and the
 * message of the moment needs one more. With N threads and M mailboxes:
 *   M <= N - 2: at most N - 1 threads for moves and flushes; a message always
 *               finds one. Delivery never starves.
 *   M >= N - 1: during move N - 1, the N - 1 flushes and the move hold all N
 *               threads (its flush waits from the move's start, behind
 *               the message then on a thread, 10.25s + (N - 2) x 5m). The
 *               next message, at the following whole second, waits until the
 *               move ends 5m later: starved 60s after it arrived,
 *               at 11s + (N - 2) x 300s + 60s.
 * Mailboxes 2, 4, ..., 12 and threads 6, 9, 12: the edge is M = 6 for N = 6
 * (starved at 1271s), M = 8 for N = 9 (2171s), M = 12 for N = 12 (3071s).
 */
static const char known[] =
    "[simulation]\nduration = 1h10m\n"
    "[store]\nthreads = 6\n"
    "[mta]\nenabled = false\nflush_timeout = 1d\n"
    "[move m]\nmailboxes = 2\nconcurrency = 1\nstart = 10s250ms\nduration = 5m\n"
    "[delivery]\nrate = 1/s\narrivals = regular\nservice = 500ms\n";

/* The whole stream (which is closed), and its number of lines. */
static char *lines_of(FILE *f, int *count)
{
    char *text = testutil_read_stream(f);
    const char *p;
    int n = 0;
    for (p = text; *p; p++)
        n += *p == '\n';
    *count = n;
    return text;
}

/* The CSV row that starts with `prefix` (the varied values). */
static const char *row(const char *csv, const char *prefix)
{
    const char *p = csv;
    size_t n = strlen(prefix);
    while (p && *p) {
        if (strncmp(p, prefix, n) == 0)
            return p;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    fail_msg("no row %s", prefix);
    return NULL;
}

/* Field i (0-based) of a CSV row, as text (no quoting in these rows). */
static void field(const char *line, int i, char *out, size_t size)
{
    size_t n;
    while (i-- > 0)
        line = strchr(line, ',') + 1;
    n = strcspn(line, ",\n");
    assert_true(n < size);
    memcpy(out, line, n);
    out[n] = '\0';
}

static void sweep_finds_the_edge(void **state)
{
    struct ss_vary v[2];
    struct ss_error err;
    char why[512], value[64], *csv_text, *report_text;
    const char *path = testutil_tmp("sweep-known.scn");
    FILE *csv = tmpfile(), *report = tmpfile();
    int lines;
    (void)state;
    assert_non_null(csv);
    assert_non_null(report);
    assert_int_equal(testutil_write(path, known), 0);
    assert_int_equal(ss_vary_parse("move m.mailboxes=2:12:2", &v[0], why, sizeof why), 0);
    assert_int_equal(ss_vary_parse("store.threads=6:12:3", &v[1], why, sizeof why), 0);
    if (sweep(path, NULL, 0, v, 2, 1, report, csv, &err) != 0)
        fail_msg("%s", err.text);

    csv_text = lines_of(csv, &lines);
    assert_int_equal(lines, 1 + 6 * 3);
    assert_true(strncmp(csv_text, "move m.mailboxes,store.threads,pool_exhausted_s,"
                                  "delivery_starved_s,", 66) == 0);
    /* The first key varies fastest. */
    assert_non_null(strstr(csv_text, "\n2,6,"));
    assert_true(strstr(csv_text, "\n12,6,") < strstr(csv_text, "\n2,9,"));
    /* Starved exactly when M >= N - 1, at the time worked out above. */
    field(row(csv_text, "4,6,"), 3, value, sizeof value);
    assert_string_equal(value, "");
    field(row(csv_text, "6,6,"), 3, value, sizeof value);
    assert_string_equal(value, "1271");
    field(row(csv_text, "12,6,"), 3, value, sizeof value);
    assert_string_equal(value, "1271");
    field(row(csv_text, "6,9,"), 3, value, sizeof value);
    assert_string_equal(value, "");
    field(row(csv_text, "8,9,"), 3, value, sizeof value);
    assert_string_equal(value, "2171");
    field(row(csv_text, "10,12,"), 3, value, sizeof value);
    assert_string_equal(value, "");
    field(row(csv_text, "12,12,"), 3, value, sizeof value);
    assert_string_equal(value, "3071");
    /* The pool ran dry at the start of move N - 1, 10.25s + (N - 2) x 5m. */
    field(row(csv_text, "6,6,"), 2, value, sizeof value);
    assert_string_equal(value, "1210.25");

    report_text = lines_of(report, &lines);
    assert_non_null(strstr(report_text, "store.threads = 6: local delivery starves from "
                                        "move m.mailboxes = 6\n"));
    assert_non_null(strstr(report_text, "store.threads = 9: local delivery starves from "
                                        "move m.mailboxes = 8\n"));
    assert_non_null(strstr(report_text, "store.threads = 12: local delivery starves from "
                                        "move m.mailboxes = 12\n"));
    free(csv_text);
    free(report_text);
}

/* With replications: means, half-widths and counts; the same edge. */
static void sweep_with_replications(void **state)
{
    struct ss_vary v;
    struct ss_error err;
    char why[512], value[64], *csv_text, *report_text;
    const char *path = testutil_tmp("sweep-known-r.scn");
    const char *sets[] = {"store.threads=9"};
    FILE *csv = tmpfile(), *report = tmpfile();
    int lines;
    (void)state;
    assert_non_null(csv);
    assert_non_null(report);
    assert_int_equal(testutil_write(path, known), 0);
    assert_int_equal(ss_vary_parse("move m.mailboxes=6:9:1", &v, why, sizeof why), 0);
    if (sweep(path, sets, 1, &v, 1, 2, report, csv, &err) != 0)
        fail_msg("%s", err.text);
    csv_text = lines_of(csv, &lines);
    assert_int_equal(lines, 1 + 4);
    assert_non_null(strstr(csv_text, "delivery_starved_s,delivery_starved_s_half,"
                                     "delivery_starved_runs,"));
    assert_non_null(strstr(csv_text, ",delivery_arrived,delivery_arrived_half,"));
    /* Columns: key, then per symptom mean, half, runs: starved is 4, 5, 6. */
    field(row(csv_text, "8,"), 4, value, sizeof value);
    assert_string_equal(value, "2171");
    field(row(csv_text, "8,"), 5, value, sizeof value);
    assert_string_equal(value, "0"); /* no randomness: no spread */
    field(row(csv_text, "8,"), 6, value, sizeof value);
    assert_string_equal(value, "2");
    field(row(csv_text, "7,"), 6, value, sizeof value);
    assert_string_equal(value, "0");
    report_text = lines_of(report, &lines);
    assert_non_null(strstr(report_text, "Local delivery starves from move m.mailboxes = 8.\n"));
    assert_non_null(strstr(report_text, "in 2 of 2 runs, at 00:36:11 \302\261 00:00:00"));
    free(csv_text);
    free(report_text);
}

static void sweep_without_starvation(void **state)
{
    struct ss_vary v;
    struct ss_error err;
    char why[512], *report_text;
    const char *path = testutil_tmp("sweep-known-none.scn");
    FILE *report = tmpfile();
    int lines;
    (void)state;
    assert_non_null(report);
    assert_int_equal(testutil_write(path, known), 0);
    assert_int_equal(ss_vary_parse("store.threads=20:30:10", &v, why, sizeof why), 0);
    if (sweep(path, NULL, 0, &v, 1, 1, report, NULL, &err) != 0)
        fail_msg("%s", err.text);
    report_text = lines_of(report, &lines);
    assert_non_null(strstr(report_text, "Local delivery does not starve, up to "
                                        "store.threads = 30.\n"));
    free(report_text);
}

/* A bad grid is refused before anything runs or is written. */
static void refused_grid(const char *vary_text, const char *second, const char *why)
{
    struct ss_vary v[2];
    struct ss_error err;
    char msg[512];
    const char *path = testutil_tmp("sweep-known-bad.scn");
    FILE *csv = tmpfile(), *report = tmpfile();
    size_t n = second ? 2 : 1;
    assert_non_null(csv);
    assert_non_null(report);
    assert_int_equal(testutil_write(path, known), 0);
    assert_int_equal(ss_vary_parse(vary_text, &v[0], msg, sizeof msg), 0);
    if (second)
        assert_int_equal(ss_vary_parse(second, &v[1], msg, sizeof msg), 0);
    assert_int_equal(sweep(path, NULL, 0, v, n, 1, report, csv, &err), -1);
    if (!strstr(err.text, why))
        fail_msg("expected \"%s\" in: %s", why, err.text);
    assert_int_equal(ftell(csv), 0);
    assert_int_equal(ftell(report), 0);
    fclose(csv);
    fclose(report);
}

static void bad_grids_write_nothing(void **state)
{
    (void)state;
    /* An unknown key: the scenario parser's own message. */
    refused_grid("store.thread=1:3:1", NULL, "unknown key 'thread' in [store]");
    refused_grid("move m.mailboxes=2:4:2", "stor.threads=4:5:1", "stor");
    /* A value only the last points get wrong: every point is checked first. */
    refused_grid("store.threads=999990:1000010:10", NULL, "store.threads");
    refused_grid("move m.duration=4m:6m:1m", "delivery.service=1:3:1", "no unit");
    refused_grid("store.threads=1:3:1", "store.threads=4:5:1",
                 "storesim: error: --vary: store.threads is varied twice");
    refused_grid("store.threads=1:200:1", "move m.mailboxes=1:100:1",
                 "storesim: error: --vary: the grid has more than 10000 points");
}

static void missing_file(void **state)
{
    struct ss_vary v;
    struct ss_error err;
    char msg[512];
    (void)state;
    assert_int_equal(ss_vary_parse("store.threads=1:3:1", &v, msg, sizeof msg), 0);
    assert_int_equal(sweep(testutil_tmp("no-such.scn"), NULL, 0, &v, 1, 1, NULL, NULL, &err), -1);
    assert_non_null(strstr(err.text, "no-such.scn"));
}

/* The file is read once: every point is resolved from the text in memory,
 * so a file that changes (or goes) once the sweep has started does not
 * change the sweep. */
static void file_read_once(void **state)
{
    struct ss_vary v;
    struct ss_scenario_file *file;
    struct ss_sweep sw;
    struct ss_sweep_report out;
    struct ss_error err;
    char why[512], *report_text;
    const char *path = testutil_tmp("sweep-once.scn");
    FILE *report = tmpfile();
    int lines;
    (void)state;
    assert_non_null(report);
    assert_int_equal(testutil_write(path, known), 0);
    assert_int_equal(ss_vary_parse("move m.mailboxes=4:8:2", &v, why, sizeof why), 0);
    memset(&sw, 0, sizeof sw);
    assert_int_equal(ss_grid_init(&sw.grid, &v, 1, why, sizeof why), 0);
    assert_int_equal(ss_scenario_file_read(path, &file, &err), 0);
    assert_int_equal(testutil_write(path, "[simulation]\nduration = 1s\n"), 0); /* invalid now */
    sw.file = file;
    sw.replications = 1;
    sw.sets = (const char *const[]){"store.threads=6"};
    sw.n_sets = 1;
    out.text = report;
    out.csv = NULL;
    sw.watcher = ss_sweep_report_watcher(&out);
    if (ss_sweep_check(&sw, &err) != 0 || ss_sweep_run(&sw, &err) != 0)
        fail_msg("%s", err.text);
    ss_scenario_file_free(file);
    report_text = lines_of(report, &lines);
    assert_non_null(strstr(report_text, "Local delivery starves from move m.mailboxes = 6.\n"));
    free(report_text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vary_parses),
        cmocka_unit_test(vary_errors),
        cmocka_unit_test(vary_times),
        cmocka_unit_test(sweep_finds_the_edge),
        cmocka_unit_test(sweep_with_replications),
        cmocka_unit_test(sweep_without_starvation),
        cmocka_unit_test(bad_grids_write_nothing),
        cmocka_unit_test(missing_file),
        cmocka_unit_test(file_read_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
