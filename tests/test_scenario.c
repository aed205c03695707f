/* test_scenario.c: scenario files: reading, --set, resolving, errors, each_key. */
#include "testutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/scenario.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char full_text[] =
    "# a full scenario: every section, every key\n"
    "[simulation]\n"
    "duration = 8h\n"
    "seed = 18446744073709551615\n"
    "sample_interval = 30s\n"
    "\n"
    "[store]\n"
    "threads = 20\n"
    "\n"
    "[mta]\n"
    "enabled = false\n"
    "flush_time = 2s\n"
    "flush_timeout = 2h30m\n"
    "\n"
    "[hotfix]\n"
    "kb924567 = true\n"
    "\n"
    "[database Mailbox Store 1]\n"
    "gateway_out_threads = 0\n"
    "\n"
    "[database Store.2]\n"
    "gateway_out_threads = 4294967295\n"
    "\n"
    "[move batch1]\n"
    "mailboxes = 800\n"
    "start = 1h30m\n"
    "concurrency = 8\n"
    "database = Store.2\n"
    "duration = lognormal(2m, 30s)\n"
    "\n"
    "[move batch2]\n"
    "mailboxes = 0\n"
    "database = Mailbox Store 1\n"
    "duration = uniform(1m, 5m)\n"
    "\n"
    "[delivery]\n"
    "rate = 600 / m\n"
    "service = exp(200ms)\n"
    "starvation_threshold = 90s\n"
    "\n"
    "[owa]\n"
    "rate = 0/s\n"
    "service = 250ms\n"
    "timeout = 45s\n"
    "\n"
    "[smtp]\n"
    "max_backlog = 500\n"
    "resume_backlog = 100\n"
    "retry = exp(5m)\n";

static const char minimal_text[] = "[simulation]\nduration = 1h\n[store]\nthreads = 4\n";

static int parse_sets(const char *text, const char *const *sets, size_t n_sets,
                      struct ss_scenario *sc, struct ss_error *err)
{
    return ss_scenario_parse("x.scn", text, strlen(text), sets, n_sets, sc, err);
}

static int parse(const char *text, struct ss_scenario *sc, struct ss_error *err)
{
    return parse_sets(text, NULL, 0, sc, err);
}

static void assert_empty(const struct ss_scenario *sc)
{
    struct ss_scenario zero;
    memset(&zero, 0, sizeof zero);
    assert_memory_equal(sc, &zero, sizeof zero);
}

/* The text fails with exactly this message, and leaves the scenario empty. */
static void expect_error_sets(const char *text, const char *const *sets, size_t n_sets,
                              const char *message)
{
    struct ss_scenario sc;
    struct ss_error err;
    memset(&sc, 0xab, sizeof sc);
    assert_int_equal(parse_sets(text, sets, n_sets, &sc, &err), -1);
    assert_string_equal(err.text, message);
    assert_null(strchr(err.text, '\n'));
    assert_empty(&sc);
    ss_scenario_free(&sc);
}

static void expect_error(const char *text, const char *message)
{
    expect_error_sets(text, NULL, 0, message);
}

/* minimal_text plus `more`, which must fail with `message`. */
static void expect_error_after_minimal(const char *more, const char *message)
{
    char text[1024];
    snprintf(text, sizeof text, "%s%s", minimal_text, more);
    expect_error(text, message);
}

static void test_full_scenario(void **state)
{
    struct ss_scenario sc;
    struct ss_error err;
    (void)state;
    assert_int_equal(ss_scenario_parse("scenarios/kb924567.scn", full_text, strlen(full_text),
                                       NULL, 0, &sc, &err), 0);
    assert_string_equal(sc.path, "scenarios/kb924567.scn");
    assert_string_equal(sc.name, "kb924567");
    assert_int_equal(sc.duration, 8 * SS_HOUR);
    assert_true(sc.seed == UINT64_MAX);
    assert_int_equal(sc.sample_interval, 30 * SS_SECOND);
    assert_int_equal(sc.threads, 20);
    assert_false(sc.mta_enabled);
    assert_int_equal(sc.flush_time, 2 * SS_SECOND);
    assert_int_equal(sc.flush_timeout, 150 * SS_MINUTE);
    assert_true(sc.hotfix);

    assert_int_equal(sc.n_databases, 2);
    assert_string_equal(sc.databases[0].name, "Mailbox Store 1");
    assert_int_equal(sc.databases[0].gateway_out_threads, 0);
    assert_string_equal(sc.databases[1].name, "Store.2");
    assert_true(sc.databases[1].gateway_out_threads == 4294967295LL);

    assert_int_equal(sc.n_moves, 2);
    assert_string_equal(sc.moves[0].name, "batch1");
    assert_int_equal(sc.moves[0].mailboxes, 800);
    assert_int_equal(sc.moves[0].start, 90 * SS_MINUTE);
    assert_int_equal(sc.moves[0].concurrency, 8);
    assert_int_equal(sc.moves[0].database, 1);
    assert_int_equal(sc.moves[0].duration.kind, SS_DIST_LOGNORMAL);
    assert_int_equal(sc.moves[0].duration.a, 2 * SS_MINUTE);
    assert_int_equal(sc.moves[0].duration.b, 30 * SS_SECOND);
    assert_string_equal(sc.moves[1].name, "batch2");
    assert_int_equal(sc.moves[1].mailboxes, 0);
    assert_int_equal(sc.moves[1].start, 0);
    assert_int_equal(sc.moves[1].concurrency, 4);
    assert_int_equal(sc.moves[1].database, 0);
    assert_int_equal(sc.moves[1].duration.kind, SS_DIST_UNIFORM);
    assert_int_equal(sc.moves[1].duration.a, SS_MINUTE);
    assert_int_equal(sc.moves[1].duration.b, 5 * SS_MINUTE);

    assert_true(sc.has_delivery);
    assert_true(sc.delivery_rate.rate[0].per_second == 10.0);
    assert_string_equal(sc.delivery_rate.rate[0].text, "600/m");
    assert_int_equal(sc.delivery_service.kind, SS_DIST_EXP);
    assert_int_equal(sc.delivery_service.a, 200 * SS_MS);
    assert_int_equal(sc.starvation_threshold, 90 * SS_SECOND);

    assert_true(sc.has_owa);
    assert_true(sc.owa_rate.rate[0].per_second == 0.0);
    assert_string_equal(sc.owa_rate.rate[0].text, "0/s");
    assert_int_equal(sc.owa_service.kind, SS_DIST_CONST);
    assert_int_equal(sc.owa_service.a, 250 * SS_MS);
    assert_int_equal(sc.owa_timeout, 45 * SS_SECOND);

    assert_int_equal(sc.max_backlog, 500);
    assert_int_equal(sc.resume_backlog, 100);
    assert_int_equal(sc.retry.kind, SS_DIST_EXP);
    assert_int_equal(sc.retry.a, 5 * SS_MINUTE);
    assert_int_equal(sc.n_warnings, 0); /* the MTA is disabled: gateway_out_threads = 0 is right */
    ss_scenario_free(&sc);
    assert_empty(&sc);
}

