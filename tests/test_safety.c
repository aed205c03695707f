/*
 * test_safety.c: the promises of docs/robustness.md, kept by the command
 * line as a user meets them.
 *
 * Outputs never destroy a file (an input, another output, a read-only file,
 * a device); a failed output commits none; a failed standard output is exit
 * status 1; a run that would need more memory than the process may use is
 * refused before it starts, and one that runs out anyway writes nothing.
 * test_output.c and test_os.c check the layers below, function by function.
 */
#if defined(__unix__) || defined(__APPLE__)
#define _XOPEN_SOURCE 700 /* chmod, for the read-only case */
#include <sys/stat.h>
#endif

#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/cli.h"
#include "storesim/os.h"

#define KB testutil_src("scenarios/kb924567.scn")
#define SHORT "--set", "simulation.duration=30m"

static char *copy_of(const char *path)
{
    char *text = testutil_slurp(path, NULL);
    assert_non_null(text);
    return text;
}

/* An output that names the scenario, or another output, is refused before
 * anything runs, and the files are as they were. */
static void outputs_never_overwrite_inputs(void **state)
{
    const char *scn = testutil_tmp("safety.scn"), *same = testutil_tmp("safety-same.out");
    char *before, *after;
    struct testutil_run r;
    (void)state;
    before = copy_of(KB);
    assert_int_equal(testutil_write(scn, before), 0);
    r = testutil_cli("run", scn, "--json", scn, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "storesim: error: --json"));
    assert_null(strstr(r.err, "events in")); /* nothing ran */
    testutil_run_free(&r);
    after = copy_of(scn);
    assert_string_equal(before, after);
    free(after);
    assert_int_equal(testutil_write(same, "keep"), 0);
    r = testutil_cli("run", scn, SHORT, "--csv", same, "--json", same, NULL);
    assert_int_equal(r.status, 2);
    testutil_run_free(&r);
    after = copy_of(same);
    assert_string_equal(after, "keep");
    free(after);
    /* Sweep's --csv, too. */
    r = testutil_cli("sweep", scn, "--vary", "store.threads=90:100:10", "--csv", scn, NULL);
    assert_int_equal(r.status, 2);
    testutil_run_free(&r);
    after = copy_of(scn);
    assert_string_equal(before, after);
    free(after);
    free(before);
}

/* When one output cannot be written, none is committed: the others keep
 * what they held. */
static void one_failed_output_commits_none(void **state)
{
    const char *json = testutil_tmp("safety-none.json");
    struct testutil_run r;
    char *text;
    (void)state;
    if (!testutil_exists("/dev/full")) {
        /* Not Linux: a folder that does not exist fails the same way, found
         * before the run. */
        assert_int_equal(testutil_write(json, "old"), 0);
        r = testutil_cli("run", KB, SHORT, "--csv", testutil_tmp("no-such-dir/x.csv"), "--json",
                         json, NULL);
        assert_int_equal(r.status, 1);
        testutil_run_free(&r);
    } else {
        assert_int_equal(testutil_write(json, "old"), 0);
        r = testutil_cli("run", KB, SHORT, "--quiet", "--csv", "/dev/full", "--json", json, NULL);
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, "/dev/full"));
        testutil_run_free(&r);
    }
    text = copy_of(json);
    assert_string_equal(text, "old");
    free(text);
}

/* A report that cannot reach standard output is exit status 1, for check
 * and --help too, and the outputs beside it are not committed. */
