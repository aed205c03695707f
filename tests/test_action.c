/*
 * test_action.c: the administrator's actions, in runs worked out by hand.
 *
 * Most cases share one store: two threads, the MTA disabled (a flush holds
 * its thread 100s), and three mailboxes moved one at a time from 0, each
 * move holding a thread 10s. Without actions:
 *
 *     0s   move 1 starts; flush 1 is registered and takes thread 2 (to 100s)
 *    10s   move 1 ends; move 2 starts; flush 2 finds no thread: it waits
 *    20s   move 2 ends; its thread goes to flush 2 (to 120s); move 3 waits
 *   100s   flush 1 times out; move 3 starts (to 110s); flush 3 waits
 *   110s   move 3 ends; flush 3 starts (to 210s); the batch is done
 *
 * Each case adds actions to it and follows what they change, to the
 * microsecond.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/scenario.h"
#include "storesim/sim.h"
#include "storesim/totals.h"

static const char store[] =
    "[simulation]\nduration = 1000s\nsample_interval = 100s\n"
    "[store]\nthreads = 2\n"
    "[mta]\nenabled = false\nflush_time = 1s\nflush_timeout = 100s\n"
    "[move m]\nmailboxes = 3\nconcurrency = 1\nduration = 10s\n";

/* The same with five mailboxes. */
static const char five[] =
    "[simulation]\nduration = 1000s\nsample_interval = 100s\n"
    "[store]\nthreads = 2\n"
    "[mta]\nenabled = false\nflush_time = 1s\nflush_timeout = 100s\n"
    "[move m]\nmailboxes = 5\nconcurrency = 1\nduration = 10s\n";

#define S(x) ((ss_time)((x) * 1e6 + 0.5))

/* Run `base` followed by `more` (actions, or other sections). */
static void run(struct ss_results *res, const char *base, const char *more)
{
    struct ss_scenario sc;
    char text[4096], why[128];
    snprintf(text, sizeof text, "%s%s", base, more);
    testutil_scenario(&sc, "action.scn", text, NULL, 0);
    assert_int_equal(ss_simulate(&sc, NULL, res, why, sizeof why), 0);
    ss_scenario_free(&sc);
}

static void no_action_as_worked_out(void **state)
{
    struct ss_results r;
    (void)state;
    run(&r, store, "");
    assert_int_equal(r.symptom[SS_POOL_EXHAUSTED], S(10));
    assert_int_equal(r.first_flush_timeout, S(100));
    assert_int_equal(r.batches[0].done, S(110));
    assert_int_equal(r.flushes.timed_out, 3);
    assert_int_equal(r.n_actions, 0);
    ss_results_free(&r);
}

/* A restart at 50s, the store down 20s: flushes 1 and 2 (on threads) are
 * gone, move 3 (waiting) fails, and with no mailbox left the wizard is
 * done at once. Nothing is left to run when the store is back at 70s. */
static void restart_during_exhaustion(void **state)
{
    struct ss_results r;
    (void)state;
    run(&r, store, "[action r]\nat = 50s\ndo = restart_store\nrestart_time = 20s\n");
    assert_int_equal(r.flushes.registered, 2);
    assert_int_equal(r.flushes.cleared, 2);
    assert_int_equal(r.flushes.timed_out, 0);
    assert_int_equal(r.moves.completed, 2);
    assert_int_equal(r.moves.failed, 1);
    assert_int_equal(r.batches[0].failed, 1);
    assert_int_equal(r.batches[0].done, S(50));
    assert_int_equal(r.first_flush_timeout, SS_NEVER);
    assert_int_equal(r.store.restarts, 1);
    assert_int_equal(r.store.down_us, S(20));
    assert_int_equal(r.actions[0].up, S(70));
    assert_int_equal(r.actions[0].flushes_cleared, 2);
    assert_int_equal(r.actions[0].moves_failed, 1);
    assert_false(r.actions[0].extended);
    /* Thread time: moves 10s + 10s, flush 1 0..50s, flush 2 20..50s. */
    assert_true(r.pool.busy_us[SS_MOVE] == (double)S(20));
    assert_true(r.pool.busy_us[SS_FLUSH] == (double)S(80));
    ss_results_free(&r);
}

/* The wizard goes on after a restart: with five mailboxes, move 3 fails at
 * 50s and move 4 is submitted at once; it waits for the store, starts at
 * 70s and registers a new flush, which takes the other thread. */
