/*
 * test_os.c: the operating-system layer (include/storesim/os.h).
 *
 * Every test runs on both builds: the platform's layer (POSIX here) and the
 * pure C99 fallback (cmake -DSTORESIM_OS=c99). Where the fallback cannot
 * know, the test asserts what it promises instead: "unknown", or the old
 * behaviour docs/robustness.md describes.
 *
 * The test itself is C99: links, FIFOs, permissions and closed streams are
 * made with the shell through system(), and what a child process saw comes
 * back in a file. Child processes are this program again, with --child.
 */
#include "testutil.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/os.h"

#define SELF STORESIM_BINARY_DIR "/test_os"
#define DIR STORESIM_BINARY_DIR "/os.d"

/* 0 when the shell command succeeded. */
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
    static char buf[8][1024];
    static int next;
    char *b = buf[next++ % 8];
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

/* A scratch folder: a file, a hard link, links, a FIFO, a loop. */
static int setup(void **state)
{
    (void)state;
    return sh("rm -rf '%s' && mkdir -p '%s/sub' && cd '%s' && printf x > file && "
              "printf y > other && ln file hard && ln -s file link && ln -s link link2 && "
              "ln -s nowhere dangling && ln -s loop1 loop2 && ln -s loop2 loop1 && "
              "ln -s '%s/file' abs && ln -s ../file sub/up && mkfifo fifo",
              DIR, DIR, DIR, DIR);
}

static int teardown(void **state)
{
    (void)state;
    return sh("rm -rf '%s'", DIR);
}

static void test_which_layer(void **state)
{
    const char *name = ss_os_name();
    (void)state;
#ifdef STORESIM_OS_C99
    assert_string_equal(name, "c99"); /* the fallback really is the one built */
#elif defined(_WIN32)
    assert_string_equal(name, "windows");
#else
    assert_string_equal(name, "posix");
#endif
}

static void test_inspect_kinds(void **state)
{
    struct ss_os_info i;
    (void)state;
    ss_os_inspect(at("missing"), &i);
    assert_int_equal(i.kind, SS_OS_MISSING);
#ifdef ENOENT
    assert_int_equal(i.error, ENOENT);
#endif
    ss_os_inspect(at("no-such-dir/x"), &i);
    assert_int_equal(i.kind, SS_OS_MISSING);
    ss_os_inspect(DIR, &i);
    assert_int_equal(i.kind, SS_OS_DIRECTORY);
    ss_os_inspect("/dev/null", &i);
    assert_int_equal(i.kind, SS_OS_DEVICE);

    ss_os_inspect(at("file"), &i);
    if (c99()) {
        /* All C99 sees: it opens for update, so it can be written. */
        assert_int_equal(i.kind, SS_OS_UNKNOWN);
        assert_int_equal(i.writable, 1);
        assert_int_equal(i.has_id, 0);
        assert_int_equal(i.symlink, -1);
        assert_int_equal(i.write_bits, -1);
        ss_os_inspect(at("fifo"), &i); /* opened for update: does not block */
        assert_int_equal(i.kind, SS_OS_UNKNOWN);
        return;
    }
    assert_int_equal(i.kind, SS_OS_REGULAR);
    assert_int_equal(i.symlink, 0);
    assert_int_equal(i.has_id, 1);
    assert_int_equal(i.writable, 1);
    assert_int_equal(i.write_bits, 1);
    assert_int_equal(i.error, 0);
    ss_os_inspect(at("fifo"), &i);
    assert_int_equal(i.kind, SS_OS_FIFO);
    ss_os_inspect(at("link"), &i);
    assert_int_equal(i.kind, SS_OS_REGULAR); /* followed */
    assert_int_equal(i.symlink, 1);
    ss_os_inspect(at("dangling"), &i);
    assert_int_equal(i.kind, SS_OS_MISSING);
    assert_int_equal(i.symlink, 1);
    ss_os_inspect(at("file/x"), &i); /* a file is no folder */
    assert_int_equal(i.kind, SS_OS_UNKNOWN);
    assert_int_not_equal(i.error, 0);
    ss_os_inspect(at("loop1"), &i);
    assert_int_equal(i.kind, SS_OS_UNKNOWN);
    assert_int_not_equal(i.error, 0);
}

