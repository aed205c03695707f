/*
 * test_lanes.c: --lanes, every thread of the pool (lanes.h, docs/charts.md).
 *
 * The lanes must be well-formed XML (xmllint, as CI runs it); every bar
 * inside its own row and the time axis; at no instant more bars than
 * threads; and the bars of runs worked out by hand (constant holds) where
 * they belong, to the pixel: a move of 20 minutes from 00:10 in a run of an
 * hour covers pixel columns 182 to 547 of the 1096-wide plot (1096 x 10/60 =
 * 182.7, 1096 x 30/60 = 548), so its bar is x = 88 + 182 = 270, width 366.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/lanes.h"

#define KB testutil_src("scenarios/kb924567.scn")

struct bar {
    char kind[16];
    long long row, start, end;
    double x, y, w, h;
};

struct panel {
    char run[16];
    long long rows, per_row;
    double left, right, top, bottom;
    struct bar *bar;
    size_t n;
};

static double attr_num(const char *tag, const char *name)
{
    char key[64];
    const char *p;
    snprintf(key, sizeof key, " %s=\"", name);
    p = strstr(tag, key);
    assert_non_null(p);
    return strtod(p + strlen(key), NULL);
}

static void attr_text(const char *tag, const char *name, char *out, size_t size)
{
    char key[64];
    const char *p;
    size_t n;
    snprintf(key, sizeof key, " %s=\"", name);
    p = strstr(tag, key);
    assert_non_null(p);
    p += strlen(key);
    n = strcspn(p, "\"");
    assert_true(n < size);
    memcpy(out, p, n);
    out[n] = '\0';
}

/* The panels of a lanes file, each with its bars. Returns how many. */
static size_t read_panels(const char *svg, struct panel panel[2])
{
    const char *p = svg;
    size_t n = 0;
    while ((p = strstr(p, "<g class=\"lanes\"")) != NULL) {
        const char *next, *q;
        struct panel *pn = &panel[n++];
        assert_true(n <= 2);
        memset(pn, 0, sizeof *pn);
        attr_text(p, "data-run", pn->run, sizeof pn->run);
        pn->rows = (long long)attr_num(p, "data-rows");
        pn->per_row = (long long)attr_num(p, "data-threads-per-row");
        pn->left = attr_num(p, "data-plot-left");
        pn->right = attr_num(p, "data-plot-right");
        pn->top = attr_num(p, "data-plot-top");
        pn->bottom = attr_num(p, "data-plot-bottom");
        next = strstr(p + 1, "<g class=\"lanes\"");
        for (q = strstr(p, "<rect class=\"bar\""); q && (!next || q < next);
             q = strstr(q + 1, "<rect class=\"bar\"")) {
            struct bar *b;
            char tag[512];
            size_t len = strcspn(q, ">");
            assert_true(len < sizeof tag);
            memcpy(tag, q, len);
            tag[len] = '\0';
            pn->bar = realloc(pn->bar, (pn->n + 1) * sizeof *pn->bar);
            assert_non_null(pn->bar);
            b = &pn->bar[pn->n++];
            attr_text(tag, "data-kind", b->kind, sizeof b->kind);
            b->row = (long long)attr_num(tag, "data-row");
            b->start = (long long)attr_num(tag, "data-start-us");
            b->end = (long long)attr_num(tag, "data-end-us");
            b->x = attr_num(tag, "x");
            b->y = attr_num(tag, "y");
            b->w = attr_num(tag, "width");
            b->h = attr_num(tag, "height");
        }
        p += 1;
    }
    return n;
}

static void free_panels(struct panel *panel, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        free(panel[i].bar);
}

/* Draw the lanes of a command; the file's text (free it). */
static char *lanes_of(const char *command, const char *scenario, const char *set1,
                      const char *set2)
{
    const char *path = testutil_tmp("lanes.svg");
    char *svg;
    remove(path);
    assert_int_equal(testutil_cli_status(NULL, command, scenario, "--lanes", path, "--quiet",
                                         "--set", set1, "--set", set2, NULL),
                     0);
    svg = testutil_slurp(path, NULL);
    assert_non_null(svg);
    return svg;
}

