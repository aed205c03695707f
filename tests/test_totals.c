/*
 * test_totals.c: the one table of totals, and every view that reads it.
 *
 * A total added to the table must show wherever its row says, with no other
 * change: so each view is checked against the table itself, row by row, in
 * the table's order.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/totals.h"

static void rows_are_well_formed(void **state)
{
    size_t i, k;
    (void)state;
    assert_true(ss_totals_count() > 0 && ss_totals_count() <= SS_TOTALS_MAX);
    for (i = 0; i < ss_totals_count(); i++) {
        const struct ss_total_def *t = ss_total(i);
        const char *say = t->say;
        assert_non_null(t->key);
        assert_non_null(t->label);
        assert_int_equal(ss_total_find(t->key), (int)i);
        for (k = 0; k < i; k++) {
            assert_string_not_equal(ss_total(k)->key, t->key);
            assert_string_not_equal(ss_total(k)->label, t->label);
        }
        if (!say)
            continue;
        /* One value in each piece; a {one|many} pair is whole. */
        assert_non_null(strchr(say, '#'));
        assert_null(strchr(strchr(say, '#') + 1, '#'));
        if (strchr(say, '{')) {
            const char *bar = strchr(say, '|'), *close = strchr(say, '}');
            assert_true(bar && close && strchr(say, '{') < bar && bar < close);
        }
    }
    assert_int_equal(ss_total_find("no.such.total"), -1);
}

static void values_come_from_their_fields(void **state)
{
    struct ss_results r;
    (void)state;
    memset(&r, 0, sizeof r);
    r.delivery.arrived = 11;
    r.delivery.queued = 12;
    r.starved_us = 13;
    r.pool.utilization = 0.25;
    r.pool.threads = 10;
    r.end = 100;
    r.pool.busy_us[SS_FLUSH] = 500;
    r.flushes.registered = 9;
    r.flushes.completed = 2;
    r.flushes.timed_out = 3;
    assert_true(ss_total_value((size_t)ss_total_find("delivery.arrived"), &r) == 11);
    assert_true(ss_total_value((size_t)ss_total_find("delivery.queued"), &r) == 12);
    assert_true(ss_total_value((size_t)ss_total_find("starved_us"), &r) == 13);
    assert_true(ss_total_value((size_t)ss_total_find("pool.utilization"), &r) == 0.25);
    assert_true(ss_total_value((size_t)ss_total_find("pool.utilization_by_kind.flush"), &r) == 0.5);
    assert_true(ss_total_value((size_t)ss_total_find("flushes.holding"), &r) == 4);
}

static void csv_columns(void **state)
{
    char buf[64];
    (void)state;
    assert_string_equal(ss_total_csv((size_t)ss_total_find("delivery.arrived"), buf, sizeof buf),
                        "delivery_arrived");
    assert_string_equal(ss_total_csv((size_t)ss_total_find("starved_us"), buf, sizeof buf),
                        "starved_s");
    assert_string_equal(ss_total_csv((size_t)ss_total_find("delivery.wait_us.p99"), buf,
                                     sizeof buf),
                        "delivery_wait_p99_s");
    assert_true(ss_total_csv_value((size_t)ss_total_find("starved_us"), 2.5e6) == 2.5);
    assert_true(ss_total_csv_value((size_t)ss_total_find("delivery.arrived"), 7) == 7);
}

/* Each of `needles` (n of them) in `text`, in that order. */
static void in_order(const char *text, const char *const *needles, size_t n, const char *view)
{
    const char *at = text;
    size_t i;
    for (i = 0; i < n; i++) {
        const char *found = strstr(at, needles[i]);
        if (!found)
            fail_msg("%s: \"%s\" missing or out of the table's order", view, needles[i]);
        at = found + strlen(needles[i]);
    }
}

/* The rows for a scenario with actions are shown only then: each view is
 * looked at without (the rows absent) and with an action added by --set. */
#define ACTION(actions) (actions) ? "--set" : NULL, "action r.at=40m", "--set", \
                        "action r.do=restart_store"

/* Rows shown in `where` missing from `text` when there are no actions. */
static void without_action_rows(const char *text, unsigned where, bool actions, const char *view)
{
    size_t i;
    for (i = 0; i < ss_totals_count() && !actions; i++)
        if ((ss_total(i)->shown & SS_WITH_ACTIONS) && (ss_total(i)->shown & where) &&
            strstr(text, ss_total(i)->label))
            fail_msg("%s: \"%s\" shown without actions", view, ss_total(i)->label);
}

