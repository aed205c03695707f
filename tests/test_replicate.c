/*
 * test_replicate.c: replications, Student t intervals, paired comparisons.
 */
#include "testutil.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/replicate.h"
#include "storesim/replicate_report.h"
#include "storesim/report.h"
#include "storesim/scenario.h"
#include "storesim/sim.h"

/* A small stochastic scenario: Poisson arrivals, exponential service. */
static const char small[] =
    "[simulation]\nduration = 20m\nseed = 42\n"
    "[store]\nthreads = 4\n"
    "[delivery]\nrate = 5/s\nservice = exp(500ms)\n"
    "[owa]\nrate = 1/s\nservice = exp(200ms)\n";

static void parse(struct ss_scenario *sc, const char *text)
{
    testutil_scenario(sc, "small.scn", text, NULL, 0);
}

/* The row of a total in the table of totals. */
static size_t row(const char *key)
{
    int i = ss_total_find(key);
    if (i < 0)
        fail_msg("no total %s", key);
    return (size_t)i;
}

/* What `--replications` does: the runs, their JSON as they go (json may be
 * NULL) and the text report (text may be NULL). Returns ss_replicate's. */
static int replicate(const struct ss_scenario *sc, int replications, bool compare, FILE *text,
                     struct ss_json *json, char *why, size_t why_size)
{
    struct ss_replication rq;
    struct ss_replication_json w;
    struct ss_replicated done;
    int rc;
    memset(&rq, 0, sizeof rq);
    rq.sc = sc;
    rq.replications = replications;
    rq.compare = compare;
    if (json) {
        ss_replication_json_begin(&w, json, &rq);
        rq.on_run = ss_replication_json_run;
        rq.ctx = &w;
    }
    rc = ss_replicate(&rq, &done, why, why_size);
    if (rc == 0 && json)
        ss_replication_json_end(&w, &done);
    if (rc == 0 && text)
        ss_replication_text(text, &rq, &done);
    ss_replicated_free(&done);
    return rc;
}

/* ------------------------------------------------------------ Student t */

static void student_t_quantiles(void **state)
{
    int df;
    (void)state;
    assert_true(fabs(ss_student_t975(1) - 12.706) < 5e-4);
    assert_true(fabs(ss_student_t975(2) - 4.303) < 5e-4);
    assert_true(fabs(ss_student_t975(9) - 2.262) < 5e-4);
    assert_true(fabs(ss_student_t975(10) - 2.228) < 5e-4);
    assert_true(fabs(ss_student_t975(30) - 2.042) < 5e-4);
    /* Beyond the table, the expansion (exact values to 9 digits). */
    assert_true(fabs(ss_student_t975(31) - 2.03951345) < 1e-7);
    assert_true(fabs(ss_student_t975(40) - 2.02107539) < 1e-7);
    assert_true(fabs(ss_student_t975(120) - 1.97993041) < 1e-7);
    assert_true(fabs(ss_student_t975(1000000) - 1.96) < 1e-4);
    /* Falls with every degree of freedom, towards the normal 1.959964. */
    for (df = 1; df < 2000; df++)
        assert_true(ss_student_t975(df + 1) < ss_student_t975(df));
    assert_true(ss_student_t975(2000) > 1.959964);
}

/* -------------------------------------------------------------- summary */

static void summarize_known_data(void **state)
{
    static const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
    static const double same[] = {3.25, 3.25, 3.25};
    struct ss_summary s;
    (void)state;
    /* Mean 5, sample variance 32 / 7, t(7) = 2.36462425:
     * half = 2.36462425 x sqrt(32 / 7) / sqrt(8) = 1.7874879. */
    ss_summarize(x, 8, &s);
    assert_int_equal(s.n, 8);
    assert_true(fabs(s.mean - 5.0) < 1e-12);
    assert_true(fabs(s.half - 1.7874879) < 1e-6);
    /* Two values: t(1) = 12.706, sd = |a - b| / sqrt(2). */
    ss_summarize(x + 6, 2, &s);
    assert_true(fabs(s.mean - 8.0) < 1e-12);
    assert_true(fabs(s.half - 12.7062047 * sqrt(2.0) / sqrt(2.0)) < 1e-6);
    /* One value: no interval; none: zeros. */
    ss_summarize(x + 7, 1, &s);
    assert_int_equal(s.n, 1);
    assert_true(s.mean == 9.0 && s.half == 0.0);
    ss_summarize(x, 0, &s);
    assert_true(s.n == 0 && s.mean == 0.0 && s.half == 0.0);
    /* Identical runs (a deterministic scenario): exactly no spread. */
    ss_summarize(same, 3, &s);
    assert_true(s.mean == 3.25 && s.half == 0.0);
}

