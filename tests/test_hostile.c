/*
 * test_hostile.c: scenario files as administrators really send them - saved
 * by Windows editors, pasted from e-mail, truncated, binary, absurd - read
 * through ss_scenario_load (from files written under the build tree) and
 * ss_scenario_parse. Each must work as a person expects or be refused with
 * one clear "FILE:LINE: error: ..." line. docs/robustness.md lists them.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "storesim/estimate.h"
#include "storesim/scenario.h"

static const char minimal[] = "[simulation]\nduration = 1h\n[store]\nthreads = 4\n";

/* Write exactly `len` bytes (NULs included) to a scratch file; its path. */
static const char *write_bytes(const char *name, const char *bytes, size_t len)
{
    const char *path = testutil_tmp(name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* A message is one line of printable text. */
static void assert_one_line(const char *text)
{
    const char *p;
    assert_true(strlen(text) > 0 && strlen(text) < sizeof(((struct ss_error *)0)->text));
    for (p = text; *p; p++)
        assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
}

/* Load `len` bytes as file `name`: the error must be "PATH" + `rest`. */
static void expect_load_error(const char *name, const char *bytes, size_t len,
                              const char *rest)
{
    struct ss_scenario sc;
    struct ss_error err;
    char want[2048];
    const char *path = write_bytes(name, bytes, len);
    snprintf(want, sizeof want, "%s%s", path, rest);
    assert_int_equal(ss_scenario_load(path, NULL, 0, &sc, &err), -1);
    assert_string_equal(err.text, want);
    assert_one_line(err.text);
    ss_scenario_free(&sc); /* left empty: freeing it is safe */
}

/* Parse `text`: the error must contain `part`, after "x.scn:LINE: error: ". */
static void expect_parse_error(const char *text, const char *const *sets, size_t n_sets,
                               const char *start, const char *part)
{
    struct ss_scenario sc;
    struct ss_error err;
    assert_int_equal(ss_scenario_parse("x.scn", text, strlen(text), sets, n_sets, &sc, &err),
                     -1);
    if (strncmp(err.text, start, strlen(start)) != 0 || !strstr(err.text, part))
        fail_msg("message '%s' should start with '%s' and contain '%s'", err.text, start, part);
    assert_one_line(err.text);
}

/* A scenario: the minimal one with `more` appended. */
static char *with(const char *more)
{
    char *text = malloc(sizeof minimal + strlen(more));
    assert_non_null(text);
    strcpy(text, minimal);
    strcat(text, more);
    return text;
}

static void expect_more_error(const char *more, const char *start, const char *part)
{
    char *text = with(more);
    expect_parse_error(text, NULL, 0, start, part);
    free(text);
}

/* ---- what Windows editors and e-mail do to a file --------------------- */

static const char windows_text[] =
    "\xEF\xBB\xBF# saved by Notepad: a byte order mark, CRLF, tabs, trailing blanks\r\n"
    "[simulation]   \r\n"
    "\tduration\t=\t8h   \r\n"
    "seed = 42\t\r\n"
    "\r\n"
    "  [ store ]\t\r\n"
    "threads\t= 100 ; pasted comment\r\n"
    "[mta]\r\n"
    "enabled = false\t\t\r\n"
    "[database\tMailbox Store \t]\r\n"
    "gateway_out_threads = 0   \r\n"
    "[move batch1]\r\n"
    "mailboxes = 150\r\n"
    "database = Mailbox Store  \t\r\n"
    "duration = uniform( 20s ,\t60s )  \r\n"
    "[delivery]\r\n"
    "rate = 20 / s\t# peak\r\n"
    "service = exp(500ms)\r\n"; /* the last line ends in CRLF too */

static const char plain_text[] =
    "[simulation]\nduration = 8h\nseed = 42\n[store]\nthreads = 100\n[mta]\nenabled = false\n"
    "[database Mailbox Store]\ngateway_out_threads = 0\n"
    "[move batch1]\nmailboxes = 150\ndatabase = Mailbox Store\nduration = uniform(20s, 60s)\n"
    "[delivery]\nrate = 20/s\nservice = exp(500ms)";

static void assert_same_as_plain(const struct ss_scenario *sc)
{
    struct ss_scenario plain;
    struct ss_error err;
    assert_int_equal(ss_scenario_parse("plain.scn", plain_text, strlen(plain_text), NULL, 0,
                                       &plain, &err), 0);
    assert_int_equal(sc->duration, plain.duration);
    assert_true(sc->seed == plain.seed);
    assert_int_equal(sc->threads, plain.threads);
    assert_false(sc->mta_enabled);
    assert_int_equal(sc->n_databases, 1);
    assert_string_equal(sc->databases[0].name, "Mailbox Store");
    assert_int_equal(sc->databases[0].gateway_out_threads, 0);
    assert_int_equal(sc->n_moves, 1);
    assert_int_equal(sc->moves[0].database, 0);
    assert_int_equal(sc->moves[0].duration.kind, plain.moves[0].duration.kind);
    assert_int_equal(sc->moves[0].duration.a, plain.moves[0].duration.a);
    assert_int_equal(sc->moves[0].duration.b, plain.moves[0].duration.b);
    assert_true(sc->delivery_rate.rate[0].per_second == plain.delivery_rate.rate[0].per_second);
    assert_string_equal(sc->delivery_rate.rate[0].text, "20/s");
    assert_int_equal(sc->delivery_service.a, plain.delivery_service.a);
    ss_scenario_free(&plain);
}

static void test_windows_file_works(void **state)
{
    struct ss_scenario sc;
    struct ss_error err;
    const char *path = write_bytes("hostile_windows.scn", windows_text, strlen(windows_text));
    (void)state;
    assert_int_equal(ss_scenario_load(path, NULL, 0, &sc, &err), 0);
    assert_int_equal(sc.n_warnings, 0);
    assert_same_as_plain(&sc);
    ss_scenario_free(&sc);
}

static void test_windows_file_line_numbers(void **state)
{
    char text[512];
    (void)state;
    /* CRLF counts one line, so the error is on the line an editor shows. */
    snprintf(text, sizeof text, "\xEF\xBB\xBF[simulation]\r\nduration = 8h\r\n\r\n"
                                "[store]\r\nthreads = 99999999999999999999\r\n");
    expect_parse_error(text, NULL, 0, "x.scn:5: error: ",
                       "store.threads: '99999999999999999999' is too large: at most 1000000");
    /* A trailing blank or tab is not part of the value. */
    {
        struct ss_scenario sc;
        struct ss_error err;
        char *more = with("[hotfix]\r\nkb924567 = true \t\r\n[mta]\r\nenabled=false\t \r\n");
        assert_int_equal(ss_scenario_parse("x.scn", more, strlen(more), NULL, 0, &sc, &err), 0);
        assert_true(sc.hotfix);
        assert_false(sc.mta_enabled);
        ss_scenario_free(&sc);
        free(more);
    }
}

static void test_bom_alone_blank_and_empty_files(void **state)
{
    static const char *const blank[] = {"", "\xEF\xBB\xBF", "\r\n\r\n", " \t \n\t\n",
                                        "\xEF\xBB\xBF\r\n"};
    static const char *const sets[] = {"simulation.duration=1h", "store.threads=4"};
    static const char comments[] = "# only a comment\r\n; and another";
    struct ss_scenario sc;
    struct ss_error err;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof blank / sizeof blank[0]; i++)
        expect_load_error("hostile_blank.scn", blank[i], strlen(blank[i]),
                          ":1: error: the file is empty: a scenario needs at least "
                          "[simulation] duration and [store] threads");
    /* Comments are not nothing: the first missing key is named. */
    expect_load_error("hostile_comments.scn", comments, strlen(comments),
                      ":1: error: there is no [simulation] section: add one, with duration = ...");
    /* --set can still make a whole scenario of an empty file. */
    assert_int_equal(ss_scenario_load(write_bytes("hostile_empty.scn", "", 0), sets, 2, &sc,
                                      &err), 0);
    assert_int_equal(sc.threads, 4);
    ss_scenario_free(&sc);
}

/* ---- size: long lines, long values, long names, many sections --------- */

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void test_long_lines(void **state)
{
    char *text, *comment = repeat('x', SS_SCENARIO_LINE_MAX - 1);
    size_t n;
    (void)state;
    /* A line of exactly the limit is read... */
    text = malloc(sizeof minimal + SS_SCENARIO_LINE_MAX + 8);
    assert_non_null(text);
    snprintf(text, sizeof minimal + SS_SCENARIO_LINE_MAX + 8, "%s#%s\n", minimal, comment);
    {
        struct ss_scenario sc;
        struct ss_error err;
        assert_int_equal(ss_scenario_parse("x.scn", text, strlen(text), NULL, 0, &sc, &err), 0);
        ss_scenario_free(&sc);
    }
    /* ...one byte more is refused at its line, from a file too. */
    snprintf(text, sizeof minimal + SS_SCENARIO_LINE_MAX + 8, "%s#x%s\r\n", minimal, comment);
    n = strlen(text);
    expect_load_error("hostile_long_line.scn", text, n,
                      ":5: error: the line is longer than 4096 bytes");
    free(text);
    free(comment);
}

static void test_long_values_keep_their_explanation(void **state)
{
    char *digits = repeat('9', 4000), *name = repeat('n', 4000), *text;
    size_t size = sizeof minimal + 8200;
    (void)state;
    text = malloc(size);
    assert_non_null(text);

    /* 4000 digits: the message quotes the start and still says what is wrong. */
    snprintf(text, size, "[simulation]\nduration = 1h\n[store]\nthreads = %s\n", digits);
    expect_parse_error(text, NULL, 0, "x.scn:4: error: store.threads: '999",
                       "...' is too large: at most 1000000");
    snprintf(text, size, "[simulation]\nduration = %sd\n[store]\nthreads = 4\n", digits);
    expect_parse_error(text, NULL, 0, "x.scn:2: error: simulation.duration: '999",
                       "...' is too long: a duration may be at most 36500d");
    snprintf(text, size, "%s[delivery]\nrate = %s/s\nservice = 1s\n", minimal, digits);
    expect_parse_error(text, NULL, 0, "x.scn:6: error: delivery.rate: '999",
                       "...' is too high: a rate may be at most 1000000000/s");

    /* A 4000-byte name: every message about it is still whole. */
    snprintf(text, size, "%s[database %s]\ngateway_out_threadz = 0\n", minimal, name);
    expect_parse_error(text, NULL, 0, "x.scn:6: error: unknown key 'gateway_out_threadz' in "
                       "[database nnn", "...] (did you mean 'gateway_out_threads'?)");
    snprintf(text, size, "%s[database %s]\n[database %s]\n", minimal, name, name);
    expect_parse_error(text, NULL, 0, "x.scn:6: error: duplicate section [database nnn",
                       "...]: it is already at line 5");
    snprintf(text, size, "%s[move m]\nmailboxes = 1\nduration = 1s\ndatabase = %s\n", minimal,
             name);
    expect_parse_error(text, NULL, 0, "x.scn:8: error: move m: database \"nnn",
                       "...\" is not defined; defined: Mailbox Store");
    snprintf(text, size, "%s%s\n", minimal, name);
    expect_parse_error(text, NULL, 0, "x.scn:5: error: expected 'key = value' or a [section] "
                       "header, found 'nnn", "...'");
    free(text);
    free(digits);
    free(name);
}

/* Fuzzing finding 1: a --set of a few thousand bytes filled the whole
 * message, and "error:" and the explanation were cut off. */
static void test_long_set(void **state)
{
    char *set = malloc(SS_SCENARIO_LINE_MAX);
    const char *sets[1];
    size_t n;
    (void)state;
    assert_non_null(set);
    strcpy(set, "simulation.duration=");
    n = strlen(set);
    memset(set + n, '7', SS_SCENARIO_LINE_MAX - n - 2);
    strcpy(set + SS_SCENARIO_LINE_MAX - 2, "d");
    sets[0] = set;
    expect_parse_error(minimal, sets, 1, "--set simulation.duration=777",
                       "...: error: simulation.duration: '777");
    expect_parse_error(minimal, sets, 1, "--set ", "...' is too long: a duration may be at most "
                       "36500d");
    free(set);
}

static void test_long_path(void **state)
{
    char path[1200];
    struct ss_scenario sc;
    struct ss_error err;
    (void)state;
    memset(path, 'p', sizeof path - 1);
    path[sizeof path - 1] = '\0';
    assert_int_equal(ss_scenario_parse(path, "[bogus]\n", 8, NULL, 0, &sc, &err), -1);
    assert_non_null(strstr(err.text, "ppp...:1: error: unknown section [bogus]"));
    assert_one_line(err.text);
    assert_int_equal(ss_scenario_load(path, NULL, 0, &sc, &err), -1);
    assert_non_null(strstr(err.text, "ppp...: error: cannot open: "));
    assert_one_line(err.text);
}

/* Finding 2 (by review, not fuzzing): each header was checked for a
 * duplicate against every section before it, so a 1 MiB file of 56,000
 * [database] headers took 8 seconds to read; the index makes it linear. */
static void test_many_sections_read_quickly(void **state)
{
    enum { N = 50000 };
    size_t size = (size_t)N * 40 + 256, used;
    char *text = malloc(size);
    struct ss_scenario sc;
    struct ss_error err;
    clock_t started;
    double seconds;
    int i;
    (void)state;
    assert_non_null(text);
    used = (size_t)snprintf(text, size, "%s", minimal);
    for (i = 0; i < N; i++)
        used += (size_t)snprintf(text + used, size - used, "[database d%d]\n", i);
    used += (size_t)snprintf(text + used, size - used,
                             "[move m]\nmailboxes = 1\nduration = 1s\ndatabase = d%d\n", N - 2);
    assert_true(used < (size_t)SS_SCENARIO_FILE_MAX);
    started = clock();
    assert_int_equal(ss_scenario_parse("x.scn", text, used, NULL, 0, &sc, &err), 0);
    seconds = (double)(clock() - started) / CLOCKS_PER_SEC;
    assert_int_equal(sc.n_databases, N);
    assert_string_equal(sc.databases[N - 2].name, "d49998");
    assert_int_equal(sc.moves[0].database, N - 2);
    ss_scenario_free(&sc);
    /* valgrind runs this some 50 times slower: the bound is for the sanitizers
     * and plain builds (the old reader took 8 s without either). */
    if (!getenv("STORESIM_SLOW_TOOLS"))
        assert_true(seconds < 3.0);

    /* A duplicate at the end is still found, and named by its first line. */
    used += (size_t)snprintf(text + used, size - used, "[database d7]\n");
    expect_parse_error(text, NULL, 0, "x.scn:", "error: duplicate section [database d7]: it is "
                       "already at line 12");
    free(text);
}

/* ---- not text at all -------------------------------------------------- */

static void test_nul_bytes(void **state)
{
    static const char first[] = "\0[simulation]\nduration = 1h\n";
    static const char third[] = "[simulation]\r\nduration = 1h\r\nthreads\0 = 4\r\n";
    (void)state;
    expect_load_error("hostile_nul1.scn", first, sizeof first - 1,
                      ":1: error: the file contains a NUL byte: is it a text file?");
    expect_load_error("hostile_nul3.scn", third, sizeof third - 1,
                      ":3: error: the file contains a NUL byte: is it a text file?");
    /* UTF-16 with its byte order mark, as Notepad saves "Unicode": read as
     * the text it is (here a header cut short). */
    expect_load_error("hostile_utf16.scn", "\xFF\xFE[\0s\0", 6,
                      ":1: error: malformed section header '[s': write [section] or "
                      "[section NAME]");
}

static void test_binary_garbage(void **state)
{
    unsigned long x = 924567;
    char bytes[2048];
    int round;
    size_t i;
    (void)state;
    for (round = 0; round < 200; round++) {
        struct ss_scenario sc;
        struct ss_error err;
        size_t n = 1 + (size_t)round * 10;
        for (i = 0; i < n; i++) {
            x = x * 1103515245ul + 12345ul;
            bytes[i] = (char)((x >> 16) & 0xff);
        }
        assert_int_equal(ss_scenario_parse("x.scn", bytes, n, NULL, 0, &sc, &err), -1);
        assert_true(strncmp(err.text, "x.scn:", 6) == 0);
        assert_non_null(strstr(err.text, ": error: "));
        assert_one_line(err.text);
    }
}

static void test_control_characters_in_messages(void **state)
{
    (void)state;
    /* An escape sequence in a name cannot recolour or clear the terminal. */
    expect_more_error("[data\x1b" "cbase]\n", "x.scn:5: error: ", "unknown section [data cbase]");
    expect_more_error("[database red\x1b" "c]\ngateway_out_threadz = 0\n", "x.scn:6: error: ",
                      "in [database red c]");
}

static void test_directory_as_file(void **state)
{
    const char *dir = testutil_src("scenarios");
    struct ss_scenario sc;
    struct ss_error err;
    char want[2048];
    (void)state;
    assert_int_equal(ss_scenario_load(dir, NULL, 0, &sc, &err), -1);
    snprintf(want, sizeof want, "%s: error: cannot read (is it a directory?)", dir);
    if (strcmp(err.text, want) != 0) { /* where a directory does not even open */
        snprintf(want, sizeof want, "%s: error: cannot open: ", dir);
        assert_true(strncmp(err.text, want, strlen(want)) == 0);
    }
    assert_one_line(err.text);
}

/* ---- absurd numbers --------------------------------------------------- */

static void test_huge_whole_numbers(void **state)
{
    (void)state;
    expect_parse_error("[simulation]\nduration = 1h\n[store]\nthreads = 99999999999999999999\n",
                       NULL, 0, "x.scn:4: error: store.threads: '99999999999999999999' is too "
                       "large: at most 1000000", "");
    expect_parse_error("[simulation]\nduration = 1h\n[store]\nthreads = 1000001\n", NULL, 0,
                       "x.scn:4: error: store.threads: '1000001' is too large: at most 1000000",
                       "");
    expect_parse_error("[simulation]\nduration = 1h\nseed = 18446744073709551616\n[store]\n"
                       "threads = 4\n", NULL, 0, "x.scn:3: error: simulation.seed: "
                       "'18446744073709551616' is too large: at most 18446744073709551615", "");
    expect_more_error("[move m]\nmailboxes = 1000000001\nduration = 1s\n",
                      "x.scn:6: error: move m.mailboxes: '1000000001' is too large: "
                      "at most 1000000000", "");
    expect_more_error("[database d]\ngateway_out_threads = 4294967296\n",
                      "x.scn:6: error: database d.gateway_out_threads: '4294967296' is too "
                      "large: at most 4294967295", "");
    expect_more_error("[smtp]\nmax_backlog = 1000000001\n", "x.scn:6: error: smtp.max_backlog: "
                      "'1000000001' is too large: at most 1000000000", "");
    expect_more_error("[move m]\nmailboxes = 1\nconcurrency = -4\nduration = 1s\n",
                      "x.scn:7: error: move m.concurrency: '-4' is negative", "");
    expect_more_error("[store]\n", "x.scn:5: error: duplicate section [store]", "");
}

static void test_huge_durations(void **state)
{
    static const char *const too_long[] = {
        "999999d", "99999999999999d 99999999999999d", "36500d 1us", "36500d36500d",
        "18446744073709551616us", "9223372036854775807us", "876001h", "36499d 24h 1s"};
    char text[256];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof too_long / sizeof too_long[0]; i++) {
        char want[200];
        snprintf(text, sizeof text, "[simulation]\nduration = %s\n[store]\nthreads = 4\n",
                 too_long[i]);
        snprintf(want, sizeof want, "x.scn:2: error: simulation.duration: '%s' is too long: "
                 "a duration may be at most 36500d", too_long[i]);
        expect_parse_error(text, NULL, 0, want, "");
    }
    expect_more_error("[delivery]\nrate = 1/s\nservice = exp(99999999999999d)\n",
                      "x.scn:7: error: delivery.service: 'exp(99999999999999d)' is too long",
                      "");
    expect_more_error("[mta]\nflush_timeout = 0.0000001us\n",
                      "x.scn:6: error: mta.flush_timeout: '0.0000001us' must be longer than 0s",
                      "");
    /* The longest allowed duration is read, and sums up to it too. */
    {
        struct ss_scenario sc;
        struct ss_error err;
        const char *ok = "[simulation]\nduration = 36499d 23h 59m 59s 999ms 1000us\n"
                         "[store]\nthreads = 4\n";
        assert_int_equal(ss_scenario_parse("x.scn", ok, strlen(ok), NULL, 0, &sc, &err), 0);
        assert_true(sc.duration == 36500 * SS_DAY);
        ss_scenario_free(&sc);
    }
}

