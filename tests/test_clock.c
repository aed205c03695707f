/*
 * test_clock.c: clock times in and out, daily loads, and the warnings of a
 * run that misses the point.
 */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"
#include "storesim/profile.h"
#include "storesim/value.h"

#define S(x) ((ss_time)((x) * 1e6 + 0.5))

static const struct ss_clock at_21 = {true, 21 * SS_HOUR};

static ss_time instant(const char *text, const struct ss_clock *c)
{
    char err[SS_ERR_TEXT];
    ss_time t = -1;
    if (ss_parse_instant(text, c, &t, err) != 0)
        fail_msg("'%s': %s", text, err);
    return t;
}

static void instant_refused(const char *text, const struct ss_clock *c, const char *says)
{
    char err[SS_ERR_TEXT] = "";
    ss_time t;
    if (ss_parse_instant(text, c, &t, err) == 0)
        fail_msg("'%s' was accepted", text);
    if (!strstr(err, says))
        fail_msg("'%s': expected \"%s\" in: %s", text, says, err);
}

static void points_in_time(void **state)
{
    (void)state;
    /* Durations, and times counted from the start without a clock. */
    assert_int_equal(instant("1h30m", NULL), 90 * SS_MINUTE);
    assert_int_equal(instant("22:00", NULL), 22 * SS_HOUR);
    assert_int_equal(instant("00:40:00", NULL), 40 * SS_MINUTE);
    assert_int_equal(instant("25:10:00", NULL), 25 * SS_HOUR + 10 * SS_MINUTE);
    assert_int_equal(instant("01:00:00+1d", NULL), 25 * SS_HOUR);
    assert_int_equal(instant("00:40:00.250", NULL), 40 * SS_MINUTE + 250 * SS_MS);
    /* On a clock that starts at 21:00: the next time it shows the time. */
    assert_int_equal(instant("21:00", &at_21), 0);
    assert_int_equal(instant("22:00", &at_21), SS_HOUR);
    assert_int_equal(instant("07:00", &at_21), 10 * SS_HOUR);
    assert_int_equal(instant("07:00:00+1d", &at_21), 10 * SS_HOUR);
    assert_int_equal(instant("20:59", &at_21), 23 * SS_HOUR + 59 * SS_MINUTE);
    assert_int_equal(instant("22:00+1d", &at_21), 25 * SS_HOUR);
    assert_int_equal(instant("3h", &at_21), 3 * SS_HOUR); /* a duration stays one */
    instant_refused("20:00+0d", &at_21, "before the run starts");
    instant_refused("25:00", &at_21, "the hours go from 00 to 23");
    instant_refused("22:60", NULL, "the minutes must be two digits");
    instant_refused("22:00+x", NULL, "+1d for the next day");
    instant_refused("22:00 tonight", NULL, "unexpected");
    instant_refused("22", NULL, "no unit");
    instant_refused("22:0", NULL, "the minutes must be two digits");
}

static void clock_text_reads_back(void **state)
{
    char buf[SS_TIME_TEXT];
    static const ss_time times[] = {0, SS_HOUR, 3 * SS_HOUR, 3 * SS_HOUR + 1, 27 * SS_HOUR,
                                    10 * SS_HOUR + 123 * SS_MS, 50 * SS_DAY + 7};
    size_t i;
    (void)state;
    assert_string_equal(ss_clock_hms(buf, &at_21, 0), "21:00:00");
    assert_string_equal(ss_clock_hms(buf, &at_21, 3 * SS_HOUR), "00:00:00+1d");
    assert_string_equal(ss_clock_hms(buf, &at_21, 27 * SS_HOUR), "00:00:00+2d");
    assert_string_equal(ss_clock_hms_ms(buf, &at_21, 10 * SS_HOUR + 123 * SS_MS),
                        "07:00:00.123+1d");
    assert_string_equal(ss_clock_hm(buf, &at_21, SS_HOUR), "22:00");
    assert_string_equal(ss_clock_hms(buf, NULL, 25 * SS_HOUR), "25:00:00");
    /* What the report and the trace write, typed back, is the same instant
     * (to the second, and to the millisecond). */
    for (i = 0; i < sizeof times / sizeof times[0]; i++) {
        assert_int_equal(instant(ss_clock_hms(buf, &at_21, times[i]), &at_21),
                         times[i] / SS_SECOND * SS_SECOND);
        assert_int_equal(instant(ss_clock_hms_ms(buf, &at_21, times[i]), &at_21),
                         times[i] / SS_MS * SS_MS);
        assert_int_equal(instant(ss_clock_hms_ms(buf, NULL, times[i]), NULL),
                         times[i] / SS_MS * SS_MS);
    }
}