static void the_wizard_goes_on(void **state)
{
    struct ss_results r;
    (void)state;
    run(&r, five, "[action r]\nat = 50s\ndo = restart_store\nrestart_time = 20s\n");
    /* 70s move 4 (to 80s), flush 4 (to 170s); 80s move 5 (to 90s), flush 5
     * waits; 90s flush 5 takes move 5's thread (to 190s). */
    assert_int_equal(r.moves.failed, 1);
    assert_int_equal(r.moves.completed, 4);
    assert_int_equal(r.batches[0].done, S(90));
    assert_int_equal(r.flushes.registered, 4);
    assert_int_equal(r.flushes.cleared, 2);
    assert_int_equal(r.first_flush_timeout, S(170));
    assert_int_equal(r.wait[SS_MOVE].max, S(20)); /* move 4, 50s to 70s */
    ss_results_free(&r);
}

/* The MTA started at 50s answers flushes 1 and 2 (on threads) within 1s:
 * both end at 51s. Flush 1's thread goes to move 3 (waiting since 20s),
 * whose flush 3, now answered too, takes flush 2's thread at 51s for 1s. */
static void start_the_mta_during_exhaustion(void **state)
{
    struct ss_results r;
    (void)state;
    run(&r, store, "[action mta]\nat = 50s\ndo = start_mta\n");
    assert_int_equal(r.flushes.registered, 3);
    assert_int_equal(r.flushes.completed, 3);
    assert_int_equal(r.flushes.timed_out, 0);
    assert_int_equal(r.actions[0].flushes_changed, 2);
    assert_true(r.actions[0].changed);
    assert_int_equal(r.batches[0].done, S(61));
    assert_int_equal(r.wait[SS_MOVE].max, S(31)); /* move 3, 20s to 51s */
    assert_int_equal(r.wait[SS_FLUSH].max, S(10)); /* flush 2, 10s to 20s */
    /* Thread time: moves 30s; flushes 51s + 31s + 1s. */
    assert_true(r.pool.busy_us[SS_MOVE] == (double)S(30));
    assert_true(r.pool.busy_us[SS_FLUSH] == (double)S(83));
    assert_int_equal(r.store.restarts, 0);
    ss_results_free(&r);
}

/* A waiting flush is answered too: the MTA started at 15s finds flush 1 on
 * a thread (to 16s) and flush 2 waiting, which then holds 1s. */
static void start_the_mta_with_a_flush_waiting(void **state)
{
    struct ss_results r;
    (void)state;
    run(&r, store, "[action mta]\nat = 15s\ndo = start_mta\n");
    /* 16s flush 1 ends; flush 2 takes its thread (to 17s). 20s move 2 ends,
     * move 3 (20s to 30s), flush 3 answered (20s to 21s). */
    assert_int_equal(r.actions[0].flushes_changed, 2);
    assert_int_equal(r.flushes.completed, 3);
    assert_int_equal(r.wait[SS_FLUSH].max, S(6)); /* flush 2, 10s to 16s */
    assert_int_equal(r.batches[0].done, S(30));
    ss_results_free(&r);
}

/* Stopping the MTA strands the flush it was answering: with the MTA
 * running and a flush of 10s, the MTA stopped at 5s leaves flush 1 to time
 * out at 100s. */
static void stop_the_mta(void **state)
{
    static const char running[] =
        "[simulation]\nduration = 1000s\n[store]\nthreads = 4\n"
        "[mta]\nenabled = true\nflush_time = 10s\nflush_timeout = 100s\n"
        "[move m]\nmailboxes = 1\nduration = 10s\n";
    struct ss_results r;
    (void)state;
    run(&r, running, "[action off]\nat = 5s\ndo = stop_mta\n");
    assert_int_equal(r.first_flush_timeout, S(100));
    assert_int_equal(r.flushes.timed_out, 1);
    assert_int_equal(r.flushes.completed, 0);
    assert_int_equal(r.actions[0].flushes_changed, 1);
    ss_results_free(&r);
    run(&r, running, "[action off]\nat = 5s\ndo = start_mta\n");
    assert_false(r.actions[0].changed); /* it was running */
    assert_int_equal(r.flushes.completed, 1);
    ss_results_free(&r);
}

/* With the hotfix installed and Gateway Out Threads 1, every flush is
 * registered. Set to 0 at 5s, the registry takes effect only when the
 * store restarts (KB 810489): here at 50s, back at 70s; the moves after
 * it (4 and 5 of five) have their flushes skipped. */
