/*
 * test_output.c: outputs are written whole or not at all.
 *
 * A failed write is provoked by swapping the output's stream for one on
 * /dev/full (every flush fails with ENOSPC), which exercises the same
 * flush/ferror path a full disk would. There is no portable way to make a
 * write fail in C99, so that one test is skipped where /dev/full is absent;
 * the portable failures (a missing directory, a directory as the target)
 * are tested everywhere.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/output.h"

/* "<path>.tmp-<n>", the name ss_output_open() tries n-th. */
static const char *tmp_name(const char *path, int n)
{
    static char buf[1200];
    snprintf(buf, sizeof buf, "%s.tmp-%d", path, n);
    return buf;
}

static void assert_file_is(const char *path, const char *expected)
{
    char *got = testutil_slurp(path, NULL);
    assert_non_null(got);
    assert_string_equal(got, expected);
    free(got);
}

static void test_commit_writes_whole_file(void **state)
{
    char path[1024];
    char err[256] = "";
    struct ss_output o;
    (void)state;
    strcpy(path, testutil_tmp("out_commit.txt"));
    remove(path);
    assert_int_equal(ss_output_open(&o, path, err, sizeof err), 0);
    assert_non_null(o.f);
    assert_false(o.is_stdout);
    assert_string_equal(o.tmp, tmp_name(path, 0));
    assert_true(testutil_exists(tmp_name(path, 0)));
    assert_false(testutil_exists(path));  /* nothing at the target until commit */
    fputs("hello\nworld\n", o.f);
    assert_int_equal(ss_output_commit(&o, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_null(o.f);
    assert_null(o.tmp);
    assert_file_is(path, "hello\nworld\n");
    assert_false(testutil_exists(tmp_name(path, 0)));
    ss_output_abort(&o);  /* after commit: harmless, file stays */
    assert_file_is(path, "hello\nworld\n");
    remove(path);
}

static void test_commit_replaces_previous(void **state)
{
    char path[1024];
    char err[256];
    struct ss_output o;
    (void)state;
    strcpy(path, testutil_tmp("out_replace.txt"));
    assert_int_equal(testutil_write(path, "old contents, longer than the new\n"), 0);
    assert_int_equal(ss_output_open(&o, path, err, sizeof err), 0);
    fputs("new\n", o.f);
    assert_file_is(path, "old contents, longer than the new\n");
    assert_int_equal(ss_output_commit(&o, err, sizeof err), 0);
    assert_file_is(path, "new\n");
    assert_false(testutil_exists(tmp_name(path, 0)));
    remove(path);
}

static void test_abort_leaves_previous(void **state)
{
    char path[1024];
    struct ss_output o;
    (void)state;
    strcpy(path, testutil_tmp("out_abort.txt"));
    assert_int_equal(testutil_write(path, "previous\n"), 0);
    assert_int_equal(ss_output_open(&o, path, NULL, 0), 0);
    fputs("half a report", o.f);
    ss_output_abort(&o);
    assert_null(o.f);
    assert_file_is(path, "previous\n");
    assert_false(testutil_exists(tmp_name(path, 0)));
    ss_output_abort(&o);  /* twice: harmless */
    remove(path);
}

static void test_abort_on_zeroed_struct(void **state)
{
    struct ss_output o;
    (void)state;
    memset(&o, 0, sizeof o);
    ss_output_abort(&o);
    assert_null(o.f);
    assert_null(o.path);
    assert_null(o.tmp);
}

/* A leftover temporary from another run is neither reused nor clobbered. */
static void test_skips_existing_temp_name(void **state)
{
    char path[1024];
    char tmp0[1200];
    struct ss_output o;
    (void)state;
    strcpy(path, testutil_tmp("out_leftover.txt"));
    strcpy(tmp0, tmp_name(path, 0));
    remove(path);
    assert_int_equal(testutil_write(tmp0, "someone else's\n"), 0);
    assert_int_equal(ss_output_open(&o, path, NULL, 0), 0);
    assert_string_equal(o.tmp, tmp_name(path, 1));
    fputs("mine\n", o.f);
    assert_int_equal(ss_output_commit(&o, NULL, 0), 0);
    assert_file_is(path, "mine\n");
    assert_file_is(tmp0, "someone else's\n");
    assert_false(testutil_exists(tmp_name(path, 1)));
    remove(tmp0);
    remove(path);
}

static void test_missing_directory_fails(void **state)
{
    char path[1024];
    char err[1200] = "";
    struct ss_output o;
    (void)state;
    strcpy(path, testutil_tmp("no-such-dir/out.json"));
    assert_int_equal(ss_output_open(&o, path, err, sizeof err), -1);
    assert_null(o.f);
    assert_null(o.path);
    assert_null(o.tmp);
    assert_true(strncmp(err, "cannot write ", 13) == 0);
    assert_non_null(strstr(err, path));
    assert_true(strlen(err) > strlen("cannot write ") + strlen(path) + 2);  /* a reason */
    assert_false(testutil_exists(tmp_name(path, 0)));
    ss_output_abort(&o);  /* after a failed open: harmless */

    /* err may be NULL, or too small (truncated, still a string). */
    assert_int_equal(ss_output_open(&o, path, NULL, 0), -1);
    memset(err, 'x', sizeof err);
    assert_int_equal(ss_output_open(&o, path, err, 8), -1);
    assert_string_equal(err, "cannot ");
}

/* "--json out/": the target is a directory. The rename fails, the temporary
 * goes, the directory stays. */
static void test_directory_as_target_fails(void **state)
{
    char path[1024];
    char err[1200] = "";
    struct ss_output o;
    (void)state;
    snprintf(path, sizeof path, "%s/", STORESIM_BINARY_DIR);
    assert_int_equal(ss_output_open(&o, path, err, sizeof err), 0);
    fputs("{}\n", o.f);
    assert_int_equal(ss_output_commit(&o, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
    assert_true(strncmp(err, "cannot write ", 13) == 0);
    assert_false(testutil_exists(tmp_name(path, 0)));
    assert_null(o.f);
    assert_null(o.tmp);
    /* Still a directory one can write into. */
    assert_int_equal(testutil_write(testutil_tmp("out_dir_probe.txt"), "x"), 0);
    remove(testutil_tmp("out_dir_probe.txt"));
}

static void test_write_error_fails_commit(void **state)
{
    char path[1024];
    char err[1200] = "";
    char chunk[1024];
    struct ss_output o;
    int i;
    (void)state;
    if (!testutil_exists("/dev/full")) {
        skip();
        return;
    }
    strcpy(path, testutil_tmp("out_full.txt"));
    assert_int_equal(testutil_write(path, "previous\n"), 0);
    assert_int_equal(ss_output_open(&o, path, err, sizeof err), 0);
    /* Point the output at a device where every write fails, as on a full disk. */
    assert_int_equal(fclose(o.f), 0);
    o.f = fopen("/dev/full", "wb");
    assert_non_null(o.f);
    memset(chunk, 'x', sizeof chunk - 1);
    chunk[sizeof chunk - 1] = '\0';
    for (i = 0; i < 64; i++)  /* more than any stdio buffer: fails before commit */
        fputs(chunk, o.f);
    assert_int_equal(ss_output_commit(&o, err, sizeof err), -1);
    assert_true(strncmp(err, "cannot write ", 13) == 0);
    assert_non_null(strstr(err, path));
    assert_null(o.f);
    assert_false(testutil_exists(tmp_name(path, 0)));
    assert_file_is(path, "previous\n");
    remove(path);
}

/* Same, with the failure only at the final flush inside commit. */
static void test_flush_error_fails_commit(void **state)
{
    char path[1024];
    char err[1200] = "";
    struct ss_output o;
    (void)state;
    if (!testutil_exists("/dev/full")) {
        skip();
        return;
    }
    strcpy(path, testutil_tmp("out_full_flush.txt"));
    remove(path);
    assert_int_equal(ss_output_open(&o, path, err, sizeof err), 0);
    assert_int_equal(fclose(o.f), 0);
    o.f = fopen("/dev/full", "wb");
    assert_non_null(o.f);
    fputs("short", o.f);  /* buffered: nothing fails until the flush */
    assert_int_equal(ferror(o.f), 0);
    assert_int_equal(ss_output_commit(&o, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
    assert_false(testutil_exists(tmp_name(path, 0)));
    assert_false(testutil_exists(path));
}

static void test_dash_is_stdout(void **state)
{
    char err[256] = "";
    struct ss_output o;
    (void)state;
    assert_int_equal(ss_output_open(&o, "-", err, sizeof err), 0);
    assert_ptr_equal(o.f, stdout);
    assert_true(o.is_stdout);
    assert_false(testutil_exists(tmp_name("-", 0)));
    assert_int_equal(ss_output_commit(&o, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_null(o.f);

    assert_int_equal(ss_output_open(&o, "-", err, sizeof err), 0);
    ss_output_abort(&o);  /* must not close stdout */
    assert_null(o.f);
    assert_int_equal(fflush(stdout), 0);
    assert_int_equal(ferror(stdout), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit_writes_whole_file),
        cmocka_unit_test(test_commit_replaces_previous),
        cmocka_unit_test(test_abort_leaves_previous),
        cmocka_unit_test(test_abort_on_zeroed_struct),
        cmocka_unit_test(test_skips_existing_temp_name),
        cmocka_unit_test(test_missing_directory_fails),
        cmocka_unit_test(test_directory_as_target_fails),
        cmocka_unit_test(test_write_error_fails_commit),
        cmocka_unit_test(test_flush_error_fails_commit),
        cmocka_unit_test(test_dash_is_stdout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