static void test_defaults(void **state)
{
    struct ss_scenario sc;
    struct ss_error err;
    (void)state;
    assert_int_equal(parse(minimal_text, &sc, &err), 0);
    assert_int_equal(sc.duration, SS_HOUR);
    assert_true(sc.seed == 1);
    assert_int_equal(sc.sample_interval, SS_MINUTE);
    assert_int_equal(sc.threads, 4);
    assert_true(sc.mta_enabled);
    assert_int_equal(sc.flush_time, SS_SECOND);
    assert_int_equal(sc.flush_timeout, 150 * SS_MINUTE);
    assert_false(sc.hotfix);
    assert_int_equal(sc.n_databases, 1);
    assert_string_equal(sc.databases[0].name, SS_DEFAULT_DATABASE);
    assert_int_equal(sc.databases[0].gateway_out_threads, 1);
    assert_int_equal(sc.n_moves, 0);
    assert_false(sc.has_delivery);
    assert_false(sc.has_owa);
    assert_int_equal(sc.starvation_threshold, 60 * SS_SECOND);
    assert_int_equal(sc.owa_timeout, 60 * SS_SECOND);
    assert_int_equal(sc.max_backlog, 10000);
    assert_int_equal(sc.resume_backlog, 5000);
    assert_int_equal(sc.retry.kind, SS_DIST_CONST);
    assert_int_equal(sc.retry.a, 10 * SS_MINUTE);
    assert_int_equal(sc.n_warnings, 0);
    assert_string_equal(sc.name, "x");
    ss_scenario_free(&sc);
}

static void test_defaults_in_sections(void **state)
{
    static const char text[] = "[simulation]\nduration = 1h\n[store]\nthreads = 4\n"
                               "[move m]\nmailboxes = 10\nduration = 1m\n"
                               "[delivery]\nrate = 20/s\nservice = 50ms\n"
                               "[owa]\nrate = 1/s\nservice = exp(1s)\n"
                               "[smtp]\nmax_backlog = 7\n";
    struct ss_scenario sc;
    struct ss_error err;
    (void)state;
    assert_int_equal(parse(text, &sc, &err), 0);
    assert_int_equal(sc.moves[0].start, 0);
    assert_int_equal(sc.moves[0].concurrency, 4);
    assert_int_equal(sc.moves[0].database, 0); /* the only one: the default database */
    assert_int_equal(sc.starvation_threshold, 60 * SS_SECOND);
    assert_int_equal(sc.owa_timeout, 60 * SS_SECOND);
    assert_int_equal(sc.resume_backlog, 3); /* half of max_backlog, rounded down */
    ss_scenario_free(&sc);
}

static void test_base_names(void **state)
{
    static const struct {
        const char *path, *name;
    } cases[] = {{"scenarios/kb924567.scn", "kb924567"}, {"a\\b\\c.d.scn", "c.d"},
                 {"plain", "plain"}, {"dir/.hidden", ".hidden"}};
    size_t i;
    (void)state;
    for (i = 0; i < N_OF(cases); i++) {
        struct ss_scenario sc;
        struct ss_error err;
        assert_int_equal(ss_scenario_parse(cases[i].path, minimal_text, strlen(minimal_text),
                                           NULL, 0, &sc, &err), 0);
        assert_string_equal(sc.name, cases[i].name);
        ss_scenario_free(&sc);
    }
}

/* ---- the errors of step 1 ---- */

static void test_error_unknown_section(void **state)
{
    (void)state;
    expect_error("[simulation]\nduration = 1h\n[delivry]\n",
                 "x.scn:3: error: unknown section [delivry] (did you mean [delivery]?)");
    expect_error("\n[bogus]\n", "x.scn:2: error: unknown section [bogus]: sections are "
                                "simulation, store, mta, hotfix, database NAME, move NAME, "
                                "delivery, owa, smtp, action NAME");
    expect_error("[Simulation]\n", "x.scn:1: error: unknown section [Simulation] "
                                   "(did you mean [simulation]?)");
}

static void test_error_unknown_key(void **state)
{
    (void)state;
    expect_error("[simulation]\nduration = 1h\nsead = 5\n",
                 "x.scn:3: error: unknown key 'sead' in [simulation] (did you mean 'seed'?)");
    expect_error("[move b]\nfoo = 1\n", "x.scn:2: error: unknown key 'foo' in [move b]: its keys "
                                        "are mailboxes, start, concurrency, database, duration");
    expect_error("[store]\nThreads = 4\n",
                 "x.scn:2: error: unknown key 'Threads' in [store] (did you mean 'threads'?)");
}

static void test_error_duplicate_key(void **state)
{
    (void)state;
    expect_error("[simulation]\nduration = 1h\n\nduration = 2h\n",
                 "x.scn:4: error: duplicate key simulation.duration: it is already set at line 2");
    expect_error("[move b]\nmailboxes = 1\nmailboxes = 1\n",
                 "x.scn:3: error: duplicate key move b.mailboxes: it is already set at line 2");
}

static void test_error_duplicate_section(void **state)
{
    (void)state;
    expect_error("[store]\nthreads = 4\n[store]\n",
                 "x.scn:3: error: duplicate section [store]: it is already at line 1");
    expect_error("[database A]\n[database B]\n[database A]\n",
                 "x.scn:3: error: duplicate section [database A]: it is already at line 1");
}

static void test_error_outside_section(void **state)
{
    (void)state;
    expect_error("# comment\nduration = 1h\n[simulation]\n",
                 "x.scn:2: error: 'duration' is outside any section: put it under a "
                 "[section] header");
}

static void test_error_no_equals(void **state)
{
    (void)state;
    expect_error("[simulation]\nduration 1h\n",
                 "x.scn:2: error: expected 'key = value' or a [section] header, "
                 "found 'duration 1h'");
    expect_error("[simulation]\n = 1h\n", "x.scn:2: error: missing key before '='");
}

static void test_error_empty_value(void **state)
{
    (void)state;
    expect_error("[simulation]\nduration =   # later\n",
                 "x.scn:2: error: simulation.duration has no value: write one after '='");
}