static void compare_rows(bool actions)
{
    const char *needles[SS_TOTALS_MAX];
    char *out = NULL;
    size_t i, n = 0;
    for (i = 0; i < ss_totals_count(); i++)
        if (ss_total_in(i, SS_IN_COMPARE, actions))
            needles[n++] = ss_total(i)->label;
    assert_int_equal(testutil_cli_status(&out, "compare", testutil_src("scenarios/kb924567.scn"),
                                         "--set", "simulation.duration=2h", ACTION(actions),
                                         NULL),
                     0);
    in_order(strstr(out, "\nTotals\n"), needles, n, "compare");
    without_action_rows(out, SS_IN_COMPARE, actions, "compare");
    free(out);
}

static void compare_shows_its_rows_in_order(void **state)
{
    (void)state;
    compare_rows(false);
    compare_rows(true);
}

static void summary_rows(bool actions)
{
    const char *needles[SS_TOTALS_MAX];
    char columns[SS_TOTALS_MAX][64], *out = NULL;
    const char *csv = testutil_tmp("totals-sweep.csv");
    size_t i, n = 0;
    for (i = 0; i < ss_totals_count(); i++)
        if (ss_total_in(i, SS_IN_SUMMARY, actions))
            needles[n++] = ss_total(i)->label;
    assert_int_equal(testutil_cli_status(&out, "run", testutil_src("scenarios/kb924567.scn"),
                                         "--replications", "2", "--set",
                                         "simulation.duration=1h", ACTION(actions), NULL),
                     0);
    in_order(strstr(out, "\nTotals (mean"), needles, n, "--replications");
    without_action_rows(out, SS_IN_SUMMARY, actions, "--replications");
    free(out);
    out = NULL;
    assert_int_equal(testutil_cli_status(&out, "run", testutil_src("scenarios/kb924567.scn"),
                                         "--replications", "2", "--json", "-", "--quiet",
                                         "--set", "simulation.duration=1h", ACTION(actions),
                                         NULL),
                     0);
    for (n = 0, i = 0; i < ss_totals_count(); i++)
        if (ss_total_in(i, SS_IN_SUMMARY, actions)) {
            snprintf(columns[n], sizeof columns[n], "\"%s\": {", ss_total(i)->key);
            needles[n] = columns[n];
            n++;
        }
    in_order(strstr(out, "\"summary\""), needles, n, "--replications JSON");
    free(out);
    assert_int_equal(testutil_cli_status(NULL, "sweep", testutil_src("scenarios/kb924567.scn"),
                                         "--vary", "store.threads=90:100:10", "--set",
                                         "simulation.duration=1h", "--csv", csv,
                                         ACTION(actions), NULL),
                     0);
    out = testutil_slurp(csv, NULL);
    assert_non_null(out);
    for (n = 0, i = 0; i < ss_totals_count(); i++)
        if (ss_total_in(i, SS_IN_SUMMARY, actions)) {
            columns[n][0] = ',';
            ss_total_csv(i, columns[n] + 1, sizeof columns[n] - 1);
            needles[n] = columns[n];
            n++;
        }
    *strchr(out, '\n') = '\0';
    in_order(out, needles, n, "sweep CSV header");
    if (!actions)
        assert_null(strstr(out, "store_restarts"));
    free(out);
}

static void summaries_show_their_rows_in_order(void **state)
{
    (void)state;
    summary_rows(false);
    summary_rows(true);
}

/* The report's sentences, piece by piece, and the JSON's keys, as the rows
 * say. */
/* Whether a row shown without actions ends in the same name ("failed" of
 * owa.failed and moves.failed), so that seeing the name proves nothing. */
static bool shown_name(const char *name)
{
    size_t i;
    for (i = 0; i < ss_totals_count(); i++) {
        const char *key = ss_total(i)->key, *last = strrchr(key, '.');
        if (ss_total_in(i, SS_IN_JSON, false) && strcmp(last ? last + 1 : key, name) == 0)
            return true;
    }
    return false;
}