static int have_xmllint(void)
{
    return system("command -v xmllint >/dev/null 2>&1") == 0;
}

static void lanes_are_well_formed_xml(void **state)
{
    const char *path = testutil_tmp("lanes-wf.svg");
    char command[1200];
    (void)state;
    assert_int_equal(testutil_cli_status(NULL, "compare", KB, "--lanes", path, "--quiet",
                                         "--set", "simulation.duration=50m", NULL),
                     0);
    if (!have_xmllint()) {
        print_message("xmllint is not installed (apt-get install libxml2-utils): the lanes "
                      "are not checked as XML here; CI checks them\n");
        return;
    }
    snprintf(command, sizeof command, "xmllint --noout '%s'", path);
    assert_int_equal(system(command), 0);
}

/* Every bar within its row and within the plot; the rows' bars never
 * overlap in time, so at no instant are more bars drawn than threads. */
static void check_bars(const struct panel *pn, long long threads)
{
    double h = (pn->bottom - pn->top) / (double)pn->rows;
    size_t i, j;
    int c;
    assert_true(pn->rows * pn->per_row >= threads);
    assert_true(pn->rows <= threads);
    for (i = 0; i < pn->n; i++) {
        const struct bar *b = &pn->bar[i];
        double row_top = pn->bottom - (double)(b->row + 1) * h;
        assert_true(b->row >= 0 && b->row < pn->rows);
        assert_true(b->x >= pn->left && b->x + b->w <= pn->right + 1e-6);
        assert_true(b->w >= 1);
        assert_true(b->y >= row_top - 0.01 && b->y + b->h <= row_top + h + 0.01);
        assert_true(b->y >= pn->top - 0.01 && b->y + b->h <= pn->bottom + 0.01);
        assert_true(b->start < b->end);
        for (j = i + 1; j < pn->n; j++)
            if (pn->bar[j].row == b->row)
                assert_true(pn->bar[j].x >= b->x + b->w || pn->bar[j].x + pn->bar[j].w <= b->x);
    }
    for (c = 0; c < SS_LANES_COLUMNS; c++) {
        double x = pn->left + c + 0.5;
        long long at = 0;
        for (i = 0; i < pn->n; i++)
            at += pn->bar[i].x <= x && x < pn->bar[i].x + pn->bar[i].w;
        assert_true(at <= threads);
    }
}

static void every_bar_inside_its_lane_and_the_axis(void **state)
{
    /* 1h20m: the pool runs dry at 00:41:47 and the flushes hold it to the end. */
    char *svg = lanes_of("compare", KB, "simulation.duration=80m", "store.threads=100");
    struct panel panel[2];
    size_t n = read_panels(svg, panel), i;
    (void)state;
    assert_int_equal(n, 2);
    assert_string_equal(panel[0].run, "before");
    assert_string_equal(panel[1].run, "after");
    for (i = 0; i < n; i++) {
        assert_true(panel[i].n > 0);
        check_bars(&panel[i], 100);
    }
    /* Before the hotfix the flushes are there, long bars; after, none. */
    {
        size_t f = 0, longest = 0;
        for (i = 0; i < panel[0].n; i++)
            if (strcmp(panel[0].bar[i].kind, "flush") == 0) {
                f++;
                if (panel[0].bar[i].w > (double)longest)
                    longest = (size_t)panel[0].bar[i].w;
            }
        assert_true(f >= 90);
        assert_true(longest > 500); /* 00:30 to the end: 50 minutes of an 80-minute axis */
        for (i = 0; i < panel[1].n; i++)
            assert_string_not_equal(panel[1].bar[i].kind, "flush");
    }
    free_panels(panel, n);
    free(svg);
}