static void test_error_malformed_header(void **state)
{
    (void)state;
    expect_error("[simulation\n", "x.scn:1: error: malformed section header '[simulation': "
                                  "write [section] or [section NAME]");
    expect_error("[]\n", "x.scn:1: error: malformed section header '[]': "
                         "write [section] or [section NAME]");
    expect_error("[move [a]]\n", "x.scn:1: error: malformed section header '[move [a]]': "
                                 "write [section] or [section NAME]");
    expect_error("[move]\n", "x.scn:1: error: [move] needs a name: write [move NAME]");
    expect_error("[store main]\n", "x.scn:1: error: [store] takes no name, but has 'main'");
    expect_error("[database a=b]\n",
                 "x.scn:1: error: the name 'a=b' contains '=', '[' or ']', which a name cannot");
}

static void test_error_nul_in_text(void **state)
{
    static const char text[] = "[simulation]\nduration = 1h\nseed = 1\0\n";
    struct ss_scenario sc;
    struct ss_error err;
    (void)state;
    assert_int_equal(ss_scenario_parse("x.scn", text, sizeof text - 1, NULL, 0, &sc, &err), -1);
    assert_string_equal(err.text, "x.scn:3: error: the file contains a NUL byte: "
                                  "is it a text file?");
    assert_empty(&sc);
}

static void test_error_long_line_in_text(void **state)
{
    char *text = malloc(SS_SCENARIO_LINE_MAX + 64);
    struct ss_scenario sc;
    struct ss_error err;
    (void)state;
    assert_non_null(text);
    /* A line of exactly the limit is read; one byte more is refused. */
    strcpy(text, "[simulation]\n");
    memset(text + 13, '#', SS_SCENARIO_LINE_MAX);
    strcpy(text + 13 + SS_SCENARIO_LINE_MAX, "\nduration = 1h\n[store]\nthreads = 1\n");
    assert_int_equal(parse(text, &sc, &err), 0);
    ss_scenario_free(&sc);
    memset(text + 13, '#', SS_SCENARIO_LINE_MAX + 1);
    strcpy(text + 14 + SS_SCENARIO_LINE_MAX, "\n");
    assert_int_equal(parse(text, &sc, &err), -1);
    assert_string_equal(err.text, "x.scn:2: error: the line is longer than 4096 bytes");
    free(text);
}

static void test_error_empty_file(void **state)
{
    (void)state;
    expect_error("", "x.scn:1: error: there is no [simulation] section: add one, with duration = ...");
    expect_error("# nothing but comments\n\n", "x.scn:1: error: there is no [simulation] section: add one, with duration = ...");
}

static void test_error_missing_required(void **state)
{
    (void)state;
    expect_error("[simulation]\nduration = 1h\n",
                 "x.scn:1: error: there is no [store] section: add one, with threads = ...");
    expect_error("[simulation]\nduration = 1h\n\n[store]\n",
                 "x.scn:4: error: [store] threads is required");
    expect_error("\n[simulation]\nseed = 2\n", "x.scn:2: error: [simulation] duration is required");
    expect_error_after_minimal("[move b]\nduration = 1m\n",
                               "x.scn:5: error: [move b] mailboxes is required");
    expect_error_after_minimal("[move b]\nmailboxes = 3\n",
                               "x.scn:5: error: [move b] duration is required");
    expect_error_after_minimal("[delivery]\nrate = 20/s\n",
                               "x.scn:5: error: [delivery] service is required");
    expect_error_after_minimal("[delivery]\nservice = 1s\n",
                               "x.scn:5: error: [delivery] rate is required");
    expect_error_after_minimal("[owa]\nservice = 1s\n", "x.scn:5: error: [owa] rate is required");
    expect_error_after_minimal("[owa]\nrate = 1/s\n", "x.scn:5: error: [owa] service is required");
}

/* ---- the errors of step 3: values ---- */

static void test_error_bad_values(void **state)
{
    (void)state;
    expect_error_after_minimal("[delivery]\nrate = 20\nservice = 1s\n",
                               "x.scn:6: error: delivery.rate: '20' is not a rate: write a count "
                               "per unit, such as 20/s, 600/m or 5000/h");
    expect_error("[simulation]\nduration = 30\n",
                 "x.scn:2: error: simulation.duration: '30' has no unit: write, "
                 "for example, 30s or 30m");
    expect_error_after_minimal("[mta]\nenabled = yes\n",
                               "x.scn:6: error: mta.enabled: 'yes' is not a boolean: "
                               "write true or false");
    expect_error_after_minimal("[simulation x]\n",
                               "x.scn:5: error: [simulation] takes no name, but has 'x'");
    expect_error("[simulation]\nduration = 1h\nseed = -1\n",
                 "x.scn:3: error: simulation.seed: '-1' is negative: expected a whole number "
                 "from 0");
    expect_error_after_minimal("[owa]\nrate = 1/s\nservice = norm(1s)\n",
                               "x.scn:7: error: owa.service: unknown distribution 'norm': use a "
                               "duration, exp(MEAN), uniform(MIN, MAX) or lognormal(MEAN, SD)");
    expect_error_after_minimal("[delivery]\nrate = 1.0000000000000000000000000000000000000000/s\n"
                               "service = 1s\n",
                               "x.scn:6: error: delivery.rate: the rate is too long: write it in "
                               "at most 39 characters");
}

static void test_error_ranges(void **state)
{
    (void)state;
    expect_error("[simulation]\nduration = 0s\n",
                 "x.scn:2: error: simulation.duration: '0s' must be longer than 0s");
    expect_error("[simulation]\nduration = 36501d\n",
                 "x.scn:2: error: simulation.duration: '36501d' is too long: a duration may be "
                 "at most 36500d");
    expect_error("[simulation]\nduration = 1h\nsample_interval = 0ms\n",
                 "x.scn:3: error: simulation.sample_interval: '0ms' must be longer than 0s");
    expect_error("[simulation]\nduration = 1h\n[store]\nthreads = 0\n",
                 "x.scn:4: error: store.threads: '0' is too small: at least 1");
    expect_error("[simulation]\nduration = 1h\n[store]\nthreads = 1000001\n",
                 "x.scn:4: error: store.threads: '1000001' is too large: at most 1000000");
    expect_error_after_minimal("[mta]\nflush_time = 0s\n",
                               "x.scn:6: error: mta.flush_time: '0s' must be longer than 0s");
    expect_error_after_minimal("[mta]\nflush_timeout = 0s\n",
                               "x.scn:6: error: mta.flush_timeout: '0s' must be longer than 0s");
    expect_error_after_minimal("[database A]\ngateway_out_threads = 4294967296\n",
                               "x.scn:6: error: database A.gateway_out_threads: '4294967296' is "
                               "too large: at most 4294967295");
    expect_error_after_minimal("[move b]\nmailboxes = 1000000001\nduration = 1m\n",
                               "x.scn:6: error: move b.mailboxes: '1000000001' is too large: "
                               "at most 1000000000");
    expect_error_after_minimal("[move b]\nmailboxes = 1\nconcurrency = 0\nduration = 1m\n",
                               "x.scn:7: error: move b.concurrency: '0' is too small: at least 1");
    expect_error_after_minimal("[delivery]\nrate = 1/s\nservice = 1s\nstarvation_threshold = 0s\n",
                               "x.scn:8: error: delivery.starvation_threshold: '0s' must be "
                               "longer than 0s");
    expect_error_after_minimal("[owa]\nrate = 1/s\nservice = 1s\ntimeout = 0s\n",
                               "x.scn:8: error: owa.timeout: '0s' must be longer than 0s");
    expect_error_after_minimal("[delivery]\nrate = -1/s\nservice = 1s\n",
                               "x.scn:6: error: delivery.rate: '-1/s' is negative: a rate "
                               "cannot be");
}