static void set_the_registry_then_restart(void **state)
{
    static const char hotfix[] =
        "[simulation]\nduration = 1000s\n[store]\nthreads = 2\n"
        "[mta]\nenabled = false\nflush_timeout = 100s\n[hotfix]\nkb924567 = true\n"
        "[database db]\ngateway_out_threads = 1\n"
        "[move m]\nmailboxes = 5\nconcurrency = 1\nduration = 10s\n"
        "[action reg]\nat = 5s\ndo = set_gateway_out_threads\nvalue = 0\n";
    struct ss_results r;
    (void)state;
    run(&r, hotfix, "");
    assert_int_equal(r.flushes.registered, 5); /* no restart: the store never reads it */
    assert_int_equal(r.flushes.skipped, 0);
    ss_results_free(&r);
    run(&r, hotfix, "[action r]\nat = 50s\ndo = restart_store\nrestart_time = 20s\n");
    /* 50s: flushes 1 and 2 gone, move 3 fails; 70s move 4 (skipped), 80s
     * move 5 (skipped), done at 90s. */
    assert_int_equal(r.flushes.registered, 2);
    assert_int_equal(r.flushes.cleared, 2);
    assert_int_equal(r.flushes.skipped, 2);
    assert_int_equal(r.first_flush_skipped, S(70));
    assert_int_equal(r.moves.failed, 1);
    assert_int_equal(r.batches[0].done, S(90));
    ss_results_free(&r);
}

/* install_hotfix is the hotfix and a restart: on the shared store, with
 * Gateway Out Threads 0, move 3's flush would be registered at 100s; with
 * the hotfix installed at 5s (down until 10s) flush 1 is gone, and every
 * move after the restart has its flush skipped. */
static void install_the_hotfix(void **state)
{
    struct ss_results r;
    char text[1024];
    (void)state;
    snprintf(text, sizeof text, "%s[database db]\ngateway_out_threads = 0\n", store);
    run(&r, text, "[action fix]\nat = 5s\ndo = install_hotfix\nrestart_time = 5s\n");
    /* 0s move 1 + flush 1; 5s both cut, move 1 fails, move 2 waits; 10s
     * move 2 (skipped), 20s move 3 (skipped), done 30s. */
    assert_int_equal(r.flushes.registered, 1);
    assert_int_equal(r.flushes.cleared, 1);
    assert_int_equal(r.flushes.skipped, 2);
    assert_int_equal(r.moves.failed, 1);
    assert_int_equal(r.batches[0].done, S(30));
    assert_int_equal(r.actions[0].up, S(10));
    ss_results_free(&r);
}

/* A restart while the store is down puts its start off: down at 50s for
 * 20s, again at 60s for 20s: up at 80s, down 30s in all. */
static void restart_while_down(void **state)
{
    struct ss_results r;
    (void)state;
    run(&r, store, "[action a]\nat = 50s\ndo = restart_store\nrestart_time = 20s\n"
                   "[action b]\nat = 60s\ndo = restart_store\nrestart_time = 20s\n");
    assert_int_equal(r.store.restarts, 1);
    assert_int_equal(r.store.down_us, S(30));
    assert_true(r.actions[1].extended);
    assert_int_equal(r.actions[0].up, S(80));
    assert_int_equal(r.actions[1].up, S(80));
    ss_results_free(&r);
    /* Down past the end of the run: down until the end. */
    run(&r, store, "[action a]\nat = 990s\ndo = restart_store\nrestart_time = 20s\n");
    assert_int_equal(r.store.down_us, S(10));
    assert_int_equal(r.actions[0].up, SS_NEVER);
    ss_results_free(&r);
}

/* Cancelling a batch: the wizard submits no further mailbox; the move in
 * flight finishes. Cancelled before it starts, the batch never starts. */