static void report_and_json_rows(bool actions)
{
    const char *needles[SS_TOTALS_MAX];
    char pieces[SS_TOTALS_MAX][80], *out = NULL, *flat, *o, *p;
    size_t i, n = 0;
    assert_int_equal(testutil_cli_status(&out, "run", testutil_src("scenarios/kb924567.scn"),
                                         "--set", "simulation.duration=2h", ACTION(actions),
                                         NULL),
                     0);
    /* The text of each piece up to its value, with the wrapping undone. */
    flat = out;
    for (o = p = out; *p; p++) {
        if (*p == '\n') {
            *o++ = ' ';
            while (p[1] == ' ')
                p++;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    for (i = 0; i < ss_totals_count(); i++) {
        const char *say = ss_total(i)->say;
        if (!ss_total_in(i, 0, actions) || strchr(say, '#') == say)
            continue;
        snprintf(pieces[n], sizeof pieces[n], "%.*s", (int)(strchr(say, '#') - say), say);
        needles[n] = pieces[n];
        n++;
    }
    in_order(strstr(flat, " Totals "), needles, n, "report");
    if (!actions)
        assert_null(strstr(flat, "Actions:"));
    free(out);

    out = NULL;
    assert_int_equal(testutil_cli_status(&out, "run", testutil_src("scenarios/kb924567.scn"),
                                         "--quiet", "--json", "-", "--set",
                                         "simulation.duration=2h", ACTION(actions), NULL),
                     0);
    for (n = 0, i = 0; i < ss_totals_count(); i++) {
        const char *key = ss_total(i)->key, *last = strrchr(key, '.');
        bool found;
        if (!(ss_total(i)->shown & SS_IN_JSON))
            continue;
        snprintf(pieces[n], sizeof pieces[n], "\"%s\": ", last ? last + 1 : key);
        found = strstr(strstr(out, "\"totals\""), pieces[n]) != NULL;
        if (ss_total_in(i, SS_IN_JSON, actions) && !found)
            fail_msg("JSON: no %s under \"totals\"", pieces[n]);
        if (!ss_total_in(i, SS_IN_JSON, actions) && found && !shown_name(last ? last + 1 : key))
            fail_msg("JSON: %s under \"totals\" without actions", pieces[n]);
        n++;
    }
    free(out);
}

static void report_and_json_follow_the_table(void **state)
{
    (void)state;
    report_and_json_rows(false);
    report_and_json_rows(true);
}

/* Every message is somewhere: delivered, in the local delivery queue, or at
 * its sender (deferred, or waiting to retry), in every shipped scenario. */
static void every_message_is_accounted_for(void **state)
{
    static const char *const files[] = {
        "scenarios/kb924567.scn",        "scenarios/kb924567-hotfix.scn",
        "scenarios/mta-enabled.scn",     "scenarios/hotfix-without-registry.scn",
        "scenarios/new-database.scn",    "scenarios/tonight.scn",
        "scenarios/restart-store.scn",   "scenarios/start-mta-midway.scn",
        "scenarios/hotfix-midway.scn"};
    const char *sets[] = {"simulation.duration=2h"};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct ss_scenario sc;
        struct ss_results r;
        char why[128];
        testutil_scenario_file(&sc, files[i], sets, 1);
        assert_int_equal(ss_simulate(&sc, NULL, &r, why, sizeof why), 0);
        if (r.delivery.arrived != r.delivery.delivered + (uint64_t)r.delivery.queued +
                                      r.delivery.deferred + r.delivery.retrying)
            fail_msg("%s: %llu arrived, but %llu delivered + %lld queued + %llu deferred + "
                     "%llu retrying", files[i], (unsigned long long)r.delivery.arrived,
                     (unsigned long long)r.delivery.delivered, r.delivery.queued,
                     (unsigned long long)r.delivery.deferred,
                     (unsigned long long)r.delivery.retrying);
        ss_results_free(&r);
        ss_scenario_free(&sc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_are_well_formed),
        cmocka_unit_test(values_come_from_their_fields),
        cmocka_unit_test(csv_columns),
        cmocka_unit_test(compare_shows_its_rows_in_order),
        cmocka_unit_test(summaries_show_their_rows_in_order),
        cmocka_unit_test(report_and_json_follow_the_table),
        cmocka_unit_test(every_message_is_accounted_for),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