static void test_error_smtp(void **state)
{
    (void)state;
    expect_error_after_minimal("[smtp]\nmax_backlog = 0\n",
                               "x.scn:6: error: smtp.max_backlog: '0' is too small: at least 1");
    expect_error_after_minimal("[smtp]\nmax_backlog = 1000000001\n",
                               "x.scn:6: error: smtp.max_backlog: '1000000001' is too large: "
                               "at most 1000000000");
    expect_error_after_minimal("[smtp]\nmax_backlog = 100\nresume_backlog = 100\n",
                               "x.scn:7: error: smtp.resume_backlog: 100 must be below "
                               "smtp.max_backlog (100)");
    expect_error_after_minimal("[smtp]\nresume_backlog = 10000\n",
                               "x.scn:6: error: smtp.resume_backlog: 10000 must be below "
                               "smtp.max_backlog (10000)");
    expect_error_after_minimal("[smtp]\nretry = 500ms\n",
                               "x.scn:6: error: smtp.retry: '500ms' is too quick: a retry waits "
                               "1s or more on average (write 0 for no retry)");
    expect_error_after_minimal("[smtp]\nretry = uniform(0s, 1s)\n",
                               "x.scn:6: error: smtp.retry: 'uniform(0s, 1s)' is too quick: a "
                               "retry waits 1s or more on average (write 0 for no retry)");
}

static void test_smtp_retry_and_backlog_edges(void **state)
{
    static const char *const retries[] = {"0", "0s", "1s", "exp(1s)", "uniform(0s, 2s)"};
    size_t i;
    (void)state;
    for (i = 0; i < N_OF(retries); i++) {
        char set[64];
        const char *sets[2];
        struct ss_scenario sc;
        struct ss_error err;
        snprintf(set, sizeof set, "smtp.retry=%s", retries[i]);
        sets[0] = set;
        sets[1] = "smtp.max_backlog=1";
        assert_int_equal(parse_sets(minimal_text, sets, 2, &sc, &err), 0);
        assert_true(ss_dist_mean(&sc.retry) == 0.0 || ss_dist_mean(&sc.retry) >= 1e6);
        assert_int_equal(sc.resume_backlog, 0); /* half of 1 */
        ss_scenario_free(&sc);
    }
}

static void test_error_move_database(void **state)
{
    (void)state;
    expect_error_after_minimal("[database A]\n[database B]\n"
                               "[move batch1]\nmailboxes = 1\nduration = 1m\ndatabase = X\n",
                               "x.scn:10: error: move batch1: database \"X\" is not defined; "
                               "defined: A, B");
    expect_error_after_minimal("[database A]\n[database B]\n"
                               "[move batch1]\nmailboxes = 1\nduration = 1m\n",
                               "x.scn:7: error: [move batch1] must name its source database "
                               "(database = NAME): defined: A, B");
    expect_error_after_minimal("[move batch1]\nmailboxes = 1\nduration = 1m\ndatabase = X\n",
                               "x.scn:8: error: move batch1: database \"X\" is not defined; "
                               "defined: Mailbox Store");
}

static void test_move_database_default_name(void **state)
{
    static const char text[] = "[simulation]\nduration = 1h\n[store]\nthreads = 4\n"
                               "[move m]\nmailboxes = 1\nduration = 1m\n"
                               "database = Mailbox Store\n";
    struct ss_scenario sc;
    struct ss_error err;
    (void)state;
    assert_int_equal(parse(text, &sc, &err), 0);
    assert_int_equal(sc.moves[0].database, 0);
    ss_scenario_free(&sc);
}

/* ---- errors of ss_scenario_load ---- */

static void expect_load_error(const char *path, const char *message)
{
    struct ss_scenario sc;
    struct ss_error err;
    memset(&sc, 0xab, sizeof sc);
    assert_int_equal(ss_scenario_load(path, NULL, 0, &sc, &err), -1);
    assert_string_equal(err.text, message);
    assert_empty(&sc);
    ss_scenario_free(&sc);
}

static void test_load_missing_file(void **state)
{
    const char *path = testutil_tmp("scenario_no_such_file.scn");
    char message[2048];
    FILE *f;
    (void)state;
    remove(path);
    f = fopen(path, "rb"); /* the message is the system's own */
    assert_null(f);
    snprintf(message, sizeof message, "%s: error: cannot open: %s", path, strerror(errno));
    expect_load_error(path, message);
}

static void test_load_directory(void **state)
{
    const char *path = testutil_src("tests");
    char message[2048];
    (void)state;
    snprintf(message, sizeof message, "%s: error: cannot read (is it a directory?)", path);
    {
        FILE *f = fopen(path, "rb");
        if (!f) /* systems where a directory does not even open */
            snprintf(message, sizeof message, "%s: error: cannot open: %s", path,
                     strerror(errno));
        else
            fclose(f);
    }
    expect_load_error(path, message);
}

static void test_load_nul_and_long_line(void **state)
{
    char path[1024], message[2048];
    char *text;
    FILE *f;
    size_t head;
    (void)state;
    snprintf(path, sizeof path, "%s", testutil_tmp("scenario_nul.scn"));
    f = fopen(path, "wb");
    assert_non_null(f);
    fwrite("[simulation]\n\0duration = 1h\n", 1, 28, f);
    fclose(f);
    snprintf(message, sizeof message, "%s:2: error: the file contains a NUL byte: "
                                      "is it a text file?", path);
    expect_load_error(path, message);

    snprintf(path, sizeof path, "%s", testutil_tmp("scenario_long_line.scn"));
    text = malloc(SS_SCENARIO_LINE_MAX + 64);
    assert_non_null(text);
    strcpy(text, "[simulation]\r\nduration = 1h\r\nseed = ");
    head = strlen(text); /* the line is "seed = " and 4096 digits */
    memset(text + head, '7', SS_SCENARIO_LINE_MAX);
    strcpy(text + head + SS_SCENARIO_LINE_MAX, "\r\n");
    assert_int_equal(testutil_write(path, text), 0);
    free(text);
    snprintf(message, sizeof message, "%s:3: error: the line is longer than 4096 bytes", path);
    expect_load_error(path, message);
}