static void test_socket_is_a_socket(void **state)
{
    struct ss_os_info i;
    (void)state;
    if (c99()) {
        ss_os_inspect(DIR, &i); /* nothing to bind a socket with in C99 */
        assert_int_not_equal(i.kind, SS_OS_SOCKET);
        return;
    }
    if (sh("command -v python3 >/dev/null 2>&1 && python3 -c \"import socket; "
           "socket.socket(socket.AF_UNIX).bind('%s')\"", at("sock")) != 0) {
        skip(); /* no python3 to make one */
        return;
    }
    ss_os_inspect(at("sock"), &i);
    assert_int_equal(i.kind, SS_OS_SOCKET);
    remove(at("sock"));
}

static void test_same_file_by_identity(void **state)
{
    struct ss_os_info file, other;
    static const char *const same[] = {"hard", "link", "link2", "abs", "sub/up", "./file",
                                       "sub/../file"};
    size_t k;
    (void)state;
    ss_os_inspect(at("file"), &file);
    ss_os_inspect(at("other"), &other);
    if (c99()) {
        assert_int_equal(ss_os_same_file(&file, &other), -1);
        assert_int_equal(ss_os_same_file(&file, &file), -1);
        return;
    }
    assert_int_equal(ss_os_same_file(&file, &other), 0);
    for (k = 0; k < sizeof same / sizeof *same; k++) {
        struct ss_os_info i;
        ss_os_inspect(at(same[k]), &i);
        assert_int_equal(ss_os_same_file(&file, &i), 1);
    }
}

static void test_read_only_file(void **state)
{
    struct ss_os_info i;
    (void)state;
    assert_int_equal(sh("printf r > '%s' && chmod 444 '%s'", at("ro"), at("ro")), 0);
    ss_os_inspect(at("ro"), &i);
    if (c99()) {
        /* It can be opened for update only by root: that is all C99 learns. */
        assert_int_equal(i.writable, is_root() ? 1 : 0);
        assert_int_equal(i.write_bits, -1);
    } else {
        assert_int_equal(i.kind, SS_OS_REGULAR);
        assert_int_equal(i.write_bits, 0);
        assert_int_equal(i.writable, is_root() ? 1 : 0);
    }
    remove(at("ro"));
}

static void test_std_streams_inspected(void **state)
{
    struct ss_os_info i;
    (void)state;
    ss_os_inspect_std(2, &i);
    if (c99()) {
        assert_int_equal(i.kind, SS_OS_UNKNOWN);
        assert_int_equal(i.has_id, 0);
        return;
    }
    assert_int_not_equal(i.kind, SS_OS_UNKNOWN); /* open: ctest's pipe or a file */
    assert_int_equal(i.has_id, 1);
    ss_os_inspect_std(7, &i); /* not a standard stream */
    assert_int_equal(i.kind, SS_OS_UNKNOWN);
    assert_int_equal(i.has_id, 0);
}

static void test_final_path(void **state)
{
    char *p;
    int e;
    (void)state;
    p = ss_os_final_path(at("file"), &e);
    assert_non_null(p);
    assert_string_equal(p, at("file"));
    free(p);
    p = ss_os_final_path(at("link2"), &e); /* two links, relative */
    assert_non_null(p);
    assert_string_equal(p, c99() ? at("link2") : at("file"));
    free(p);
    p = ss_os_final_path(at("sub/up"), &e); /* relative to the link's own folder */
    assert_non_null(p);
    assert_string_equal(p, c99() ? at("sub/up") : at("sub/../file"));
    free(p);
    p = ss_os_final_path(at("dangling"), &e); /* a link to nothing: its target */
    assert_non_null(p);
    assert_string_equal(p, c99() ? at("dangling") : at("nowhere"));
    free(p);
    p = ss_os_final_path(at("abs"), &e);
    assert_non_null(p);
    assert_string_equal(p, c99() ? at("abs") : at("file"));
    free(p);
    p = ss_os_final_path(at("loop1"), &e);
    if (c99()) {
        assert_non_null(p);
        free(p);
    } else {
        assert_null(p);
#ifdef ELOOP
        assert_int_equal(e, ELOOP);
#endif
    }
}

