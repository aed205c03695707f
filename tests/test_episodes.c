/*
 * test_episodes.c: every episode of the outage, worked out by hand.
 *
 * One thread; a message a second, each holding it 250ms (message k arrives
 * at k s and is done at k.25 s); the MTA disabled, a flush holding its
 * thread 100s; SMTP stops at 50 waiting messages and answers again at 20,
 * refused messages deferred; episodes closer than 1m are one.
 *
 * Batch a moves 2 mailboxes one at a time from 10.5s, each move holding the
 * thread 100ms:
 *   10.5    move 1 starts; its flush is registered and waits: POOL EXHAUSTED
 *   10.6    move 1 ends; the flush takes the thread until 110.6; move 2 waits
 *   11..60  messages 11 to 60 wait; at 60 the backlog is 50: SMTP closes
 *   61      message 61 is refused: SMTP STOPPED (episode 1, first stop)
 *   71      message 11 has waited 60s: DELIVERY STARVED (episode 1)
 *   110.6   move 2 runs until 110.7; its flush waits, behind messages 11-60
 *   110.7   message k (11..60) starts at 110.7 + (k - 11)/4
 *   117.95  message 40 starts: the backlog is 20: SMTP RESUMED
 *   118..   messages arrive again, and wait behind the second flush
 *   123.2   message 60 done: the flush holds the thread until 223.2
 *   167     the backlog is 50 again (118..167); 168 is refused: SMTP stops
 *           50.05s after it answered, within 1m: the same episode, 2 stops
 *   223.2   message 118 + j starts at 223.2 + j/4 (j = 0..49)
 *   230.45  j = 29: the backlog is 20: SMTP answers again, the episode ends
 *   235.7   message 167 done; 231..235 wait; arrival 231 + m starts at
 *           235.7 + m/4, and after m = 5 (236.95) nothing waits:
 *   236.95  DELIVERY RECOVERED: starved 165.95s, one episode
 * SMTP: stopped from 61 to 117.95 and from 168 to 230.45, 119.4s of the
 * episode's 169.45s. Batch b does the same 990s later: a second episode of
 * each, far more than 1m after the first.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/sim.h"

#define S(x) ((ss_time)((x) * 1e6 + 0.5))

static const char flapping[] =
    "[simulation]\nduration = 1500s\nepisode_gap = 1m\n"
    "[store]\nthreads = 1\n"
    "[mta]\nenabled = false\nflush_timeout = 100s\n"
    "[move a]\nmailboxes = 2\nconcurrency = 1\nstart = 10s500ms\nduration = 100ms\n"
    "[move b]\nmailboxes = 2\nconcurrency = 1\nstart = 1000s500ms\nduration = 100ms\n"
    "[delivery]\nrate = 1/s\narrivals = regular\nservice = 250ms\nstarvation_threshold = 60s\n"
    "[smtp]\nmax_backlog = 50\nresume_backlog = 20\nretry = 0\n";

static void run(const char *text, const char *const *sets, size_t n, struct ss_results *res)
{
    struct ss_scenario sc;
    char why[128];
    testutil_scenario(&sc, "episodes.scn", text, sets, n);
    assert_int_equal(ss_simulate(&sc, NULL, res, why, sizeof why), 0);
    ss_scenario_free(&sc);
}

static void assert_episode(const struct ss_episodes *e, size_t i, double start, double end,
                           unsigned starts, double active)
{
    assert_true(i < e->n);
    assert_int_equal(e->list[i].start, S(start));
    assert_int_equal(e->list[i].end, end < 0 ? SS_NEVER : S(end));
    assert_int_equal(e->list[i].starts, starts);
    assert_int_equal(e->list[i].active_us, S(active));
}

static void starvation_and_smtp_flapping_by_hand(void **state)
{
    struct ss_results *res = malloc(sizeof *res);
    (void)state;
    assert_non_null(res);
    run(flapping, NULL, 0, res);
    assert_int_equal(res->symptom[SS_POOL_EXHAUSTED], S(10.5));
    assert_int_equal(res->symptom[SS_SMTP_STOPPED], S(61));
    assert_int_equal(res->symptom[SS_DELIVERY_STARVED], S(71));
    assert_int_equal(res->symptom[SS_SMTP_RESUMED], S(117.95)); /* the first time, SPEC */
    assert_int_equal(res->symptom[SS_DELIVERY_RECOVERED], S(236.95));

    assert_int_equal(res->episodes[SS_EP_STARVED].count, 2);
    assert_episode(&res->episodes[SS_EP_STARVED], 0, 71, 236.95, 1, 165.95);
    assert_episode(&res->episodes[SS_EP_STARVED], 1, 1061, 1226.95, 1, 165.95);
    assert_int_equal(res->episodes[SS_EP_STARVED].total_us, 2 * S(165.95));
    assert_int_equal(res->starved_us, 2 * S(165.95));
    assert_int_equal(res->starved_episodes, 2);

    assert_int_equal(res->episodes[SS_EP_SMTP].count, 2);
    assert_episode(&res->episodes[SS_EP_SMTP], 0, 61, 230.45, 2, 119.4);
    assert_episode(&res->episodes[SS_EP_SMTP], 1, 1051, 1220.45, 2, 119.4);
    assert_int_equal(res->episodes[SS_EP_SMTP].total_us, 2 * S(169.45));
    assert_int_equal(res->episodes[SS_EP_OWA].count, 0);
    ss_results_free(res);
    free(res);
}

/* Without folding (a gap of 0), the two stops of each batch are episodes of
 * their own; with a gap of 10m, everything is one episode of each. */
