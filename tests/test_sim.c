/*
 * test_sim.c: whole runs whose outcome is worked out by hand.
 *
 * The scenario below has no randomness: a message arrives every second
 * (at 1s, 2s, ...) and is delivered in 500ms; four mailboxes are moved one at
 * a time from 5m00.25s, each move holding a thread for 10m; the MTA is
 * disabled, so every flush holds its thread for 150m. Four threads.
 *
 *   300.25s  move 1 and flush 1 start            (+ message 300 on a thread: 3 busy)
 *   900.25s  move 1 ends; move 2 and flush 2 start (+ message 900: 4 busy)
 *  1500.25s  move 2 ends; move 3 starts; message 1500 is on a thread, so
 *            flush 3 finds all 4 threads busy and waits: POOL EXHAUSTED
 *  1500.50s  message 1500 ends; flush 3 takes its thread (it waited 250ms).
 *            Threads: flush 1, flush 2, move 3, flush 3 - nothing else runs.
 *  1501s ..  every message waits. With smtp.max_backlog = 10 the tenth
 *            waiting message (1510s) fills the queue; message 1511 is
 *            refused at 1511s: SMTP STOPPED.
 *  1561s     message 1501 has waited 60s: DELIVERY STARVED
 *  2100.25s  move 3 ends; its thread takes message 1501, the backlog drops
 *            to 9 = smtp.resume_backlog: SMTP RESUMED; move 4 waits.
 *  2105.25s  the nine older messages are through (500ms each): move 4 starts
 *            after waiting 5s.
 */
#include "testutil.h"

#include <string.h>

#include "storesim/scenario.h"
#include "storesim/sim.h"

static const char by_hand[] =
    "[simulation]\nduration = 40m\nsample_interval = 10m\n"
    "[store]\nthreads = 4\n"
    "[mta]\nenabled = false\nflush_timeout = 150m\n"
    "[move m]\nmailboxes = 4\nconcurrency = 1\nstart = 5m250ms\nduration = 10m\n"
    "[delivery]\nrate = 1/s\narrivals = regular\nservice = 500ms\n"
    "[smtp]\nmax_backlog = 10\nresume_backlog = 9\nretry = 0\n";

static void load(struct ss_scenario *sc, const char *text)
{
    testutil_scenario(sc, "by-hand.scn", text, NULL, 0);
}

#define S(x) ((ss_time)((x) * 1e6 + 0.5))

static void symptoms_to_the_microsecond(void **state)
{
    struct ss_scenario sc;
    struct ss_results res;
    char why[64];
    (void)state;
    load(&sc, by_hand);
    assert_int_equal(ss_simulate(&sc, NULL, &res, why, sizeof why), 0);
    assert_int_equal(res.symptom[SS_POOL_EXHAUSTED], S(1500.25));
    assert_int_equal(res.symptom[SS_SMTP_STOPPED], S(1511));
    assert_int_equal(res.symptom[SS_DELIVERY_STARVED], S(1561));
    assert_int_equal(res.symptom[SS_SMTP_RESUMED], S(2100.25));
    assert_int_equal(res.symptom[SS_DELIVERY_RECOVERED], SS_NEVER);
    assert_int_equal(res.symptom[SS_OWA_UNRESPONSIVE], SS_NEVER);
    assert_int_equal(res.first_flush_registered, S(300.25));
    assert_int_equal(res.first_flush_timeout, SS_NEVER);
    assert_int_equal(res.wait[SS_FLUSH].max, S(0.25));
    /* Message 1501 waited from 1501s to 2100.25s. */
    assert_int_equal(res.wait[SS_DELIVERY].max, S(599.25));
    assert_int_equal(res.max_backlog, 10);
    assert_int_equal(res.moves.submitted, 4);
    assert_int_equal(res.moves.completed, 3);
    /* Move 4 waits behind messages 1502..1510, served one per 500ms: it
     * starts at 2105.25s and registers flush 4, which waits. */
    assert_int_equal(res.wait[SS_MOVE].max, S(5));
    assert_int_equal(res.flushes.registered, 4);
    assert_int_equal(res.pool.max_busy, 4);
    /* 2400 messages arrive in 40 minutes (the last at exactly 2400s). */
    assert_int_equal(res.delivery.arrived, 2400);
    assert_int_equal(res.delivery.arrived, res.delivery.delivered + (uint64_t)res.delivery.queued +
                                               res.delivery.deferred + res.delivery.retrying);
    /* Starved from 1561s to the end, 2400s. */
    assert_int_equal(res.starved_us, S(2400 - 1561));
    ss_results_free(&res);
    ss_scenario_free(&sc);
}