/* Symptom differences count only the runs where the symptom happened in both. */
static void difference_pairs_runs(void **state)
{
    struct ss_run_metrics b[3], a[3];
    struct ss_metrics_summary d, sb;
    size_t delivered = row("delivery.delivered");
    int i, s;
    (void)state;
    memset(b, 0, sizeof b);
    memset(a, 0, sizeof a);
    for (i = 0; i < 3; i++)
        for (s = 0; s < SS_SYMPTOMS; s++)
            b[i].symptom[s] = a[i].symptom[s] = SS_NEVER;
    b[0].symptom[SS_POOL_EXHAUSTED] = 100;
    a[0].symptom[SS_POOL_EXHAUSTED] = 130;
    b[1].symptom[SS_POOL_EXHAUSTED] = 200;
    a[1].symptom[SS_POOL_EXHAUSTED] = 250;
    b[2].symptom[SS_POOL_EXHAUSTED] = 300; /* never after: not paired */
    b[0].total[delivered] = 10;
    a[0].total[delivered] = 15;
    b[1].total[delivered] = 20;
    a[1].total[delivered] = 23;
    b[2].total[delivered] = 30;
    a[2].total[delivered] = 34;
    ss_metrics_difference(b, a, 3, &d);
    assert_int_equal(d.symptom[SS_POOL_EXHAUSTED].n, 2);
    assert_true(d.symptom[SS_POOL_EXHAUSTED].mean == 40.0);
    assert_int_equal(d.symptom[SS_DELIVERY_STARVED].n, 0);
    assert_int_equal(d.total[delivered].n, 3);
    assert_true(fabs(d.total[delivered].mean - 4.0) < 1e-12);
    /* Differences 5, 3, 4: sd 1, half = t(2) / sqrt(3). */
    assert_true(fabs(d.total[delivered].half - 4.30265273 / sqrt(3.0)) < 1e-6);
    ss_metrics_summarize(b, 3, &sb);
    assert_int_equal(sb.symptom[SS_POOL_EXHAUSTED].n, 3);
    assert_true(sb.symptom[SS_POOL_EXHAUSTED].mean == 200.0);
}

/* ---------------------------------------------------------------- seeds */

static void replication_seeds(void **state)
{
    uint64_t seen[1000];
    int i, j;
    (void)state;
    assert_true(ss_replication_seed(924567, 0) == 924567);
    assert_true(ss_replication_seed(0, 0) == 0);
    /* The first splitmix64 output from 0 (Steele, Lea and Flood's test value). */
    assert_true(ss_replication_seed(0, 1) == UINT64_C(0xe220a8397b1dcdaf));
    for (i = 0; i < 1000; i++) {
        seen[i] = ss_replication_seed(1, i);
        for (j = 0; j < i; j++)
            assert_true(seen[i] != seen[j]);
    }
    /* Neighbouring scenario seeds do not give neighbouring replications. */
    assert_true(ss_replication_seed(1, 1) != ss_replication_seed(2, 1));
    assert_true(ss_replication_seed(1, 2) != ss_replication_seed(2, 1));
}

/* ----------------------------------------------------------------- runs */

/* The file's contents without any blank or newline, so that the same JSON
 * at another depth of indentation compares equal. */
static char *squeezed(const char *path)
{
    char *text = testutil_slurp(path, NULL), *o, *p;
    assert_non_null(text);
    for (o = p = text; *p; p++)
        if (*p != ' ' && *p != '\n')
            *o++ = *p;
    *o = '\0';
    return text;
}

/* One replication is the plain run: same seed, same JSON. */
static void one_replication_is_a_plain_run(void **state)
{
    struct ss_scenario sc;
    struct ss_results *res = malloc(sizeof *res);
    struct ss_json j;
    char why[128], plain_path[1024], rep_path[1024], *plain, *rep;
    FILE *f;
    (void)state;
    assert_non_null(res);
    parse(&sc, small);
    strcpy(plain_path, testutil_tmp("replicate-plain.json"));
    strcpy(rep_path, testutil_tmp("replicate-one.json"));

    assert_int_equal(ss_simulate(&sc, NULL, res, why, sizeof why), 0);
    f = fopen(plain_path, "w");
    assert_non_null(f);
    ss_json_init(&j, f);
    ss_report_json(&j, NULL, &sc, res);
    ss_json_end(&j);
    fclose(f);
    ss_results_free(res);

    f = fopen(rep_path, "w");
    assert_non_null(f);
    ss_json_init(&j, f);
    assert_int_equal(replicate(&sc, 1, false, NULL, &j, why, sizeof why), 0);
    ss_json_end(&j);
    fclose(f);

    plain = squeezed(plain_path);
    rep = squeezed(rep_path);
    {
        static const char start[] = "{\"replications\":1,\"runs\":[{";
        assert_true(strncmp(rep, start, strlen(start)) == 0);
    }
    assert_non_null(strstr(rep, plain));
    assert_non_null(strstr(rep, "\"summary\":{\"confidence\":0.95,"));
    /* With one run there is no interval. */
    assert_non_null(strstr(rep, "\"delivery.arrived\":{\"mean\":"));
    assert_non_null(strstr(rep, ",\"half_width\":null}"));
    free(plain);
    free(rep);
    free(res);
    ss_scenario_free(&sc);
}