/* ---- profiles -------------------------------------------------------- */

static struct ss_profile profile(const char *text)
{
    struct ss_profile p;
    char err[SS_ERR_TEXT];
    if (ss_parse_profile(text, &p, err) != 0)
        fail_msg("'%s': %s", text, err);
    return p;
}

static void profile_refused(const char *text, const char *says)
{
    struct ss_profile p;
    char err[SS_ERR_TEXT] = "";
    if (ss_parse_profile(text, &p, err) == 0)
        fail_msg("'%s' was accepted", text);
    if (!strstr(err, says))
        fail_msg("'%s': expected \"%s\" in: %s", text, says, err);
}

static void profiles_read_and_write(void **state)
{
    struct ss_profile p = profile("07:00 25/s, 18:00 8/s, 22:00 2/s");
    char buf[256];
    ss_time until;
    (void)state;
    assert_int_equal(p.n, 3);
    assert_true(p.daily);
    assert_int_equal(p.at[1], 18 * SS_HOUR);
    assert_true(p.rate[2].per_second == 2.0);
    assert_string_equal(ss_profile_text(buf, sizeof buf, &p), "07:00 25/s, 18:00 8/s, 22:00 2/s");
    assert_string_equal(ss_profile_words(buf, sizeof buf, &p),
                        "25/s from 07:00, 8/s from 18:00 and 2/s from 22:00");
    assert_true(ss_profile_peak(&p) == 25.0);
    /* Before 07:00 the day's last rate holds, from 22:00 the night before. */
    assert_int_equal(ss_profile_segment(&p, NULL, 3 * SS_HOUR, &until), 2);
    assert_int_equal(until, 7 * SS_HOUR);
    assert_int_equal(ss_profile_segment(&p, &at_21, 0, &until), 1); /* 21:00: 8/s */
    assert_int_equal(until, SS_HOUR);
    /* One day: 9h x 2/s + 11h x 25/s + 4h x 8/s. */
    assert_true(fabs(ss_profile_count(&p, NULL, 0, SS_DAY) - (9 * 3600 * 2.0 + 11 * 3600 * 25.0 +
                                                              4 * 3600 * 8.0)) < 1e-6);
    assert_true(fabs(ss_profile_count(&p, NULL, 0, 3 * SS_DAY + SS_HOUR) -
                     (3 * (9 * 3600 * 2.0 + 11 * 3600 * 25.0 + 4 * 3600 * 8.0) + 3600 * 2.0)) <
                1e-3);
    p = profile("20/s");
    assert_false(p.daily);
    assert_string_equal(ss_profile_text(buf, sizeof buf, &p), "20/s");
    profile_refused("07:00 25/s; 18:00 8/s", "separate its rates with commas");
    profile_refused("07:00, 18:00 8/s", "is not a daily profile");
    profile_refused("25:00 1/s", "the hours go from 00 to 23");
    profile_refused("18:00 1/s, 07:00 2/s", "must increase through the day");
    profile_refused("07:00 1/s, 07:00 2/s", "must increase through the day");
    profile_refused("07:00 fast", "is not a rate");
}

/* Regular arrivals follow the profile: the rate's integral reaches 1 at each
 * arrival. 1/s until 00:00:10.5, then 2/s: arrivals at 1..10 s; the next has
 * 0.5 left at 10.5 s, at 2/s a quarter second: 10.75 s, then every 0.5 s. */