static void test_load_oversized_file(void **state)
{
    char path[1024], message[2048];
    char *text = malloc((size_t)SS_SCENARIO_FILE_MAX + 2);
    struct ss_scenario sc;
    struct ss_error err;
    size_t i;
    (void)state;
    assert_non_null(text);
    snprintf(path, sizeof path, "%s", testutil_tmp("scenario_big.scn"));
    /* Exactly the limit: read. */
    memcpy(text, minimal_text, strlen(minimal_text));
    for (i = strlen(minimal_text); i < (size_t)SS_SCENARIO_FILE_MAX; i++)
        text[i] = (i % 64 == 63) ? '\n' : ' ';
    text[SS_SCENARIO_FILE_MAX] = '\0';
    assert_int_equal(testutil_write(path, text), 0);
    assert_int_equal(ss_scenario_load(path, NULL, 0, &sc, &err), 0);
    ss_scenario_free(&sc);
    /* One byte more: refused. */
    text[SS_SCENARIO_FILE_MAX] = '\n';
    text[SS_SCENARIO_FILE_MAX + 1] = '\0';
    assert_int_equal(testutil_write(path, text), 0);
    free(text);
    snprintf(message, sizeof message,
             "%s: error: the file is larger than 1048576 bytes: is it a scenario?", path);
    expect_load_error(path, message);
}

static void test_load_file(void **state)
{
    const char *path = testutil_tmp("scenario_full.scn");
    struct ss_scenario sc;
    struct ss_error err;
    (void)state;
    assert_int_equal(testutil_write(path, full_text), 0);
    assert_int_equal(ss_scenario_load(path, NULL, 0, &sc, &err), 0);
    assert_string_equal(sc.path, path);
    assert_string_equal(sc.name, "scenario_full");
    assert_int_equal(sc.n_moves, 2);
    ss_scenario_free(&sc);
}

/* ---- the text form ---- */

static void test_bom_crlf_tabs_comments(void **state)
{
    static const char text[] =
        "\xEF\xBB\xBF; made on Windows\r\n"
        "[simulation]\t# the run\r\n"
        "\tduration\t=\t2h \t\r\n"
        "seed = 42;x\r\n";
    static const char text_ok[] =
        "\xEF\xBB\xBF; made on Windows\r\n"
        "  [simulation]\t# the run\r\n"
        "\tduration\t=\t2h \t\r\n"
        "   # an indented comment\r\n"
        "seed = 42 ; the answer\r\n"
        "\r\n"
        "[store]\rthreads = 3\r"            /* lone CRs */
        "[delivery]\n"
        "rate = 20/s  # peak\n"
        "service = exp(100ms)\t;\tmeasured\n"
        "[database Store#2]\n"              /* a # inside a word is not a comment */
        "gateway_out_threads = 2";          /* no newline at the end */
    struct ss_scenario sc;
    struct ss_error err;
    (void)state;
    assert_int_equal(parse(text_ok, &sc, &err), 0);
    assert_int_equal(sc.duration, 2 * SS_HOUR);
    assert_true(sc.seed == 42);
    assert_int_equal(sc.threads, 3);
    assert_true(sc.delivery_rate.rate[0].per_second == 20.0);
    assert_string_equal(sc.delivery_rate.rate[0].text, "20/s");
    assert_int_equal(sc.delivery_service.a, 100 * SS_MS);
    assert_string_equal(sc.databases[0].name, "Store#2");
    assert_int_equal(sc.databases[0].gateway_out_threads, 2);
    ss_scenario_free(&sc);
    /* Line numbers count CRLF once; ';' glued to a value is part of it. */
    expect_error(text, "x.scn:4: error: simulation.seed: '42;x' is not a whole number");
}

static void test_lone_cr_line_numbers(void **state)
{
    (void)state;
    expect_error("[simulation]\rduration = 1h\r\r[store]\rthreads = x\r",
                 "x.scn:5: error: store.threads: 'x' is not a whole number (expected 1 to "
                 "1000000)");
    expect_error("[simulation]\r\n\n\r\nduration = 1h\r\n[store]\r\nthreads = x\r\n",
                 "x.scn:6: error: store.threads: 'x' is not a whole number (expected 1 to "
                 "1000000)");
}

static void test_names_with_spaces(void **state)
{
    static const char text[] = "[simulation]\nduration = 1h\n[store]\nthreads = 4\n"
                               "[database   Mailbox Store 2  ]\ngateway_out_threads = 3\n"
                               "[move\tbatch one]\nmailboxes = 1\nduration = 1m\n";
    struct ss_scenario sc;
    struct ss_error err;
    (void)state;
    assert_int_equal(parse(text, &sc, &err), 0);
    assert_string_equal(sc.databases[0].name, "Mailbox Store 2");
    assert_string_equal(sc.moves[0].name, "batch one");
    assert_int_equal(sc.moves[0].database, 0);
    ss_scenario_free(&sc);
}

/* ---- --set ---- */

static void test_set_override_and_add(void **state)
{
    static const char *const sets[] = {
        "store.threads=40",                     /* replaces a file value */
        "hotfix.kb924567=true",                 /* creates the section */
        "simulation.seed = 7",                  /* blanks around = */
        "move batch1.mailboxes=900",            /* a named section */
        "database Store.2.gateway_out_threads=5", /* a name with a '.' */
        "database New.gateway_out_threads=0",   /* a new database */
        "move batch1.mailboxes=1000",           /* last wins */
        "move batch2.start=5m",                 /* adds a key */
    };
    struct ss_scenario sc;
    struct ss_error err;
    (void)state;
    assert_int_equal(parse_sets(full_text, sets, N_OF(sets), &sc, &err), 0);
    assert_int_equal(sc.threads, 40);
    assert_true(sc.hotfix);
    assert_true(sc.seed == 7);
    assert_int_equal(sc.moves[0].mailboxes, 1000);
    assert_int_equal(sc.n_databases, 3);
    assert_int_equal(sc.databases[1].gateway_out_threads, 5);
    assert_string_equal(sc.databases[2].name, "New");
    assert_int_equal(sc.databases[2].gateway_out_threads, 0);
    assert_int_equal(sc.moves[1].start, 5 * SS_MINUTE);
    ss_scenario_free(&sc);
}