static void cancel_the_moves(void **state)
{
    static const char moves[] =
        "[simulation]\nduration = 1000s\n[store]\nthreads = 10\n"
        "[move m]\nmailboxes = 5\nconcurrency = 1\nduration = 10s\nstart = 0s\n";
    struct ss_results r;
    (void)state;
    run(&r, moves, "[action stop]\nat = 25s\ndo = cancel_move\n");
    assert_int_equal(r.moves.submitted, 3);
    assert_int_equal(r.moves.completed, 3);
    assert_int_equal(r.moves.cancelled, 2);
    assert_int_equal(r.actions[0].cancelled, 2);
    assert_int_equal(r.batches[0].done, S(30));
    ss_results_free(&r);
    run(&r, moves, "[action stop]\nat = 0s\ndo = cancel_move\n"); /* first at its instant */
    assert_int_equal(r.batches[0].started, SS_NEVER);
    assert_int_equal(r.moves.submitted, 0);
    assert_int_equal(r.moves.cancelled, 5);
    ss_results_free(&r);
    run(&r, moves, "[action stop]\nat = 900s\ndo = cancel_move\n");
    assert_false(r.actions[0].changed); /* all moved by then */
    assert_int_equal(r.moves.cancelled, 0);
    ss_results_free(&r);
}

/* A message being delivered when the store stops goes back to the end of
 * the queue, and holds its whole service time when it starts again. One
 * thread; a message every 10s (at 10s, 20s, ...) taking 15s. Restart at
 * 22s for 5s: message 1 (10s..25s) is cut and queued behind message 2
 * (waiting since 20s); at 27s message 2 starts (to 42s), message 1 then
 * (42s to 57s). */
static void messages_go_back_to_the_queue(void **state)
{
    static const char mail[] =
        "[simulation]\nduration = 60s\n[store]\nthreads = 1\n"
        "[delivery]\nrate = 0.1/s\narrivals = regular\nservice = 15s\n"
        "[action r]\nat = 22s\ndo = restart_store\nrestart_time = 5s\n";
    struct ss_results r;
    (void)state;
    run(&r, mail, "");
    assert_int_equal(r.delivery.requeued, 1);
    assert_int_equal(r.actions[0].requeued, 1);
    assert_int_equal(r.delivery.delivered, 2);
    /* Message 3 (30s) waited from 30s to 57s; message 1's second wait 22s
     * to 42s. */
    assert_int_equal(r.wait[SS_DELIVERY].max, S(27));
    assert_int_equal(r.wait[SS_DELIVERY].count, 4); /* 1 (twice), 2, 3 */
    ss_results_free(&r);
}

/* OWA requests in the store fail at the restart, and so does every request
 * that arrives while it is down. One request a second (at 1s, 2s, ...),
 * each 500ms; down from 10.25s to 15.25s: request 10 (10s..10.5s) fails,
 * and requests 11 to 15. */
static void owa_fails_while_down(void **state)
{
    static const char web[] =
        "[simulation]\nduration = 30s\n[store]\nthreads = 4\n"
        "[owa]\nrate = 1/s\narrivals = regular\nservice = 500ms\ntimeout = 60s\n"
        "[action r]\nat = 10250ms\ndo = restart_store\nrestart_time = 5s\n";
    struct ss_results r;
    (void)state;
    run(&r, web, "");
    assert_int_equal(r.owa.failed_restart, 6);
    assert_int_equal(r.owa.failed, 6);
    assert_int_equal(r.actions[0].owa_failed, 1);
    /* Requests 1 to 29 end within the run, 30 (at 30s) is in progress. */
    assert_int_equal(r.owa.served, 29 - 6);
    assert_int_equal(r.owa.in_progress, 1);
    assert_int_equal(r.symptom[SS_OWA_UNRESPONSIVE], S(10.25));
    /* The last failure at 15s; a whole timeout without one after. */
    assert_int_equal(r.symptom[SS_OWA_RESPONSIVE], SS_NEVER);
    ss_results_free(&r);
}

/* An action after every event changes nothing but its own totals. */
static void an_action_after_everything_changes_nothing(void **state)
{
    struct ss_results plain, acted;
    size_t i;
    int s;
    (void)state;
    run(&plain, store, "");
    run(&acted, store, "[action late]\nat = 900s\ndo = restart_store\nrestart_time = 10s\n"
                       "[action mta]\nat = 950s\ndo = start_mta\n");
    for (s = 0; s < SS_SYMPTOMS; s++)
        assert_int_equal(plain.symptom[s], acted.symptom[s]);
    for (i = 0; i < ss_totals_count(); i++)
        if (!(ss_total(i)->shown & SS_WITH_ACTIONS))
            assert_true(ss_total_value(i, &plain) == ss_total_value(i, &acted));
    assert_int_equal(acted.events, plain.events + 3); /* two actions, the store's start */
    assert_int_equal(acted.actions[0].up, S(910));
    ss_results_free(&plain);
    ss_results_free(&acted);
}

