/*
 * test_output.c: outputs are written whole or not at all, never over an
 * input, never in place of a device (include/storesim/output.h).
 *
 * One test per kind of target (docs/robustness.md, section 6). Every test runs
 * on the platform's build and on the pure C99 fallback (-DSTORESIM_OS=c99);
 * where the fallback cannot know (hard links, symbolic links, FIFOs,
 * permission bits), the test asserts what the fallback promises instead.
 *
 * A failed write is provoked by swapping an output's stream for one on
 * /dev/full (every flush fails with ENOSPC), the path a full disk takes.
 * Links, FIFOs, modes and folders are made with the shell through system().
 */
#include "testutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/os.h"
#include "storesim/output.h"

#define SELF STORESIM_BINARY_DIR "/test_output"
#define DIR STORESIM_BINARY_DIR "/out.d"

static int sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd) == 0 ? 0 : -1;
}

/* DIR "/name", in a ring of buffers. */
static const char *at(const char *name)
{
    static char buf[16][1200];
    static int next;
    char *b = buf[next++ % 16];
    snprintf(b, sizeof buf[0], "%s/%s", DIR, name);
    return b;
}

static int c99(void)
{
    return strcmp(ss_os_name(), "c99") == 0;
}

static int is_root(void)
{
    return sh("test \"$(id -u)\" = 0") == 0;
}