/* With the hotfix and Gateway Out Threads = 0 no flush holds a thread: the
 * pool never runs dry, and the same 2,400 messages arrive. */
static void hotfix_by_hand(void **state)
{
    struct ss_scenario sc;
    struct ss_results res;
    char why[64], text[1024];
    int s;
    (void)state;
    sprintf(text, "%s[hotfix]\nkb924567 = true\n[database DB]\ngateway_out_threads = 0\n",
            by_hand);
    load(&sc, text);
    assert_int_equal(ss_simulate(&sc, NULL, &res, why, sizeof why), 0);
    for (s = 0; s < SS_SYMPTOMS; s++)
        assert_int_equal(res.symptom[s], SS_NEVER);
    assert_int_equal(res.flushes.skipped, 4);
    assert_int_equal(res.moves.completed, 3); /* 300.25 + 4 x 600s > 2400s */
    assert_int_equal(res.delivery.arrived, 2400);
    assert_int_equal(res.delivery.delivered, 2400 - 1); /* the last is still on a thread */
    ss_results_free(&res);
    ss_scenario_free(&sc);
}

struct series {
    int rows;
    ss_time last;
    long long threads;
    int over;
};

static void count_sample(void *ctx, const struct ss_sample *sm)
{
    struct series *s = ctx;
    int k;
    long long busy = 0;
    for (k = 0; k < SS_KINDS; k++)
        busy += sm->busy[k];
    if (busy > s->threads || (s->rows && sm->time <= s->last))
        s->over++;
    s->last = sm->time;
    s->rows++;
}

/* Samples at 0, every interval, and the end; watching changes nothing. */
static void samples_every_interval(void **state)
{
    struct ss_scenario sc;
    struct ss_results watched, plain;
    struct ss_sim_options opt;
    struct series s = {0, 0, 4, 0};
    char why[64];
    (void)state;
    load(&sc, by_hand);
    memset(&opt, 0, sizeof opt);
    opt.on_sample = count_sample;
    opt.sample_ctx = &s;
    assert_int_equal(ss_simulate(&sc, &opt, &watched, why, sizeof why), 0);
    assert_int_equal(s.rows, 5); /* 0, 10m, 20m, 30m, 40m */
    assert_int_equal(s.last, 40 * SS_MINUTE);
    assert_int_equal(s.over, 0);
    assert_int_equal(ss_simulate(&sc, NULL, &plain, why, sizeof why), 0);
    assert_int_equal(watched.events, plain.events);
    assert_int_equal(watched.symptom[SS_DELIVERY_STARVED], plain.symptom[SS_DELIVERY_STARVED]);
    ss_results_free(&watched);
    ss_results_free(&plain);
    ss_scenario_free(&sc);
}

/* OWA: a request that waits owa.timeout fails then, and never runs. */
static void owa_times_out_by_hand(void **state)
{
    /* One thread, held by a 10m move from 0s; requests every 20s wait. The
     * first (20s) fails at 20s + 60s = 80s. */
    static const char text[] =
        "[simulation]\nduration = 5m\n[store]\nthreads = 1\n"
        "[move m]\nmailboxes = 1\nduration = 10m\n[hotfix]\nkb924567 = true\n"
        "[database D]\ngateway_out_threads = 0\n"
        "[owa]\nrate = 3/m\narrivals = regular\nservice = 1s\ntimeout = 60s\n";
    struct ss_scenario sc;
    struct ss_results res;
    char why[64];
    (void)state;
    load(&sc, text);
    assert_int_equal(ss_simulate(&sc, NULL, &res, why, sizeof why), 0);
    assert_int_equal(res.symptom[SS_OWA_UNRESPONSIVE], S(80));
    assert_int_equal(res.symptom[SS_POOL_EXHAUSTED], S(20));
    /* Requests at 20s .. 300s: 15; those of 20s .. 240s have timed out by 300s. */
    assert_int_equal(res.owa.arrived, 15);
    assert_int_equal(res.owa.failed, 12);
    assert_int_equal(res.owa.served, 0);
    assert_int_equal(res.owa.waiting, 3);
    ss_results_free(&res);
    ss_scenario_free(&sc);
}

