/*
 * test_shard.c: a sweep or --replications split with --shard K/N, and the
 * parts merged, write exactly what the whole command writes; merge refuses
 * parts that do not belong together.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/shard.h"

/* A small grid (6 points, 2 replications each) on a short run: 25 minutes
 * of moves from the start, long enough for the pool to run dry at 80
 * threads and not at 130. */
#define SHORT "--set", "simulation.duration=25m", "--set", "move batch1.start=0s"
#define SWEEP "sweep", scn, "--vary", "store.threads=80:130:10", "--replications", "2", SHORT

static const char *scn;

static char *slurp_or_fail(const char *path)
{
    char *text = testutil_slurp(path, NULL);
    assert_non_null(text);
    return text;
}

/* Run a shard, its part into `path`. */
static void shard_to(const char *path, struct testutil_run r)
{
    assert_int_equal(r.status, 0);
    assert_int_equal(testutil_write(path, r.out), 0);
    testutil_run_free(&r);
}

static const char *part(int i)
{
    static const char *const names[] = {"part-0", "part-1", "part-2", "part-3",
                                        "part-4", "part-5", "part-6", "part-7"};
    return testutil_tmp(names[i]);
}

/* Merge `n` parts (part(0) .. part(n - 1)), given in reverse order, with
 * --csv `csv` unless it is NULL. */
static struct testutil_run merge(int n, const char *csv)
{
    char names[8][1200];
    const char *args[12];
    int i, k = 0;
    assert_true(n <= 8);
    for (i = n - 1; i >= 0; i--) {
        snprintf(names[i], sizeof names[i], "%s", part(i));
        args[k++] = names[i];
    }
    if (csv) {
        args[k++] = "--csv";
        args[k++] = csv;
    }
    while (k < 12)
        args[k++] = NULL;
    return testutil_cli("merge", args[0], args[1], args[2], args[3], args[4], args[5], args[6],
                        args[7], args[8], args[9], args[10], args[11], NULL);
}

/* Every split of the grid, from 1 to 7 shards (more shards than points
 * too), merges to the unsharded table and CSV, byte for byte. */
static void every_split_of_a_sweep(void **state)
{
    char whole_csv[1200], merged_csv[1200]; /* copies: testutil_tmp's buffers are reused */
    struct testutil_run whole, merged;
    char *a, *b;
    int n, k;
    (void)state;
    snprintf(whole_csv, sizeof whole_csv, "%s", testutil_tmp("whole.csv"));
    snprintf(merged_csv, sizeof merged_csv, "%s", testutil_tmp("merged.csv"));
    whole = testutil_cli(SWEEP, "--csv", whole_csv, NULL);
    assert_int_equal(whole.status, 0);
    testutil_run_free(&whole);
    whole = testutil_cli(SWEEP, NULL);
    assert_int_equal(whole.status, 0);
    /* Under valgrind (STORESIM_SLOW_TOOLS), 1 to 3 shards. */
    for (n = 1; n <= (getenv("STORESIM_SLOW_TOOLS") ? 3 : 7); n++) {
        for (k = 1; k <= n; k++) {
            char shard[32];
            snprintf(shard, sizeof shard, "%d/%d", k, n);
            shard_to(part(k - 1), testutil_cli(SWEEP, "--shard", shard, NULL));
        }
        remove(merged_csv);
        merged = merge(n, merged_csv);
        assert_int_equal(merged.status, 0);
        assert_string_equal(merged.out, whole.out);
        testutil_run_free(&merged);
        a = slurp_or_fail(whole_csv);
        b = slurp_or_fail(merged_csv);
        assert_string_equal(a, b);
        free(a);
        free(b);
        merged = merge(n, NULL);
        assert_int_equal(merged.status, 0);
        assert_string_equal(merged.out, whole.out);
        testutil_run_free(&merged);
    }
    testutil_run_free(&whole);
}