static void regular_profile_by_hand(void **state)
{
    struct ss_scenario sc;
    struct arrivals a;
    struct ss_profile p = profile("00:00 1/s, 00:00:10.5 2/s");
    int k;
    (void)state;
    memset(&sc, 0, sizeof sc);
    assert_true(arrivals_init(&a, &sc, "test", true, &p, true));
    for (k = 1; k <= 10; k++)
        assert_int_equal(arrivals_next(&a), k * SS_SECOND);
    assert_int_equal(arrivals_next(&a), S(10.75));
    assert_int_equal(arrivals_next(&a), S(11.25));
    /* Back to 1/s the next day at 00:00: 24h x 2/s ... its last arrival at
     * 23:59:59.75; at midnight 0.5 is owed, at 1/s: 00:00:00.5 of day 2. */
    for (k = 0; k < 5000000; k++) {
        ss_time t = arrivals_next(&a);
        if (t >= SS_DAY) {
            assert_int_equal(t, SS_DAY + S(0.5));
            return;
        }
    }
    fail_msg("no arrival on the second day");
}

/* Poisson arrivals follow it too: hour by hour, over 10 seeds, the count is
 * within the 99% interval of a Poisson count with the profile's mean. */
static void poisson_profile_counts(void **state)
{
    static const char text[] =
        "[simulation]\nduration = 24h\nsample_interval = 1h\nseed = %d\nclock = 21:00\n"
        "[store]\nthreads = 100000\n"
        "[delivery]\nrate = 07:00 1/s, 18:00 0.3/s, 22:00 0.1/s\nservice = 0s\n";
    struct ss_profile p = profile("07:00 1/s, 18:00 0.3/s, 22:00 0.1/s");
    double count[24] = {0}, last = 0;
    int seed, h;
    (void)state;
    for (seed = 1; seed <= 10; seed++) {
        char scn[512], *csv, *line;
        const char *path = testutil_tmp("clock-profile.csv");
        snprintf(scn, sizeof scn, text, seed);
        assert_int_equal(testutil_write(testutil_tmp("clock-profile.scn"), scn), 0);
        assert_int_equal(testutil_cli_status(NULL, "run", testutil_tmp("clock-profile.scn"),
                                             "--quiet", "--csv", path, NULL),
                         0);
        csv = testutil_slurp(path, NULL);
        assert_non_null(csv);
        /* delivered is column 12 (cumulative); rows at 0, 1h, ... 24h. */
        h = -1;
        last = 0;
        for (line = strchr(csv, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
            const char *f = line;
            int c;
            double delivered;
            for (c = 0; c < 11; c++)
                f = strchr(f, ',') + 1;
            delivered = strtod(f, NULL);
            if (h >= 0)
                count[h] += delivered - last;
            last = delivered;
            h++;
        }
        assert_int_equal(h, 24);
        free(csv);
    }
    for (h = 0; h < 24; h++) {
        double mean = 10 * ss_profile_count(&p, &at_21, h * SS_HOUR, (h + 1) * SS_HOUR);
        if (fabs(count[h] - mean) > 2.576 * sqrt(mean))
            fail_msg("hour %d (from %02d:00): %.0f arrivals in 10 runs, expected %.0f +- %.0f", h,
                     (21 + h) % 24, count[h], mean, 2.576 * sqrt(mean));
    }
}

/* With a profile too, the hotfix changes what happens to the mail, not which
 * mail arrives. */
static void common_random_numbers_with_a_profile(void **state)
{
    const char *path = testutil_tmp("clock-crn.scn");
    struct testutil_run a, b;
    const char *pa, *pb;
    (void)state;
    assert_int_equal(testutil_write(path,
                                    "[simulation]\nduration = 3h\nclock = 23:00\n"
                                    "[store]\nthreads = 20\n[mta]\nenabled = false\n"
                                    "[database D]\ngateway_out_threads = 0\n"
                                    "[move m]\nmailboxes = 30\nstart = 23:30\nduration = 30s\n"
                                    "[delivery]\nrate = 00:00 2/s, 01:00 12/s\n"
                                    "service = exp(1s)\n"),
                     0);
    a = testutil_cli("run", path, "--quiet", "--trace", "--only", "delivery", "--to", "00:40",
                     NULL);
    b = testutil_cli("run", path, "--quiet", "--trace", "--only", "delivery", "--to", "00:40",
                     "--set", "hotfix.kb924567=true", NULL);
    assert_int_equal(a.status, 0);
    assert_int_equal(b.status, 0);
    /* The same arrivals at the same instants: every "message ... starts" of a
     * run that never waited is the same, and both runs have as many. */
    pa = strstr(a.out, "23:00:00.");
    pb = strstr(b.out, "23:00:00.");
    assert_non_null(pa);
    assert_non_null(pb);
    assert_int_equal(strncmp(pa, pb, 200), 0);
    testutil_run_free(&a);
    testutil_run_free(&b);
    a = testutil_cli("run", path, "--quiet", "--json", "-", NULL);
    b = testutil_cli("run", path, "--quiet", "--json", "-", "--set", "hotfix.kb924567=true", NULL);
    pa = strstr(a.out, "\"arrived\": ");
    pb = strstr(b.out, "\"arrived\": ");
    assert_non_null(pa);
    assert_int_equal(atoll(pa + 11), atoll(pb + 11));
    assert_true(atoll(pa + 11) > 20000);
    testutil_run_free(&a);
    testutil_run_free(&b);
}

/* A time the trace prints, typed back as --from and --to, is that instant. */
static void printed_times_read_back(void **state)
{
    const char *path = testutil_tmp("clock-night.scn");
    struct testutil_run r, back;
    char from[64], *line;
    (void)state;
    assert_int_equal(testutil_write(path,
                                    "[simulation]\nduration = 8h\nclock = 22:00\n"
                                    "[store]\nthreads = 30\n[mta]\nenabled = false\n"
                                    "[move night]\nmailboxes = 40\nstart = 23:30\n"
                                    "duration = 1m\n"
                                    "[delivery]\nrate = 5/s\nservice = exp(500ms)\n"),
                     0);
    r = testutil_cli("run", path, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Timeline (clock time)\n  23:30:00  Move batch \"night\""));
    assert_non_null(strstr(r.out, "from 22:00:00 (seed 1)"));
    testutil_run_free(&r);
    r = testutil_cli("run", path, "--quiet", "--trace", "--only", "event", NULL);
    line = strstr(r.out, "DELIVERY STARVED");
    assert_non_null(line);
    while (line > r.out && line[-1] != '\n')
        line--;
    memcpy(from, line, strcspn(line, " "));
    from[strcspn(line, " ")] = '\0';
    back = testutil_cli("run", path, "--quiet", "--trace", "--only", "event", "--from", from,
                        "--to", from, NULL);
    assert_int_equal(back.status, 0);
    assert_non_null(strstr(back.out, from));
    assert_non_null(strstr(back.out, "DELIVERY STARVED"));
    assert_null(strstr(back.out, "POOL EXHAUSTED")); /* earlier: not in the window */
    testutil_run_free(&back);
    testutil_run_free(&r);
}