/* R runs draw different numbers; run i is the plain run with seed i. */
static void replications_differ(void **state)
{
    struct ss_scenario sc, one;
    struct ss_run_metrics runs[4], plain;
    struct ss_results *res = malloc(sizeof *res);
    char why[128];
    size_t arrived = row("delivery.arrived"), wait = row("delivery.wait_us.mean"), t;
    int i, k;
    (void)state;
    assert_non_null(res);
    parse(&sc, small);
    assert_int_equal(ss_replicate_runs(&sc, 4, runs, NULL, why, sizeof why), 0);
    for (i = 0; i < 4; i++) {
        assert_true(runs[i].seed == ss_replication_seed(42, i));
        assert_true(runs[i].total[arrived] > 5000 && runs[i].total[arrived] < 7000);
        for (k = 0; k < i; k++) {
            assert_true(runs[i].total[arrived] != runs[k].total[arrived]);
            assert_true(runs[i].total[wait] != runs[k].total[wait]);
        }
    }
    parse(&one, small);
    one.seed = ss_replication_seed(42, 3);
    assert_int_equal(ss_simulate(&one, NULL, res, why, sizeof why), 0);
    ss_run_metrics_of(res, one.seed, &plain);
    ss_results_free(res);
    assert_true(plain.events == runs[3].events);
    for (t = 0; t < ss_totals_count(); t++)
        assert_true(plain.total[t] == runs[3].total[t]);
    for (k = 0; k < SS_SYMPTOMS; k++)
        assert_true(plain.symptom[k] == runs[3].symptom[k]);
    free(res);
    ss_scenario_free(&one);
    ss_scenario_free(&sc);
}

/* The number after `"key": ` at or after `from`. */
static double number_after(const char *from, const char *key)
{
    char quoted[128];
    const char *p;
    snprintf(quoted, sizeof quoted, "\"%s\":", key);
    p = strstr(from, quoted);
    if (!p)
        fail_msg("no %s in the JSON", quoted);
    return strtod(p + strlen(quoted), NULL);
}

#define R 3

/* compare: run i before and run i after share a seed; the difference is
 * summarised run by run, and it is the same as after - before of plain runs. */
