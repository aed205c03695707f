/*
 * test_variant.c: `storesim compare --variant` (issue 16).
 *
 * Each variant's run must be exactly a plain `run` with its --set
 * assignments, and the baseline a plain run of the scenario as written,
 * byte for byte once whitespace is set aside; all on one seed (common random
 * numbers). Then the tables, the verdict of each kind, the outputs, the
 * replications, and every refusal.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#define KB testutil_src("scenarios/kb924567.scn")
#define KB_HOTFIX testutil_src("scenarios/kb924567-hotfix.scn")
#define SHORT "--set", "simulation.duration=65m"
#define HOTFIX "hotfix: hotfix.kb924567=true"
#define TWO "two-at-once: move batch1.concurrency=2"
#define POOL "pool: store.threads=250, mta.flush_timeout=30m"

static char json_path[1024], run_path[1024], out_path[1024];

static int setup(void **state)
{
    (void)state;
    strcpy(json_path, testutil_tmp("variant.json"));
    strcpy(run_path, testutil_tmp("variant_run.json"));
    strcpy(out_path, testutil_tmp("variant.out"));
    return 0;
}

/* ---- JSON, compared as text with the whitespace between tokens removed ---- */


/* The end of the value that opens at p (squeezed JSON). */
static const char *value_end(const char *p)
{
    int depth = 0, in_string = 0;
    for (; *p; p++) {
        if (in_string) {
            if (*p == '\\')
                p++;
            else if (*p == '"')
                in_string = 0;
        } else if (*p == '"') {
            in_string = 1;
        } else if (*p == '{' || *p == '[') {
            depth++;
        } else if ((*p == '}' || *p == ']') && --depth == 0) {
            return p + 1;
        } else if (depth == 0 && (*p == ',' || *p == '}')) {
            return p;
        }
    }
    fail_msg("unbalanced JSON");
    return NULL;
}

static char *squeezed_file(const char *path)
{
    char *text = testutil_slurp(path, NULL), *s;
    assert_non_null(text);
    s = testutil_json_squeeze(text);
    free(text);
    return s;
}

/* The members of the squeezed top-level object, which must be exactly
 * `names` in that order; each value a new string in values[]. */
static void members(const char *json, const char *const *names, size_t n, char **values)
{
    const char *p = json;
    size_t i;
    char key[64];
    assert_int_equal(*p, '{');
    p++;
    for (i = 0; i < n; i++) {
        const char *end;
        snprintf(key, sizeof key, "\"%s\":", names[i]);
        if (strncmp(p, key, strlen(key)) != 0)
            fail_msg("expected %s at: %.60s", key, p);
        p += strlen(key);
        end = value_end(p);
        values[i] = malloc((size_t)(end - p) + 1);
        assert_non_null(values[i]);
        memcpy(values[i], p, (size_t)(end - p));
        values[i][end - p] = '\0';
        p = end;
        if (i + 1 < n) {
            assert_int_equal(*p, ',');
            p++;
        }
    }
    assert_string_equal(p, "}");
}

/* The squeezed JSON of `run KB SHORT` with up to two more --set. */
static char *run_json(const char *set1, const char *set2)
{
    struct testutil_run o;
    remove(run_path);
    if (set2)
        o = testutil_cli("run", KB, SHORT, "--set", set1, "--set", set2, "--json", run_path,
                         "--quiet", NULL);
    else if (set1)
        o = testutil_cli("run", KB, SHORT, "--set", set1, "--json", run_path, "--quiet", NULL);
    else
        o = testutil_cli("run", KB, SHORT, "--json", run_path, "--quiet", NULL);
    assert_int_equal(o.status, 0);
    testutil_run_free(&o);
    return squeezed_file(run_path);
}

/* "arrived":N of the first "delivery" object in a run's squeezed JSON. */
static long long arrived(const char *run)
{
    const char *p = strstr(run, "\"arrived\":");
    assert_non_null(p);
    return atoll(p + 10);
}