/* Common random numbers: with or without a restart, the same messages and
 * OWA requests arrive at the same instants. */
static void the_same_arrivals_with_an_action(void **state)
{
    struct ss_scenario sc;
    struct ss_results without, with;
    const char *sets[] = {"action r.at=1h", "action r.do=restart_store"};
    char why[64];
    (void)state;
    testutil_scenario_file(&sc, "scenarios/kb924567.scn", NULL, 0);
    assert_int_equal(ss_simulate(&sc, NULL, &without, why, sizeof why), 0);
    ss_scenario_free(&sc);
    testutil_scenario_file(&sc, "scenarios/kb924567.scn", sets, 2);
    assert_int_equal(ss_simulate(&sc, NULL, &with, why, sizeof why), 0);
    ss_scenario_free(&sc);
    assert_int_equal(with.delivery.arrived, without.delivery.arrived);
    assert_int_equal(with.owa.arrived, without.owa.arrived);
    assert_int_equal(with.store.restarts, 1);
    assert_true(with.flushes.cleared > 0);
    ss_results_free(&without);
    ss_results_free(&with);
}

/* Each bad action: its message, at its line. */
static void bad(const char *more, const char *message)
{
    struct ss_scenario sc;
    struct ss_error err;
    char text[2048];
    snprintf(text, sizeof text, "%s%s", store, more);
    assert_int_equal(ss_scenario_parse("a.scn", text, strlen(text), NULL, 0, &sc, &err), -1);
    assert_string_equal(err.text, message);
}

static void bad_actions(void **state)
{
    (void)state;
    /* The store's lines are 1 to 13; an action's header is line 14. */
    bad("[action x]\nat = 1m\ndo = reboot\n",
        "a.scn:16: error: action x.do: 'reboot' is not an action: write restart_store, "
        "start_mta, stop_mta, install_hotfix, set_gateway_out_threads or cancel_move");
    bad("[action x]\ndo = start_mta\n", "a.scn:14: error: [action x] at is required");
    bad("[action x]\nat = 1m\n", "a.scn:14: error: [action x] do is required");
    bad("[action x]\nat = 1001s\ndo = start_mta\n",
        "a.scn:15: error: action x.at: 00:16:41 is after the end of the run (00:16:40): "
        "lengthen simulation.duration or act earlier");
    bad("[action x]\nat = 1m\ndo = cancel_move\nbatch = n\n",
        "a.scn:17: error: action x: move batch \"n\" is not defined; defined: m");
    bad("[action x]\nat = 1m\ndo = set_gateway_out_threads\nvalue = 0\ndatabase = Other\n",
        "a.scn:18: error: action x: database \"Other\" is not defined; defined: Mailbox Store");
    bad("[action x]\nat = 1m\ndo = set_gateway_out_threads\n",
        "a.scn:14: error: [action x] sets Gateway Out Threads: it needs value = N (0 marks a "
        "disabled MTA, KB 810489)");
    bad("[action x]\nat = 1m\ndo = start_mta\nrestart_time = 1m\n",
        "a.scn:17: error: action x: restart_time has no meaning for start_mta");
    bad("[action x]\nat = 1m\ndo = start_mta\n[action x]\nat = 2m\ndo = stop_mta\n",
        "a.scn:17: error: duplicate section [action x]: it is already at line 14");
    bad("[action x]\nat = 1m\ndo = restart_store\nrestart_time = 0s\n",
        "a.scn:17: error: action x.restart_time: '0s' must be longer than 0s");
}

/* Two databases: an action must name one; a scenario without moves has no
 * batch to cancel. */
static void an_action_names_what_it_acts_on(void **state)
{
    static const char two[] =
        "[simulation]\nduration = 1h\n[store]\nthreads = 2\n[database a]\n[database b]\n"
        "[action x]\nat = 1m\ndo = set_gateway_out_threads\nvalue = 0\n";
    static const char none[] =
        "[simulation]\nduration = 1h\n[store]\nthreads = 2\n"
        "[action x]\nat = 1m\ndo = cancel_move\n";
    struct ss_scenario sc;
    struct ss_error err;
    (void)state;
    assert_int_equal(ss_scenario_parse("a.scn", two, strlen(two), NULL, 0, &sc, &err), -1);
    assert_string_equal(err.text, "a.scn:7: error: [action x] must name its database "
                                  "(database = NAME): defined: a, b");
    assert_int_equal(ss_scenario_parse("a.scn", none, strlen(none), NULL, 0, &sc, &err), -1);
    assert_string_equal(err.text, "a.scn:5: error: [action x] cancels a move batch, but the "
                                  "scenario has no [move NAME]");
    {
        char named[256];
        snprintf(named, sizeof named, "%sbatch = x\n", none);
        assert_int_equal(ss_scenario_parse("a.scn", named, strlen(named), NULL, 0, &sc, &err),
                         -1);
        assert_string_equal(err.text, "a.scn:8: error: action x: move batch \"x\" is not "
                                      "defined; defined: none");
    }
}

