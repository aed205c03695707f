/*
 * test_svg.c: --svg, the chart (docs/charts.md).
 *
 * The chart must be well-formed XML: a small checker here (tags balanced
 * and nested, attributes quoted, no raw '<' or stray '&' in text) runs
 * everywhere, and xmllint, as CI runs it, where it is installed. Symptom
 * markers are <g class="symptom" data-symptom="KEY">: one for each symptom
 * the run's JSON gives a time, none for those it gives null.
 */
#include "testutil.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/cli.h"
#include "storesim/svg.h"

#define KB testutil_src("scenarios/kb924567.scn")
#define KB_HOTFIX testutil_src("scenarios/kb924567-hotfix.scn")
#define TONIGHT testutil_src("scenarios/tonight.scn")
#define SHORT "--set", "simulation.duration=4h"

static const char *const symptom_keys[] = {"pool_exhausted",   "delivery_starved",
                                           "delivery_recovered", "owa_unresponsive",
                                           "smtp_stopped",     "smtp_resumed",
                                           "owa_responsive"};
#define N_SYMPTOMS 7

static char svg_path[1024], json_path[1024];

static int setup(void **state)
{
    (void)state;
    strcpy(svg_path, testutil_tmp("svg_chart.svg"));
    strcpy(json_path, testutil_tmp("svg_chart.json"));
    return 0;
}


static int count(const char *text, const char *what)
{
    int n = 0;
    for (text = strstr(text, what); text; text = strstr(text + 1, what))
        n++;
    return n;
}

/* ---- a small well-formedness checker ----
 * It returns 0 at the first fault rather than asserting, so that it can be
 * shown to reject broken documents. */

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
        p++;
    return p;
}

/* A name at p into name; NULL if there is none. */
static const char *read_name(const char *p, char *name, size_t size)
{
    size_t n = 0;
    if (!isalpha((unsigned char)*p) && *p != '_')
        return NULL;
    while (isalnum((unsigned char)p[n]) || p[n] == '-' || p[n] == '_' || p[n] == ':' ||
           p[n] == '.')
        n++;
    if (n >= size)
        return NULL;
    memcpy(name, p, n);
    name[n] = '\0';
    return p + n;
}

/* An entity reference at p ('&'): one of XML's five or a character
 * reference. Returns the text after it, or NULL. */