static void test_create_new_is_exclusive(void **state)
{
    FILE *f = NULL;
    int e;
    char *text;
    (void)state;
    remove(at("new"));
    assert_int_equal(ss_os_create_new(at("new"), &f, &e), 0);
    assert_non_null(f);
    fputs("mine", f);
    assert_int_equal(fclose(f), 0);
    /* Taken now: not opened, not truncated. */
    assert_int_equal(ss_os_create_new(at("new"), &f, &e), 1);
    assert_null(f);
    text = testutil_slurp(at("new"), NULL);
    assert_string_equal(text, "mine");
    free(text);
    /* A missing folder is an error, not "taken". */
    assert_int_equal(ss_os_create_new(at("no-such-dir/x"), &f, &e), -1);
    assert_null(f);
#ifdef ENOENT
    assert_int_equal(e, ENOENT);
#endif
    remove(at("new"));
    if (c99())
        return; /* C99 cannot see links: a link to nothing looks free (documented) */
    /* A link to nothing is a name taken: its target is not created. */
    assert_int_equal(ss_os_create_new(at("dangling"), &f, &e), 1);
    assert_false(testutil_exists(at("nowhere")));
    /* Nor is a FIFO opened (which would block). */
    assert_int_equal(ss_os_create_new(at("fifo"), &f, &e), 1);
}