/* Set and varied from the command line like any key; each_key gives back
 * only the keys its kind of action takes. */
static void actions_on_the_command_line(void **state)
{
    struct testutil_run r;
    (void)state;
    r = testutil_cli("run", testutil_src("scenarios/restart-store.scn"), "--quiet", "--json", "-",
                     "--set", "action restart.at=2h", "--set", "simulation.duration=3h", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"action restart.at\": \"2h\""));
    assert_non_null(strstr(r.out, "\"action restart.restart_time\": \"5m\""));
    assert_null(strstr(r.out, "\"action restart.value\""));
    assert_non_null(strstr(r.out, "\"at\": 7200000000"));
    testutil_run_free(&r);
    r = testutil_cli("sweep", testutil_src("scenarios/restart-store.scn"), "--vary",
                     "action restart.at=60m:120m:60m", "--set", "simulation.duration=3h", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "action restart.at"));
    testutil_run_free(&r);
    /* On a clock, at is a time of day, and reads back as one. */
    r = testutil_cli("run", testutil_src("scenarios/tonight.scn"), "--quiet", "--json", "-",
                     "--set", "action r.at=23:30", "--set", "action r.do=start_mta", "--set",
                     "simulation.duration=3h", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"action r.at\": \"23:30:00\""));
    assert_non_null(strstr(r.out, "\"at\": 9000000000")); /* 2h30m after 21:00 */
    testutil_run_free(&r);
    r = testutil_cli("run", testutil_src("scenarios/restart-store.scn"), "--set",
                     "action restart.do=restart", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "'restart' is not an action"));
    testutil_run_free(&r);
}

#define HMS(h, m, s) ((ss_time)(h) * SS_HOUR + (ss_time)(m) * SS_MINUTE + (ss_time)(s) * SS_SECOND)

/* Under valgrind (STORESIM_SLOW_TOOLS, .ci/run) the teaching scenarios run
 * to 02:15 instead of 08:00: every claim below holds by then. */
static bool slow_tools(void)
{
    return getenv("STORESIM_SLOW_TOOLS") != NULL;
}

static void teaching_run(struct ss_results *r, const char *file, const char *set)
{
    const char *sets[2];
    size_t n = 0;
    struct ss_scenario sc;
    char why[128];
    if (slow_tools())
        sets[n++] = "simulation.duration=2h15m";
    if (set)
        sets[n++] = set;
    testutil_scenario_file(&sc, file, n ? sets : NULL, n);
    assert_int_equal(ss_simulate(&sc, NULL, r, why, sizeof why), 0);
    ss_scenario_free(&sc);
}

/* The three teaching scenarios do what their comments tell the class. */
static void restart_store_as_its_comment_says(void **state)
{
    struct ss_results r, without;
    const struct ss_episodes *starved;
    (void)state;
    teaching_run(&r, "scenarios/restart-store.scn", NULL);
    starved = &r.episodes[SS_EP_STARVED];
    assert_int_equal(r.actions[0].up, HMS(1, 20, 0));
    assert_true(r.actions[0].flushes_cleared >= 100);
    assert_int_equal(r.moves.failed, 4);
    assert_true(r.owa.failed_restart > 1700 && r.owa.failed_restart < 1900);
    /* Mail flows within a minute of the store's start, and starves again
     * 16 minutes later, to the end. */
    assert_int_equal(starved->count, 2);
    assert_true(starved->list[0].end < HMS(1, 21, 0));
    assert_true(starved->list[1].start > HMS(1, 35, 0) && starved->list[1].start < HMS(1, 38, 0));
    assert_int_equal(starved->list[1].end, SS_NEVER);
    /* A quarter of an hour less starved than without the restart. */
    teaching_run(&without, "scenarios/restart-store.scn",
                 slow_tools() ? "action restart.at=2h15m" : "action restart.at=8h");
    assert_true(without.starved_us - r.starved_us > 10 * SS_MINUTE);
    assert_true(without.starved_us - r.starved_us < 20 * SS_MINUTE);
    ss_results_free(&without);
    ss_results_free(&r);
}