/* ---- warnings and errors ----------------------------------------------- */

static void warnings_when_the_run_misses_the_point(void **state)
{
    const char *path = testutil_tmp("clock-warn.scn");
    struct testutil_run r;
    (void)state;
    assert_int_equal(testutil_write(path,
                                    "[simulation]\nduration = 12h\nclock = 08:00\n"
                                    "[store]\nthreads = 50\n[mta]\nenabled = false\n"
                                    "[move tonight]\nmailboxes = 200\nstart = 22h\n"
                                    "duration = 1m\n"
                                    "[delivery]\nrate = 20/s\nservice = 100ms\n"
                                    "[owa]\nrate = 22:00 5/s, 23:00 0/s\nservice = 100ms\n"),
                     0);
    r = testutil_cli("run", path, "--quiet", "--json", "-", NULL);
    assert_int_equal(r.status, 0); /* warnings: the run goes on */
    assert_non_null(strstr(r.err, "clock-warn.scn:10: warning: move tonight starts at 06:00:00+1d, "
                                  "when the run is over (it ends at 20:00:00)"));
    assert_non_null(strstr(r.err, "clock-warn.scn:16: warning: owa.rate: nothing arrives in this "
                                  "run"));
    assert_non_null(strstr(r.out, "\"warnings\": [\n"));
    assert_non_null(strstr(r.out, "warning: move tonight starts at"));
    testutil_run_free(&r);
    /* Moves still going, flushes still holding threads at the end. */
    r = testutil_cli("run", path, "--quiet", "--set", "move tonight.start=19:00", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "warning: move tonight is still moving mailboxes when the run "
                                  "ends ("));
    assert_non_null(strstr(r.err, "still hold a thread when the run ends"));
    assert_non_null(strstr(r.err, "run for "));
    testutil_run_free(&r);
}