static const char *skip_entity(const char *p)
{
    static const char *const known[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    size_t i;
    for (i = 0; i < 5; i++)
        if (strncmp(p, known[i], strlen(known[i])) == 0)
            return p + strlen(known[i]);
    if (p[1] != '#')
        return NULL;
    for (p += 2; isalnum((unsigned char)*p); p++)
        ;
    return *p == ';' ? p + 1 : NULL;
}

/* A start tag after its '<', attributes quoted and escaped. Sets *empty
 * for "/>". Returns the text after it, or NULL. */
static const char *skip_start_tag(const char *p, char *name, size_t size, int *empty)
{
    char attr[64];
    if (!(p = read_name(p, name, size)))
        return NULL;
    for (;;) {
        p = skip_space(p);
        if (*p == '/' && p[1] == '>') {
            *empty = 1;
            return p + 2;
        }
        if (*p == '>') {
            *empty = 0;
            return p + 1;
        }
        if (!(p = read_name(p, attr, sizeof attr)) || p[0] != '=' || p[1] != '"')
            return NULL;
        for (p += 2; p && *p != '"';)
            p = *p == '\0' || *p == '<' ? NULL : *p == '&' ? skip_entity(p) : p + 1;
        if (!p)
            return NULL;
        p++;
    }
}

/* Is text one well-formed XML document (with no DTD, comment or CDATA: the
 * chart has none)? Returns its element count, 0 if not. */
static int xml_elements(const char *p)
{
    char stack[64][64], name[64];
    int depth = 0, elements = 0, roots = 0;
    if (strncmp(p, "<?xml ", 6) == 0) {
        if (!(p = strstr(p, "?>")))
            return 0;
        p += 2;
    }
    while (p && *p) {
        if (*p == '&') {
            p = depth > 0 ? skip_entity(p) : NULL;
        } else if (*p != '<') {
            p = depth > 0 || isspace((unsigned char)*p) ? p + 1 : NULL; /* text only inside */
        } else if (p[1] == '/') {
            p = read_name(p + 2, name, sizeof name);
            if (!p || depth == 0 || strcmp(name, stack[--depth]) != 0)
                return 0;
            p = skip_space(p);
            p = *p == '>' ? p + 1 : NULL;
        } else {
            int empty = 0;
            if (p[1] == '!' || p[1] == '?' || depth == 64)
                return 0;
            p = skip_start_tag(p + 1, name, sizeof name, &empty);
            elements++;
            roots += depth == 0;
            if (p && !empty)
                strcpy(stack[depth++], name);
        }
    }
    return p && depth == 0 && roots == 1 ? elements : 0;
}

static int have_xmllint(void)
{
    return system("command -v xmllint >/dev/null 2>&1") == 0;
}

static int xmllint_accepts(const char *path)
{
    char command[1200];
    snprintf(command, sizeof command, "xmllint --noout '%s'", path);
    return system(command) == 0;
}

/* ---- what the chart holds ---- */

/* Charts already drawn, by scenario and command: the shipped scenarios are
 * drawn once each, not once per test. */
struct drawn {
    char scenario[1024], command[16];
    char *svg, *json;
};
static struct drawn drawn[8];
static size_t n_drawn;

static char *copy_of(const char *text)
{
    char *c = malloc(strlen(text) + 1);
    assert_non_null(c);
    return strcpy(c, text);
}

/* The chart (a copy to keep) and JSON of `COMMAND SCENARIO SHORT`, also left
 * in svg_path and json_path. */
static char *chart_of(const char *scenario, const char *command)
{
    struct drawn *d = NULL;
    size_t i;
    for (i = 0; i < n_drawn; i++)
        if (strcmp(drawn[i].scenario, scenario) == 0 && strcmp(drawn[i].command, command) == 0)
            d = &drawn[i];
    if (!d) {
        assert_true(n_drawn < sizeof drawn / sizeof *drawn);
        d = &drawn[n_drawn++];
        strcpy(d->scenario, scenario);
        strcpy(d->command, command);
        remove(svg_path);
        remove(json_path);
        assert_int_equal(testutil_cli_status(NULL, command, scenario, SHORT, "--svg", svg_path, "--json", json_path,
                             "--quiet", NULL),
                         0);
        d->svg = testutil_slurp(svg_path, NULL);
        d->json = testutil_slurp(json_path, NULL);
        assert_non_null(d->svg);
        assert_non_null(d->json);
    }
    assert_int_equal(testutil_write(svg_path, d->svg), 0);
    assert_int_equal(testutil_write(json_path, d->json), 0);
    return copy_of(d->svg);
}

static int teardown(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < n_drawn; i++) {
        free(drawn[i].svg);
        free(drawn[i].json);
    }
    return 0;
}

static int has_marker(const char *svg, const char *key)
{
    char pattern[128];
    sprintf(pattern, "class=\"symptom\" data-symptom=\"%s\"", key);
    return strstr(svg, pattern) != NULL;
}

/* Did the run's JSON give the symptom a time (not null)? */
static int happened(const char *json, const char *key)
{
    char pattern[128];
    const char *p;
    sprintf(pattern, "\"%s\": ", key);
    p = strstr(json, pattern);
    assert_non_null(p);
    return strncmp(p + strlen(pattern), "null", 4) != 0;
}

static void markers_match_symptoms(const char *svg, int expect_all)
{
    char *json = testutil_slurp(json_path, NULL);
    int s, shown = 0;
    assert_non_null(json);
    for (s = 0; s < N_SYMPTOMS; s++) {
        assert_int_equal(has_marker(svg, symptom_keys[s]), happened(json, symptom_keys[s]));
        assert_int_equal(has_marker(svg, symptom_keys[s]), expect_all);
        shown += has_marker(svg, symptom_keys[s]);
    }
    assert_int_equal(count(svg, "class=\"symptom\""), shown);
    free(json);
}