static void each_run_is_a_plain_run_with_its_sets(void **state)
{
    static const char *const names[] = {"baseline", "hotfix", "two-at-once", "pool"};
    char *got[4], *want[4], *all;
    struct testutil_run o;
    size_t i;
    (void)state;
    remove(json_path);
    o = testutil_cli("compare", KB, SHORT, "--variant", HOTFIX, "--variant", TWO, "--variant",
                     POOL, "--json", json_path, "--quiet", NULL);
    assert_int_equal(o.status, 0);
    testutil_run_free(&o);
    all = squeezed_file(json_path);
    members(all, names, 4, got);
    want[0] = run_json(NULL, NULL);
    want[1] = run_json("hotfix.kb924567=true", NULL);
    want[2] = run_json("move batch1.concurrency=2", NULL);
    want[3] = run_json("store.threads=250", "mta.flush_timeout=30m");
    for (i = 0; i < 4; i++) {
        assert_string_equal(got[i], want[i]);
        /* Common random numbers: the same messages arrive in every run. */
        assert_int_equal(arrived(got[i]), arrived(got[0]));
    }
    for (i = 1; i < 4; i++)
        assert_string_not_equal(got[i], got[0]);
    for (i = 0; i < 4; i++) {
        free(got[i]);
        free(want[i]);
    }
    free(all);
}

/* The command's own --set applies to every run, the variant's after it. */
static void command_sets_apply_to_every_run(void **state)
{
    static const char *const names[] = {"baseline", "more"};
    char *got[2], *all;
    struct testutil_run o;
    (void)state;
    remove(json_path);
    o = testutil_cli("compare", KB, SHORT, "--set", "store.threads=120", "--variant",
                     "more: store.threads=300", "--json", json_path, "--quiet", NULL);
    assert_int_equal(o.status, 0);
    testutil_run_free(&o);
    all = squeezed_file(json_path);
    members(all, names, 2, got);
    assert_non_null(strstr(got[0], "\"store.threads\":120"));
    assert_non_null(strstr(got[1], "\"store.threads\":300"));
    assert_non_null(strstr(got[1], "\"simulation.duration\":\"1h5m\""));
    free(got[0]);
    free(got[1]);
    free(all);
}

/* A comma inside parentheses is part of the value. */
static void comma_inside_parentheses_is_the_values(void **state)
{
    static const char *const names[] = {"baseline", "slow"};
    char *got[2], *all;
    struct testutil_run o;
    (void)state;
    remove(json_path);
    o = testutil_cli("compare", KB, SHORT, "--variant",
                     "slow: move batch1.duration=uniform(40s, 2m), store.threads=110", "--json",
                     json_path, "--quiet", NULL);
    assert_int_equal(o.status, 0);
    testutil_run_free(&o);
    all = squeezed_file(json_path);
    members(all, names, 2, got);
    assert_non_null(strstr(got[1], "\"move batch1.duration\":\"uniform(40s, 2m)\""));
    assert_non_null(strstr(got[1], "\"store.threads\":110"));
    free(got[0]);
    free(got[1]);
    free(all);
}

/* A variant that installs the hotfix is plain compare's "after". */
static void hotfix_variant_is_compares_after(void **state)
{
    static const char *const pair[] = {"before", "after"};
    static const char *const names[] = {"baseline", "hotfix"};
    char *plain[2], *var[2], *a, *b;
    struct testutil_run o;
    (void)state;
    remove(json_path);
    o = testutil_cli("compare", KB, SHORT, "--json", json_path, "--quiet", NULL);
    assert_int_equal(o.status, 0);
    testutil_run_free(&o);
    a = squeezed_file(json_path);
    members(a, pair, 2, plain);
    remove(json_path);
    o = testutil_cli("compare", KB, SHORT, "--variant", HOTFIX, "--json", json_path, "--quiet",
                     NULL);
    assert_int_equal(o.status, 0);
    testutil_run_free(&o);
    b = squeezed_file(json_path);
    members(b, names, 2, var);
    assert_string_equal(plain[0], var[0]);
    assert_string_equal(plain[1], var[1]);
    free(plain[0]);
    free(plain[1]);
    free(var[0]);
    free(var[1]);
    free(a);
    free(b);
}

/* ---- the report ------------------------------------------------------------ */

static char *compare_text(const char *first, ...)
{
    const char *args[24] = {NULL};
    struct testutil_run o;
    va_list ap;
    char *out;
    int n = 0;
    args[n++] = first;
    va_start(ap, first);
    while (n < 23 && (args[n] = va_arg(ap, const char *)) != NULL)
        n++;
    va_end(ap);
    args[n] = NULL;
    o = testutil_cli("compare", KB, SHORT, args[0], args[1], args[2], args[3], args[4], args[5],
                     args[6], args[7], args[8], args[9], args[10], args[11], args[12], NULL);
    assert_int_equal(o.status, 0);
    out = o.out;
    o.out = NULL;
    testutil_run_free(&o);
    return out;
}

