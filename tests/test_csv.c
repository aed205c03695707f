/*
 * test_csv.c: --csv, the time series (docs/charts.md).
 *
 * The rows are checked against what they describe: one per sample (at 0,
 * every sample_interval, and at the end), busy threads never more than the
 * pool, cumulative counts never going down. The small scenario runs its pool
 * dry (flushes with no MTA), so the pool-size bound is reached, not just met.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/cli.h"
#include "storesim/csv.h"

static const char header[] =
    "time,time_s,busy_delivery,busy_owa,busy_move,busy_flush,waiting_delivery,waiting_owa,"
    "waiting_move,waiting_flush,backlog,delivered,refused,owa_failed";

#define THREADS 10

/* A short run that exhausts a pool of 10 threads without the hotfix. */
static const char small_scenario[] =
    "[simulation]\nduration = 1h\nsample_interval = 1m\nseed = 3\n"
    "[store]\nthreads = 10\n"
    "[mta]\nenabled = false\nflush_timeout = 20m\n"
    "[database Mailbox Store]\ngateway_out_threads = 0\n"
    "[move b]\nmailboxes = 20\nstart = 5m\nduration = uniform(5s, 10s)\n"
    "[delivery]\nrate = 5/s\nservice = exp(500ms)\n"
    "[owa]\nrate = 2/s\nservice = exp(200ms)\n"
    "[smtp]\nmax_backlog = 2000\n";

static char scenario[1024], csv[1024];

static int setup(void **state)
{
    (void)state;
    strcpy(scenario, testutil_tmp("csv_small.scn"));
    strcpy(csv, testutil_tmp("csv_out.csv"));
    return testutil_write(scenario, small_scenario);
}


/* ---- reading the CSV back ---- */

#define VALUES 12 /* busy x4, waiting x4, backlog, delivered, refused, owa_failed */
enum { BUSY = 0, WAITING = 4, BACKLOG = 8, DELIVERED = 9, REFUSED = 10, OWA_FAILED = 11 };

struct row {
    char run[16];   /* "" without a run column */
    char time[24];
    double time_s;
    long long v[VALUES];
};

struct table {
    struct row *row;
    size_t n;
};

/* Cut a line at its commas; returns the number of fields. */
static int split(char *line, char **field, int max)
{
    int n = 0;
    for (;;) {
        char *comma = strchr(line, ',');
        assert_true(n < max);
        field[n++] = line;
        if (!comma)
            return n;
        *comma = '\0';
        line = comma + 1;
    }
}

static void parse_row(struct row *r, char *line, int with_run)
{
    char *field[20], *end;
    int n = split(line, field, 20), i, first = with_run ? 1 : 0;
    assert_int_equal(n, first + 2 + VALUES);
    memset(r, 0, sizeof *r);
    if (with_run) {
        assert_true(strlen(field[0]) < sizeof r->run);
        strcpy(r->run, field[0]);
    }
    assert_true(strlen(field[first]) < sizeof r->time);
    strcpy(r->time, field[first]);
    r->time_s = strtod(field[first + 1], &end);
    assert_true(*end == '\0' && end != field[first + 1]);
    for (i = 0; i < VALUES; i++) {
        r->v[i] = strtoll(field[first + 2 + i], &end, 10);
        assert_true(*end == '\0' && end != field[first + 2 + i]);
        assert_true(r->v[i] >= 0);
    }
}

/* The CSV at path: its header checked, its rows parsed. */
static struct table read_csv(const char *path, int with_run)
{
    char *text = testutil_slurp(path, NULL), *line, *next;
    struct table t = {NULL, 0};
    size_t cap = 0;
    assert_non_null(text);
    next = strchr(text, '\n');
    assert_non_null(next);
    *next = '\0';
    if (with_run) {
        assert_int_equal(strncmp(text, "run,", 4), 0);
        assert_string_equal(text + 4, header);
    } else {
        assert_string_equal(text, header);
    }
    for (line = next + 1; *line; line = next + 1) {
        next = strchr(line, '\n');
        assert_non_null(next); /* every row ends its line */
        *next = '\0';
        if (t.n == cap) {
            cap = cap ? 2 * cap : 64;
            t.row = realloc(t.row, cap * sizeof *t.row);
            assert_non_null(t.row);
        }
        parse_row(&t.row[t.n++], line, with_run);
    }
    free(text);
    return t;
}

