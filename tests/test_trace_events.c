/*
 * test_trace_events.c: --trace-events, the Trace Event Format
 * (trace_events.h, docs/charts.md).
 *
 * The file must be JSON (a small strict parser here reads it all), every
 * event must have ph, ts, pid and tid; there is one slice ("X") for each
 * task started in the window, as many as the report's table of waits
 * counts (every task that got a thread) or the text trace tells; a track's
 * slices never overlap; --only keeps the kinds named; and a file that would
 * be huge is refused before the run, with its size and how to narrow it.
 */
#include "testutil.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define KB testutil_src("scenarios/kb924567.scn")

/* ---- a strict little JSON reader ---- */

struct event {
    char ph[4], cat[16], name[160];
    long long ts, dur, pid, tid;
    unsigned has; /* bits: 1 ph, 2 ts, 4 pid, 8 tid */
};

struct reader {
    const char *p;
    struct event *ev;
    size_t n, cap;
    int depth;
};

static int value(struct reader *r, char *text, size_t size, long long *number);

static void space(struct reader *r)
{
    while (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' || *r->p == '\r')
        r->p++;
}

static int string(struct reader *r, char *out, size_t size)
{
    size_t n = 0;
    if (*r->p != '"')
        return -1;
    r->p++;
    while (*r->p != '"') {
        char c = *r->p;
        if ((unsigned char)c < 0x20 || c == '\0')
            return -1;
        if (c == '\\') {
            r->p++;
            if (*r->p == 'u') {
                int i;
                for (i = 1; i <= 4; i++)
                    if (!isxdigit((unsigned char)r->p[i]))
                        return -1;
                r->p += 4;
                c = '?';
            } else if (strchr("\"\\/bfnrt", *r->p)) {
                c = *r->p;
            } else {
                return -1;
            }
        }
        if (out && n + 1 < size)
            out[n++] = c;
        r->p++;
    }
    r->p++;
    if (out)
        out[n] = '\0';
    return 0;
}

static int number(struct reader *r, long long *out)
{
    char *end;
    double v = strtod(r->p, &end);
    if (end == r->p || *r->p == '+' || *r->p == '.')
        return -1;
    r->p = end;
    if (out)
        *out = (long long)v;
    return 0;
}

/* An object; inside the traceEvents array (depth 2), its fields are kept. */
static int object(struct reader *r)
{
    struct event e;
    bool event = r->depth == 2;
    memset(&e, 0, sizeof e);
    r->p++;
    r->depth++;
    space(r);
    if (*r->p == '}') {
        r->p++;
        r->depth--;
        return 0;
    }
    for (;;) {
        char key[64], text[160];
        long long num = 0;
        space(r);
        if (string(r, key, sizeof key) != 0)
            return -1;
        space(r);
        if (*r->p++ != ':')
            return -1;
        space(r);
        text[0] = '\0';
        if (value(r, text, sizeof text, &num) != 0)
            return -1;
        if (event) {
            if (!strcmp(key, "ph")) { snprintf(e.ph, sizeof e.ph, "%.3s", text); e.has |= 1; }
            if (!strcmp(key, "ts")) { e.ts = num; e.has |= 2; }
            if (!strcmp(key, "pid")) { e.pid = num; e.has |= 4; }
            if (!strcmp(key, "tid")) { e.tid = num; e.has |= 8; }
            if (!strcmp(key, "dur")) e.dur = num;
            if (!strcmp(key, "cat")) snprintf(e.cat, sizeof e.cat, "%.15s", text);
            if (!strcmp(key, "name")) snprintf(e.name, sizeof e.name, "%.159s", text);
        }
        space(r);
        if (*r->p == ',') {
            r->p++;
            continue;
        }
        if (*r->p++ != '}')
            return -1;
        break;
    }
    r->depth--;
    if (event) {
        if (r->n == r->cap) {
            r->cap = r->cap ? 2 * r->cap : 1024;
            r->ev = realloc(r->ev, r->cap * sizeof *r->ev);
            assert_non_null(r->ev);
        }
        r->ev[r->n++] = e;
    }
    return 0;
}

static int array(struct reader *r)
{
    r->p++;
    r->depth++;
    space(r);
    if (*r->p == ']') {
        r->p++;
        r->depth--;
        return 0;
    }
    for (;;) {
        space(r);
        if (value(r, NULL, 0, NULL) != 0)
            return -1;
        space(r);
        if (*r->p == ',') {
            r->p++;
            continue;
        }
        if (*r->p++ != ']')
            return -1;
        break;
    }
    r->depth--;
    return 0;
}

static int value(struct reader *r, char *text, size_t size, long long *num)
{
    if (*r->p == '{')
        return object(r);
    if (*r->p == '[')
        return array(r);
    if (*r->p == '"')
        return string(r, text, size);
    if (!strncmp(r->p, "true", 4) || !strncmp(r->p, "null", 4)) {
        r->p += 4;
        return 0;
    }
    if (!strncmp(r->p, "false", 5)) {
        r->p += 5;
        return 0;
    }
    return number(r, num);
}

/* Read a whole trace-events file; fails the test unless it is JSON. */
static struct reader read_json(const char *text)
{
    struct reader r;
    memset(&r, 0, sizeof r);
    r.p = text;
    space(&r);
    assert_int_equal(*r.p, '{');
    assert_int_equal(value(&r, NULL, 0, NULL), 0);
    space(&r);
    assert_int_equal(*r.p, '\0');
    return r;
}

static void parser_refuses_broken_json(void **state)
{
    static const char *const bad[] = {"{\"a\": }", "{\"a\": [1,]}", "{\"a\": \"x\n\"}",
                                      "{\"a\" 1}", "{\"traceEvents\": [{\"ph\": \"X\"}"};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct reader r;
        memset(&r, 0, sizeof r);
        r.p = bad[i];
        assert_true(value(&r, NULL, 0, NULL) != 0 || *r.p != '\0');
        free(r.ev);
    }
}