static void test_set_creates_sections(void **state)
{
    static const char *const sets[] = {"delivery.rate=5/s", "delivery.service=10ms",
                                       "move m.mailboxes=3", "move m.duration=exp(1m)",
                                       "mta.enabled=false"};
    struct ss_scenario sc;
    struct ss_error err;
    (void)state;
    assert_int_equal(parse_sets(minimal_text, sets, N_OF(sets), &sc, &err), 0);
    assert_true(sc.has_delivery);
    assert_true(sc.delivery_rate.rate[0].per_second == 5.0);
    assert_int_equal(sc.n_moves, 1);
    assert_string_equal(sc.moves[0].name, "m");
    assert_int_equal(sc.moves[0].duration.kind, SS_DIST_EXP);
    assert_false(sc.mta_enabled);
    ss_scenario_free(&sc);
    /* Everything from --set, nothing from the file. */
    {
        static const char *const only[] = {"simulation.duration=1m", "store.threads=1"};
        assert_int_equal(parse_sets("", only, N_OF(only), &sc, &err), 0);
        assert_int_equal(sc.duration, SS_MINUTE);
        ss_scenario_free(&sc);
    }
}

static void test_set_replaces_a_bad_file_value(void **state)
{
    static const char *const sets[] = {"store.threads=8"};
    struct ss_scenario sc;
    struct ss_error err;
    (void)state;
    assert_int_equal(parse_sets("[simulation]\nduration = 1h\n[store]\nthreads = lots\n", sets,
                                1, &sc, &err), 0);
    assert_int_equal(sc.threads, 8);
    ss_scenario_free(&sc);
}

static void test_set_errors(void **state)
{
    static const char *const bad_value[] = {"move batch1.mailboxes=abc"};
    static const char *const no_equals[] = {"store.threads"};
    static const char *const no_dot[] = {"threads=4"};
    static const char *const unknown_key[] = {"store.thread=4"};
    static const char *const unknown_section[] = {"stor.threads=4"};
    static const char *const empty[] = {"store.threads="};
    static const char *const no_key[] = {"store.=4"};
    static const char *const no_name[] = {"move.mailboxes=4"};
    static const char *const missing[] = {"move b2.mailboxes=4"};
    static const char *const undefined_db[] = {"move batch1.database=Nope"};
    static const char *const later_wins[] = {"store.threads=0", "store.threads=2"};
    static const char *const later_bad[] = {"store.threads=2", "store.threads=0"};
    struct ss_scenario sc;
    struct ss_error err;
    (void)state;
    expect_error_sets(full_text, bad_value, 1, "--set move batch1.mailboxes=abc: error: move "
                      "batch1.mailboxes: 'abc' is not a whole number (expected 0 to 1000000000)");
    expect_error_sets(full_text, no_equals, 1,
                      "--set store.threads: error: expected section.key=value");
    expect_error_sets(full_text, no_dot, 1,
                      "--set threads=4: error: expected section.key=value: no '.' before the '='");
    expect_error_sets(full_text, unknown_key, 1, "--set store.thread=4: error: unknown key "
                      "'thread' in [store] (did you mean 'threads'?)");
    expect_error_sets(full_text, unknown_section, 1, "--set stor.threads=4: error: unknown "
                      "section [stor] (did you mean [store]?)");
    expect_error_sets(full_text, empty, 1,
                      "--set store.threads=: error: store.threads has no value: write one "
                      "after '='");
    expect_error_sets(full_text, no_key, 1, "--set store.=4: error: missing key after '.'");
    expect_error_sets(full_text, no_name, 1,
                      "--set move.mailboxes=4: error: [move] needs a name: write [move NAME]");
    expect_error_sets(full_text, missing, 1,
                      "--set move b2.mailboxes=4: error: the file has no [move b2], so this --set "
                      "would start a new one, which lacks duration (the file has: batch1, batch2)");
    expect_error_sets(full_text, undefined_db, 1,
                      "--set move batch1.database=Nope: error: move batch1: database \"Nope\" "
                      "is not defined; defined: Mailbox Store 1, Store.2");
    assert_int_equal(parse_sets(full_text, later_wins, 2, &sc, &err), 0);
    assert_int_equal(sc.threads, 2);
    ss_scenario_free(&sc);
    expect_error_sets(full_text, later_bad, 2,
                      "--set store.threads=0: error: store.threads: '0' is too small: at least 1");
}

static void test_set_too_long(void **state)
{
    char *set = malloc(SS_SCENARIO_LINE_MAX + 32);
    const char *sets[1];
    (void)state;
    assert_non_null(set);
    strcpy(set, "database ");
    memset(set + 9, 'a', SS_SCENARIO_LINE_MAX);
    strcpy(set + 9 + SS_SCENARIO_LINE_MAX, ".gateway_out_threads=1");
    sets[0] = set;
    expect_error_sets(minimal_text, sets, 1, "x.scn: error: a --set is longer than 4096 bytes");
    free(set);
}

/* ---- warnings ---- */

static void test_warnings(void **state)
{
    static const char text[] = "[simulation]\nduration = 1h\n[store]\nthreads = 4\n"
                               "[database A]\ngateway_out_threads = 0\n"
                               "[database B]\n";
    static const char *const sets[] = {"database C.gateway_out_threads=0"};
    static const char *const mta_off[] = {"mta.enabled=false", "database C.gateway_out_threads=0"};
    struct ss_scenario sc;
    struct ss_error err;
    (void)state;
    assert_int_equal(parse_sets(text, sets, 1, &sc, &err), 0);
    assert_int_equal(sc.n_warnings, 2);
    assert_string_equal(sc.warnings[0], "x.scn:6: warning: database A has gateway_out_threads = "
                                        "0, the mark of a disabled MTA (KB 810489), but "
                                        "mta.enabled is true");
    assert_string_equal(sc.warnings[1], "--set database C.gateway_out_threads=0: warning: "
                                        "database C has gateway_out_threads = 0, the mark of a "
                                        "disabled MTA (KB 810489), but mta.enabled is true");
    ss_scenario_free(&sc);
    assert_int_equal(parse_sets(text, mta_off, N_OF(mta_off), &sc, &err), 0);
    assert_int_equal(sc.n_warnings, 0);
    assert_null(sc.warnings);
    ss_scenario_free(&sc);
}

/* ---- each_key ---- */

struct collected {
    char *keys[64];
    char *sets[64]; /* "key=value" */
    enum ss_key_kind kinds[64];
    size_t n;
};

static char *join(const char *a, const char *sep, const char *b)
{
    char *s = malloc(strlen(a) + strlen(sep) + strlen(b) + 1);
    assert_non_null(s);
    strcpy(s, a);
    strcat(s, sep);
    strcat(s, b);
    return s;
}