static void chart_is_well_formed(void **state)
{
    char *svg = chart_of(KB, "compare");
    (void)state;
    assert_true(xml_elements(svg) > 50);
    assert_int_equal(strncmp(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44), 0);
    assert_non_null(strstr(svg, "viewBox=\"0 0 1280 720\""));
    free(svg);
}

static void checker_rejects_broken_xml(void **state)
{
    (void)state;
    assert_int_equal(xml_elements("<svg><g a=\"1 &amp; 2\"></g><text>x</text></svg>"), 3);
    assert_int_equal(xml_elements("<svg><g></svg></g>"), 0);
    assert_int_equal(xml_elements("<svg><g></g>"), 0);
    assert_int_equal(xml_elements("<svg><text>a < b</text></svg>"), 0);
    assert_int_equal(xml_elements("<svg><text>a & b</text></svg>"), 0);
    assert_int_equal(xml_elements("<svg><g a=\"x<y\"/></svg>"), 0);
    assert_int_equal(xml_elements("<svg x=1></svg>"), 0);
    assert_int_equal(xml_elements("<svg></svg><svg></svg>"), 0);
    assert_int_equal(xml_elements("text<svg></svg>"), 0);
}

static void xmllint_accepts_the_charts(void **state)
{
    char name_path[1024];
    (void)state;
    if (!have_xmllint())
        skip();
    free(chart_of(KB, "compare"));
    assert_true(xmllint_accepts(svg_path));
    free(chart_of(KB_HOTFIX, "run"));
    assert_true(xmllint_accepts(svg_path));
    strcpy(name_path, testutil_tmp("svg_a&b<c>'d.scn"));
    assert_int_equal(testutil_write(name_path, "[simulation]\nduration = 10m\n"
                                               "[store]\nthreads = 2\n"),
                     0);
    free(chart_of(name_path, "run"));
    assert_true(xmllint_accepts(svg_path));
}

static void markers_for_every_symptom_without_the_hotfix(void **state)
{
    char *svg = chart_of(KB, "run");
    (void)state;
    markers_match_symptoms(svg, 1);
    assert_non_null(strstr(svg, ">delivery starved 00:4")); /* the label names it, with its time */
    assert_int_equal(count(svg, "class=\"panel\""), 1);
    assert_null(strstr(svg, "no symptom in this run"));
    free(svg);
}

static void no_markers_with_the_hotfix(void **state)
{
    char *svg = chart_of(KB_HOTFIX, "run");
    (void)state;
    markers_match_symptoms(svg, 0);
    assert_non_null(strstr(svg, "no symptom in this run"));
    assert_null(strstr(svg, "data-kind=\"flush\"")); /* no flush ever held a thread */
    free(svg);
}

/* The text of the y tick labels of one panel, in order. */
static void tick_labels(const char *panel, char *out, size_t size)
{
    const char *p = strstr(panel, "class=\"y-ticks\""), *end;
    size_t n = 0;
    assert_non_null(p);
    end = strstr(p, "</g>");
    while ((p = strstr(p, "\">")) != NULL && p < end) {
        const char *close = strchr(p, '<');
        size_t len = (size_t)(close - p - 2);
        assert_true(n + len + 1 < size);
        memcpy(out + n, p + 2, len);
        n += len;
        out[n++] = '|';
        p = close;
    }
    out[n] = '\0';
}