/* ---- the file ---- */

static char *trace_events(const char *first, ...)
{
    const char *path = testutil_tmp("events.json");
    const char *args[24] = {NULL};
    size_t n = 0;
    va_list ap;
    struct testutil_run run;
    char *text;
    remove(path);
    args[n++] = first;
    va_start(ap, first);
    while ((args[n] = va_arg(ap, const char *)) != NULL)
        n++;
    assert_true(n <= 12);
    va_end(ap);
    /* The options first, so that the NULLs after the arguments given end
     * the list. */
    run = testutil_cli(args[0], args[1], "--trace-events", path, "--quiet", args[2], args[3],
                       args[4], args[5], args[6], args[7], args[8], args[9], args[10], args[11],
                       NULL);
    assert_int_equal(run.status, 0);
    testutil_run_free(&run);
    text = testutil_slurp(path, NULL);
    assert_non_null(text);
    return text;
}

static size_t count_x(const struct reader *r, const char *cat, long long pid)
{
    size_t i, n = 0;
    for (i = 0; i < r->n; i++)
        n += !strcmp(r->ev[i].ph, "X") && (!cat || !strcmp(r->ev[i].cat, cat)) &&
             r->ev[i].pid == pid;
    return n;
}

static int by_track(const void *pa, const void *pb)
{
    const struct event *a = pa, *b = pb;
    if (a->pid != b->pid)
        return a->pid < b->pid ? -1 : 1;
    if (a->tid != b->tid)
        return a->tid < b->tid ? -1 : 1;
    return a->ts < b->ts ? -1 : a->ts > b->ts;
}

/* Every event has ph, ts, pid and tid; slices lie within the run and never
 * overlap on one track (a thread runs one task at a time). */