/* Rows [from, to): time goes up, busy <= pool, cumulative counts never
 * fall. Returns the largest number of threads busy at once. */
static long long check_rows(const struct table *t, size_t from, size_t to, long long threads)
{
    long long most = 0;
    size_t i;
    for (i = from; i < to; i++) {
        const struct row *r = &t->row[i];
        long long busy = r->v[BUSY] + r->v[BUSY + 1] + r->v[BUSY + 2] + r->v[BUSY + 3];
        assert_true(busy <= threads);
        if (busy > most)
            most = busy;
        assert_int_equal(r->v[BACKLOG], r->v[WAITING]); /* the backlog is the waiting messages */
        if (i == from)
            continue;
        assert_true(r->time_s > t->row[i - 1].time_s);
        assert_true(r->v[DELIVERED] >= t->row[i - 1].v[DELIVERED]);
        assert_true(r->v[REFUSED] >= t->row[i - 1].v[REFUSED]);
        assert_true(r->v[OWA_FAILED] >= t->row[i - 1].v[OWA_FAILED]);
    }
    return most;
}

/* ---- the tests ---- */

static void rows_every_interval_when_it_divides_the_run(void **state)
{
    struct table t;
    (void)state;
    remove(csv);
    assert_int_equal(testutil_cli_status(NULL, "run", scenario, "--csv", csv, "--quiet", NULL), 0);
    t = read_csv(csv, 0);
    assert_int_equal(t.n, 60 + 1); /* 1h / 1m, and time 0 */
    assert_string_equal(t.row[0].time, "00:00:00");
    assert_true(t.row[0].time_s == 0);
    assert_string_equal(t.row[1].time, "00:01:00");
    assert_true(t.row[1].time_s == 60);
    assert_string_equal(t.row[60].time, "01:00:00");
    assert_true(t.row[60].time_s == 3600);
    free(t.row);
}

static void one_more_row_for_a_partial_last_interval(void **state)
{
    struct table t;
    (void)state;
    remove(csv);
    assert_int_equal(testutil_cli_status(NULL, "run", scenario, "--set", "simulation.sample_interval=7m", "--csv",
                         csv, "--quiet", NULL),
                     0);
    t = read_csv(csv, 0);
    assert_int_equal(t.n, 8 + 1 + 1); /* 0, 7m .. 56m, and the end at 1h */
    assert_string_equal(t.row[8].time, "00:56:00");
    assert_string_equal(t.row[9].time, "01:00:00");
    assert_true(t.row[9].time_s == 3600);
    free(t.row);
}

static void busy_threads_never_exceed_the_pool(void **state)
{
    struct table t;
    (void)state;
    remove(csv);
    assert_int_equal(testutil_cli_status(NULL, "run", scenario, "--set", "simulation.sample_interval=10s", "--csv",
                         csv, "--quiet", NULL),
                     0);
    t = read_csv(csv, 0);
    assert_int_equal(t.n, 360 + 1);
    /* The flushes run the pool dry: the bound is reached, and held. */
    assert_int_equal(check_rows(&t, 0, t.n, THREADS), THREADS);
    free(t.row);
}

static void cumulative_counts_grow(void **state)
{
    struct table t;
    (void)state;
    remove(csv);
    assert_int_equal(testutil_cli_status(NULL, "run", scenario, "--csv", csv, "--quiet", NULL), 0);
    t = read_csv(csv, 0);
    check_rows(&t, 0, t.n, THREADS);
    assert_true(t.row[t.n - 1].v[DELIVERED] > 0);
    assert_true(t.row[t.n - 1].v[REFUSED] > 0);    /* max_backlog 2000 is reached */
    assert_true(t.row[t.n - 1].v[OWA_FAILED] > 0);
    assert_int_equal(t.row[0].v[DELIVERED], 0);
    free(t.row);
}