struct progress {
    int calls;
    int stop_at;
    ss_time last;
    uint64_t last_events, widest; /* the most events between two calls */
};

static int on_progress(void *ctx, ss_time now, uint64_t events)
{
    struct progress *p = ctx;
    assert_true(now >= p->last);
    assert_true(events >= p->last_events);
    if (events - p->last_events > p->widest)
        p->widest = events - p->last_events;
    p->last = now;
    p->last_events = events;
    return ++p->calls == p->stop_at;
}

/* Progress comes every 1% of the run; watching changes nothing; a watcher
 * can stop the run, which then fails with "interrupted". */
static void progress_and_interruption(void **state)
{
    struct ss_scenario sc;
    struct ss_results watched, plain;
    struct ss_sim_options opt;
    struct progress p = {0, -1, 0, 0, 0};
    char why[128];
    (void)state;
    load(&sc, by_hand);
    memset(&opt, 0, sizeof opt);
    opt.on_progress = on_progress;
    opt.progress_ctx = &p;
    assert_int_equal(ss_simulate(&sc, &opt, &watched, why, sizeof why), 0);
    assert_int_equal(p.calls, 100);
    assert_int_equal(p.last, 40 * SS_MINUTE);
    assert_int_equal(ss_simulate(&sc, NULL, &plain, why, sizeof why), 0);
    assert_int_equal(watched.events, plain.events);
    ss_results_free(&watched);
    ss_results_free(&plain);
    memset(&p, 0, sizeof p);
    p.stop_at = 50;
    assert_int_equal(ss_simulate(&sc, &opt, &watched, why, sizeof why), -1);
    assert_string_equal(why, "interrupted at 00:20:00 of simulated time");
    ss_results_free(&watched);
    ss_scenario_free(&sc);
}

/* A run of many events per 1% still looks up every SS_POLL_EVENTS events, so
 * an interrupt is heard within a stretch; the looking changes nothing. */
static void polls_within_a_stretch(void **state)
{
    static const char busy[] = "[simulation]\nduration = 1000s\nsample_interval = 1000s\n"
                               "[store]\nthreads = 100\n"
                               "[delivery]\nrate = 2000/s\nservice = exp(10ms)\n";
    struct ss_scenario sc;
    struct ss_results watched, plain;
    struct ss_sim_options opt;
    struct progress p = {0, -1, 0, 0, 0};
    char why[128];
    (void)state;
    load(&sc, busy);
    memset(&opt, 0, sizeof opt);
    opt.on_progress = on_progress;
    opt.progress_ctx = &p;
    assert_int_equal(ss_simulate(&sc, &opt, &watched, why, sizeof why), 0);
    assert_true(watched.events > 100 * 2 * SS_POLL_EVENTS); /* 40,000 events per 1% */
    assert_true(p.calls > 200);
    assert_true(p.widest <= SS_POLL_EVENTS);
    assert_int_equal(ss_simulate(&sc, NULL, &plain, why, sizeof why), 0);
    assert_int_equal(watched.events, plain.events);
    assert_int_equal(watched.delivery.delivered, plain.delivery.delivered);
    ss_results_free(&watched);
    ss_results_free(&plain);
    /* Stopped at the first look, well inside the first 1% (10s). */
    memset(&p, 0, sizeof p);
    p.stop_at = 1;
    assert_int_equal(ss_simulate(&sc, &opt, &watched, why, sizeof why), -1);
    assert_true(p.last < 10 * SS_SECOND);
    assert_string_equal(why, "interrupted at 00:00:04 of simulated time");
    ss_results_free(&watched);
    ss_scenario_free(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(symptoms_to_the_microsecond),
        cmocka_unit_test(hotfix_by_hand),
        cmocka_unit_test(samples_every_interval),
        cmocka_unit_test(owa_times_out_by_hand),
        cmocka_unit_test(progress_and_interruption),
        cmocka_unit_test(polls_within_a_stretch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