static void compare_has_two_panels_on_one_scale(void **state)
{
    char *svg = chart_of(KB, "compare"), *after, before_ticks[512], after_ticks[512];
    (void)state;
    assert_int_equal(count(svg, "class=\"panel\""), 2);
    after = strstr(svg, "class=\"panel\" data-run=\"after\"");
    assert_non_null(after);
    assert_true(strstr(svg, "class=\"panel\" data-run=\"before\"") < after);
    *after = '\0'; /* svg: the before panel; after + 1: the after panel */
    after++;
    assert_true(has_marker(svg, "delivery_starved"));
    assert_true(has_marker(svg, "pool_exhausted"));
    assert_non_null(strstr(svg, "data-kind=\"flush\""));
    assert_false(has_marker(after, "delivery_starved"));
    assert_int_equal(count(after, "class=\"symptom\""), 0);
    assert_null(strstr(after, "data-kind=\"flush\""));
    assert_non_null(strstr(after, "no symptom in this run"));
    /* One time axis, under the last panel; the same scales in both. */
    assert_int_equal(count(after, "class=\"time-axis\""), 1);
    assert_int_equal(count(svg, "class=\"time-axis\""), 0);
    tick_labels(svg, before_ticks, sizeof before_ticks);
    tick_labels(after, after_ticks, sizeof after_ticks);
    assert_string_equal(before_ticks, after_ticks);
    assert_non_null(strstr(before_ticks, "|100|"));
    free(svg);
}

static void title_names_the_scenario(void **state)
{
    char *svg = chart_of(KB, "compare");
    (void)state;
    /* Every --set is named (the charts here are cut to 4h). */
    assert_non_null(strstr(svg, "<title>kb924567: before and after the KB 924567 hotfix, with "
                                "simulation.duration=4h</title>"));
    assert_non_null(strstr(svg, ">kb924567: before and after the KB 924567 hotfix, with "
                                "simulation.duration=4h</text>"));
    free(svg);
}

/* Two charts of one scenario, one with an override, are told apart by
 * their titles; a title too long for one line takes two, and one too long
 * for two is shortened with "...", never cut off at the edges. */
static void title_names_every_override_and_wraps(void **state)
{
    char *one = NULL, *two = NULL, *p;
    int lines = 0;
    (void)state;
    assert_int_equal(testutil_cli_status(&one, "run", KB, "--svg", "-", "--quiet", "--set",
                                         "simulation.duration=10m", NULL),
                     0);
    assert_int_equal(testutil_cli_status(&two, "run", KB, "--svg", "-", "--quiet", "--set",
                                         "simulation.duration=10m", "--set",
                                         "move batch1.concurrency=1", NULL),
                     0);
    assert_non_null(strstr(one, ">kb924567: the store task pool over time, with "
                                "simulation.duration=10m</text>"));
    assert_non_null(strstr(two, "<title>kb924567: the store task pool over time, with "
                                "simulation.duration=10m, move batch1.concurrency=1</title>"));
    assert_non_null(strstr(two, "font-size=\"20\" font-weight=\"bold\">kb924567: the store "
                                "task pool over time, with simulation.duration=10m, move"));
    for (p = strstr(two, "class=\"title\""); p; p = strstr(p + 1, "class=\"title\""))
        lines++;
    assert_int_equal(lines, 2);
    free(one);
    free(two);
    assert_int_equal(testutil_cli_status(&one, "run", KB, "--svg", "-", "--quiet", "--set",
                                         "simulation.duration=10m", "--set",
                                         "delivery.rate=20/s", "--set", "owa.rate=5/s", "--set",
                                         "smtp.max_backlog=10000", "--set",
                                         "smtp.resume_backlog=5000", "--set",
                                         "move batch1.concurrency=4", "--set",
                                         "move batch1.mailboxes=150", "--set",
                                         "store.threads=100", "--set", "mta.enabled=false",
                                         NULL),
                     0);
    assert_non_null(strstr(one, "...</text>"));
    /* No line is wider than the canvas at the generous width estimate. */
    for (p = strstr(one, "class=\"title\""); p; p = strstr(p + 1, "class=\"title\"")) {
        const char *text = strchr(p, '>') + 1;
        size_t n = (size_t)(strstr(text, "</text>") - text);
        assert_true((double)n * 20 * 0.6 <= 1240);
    }
    free(one);
}