/* The text with its wrapped lines joined ("\n  " read as " "). */
static char *unwrapped(const char *text)
{
    char *out = malloc(strlen(text) + 1), *o = out;
    assert_non_null(out);
    while (*text) {
        if (text[0] == '\n' && text[1] == ' ' && text[2] == ' ' && text[3] != ' ') {
            *o++ = ' ';
            text += 3;
        } else {
            *o++ = *text++;
        }
    }
    *o = '\0';
    return out;
}

static void every_line_fits_80_columns(const char *text)
{
    const char *line = text;
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        if (n > 80)
            fail_msg("a line of %lu columns: %.*s", (unsigned long)n, (int)n, line);
        line += n + (end != NULL);
    }
}

static void table_has_a_column_per_run_and_a_change_per_variant(void **state)
{
    char *text, *joined;
    (void)state;
    text = compare_text("--variant", HOTFIX, "--variant", TWO, NULL);
    joined = unwrapped(text);
    assert_non_null(strstr(joined, "kb924567.scn) with 2 variants\n"));
    free(joined);
    assert_non_null(strstr(text, "Variants\n  hotfix       hotfix.kb924567=true\n"
                                 "  two-at-once  move batch1.concurrency=2\n"));
    assert_non_null(strstr(text, "                             baseline     hotfix       "
                                 "two-at-once\nSymptoms (simulated time)\n"));
    assert_non_null(strstr(text, "  Change from the baseline   hotfix       two-at-once\n"));
    /* The hotfix takes starvation away; two at a time only delays it. */
    assert_non_null(strstr(text, "  Delivery starved           00:45:58     never        "
                                 "01:00:32\n"));
    assert_non_null(strstr(text, "  Delivery starved           never        +00:14:34\n"));
    assert_non_null(strstr(text, "  Flushes skipped            +150         -\n"));
    /* Nothing without variants: plain compare's wording is not here. */
    assert_null(strstr(text, "before"));
    every_line_fits_80_columns(text);
    free(text);
}

/* Six runs: two groups of three columns, then the changes, five in two. */
static void many_runs_go_in_groups_that_fit(void **state)
{
    char *text;
    (void)state;
    text = compare_text("--variant", "a: store.threads=110", "--variant", "b: store.threads=120",
                        "--variant", "c: store.threads=130", "--variant", "d: store.threads=140",
                        "--variant", "e: store.threads=150", NULL);
    assert_non_null(strstr(text, "                             baseline     a            b\n"));
    assert_non_null(strstr(text, "                             c            d            e\n"));
    assert_non_null(strstr(text, "  Change from the baseline   a            b            c\n"));
    assert_non_null(strstr(text, "  Change from the baseline   d            e\n"));
    every_line_fits_80_columns(text);
    free(text);
}

static void verdict_for_each_kind_of_outcome(void **state)
{
    char *text, *joined;
    struct testutil_run o;
    (void)state;
    text = compare_text("--variant", HOTFIX, "--variant", TWO, "--variant",
                        "same: store.threads=100", NULL);
    joined = unwrapped(text);
    assert_non_null(strstr(joined, "hotfix (hotfix.kb924567=true) kept local delivery from "
                                   "starving; as written it starved at 00:45:58, for 19m01s in "
                                   "all. The moves finished at 00:54:09 (as written only 103 of "
                                   "150 by the end); at most 31 of 100 threads were busy at once "
                                   "(as written 100).\n"));
    assert_non_null(strstr(joined, " two-at-once (move batch1.concurrency=2) did not keep local "
                                   "delivery from starving: it starved at 01:00:32, for 4m27s in "
                                   "all (as written at 00:45:58, for 19m01s in all). 96 of 150 "
                                   "mailboxes were moved by the end (as written only 103 of 150 "
                                   "by the end); at most 100 of 100 threads were busy at once, as "
                                   "written.\n"));
    /* A variant that changes nothing: every cost "as written". */
    assert_non_null(strstr(joined, "103 of 150 mailboxes were moved by the end, as written; at "
                                   "most 100 of 100 threads were busy at once, as written.\n"));
    free(joined);
    free(text);
    /* Without starvation as written, a variant can only keep it away or bring it. */
    o = testutil_cli("compare", KB_HOTFIX, SHORT, "--variant", "none: hotfix.kb924567=false",
                     "--variant", "big: store.threads=200", NULL);
    assert_int_equal(o.status, 0);
    assert_non_null(strstr(o.out, "none (hotfix.kb924567=false) made local delivery starve, at "
                                  "00:45:58"));
    assert_non_null(strstr(o.out, "; as written it did not."));
    assert_non_null(strstr(o.out, "big (store.threads=200): local delivery did not starve, nor "
                                  "did it as\n  written."));
    assert_non_null(strstr(o.out, "(as written 31 of 100)."));
    testutil_run_free(&o);
}