static void check_events(struct reader *r, long long duration)
{
    struct event *x = malloc((r->n + 1) * sizeof *x);
    size_t i, n = 0;
    assert_non_null(x);
    for (i = 0; i < r->n; i++) {
        assert_int_equal(r->ev[i].has, 15);
        assert_true(strchr("XCiM", r->ev[i].ph[0]) != NULL);
        if (!strcmp(r->ev[i].ph, "X")) {
            assert_true(r->ev[i].tid >= 1);
            assert_true(r->ev[i].ts >= 0 && r->ev[i].dur >= 0);
            assert_true(r->ev[i].ts + r->ev[i].dur <= duration);
            x[n++] = r->ev[i];
        }
    }
    qsort(x, n, sizeof *x, by_track);
    for (i = 1; i < n; i++)
        if (x[i].pid == x[i - 1].pid && x[i].tid == x[i - 1].tid)
            assert_true(x[i - 1].ts + x[i - 1].dur <= x[i].ts);
    free(x);
}

/* The tasks column of the report's waits table: every task that got a
 * thread, by kind (delivery, owa, move, flush). */
static void tasks_started(const char *scenario, const char *set, long long n[4])
{
    static const char *const kind[4] = {"\n  delivery ", "\n  owa ", "\n  move ", "\n  flush "};
    char *out = NULL;
    int k;
    assert_int_equal(testutil_cli_status(&out, "run", scenario, "--show", "waits", "--set", set,
                                         NULL),
                     0);
    for (k = 0; k < 4; k++) {
        char *line = strstr(out, kind[k]), *end, *p;
        assert_non_null(line);
        end = strchr(line + 1, '\n');
        if (!end)
            end = line + strlen(line);
        for (p = end; p > line && p[-1] != ' '; p--)
            ;
        n[k] = 0;
        for (; p < end; p++)
            if (isdigit((unsigned char)*p))
                n[k] = n[k] * 10 + (*p - '0');
    }
    free(out);
}

static void one_slice_per_task_and_valid_json(void **state)
{
    char *text = trace_events("run", KB, "--set", "simulation.duration=1h", NULL);
    struct reader r = read_json(text);
    long long started[4];
    (void)state;
    check_events(&r, 3600000000LL);
    tasks_started(KB, "simulation.duration=1h", started);
    assert_int_equal((long long)count_x(&r, "delivery", 1), started[0]);
    assert_int_equal((long long)count_x(&r, "owa", 1), started[1]);
    assert_int_equal((long long)count_x(&r, "move", 1), started[2]);
    assert_int_equal((long long)count_x(&r, "flush", 1), started[3]);
    /* In plain words, and the counters and instants are there. */
    assert_non_null(strstr(text, "\"name\": \"flush of mailbox 1, batch1: times out\""));
    assert_non_null(strstr(text, "\"name\": \"threads busy\", \"ph\": \"C\""));
    assert_non_null(strstr(text, "\"name\": \"delivery backlog\", \"ph\": \"C\""));
    assert_non_null(strstr(text, "\"name\": \"POOL EXHAUSTED\", \"cat\": \"symptom\", \"ph\": \"i\""));
    assert_non_null(strstr(text, "\"name\": \"thread_name\", \"ph\": \"M\", \"ts\": 0, \"pid\": 1, "
                                 "\"tid\": 1, \"args\": {\"name\": \"thread 1\"}"));
    free(r.ev);
    free(text);
}

/* Text trace lines joined again where they were wrapped at 80 columns. */
static size_t count_told(const char *trace, const char *what)
{
    char *joined = malloc(strlen(trace) + 1), *q = joined;
    const char *p = trace;
    size_t n = 0;
    assert_non_null(joined);
    while (*p) {
        if (p[0] == '\n' && strncmp(p + 1, "                        ", 24) == 0) {
            *q++ = ' ';
            p += 25;
        } else {
            *q++ = *p++;
        }
    }
    *q = '\0';
    for (q = strstr(joined, what); q; q = strstr(q + 1, what))
        n++;
    free(joined);
    return n;
}