/* The smallest text is 18 px, for the back of a room (docs/charts.md). */
static void text_is_large_enough_to_read(void **state)
{
    char *svg = chart_of(KB, "compare"), *p;
    (void)state;
    for (p = strstr(svg, "font-size=\""); p; p = strstr(p + 1, "font-size=\""))
        assert_true(atoi(p + strlen("font-size=\"")) >= 18);
    free(svg);
}

static void time_axis_in_hours_and_minutes(void **state)
{
    char *svg = chart_of(KB, "run"), *axis;
    (void)state;
    axis = strstr(svg, "class=\"time-axis\"");
    assert_non_null(axis);
    assert_non_null(strstr(axis, "</g>"));
    *strstr(axis, "</g>") = '\0';
    assert_non_null(strstr(axis, ">00:00</text>"));
    assert_non_null(strstr(axis, ">00:30</text>"));
    assert_non_null(strstr(axis, ">04:00</text>"));
    assert_int_equal(count(axis, "</text>"), 9); /* 00:00 to 04:00, every 30 minutes */
    assert_non_null(strstr(axis + strlen(axis) + 1, "simulated time (hours:minutes)"));
    free(svg);
}

static void self_contained(void **state)
{
    char *svg = chart_of(KB, "compare");
    (void)state;
    assert_null(strstr(svg, "<script"));
    assert_null(strstr(svg, "href"));
    assert_null(strstr(svg, "url("));
    assert_null(strstr(svg, "@import"));
    assert_null(strstr(svg, "<image"));
    assert_null(strstr(svg, "<style"));
    assert_non_null(strstr(svg, "font-family=\"sans-serif\""));
    free(svg);
}

/* A symptom marker as drawn: its dashed line and its label's extent,
 * measured as the chart measures text (0.6 em a character). */
struct drawn_marker {
    double x, line_top;       /* the line runs from line_top down */
    double left, right, base; /* the label */
};

static int read_markers(const char *svg, struct drawn_marker *m, int max)
{
    const char *p = svg;
    int n = 0;
    while ((p = strstr(p, "class=\"symptom\"")) != NULL) {
        const char *line = strstr(p, "<line "), *text = strstr(p, "<text "), *close;
        double x, width;
        char tag[200];
        assert_true(n < max);
        assert_non_null(line);
        assert_non_null(text);
        assert_int_equal(sscanf(line, "<line x1=\"%lf\" y1=\"%lf\"", &m[n].x, &m[n].line_top), 2);
        assert_int_equal(sscanf(text, "<text x=\"%lf\" y=\"%lf\"", &x, &m[n].base), 2);
        close = strchr(text, '>');
        assert_true(close - text < (long)sizeof tag);
        memcpy(tag, text, (size_t)(close - text));
        tag[close - text] = '\0';
        width = (double)(strchr(close, '<') - close - 1) * 14 * 0.6;
        m[n].left = strstr(tag, "text-anchor=\"end\"") ? x - width : x;
        m[n].right = m[n].left + width;
        n++;
        p = close;
    }
    return n;
}

/* No two labels of a row overlap, and no dashed line crosses a label.
 * Returns the markers drawn; expected < 0: any number. */
static int check_labels(const char *svg, int expected)
{
    struct drawn_marker m[64];
    int n = read_markers(svg, m, 64), i, j;
    if (expected >= 0)
        assert_int_equal(n, expected);
    for (i = 0; i < n; i++) {
        for (j = 0; j < n; j++) {
            if (i == j)
                continue;
            if (m[i].base == m[j].base)
                assert_true(m[i].right <= m[j].left || m[j].right <= m[i].left);
            if (m[j].line_top < m[i].base && m[j].x > m[i].left && m[j].x < m[i].right)
                fail_msg("the line of marker %d crosses the label of marker %d", j, i);
        }
    }
    return n;
}

/* A number after `key` in the JSON, from `from` on. */
static long long json_number(const char *from, const char *key, const char **after)
{
    const char *p = strstr(from, key);
    assert_non_null(p);
    p += strlen(key);
    if (after)
        *after = p;
    return strncmp(p, "null", 4) == 0 ? -1 : atoll(p);
}