static void collect(void *ctx, const char *key, const char *value, enum ss_key_kind kind)
{
    struct collected *c = ctx;
    assert_true(c->n < 64);
    c->keys[c->n] = join(key, "", "");
    c->sets[c->n] = join(key, "=", value);
    c->kinds[c->n] = kind;
    c->n++;
}

static void collected_free(struct collected *c)
{
    size_t i;
    for (i = 0; i < c->n; i++) {
        free(c->keys[i]);
        free(c->sets[i]);
    }
    c->n = 0;
}

static void test_each_key_order_and_kinds(void **state)
{
    static const char *const expected[] = {
        "simulation.duration=8h", "simulation.seed=18446744073709551615",
        "simulation.sample_interval=30s", "simulation.episode_gap=5m", "store.threads=20",
        "mta.enabled=false",
        "mta.flush_time=2s", "mta.flush_timeout=2h30m", "hotfix.kb924567=true",
        "database Mailbox Store 1.gateway_out_threads=0",
        "database Store.2.gateway_out_threads=4294967295",
        "move batch1.mailboxes=800", "move batch1.start=1h30m", "move batch1.concurrency=8",
        "move batch1.database=Store.2", "move batch1.duration=lognormal(2m, 30s)",
        "move batch2.mailboxes=0", "move batch2.start=0s", "move batch2.concurrency=4",
        "move batch2.database=Mailbox Store 1", "move batch2.duration=uniform(1m, 5m)",
        "delivery.rate=600/m", "delivery.service=exp(200ms)",
        "delivery.starvation_threshold=1m30s", "delivery.arrivals=poisson", "owa.rate=0/s",
        "owa.service=250ms", "owa.timeout=45s", "owa.arrivals=poisson", "smtp.max_backlog=500", "smtp.resume_backlog=100",
        "smtp.retry=exp(5m)"};
    static const enum ss_key_kind kinds[] = {
        SS_KEY_TEXT, SS_KEY_NUMBER, SS_KEY_TEXT, SS_KEY_TEXT, SS_KEY_NUMBER, SS_KEY_BOOL,
        SS_KEY_TEXT,
        SS_KEY_TEXT, SS_KEY_BOOL, SS_KEY_NUMBER, SS_KEY_NUMBER, SS_KEY_NUMBER, SS_KEY_TEXT,
        SS_KEY_NUMBER, SS_KEY_TEXT, SS_KEY_TEXT, SS_KEY_NUMBER, SS_KEY_TEXT, SS_KEY_NUMBER,
        SS_KEY_TEXT, SS_KEY_TEXT, SS_KEY_TEXT, SS_KEY_TEXT, SS_KEY_TEXT, SS_KEY_TEXT,
        SS_KEY_TEXT, SS_KEY_TEXT, SS_KEY_TEXT, SS_KEY_TEXT, SS_KEY_NUMBER, SS_KEY_NUMBER,
        SS_KEY_TEXT};
    struct collected c;
    struct ss_scenario sc;
    struct ss_error err;
    size_t i;
    (void)state;
    memset(&c, 0, sizeof c);
    assert_int_equal(parse(full_text, &sc, &err), 0);
    ss_scenario_each_key(&sc, collect, &c);
    assert_int_equal(c.n, N_OF(expected));
    for (i = 0; i < N_OF(expected); i++) {
        assert_string_equal(c.sets[i], expected[i]);
        assert_int_equal(c.kinds[i], kinds[i]);
    }
    collected_free(&c);
    ss_scenario_free(&sc);
}

static void test_arrivals_pattern(void **state)
{
    static const char base[] = "[simulation]\nduration = 1h\n[store]\nthreads = 2\n"
                               "[delivery]\nrate = 1/s\nservice = 1s\n";
    struct ss_scenario sc;
    struct ss_error err;
    char text[512];
    (void)state;
    sprintf(text, "%sarrivals = regular\n", base);
    assert_int_equal(parse(text, &sc, &err), 0);
    assert_true(sc.delivery_regular);
    ss_scenario_free(&sc);
    assert_int_equal(parse(base, &sc, &err), 0);
    assert_false(sc.delivery_regular);
    ss_scenario_free(&sc);
    sprintf(text, "%sarrivals = steady\n", base);
    assert_int_equal(parse(text, &sc, &err), -1);
    assert_non_null(strstr(err.text, ":8: error:"));
    assert_non_null(strstr(err.text, "poisson or regular"));
    ss_scenario_free(&sc);
}

static void test_each_key_skips_absent_sections(void **state)
{
    struct collected c;
    struct ss_scenario sc;
    struct ss_error err;
    size_t i;
    (void)state;
    memset(&c, 0, sizeof c);
    assert_int_equal(parse(minimal_text, &sc, &err), 0);
    ss_scenario_each_key(&sc, collect, &c);
    assert_int_equal(c.n, 13); /* 4 + 1 + 3 + 1 + 1 database + 3 smtp; no clock */
    for (i = 0; i < c.n; i++) {
        assert_null(strstr(c.keys[i], "delivery."));
        assert_null(strstr(c.keys[i], "owa."));
    }
    assert_string_equal(c.sets[9], "database Mailbox Store.gateway_out_threads=1");
    assert_string_equal(c.sets[11], "smtp.resume_backlog=5000");
    collected_free(&c);
    ss_scenario_free(&sc);
}

static void assert_same_dist(const struct ss_dist *a, const struct ss_dist *b)
{
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->a, b->a);
    assert_int_equal(a->b, b->b);
    assert_true(a->mu == b->mu && a->sigma == b->sigma);
}

static void assert_same_scenario(const struct ss_scenario *a, const struct ss_scenario *b)
{
    size_t i;
    assert_int_equal(a->duration, b->duration);
    assert_true(a->seed == b->seed);
    assert_int_equal(a->sample_interval, b->sample_interval);
    assert_int_equal(a->threads, b->threads);
    assert_int_equal(a->mta_enabled, b->mta_enabled);
    assert_int_equal(a->flush_time, b->flush_time);
    assert_int_equal(a->flush_timeout, b->flush_timeout);
    assert_int_equal(a->hotfix, b->hotfix);
    assert_int_equal(a->n_databases, b->n_databases);
    for (i = 0; i < a->n_databases; i++) {
        assert_string_equal(a->databases[i].name, b->databases[i].name);
        assert_int_equal(a->databases[i].gateway_out_threads, b->databases[i].gateway_out_threads);
    }
    assert_int_equal(a->n_moves, b->n_moves);
    for (i = 0; i < a->n_moves; i++) {
        assert_string_equal(a->moves[i].name, b->moves[i].name);
        assert_int_equal(a->moves[i].mailboxes, b->moves[i].mailboxes);
        assert_int_equal(a->moves[i].start, b->moves[i].start);
        assert_int_equal(a->moves[i].concurrency, b->moves[i].concurrency);
        assert_int_equal(a->moves[i].database, b->moves[i].database);
        assert_same_dist(&a->moves[i].duration, &b->moves[i].duration);
    }
    assert_int_equal(a->has_delivery, b->has_delivery);
    assert_memory_equal(&a->delivery_rate, &b->delivery_rate, sizeof a->delivery_rate);
    assert_same_dist(&a->delivery_service, &b->delivery_service);
    assert_int_equal(a->starvation_threshold, b->starvation_threshold);
    assert_int_equal(a->has_owa, b->has_owa);
    assert_memory_equal(&a->owa_rate, &b->owa_rate, sizeof a->owa_rate);
    assert_same_dist(&a->owa_service, &b->owa_service);
    assert_int_equal(a->owa_timeout, b->owa_timeout);
    assert_int_equal(a->max_backlog, b->max_backlog);
    assert_int_equal(a->resume_backlog, b->resume_backlog);
    assert_same_dist(&a->retry, &b->retry);
}

