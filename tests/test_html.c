/*
 * test_html.c: --html, the page for a browser (html.h).
 *
 * The page must be one file that needs nothing else (no network, no file
 * beside it). It is opened in a real browser, headless Chromium (Debian's
 * package `chromium`), as CI does: the page loads, its script runs with no
 * error (the script marks <body data-ready="yes"> at its end, and an error
 * handler writes data-error), and the DOM after load holds the store's state
 * at the instant the address names (#t=00:50:00), the same as the CSV's row
 * of that instant; a screenshot at 1280x720 is taken and is not blank.
 *
 * Without Chromium these browser checks cannot run: the test says so and is
 * skipped, unless STORESIM_REQUIRE_BROWSER=1 (CI sets it), when it fails.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#define KB testutil_src("scenarios/kb924567.scn")

static char browser[64];

static int find_browser(void)
{
    static const char *const names[] = {"chromium", "chromium-browser", "google-chrome"};
    size_t i;
    for (i = 0; i < sizeof names / sizeof *names; i++) {
        char command[128];
        snprintf(command, sizeof command, "command -v %s >/dev/null 2>&1", names[i]);
        if (system(command) == 0) {
            strcpy(browser, names[i]);
            return 1;
        }
    }
    return 0;
}

/* Skip (or, in CI, fail) a test that needs the browser when there is none. */
static int need_browser(void)
{
    const char *required = getenv("STORESIM_REQUIRE_BROWSER");
    if (browser[0] || find_browser())
        return 1;
    if (required && strcmp(required, "1") == 0)
        fail_msg("Chromium is not installed and STORESIM_REQUIRE_BROWSER=1: install it with "
                 "apt-get install chromium");
    print_message("NOT CHECKED IN A BROWSER: Chromium is not installed (apt-get install "
                  "chromium); CI installs it and runs these checks\n");
    return 0;
}

/* The runs are cut to 55 minutes, past the pool running dry (00:41:47) and
 * the instant the tests look at (00:50:00). Each page is written once. */
#define SHORT "simulation.duration=55m"

static char *page_of(const char *command, const char *name, const char *set)
{
    static char written[4][64];
    const char *path = testutil_tmp(name);
    char *html;
    size_t i;
    for (i = 0; i < 4 && written[i][0] && strcmp(written[i], name) != 0; i++)
        ;
    if (i == 4 || !written[i][0]) {
        remove(path);
        assert_int_equal(testutil_cli_status(NULL, command, KB, "--html", path, "--quiet",
                                             "--set", set, NULL),
                         0);
        if (i < 4)
            snprintf(written[i], sizeof written[i], "%s", name);
    }
    html = testutil_slurp(path, NULL);
    assert_non_null(html);
    return html;
}

/* The DOM after load, from headless Chromium. */
static char *dom_of(const char *path, const char *fragment)
{
    char command[3000], *dom;
    const char *out = testutil_tmp("html-dom.txt");
    snprintf(command, sizeof command,
             "%s --headless --no-sandbox --disable-gpu --user-data-dir='%s' "
             "--virtual-time-budget=10000 --dump-dom 'file://%s%s' >'%s' 2>/dev/null",
             browser, testutil_tmp("html-profile"), path, fragment, out);
    assert_int_equal(system(command), 0);
    dom = testutil_slurp(out, NULL);
    assert_non_null(dom);
    return dom;
}

/* The busy threads of a run at 00:50:00, as the CSV gives them:
 * "delivery,owa,move,flush". compare's CSV holds both runs, and `run` of
 * the scenario (no hotfix) is its "before"; it is made once. */
static void csv_busy_at(const char *run, char *busy, size_t size, long long *backlog)
{
    static char *csv;
    char key[64], *row;
    long long b[4];
    if (!csv)
        assert_int_equal(testutil_cli_status(&csv, "compare", KB, "--csv", "-", "--quiet",
                                             "--set", SHORT, NULL),
                         0);
    snprintf(key, sizeof key, "\n%s,00:50:00,", strcmp(run, "run") == 0 ? "before" : run);
    row = strstr(csv, key);
    assert_non_null(row);
    row += strlen(key);
    assert_int_equal(sscanf(row, "%*[^,],%lld,%lld,%lld,%lld,%*d,%*d,%*d,%*d,%lld", &b[0], &b[1],
                            &b[2], &b[3], backlog),
                     5);
    snprintf(busy, size, "%lld,%lld,%lld,%lld", b[0], b[1], b[2], b[3]);
}

/* One file: nothing fetched, nothing beside it. */
static void the_page_needs_nothing_else(void **state)
{
    char *html = page_of("run", "page-run.html", SHORT), *p;
    (void)state;
    assert_true(strncmp(html, "<!DOCTYPE html>", 15) == 0);
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, " src="));
    assert_null(strstr(html, "url("));
    assert_null(strstr(html, "@import"));
    for (p = strstr(html, "http"); p; p = strstr(p + 1, "http"))
        assert_true(strncmp(p, "http://www.w3.org/2000/svg", 26) == 0); /* a namespace, not fetched */
    /* What it holds: the paragraph, the timeline, the tables, both drawings,
     * the slider. */
    assert_non_null(strstr(html, "<p class=\"scenario\">The information store has a pool of 100"));
    assert_non_null(strstr(html, "<pre class=\"timeline\" data-run=\"run\">Timeline (simulated "
                                 "time)"));
    assert_non_null(strstr(html, "<tr data-symptom=\"pool_exhausted\"><td>Pool exhausted</td>"
                                 "<td>00:41:47</td>"));
    assert_non_null(strstr(html, "<table class=\"totals\" data-run=\"run\">"));
    assert_non_null(strstr(html, "<g class=\"panel\" data-run=\"run\">"));
    assert_non_null(strstr(html, "<g class=\"lanes\" data-run=\"run\""));
    assert_non_null(strstr(html, "<input type=\"range\" id=\"slider\""));
    assert_null(strstr(html, "<?xml")); /* the drawings inline, as HTML takes them */
    free(html);
}