static void start_mta_midway_as_its_comment_says(void **state)
{
    struct ss_results r;
    (void)state;
    teaching_run(&r, "scenarios/start-mta-midway.scn", NULL);
    assert_true(r.actions[0].flushes_changed >= 100);
    assert_true(r.symptom[SS_SMTP_RESUMED] > HMS(1, 15, 0));
    assert_true(r.symptom[SS_SMTP_RESUMED] < HMS(1, 15, 30));
    assert_true(r.symptom[SS_DELIVERY_RECOVERED] < HMS(1, 16, 0));
    assert_int_equal(r.episodes[SS_EP_STARVED].count, 1);
    assert_int_equal(r.moves.completed, 400);
    assert_true(r.batches[0].done < HMS(2, 10, 0));
    assert_int_equal(r.store.restarts, 0);
    ss_results_free(&r);
}

static void hotfix_midway_as_its_comment_says(void **state)
{
    struct ss_results r;
    (void)state;
    teaching_run(&r, "scenarios/hotfix-midway.scn", NULL);
    assert_int_equal(r.actions[0].up, HMS(1, 20, 0));
    assert_int_equal(r.episodes[SS_EP_STARVED].count, 1);
    assert_true(r.symptom[SS_DELIVERY_RECOVERED] < HMS(1, 21, 0));
    assert_int_equal(r.moves.failed, 4);
    assert_true(r.owa.failed_restart > 1700 && r.owa.failed_restart < 1900);
    assert_true(r.first_flush_skipped >= HMS(1, 20, 0));
    assert_int_equal(r.flushes.registered, r.flushes.cleared); /* none after the restart */
    assert_true(r.batches[0].done < HMS(2, 15, 0));
    ss_results_free(&r);
}

/* Text with its wrapping undone: each line end and the indent after it, one
 * blank. */
static char *unwrapped(const char *text)
{
    char *flat = malloc(strlen(text) + 1), *o = flat;
    assert_non_null(flat);
    for (; *text; text++) {
        if (*text == '\n') {
            *o++ = ' ';
            while (text[1] == ' ')
                text++;
        } else {
            *o++ = *text;
        }
    }
    *o = '\0';
    return flat;
}

/* Every output shows the actions: the scenario paragraph, the timeline, the
 * trace, the JSON, the chart. */