/* A run of many episodes: every starvation episode is shaded, from its start
 * to its end; every start and end is marked, or counted as not labelled; the
 * labels still never overlap; the axis reads clock time, with the day. */
static void every_episode_shaded_and_marked(void **state)
{
    char *svg, *json, number[64];
    const char *p, *kinds[] = {"\"delivery_starved\": {", "\"owa_unresponsive\": {",
                               "\"smtp_stopped\": {"};
    long long episodes, total = 1; /* the pool exhausted */
    int k, drawn, more = 0;
    (void)state;
    remove(svg_path);
    assert_int_equal(testutil_cli_status(NULL, "run", TONIGHT, "--svg", svg_path, "--json", json_path,
                                         "--quiet", NULL),
                     0);
    svg = testutil_slurp(svg_path, NULL);
    json = testutil_slurp(json_path, NULL);
    assert_non_null(svg);
    assert_non_null(json);
    p = strstr(json, "\"episodes\": {");
    assert_non_null(p);
    for (k = 0; k < 3; k++) {
        const char *list = strstr(p, kinds[k]), *q;
        long long i;
        assert_non_null(list);
        episodes = json_number(list, "\"count\": ", NULL);
        assert_true(episodes >= 1);
        q = list;
        for (i = 0; i < episodes; i++) {
            long long start = json_number(q, "\"start\": ", &q);
            long long end = json_number(q, "\"end\": ", &q);
            total += 1 + (end >= 0);
            if (k == 0) {
                snprintf(number, sizeof number, "class=\"starved\" data-start-us=\"%lld\" "
                         "data-end-us=\"%lld\"", start, end);
                if (!strstr(svg, number))
                    fail_msg("no shading for the starvation episode from %lld to %lld", start, end);
            }
        }
        if (k == 0)
            assert_int_equal(count(svg, "class=\"starved\""), episodes);
    }
    drawn = check_labels(svg, -1);
    assert_true(drawn >= 6);
    p = strstr(svg, "class=\"unlabelled\"");
    if (p)
        assert_int_equal(sscanf(strchr(p, '>') + 1, "%d more starts and ends", &more), 1);
    assert_int_equal(drawn + more, total);
    assert_non_null(strstr(svg, "clock time (hours:minutes)"));
    assert_non_null(strstr(svg, ">00:00+1d</text>"));
    free(svg);
    free(json);
}

static void symptom_labels_do_not_overlap(void **state)
{
    char *svg = chart_of(KB, "run");
    (void)state;
    check_labels(svg, N_SYMPTOMS);
    free(svg);
}

static void labels_near_the_right_edge_do_not_overlap(void **state)
{
    char *svg;
    (void)state;
    remove(svg_path);
    assert_int_equal(testutil_cli_status(NULL, "run", KB, "--set", "move batch1.start=7h20m", "--svg", svg_path,
                         "--quiet", NULL),
                     0);
    svg = testutil_slurp(svg_path, NULL);
    assert_non_null(svg);
    assert_non_null(strstr(svg, "text-anchor=\"end\" fill=\"#222222\">pool exhausted"));
    check_labels(svg, 4);
    free(svg);
}

static void names_are_escaped(void **state)
{
    char name_path[1024];
    char *svg;
    (void)state;
    strcpy(name_path, testutil_tmp("svg_a&b<c>'d.scn"));
    assert_int_equal(testutil_write(name_path, "[simulation]\nduration = 10m\n"
                                               "[store]\nthreads = 2\n"),
                     0);
    svg = chart_of(name_path, "run");
    assert_true(xml_elements(svg) > 0);
    assert_non_null(strstr(svg, "<title>svg_a&amp;b&lt;c&gt;&apos;d: "));
    assert_null(strstr(svg, "a&b"));
    free(svg);
}