/* Where the bars of `kind` in row `row` start and end (x), and the width
 * they cover; 0 when the row has none. A column partly busy is pale, so a
 * task that starts or ends within a column may make a bar of its own. */
static double row_extent(const struct panel *pn, long long row, const char *kind, double *x0,
                         double *x1)
{
    double covered = 0;
    size_t i;
    *x0 = 1e9;
    *x1 = -1;
    for (i = 0; i < pn->n; i++) {
        const struct bar *b = &pn->bar[i];
        if (b->row != row || strcmp(b->kind, kind) != 0)
            continue;
        if (b->x < *x0)
            *x0 = b->x;
        if (b->x + b->w > *x1)
            *x1 = b->x + b->w;
        covered += b->w;
    }
    return covered;
}

/* Four moves of 20 minutes from 00:10 on a pool of 8, the hotfix skipping
 * every flush: threads 1 to 4, one bar each, to the pixel. */
static const char *const moves_only =
    "[simulation]\nduration = 1h\n[store]\nthreads = 8\n"
    "[mta]\nenabled = false\n[hotfix]\nkb924567 = true\n"
    "[database db]\ngateway_out_threads = 0\n"
    "[move m]\nmailboxes = 4\nstart = 10m\nconcurrency = 4\nduration = 20m\n";

static void constant_holds_to_the_pixel(void **state)
{
    const char *scn = testutil_tmp("lanes-moves.scn");
    char *svg;
    struct panel panel[2];
    size_t n, i;
    (void)state;
    assert_int_equal(testutil_write(scn, moves_only), 0);
    svg = lanes_of("run", scn, "simulation.seed=1", "simulation.seed=1");
    n = read_panels(svg, panel);
    assert_int_equal(n, 1);
    assert_int_equal(panel[0].rows, 8);
    for (i = 0; i < panel[0].n; i++)
        assert_string_equal(panel[0].bar[i].kind, "move");
    for (i = 0; i < 8; i++) {
        double x0, x1, covered = row_extent(&panel[0], (long long)i, "move", &x0, &x1);
        if (i >= 4) { /* threads 1 to 4 ran the moves; 5 to 8 nothing */
            assert_true(covered == 0);
            continue;
        }
        assert_true(x0 == 270 && x1 == 636 && covered == 366);
    }
    /* Column 182, partly busy and pale, starts at 182 x 3600 s / 1096 =
     * 597.81 s; the next, wholly busy, at 601.09 s; the last ends at 30m. */
    assert_non_null(strstr(svg, "data-row=\"0\" data-start-us=\"597810219\" "
                                "data-end-us=\"601094891\" data-busy=\"1\" x=\"270\""));
    assert_non_null(strstr(svg, "data-row=\"0\" data-start-us=\"601094891\" "
                                "data-end-us=\"1800000000\" data-busy=\"2\" x=\"271\""));
    check_bars(&panel[0], 8);
    free_panels(panel, n);
    free(svg);
}

/* The same moves, the store restarted at 00:20: each bar ends at the cut
 * (1096 / 3 = 365.3: its last column is 365, x + width = 88 + 366). */
static void a_restart_ends_the_bars_at_the_cut(void **state)
{
    const char *scn = testutil_tmp("lanes-restart.scn");
    char text[1024];
    char *svg;
    struct panel panel[2];
    size_t n, i;
    (void)state;
    snprintf(text, sizeof text, "%s[action r]\nat = 20m\ndo = restart_store\n"
                                "restart_time = 5m\n", moves_only);
    assert_int_equal(testutil_write(scn, text), 0);
    svg = lanes_of("run", scn, "simulation.seed=1", "simulation.seed=1");
    n = read_panels(svg, panel);
    assert_int_equal(n, 1);
    for (i = 0; i < 4; i++) {
        double x0, x1;
        assert_true(row_extent(&panel[0], (long long)i, "move", &x0, &x1) == 454 - 270);
        assert_true(x0 == 270 && x1 == 88 + 366);
    }
    check_bars(&panel[0], 8);
    free_panels(panel, n);
    free(svg);
}