static void actions_in_every_output(void **state)
{
    const char *svg = testutil_tmp("action-chart.svg");
    struct testutil_run r;
    char *chart, *flat;
    (void)state;
    r = testutil_cli("run", testutil_src("scenarios/restart-store.scn"), "--svg", svg, "--set",
                     "simulation.duration=2h15m", NULL);
    assert_int_equal(r.status, 0);
    flat = unwrapped(r.out);
    assert_non_null(strstr(flat, "At 01:15:00 the administrator restarts the Information Store "
                                 "service (down for 5m)."));
    assert_non_null(strstr(flat, "Actions: the store restarted 1 time, down for 5m in all;"));
    free(flat);
    assert_non_null(strstr(r.out, "  01:15:00  ACTION \"restart\": the administrator restarts "
                                  "the Information Store\n"));
    assert_non_null(strstr(r.out, "  01:20:00  The Information Store runs again; the tasks that "
                                  "waited take its\n"));
    chart = testutil_slurp(svg, NULL);
    assert_non_null(chart);
    assert_non_null(strstr(chart, "<g class=\"action\" data-action=\"restart_store\" "
                                  "data-name=\"restart\" data-time-us=\"4500000000\">"));
    assert_non_null(strstr(chart, "<rect class=\"down\" data-start-us=\"4500000000\" "
                                  "data-end-us=\"4800000000\""));
    assert_non_null(strstr(chart, ">store restart (down 5m) 01:15:00</text>"));
    free(chart);
    testutil_run_free(&r);
    r = testutil_cli("run", testutil_src("scenarios/restart-store.scn"), "--quiet", "--trace",
                     "--only", "event", "--from", "1h15m", "--to", "1h20m", "--set",
                     "simulation.duration=1h30m", NULL);
    assert_int_equal(r.status, 0);
    /* The trace fits in 80 columns: the line goes on under its text. */
    assert_non_null(strstr(r.out, "ACTION restart: the administrator restarts the\n"
                                  "                        Information Store; the store is "
                                  "down for 5m:"));
    assert_non_null(strstr(r.out, "the Information Store runs again;"));
    testutil_run_free(&r);
    r = testutil_cli("run", testutil_src("scenarios/start-mta-midway.scn"), "--quiet", "--json",
                     "-", "--set", "simulation.duration=1h30m", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"actions\": [\n"));
    assert_non_null(strstr(r.out, "\"do\": \"start_mta\""));
    assert_non_null(strstr(r.out, "\"flushes_answered\": "));
    testutil_run_free(&r);
    /* A batch that lost moves to a restart says so when it is done. */
    {
        const char *scn = testutil_tmp("action-batch.scn");
        char text[1024];
        snprintf(text, sizeof text, "%s[action r]\nat = 50s\ndo = restart_store\n"
                                    "restart_time = 20s\n", store);
        assert_int_equal(testutil_write(scn, text), 0);
        r = testutil_cli("run", scn, NULL);
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.out, "  00:00:50  Move batch \"m\" is done: 2 of 3 mailboxes "
                                      "moved (1 failed in a\n            restart).\n"));
        testutil_run_free(&r);
        /* The hotfix installed while the store is down: it starts with it. */
        snprintf(text, sizeof text, "%s[action r]\nat = 50s\ndo = restart_store\n"
                                    "restart_time = 20s\n[action h]\nat = 60s\n"
                                    "do = install_hotfix\nrestart_time = 5s\n", store);
        assert_int_equal(testutil_write(scn, text), 0);
        r = testutil_cli("run", scn, NULL);
        flat = unwrapped(r.out);
        assert_non_null(strstr(flat, "The store was already down; it starts no sooner than 5s "
                                     "from now. "));
        free(flat);
        assert_non_null(strstr(r.out, "  00:01:10  The Information Store runs again, with the KB "
                                      "924567 hotfix; the\n"));
        testutil_run_free(&r);
    }
    /* Without actions, none of it. */
    r = testutil_cli("run", testutil_src("scenarios/kb924567.scn"), "--quiet", "--json", "-",
                     "--set", "simulation.duration=1h", NULL);
    assert_null(strstr(r.out, "\"actions\""));
    assert_null(strstr(r.out, "\"cancelled\""));
    testutil_run_free(&r);
}

/* compare and --replications run the actions on both sides; a run that
 * starves only while the store restarts is told apart in the verdict. */
static void compare_and_replications_with_actions(void **state)
{
    struct testutil_run r;
    (void)state;
    r = testutil_cli("compare", testutil_src("scenarios/hotfix-midway.scn"), "--set",
                     "simulation.duration=2h15m", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "The hotfix kept local delivery from starving."));
    assert_non_null(strstr(r.out, "delivery starved only around the restart of the"));
    assert_non_null(strstr(r.out, "Store restarts"));
    testutil_run_free(&r);
    r = testutil_cli("run", testutil_src("scenarios/restart-store.scn"), "--replications", "2",
                     "--set", "simulation.duration=1h30m", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Mailbox moves failed"));
    testutil_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_action_as_worked_out),
        cmocka_unit_test(restart_during_exhaustion),
        cmocka_unit_test(the_wizard_goes_on),
        cmocka_unit_test(start_the_mta_during_exhaustion),
        cmocka_unit_test(start_the_mta_with_a_flush_waiting),
        cmocka_unit_test(stop_the_mta),
        cmocka_unit_test(set_the_registry_then_restart),
        cmocka_unit_test(install_the_hotfix),
        cmocka_unit_test(restart_while_down),
        cmocka_unit_test(cancel_the_moves),
        cmocka_unit_test(messages_go_back_to_the_queue),
        cmocka_unit_test(owa_fails_while_down),
        cmocka_unit_test(an_action_after_everything_changes_nothing),
        cmocka_unit_test(the_same_arrivals_with_an_action),
        cmocka_unit_test(bad_actions),
        cmocka_unit_test(an_action_names_what_it_acts_on),
        cmocka_unit_test(actions_on_the_command_line),
        cmocka_unit_test(restart_store_as_its_comment_says),
        cmocka_unit_test(start_mta_midway_as_its_comment_says),
        cmocka_unit_test(hotfix_midway_as_its_comment_says),
        cmocka_unit_test(actions_in_every_output),
        cmocka_unit_test(compare_and_replications_with_actions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