/* --from, --to and --only: the slices of the tasks that start in the
 * window, of the kinds named, as many as the text trace tells. */
static void the_window_and_the_kinds(void **state)
{
    char *text = trace_events("run", KB, "--set", "simulation.duration=1h", "--from", "40m",
                              "--to", "45m", "--only", "flush,move", NULL);
    struct reader r = read_json(text);
    char *trace = NULL;
    size_t i;
    (void)state;
    check_events(&r, 3600000000LL);
    for (i = 0; i < r.n; i++)
        if (!strcmp(r.ev[i].ph, "X")) {
            assert_true(!strcmp(r.ev[i].cat, "flush") || !strcmp(r.ev[i].cat, "move"));
            assert_true(r.ev[i].ts >= 2400000000LL && r.ev[i].ts <= 2700000999LL);
        }
    assert_int_equal(testutil_cli_status(&trace, "run", KB, "--set", "simulation.duration=1h",
                                         "--from", "40m", "--to", "45m", "--only", "flush,move",
                                         "--trace", "--quiet", NULL),
                     0);
    assert_int_equal(count_x(&r, "flush", 1), count_told(trace, "flush starts on a thread"));
    assert_int_equal(count_x(&r, "move", 1), count_told(trace, "move starts on a thread"));
    assert_true(count_x(&r, NULL, 1) > 0);
    free(trace);
    free(r.ev);
    free(text);
}

/* compare: two processes, before and after; a restart's cut slices end at
 * the cut. */
static void compare_and_restarts(void **state)
{
    char *text = trace_events("compare", testutil_src("scenarios/restart-store.scn"), "--set",
                              "simulation.duration=1h30m", "--only", "flush", NULL);
    struct reader r = read_json(text);
    size_t i, cut = 0;
    (void)state;
    check_events(&r, 5400000000LL);
    assert_true(count_x(&r, "flush", 1) > 0);
    assert_int_equal(count_x(&r, "flush", 2), 0); /* the hotfix skips every flush */
    for (i = 0; i < r.n; i++)
        if (!strcmp(r.ev[i].ph, "X") && r.ev[i].pid == 1 &&
            r.ev[i].ts + r.ev[i].dur == 4500000000LL)
            cut++;
    assert_true(cut > 50); /* the flushes holding threads at 01:15 */
    assert_non_null(strstr(text, "\"ends\": \"cut short by a restart\""));
    free(r.ev);
    free(text);
}

static void huge_files_refused_before_the_run(void **state)
{
    const char *path = testutil_tmp("huge.json");
    struct testutil_run run;
    (void)state;
    remove(path);
    run = testutil_cli("run", KB, "--set", "delivery.rate=2000/s", "--trace-events", path,
                       "--quiet", NULL);
    assert_int_equal(run.status, 2);
    assert_non_null(strstr(run.err, "--trace-events would write about "));
    assert_non_null(strstr(run.err, " MB"));
    assert_non_null(strstr(run.err, "--from and --to"));
    assert_non_null(strstr(run.err, "--only"));
    assert_false(testutil_exists(path));
    testutil_run_free(&run);
    run = testutil_cli("run", KB, "--trace-events", "", NULL);
    assert_int_equal(run.status, 2);
    testutil_run_free(&run);
    run = testutil_cli("sweep", KB, "--vary", "store.threads=90:100:10", "--trace-events", path,
                       NULL);
    assert_int_equal(run.status, 2);
    assert_false(testutil_exists(path));
    testutil_run_free(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parser_refuses_broken_json),
        cmocka_unit_test(one_slice_per_task_and_valid_json),
        cmocka_unit_test(the_window_and_the_kinds),
        cmocka_unit_test(compare_and_restarts),
        cmocka_unit_test(huge_files_refused_before_the_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