static void full_standard_output_fails(void **state)
{
    static const char *const commands[][4] = {{"check", NULL, NULL, NULL},
                                              {"--help", NULL, NULL, NULL},
                                              {"--version", NULL, NULL, NULL},
                                              {"run", NULL, "--json", NULL}};
    const char *json = testutil_tmp("safety-stdout.json");
    size_t c;
    (void)state;
    if (!testutil_exists("/dev/full")) {
        skip();
        return;
    }
    for (c = 0; c < sizeof commands / sizeof commands[0]; c++) {
        FILE *full = fopen("/dev/full", "w"), *err = tmpfile();
        char *argv[8];
        int argc = 0, status;
        assert_non_null(full);
        assert_non_null(err);
        argv[argc++] = (char *)"storesim";
        argv[argc++] = (char *)commands[c][0];
        if (strcmp(commands[c][0], "check") == 0 || strcmp(commands[c][0], "run") == 0)
            argv[argc++] = (char *)KB;
        if (commands[c][2]) {
            argv[argc++] = (char *)commands[c][2];
            argv[argc++] = (char *)json;
            argv[argc++] = (char *)"--set";
            argv[argc++] = (char *)"simulation.duration=10m";
            remove(json);
        }
        argv[argc] = NULL;
        status = ss_cli_main(argc, argv, full, err);
        fclose(full);
        assert_int_equal(status, 1);
        free(testutil_read_stream(err));
        if (commands[c][2])
            assert_false(testutil_exists(json));
    }
}

/* A read-only file is not replaced (exit 1, found before the run); a
 * writable one is. (POSIX only: C99 cannot make a file read-only.) */
static void read_only_output_is_kept(void **state)
{
    const char *ro = testutil_tmp("safety-ro.json");
    struct testutil_run r;
    char *text;
    (void)state;
    remove(ro);
    assert_int_equal(testutil_write(ro, "old"), 0);
#if defined(__unix__) || defined(__APPLE__)
    assert_int_equal(chmod(ro, 0444), 0);
    r = testutil_cli("run", KB, SHORT, "--json", ro, NULL);
    if (strcmp(ss_os_name(), "posix") == 0) {
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, "read-only"));
        assert_null(strstr(r.err, "events in")); /* found before the run */
        text = copy_of(ro);
        assert_string_equal(text, "old");
        free(text);
    } else {
        /* The C99 build cannot see permission bits: it asks by opening the
         * file for update, which root may always do (docs/robustness.md,
         * section 6). Either way the file is whole. */
        text = copy_of(ro);
        assert_true(r.status == 1 ? strcmp(text, "old") == 0
                                  : strstr(text, "\"symptoms\"") != NULL);
        free(text);
    }
    testutil_run_free(&r);
    assert_int_equal(chmod(ro, 0644), 0);
#endif
    r = testutil_cli("run", KB, SHORT, "--json", ro, NULL);
    assert_int_equal(r.status, 0);
    testutil_run_free(&r);
    text = copy_of(ro);
    assert_non_null(strstr(text, "\"symptoms\""));
    free(text);
}

/* A run within the event limit that would need more memory than a machine
 * has is refused before it starts, saying how much and what to change: here
 * 2 x 10^9 OWA requests that may all wait for one of 10 threads at once
 * (some 180 GiB). */
static void memory_bound_is_refused(void **state)
{
    const char *path = testutil_tmp("safety-memory.scn");
    struct testutil_run r;
    (void)state;
    assert_int_equal(testutil_write(path, "[simulation]\nduration = 2s\n[store]\nthreads = 10\n"
                                          "[owa]\nrate = 1000000000/s\nservice = 1s\n"
                                          "timeout = 1h\n"),
                     0);
    r = testutil_cli("run", path, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "safety-memory.scn: error: this run would need about "));
    assert_non_null(strstr(r.err, "of memory, more than the "));
    assert_non_null(strstr(r.err, "lower owa.rate or owa.timeout"));
    assert_null(strstr(r.err, "events in"));
    testutil_run_free(&r);
    r = testutil_cli("sweep", path, "--vary", "store.threads=10:20:10", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "of memory"));
    assert_non_null(strstr(r.err, "(at the point store.threads="));
    testutil_run_free(&r);
    /* Memory is one run's: replications do not add up. */
    r = testutil_cli("run", path, "--replications", "2", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "of memory"));
    testutil_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(outputs_never_overwrite_inputs),
        cmocka_unit_test(one_failed_output_commits_none),
        cmocka_unit_test(full_standard_output_fails),
        cmocka_unit_test(read_only_output_is_kept),
        cmocka_unit_test(memory_bound_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