static void test_adopt_mode(void **state)
{
    FILE *f = NULL;
    int e;
    (void)state;
    remove(at("copy"));
    assert_int_equal(sh("printf t > '%s' && chmod 604 '%s'", at("target"), at("target")), 0);
    assert_int_equal(ss_os_create_new(at("copy"), &f, &e), 0);
    assert_int_equal(sh("stat -c %%a '%s' > '%s'", at("copy"), at("mode-before")), 0);
    assert_int_equal(ss_os_adopt_mode(f, at("target"), &e), 0);
    assert_int_equal(fclose(f), 0);
    if (c99()) /* does nothing: the new file keeps the mode it was created with */
        assert_int_equal(sh("test \"$(stat -c %%a '%s')\" = \"$(cat '%s')\"", at("copy"),
                            at("mode-before")), 0);
    else
        assert_int_equal(sh("test \"$(stat -c %%a '%s')\" = 604", at("copy")), 0);
    remove(at("copy"));
    remove(at("target"));
    remove(at("mode-before"));
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

static void test_open_in_place(void **state)
{
    FILE *f;
    int e;
    char *text;
    (void)state;
    f = ss_os_open_in_place("/dev/null", &e);
    assert_non_null(f);
    fputs("gone", f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(sh("test -c /dev/null"), 0);

    /* A FIFO with a reader: the bytes go through it. */
    remove(at("got"));
    assert_int_equal(sh("(timeout 10 cat '%s' > '%s') </dev/null >/dev/null 2>&1 &", at("fifo"),
                        at("got")), 0);
    f = ss_os_open_in_place(at("fifo"), &e);
    assert_non_null(f);
    fputs("through the pipe", f);
    assert_int_equal(fclose(f), 0);
    assert_true(wait_for(at("got"), "through the pipe"));
    assert_int_equal(sh("test -p '%s'", at("fifo")), 0);
    remove(at("got"));

    if (c99())
        return; /* C99 opens with "wb"; output.c uses it for /dev/ names only */
    /* A regular file is never written in place. */
    assert_null(ss_os_open_in_place(at("other"), &e));
    text = testutil_slurp(at("other"), NULL);
    assert_string_equal(text, "y");
    free(text);
    assert_null(ss_os_open_in_place(at("missing"), &e)); /* nor created */
    assert_false(testutil_exists(at("missing")));
}

static void test_sync_and_replace(void **state)
{
    FILE *f;
    int e;
    char *text;
    (void)state;
    assert_int_equal(testutil_write(at("old"), "old"), 0);
    f = fopen(at("new"), "wb");
    assert_non_null(f);
    fputs("new", f);
    assert_int_equal(ss_os_sync(f, &e), 0);
    text = testutil_slurp(at("new"), NULL); /* on disk before the close */
    assert_string_equal(text, "new");
    free(text);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(ss_os_replace(at("new"), at("old"), &e), 0);
    text = testutil_slurp(at("old"), NULL);
    assert_string_equal(text, "new");
    free(text);
    assert_false(testutil_exists(at("new")));
    assert_int_equal(ss_os_replace(at("new"), at("old"), &e), -1);
    assert_int_not_equal(e, 0);
    text = testutil_slurp(at("old"), NULL);
    assert_string_equal(text, "new");
    free(text);
    remove(at("old"));

    /* A full device: the flush fails with the system's reason. */
    if (!testutil_exists("/dev/full")) {
        skip();
        return;
    }
    f = fopen("/dev/full", "wb");
    assert_non_null(f);
    fputs("x", f);
    assert_int_equal(ss_os_sync(f, &e), -1);
#ifdef ENOSPC
    assert_int_equal(e, ENOSPC);
#endif
    fclose(f);
}

static void test_terminal(void **state)
{
    FILE *f = tmpfile();
    char *text;
    (void)state;
    assert_non_null(f);
    assert_int_equal(ss_os_is_terminal(f), c99() ? -1 : 0);
    fclose(f);
    /* Under a pseudo-terminal (script(1)), stdout is one. */
    remove(at("tty"));
    if (sh("command -v script >/dev/null 2>&1") != 0 ||
        sh("script -qec \"'%s' --child terminal '%s'\" /dev/null >/dev/null 2>&1 </dev/null",
           SELF, at("tty")) != 0 || !testutil_exists(at("tty"))) {
        skip(); /* no script(1), or no pseudo-terminals here */
        return;
    }
    text = testutil_slurp(at("tty"), NULL);
    assert_string_equal(text, c99() ? "-1" : "1");
    free(text);
    remove(at("tty"));
}

/* Run this program with some standard streams closed; what it saw. */
static char *closed_child(const char *redirect, const char *mode)
{
    remove(at("closed"));
    sh("'%s' --child %s '%s' %s", SELF, mode, at("closed"), redirect);
    return testutil_slurp(at("closed"), NULL);
}

static void test_closed_std_streams(void **state)
{
    char *text;
    struct {
        const char *redirect;
        const char *want;
    } cases[] = {
        {"<&- >&- 2>&-", "mask=7 stdout-fails=1 stderr-fails=1\n"},
        {">&- 2>/dev/null", "mask=2 stdout-fails=1 stderr-fails=0\n"},
        {"2>&- >/dev/null", "mask=4 stdout-fails=0 stderr-fails=1\n"},
        {"<&- >/dev/null 2>/dev/null", "mask=1 stdout-fails=0 stderr-fails=0\n"},
        {">/dev/null 2>/dev/null", "mask=0 stdout-fails=0 stderr-fails=0\n"},
    };
    size_t k;
    (void)state;
    assert_int_equal(ss_os_guard_std_streams(), c99() ? -1 : 0); /* all open here */
    /* Without the guard, a file opened later takes fd 1 and gets the report:
     * the case the guard exists for (the test can see it). */
    text = closed_child(">&- 2>/dev/null", "closed-unguarded");
    assert_non_null(text);
    assert_non_null(strstr(text, "REPORT"));
    free(text);
    for (k = 0; k < sizeof cases / sizeof *cases; k++) {
        text = closed_child(cases[k].redirect, "closed");
        assert_non_null(text);
        if (c99()) {
            assert_non_null(strstr(text, "mask=-1 ")); /* cannot tell, does nothing */
        } else {
            assert_string_equal(text, cases[k].want); /* no REPORT, no PROGRESS */
        }
        free(text);
    }
    remove(at("closed"));
}

static void reset_signals(void)
{
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
#ifdef SIGHUP
    signal(SIGHUP, SIG_DFL);
#endif
#ifdef SIGPIPE
    signal(SIGPIPE, SIG_DFL);
#endif
}

/* Each signal only sets the flag, as often as it comes: the second Ctrl-C
 * does not kill the process either. */
static void test_signals_only_set_a_flag(void **state)
{
    (void)state;
    reset_signals(); /* in case this runs under nohup or in a background job */
    assert_int_equal(ss_os_catch_signals(), 0);
    ss_os_signal_clear();
    assert_int_equal(ss_os_signal_caught(), 0);
    assert_int_equal(raise(SIGINT), 0);
    assert_int_equal(ss_os_signal_caught(), SIGINT);
    assert_int_equal(raise(SIGINT), 0);
    assert_int_equal(ss_os_signal_caught(), SIGINT);
    assert_int_equal(raise(SIGINT), 0);
    assert_int_equal(raise(SIGTERM), 0);
    assert_int_equal(ss_os_signal_caught(), SIGTERM);
    assert_int_equal(raise(SIGTERM), 0);
#ifdef SIGHUP
    assert_int_equal(raise(SIGHUP), 0);
    assert_int_equal(ss_os_signal_caught(), SIGHUP);
    assert_int_equal(raise(SIGHUP), 0);
#endif
#ifdef SIGPIPE
    assert_int_equal(raise(SIGPIPE), 0); /* ignored: still here, flag unchanged */
#ifdef SIGHUP
    assert_int_equal(ss_os_signal_caught(), SIGHUP);
#endif
#endif
    ss_os_signal_clear();
    assert_int_equal(ss_os_signal_caught(), 0);
    ss_os_signal_note(SIGINT);
    assert_int_equal(ss_os_signal_caught(), SIGINT);
    ss_os_signal_clear();
    reset_signals();
}

/* A signal ends a blocked open (no SA_RESTART): here, a FIFO nobody reads.
 * SIGINT first: a background job of a shell starts with it ignored, and it
 * stays ignored (as under nohup); then SIGTERM. */
static void test_signal_interrupts_blocked_open(void **state)
{
    char *text;
    char want[64];
    (void)state;
    remove(at("eintr"));
    remove(at("ready"));
    assert_int_equal(sh("mkfifo '%s'", at("lonely")), 0);
    sh("'%s' --child eintr '%s' '%s' '%s' </dev/null >/dev/null 2>&1 & pid=$!; "
       "i=0; while [ ! -e '%s' ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; sleep 0.5; "
       "kill -INT $pid; sleep 0.2; kill -TERM $pid; sleep 0.5; kill -KILL $pid 2>/dev/null; "
       "wait $pid",
       SELF, at("lonely"), at("ready"), at("eintr"), at("ready"));
    text = testutil_slurp(at("eintr"), NULL);
    assert_non_null(text); /* not killed: the open returned */
#ifdef EINTR
    snprintf(want, sizeof want, "opened=0 error=%d caught=%d\n", EINTR, SIGTERM);
    assert_string_equal(text, want);
#else
    (void)want;
#endif
    free(text);
    remove(at("lonely"));
    remove(at("eintr"));
    remove(at("ready"));
}

/* A write to a pipe nobody reads fails with EPIPE; it does not kill. */
static void test_broken_pipe_is_an_error(void **state)
{
    char *text;
    char want[32];
    (void)state;
    remove(at("epipe"));
    sh("'%s' --child epipe '%s' 2>/dev/null | head -c 1 >/dev/null", SELF, at("epipe"));
    text = testutil_slurp(at("epipe"), NULL);
    assert_non_null(text); /* it lived to tell */
#ifdef EPIPE
    snprintf(want, sizeof want, "errno=%d\n", EPIPE);
    assert_string_equal(text, want);
#else
    (void)want;
#endif
    free(text);
    remove(at("epipe"));
}

/* ---- the child processes ------------------------------------------------------- */

static int child(int argc, char **argv)
{
    const char *mode = argv[2];
    FILE *f;
    if (strcmp(mode, "terminal") == 0 && argc == 4) {
        int t = ss_os_is_terminal(stdout);
        f = fopen(argv[3], "wb");
        if (!f)
            return 3;
        fprintf(f, "%d", t);
        return fclose(f) == 0 ? 0 : 3;
    }
    if ((strcmp(mode, "closed") == 0 || strcmp(mode, "closed-unguarded") == 0) && argc == 4) {
        int mask = strcmp(mode, "closed") == 0 ? ss_os_guard_std_streams() : 0;
        int out_fails, err_fails;
        f = fopen(argv[3], "wb"); /* a later file: the report must not land in it */
        if (!f)
            return 3;
        fputs("REPORT\n", stdout);
        out_fails = fflush(stdout) != 0 || ferror(stdout);
        fputs("PROGRESS\n", stderr);
        err_fails = fflush(stderr) != 0 || ferror(stderr);
        fprintf(f, "mask=%d stdout-fails=%d stderr-fails=%d\n", mask, out_fails, err_fails);
        return fclose(f) == 0 ? 0 : 3;
    }
    if (strcmp(mode, "eintr") == 0 && argc == 6) {
        int e = 0;
        FILE *fifo;
        if (ss_os_catch_signals() != 0)
            return 3;
        f = fopen(argv[4], "wb"); /* ready */
        if (!f || fclose(f) != 0)
            return 3;
        fifo = ss_os_open_in_place(argv[3], &e); /* blocks: nobody reads */
        f = fopen(argv[5], "wb");
        if (!f)
            return 3;
        fprintf(f, "opened=%d error=%d caught=%d\n", fifo != NULL, e, ss_os_signal_caught());
        return fclose(f) == 0 ? 0 : 3;
    }
    if (strcmp(mode, "epipe") == 0 && argc == 4) {
        static char chunk[65536];
        long i;
        int e = 0;
        if (ss_os_catch_signals() != 0)
            return 3;
        memset(chunk, 'x', sizeof chunk);
        for (i = 0; i < 2000 && e == 0; i++) { /* 128 MiB at most */
            errno = 0;
            if (fwrite(chunk, 1, sizeof chunk, stdout) != sizeof chunk || fflush(stdout) != 0)
                e = errno ? errno : -1;
        }
        f = fopen(argv[3], "wb");
        if (!f)
            return 3;
        fprintf(f, "errno=%d\n", e);
        return fclose(f) == 0 ? 0 : 3;
    }
    return 4;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_which_layer),
        cmocka_unit_test(test_inspect_kinds),
        cmocka_unit_test(test_socket_is_a_socket),
        cmocka_unit_test(test_same_file_by_identity),
        cmocka_unit_test(test_read_only_file),
        cmocka_unit_test(test_std_streams_inspected),
        cmocka_unit_test(test_final_path),
        cmocka_unit_test(test_create_new_is_exclusive),
        cmocka_unit_test(test_adopt_mode),
        cmocka_unit_test(test_open_in_place),
        cmocka_unit_test(test_sync_and_replace),
        cmocka_unit_test(test_terminal),
        cmocka_unit_test(test_closed_std_streams),
        cmocka_unit_test(test_signals_only_set_a_flag),
        cmocka_unit_test(test_signal_interrupts_blocked_open),
        cmocka_unit_test(test_broken_pipe_is_an_error),
    };
    if (argc >= 3 && strcmp(argv[1], "--child") == 0)
        return child(argc, argv);
    return cmocka_run_group_tests(tests, setup, teardown);
}