static void short_runs_get_seconds_on_the_axis(void **state)
{
    char *svg;
    (void)state;
    remove(svg_path);
    assert_int_equal(testutil_cli_status(NULL, "run", KB, "--set", "simulation.duration=2m", "--set",
                         "simulation.sample_interval=1s", "--svg", svg_path, "--quiet", NULL),
                     0);
    svg = testutil_slurp(svg_path, NULL);
    assert_non_null(svg);
    assert_true(xml_elements(svg) > 0);
    assert_non_null(strstr(svg, ">00:00:15</text>"));
    assert_non_null(strstr(svg, ">00:02:00</text>"));
    assert_non_null(strstr(svg, "simulated time (hours:minutes:seconds)"));
    free(svg);
}

static void unwritable_svg_is_exit_1(void **state)
{
    (void)state;
    remove(json_path);
    assert_int_equal(testutil_cli_status(NULL, "compare", KB, SHORT, "--svg", testutil_tmp("no/such/dir/c.svg"),
                         "--json", json_path, "--quiet", NULL),
                     1);
    assert_false(testutil_exists(json_path)); /* nothing else was left behind */
}

/* docs/charts.md and the teaching guide show the charts the program draws,
 * not old ones. */
static void committed_charts_are_current(void **state)
{
    static const char *const charts[][2] = {{"kb924567", "docs/images/kb924567-compare.svg"},
                                            {"tonight", "docs/images/tonight-compare.svg"},
                                            {"restart-store",
                                             "docs/images/restart-store-compare.svg"},
                                            {"kb924567", "docs/images/kb924567-lanes.svg"}};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof charts / sizeof charts[0]; i++) {
        char scenario[64], *fresh, *committed;
        snprintf(scenario, sizeof scenario, "scenarios/%s.scn", charts[i][0]);
        remove(svg_path);
        bool lanes = strstr(charts[i][1], "-lanes.svg") != NULL; /* run --lanes */
        assert_int_equal(testutil_cli_status(NULL, lanes ? "run" : "compare",
                                             testutil_src(scenario), lanes ? "--lanes" : "--svg",
                                             svg_path, "--quiet", NULL),
                         0);
        fresh = testutil_slurp(svg_path, NULL);
        committed = testutil_slurp(testutil_src(charts[i][1]), NULL);
        assert_non_null(fresh);
        if (!committed || strcmp(fresh, committed) != 0)
            fail_msg("%s is out of date; draw it again with: storesim %s %s %s %s --quiet",
                     charts[i][1], lanes ? "run" : "compare", scenario,
                     lanes ? "--lanes" : "--svg", charts[i][1]);
        free(fresh);
        free(committed);
    }
}

/* docs/charts.md's chart of the fixes side by side (compare --variant). */
static void committed_fixes_chart_is_current(void **state)
{
    char *fresh, *committed;
    (void)state;
    remove(svg_path);
    assert_int_equal(testutil_cli_status(NULL, "compare", KB, "--variant",
                                         "hotfix: hotfix.kb924567=true", "--variant",
                                         "mta-at-1h: action mta.do=start_mta, action mta.at=1h",
                                         "--variant", "two-at-once: move batch1.concurrency=2",
                                         "--variant", "threads-250: store.threads=250", "--svg",
                                         svg_path, "--quiet", NULL),
                     0);
    fresh = testutil_slurp(svg_path, NULL);
    committed = testutil_slurp(testutil_src("docs/images/kb924567-fixes.svg"), NULL);
    assert_non_null(fresh);
    if (!committed || strcmp(fresh, committed) != 0)
        fail_msg("docs/images/kb924567-fixes.svg is out of date; draw it again with the "
                 "command in docs/charts.md");
    /* Each run its own panel, pool and actions: the MTA starts in one only. */
    assert_non_null(strstr(fresh, "data-run=\"threads-250\""));
    assert_non_null(strstr(fresh, "pool: 250 threads"));
    assert_non_null(strstr(fresh, "data-action=\"start_mta\""));
    assert_null(strstr(strstr(fresh, "data-run=\"two-at-once\""), "data-action=\"start_mta\""));
    free(fresh);
    free(committed);
}

/* ---- the series: bounded, and no peak lost ---- */