/* run and compare with --replications: the report and the JSON. */
static void replications_of_run_and_compare(void **state)
{
    static const char *const commands[] = {"run", "compare"};
    char json_whole[1200], json_merged[1200];
    size_t c;
    (void)state;
    snprintf(json_whole, sizeof json_whole, "%s", testutil_tmp("whole.json"));
    snprintf(json_merged, sizeof json_merged, "%s", testutil_tmp("m.json"));
    for (c = 0; c < 2; c++) {
        struct testutil_run whole, merged;
        char *a, *b;
        int k;
        whole = testutil_cli(commands[c], scn, "--replications", "5", SHORT,
                             "--json", json_whole, NULL);
        assert_int_equal(whole.status, 0);
        for (k = 1; k <= 3; k++) {
            char shard[32];
            snprintf(shard, sizeof shard, "%d/3", k);
            shard_to(part(k - 1), testutil_cli(commands[c], scn, "--replications", "5", SHORT,
                                               "--shard", shard,
                                               NULL));
        }
        {
            char p0[1200], p1[1200];
            snprintf(p0, sizeof p0, "%s", part(0));
            snprintf(p1, sizeof p1, "%s", part(1));
            merged = testutil_cli("merge", part(2), p0, p1, "--json", json_merged, NULL);
        }
        assert_int_equal(merged.status, 0);
        assert_string_equal(merged.out, whole.out);
        a = slurp_or_fail(json_whole);
        b = slurp_or_fail(json_merged);
        assert_string_equal(a, b);
        free(a);
        free(b);
        testutil_run_free(&whole);
        testutil_run_free(&merged);
    }
}

/* compare --variant --replications: each variant's side goes into the parts
 * and comes back in its place. */
static void replications_of_compare_with_variants(void **state)
{
    char json_whole[1200], json_merged[1200], p0[1200];
    struct testutil_run whole, merged;
    char *a, *b;
    (void)state;
    snprintf(json_whole, sizeof json_whole, "%s", testutil_tmp("vwhole.json"));
    snprintf(json_merged, sizeof json_merged, "%s", testutil_tmp("vm.json"));
    whole = testutil_cli("compare", scn, "--replications", "3", SHORT, "--variant",
                         "hotfix: hotfix.kb924567=true", "--variant", "two: move batch1.concurrency=2",
                         "--json", json_whole, NULL);
    assert_int_equal(whole.status, 0);
    shard_to(part(0), testutil_cli("compare", scn, "--replications", "3", SHORT, "--variant",
                                   "hotfix: hotfix.kb924567=true", "--variant",
                                   "two: move batch1.concurrency=2", "--shard", "1/2", NULL));
    shard_to(part(1), testutil_cli("compare", scn, "--replications", "3", SHORT, "--variant",
                                   "hotfix: hotfix.kb924567=true", "--variant",
                                   "two: move batch1.concurrency=2", "--shard", "2/2", NULL));
    snprintf(p0, sizeof p0, "%s", part(0));
    merged = testutil_cli("merge", part(1), p0, "--json", json_merged, NULL);
    assert_int_equal(merged.status, 0);
    assert_string_equal(merged.out, whole.out);
    assert_non_null(strstr(merged.out, "baseline and two (move batch1.concurrency=2)"));
    a = slurp_or_fail(json_whole);
    b = slurp_or_fail(json_merged);
    assert_string_equal(a, b);
    free(a);
    free(b);
    testutil_run_free(&whole);
    testutil_run_free(&merged);
}

/* Write `text` as part i. */
static void write_part(int i, const char *text)
{
    assert_int_equal(testutil_write(part(i), text), 0);
}

static void refused(struct testutil_run r, const char *message)
{
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, "");
    if (!strstr(r.err, message))
        fail_msg("expected \"%s\" in: %s", message, r.err);
    testutil_run_free(&r);
}

/* Each refusal: missing, doubled, of another command or shard count, cut
 * short, not a part, of an edited scenario; and bad --shard options. */