static void test_huge_rates(void **state)
{
    struct ss_scenario sc;
    struct ss_error err;
    struct ss_estimate est;
    char text[256], line[1024];
    (void)state;
    expect_more_error("[delivery]\nrate = 1000000001/s\nservice = 1s\n",
                      "x.scn:6: error: delivery.rate: '1000000001/s' is too high: a rate may be "
                      "at most 1000000000/s", "");
    expect_more_error("[owa]\nrate = 99999999999999999999999/m\nservice = 1s\n",
                      "x.scn:6: error: owa.rate: '99999999999999999999999/m' is too high", "");

    /* The highest rate the reader takes, for a day: the run would never end,
     * and the estimate says so before it starts (storesim run refuses it
     * without --force). */
    snprintf(text, sizeof text, "[simulation]\nduration = 1d\n[store]\nthreads = 2000\n"
                                "[delivery]\nrate = 1000000000/s\nservice = 1us\n");
    assert_int_equal(ss_scenario_parse("fast.scn", text, strlen(text), NULL, 0, &sc, &err), 0);
    ss_estimate_detail(&sc, &est);
    assert_true(est.total > SS_EVENTS_LIMIT);
    ss_estimate_refusal(line, sizeof line, &sc, &est);
    assert_non_null(strstr(line, "fast.scn: error: this run would process about 1.7e+14 events, "
                                 "more than the limit of 1e+10"));
    assert_non_null(strstr(line, "most come from delivery.rate = 1000000000/s over "
                                 "simulation.duration = 1d"));
    assert_non_null(strstr(line, "add --force to run it anyway"));
    assert_one_line(line);
    ss_scenario_free(&sc);

    /* With 4 threads the pool cannot keep up: refused messages retrying
     * make most of the events, and the message says so. */
    snprintf(text, sizeof text, "[simulation]\nduration = 1d\n[store]\nthreads = 4\n"
                                "[delivery]\nrate = 1000000000/s\nservice = 1us\n");
    assert_int_equal(ss_scenario_parse("fast.scn", text, strlen(text), NULL, 0, &sc, &err), 0);
    ss_estimate_detail(&sc, &est);
    assert_true(est.retries > est.delivery);
    ss_estimate_refusal(line, sizeof line, &sc, &est);
    assert_non_null(strstr(line, "most come from SMTP retries"));
    assert_non_null(strstr(line, "delivery.rate = 1000000000/s"));
    assert_one_line(line);
    ss_scenario_free(&sc);
}