/* Every key each_key gives, fed back through --set, means the same scenario. */
static void round_trip(const char *text, const char *file_for_sets)
{
    struct collected first, second;
    struct ss_scenario a, b;
    struct ss_error err;
    size_t i;
    memset(&first, 0, sizeof first);
    memset(&second, 0, sizeof second);
    assert_int_equal(parse(text, &a, &err), 0);
    ss_scenario_each_key(&a, collect, &first);
    if (parse_sets(file_for_sets, (const char *const *)first.sets, first.n, &b, &err) != 0)
        fail_msg("%s", err.text);
    assert_same_scenario(&a, &b);
    ss_scenario_each_key(&b, collect, &second);
    assert_int_equal(first.n, second.n);
    for (i = 0; i < first.n; i++)
        assert_string_equal(first.sets[i], second.sets[i]);
    collected_free(&first);
    collected_free(&second);
    ss_scenario_free(&a);
    ss_scenario_free(&b);
}

static void test_each_key_round_trip(void **state)
{
    static const char odd_values[] =
        "[simulation]\nduration = 1.5h 250us\nseed = 0\nsample_interval = 1d1s\n"
        "[store]\nthreads = 1000000\n"
        "[move m]\nmailboxes = 1000000000\nstart = 90s\nduration = lognormal(1.25s, 333ms)\n"
        "[delivery]\nrate = 0.5 /s\nservice = uniform(0s, 1us)\n"
        "[smtp]\nmax_backlog = 1\nretry = 0\n";
    (void)state;
    round_trip(full_text, full_text);  /* the same file, every key set again */
    round_trip(full_text, "");         /* nothing but --set */
    round_trip(minimal_text, minimal_text);
    round_trip(minimal_text, "");      /* the default database, named by --set */
    round_trip(odd_values, "");
}

/* ---- copy and free ---- */

static void test_copy_and_free(void **state)
{
    static const char *const sets[] = {"database W.gateway_out_threads=0"};
    struct ss_scenario sc, copy, zero;
    struct ss_error err;
    (void)state;
    assert_int_equal(parse_sets(minimal_text, sets, 1, &sc, &err), 0);
    assert_int_equal(sc.n_warnings, 1);
    assert_int_equal(ss_scenario_copy(&copy, &sc), 0);
    assert_ptr_not_equal(copy.path, sc.path);
    assert_ptr_not_equal(copy.databases, sc.databases);
    assert_ptr_not_equal(copy.warnings[0], sc.warnings[0]);
    assert_same_scenario(&sc, &copy);
    assert_string_equal(copy.warnings[0], sc.warnings[0]);
    ss_scenario_free(&sc);
    assert_string_equal(copy.path, "x.scn");
    assert_string_equal(copy.name, "x");
    assert_string_equal(copy.databases[0].name, "W");
    ss_scenario_free(&copy);

    assert_int_equal(parse(full_text, &sc, &err), 0);
    assert_int_equal(ss_scenario_copy(&copy, &sc), 0);
    assert_ptr_not_equal(copy.moves, sc.moves);
    assert_ptr_not_equal(copy.moves[0].name, sc.moves[0].name);
    assert_same_scenario(&sc, &copy);
    ss_scenario_free(&sc);
    assert_string_equal(copy.moves[1].name, "batch2");
    assert_string_equal(copy.databases[copy.moves[0].database].name, "Store.2");
    ss_scenario_free(&copy);

    /* Free is safe on an empty scenario, twice, and on NULL; an empty one copies. */
    memset(&zero, 0, sizeof zero);
    ss_scenario_free(&zero);
    ss_scenario_free(&zero);
    ss_scenario_free(NULL);
    assert_int_equal(ss_scenario_copy(&copy, &zero), 0);
    assert_empty(&copy);
    ss_scenario_free(&copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_scenario),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_defaults_in_sections),
        cmocka_unit_test(test_base_names),
        cmocka_unit_test(test_error_unknown_section),
        cmocka_unit_test(test_error_unknown_key),
        cmocka_unit_test(test_error_duplicate_key),
        cmocka_unit_test(test_error_duplicate_section),
        cmocka_unit_test(test_error_outside_section),
        cmocka_unit_test(test_error_no_equals),
        cmocka_unit_test(test_error_empty_value),
        cmocka_unit_test(test_error_malformed_header),
        cmocka_unit_test(test_error_nul_in_text),
        cmocka_unit_test(test_error_long_line_in_text),
        cmocka_unit_test(test_error_empty_file),
        cmocka_unit_test(test_error_missing_required),
        cmocka_unit_test(test_error_bad_values),
        cmocka_unit_test(test_error_ranges),
        cmocka_unit_test(test_error_smtp),
        cmocka_unit_test(test_smtp_retry_and_backlog_edges),
        cmocka_unit_test(test_error_move_database),
        cmocka_unit_test(test_move_database_default_name),
        cmocka_unit_test(test_load_missing_file),
        cmocka_unit_test(test_load_directory),
        cmocka_unit_test(test_load_nul_and_long_line),
        cmocka_unit_test(test_load_oversized_file),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_bom_crlf_tabs_comments),
        cmocka_unit_test(test_lone_cr_line_numbers),
        cmocka_unit_test(test_names_with_spaces),
        cmocka_unit_test(test_set_override_and_add),
        cmocka_unit_test(test_set_creates_sections),
        cmocka_unit_test(test_set_replaces_a_bad_file_value),
        cmocka_unit_test(test_set_errors),
        cmocka_unit_test(test_set_too_long),
        cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_each_key_order_and_kinds),
        cmocka_unit_test(test_arrivals_pattern),
        cmocka_unit_test(test_each_key_skips_absent_sections),
        cmocka_unit_test(test_each_key_round_trip),
        cmocka_unit_test(test_copy_and_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