static void parts_that_do_not_belong(void **state)
{
    char copy[1200], *good, *text;
    (void)state;
    snprintf(copy, sizeof copy, "%s", testutil_tmp("edited.scn"));
    shard_to(part(0), testutil_cli(SWEEP, "--shard", "1/2", NULL));
    shard_to(part(1), testutil_cli(SWEEP, "--shard", "2/2", NULL));
    refused(testutil_cli("merge", part(0), NULL), "error: merge: shard 2 of 2 is missing");
    refused(testutil_cli("merge", part(0), part(0), NULL), "error: shard 1 of 2 again");
    /* Of another grid. */
    shard_to(part(2), testutil_cli("sweep", scn, "--vary", "store.threads=80:120:10",
                                   "--replications", "2", SHORT,
                                   "--shard", "2/2", NULL));
    refused(testutil_cli("merge", part(0), part(2), NULL), "error: a part of another command");
    /* Of another shard count. */
    shard_to(part(3), testutil_cli(SWEEP, "--shard", "2/3", NULL));
    refused(testutil_cli("merge", part(0), part(3), NULL),
            "error: a shard of 3, where the first part is a shard of 2");
    /* Cut short. */
    good = slurp_or_fail(part(1));
    good[strlen(good) / 2] = '\0';
    write_part(4, good);
    free(good);
    refused(testutil_cli("merge", part(0), part(4), NULL), "error: ");
    /* Not a part at all. */
    refused(testutil_cli("merge", part(0), scn, NULL),
            "error: not a part of a sharded storesim command");
    refused(testutil_cli("merge", testutil_tmp("no-such.part"), NULL), "error: cannot open");
    /* A scenario edited after the parts were made. */
    text = slurp_or_fail(scn);
    assert_int_equal(testutil_write(copy, text), 0);
    shard_to(part(5), testutil_cli("run", copy, "--replications", "2", "--set",
                                   "simulation.duration=10m", "--shard", "1/2", NULL));
    shard_to(part(6), testutil_cli("run", copy, "--replications", "2", "--set",
                                   "simulation.duration=10m", "--shard", "2/2", NULL));
    assert_int_equal(testutil_write(copy, strstr(text, "[simulation]")), 0);
    refused(testutil_cli("merge", part(5), part(6), NULL),
            "error: the file has changed since the parts were made");
    free(text);
    /* Bad uses of --shard. */
    refused(testutil_cli("run", scn, "--shard", "1/2", NULL), "--shard splits a sweep or");
    refused(testutil_cli("run", scn, "--replications", "2", "--shard", "0/2", NULL),
            "K must be from 1 to N");
    refused(testutil_cli("run", scn, "--replications", "2", "--shard", "2", NULL), "write K/N");
    refused(testutil_cli(SWEEP, "--shard", "1/2", "--csv", "x.csv", NULL),
            "with --shard the part goes to standard output");
    refused(testutil_cli("merge", NULL), "merge needs the parts");
    refused(testutil_cli("merge", part(0), "--svg", "x.svg", NULL), "merge takes the parts");
    /* An output that would replace one of the parts. */
    {
        char p0[1200];
        snprintf(p0, sizeof p0, "%s", part(0));
        refused(testutil_cli("merge", p0, part(1), "--csv", p0, NULL),
                "is the same file as a part");
        good = slurp_or_fail(p0);
        assert_true(strncmp(good, "storesim-part 1\n", 16) == 0); /* untouched */
        free(good);
    }
}

static void shard_parse_and_share(void **state)
{
    struct ss_shard s;
    char why[128];
    long i;
    int n = 0;
    (void)state;
    assert_int_equal(ss_shard_parse("3/4", &s, why, sizeof why), 0);
    assert_int_equal(s.k, 3);
    assert_int_equal(s.n, 4);
    for (i = 0; i < 40; i++)
        n += ss_shard_mine(&s, i);
    assert_int_equal(n, 10); /* every fourth, from the third */
    assert_true(ss_shard_mine(&s, 2) && ss_shard_mine(&s, 6) && !ss_shard_mine(&s, 3));
    assert_int_equal(ss_shard_parse("5/4", &s, why, sizeof why), -1);
    assert_int_equal(ss_shard_parse("1/0", &s, why, sizeof why), -1);
    assert_int_equal(ss_shard_parse("1/10001", &s, why, sizeof why), -1);
    assert_int_equal(ss_shard_parse("a/2", &s, why, sizeof why), -1);
    assert_int_equal(ss_shard_parse("1/2x", &s, why, sizeof why), -1);
}

static int setup(void **state)
{
    (void)state;
    scn = testutil_src("scenarios/kb924567.scn");
    scn = strcpy(malloc(strlen(scn) + 1), scn);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free((char *)scn);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shard_parse_and_share),
        cmocka_unit_test(every_split_of_a_sweep),
        cmocka_unit_test(replications_of_run_and_compare),
        cmocka_unit_test(replications_of_compare_with_variants),
        cmocka_unit_test(parts_that_do_not_belong),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