static void parts_and_trace_name_each_run(void **state)
{
    char *text, *joined;
    (void)state;
    text = compare_text("--variant", HOTFIX, "--show", "heading,verdict", NULL);
    joined = unwrapped(text);
    assert_int_equal(strncmp(text, "storesim " STORESIM_VERSION ": compare ", 16), 0);
    assert_non_null(strstr(joined, ".scn) with 1 variant\n\nVerdict hotfix (hotfix.kb924567=true)"));
    free(joined);
    free(text);
    text = compare_text("--variant", HOTFIX, "--show", "symptoms", NULL);
    assert_non_null(strstr(text, "baseline: the scenario as written\n"));
    assert_non_null(strstr(text, "\nhotfix: hotfix.kb924567=true\n"));
    free(text);
    text = compare_text("--variant", HOTFIX, "--quiet", "--trace", "--only", "event", NULL);
    assert_non_null(strstr(text, "Trace of kb924567 ("));
    assert_non_null(strstr(text, "), baseline: the scenario as written\n"));
    assert_non_null(strstr(text, "), hotfix: hotfix.kb924567=true\n"));
    free(text);
}

static void csv_and_chart_hold_every_run(void **state)
{
    char *text, *svg;
    size_t panels = 0;
    const char *p;
    (void)state;
    text = compare_text("--variant", HOTFIX, "--variant", "pool: store.threads=250", "--quiet",
                        "--csv", "-", NULL);
    assert_int_equal(strncmp(text, "run,", 4), 0);
    assert_non_null(strstr(text, "\nbaseline,"));
    assert_non_null(strstr(text, "\nhotfix,"));
    assert_non_null(strstr(text, "\npool,"));
    free(text);
    svg = compare_text("--variant", HOTFIX, "--variant", "pool: store.threads=250", "--quiet",
                       "--svg", "-", NULL);
    for (p = svg; (p = strstr(p, "<g class=\"panel\" data-run=\"")) != NULL; p++)
        panels++;
    assert_int_equal(panels, 3);
    assert_non_null(strstr(svg, "data-run=\"baseline\""));
    assert_non_null(strstr(svg, "data-run=\"pool\""));
    /* One scale, each pool its own line; the legend names no one size. */
    assert_non_null(strstr(svg, "pool: 100 threads"));
    assert_non_null(strstr(svg, "pool: 250 threads"));
    assert_non_null(strstr(svg, ">pool size</text>"));
    assert_non_null(strstr(svg, "kb924567: as written and 2 variants"));
    free(svg);
}

/* ---- replications ------------------------------------------------------------ */

static void replications_pair_each_variant_with_the_baseline(void **state)
{
    static const char *const names[] = {"replications", "baseline", "two-at-once", "differences"};
    char *got[4], *all, *runs;
    struct testutil_run o;
    const char *want_runs;
    (void)state;
    remove(json_path);
    o = testutil_cli("compare", KB, SHORT, "--replications", "2", "--variant", TWO, "--json",
                     json_path, NULL);
    assert_int_equal(o.status, 0);
    assert_non_null(strstr(o.out, "with 1 variant, 2 replications"));
    assert_non_null(strstr(o.out, "\nbaseline and two-at-once (move batch1.concurrency=2)\n"));
    assert_non_null(strstr(o.out, "  Delivery starved     baseline     in 2 of 2 runs"));
    assert_non_null(strstr(o.out, "                       two-at-once  in 2 of 2 runs"));
    assert_non_null(strstr(o.out, "two-at-once - baseline\n"));
    assert_non_null(strstr(o.out, "Events processed: "));
    assert_non_null(strstr(o.out, " in 4 runs\n"));
    testutil_run_free(&o);
    all = squeezed_file(json_path);
    members(all, names, 4, got);
    assert_non_null(strstr(got[3], "{\"two-at-once\":{\"confidence\":0.95,\"of\":"
                                   "\"two-at-once - baseline, run by run\""));
    /* The variant's runs are those of `run --replications 2` with its --set. */
    remove(run_path);
    o = testutil_cli("run", KB, SHORT, "--set", "move batch1.concurrency=2", "--replications",
                     "2", "--json", run_path, "--quiet", NULL);
    assert_int_equal(o.status, 0);
    testutil_run_free(&o);
    runs = squeezed_file(run_path);
    want_runs = strstr(runs, "\"runs\":");
    assert_non_null(want_runs);
    assert_int_equal(strncmp(got[2], "{", 1), 0);
    assert_int_equal(strncmp(got[2] + 1, want_runs, strlen(want_runs) - 1), 0);
    free(runs);
    for (size_t i = 0; i < 4; i++)
        free(got[i]);
    free(all);
}