static void compare_writes_both_runs_with_a_run_column(void **state)
{
    struct table t;
    size_t i;
    (void)state;
    remove(csv);
    assert_int_equal(testutil_cli_status(NULL, "compare", scenario, "--csv", csv, "--quiet", NULL), 0);
    t = read_csv(csv, 1);
    assert_int_equal(t.n, 2 * 61);
    for (i = 0; i < t.n; i++)
        assert_string_equal(t.row[i].run, i < 61 ? "before" : "after");
    assert_int_equal(check_rows(&t, 0, 61, THREADS), THREADS);
    /* With the hotfix no flush holds a thread. */
    check_rows(&t, 61, t.n, THREADS);
    for (i = 61; i < t.n; i++)
        assert_int_equal(t.row[i].v[BUSY + 3], 0);
    assert_string_equal(t.row[61].time, "00:00:00");
    free(t.row);
}

static void dash_writes_to_standard_output(void **state)
{
    char *out = NULL;
    (void)state;
    assert_int_equal(testutil_cli_status(&out, "run", scenario, "--csv", "-", "--quiet", NULL), 0);
    assert_int_equal(strncmp(out, header, strlen(header)), 0);
    assert_non_null(strstr(out, "\n00:01:00,60,"));
    free(out);
}

static void unwritable_csv_is_exit_1(void **state)
{
    (void)state;
    assert_int_equal(testutil_cli_status(NULL, "run", scenario, "--csv", testutil_tmp("no/such/dir/x.csv"),
                         "--quiet", NULL),
                     1);
}

static void bad_scenario_writes_no_csv(void **state)
{
    char bad[1024];
    (void)state;
    strcpy(bad, testutil_tmp("csv_bad.scn"));
    assert_int_equal(testutil_write(bad, "[simulation]\nduration = 1h\n"), 0); /* no [store] */
    remove(csv);
    assert_int_equal(testutil_cli_status(NULL, "compare", bad, "--csv", csv, NULL), 2);
    assert_false(testutil_exists(csv));
    assert_int_equal(testutil_cli_status(NULL, "run", scenario, "--set", "simulation.duration=forever", "--csv",
                         csv, NULL),
                     2);
    assert_false(testutil_exists(csv));
}

static void row_format(void **state)
{
    struct ss_sample s;
    FILE *f = tmpfile();
    char line[256];
    (void)state;
    assert_non_null(f);
    memset(&s, 0, sizeof s);
    s.time = 90 * SS_MINUTE + 250 * SS_MS;
    s.busy[SS_DELIVERY] = 1;
    s.busy[SS_FLUSH] = 4;
    s.waiting[SS_OWA] = 7;
    s.backlog = 12;
    s.delivered = 1234567;
    s.refused = 8;
    s.owa_failed = 9;
    ss_csv_row(f, "after", NULL, &s);
    s.time = 3 * SS_SECOND + 5;
    ss_csv_row(f, NULL, NULL, &s);
    rewind(f);
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "after,01:30:00,5400.25,1,0,0,4,0,7,0,0,12,1234567,8,9\n");
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "00:00:03,3.000005,1,0,0,4,0,7,0,0,12,1234567,8,9\n");
    fclose(f);
}

static void header_format(void **state)
{
    FILE *f = tmpfile();
    char line[512];
    (void)state;
    assert_non_null(f);
    ss_csv_header(f, true);
    ss_csv_header(f, false);
    rewind(f);
    assert_non_null(fgets(line, sizeof line, f));
    assert_int_equal(strncmp(line, "run,", 4), 0);
    assert_int_equal(strncmp(line + 4, header, strlen(header)), 0);
    assert_non_null(fgets(line, sizeof line, f));
    assert_int_equal(strncmp(line, header, strlen(header)), 0);
    assert_string_equal(line + strlen(header), "\n");
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_every_interval_when_it_divides_the_run),
        cmocka_unit_test(one_more_row_for_a_partial_last_interval),
        cmocka_unit_test(busy_threads_never_exceed_the_pool),
        cmocka_unit_test(cumulative_counts_grow),
        cmocka_unit_test(compare_writes_both_runs_with_a_run_column),
        cmocka_unit_test(dash_writes_to_standard_output),
        cmocka_unit_test(unwritable_csv_is_exit_1),
        cmocka_unit_test(bad_scenario_writes_no_csv),
        cmocka_unit_test(row_format),
        cmocka_unit_test(header_format),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