static void compare_difference_is_paired(void **state)
{
    static const char *const shorter[] = {"simulation.duration=1h"};
    struct ss_scenario sc, one;
    struct ss_results *res = malloc(sizeof *res);
    struct ss_run_metrics m[2][R];
    struct ss_json j;
    struct ss_summary want;
    double diff[R];
    char why[128], path[1024], *json, *report;
    const char *d, *t;
    int i, side;
    static const char *const checked[] = {"delivery.delivered", "owa.served", "starved_us",
                                          "flushes.registered", "delivery.wait_us.mean"};
    size_t c;
    FILE *f, *text;
    (void)state;
    assert_non_null(res);
    testutil_scenario_file(&sc, "scenarios/kb924567.scn", shorter, 1);

    /* The pairs by hand, with plain runs. */
    for (side = 0; side < 2; side++)
        for (i = 0; i < R; i++) {
            assert_int_equal(ss_scenario_copy(&one, &sc), 0);
            one.hotfix = side == 1;
            one.seed = ss_replication_seed(sc.seed, i);
            assert_int_equal(ss_simulate(&one, NULL, res, why, sizeof why), 0);
            ss_run_metrics_of(res, one.seed, &m[side][i]);
            ss_results_free(res);
            ss_scenario_free(&one);
        }

    strcpy(path, testutil_tmp("replicate-compare.json"));
    f = fopen(path, "w");
    text = fopen(testutil_tmp("replicate-compare.txt"), "w");
    assert_non_null(f);
    assert_non_null(text);
    ss_json_init(&j, f);
    assert_int_equal(replicate(&sc, R, true, text, &j, why, sizeof why), 0);
    ss_json_end(&j);
    fclose(f);
    fclose(text);
    json = testutil_slurp(path, NULL);
    report = testutil_slurp(testutil_tmp("replicate-compare.txt"), NULL);
    assert_non_null(json);
    assert_non_null(report);

    assert_true(number_after(json, "replications") == R);
    d = strstr(json, "\"difference\":");
    assert_non_null(d);
    for (c = 0; c < sizeof checked / sizeof checked[0]; c++) {
        size_t k = row(checked[c]);
        for (i = 0; i < R; i++)
            diff[i] = m[1][i].total[k] - m[0][i].total[k];
        ss_summarize(diff, R, &want);
        t = strstr(d, checked[c]);
        assert_non_null(t);
        assert_true(fabs(number_after(t, "mean") - want.mean) <= 1e-9 * (1 + fabs(want.mean)));
        assert_true(fabs(number_after(t, "half_width") - want.half) <=
                    1e-9 * (1 + fabs(want.half)));
    }
    /* The hotfix changes nothing in what arrives (common random numbers):
     * arrivals vary from run to run, but not between the two of a pair. */
    t = strstr(d, "\"delivery.arrived\"");
    assert_non_null(t);
    assert_true(number_after(t, "mean") == 0 && number_after(t, "half_width") == 0);
    t = strstr(json, "\"before\":");
    assert_non_null(t);
    t = strstr(t, "\"summary\":");
    assert_non_null(t);
    t = strstr(t, "\"delivery.arrived\"");
    assert_non_null(t);
    assert_true(number_after(t, "half_width") > 0);
    /* Delivery starves in every run before, in none after. */
    t = strstr(d, "\"delivery_starved\"");
    assert_non_null(t);
    assert_true(number_after(t, "runs_before") == R);
    assert_true(number_after(t, "runs_after") == 0);
    for (i = 0; i < R; i++) {
        assert_true(m[0][i].symptom[SS_DELIVERY_STARVED] != SS_NEVER);
        assert_true(m[1][i].symptom[SS_DELIVERY_STARVED] == SS_NEVER);
    }

    /* The report, for a trainer. */
    assert_non_null(strstr(report, "How to read:"));
    assert_non_null(strstr(report, "Delivery starved     before  in 3 of 3 runs, at "));
    assert_non_null(strstr(report, "after   never in 3 runs"));
    assert_non_null(strstr(report, "after - before"));
    assert_non_null(strstr(report, "\302\261"));
    free(json);
    free(report);
    free(res);
    ss_scenario_free(&sc);
}

/* A deterministic scenario: every replication is the same, the interval 0. */
static void deterministic_runs_agree(void **state)
{
    static const char regular[] =
        "[simulation]\nduration = 10m\n[store]\nthreads = 1\n"
        "[delivery]\nrate = 1/s\narrivals = regular\nservice = 1500ms\n";
    struct ss_scenario sc;
    char why[128], *report;
    FILE *f;
    (void)state;
    parse(&sc, regular);
    f = fopen(testutil_tmp("replicate-regular.txt"), "w");
    assert_non_null(f);
    assert_int_equal(replicate(&sc, 3, false, f, NULL, why, sizeof why), 0);
    fclose(f);
    report = testutil_slurp(testutil_tmp("replicate-regular.txt"), NULL);
    assert_non_null(report);
    /* One thread, a message a second needing 1.5s: message k starts at
     * 1s + 1.5s (k - 1), after waiting 0.5s (k - 1). The pool is exhausted
     * when message 2 arrives (2s); message 122, which would start at 182.5s,
     * has waited 60s at 182s. The same in every run: no spread. */
    assert_non_null(strstr(report, "Pool exhausted       in 3 of 3 runs, at 00:00:02 "
                                   "\302\261 00:00:00\n"));
    assert_non_null(strstr(report, "Delivery starved     in 3 of 3 runs, at 00:03:02 "
                                   "\302\261 00:00:00\n"));
    assert_non_null(strstr(report, "Messages arrived           600 \302\261 0\n"));
    assert_non_null(strstr(report, "OWA unresponsive     never in 3 runs\n"));
    free(report);
    ss_scenario_free(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(student_t_quantiles),
        cmocka_unit_test(summarize_known_data),
        cmocka_unit_test(difference_pairs_runs),
        cmocka_unit_test(replication_seeds),
        cmocka_unit_test(one_replication_is_a_plain_run),
        cmocka_unit_test(replications_differ),
        cmocka_unit_test(compare_difference_is_paired),
        cmocka_unit_test(deterministic_runs_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