/* "<path>.tmp-<n>", the name an output beside `path` tries n-th. */
static const char *tmp_name(const char *path, int n)
{
    static char buf[1300]; /* room for any 1200-byte path and suffix */
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

/* Nothing in the folder but these names (a space-separated, sorted list). */
static void assert_folder_holds(const char *folder, const char *names)
{
    assert_int_equal(sh("test \"$(cd '%s' && ls -A | tr '\\n' ' ')\" = '%s'", folder, names), 0);
}

static int setup(void **state)
{
    (void)state;
    return sh("rm -rf '%s' && mkdir -p '%s'", DIR, DIR);
}

static int teardown(void **state)
{
    (void)state;
    return sh("rm -rf '%s'", DIR);
}

/* A fresh, empty folder for one test. */
static const char *fresh(const char *name)
{
    const char *d = at(name);
    assert_int_equal(sh("rm -rf '%s' && mkdir -p '%s'", d, d), 0);
    return d;
}

/* ---- one output, the basic contract ---------------------------------------------- */

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
    assert_false(testutil_exists(path)); /* nothing at the target until commit */
    fputs("hello\nworld\n", o.f);
    assert_int_equal(ss_output_commit(&o, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_null(o.f);
    assert_null(o.tmp);
    assert_file_is(path, "hello\nworld\n");
    assert_false(testutil_exists(tmp_name(path, 0)));
    ss_output_abort(&o); /* after commit: harmless, file stays */
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
    ss_output_abort(&o); /* twice: harmless */
    remove(path);
}

static void test_abort_on_zeroed_struct(void **state)
{
    struct ss_output o;
    struct ss_outputs set;
    (void)state;
    memset(&o, 0, sizeof o);
    ss_output_abort(&o);
    assert_null(o.f);
    assert_null(o.path);
    assert_null(o.tmp);
    memset(&set, 0, sizeof set);
    ss_outputs_abort(&set);
    assert_null(set.item);
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
    for (i = 0; i < 64; i++) /* more than any stdio buffer: fails before commit */
        fputs(chunk, o.f);
    assert_int_equal(ss_output_commit(&o, err, sizeof err), -1);
    assert_true(strncmp(err, "cannot write ", 13) == 0);
    assert_non_null(strstr(err, path));
#ifdef ENOSPC
    assert_non_null(strstr(err, strerror(ENOSPC))); /* the reason survives the delay */
#endif
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
    fputs("short", o.f); /* buffered: nothing fails until the flush */
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
    assert_null(o.path);
    assert_null(o.tmp);
    assert_false(testutil_exists(tmp_name("-", 0)));
    assert_int_equal(ss_output_commit(&o, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_null(o.f);

    assert_int_equal(ss_output_open(&o, "-", err, sizeof err), 0);
    ss_output_abort(&o); /* must not close stdout */
    assert_null(o.f);
    assert_int_equal(fflush(stdout), 0);
    assert_int_equal(ferror(stdout), 0);
}

/* ---- an output that is an input, or another output ------------------------------ */

static int check1(const char *label, const char *path, const char *input, char *err, size_t size)
{
    struct ss_file_arg out = {label, path};
    struct ss_file_arg in = {"the scenario", input};
    return ss_outputs_check(&out, 1, &in, 1, err, size);
}

static void test_output_that_is_the_input(void **state)
{
    const char *d = fresh("input");
    char scn[1200], spelled[1200], err[1024];
    static const char *const posix_only[] = {"hard.scn", "link.scn", "sub/../s.scn"};
    size_t k;
    (void)state;
    strcpy(scn, at("input/s.scn"));
    assert_int_equal(testutil_write(scn, "[simulation]\n"), 0);
    assert_int_equal(sh("cd '%s' && mkdir sub && ln s.scn hard.scn && ln -s s.scn link.scn", d),
                     0);
    assert_int_equal(check1("--json", scn, scn, err, sizeof err), SS_OUTPUTS_BAD_NAME);
    assert_non_null(strstr(err, "--json"));
    assert_non_null(strstr(err, "the scenario"));
    assert_non_null(strstr(err, "may not overwrite an input"));
    /* Other spellings of the same name: every build sees through these. */
    snprintf(spelled, sizeof spelled, "%s/./s.scn", d);
    assert_int_equal(check1("--json", spelled, scn, err, sizeof err), SS_OUTPUTS_BAD_NAME);
    snprintf(spelled, sizeof spelled, "%s//s.scn", d);
    assert_int_equal(check1("--csv", spelled, scn, err, sizeof err), SS_OUTPUTS_BAD_NAME);
    /* A hard link, a symbolic link, a detour: only identity can tell. */
    for (k = 0; k < sizeof posix_only / sizeof *posix_only; k++) {
        snprintf(spelled, sizeof spelled, "%s/%s", d, posix_only[k]);
        assert_int_equal(check1("--svg", spelled, scn, err, sizeof err),
                         c99() ? SS_OUTPUTS_OK : SS_OUTPUTS_BAD_NAME);
    }
    /* Not the same file: fine. */
    assert_int_equal(check1("--json", at("input/s.json"), scn, err, sizeof err), SS_OUTPUTS_OK);
    /* A read-only scenario is still reported as the input it is. */
    assert_int_equal(sh("chmod 444 '%s'", scn), 0);
    assert_int_equal(check1("--json", scn, scn, err, sizeof err), SS_OUTPUTS_BAD_NAME);
    assert_file_is(scn, "[simulation]\n");
    assert_folder_holds(d, "hard.scn link.scn s.scn sub ");
}

static void test_two_outputs_the_same_file(void **state)
{
    const char *d = fresh("twice");
    char err[1024], other[1200];
    struct ss_file_arg out[3] = {{"--csv", NULL}, {"--svg", NULL}, {"--json", NULL}};
    (void)state;
    out[0].path = at("twice/x");
    out[2].path = at("twice/x"); /* --svg not asked for */
    assert_int_equal(ss_outputs_check(out, 3, NULL, 0, err, sizeof err), SS_OUTPUTS_BAD_NAME);
    assert_non_null(strstr(err, "--csv"));
    assert_non_null(strstr(err, "--json"));
    assert_non_null(strstr(err, "are the same file"));
    /* Not there yet, spelled two ways. */
    snprintf(other, sizeof other, "%s/./x", d);
    out[2].path = other;
    assert_int_equal(ss_outputs_check(out, 3, NULL, 0, err, sizeof err), SS_OUTPUTS_BAD_NAME);
    /* There, and a hard link to it. */
    assert_int_equal(sh("cd '%s' && printf x > x && ln x y", d), 0);
    assert_int_equal(ss_outputs_check(out, 3, NULL, 0, err, sizeof err), SS_OUTPUTS_BAD_NAME);
    out[2].path = at("twice/y");
    assert_int_equal(ss_outputs_check(out, 3, NULL, 0, err, sizeof err),
                     c99() ? SS_OUTPUTS_OK : SS_OUTPUTS_BAD_NAME);
    out[2].path = at("twice/z");
    assert_int_equal(ss_outputs_check(out, 3, NULL, 0, err, sizeof err), SS_OUTPUTS_OK);
    /* The open checks them against each other again, and opens nothing. */
    {
        struct ss_outputs set;
        out[2].path = other;
        err[0] = '\0';
        assert_int_equal(ss_outputs_open(&set, out, 3, NULL, err, sizeof err), SS_OUTPUTS_BAD_NAME);
        assert_non_null(strstr(err, "are the same file"));
        assert_null(set.item);
    }
    assert_folder_holds(d, "x y ");
    /* One FIFO twice would mix two outputs in one stream: refused too. */
    assert_int_equal(sh("cd '%s' && mkfifo f && ln -s f g", d), 0);
    out[0].path = at("twice/f");
    out[2].path = at("twice/f");
    assert_int_equal(ss_outputs_check(out, 3, NULL, 0, err, sizeof err), SS_OUTPUTS_BAD_NAME);
    out[2].path = at("twice/g");
    assert_int_equal(ss_outputs_check(out, 3, NULL, 0, err, sizeof err),
                     c99() ? SS_OUTPUTS_OK : SS_OUTPUTS_BAD_NAME);
}

/* Several outputs may share standard output or a device: nothing is lost. */
static void test_shared_streams_are_allowed(void **state)
{
    char err[1024] = "";
    struct ss_file_arg dash[3] = {{"--trace", "-"}, {"--csv", "-"}, {"--json", "/dev/stdout"}};
    struct ss_file_arg null[2] = {{"--csv", "/dev/null"}, {"--json", "/dev//null"}};
    (void)state;
    assert_int_equal(ss_outputs_check(dash, 3, NULL, 0, err, sizeof err), SS_OUTPUTS_OK);
    assert_int_equal(ss_outputs_check(null, 2, NULL, 0, err, sizeof err), SS_OUTPUTS_OK);
    assert_string_equal(err, "");
}

/* ---- outputs that cannot be written ---------------------------------------------- */

static void test_missing_directory_fails(void **state)
{
    char path[1024];
    char err[1200] = "";
    struct ss_output o;
    (void)state;
    strcpy(path, testutil_tmp("no-such-dir/out.json"));
    /* Found by the check, before any run... */
    assert_int_equal(check1("--json", path, NULL, err, sizeof err), SS_OUTPUTS_UNWRITABLE);
    assert_true(strncmp(err, "cannot write ", 13) == 0);
    assert_non_null(strstr(err, path));
#ifdef ENOENT
    assert_non_null(strstr(err, strerror(ENOENT))); /* as docs/cli.md quotes it */
#endif
    /* ...and by the open. */
    err[0] = '\0';
    assert_int_equal(ss_output_open(&o, path, err, sizeof err), -1);
    assert_null(o.f);
    assert_null(o.path);
    assert_null(o.tmp);
    assert_true(strncmp(err, "cannot write ", 13) == 0);
    assert_non_null(strstr(err, path));
    assert_true(strlen(err) > strlen("cannot write ") + strlen(path) + 2); /* a reason */
    assert_false(testutil_exists(tmp_name(path, 0)));
    ss_output_abort(&o); /* after a failed open: harmless */

    /* err may be NULL, or too small (truncated, still a string). */
    assert_int_equal(ss_output_open(&o, path, NULL, 0), -1);
    memset(err, 'x', sizeof err);
    assert_int_equal(ss_output_open(&o, path, err, 8), -1);
    assert_string_equal(err, "cannot ");
}

/* "--json out/": refused before the run; the directory stays as it is. */
static void test_directory_is_refused(void **state)
{
    const char *d = fresh("adir");
    char err[1200] = "", slash[1200];
    struct ss_output o;
    (void)state;
    assert_int_equal(check1("--json", d, NULL, err, sizeof err), SS_OUTPUTS_UNWRITABLE);
    assert_non_null(strstr(err, d));
    assert_non_null(strstr(err, "directory"));
    snprintf(slash, sizeof slash, "%s/", d);
    assert_int_equal(check1("--json", slash, NULL, err, sizeof err), SS_OUTPUTS_UNWRITABLE);
    assert_int_equal(ss_output_open(&o, slash, err, sizeof err), -1);
    assert_true(strncmp(err, "cannot write ", 13) == 0);
    assert_null(o.f);
    assert_int_equal(sh("test -d '%s'", d), 0);
    assert_folder_holds(d, "");
}

static void test_not_a_folder(void **state)
{
    const char *d = fresh("notdir");
    char err[1200] = "";
    (void)state;
    assert_int_equal(testutil_write(at("notdir/file"), "x"), 0);
    assert_int_equal(check1("--csv", at("notdir/file/x.csv"), NULL, err, sizeof err),
                     SS_OUTPUTS_UNWRITABLE);
    assert_non_null(strstr(err, "cannot write "));
    assert_folder_holds(d, "file ");
}

static void test_read_only_file_is_refused(void **state)
{
    const char *d = fresh("ro");
    char err[1200] = "";
    struct ss_output o;
    (void)state;
    assert_int_equal(sh("printf keep > '%s' && chmod 444 '%s'", at("ro/r.json"), at("ro/r.json")),
                     0);
    if (c99() && is_root()) {
        /* C99 cannot see permission bits, and root may open the file: it is
         * replaced whole, as before (docs/robustness.md). */
        assert_int_equal(check1("--json", at("ro/r.json"), NULL, err, sizeof err), SS_OUTPUTS_OK);
        assert_int_equal(ss_output_open(&o, at("ro/r.json"), err, sizeof err), 0);
        fputs("new", o.f);
        assert_int_equal(ss_output_commit(&o, err, sizeof err), 0);
        assert_file_is(at("ro/r.json"), "new");
        return;
    }
    /* Even as root: a file without any write permission is not replaced. */
    assert_int_equal(check1("--json", at("ro/r.json"), NULL, err, sizeof err),
                     SS_OUTPUTS_UNWRITABLE);
    assert_non_null(strstr(err, "r.json"));
    assert_true(strstr(err, "read-only") || strstr(err, "denied"));
    assert_int_equal(ss_output_open(&o, at("ro/r.json"), err, sizeof err), -1);
    assert_file_is(at("ro/r.json"), "keep");
    assert_int_equal(sh("test \"$(stat -c %%a '%s')\" = 444", at("ro/r.json")), 0);
    assert_folder_holds(d, "r.json ");
}

/* A folder where no new file may be made: the temporary could not be. */
static void test_unwritable_folder(void **state)
{
    const char *d = fresh("rofolder");
    char err[1200] = "";
    struct ss_output o;
    (void)state;
    assert_int_equal(sh("printf keep > '%s/w.json' && chmod 555 '%s'", d, d), 0);
    if (is_root()) {
        /* Root may create files there: both outputs work. */
        assert_int_equal(check1("--json", at("rofolder/w.json"), NULL, err, sizeof err),
                         SS_OUTPUTS_OK);
        assert_int_equal(ss_output_open(&o, at("rofolder/new.json"), err, sizeof err), 0);
        ss_output_abort(&o);
    } else if (c99()) {
        /* C99 cannot ask: the temporary's creation says, at the open. */
        assert_int_equal(ss_output_open(&o, at("rofolder/new.json"), err, sizeof err), -1);
        assert_non_null(strstr(err, "new.json"));
    } else {
        assert_int_equal(check1("--json", at("rofolder/new.json"), NULL, err, sizeof err),
                         SS_OUTPUTS_UNWRITABLE);
        assert_non_null(strstr(err, "cannot create a file in its folder"));
        /* Even a file that may be written: it is replaced by a new one. */
        assert_int_equal(check1("--json", at("rofolder/w.json"), NULL, err, sizeof err),
                         SS_OUTPUTS_UNWRITABLE);
    }
    assert_int_equal(sh("chmod 755 '%s'", d), 0);
    assert_file_is(at("rofolder/w.json"), "keep");
    assert_folder_holds(d, "w.json ");
}

/* When every name NAME.tmp-0 ... NAME.tmp-999 is taken: a clear failure,
 * none of them touched. */
static void test_too_many_look_alikes(void **state)
{
    const char *d = fresh("crowd");
    char err[1200] = "";
    struct ss_output o;
    (void)state;
    assert_int_equal(sh("cd '%s' && i=0; while [ $i -lt 1000 ]; do printf $i > t.tmp-$i; "
                        "i=$((i+1)); done", d), 0);
    assert_int_equal(ss_output_open(&o, at("crowd/t"), err, sizeof err), -1);
    assert_non_null(strstr(err, "too many leftover temporary files"));
    assert_null(o.f);
    assert_file_is(at("crowd/t.tmp-0"), "0");
    assert_file_is(at("crowd/t.tmp-999"), "999");
    assert_false(testutil_exists(at("crowd/t")));
    assert_int_equal(sh("test \"$(ls -A '%s' | wc -l)\" -eq 1000", d), 0);
}

static void test_socket_is_refused(void **state)
{
    char err[1200] = "";
    (void)state;
    fresh("sock");
    if (c99() || sh("command -v python3 >/dev/null 2>&1 && python3 -c \"import socket; "
                    "socket.socket(socket.AF_UNIX).bind('%s')\"", at("sock/s")) != 0) {
        /* C99 cannot make one, nor tell one (it would fail to open it). */
        assert_int_equal(check1("--json", at("sock/none"), NULL, err, sizeof err), SS_OUTPUTS_OK);
        skip();
        return;
    }
    assert_int_equal(check1("--json", at("sock/s"), NULL, err, sizeof err), SS_OUTPUTS_UNWRITABLE);
    assert_non_null(strstr(err, "socket"));
}

/* ---- devices, FIFOs, standard streams -------------------------------------------- */

static void test_device_is_written_in_place(void **state)
{
    char err[1200] = "";
    struct ss_file_arg arg[1] = {{"--json", "/dev/null"}};
    struct ss_outputs set;
    (void)state;
    assert_int_equal(ss_outputs_open(&set, arg, 1, NULL, err, sizeof err), 0);
    assert_non_null(ss_outputs_stream(&set, 0));
    assert_null(set.item[0].tmp); /* no temporary: the device itself */
    /* (or standard output, when that is /dev/null already) */
    assert_true(set.item[0].in_place || set.item[0].is_stdout);
    fputs("{}\n", ss_outputs_stream(&set, 0));
    assert_int_equal(ss_outputs_commit(&set, err, sizeof err), 0);
    assert_int_equal(sh("test -c /dev/null"), 0);
    assert_false(testutil_exists(tmp_name("/dev/null", 0)));

    /* A device node of our own, where a mistake would do no harm. */
    if (c99() || sh("mknod '%s' c 1 3 2>/dev/null", at("null")) != 0) {
        skip(); /* not root, or C99 (which knows devices only under /dev/) */
        return;
    }
    arg[0].path = at("null");
    assert_int_equal(ss_outputs_open(&set, arg, 1, NULL, err, sizeof err), 0);
    assert_null(set.item[0].tmp);
    fputs("{}\n", ss_outputs_stream(&set, 0));
    assert_int_equal(ss_outputs_commit(&set, err, sizeof err), 0);
    assert_int_equal(sh("test -c '%s'", at("null")), 0);
    remove(at("null"));
}

/* --csv /dev/full: a failure with the system's reason, and no other output
 * is committed. */
static void test_full_device_commits_nothing(void **state)
{
    const char *d = fresh("full");
    char err[1200] = "";
    struct ss_file_arg arg[3] = {{"--json", NULL}, {"--csv", "/dev/full"}, {"--svg", NULL}};
    struct ss_outputs set;
    size_t i;
    (void)state;
    if (!testutil_exists("/dev/full")) {
        skip();
        return;
    }
    arg[0].path = at("full/a.json");
    arg[2].path = at("full/b.svg");
    assert_int_equal(testutil_write(arg[0].path, "previous"), 0);
    assert_int_equal(ss_outputs_check(arg, 3, NULL, 0, err, sizeof err), SS_OUTPUTS_OK);
    assert_int_equal(ss_outputs_open(&set, arg, 3, NULL, err, sizeof err), 0);
    assert_null(set.item[1].tmp);
    for (i = 0; i < 3; i++)
        fputs("some output\n", ss_outputs_stream(&set, i));
    assert_int_equal(ss_outputs_commit(&set, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot write /dev/full: "));
#ifdef ENOSPC
    assert_non_null(strstr(err, strerror(ENOSPC)));
#endif
    assert_non_null(strstr(err, "not written:"));
    assert_non_null(strstr(err, "a.json"));
    assert_non_null(strstr(err, "b.svg"));
    assert_null(set.item);
    assert_file_is(arg[0].path, "previous");
    assert_folder_holds(d, "a.json ");
    assert_int_equal(sh("test -c /dev/full"), 0);
}

/* Wait (up to 10 s) until `path` holds `want`. */
static int wait_for(const char *path, const char *want)
{
    int i;
    for (i = 0; i < 200; i++) {
        char *got = testutil_slurp(path, NULL);
        int ok = got && strcmp(got, want) == 0;
        free(got);
        if (ok)
            return 1;
        sh("sleep 0.05");
    }
    return 0;
}

static void test_fifo_is_written_in_place(void **state)
{
    const char *d = fresh("fifo");
    char err[1200] = "";
    struct ss_file_arg arg[1] = {{"--json", NULL}};
    struct ss_outputs set;
    (void)state;
    arg[0].path = at("fifo/f");
    assert_int_equal(sh("mkfifo '%s'", arg[0].path), 0);
    if (c99()) {
        /* C99 cannot tell a FIFO from a file outside /dev/ (and opening it to
         * read would block): it is replaced whole by a file, as before. */
        assert_int_equal(ss_outputs_open(&set, arg, 1, NULL, err, sizeof err), 0);
        assert_non_null(set.item[0].tmp);
        fputs("{}\n", ss_outputs_stream(&set, 0));
        assert_int_equal(ss_outputs_commit(&set, err, sizeof err), 0);
        assert_file_is(arg[0].path, "{}\n");
        return;
    }
    assert_int_equal(sh("(timeout 10 cat '%s' > '%s') </dev/null >/dev/null 2>&1 &",
                        arg[0].path, at("fifo/got")), 0);
    assert_int_equal(ss_outputs_open(&set, arg, 1, NULL, err, sizeof err), 0);
    assert_null(set.item[0].tmp);
    fputs("{\"through\": \"the pipe\"}\n", ss_outputs_stream(&set, 0));
    assert_int_equal(ss_outputs_commit(&set, err, sizeof err), 0);
    assert_true(wait_for(at("fifo/got"), "{\"through\": \"the pipe\"}\n"));
    assert_int_equal(sh("test -p '%s'", arg[0].path), 0); /* still a FIFO */
    assert_folder_holds(d, "f got ");
}

/* A reader that has gone: the write fails (EPIPE), it does not succeed. */
static void test_fifo_without_reader_fails(void **state)
{
    char err[1200] = "";
    struct ss_file_arg arg[1] = {{"--json", NULL}};
    struct ss_outputs set;
    static char chunk[65536];
    int i;
    (void)state;
    if (c99()) {
        assert_string_equal(ss_os_name(), "c99"); /* the FIFO is replaced: see above */
        return;
    }
    fresh("gone");
    arg[0].path = at("gone/f");
    assert_int_equal(sh("mkfifo '%s'", arg[0].path), 0);
    assert_int_equal(ss_os_catch_signals(), 0); /* SIGPIPE ignored: EPIPE instead */
    assert_int_equal(sh("(timeout 10 head -c 1 '%s' > /dev/null) </dev/null >/dev/null 2>&1 &",
                        arg[0].path), 0);
    assert_int_equal(ss_outputs_open(&set, arg, 1, NULL, err, sizeof err), 0);
    memset(chunk, 'x', sizeof chunk);
    for (i = 0; i < 400 && !ferror(ss_outputs_stream(&set, 0)); i++) /* up to 25 MiB */
        fwrite(chunk, 1, sizeof chunk, ss_outputs_stream(&set, 0));
    assert_int_equal(ss_outputs_commit(&set, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot write "));
    assert_non_null(strstr(err, "gone/f"));
    ss_os_signal_clear();
}

static void test_dev_stdout_is_standard_output(void **state)
{
    char err[1200] = "";
    struct ss_file_arg arg[3] = {{"--json", "/dev/stdout"}, {"--trace", "-"},
                                 {"--csv", "/dev/stderr"}};
    struct ss_outputs set;
    FILE *out = tmpfile();
    struct ss_os_info fd1, fd2;
    char *text;
    (void)state;
    assert_non_null(out);
    /* Where stderr is the very file stdout is (2>&1, ctest), it is stdout. */
    ss_os_inspect_std(1, &fd1);
    ss_os_inspect_std(2, &fd2);
    assert_int_equal(ss_outputs_check(arg, 3, NULL, 0, err, sizeof err), SS_OUTPUTS_OK);
    assert_int_equal(ss_outputs_open(&set, arg, 3, out, err, sizeof err), 0);
    assert_ptr_equal(ss_outputs_stream(&set, 0), out); /* the command's own stream */
    assert_true(set.item[0].is_stdout);
    assert_ptr_equal(ss_outputs_stream(&set, 1), out);
    assert_ptr_equal(ss_outputs_stream(&set, 2),
                     ss_os_same_file(&fd1, &fd2) == 1 ? out : stderr);
    fputs("json\n", ss_outputs_stream(&set, 0));
    fputs("trace\n", ss_outputs_stream(&set, 1));
    assert_int_equal(ss_outputs_commit(&set, err, sizeof err), 0);
    text = testutil_read_stream(out);
    assert_string_equal(text, "json\ntrace\n");
    free(text);
    assert_false(testutil_exists(tmp_name("/dev/stdout", 0)));
}

/* storesim run s.scn --json r.txt > r.txt: the JSON goes through standard
 * output, in place; r.txt is not replaced under the report's feet. */
static void test_file_that_is_stdout(void **state)
{
    char *text;
    (void)state;
    fresh("redirect");
    assert_int_equal(sh("'%s' --child stdout-file '%s' > '%s'", SELF, at("redirect/r.txt"),
                        at("redirect/r.txt")), 0);
    text = testutil_slurp(at("redirect/r.txt"), NULL);
    assert_non_null(text);
    if (c99()) /* cannot tell: written beside, renamed over the report (as before) */
        assert_string_equal(text, "the json\n");
    else
        assert_string_equal(text, "the report\nthe json\n");
    free(text);
}

static void test_failed_stdout_commits_nothing(void **state)
{
    const char *d = fresh("stdoutfail");
    char err[1200] = "";
    struct ss_file_arg arg[2] = {{"--trace", "-"}, {"--json", NULL}};
    struct ss_outputs set;
    FILE *out;
    (void)state;
    arg[1].path = at("stdoutfail/x.json");
    assert_int_equal(testutil_write(at("stdoutfail/report"), ""), 0);
    out = fopen(at("stdoutfail/report"), "rb"); /* every write fails */
    assert_non_null(out);
    assert_int_equal(ss_outputs_open(&set, arg, 2, out, err, sizeof err), 0);
    fputs("the report, lost\n", out);
    fputs("{}\n", ss_outputs_stream(&set, 1));
    assert_int_equal(ss_outputs_commit(&set, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot write standard output"));
    assert_non_null(strstr(err, "not written: "));
    assert_non_null(strstr(err, "x.json"));
    fclose(out);
    assert_folder_holds(d, "report ");
}

/* ---- links, long names, look-alikes, permissions ------------------------------------ */

static void test_symlink_target_is_replaced(void **state)
{
    const char *d = fresh("link");
    char err[1200] = "";
    struct ss_output o;
    (void)state;
    assert_int_equal(sh("cd '%s' && mkdir real && printf old > real/t.json && "
                        "ln -s real/t.json l.json && ln -s real/new.json dangling.json", d), 0);
    assert_int_equal(ss_output_open(&o, at("link/l.json"), err, sizeof err), 0);
    if (c99()) {
        /* C99 cannot see links: the link itself is replaced by a file. */
        fputs("new", o.f);
        assert_int_equal(ss_output_commit(&o, err, sizeof err), 0);
        assert_int_equal(sh("test ! -L '%s'", at("link/l.json")), 0);
        assert_file_is(at("link/real/t.json"), "old");
        return;
    }
    /* The temporary is in the target's own folder, so the rename is one step. */
    assert_string_equal(o.tmp, tmp_name(at("link/real/t.json"), 0));
    fputs("new", o.f);
    assert_int_equal(ss_output_commit(&o, err, sizeof err), 0);
    assert_int_equal(sh("test -L '%s'", at("link/l.json")), 0); /* the link stays */
    assert_file_is(at("link/real/t.json"), "new");
    /* A link to nothing yet: its target is created, the link stays. */
    assert_int_equal(ss_output_open(&o, at("link/dangling.json"), err, sizeof err), 0);
    fputs("created", o.f);
    assert_int_equal(ss_output_commit(&o, err, sizeof err), 0);
    assert_int_equal(sh("test -L '%s'", at("link/dangling.json")), 0);
    assert_file_is(at("link/real/new.json"), "created");
    assert_folder_holds(at("link/real"), "new.json t.json ");
}

static void test_long_names(void **state)
{
    const char *d = fresh("long");
    char name[400], path[1600], err[1200] = "";
    struct ss_output o;
    const char *tmp_base;
    size_t n;
    (void)state;
    /* 250 bytes: the old "<name>.tmp-<n>" would have been 256, too long. */
    memset(name, 'n', 250);
    strcpy(name + 245, ".json");
    snprintf(path, sizeof path, "%s/%s", d, name);
    assert_int_equal(check1("--json", path, NULL, err, sizeof err), SS_OUTPUTS_OK);
    assert_int_equal(ss_output_open(&o, path, err, sizeof err), 0);
    tmp_base = strrchr(o.tmp, '/') + 1;
    assert_true(strlen(tmp_base) <= 32 + strlen(".tmp-999"));
    assert_int_equal(strncmp(tmp_base, name, 32), 0); /* its name's start, to recognise it */
    fputs("long", o.f);
    assert_int_equal(ss_output_commit(&o, err, sizeof err), 0);
    assert_file_is(path, "long");
    remove(path);

    /* 255 bytes, the limit on most file systems, and a name cut after 32
     * bytes is never cut inside a UTF-8 character. */
    name[0] = 'a';
    for (n = 1; n + 2 <= 250; n += 2)
        memcpy(name + n, "\xc3\xa9", 2); /* é */
    strcpy(name + n, ".json");
    assert_int_equal(strlen(name), 254);
    snprintf(path, sizeof path, "%s/%s", d, name);
    assert_int_equal(ss_output_open(&o, path, err, sizeof err), 0);
    tmp_base = strrchr(o.tmp, '/') + 1;
    assert_int_equal(strncmp(tmp_base, name, 31), 0);
    assert_string_equal(tmp_base + 31, ".tmp-0"); /* 32 would split an é */
    fputs("utf-8", o.f);
    assert_int_equal(ss_output_commit(&o, err, sizeof err), 0);
    assert_file_is(path, "utf-8");
    remove(path);

    /* Past the limit: refused before the run with the system's reason. */
    memset(name, 'n', 300);
    name[300] = '\0';
    snprintf(path, sizeof path, "%s/%s", d, name);
    assert_int_equal(check1("--json", path, NULL, err, sizeof err), SS_OUTPUTS_UNWRITABLE);
#ifdef ENAMETOOLONG
    assert_non_null(strstr(err, strerror(ENAMETOOLONG)));
#endif
    assert_non_null(strstr(err, "...")); /* the path is cut in the message */
    assert_folder_holds(d, "");
}

/* Files named like storesim's temporaries belong to someone else. */
static void test_look_alikes_are_never_touched(void **state)
{
    const char *d = fresh("decoy");
    char target[1200], err[1200] = "";
    struct ss_output o;
    (void)state;
    strcpy(target, at("decoy/t.json"));
    assert_int_equal(testutil_write(tmp_name(target, 0), "someone else's\n"), 0);
    if (!c99()) /* a link to nothing, which a careless create would follow */
        assert_int_equal(sh("ln -s victim '%s'", tmp_name(target, 1)), 0);
    assert_int_equal(ss_output_open(&o, target, err, sizeof err), 0);
    assert_string_equal(o.tmp, tmp_name(target, c99() ? 1 : 2));
    fputs("mine\n", o.f);
    assert_int_equal(ss_output_commit(&o, err, sizeof err), 0);
    assert_file_is(target, "mine\n");
    assert_file_is(tmp_name(target, 0), "someone else's\n");
    assert_false(testutil_exists(at("decoy/victim")));
    /* Abandoned, the same: only our own temporary goes. */
    assert_int_equal(ss_output_open(&o, target, err, sizeof err), 0);
    fputs("half", o.f);
    ss_output_abort(&o);
    assert_file_is(target, "mine\n");
    assert_file_is(tmp_name(target, 0), "someone else's\n");
    assert_folder_holds(d, c99() ? "t.json t.json.tmp-0 "
                                 : "t.json t.json.tmp-0 t.json.tmp-1 ");
}

static void test_permission_bits_are_kept(void **state)
{
    char err[1200] = "";
    struct ss_output o;
    (void)state;
    fresh("mode");
    assert_int_equal(sh("printf old > '%s' && chmod 640 '%s'", at("mode/m.csv"), at("mode/m.csv")),
                     0);
    assert_int_equal(testutil_write(at("mode/fresh"), ""), 0); /* what a new file gets */
    assert_int_equal(ss_output_open(&o, at("mode/m.csv"), err, sizeof err), 0);
    fputs("new", o.f);
    assert_int_equal(ss_output_commit(&o, err, sizeof err), 0);
    assert_file_is(at("mode/m.csv"), "new");
    if (c99()) /* C99 cannot read or set them: the new file's mode (documented) */
        assert_int_equal(sh("test \"$(stat -c %%a '%s')\" = \"$(stat -c %%a '%s')\"",
                            at("mode/m.csv"), at("mode/fresh")), 0);
    else
        assert_int_equal(sh("test \"$(stat -c %%a '%s')\" = 640", at("mode/m.csv")), 0);
}

/* ---- a set: all or none ------------------------------------------------------------- */

static void open_three(struct ss_outputs *set, struct ss_file_arg arg[3], const char *folder)
{
    char err[1200] = "";
    size_t i;
    static char path[3][1200];
    static const char *const names[] = {"a", "b", "c"};
    for (i = 0; i < 3; i++) {
        snprintf(path[i], sizeof path[i], "%s/%s", folder, names[i]);
        arg[i].label = names[i];
        arg[i].path = path[i];
    }
    assert_int_equal(testutil_write(arg[0].path, "A0"), 0);
    assert_int_equal(testutil_write(arg[2].path, "C0"), 0);
    assert_int_equal(ss_outputs_check(arg, 3, NULL, 0, err, sizeof err), SS_OUTPUTS_OK);
    assert_int_equal(ss_outputs_open(set, arg, 3, NULL, err, sizeof err), 0);
    for (i = 0; i < 3; i++)
        fputs(names[i], ss_outputs_stream(set, i));
}

static void test_one_failed_file_commits_none(void **state)
{
    const char *d = fresh("none");
    char err[1200] = "";
    struct ss_file_arg arg[3];
    struct ss_outputs set;
    (void)state;
    if (!testutil_exists("/dev/full")) {
        skip();
        return;
    }
    open_three(&set, arg, d);
    /* b's disk is full. */
    assert_int_equal(fclose(set.item[1].f), 0);
    set.item[1].f = fopen("/dev/full", "wb");
    assert_non_null(set.item[1].f);
    fputs("b", set.item[1].f);
    assert_int_equal(ss_outputs_commit(&set, err, sizeof err), -1);
    assert_non_null(strstr(err, "none/b: "));
    assert_non_null(strstr(err, "; not written: "));
    assert_non_null(strstr(err, "none/a, "));
    assert_non_null(strstr(err, "none/c"));
    assert_file_is(arg[0].path, "A0");
    assert_file_is(arg[2].path, "C0");
    assert_folder_holds(d, "a c ");
}

/* A rename that fails half-way (b turned into a folder during the run): a is
 * replaced, b and c are not, and the message says so. */
static void test_rename_failing_half_way_says_which(void **state)
{
    const char *d = fresh("half");
    char err[1200] = "";
    struct ss_file_arg arg[3];
    struct ss_outputs set;
    (void)state;
    open_three(&set, arg, d);
    assert_int_equal(sh("mkdir '%s'", arg[1].path), 0);
    assert_int_equal(ss_outputs_commit(&set, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot write "));
    assert_non_null(strstr(err, "half/b: "));
    assert_non_null(strstr(err, "; written: "));
    assert_non_null(strstr(err, "half/a; not written: "));
    assert_non_null(strstr(err, "half/c"));
    assert_file_is(arg[0].path, "a");
    assert_file_is(arg[2].path, "C0");
    assert_int_equal(sh("test -d '%s'", arg[1].path), 0);
    assert_folder_holds(d, "a b c ");
}

static void test_set_commit_and_abort(void **state)
{
    const char *d = fresh("set");
    char err[1200] = "";
    struct ss_file_arg arg[3];
    struct ss_outputs set;
    (void)state;
    open_three(&set, arg, d);
    assert_folder_holds(d, "a a.tmp-0 b.tmp-0 c c.tmp-0 ");
    ss_outputs_abort(&set);
    ss_outputs_abort(&set); /* twice: harmless */
    assert_file_is(arg[0].path, "A0");
    assert_file_is(arg[2].path, "C0");
    assert_folder_holds(d, "a c ");
    open_three(&set, arg, d);
    assert_int_equal(ss_outputs_commit(&set, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_file_is(arg[0].path, "a");
    assert_file_is(arg[1].path, "b");
    assert_file_is(arg[2].path, "c");
    assert_folder_holds(d, "a b c ");
    assert_null(set.item);
    ss_outputs_abort(&set); /* after a commit: harmless */
    assert_file_is(arg[0].path, "a");
}

/* An output that cannot be opened: the others opened before it are undone. */
static void test_failed_open_undoes_the_rest(void **state)
{
    const char *d = fresh("undo");
    char err[1200] = "";
    struct ss_file_arg arg[3] = {{"--json", NULL}, {"--trace", "-"}, {"--csv", NULL}};
    struct ss_outputs set;
    (void)state;
    arg[0].path = at("undo/ok.json");
    arg[2].path = at("undo/missing/x.csv");
    assert_int_equal(ss_outputs_open(&set, arg, 3, NULL, err, sizeof err),
                     SS_OUTPUTS_UNWRITABLE);
    assert_non_null(strstr(err, "missing/x.csv"));
    assert_null(set.item);
    assert_int_equal(set.n, 0);
    assert_folder_holds(d, "");
    ss_outputs_abort(&set);
}

static void test_check_writes_nothing(void **state)
{
    const char *d = fresh("quiet");
    char err[1200] = "";
    struct ss_file_arg arg[4] = {{"--json", NULL}, {"--csv", NULL}, {"--svg", "-"},
                                 {"--trace", "/dev/null"}};
    (void)state;
    arg[0].path = at("quiet/a.json");
    arg[1].path = at("quiet/b.csv");
    assert_int_equal(ss_outputs_check(arg, 4, NULL, 0, err, sizeof err), SS_OUTPUTS_OK);
    assert_int_equal(ss_outputs_check(arg, 4, arg, 1, err, sizeof err), SS_OUTPUTS_BAD_NAME);
    assert_int_equal(ss_outputs_check(NULL, 0, NULL, 0, err, sizeof err), SS_OUTPUTS_OK);
    assert_folder_holds(d, "");
}

/* --json= : a mistake in the command line, found before anything runs. */
static void test_empty_name(void **state)
{
    char err[1200] = "";
    struct ss_file_arg arg[2] = {{"--csv", NULL}, {"--json", ""}};
    struct ss_output o;
    (void)state;
    arg[0].path = at("empty.csv");
    assert_int_equal(ss_outputs_check(arg, 2, NULL, 0, err, sizeof err), SS_OUTPUTS_BAD_NAME);
    assert_string_equal(err, "--json needs a file name, not an empty one");
    assert_int_equal(ss_output_open(&o, "", err, sizeof err), -1);
    assert_non_null(strstr(err, "the name is empty"));
    assert_false(testutil_exists(at("empty.csv")));
}

/* ---- the child process -------------------------------------------------------------- */

/* stdout is redirected to argv[3]; write a report and a --json to it. */
static int child(int argc, char **argv)
{
    struct ss_file_arg arg[1] = {{"--json", NULL}};
    struct ss_outputs set;
    char err[1200];
    if (argc != 4 || strcmp(argv[2], "stdout-file") != 0)
        return 4;
    arg[0].path = argv[3];
    if (ss_outputs_check(arg, 1, NULL, 0, err, sizeof err) != 0 ||
        ss_outputs_open(&set, arg, 1, stdout, err, sizeof err) != 0)
        return 3;
    fputs("the report\n", stdout);
    fputs("the json\n", ss_outputs_stream(&set, 0));
    return ss_outputs_commit(&set, err, sizeof err) == 0 ? 0 : 3;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit_writes_whole_file),
        cmocka_unit_test(test_commit_replaces_previous),
        cmocka_unit_test(test_abort_leaves_previous),
        cmocka_unit_test(test_abort_on_zeroed_struct),
        cmocka_unit_test(test_write_error_fails_commit),
        cmocka_unit_test(test_flush_error_fails_commit),
        cmocka_unit_test(test_dash_is_stdout),
        cmocka_unit_test(test_output_that_is_the_input),
        cmocka_unit_test(test_two_outputs_the_same_file),
        cmocka_unit_test(test_shared_streams_are_allowed),
        cmocka_unit_test(test_missing_directory_fails),
        cmocka_unit_test(test_directory_is_refused),
        cmocka_unit_test(test_not_a_folder),
        cmocka_unit_test(test_read_only_file_is_refused),
        cmocka_unit_test(test_unwritable_folder),
        cmocka_unit_test(test_too_many_look_alikes),
        cmocka_unit_test(test_socket_is_refused),
        cmocka_unit_test(test_device_is_written_in_place),
        cmocka_unit_test(test_full_device_commits_nothing),
        cmocka_unit_test(test_fifo_is_written_in_place),
        cmocka_unit_test(test_fifo_without_reader_fails),
        cmocka_unit_test(test_dev_stdout_is_standard_output),
        cmocka_unit_test(test_file_that_is_stdout),
        cmocka_unit_test(test_failed_stdout_commits_nothing),
        cmocka_unit_test(test_symlink_target_is_replaced),
        cmocka_unit_test(test_long_names),
        cmocka_unit_test(test_look_alikes_are_never_touched),
        cmocka_unit_test(test_permission_bits_are_kept),
        cmocka_unit_test(test_one_failed_file_commits_none),
        cmocka_unit_test(test_rename_failing_half_way_says_which),
        cmocka_unit_test(test_set_commit_and_abort),
        cmocka_unit_test(test_failed_open_undoes_the_rest),
        cmocka_unit_test(test_check_writes_nothing),
        cmocka_unit_test(test_empty_name),
    };
    if (argc >= 3 && strcmp(argv[1], "--child") == 0)
        return child(argc, argv);
    return cmocka_run_group_tests(tests, setup, teardown);
}