static void the_gap_decides_what_is_one_episode(void **state)
{
    static const char *const none[] = {"simulation.episode_gap=0s"};
    static const char *const wide[] = {"simulation.episode_gap=20m"};
    struct ss_results *res = malloc(sizeof *res);
    (void)state;
    assert_non_null(res);
    run(flapping, none, 1, res);
    assert_int_equal(res->episodes[SS_EP_SMTP].count, 4);
    assert_episode(&res->episodes[SS_EP_SMTP], 0, 61, 117.95, 1, 56.95);
    assert_episode(&res->episodes[SS_EP_SMTP], 1, 168, 230.45, 1, 62.45);
    assert_int_equal(res->episodes[SS_EP_STARVED].count, 2);
    ss_results_free(res);
    run(flapping, wide, 1, res);
    assert_int_equal(res->episodes[SS_EP_SMTP].count, 1);
    assert_episode(&res->episodes[SS_EP_SMTP], 0, 61, 1220.45, 4, 2 * 119.4);
    assert_int_equal(res->episodes[SS_EP_STARVED].count, 1);
    assert_episode(&res->episodes[SS_EP_STARVED], 0, 71, 1226.95, 2, 2 * 165.95);
    ss_results_free(res);
    free(res);
}

/*
 * OWA: a request a second, each holding the thread 250ms, a timeout of 10s;
 * one flush holds the only thread from 10.6s to 110.6s. Request 11 fails at
 * 21 (the episode starts), one fails every second after, the last being
 * request 100 at 110; request 101 is served at 110.6 after 9.6s. No request
 * fails in the next 10s: OWA answers again at 120.
 */
static void owa_episode_by_hand(void **state)
{
    static const char text[] =
        "[simulation]\nduration = 10m\n[store]\nthreads = 1\n"
        "[mta]\nenabled = false\nflush_timeout = 100s\n"
        "[move a]\nmailboxes = 1\nstart = 10s500ms\nduration = 100ms\n"
        "[owa]\nrate = 1/s\narrivals = regular\nservice = 250ms\ntimeout = 10s\n";
    struct ss_results *res = malloc(sizeof *res);
    (void)state;
    assert_non_null(res);
    run(text, NULL, 0, res);
    assert_int_equal(res->symptom[SS_OWA_UNRESPONSIVE], S(21));
    assert_int_equal(res->symptom[SS_OWA_RESPONSIVE], S(120));
    assert_int_equal(res->owa.failed, 90);
    assert_int_equal(res->episodes[SS_EP_OWA].count, 1);
    assert_episode(&res->episodes[SS_EP_OWA], 0, 21, 120, 1, 99);
    ss_results_free(res);
    free(res);
}

/* An episode still going at the end of the run counts to the end. */
static void still_going_at_the_end(void **state)
{
    static const char *const short_run[] = {"simulation.duration=200s"};
    struct ss_results *res = malloc(sizeof *res);
    (void)state;
    assert_non_null(res);
    run(flapping, short_run, 1, res);
    assert_int_equal(res->episodes[SS_EP_STARVED].count, 1);
    assert_episode(&res->episodes[SS_EP_STARVED], 0, 71, -1, 1, 129);
    assert_int_equal(res->starved_us, S(129));
    assert_int_equal(res->symptom[SS_DELIVERY_RECOVERED], SS_NEVER);
    /* SMTP stopped from 168 to the end: the episode (61 on) is still going. */
    assert_episode(&res->episodes[SS_EP_SMTP], 0, 61, -1, 2, 56.95 + 32);
    ss_results_free(res);
    free(res);
}

/* The report lists every episode, in order, and what is still going. */
static void report_lists_every_episode(void **state)
{
    const char *path = testutil_tmp("episodes.scn");
    struct testutil_run r;
    const char *a, *b, *c;
    (void)state;
    assert_int_equal(testutil_write(path, flapping), 0);
    r = testutil_cli("run", path, NULL);
    assert_int_equal(r.status, 0);
    a = strstr(r.out, "  00:01:11  DELIVERY STARVED: ");
    b = strstr(r.out, "  00:17:41  DELIVERY STARVED again (episode 2): ");
    c = strstr(r.out, "  00:20:26  DELIVERY RECOVERED: the local delivery queue is empty again");
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_true(a < b && b < c);
    assert_non_null(strstr(r.out, "  00:03:50  SMTP RESUMED: the backlog is down to 20 messages; "
                                  "SMTP answers\n            again. It stopped 2 times in "
                                  "2m49s, for 1m59s in all.\n"));
    assert_non_null(strstr(r.out, "  Delivery starved     00:01:11     2 episodes, 5m31s in all\n"));
    assert_non_null(strstr(r.out, "  SMTP stopped         00:01:01     2 episodes, 5m38s in all\n"));
    testutil_run_free(&r);
    r = testutil_cli("run", path, "--set", "simulation.duration=200s", NULL);
    assert_non_null(strstr(r.out, "  00:03:20  End of the run; still going: local delivery "
                                  "starved (since\n            00:01:11), SMTP stopped (since "
                                  "00:01:01).\n"));
    testutil_run_free(&r);
    /* The JSON lists them, the totals count them. */
    r = testutil_cli("run", path, "--quiet", "--json", "-", NULL);
    assert_non_null(strstr(r.out, "\"episodes\": {\n    \"delivery_starved\": {\n      \"count\": 2,"));
    assert_non_null(strstr(r.out, "\"smtp_episodes\": 2,"));
    assert_non_null(strstr(r.out, "\"smtp_stopped_us\": 338900000,"));
    testutil_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(starvation_and_smtp_flapping_by_hand),
        cmocka_unit_test(the_gap_decides_what_is_one_episode),
        cmocka_unit_test(owa_episode_by_hand),
        cmocka_unit_test(still_going_at_the_end),
        cmocka_unit_test(report_lists_every_episode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
