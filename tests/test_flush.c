/* test_flush.c: the KB 924567 flush rule, in all eight cases, and in a run. */
#include "testutil.h"

#include <string.h>

#include "storesim/flush.h"
#include "storesim/scenario.h"
#include "storesim/sim.h"

#define FLUSH_TIME SS_SECOND
#define TIMEOUT (150 * SS_MINUTE)

struct flush_case {
    bool mta, hotfix;
    long long got;
    enum ss_flush_outcome outcome;
    ss_time hold;
};

/* MTA on/off x Gateway Out Threads 0/1 x hotfix on/off. */
static const struct flush_case cases[] = {
    {true, false, 0, SS_FLUSH_COMPLETES, FLUSH_TIME},
    {true, false, 1, SS_FLUSH_COMPLETES, FLUSH_TIME},
    {true, true, 0, SS_FLUSH_SKIPPED, 0},
    {true, true, 1, SS_FLUSH_COMPLETES, FLUSH_TIME},
    {false, false, 0, SS_FLUSH_TIMES_OUT, TIMEOUT},
    {false, false, 1, SS_FLUSH_TIMES_OUT, TIMEOUT},
    {false, true, 0, SS_FLUSH_SKIPPED, 0},
    {false, true, 1, SS_FLUSH_TIMES_OUT, TIMEOUT},
};

static void decide_all_eight_cases(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct ss_flush_decision d =
            ss_flush_decide(cases[i].mta, cases[i].hotfix, cases[i].got, FLUSH_TIME, TIMEOUT);
        assert_int_equal(d.outcome, cases[i].outcome);
        assert_int_equal(d.hold, cases[i].hold);
        assert_non_null(d.reason);
        assert_true(strlen(d.reason) > 20);
    }
}

/* A run of 10 moves, one at a time, under each case: the counts and how long
 * the flushes held their threads come out of the simulator. */
static void run_case(const struct flush_case *c)
{
    char text[1024];
    struct ss_scenario sc;
    struct ss_results res;
    char why[128];
    sprintf(text,
            "[simulation]\nduration = 1d\n[store]\nthreads = 50\n"
            "[mta]\nenabled = %s\nflush_time = 1s\nflush_timeout = 150m\n"
            "[hotfix]\nkb924567 = %s\n[database DB]\ngateway_out_threads = %lld\n"
            "[move m]\nmailboxes = 10\nconcurrency = 1\nduration = 2m\n",
            c->mta ? "true" : "false", c->hotfix ? "true" : "false", c->got);
    testutil_scenario(&sc, "case.scn", text, NULL, 0);
    assert_int_equal(ss_simulate(&sc, NULL, &res, why, sizeof why), 0);
    assert_int_equal(res.moves.completed, 10);
    if (c->outcome == SS_FLUSH_SKIPPED) {
        assert_int_equal(res.flushes.registered, 0);
        assert_int_equal(res.flushes.skipped, 10);
        assert_int_equal(res.pool.busy_us[SS_FLUSH], 0);
    } else {
        assert_int_equal(res.flushes.registered, 10);
        assert_int_equal(res.flushes.skipped, 0);
        assert_int_equal(c->outcome == SS_FLUSH_COMPLETES ? res.flushes.completed
                                                          : res.flushes.timed_out,
                         10);
        /* Each flush held its thread for exactly its hold time. */
        assert_true(res.pool.busy_us[SS_FLUSH] == 10.0 * (double)c->hold);
    }
    ss_results_free(&res);
    ss_scenario_free(&sc);
}

static void simulate_all_eight_cases(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++)
        run_case(&cases[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decide_all_eight_cases),
        cmocka_unit_test(simulate_all_eight_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