static struct ss_sample sample_at(ss_time t, long long busy, long long backlog)
{
    struct ss_sample s;
    memset(&s, 0, sizeof s);
    s.time = t;
    s.busy[SS_FLUSH] = busy;
    s.backlog = backlog;
    return s;
}

static void series_keeps_every_sample_of_a_normal_run(void **state)
{
    struct ss_series s;
    ss_time t;
    (void)state;
    assert_int_equal(ss_series_init(&s, 8 * SS_HOUR, SS_MINUTE), 0);
    for (t = 0; t <= 8 * SS_HOUR; t += SS_MINUTE) {
        struct ss_sample sm = sample_at(t, t / SS_MINUTE, 2 * (t / SS_MINUTE));
        ss_series_add(&s, &sm);
    }
    assert_int_equal(s.n, 481);
    assert_int_equal(s.point[0].time, 0);
    assert_int_equal(s.point[480].time, 8 * SS_HOUR);
    assert_int_equal(s.point[77].busy[SS_FLUSH], 77);
    assert_int_equal(s.point[77].backlog, 154);
    ss_series_free(&s);
}

static void series_is_bounded_and_keeps_peaks(void **state)
{
    struct ss_series s;
    const ss_time end = 10 * SS_HOUR + 500 * SS_MS; /* 36,002 samples, the last one partial */
    ss_time t;
    size_t i;
    int peak_seen = 0, backlog_seen = 0;
    (void)state;
    assert_int_equal(ss_series_init(&s, end, SS_SECOND), 0);
    assert_true(s.cap <= SS_SERIES_MAX_POINTS);
    for (t = 0;; t = t + SS_SECOND > end ? end : t + SS_SECOND) {
        long long busy = t == 12345 * SS_SECOND ? 99 : 3;
        long long backlog = t == 23456 * SS_SECOND ? 5000 : 7;
        struct ss_sample sm = sample_at(t, busy, backlog);
        ss_series_add(&s, &sm);
        if (t == end)
            break;
    }
    assert_true(s.n <= SS_SERIES_MAX_POINTS);
    assert_true(s.n >= SS_SERIES_MAX_POINTS / 2); /* groups of 19 samples */
    assert_int_equal(s.point[0].time, 0);
    assert_int_equal(s.point[s.n - 1].time, end);
    for (i = 0; i < s.n; i++) {
        if (i)
            assert_true(s.point[i].time > s.point[i - 1].time);
        peak_seen |= s.point[i].busy[SS_FLUSH] == 99;
        backlog_seen |= s.point[i].backlog == 5000;
    }
    assert_true(peak_seen);
    assert_true(backlog_seen);
    ss_series_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chart_is_well_formed),
        cmocka_unit_test(checker_rejects_broken_xml),
        cmocka_unit_test(xmllint_accepts_the_charts),
        cmocka_unit_test(markers_for_every_symptom_without_the_hotfix),
        cmocka_unit_test(no_markers_with_the_hotfix),
        cmocka_unit_test(compare_has_two_panels_on_one_scale),
        cmocka_unit_test(title_names_the_scenario),
        cmocka_unit_test(time_axis_in_hours_and_minutes),
        cmocka_unit_test(self_contained),
        cmocka_unit_test(symptom_labels_do_not_overlap),
        cmocka_unit_test(labels_near_the_right_edge_do_not_overlap),
        cmocka_unit_test(every_episode_shaded_and_marked),
        cmocka_unit_test(names_are_escaped),
        cmocka_unit_test(short_runs_get_seconds_on_the_axis),
        cmocka_unit_test(unwritable_svg_is_exit_1),
        cmocka_unit_test(committed_charts_are_current),
        cmocka_unit_test(committed_fixes_chart_is_current),
        cmocka_unit_test(title_names_every_override_and_wraps),
        cmocka_unit_test(text_is_large_enough_to_read),
        cmocka_unit_test(series_keeps_every_sample_of_a_normal_run),
        cmocka_unit_test(series_is_bounded_and_keeps_peaks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