/* The MTA started at 00:40 answers the flushes registered at 00:10 within
 * a second: their bars end there (column of 40m01s = 730.9: x + width =
 * 88 + 731), not 150 minutes after they started. */
static void a_retimed_flush_ends_at_its_new_end(void **state)
{
    const char *scn = testutil_tmp("lanes-mta.scn");
    static const char text[] =
        "[simulation]\nduration = 1h\n[store]\nthreads = 8\n"
        "[mta]\nenabled = false\nflush_time = 1s\n[hotfix]\nkb924567 = false\n"
        "[move m]\nmailboxes = 4\nstart = 10m\nconcurrency = 4\nduration = 50m\n"
        "[action mta]\nat = 40m\ndo = start_mta\n";
    char *svg;
    struct panel panel[2];
    size_t n, i, flushes = 0;
    (void)state;
    assert_int_equal(testutil_write(scn, text), 0);
    (void)i;
    svg = lanes_of("run", scn, "simulation.seed=1", "simulation.seed=1");
    n = read_panels(svg, panel);
    for (i = 0; i < 8; i++) {
        double x0, x1;
        if (row_extent(&panel[0], (long long)i, "flush", &x0, &x1) == 0)
            continue;
        assert_true(x0 == 270 && x1 == 88 + 731);
        flushes++;
    }
    assert_int_equal(flushes, 4);
    check_bars(&panel[0], 8);
    free_panels(panel, n);
    free(svg);
}

/* Above SS_LANES_ROWS_MAX threads rows fold into bands, and the chart says
 * so; the bars stay inside. */
static void many_threads_fold_into_bands(void **state)
{
    char *svg = lanes_of("run", KB, "simulation.duration=45m", "store.threads=1000");
    struct panel panel[2];
    size_t n = read_panels(svg, panel);
    (void)state;
    assert_int_equal(n, 1);
    assert_int_equal(panel[0].per_row, 4);
    assert_int_equal(panel[0].rows, 250);
    assert_non_null(strstr(svg, "1,000 threads: a row is a band of 4"));
    check_bars(&panel[0], 1000);
    free_panels(panel, n);
    free(svg);
}

/* Symptoms are marked as in the chart; the title names every --set. */
static void symptoms_marked_and_overrides_named(void **state)
{
    char *svg = lanes_of("run", KB, "simulation.duration=1h", "move batch1.concurrency=8");
    (void)state;
    assert_non_null(strstr(svg, "<g class=\"symptom\" data-symptom=\"pool_exhausted\""));
    assert_non_null(strstr(svg, "<title>kb924567: every thread of the pool, with "
                                "simulation.duration=1h, move batch1.concurrency=8</title>"));
    free(svg);
}

static void bad_lanes_paths_write_nothing(void **state)
{
    struct testutil_run r = testutil_cli("run", KB, "--lanes", "", NULL);
    (void)state;
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--lanes needs a file name"));
    testutil_run_free(&r);
    r = testutil_cli("run", KB, "--lanes", testutil_tmp("no/such/folder/x.svg"), NULL);
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    testutil_run_free(&r);
    r = testutil_cli("run", KB, "--lanes", KB, NULL);
    assert_int_equal(r.status, 2);
    testutil_run_free(&r);
    r = testutil_cli("run", KB, "--lanes", "x.svg", "--replications", "3", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "describe one run"));
    testutil_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lanes_are_well_formed_xml),
        cmocka_unit_test(every_bar_inside_its_lane_and_the_axis),
        cmocka_unit_test(constant_holds_to_the_pixel),
        cmocka_unit_test(a_restart_ends_the_bars_at_the_cut),
        cmocka_unit_test(a_retimed_flush_ends_at_its_new_end),
        cmocka_unit_test(many_threads_fold_into_bands),
        cmocka_unit_test(symptoms_marked_and_overrides_named),
        cmocka_unit_test(bad_lanes_paths_write_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