static void test_hostile_sets(void **state)
{
    static const char *const huge[] = {"simulation.duration=99999999999999d 99999999999999d"};
    static const char *const threads[] = {"store.threads=99999999999999999999"};
    static const char *const bom[] = {"\xEF\xBB\xBFstore.threads=4"};
    (void)state;
    expect_parse_error(minimal, huge, 1, "--set simulation.duration=99999999999999d "
                       "99999999999999d: error: simulation.duration: '99999999999999d "
                       "99999999999999d' is too long", "");
    expect_parse_error(minimal, threads, 1, "--set store.threads=99999999999999999999: error: "
                       "store.threads: '99999999999999999999' is too large", "");
    expect_parse_error(minimal, bom, 1, "--set ", "error: unknown section");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_windows_file_works),
        cmocka_unit_test(test_windows_file_line_numbers),
        cmocka_unit_test(test_bom_alone_blank_and_empty_files),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_long_values_keep_their_explanation),
        cmocka_unit_test(test_long_set),
        cmocka_unit_test(test_long_path),
        cmocka_unit_test(test_many_sections_read_quickly),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_binary_garbage),
        cmocka_unit_test(test_control_characters_in_messages),
        cmocka_unit_test(test_directory_as_file),
        cmocka_unit_test(test_huge_whole_numbers),
        cmocka_unit_test(test_huge_durations),
        cmocka_unit_test(test_huge_rates),
        cmocka_unit_test(test_hostile_sets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