/* Text from the scenario cannot break the page: a name with markup in it. */
static void names_are_escaped(void **state)
{
    const char *scn = testutil_tmp("html-<b>&name.scn");
    char *text = testutil_slurp(KB, NULL), *html = NULL;
    (void)state;
    assert_non_null(text);
    assert_int_equal(testutil_write(scn, text), 0);
    assert_int_equal(testutil_cli_status(&html, "run", scn, "--html", "-", "--quiet", "--set",
                                         "simulation.duration=10m", NULL),
                     0);
    assert_null(strstr(html, "<b>&name"));
    assert_non_null(strstr(html, "html-&lt;b&gt;&amp;name"));
    free(html);
    free(text);
}

static void the_browser_runs_the_script(void **state)
{
    const char *path = testutil_tmp("page-run.html");
    char *html = page_of("run", "page-run.html", SHORT), *dom, busy[64],
         want[160];
    long long backlog;
    (void)state;
    free(html);
    if (!need_browser())
        return;
    dom = dom_of(path, "#t=00:50:00");
    assert_non_null(strstr(dom, "<body data-ready=\"yes\""));
    assert_null(strstr(dom, "data-error="));
    assert_non_null(strstr(dom, "<div id=\"state\" data-time-us=\"3000000000\">"));
    csv_busy_at("run", busy, sizeof busy, &backlog);
    snprintf(want, sizeof want, "<div class=\"run-state\" data-run=\"run\" data-busy=\"%s\" "
                                "data-backlog=\"%lld\">", busy, backlog);
    assert_non_null(strstr(dom, want));
    assert_non_null(strstr(dom, "100 of 100 threads busy"));
    assert_non_null(strstr(dom, "last: 00:45:58 "));
    /* The script put a cursor on both drawings. */
    assert_non_null(strstr(dom, "class=\"cursor\""));
    free(dom);
}

static void compare_shows_both_runs(void **state)
{
    const char *path = testutil_tmp("page-compare.html");
    char *html = page_of("compare", "page-compare.html", SHORT), *dom,
         busy[64], want[160];
    long long backlog;
    int i;
    (void)state;
    assert_non_null(strstr(html, "<pre class=\"verdict\">"));
    assert_non_null(strstr(html, "<pre class=\"timeline\" data-run=\"before\">"));
    assert_non_null(strstr(html, "<pre class=\"timeline\" data-run=\"after\">"));
    free(html);
    if (!need_browser())
        return;
    dom = dom_of(path, "#t=00:50:00");
    assert_non_null(strstr(dom, "<body data-ready=\"yes\""));
    assert_null(strstr(dom, "data-error="));
    for (i = 0; i < 2; i++) {
        const char *run = i ? "after" : "before";
        csv_busy_at(run, busy, sizeof busy, &backlog);
        snprintf(want, sizeof want, "<div class=\"run-state\" data-run=\"%s\" data-busy=\"%s\" "
                                    "data-backlog=\"%lld\">", run, busy, backlog);
        assert_non_null(strstr(dom, want));
    }
    free(dom);
}

/* A screenshot at 1280x720: a PNG of that size that is not blank (a blank
 * page of that size is about 4 KB; this one, text and drawings, 100 KB). */
static void a_screenshot_is_not_blank(void **state)
{
    const char *path = testutil_tmp("page-run.html"), *png = testutil_tmp("page.png");
    char command[3000], *data;
    size_t len;
    unsigned long w, h;
    (void)state;
    free(page_of("run", "page-run.html", SHORT));
    if (!need_browser())
        return;
    remove(png);
    snprintf(command, sizeof command,
             "%s --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir='%s' "
             "--virtual-time-budget=10000 --window-size=1280,720 --screenshot='%s' "
             "'file://%s#t=00:50:00' >/dev/null 2>&1",
             browser, testutil_tmp("html-profile"), png, path);
    assert_int_equal(system(command), 0);
    data = testutil_slurp(png, &len);
    assert_non_null(data);
    assert_true(len > 24 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0);
    w = ((unsigned long)(unsigned char)data[16] << 24) | ((unsigned long)(unsigned char)data[17] << 16) |
        ((unsigned long)(unsigned char)data[18] << 8) | (unsigned char)data[19];
    h = ((unsigned long)(unsigned char)data[20] << 24) | ((unsigned long)(unsigned char)data[21] << 16) |
        ((unsigned long)(unsigned char)data[22] << 8) | (unsigned char)data[23];
    assert_int_equal(w, 1280);
    assert_int_equal(h, 720);
    assert_true(len > 20000);
    free(data);
}

static void bad_html_paths_write_nothing(void **state)
{
    struct testutil_run r = testutil_cli("run", KB, "--html", "", NULL);
    (void)state;
    assert_int_equal(r.status, 2);
    testutil_run_free(&r);
    r = testutil_cli("run", KB, "--html", testutil_tmp("no/such/dir/p.html"), NULL);
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    testutil_run_free(&r);
    r = testutil_cli("sweep", KB, "--vary", "store.threads=90:100:10", "--html", "p.html", NULL);
    assert_int_equal(r.status, 2);
    testutil_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_page_needs_nothing_else),
        cmocka_unit_test(names_are_escaped),
        cmocka_unit_test(the_browser_runs_the_script),
        cmocka_unit_test(compare_shows_both_runs),
        cmocka_unit_test(a_screenshot_is_not_blank),
        cmocka_unit_test(bad_html_paths_write_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
