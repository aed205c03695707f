/*
 * test_validation.c: the simulator against queueing theory, not against
 * itself.
 *
 * 1. M/M/c. A scenario with only local delivery - Poisson arrivals at rate
 *    lambda, exp(1s) service, c threads, no OWA, no moves, SMTP that never
 *    stops (smtp.max_backlog huge) and a starvation threshold that is never
 *    reached - is the M/M/c queue. Its mean wait for a thread is given by the
 *    Erlang C formula,
 *
 *        Wq = C(c, a) / (c mu - lambda),   a = lambda / mu, rho = a / c,
 *
 *    and the simulated mean wait (wait_us mean) of R independent runs must
 *    hold it inside its 95% confidence interval, for c = 1, 10, 100 at loads
 *    0.5 and 0.9. Each run starts empty; the runs are long enough (100,000 to
 *    180,000 messages) that the start-up bias is far below the interval.
 *
 *    When no message waits in any run (c = 100 at load 0.5, where theory
 *    expects one wait in about 3 x 10^9 messages) the interval is [0, 0]
 *    and cannot hold the tiny positive theory. The 95% question is then the
 *    same one asked another way: is seeing no wait among N messages
 *    consistent with the theory? It is when the chance of that,
 *    exp(-N C(c, a)), is at least 5%, that is N C(c, a) <= 3.
 *
 *    The runs are fixed by their seeds, so the test gives the same answer on
 *    every machine; the numbers are in docs/validation.md.
 *
 *    c = 10,000 (the event queue holds some 10,000 task ends at once) at
 *    load 0.99, where a message still waits with probability 0.22: at this
 *    size the queue moves as slowly, in seconds, as a small one, but each
 *    second is 20,000 events, so the runs are short (100 s) and the start-up
 *    from empty would bias them low by about 10%. Each replication therefore
 *    runs twice with the same seed, to 20 s and to 120 s: both see the same
 *    events up to 20 s (common random numbers), so the difference of their
 *    wait statistics is exactly the messages that started between 20 s and
 *    120 s, without the start-up. With so few seconds, the interval of the
 *    mean wait is wide (about +-35%); P(wait), which is Erlang C's C(c, a)
 *    itself, is checked against its own interval too. Under valgrind
 *    (STORESIM_SLOW_TOOLS=1) the case runs 2 replications of a few seconds
 *    and checks only that nothing leaks out of the model, no figure.
 *
 * 2. A hand-computed exhaustion time (below), hit to the microsecond.
 */
#include "testutil.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/replicate.h"
#include "storesim/scenario.h"
#include "storesim/sim.h"

/* ------------------------------------------------------------- Erlang C */

/* C(c, a): the probability that an arrival waits in M/M/c with offered load
 * a = lambda / mu < c. Through Erlang B, B(0) = 1,
 * B(k) = a B(k-1) / (k + a B(k-1)), which never overflows (unlike a^c / c!),
 * then C = B / (1 - rho (1 - B)). */