static void bad_clocks_and_profiles(void **state)
{
    static const struct {
        const char *lines, *says;
    } cases[] = {
        {"[simulation]\nduration = 1h\nclock = 24:00\n[store]\nthreads = 1\n",
         "x.scn:3: error: simulation.clock: '24:00' is not a time of day: the hours go from 00"},
        {"[simulation]\nduration = 1h\nclock = 7\n[store]\nthreads = 1\n",
         "x.scn:3: error: simulation.clock: '7' is not a time of day"},
        {"[simulation]\nduration = 1h\nclock = 21:00:00.5\n[store]\nthreads = 1\n",
         "x.scn:3: error: simulation.clock: '21:00:00.5': the clock is set to the second"},
        {"[simulation]\nduration = 1h\n[store]\nthreads = 1\n[delivery]\nservice = 1s\n"
         "rate = 07:00 25/s; 18:00 8/s\n",
         "x.scn:7: error: delivery.rate: "},
        {"[simulation]\nduration = 1h\n[store]\nthreads = 1\n[delivery]\nservice = 1s\n"
         "rate = 07:00 1/s, 25:00 8/s\n",
         "x.scn:7: error: delivery.rate: '25:00' is not a time of day"},
        {"[simulation]\nduration = 1h\n[store]\nthreads = 1\n[owa]\nservice = 1s\n"
         "rate = 18:00 1/s, 07:00 2/s\n",
         "x.scn:7: error: owa.rate: the times of a profile must increase"},
        {"[simulation]\nduration = 1h\nclock = 21:00\n[store]\nthreads = 1\n[move m]\n"
         "mailboxes = 1\nduration = 1m\nstart = 20:00+0d\n",
         "x.scn:9: error: move m.start: '20:00+0d' is before the run starts"},
        {"[simulation]\nduration = 1h\nclock = 21:00\n[store]\nthreads = 1\n[move m]\n"
         "mailboxes = 1\nduration = 1m\nstart = 7\n",
         "x.scn:9: error: move m.start: '7' has no unit: write, for example, 7s or 7m, or a time "
         "of day such as 07:00"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *path = testutil_tmp("x.scn");
        struct testutil_run r;
        assert_int_equal(testutil_write(path, cases[i].lines), 0);
        r = testutil_cli("check", path, NULL);
        assert_int_equal(r.status, 2);
        if (!strstr(r.err, cases[i].says))
            fail_msg("expected \"%s\" in: %s", cases[i].says, r.err);
        testutil_run_free(&r);
    }
}

/* A sweep over start times: each point starts its moves at the time it
 * names on the scenario's clock, past midnight too. */
static void sweep_over_times_of_day(void **state)
{
    const char *path = testutil_tmp("clock-sweep.scn");
    char *csv = NULL;
    (void)state;
    assert_int_equal(testutil_write(path, "[simulation]\nduration = 6h\nclock = 21:00\n"
                                          "[store]\nthreads = 1\n[mta]\nenabled = false\n"
                                          "[move m]\nmailboxes = 1\nstart = 22:00\n"
                                          "duration = 10m\n"),
                     0);
    assert_int_equal(testutil_cli_status(&csv, "sweep", path, "--vary",
                                         "move m.start=22:00:00:00+1d:1h", "--csv", "-",
                                         "--quiet", NULL),
                     0);
    /* The flush of the one move waits for the one thread the move holds:
     * the pool is exhausted the instant the move starts. */
    assert_non_null(strstr(csv, "\n22:00,3600,"));
    assert_non_null(strstr(csv, "\n23:00,7200,"));
    assert_non_null(strstr(csv, "\n00:00+1d,10800,"));
    free(csv);
}

/* scenarios/tonight.scn tells a story in its comment; the run tells it too.
 * Times of the run are from 21:00. */
static void tonight_as_its_comment_says(void **state)
{
    static const char *const hotfix[] = {"hotfix.kb924567=true"};
    struct ss_scenario sc;
    struct ss_results r;
    const struct ss_episodes *starved;
    char why[128];
    (void)state;
    testutil_scenario_file(&sc, "scenarios/tonight.scn", NULL, 0);
    assert_int_equal(sc.clock.origin, 21 * SS_HOUR);
    assert_int_equal(ss_simulate(&sc, NULL, &r, why, sizeof why), 0);
    starved = &r.episodes[SS_EP_STARVED];
    /* The pool runs dry within the hour of the moves starting at 22:00. */
    assert_true(r.symptom[SS_POOL_EXHAUSTED] > 1 * SS_HOUR);
    assert_true(r.symptom[SS_POOL_EXHAUSTED] < 2 * SS_HOUR);
    /* Four episodes through the night, each ended by a wave of flushes
     * timing out, the last one running into the morning peak (07:00). */
    assert_int_equal(starved->count, 4);
    assert_true(starved->list[2].end < 9 * SS_HOUR);
    assert_true(starved->list[3].start < 10 * SS_HOUR);
    assert_true(starved->list[3].end > 11 * SS_HOUR + 30 * SS_MINUTE);
    /* The moves are done by about 06:40, SMTP stops at about 07:07 and mail
     * flows again after 08:30. */
    assert_int_equal(r.moves.completed, 400);
    assert_true(r.symptom[SS_SMTP_STOPPED] > 10 * SS_HOUR);
    assert_true(r.symptom[SS_SMTP_STOPPED] < 10 * SS_HOUR + 15 * SS_MINUTE);
    assert_int_equal(r.episodes[SS_EP_SMTP].count, 1);
    assert_true(r.episodes[SS_EP_SMTP].list[0].end > 11 * SS_HOUR + 30 * SS_MINUTE);
    assert_int_equal(r.n_warnings, 0); /* the run sees it all */
    ss_results_free(&r);
    ss_scenario_free(&sc);
    testutil_scenario_file(&sc, "scenarios/tonight.scn", hotfix, 1);
    assert_int_equal(ss_simulate(&sc, NULL, &r, why, sizeof why), 0);
    assert_int_equal(r.episodes[SS_EP_STARVED].count, 0);
    assert_int_equal(r.symptom[SS_SMTP_STOPPED], SS_NEVER);
    ss_results_free(&r);
    ss_scenario_free(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(points_in_time),
        cmocka_unit_test(clock_text_reads_back),
        cmocka_unit_test(profiles_read_and_write),
        cmocka_unit_test(regular_profile_by_hand),
        cmocka_unit_test(poisson_profile_counts),
        cmocka_unit_test(common_random_numbers_with_a_profile),
        cmocka_unit_test(printed_times_read_back),
        cmocka_unit_test(warnings_when_the_run_misses_the_point),
        cmocka_unit_test(bad_clocks_and_profiles),
        cmocka_unit_test(sweep_over_times_of_day),
        cmocka_unit_test(tonight_as_its_comment_says),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