/* ---- refusals ------------------------------------------------------------ */

static void refused(const char *message, const char *first, ...)
{
    const char *args[16];
    struct testutil_run o;
    va_list ap;
    int n = 0;
    args[n++] = first;
    va_start(ap, first);
    while (n < 15 && (args[n] = va_arg(ap, const char *)) != NULL)
        n++;
    va_end(ap);
    while (n < 16)
        args[n++] = NULL;
    remove(out_path);
    o = testutil_cli(args[0], KB, "--json", out_path, args[1], args[2], args[3], args[4],
                     args[5], args[6], args[7], args[8], args[9], args[10], args[11], args[12], args[13], args[14], NULL);
    assert_int_equal(o.status, 2);
    if (!strstr(o.err, message))
        fail_msg("expected \"%s\" in: %s", message, o.err);
    assert_string_equal(o.out, "");
    assert_false(testutil_exists(out_path)); /* nothing ran, nothing written */
    testutil_run_free(&o);
}

static void bad_variants_are_refused_before_anything_runs(void **state)
{
    (void)state;
    refused("--variant \"mta.enabled=true\": write it as \"NAME: KEY=VALUE, KEY=VALUE\"",
            "compare", "--variant", "mta.enabled=true", NULL);
    refused("a variant's name is 1 to 12 letters", "compare", "--variant", ": mta.enabled=true",
            NULL);
    refused("a variant's name is 1 to 12 letters", "compare", "--variant",
            "thirteen-long: mta.enabled=true", NULL);
    refused("not \"two at once\"", "compare", "--variant", "two at once: mta.enabled=true", NULL);
    refused("\"baseline\" is the name of the scenario as written", "compare", "--variant",
            "baseline: mta.enabled=true", NULL);
    refused("storesim: error: two variants are named a: give each its own name", "compare",
            "--variant", "a: store.threads=200", "--variant", "a: store.threads=300", NULL);
    refused("--variant a: \"store.threads\" is not KEY=VALUE", "compare", "--variant",
            "a: store.threads", NULL);
    refused("--variant a: \"\" is not KEY=VALUE", "compare", "--variant", "a:", NULL);
    refused("--variant mta: mta.enabeld=true: error: unknown key 'enabeld' in [mta]", "compare",
            "--variant", "mta: mta.enabeld=true", NULL);
    refused("--variant b: store.threads=lots: error:", "compare", "--variant",
            "a: store.threads=200", "--variant", "b: store.threads=lots", NULL);
    refused("at most 5 --variant options", "compare", "--variant", "a: store.threads=1",
            "--variant", "b: store.threads=2", "--variant", "c: store.threads=3", "--variant",
            "d: store.threads=4", "--variant", "e: store.threads=5", "--variant",
            "f: store.threads=6", NULL);
    refused("--variant belongs to the compare command", "run", "--variant", HOTFIX, NULL);
    refused("not variants", "compare", "--variant", HOTFIX, "--html", "x.html", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_run_is_a_plain_run_with_its_sets),
        cmocka_unit_test(command_sets_apply_to_every_run),
        cmocka_unit_test(comma_inside_parentheses_is_the_values),
        cmocka_unit_test(hotfix_variant_is_compares_after),
        cmocka_unit_test(table_has_a_column_per_run_and_a_change_per_variant),
        cmocka_unit_test(many_runs_go_in_groups_that_fit),
        cmocka_unit_test(verdict_for_each_kind_of_outcome),
        cmocka_unit_test(parts_and_trace_name_each_run),
        cmocka_unit_test(csv_and_chart_hold_every_run),
        cmocka_unit_test(replications_pair_each_variant_with_the_baseline),
        cmocka_unit_test(bad_variants_are_refused_before_anything_runs),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