static double erlang_c(int c, double a)
{
    double b = 1.0, rho = a / c;
    int k;
    for (k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    return b / (1.0 - rho * (1.0 - b));
}

/* Known values: M/M/1 waits with probability rho; C(2, 1) = 1/3;
 * C(10, 5) = 0.0361054 (tables). */
static void erlang_c_known_values(void **state)
{
    (void)state;
    assert_true(fabs(erlang_c(1, 0.5) - 0.5) < 1e-12);
    assert_true(fabs(erlang_c(1, 0.9) - 0.9) < 1e-12);
    assert_true(fabs(erlang_c(2, 1.0) - 1.0 / 3.0) < 1e-12);
    assert_true(fabs(erlang_c(10, 5.0) - 0.0361054) < 1e-6);
    assert_true(erlang_c(100, 50.0) > 0 && erlang_c(100, 50.0) < 1e-9);
}

/* -------------------------------------------------------------- M/M/c */

struct mmc_case {
    int c;             /* threads */
    double rho;        /* load: lambda / (c mu) */
    long seconds;      /* length of each run */
};

#define REPLICATIONS 10

/* Each case has its own seed (1005 for c = 1 at load 0.5, ..., 100009), so
 * the six cases are independent: with one seed for all, they would draw the
 * same uniform numbers, scaled, and share one luck. */
static int case_seed(const struct mmc_case *k)
{
    return k->c * 1000 + (int)(k->rho * 10 + 0.5);
}

static void mmc(const struct mmc_case *k)
{
    char text[1024], why[128];
    struct ss_scenario sc;
    struct ss_results *res = malloc(sizeof *res);
    double lambda = k->rho * k->c, a = lambda; /* mu = 1/s */
    double C = erlang_c(k->c, a), theory = C / (k->c - lambda) * 1e6; /* microseconds */
    double mean[REPLICATIONS], waited = 0, messages = 0;
    struct ss_summary sum;
    int i, inside;

    assert_non_null(res);
    snprintf(text, sizeof text,
             "[simulation]\nduration = %lds\nseed = %d\n"
             "[store]\nthreads = %d\n"
             "[delivery]\nrate = %g/s\nservice = exp(1s)\nstarvation_threshold = 3650d\n"
             "[smtp]\nmax_backlog = 1000000000\nretry = 0\n",
             k->seconds, case_seed(k), k->c, lambda);
    testutil_scenario(&sc, "mmc.scn", text, NULL, 0);
    for (i = 0; i < REPLICATIONS; i++) {
        const struct ss_hist *h = &res->wait[SS_DELIVERY];
        sc.seed = ss_replication_seed((uint64_t)case_seed(k), i);
        assert_int_equal(ss_simulate(&sc, NULL, res, why, sizeof why), 0);
        /* Nothing may leak out of the M/M/c model. */
        assert_int_equal(res->delivery.refused, 0);
        assert_int_equal(res->symptom[SS_DELIVERY_STARVED], SS_NEVER);
        mean[i] = ss_hist_mean(h);
        messages += (double)h->count;
        waited += (double)(h->count - h->bucket[0]); /* bucket 0 holds the waits of 0us */
        ss_results_free(res);
    }
    ss_summarize(mean, REPLICATIONS, &sum);
    if (sum.half > 0)
        inside = fabs(sum.mean - theory) <= sum.half;
    else
        inside = waited == 0 && messages * C <= 3.0;
    /* The row of docs/validation.md. */
    printf("| %3d | %.1f | %10.4g | %10.6g %s %-8.4g | %-6s | %.4g | %.4g | %.0f |\n", k->c,
           k->rho, theory / 1e3, sum.mean / 1e3, "\302\261", sum.half / 1e3,
           inside ? "yes" : "NO", C, messages ? waited / messages : 0.0, messages);
    fflush(stdout);
    assert_true(inside);
    free(res);
    ss_scenario_free(&sc);
}

/* The head of the table the M/M/c cases print (a group setup, not a test:
 * it checks nothing). */
static int table_head(void **state)
{
    (void)state;
    printf("|   c | load | Wq theory (ms) | Wq simulated (ms) | inside | "
           "P(wait) theory | P(wait) simulated | messages |\n");
    return 0;
}

#define MMC(name, c, rho, seconds)                  \
    static void name(void **state)                  \
    {                                               \
        static const struct mmc_case k = {c, rho, seconds}; \
        (void)state;                                \
        mmc(&k);                                    \
    }

/* Each run offers 100,000 (load 0.5) or 180,000 (load 0.9) messages. */
MMC(mm1_half, 1, 0.5, 200000)
MMC(mm1_busy, 1, 0.9, 200000)
MMC(mm10_half, 10, 0.5, 20000)
MMC(mm10_busy, 10, 0.9, 20000)
MMC(mm100_half, 100, 0.5, 2000)
MMC(mm100_busy, 100, 0.9, 2000)

/* The sample a run takes at the end of the warm-up. */
struct at_warmup {
    ss_time when;
    struct ss_sample sample;
    int seen;
};

static void keep_warmup_sample(void *ctx, const struct ss_sample *sample)
{
    struct at_warmup *w = ctx;
    if (sample->time == w->when) {
        w->sample = *sample;
        w->seen++;
    }
}

/* M/M/c at c = 10,000, load 0.99, with the start-up cut off (above). */
static void mm10000_busy(void **state)
{
    static const struct mmc_case k = {10000, 0.99, 100};
    const long warmup = 20;
    bool slow_tools = getenv("STORESIM_SLOW_TOOLS") != NULL;
    int reps = slow_tools ? 2 : REPLICATIONS, i, pass;
    long warm = slow_tools ? 1 : warmup, seconds = slow_tools ? 2 : k.seconds;
    struct ss_results *res = malloc(sizeof *res);
    double lambda = k.rho * k.c, C = erlang_c(k.c, lambda), theory = C / (k.c - lambda) * 1e6;
    double mean[REPLICATIONS], p_wait[REPLICATIONS], messages = 0;
    struct ss_summary sum, sum_p;
    bool inside, inside_p;
    (void)state;
    assert_non_null(res);
    for (i = 0; i < reps; i++) {
        double w_sum[2], w_count[2], w_waited[2];
        struct at_warmup seen[2];
        for (pass = 0; pass < 2; pass++) {
            char text[1024], why[128];
            struct ss_scenario sc;
            struct ss_error err;
            struct ss_sim_options opt;
            const struct ss_hist *h = &res->wait[SS_DELIVERY];
            memset(&opt, 0, sizeof opt);
            memset(&seen[pass], 0, sizeof seen[pass]);
            seen[pass].when = warm * SS_SECOND;
            opt.on_sample = keep_warmup_sample;
            opt.sample_ctx = &seen[pass];
            snprintf(text, sizeof text,
                     "[simulation]\nduration = %lds\nseed = %d\nsample_interval = %lds\n"
                     "[store]\nthreads = %d\n"
                     "[delivery]\nrate = %g/s\nservice = exp(1s)\nstarvation_threshold = 3650d\n"
                     "[smtp]\nmax_backlog = 1000000000\nretry = 0\n",
                     pass == 0 ? warm : warm + seconds, case_seed(&k), warm, k.c, lambda);
            if (ss_scenario_parse("mmc.scn", text, strlen(text), NULL, 0, &sc, &err) != 0)
                fail_msg("%s", err.text);
            sc.seed = ss_replication_seed((uint64_t)case_seed(&k), i);
            assert_int_equal(ss_simulate(&sc, &opt, res, why, sizeof why), 0);
            assert_int_equal(res->delivery.refused, 0);
            assert_int_equal(res->symptom[SS_DELIVERY_STARVED], SS_NEVER);
            assert_true(seen[pass].seen >= 1);
            w_sum[pass] = h->sum;
            w_count[pass] = (double)h->count;
            w_waited[pass] = (double)(h->count - h->bucket[0]);
            ss_results_free(res);
            ss_scenario_free(&sc);
        }
        /* The same events up to the warm-up: both runs were in the same state
         * then, and the longer one went on. */
        assert_int_equal(seen[0].sample.delivered, seen[1].sample.delivered);
        assert_int_equal(seen[0].sample.busy[SS_DELIVERY], seen[1].sample.busy[SS_DELIVERY]);
        assert_int_equal(seen[0].sample.backlog, seen[1].sample.backlog);
        assert_true(w_count[1] > w_count[0] && w_sum[1] >= w_sum[0]);
        mean[i] = (w_sum[1] - w_sum[0]) / (w_count[1] - w_count[0]);
        p_wait[i] = (w_waited[1] - w_waited[0]) / (w_count[1] - w_count[0]);
        messages += w_count[1] - w_count[0];
    }
    free(res);
    if (slow_tools) {
        printf("| %3d | %.2f | (under valgrind: %d short runs, no figure checked) |\n", k.c, k.rho,
               reps);
        return;
    }
    ss_summarize(mean, reps, &sum);
    ss_summarize(p_wait, reps, &sum_p);
    inside = fabs(sum.mean - theory) <= sum.half;
    inside_p = fabs(sum_p.mean - C) <= sum_p.half;
    printf("| %3d | %.2f | %10.4g | %10.6g %s %-8.4g | %-6s | %.4g | %.4g %s %.2g (%s) | %.0f |\n",
           k.c, k.rho, theory / 1e3, sum.mean / 1e3, "\302\261", sum.half / 1e3,
           inside ? "yes" : "NO", C, sum_p.mean, "\302\261", sum_p.half, inside_p ? "inside" : "NOT inside",
           messages);
    fflush(stdout);
    assert_true(inside);
    assert_true(inside_p);
}

/* ------------------------------------------------------------ by hand */

/*
 * No randomness: a message arrives every second (at 1s, 2s, ...) and holds
 * a thread for 1.3s, so at any instant whose fraction of a second is below
 * 0.3 two messages are on threads, otherwise one. Nine threads. The MTA is
 * disabled (each flush holds its thread for 150m); six mailboxes are moved,
 * two at a time, from 30.25s, each move holding a thread for 2m.
 *
 *    30.25s  moves 1, 2 and flushes 1, 2 start; messages 29 (ends 30.3s)
 *            and 30 are on threads: 6 of 9 busy.
 *   150.25s  moves 1, 2 end; moves 3, 4 and flushes 3, 4 start:
 *            4 flushes + 2 moves + messages 149 and 150 = 8 of 9 busy.
 *   270.25s  4 flushes + moves 3, 4 + messages 269 and 270 = 8 busy.
 *            Move 3 ends (7), move 5 starts (8), flush 5 starts (9);
 *            move 4 ends (8), move 6 starts (9), and flush 6 finds no
 *            thread: POOL EXHAUSTED at 270.25s = 270,250,000us.
 *   270.30s  message 269 ends; flush 6 takes its thread (waited 50ms).
 *            6 flushes and 2 moves hold 8 threads: one is left for mail.
 *   271s ..  message k >= 271 waits: message 270 ends at 271.3s, then one
 *            message every 1.3s while one arrives every second.
 *            271 starts at 271.3s (waited 0.3s), 272 at 272.6s (0.6s),
 *            273 at 273.9s (0.9s); 274 would start at 275.2s.
 *   275s     the end: 275 messages arrived, 1..272 delivered (272 ended at
 *            273.9s, 273 ends at 275.2s); 273 on a thread and 274, 275
 *            waiting: 3 queued, the largest backlog 2 (274 and 275).
 */
static const char by_hand[] =
    "[simulation]\nduration = 4m35s\n"
    "[store]\nthreads = 9\n"
    "[mta]\nenabled = false\nflush_timeout = 150m\n"
    "[move pair]\nmailboxes = 6\nconcurrency = 2\nstart = 30s250ms\nduration = 2m\n"
    "[delivery]\nrate = 1/s\narrivals = regular\nservice = 1300ms\n";

#define US(seconds) ((ss_time)((seconds) * 1e6 + 0.5))

static void exhaustion_by_hand(void **state)
{
    struct ss_scenario sc;
    struct ss_results res;
    char why[64];
    int s;
    (void)state;
    testutil_scenario(&sc, "by-hand.scn", by_hand, NULL, 0);
    assert_int_equal(ss_simulate(&sc, NULL, &res, why, sizeof why), 0);
    assert_int_equal(res.symptom[SS_POOL_EXHAUSTED], 270250000);
    for (s = SS_DELIVERY_STARVED; s < SS_SYMPTOMS; s++)
        assert_int_equal(res.symptom[s], SS_NEVER);
    assert_int_equal(res.first_flush_registered, US(30.25));
    assert_int_equal(res.wait[SS_FLUSH].max, US(0.05));
    assert_int_equal(res.wait[SS_MOVE].max, 0);
    assert_int_equal(res.wait[SS_DELIVERY].max, US(0.9));
    assert_int_equal(res.pool.max_busy, 9);
    assert_int_equal(res.moves.submitted, 6);
    assert_int_equal(res.moves.completed, 4);
    assert_int_equal(res.flushes.registered, 6);
    assert_int_equal(res.flushes.timed_out, 0);
    assert_int_equal(res.delivery.arrived, 275);
    assert_int_equal(res.delivery.delivered, 272);
    assert_int_equal(res.delivery.queued, 3);
    assert_int_equal(res.max_backlog, 2);
    ss_results_free(&res);

    /* One thread more and nothing ever waits: the pool never runs dry. */
    ss_scenario_free(&sc);
    {
        const char *more[] = {"store.threads=10"};
        testutil_scenario(&sc, "by-hand.scn", by_hand, more, 1);
    }
    assert_int_equal(ss_simulate(&sc, NULL, &res, why, sizeof why), 0);
    assert_int_equal(res.symptom[SS_POOL_EXHAUSTED], SS_NEVER);
    assert_int_equal(res.pool.max_busy, 10);
    ss_results_free(&res);
    ss_scenario_free(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(erlang_c_known_values),
        cmocka_unit_test(exhaustion_by_hand),
        cmocka_unit_test(mm1_half),
        cmocka_unit_test(mm1_busy),
        cmocka_unit_test(mm10_half),
        cmocka_unit_test(mm10_busy),
        cmocka_unit_test(mm100_half),
        cmocka_unit_test(mm100_busy),
        cmocka_unit_test(mm10000_busy),
    };
    return cmocka_run_group_tests(tests, table_head, NULL);
}
