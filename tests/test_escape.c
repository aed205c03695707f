/*
 * test_escape.c: text from a scenario is shown safely in every output.
 *
 * A scenario may name a database "A<ESC>cB" (ESC c resets a terminal), put a
 * right-to-left override in a batch name, or live in a file whose name holds
 * a control character. No output that a terminal or a viewer shows may then
 * carry the raw bytes: the report, the trace, the messages, the CSV and the
 * chart escape them as \xNN; the JSON as \uXXXX.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/escape.h"

static void escape_rules(void **state)
{
    char out[128];
    (void)state;
    assert_string_equal(ss_escape(out, sizeof out, "plain \xc2\xb1 text"), "plain \xc2\xb1 text");
    assert_string_equal(ss_escape(out, sizeof out, "A\x1b" "cB"), "A\\x1bcB");
    assert_string_equal(ss_escape(out, sizeof out, "tab\there\nnew"), "tab\\x09here\\x0anew");
    assert_string_equal(ss_escape(out, sizeof out, "del\x7f"), "del\\x7f");
    /* C1 CSI (U+009B), a right-to-left override (U+202E), a stray byte. */
    assert_string_equal(ss_escape(out, sizeof out, "\xc2\x9b" "2J"), "\\xc2\\x9b2J");
    assert_string_equal(ss_escape(out, sizeof out, "a\xe2\x80\xae" "b"), "a\\xe2\\x80\\xaeb");
    assert_string_equal(ss_escape(out, sizeof out, "\xff\xfe"), "\\xff\\xfe");
    assert_int_equal(ss_escaped_length("A\x1b"), 5);
    assert_int_equal(ss_escaped_columns("\xc2\xb1\x1b"), 5);
    /* Cut to fit, never inside an escape. */
    assert_string_equal(ss_escape(out, 6, "ab\x1b"), "ab");
    assert_string_equal(ss_escape(out, 7, "ab\x1b"), "ab\\x1b");
}

/* Any raw byte a terminal acts on, other than the line breaks of the text
 * itself: C0 but newline, DEL, the UTF-8 of C1 and of the bidi controls. */
static const char *raw_control(const char *text)
{
    const unsigned char *p;
    for (p = (const unsigned char *)text; *p; p++) {
        if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
            return (const char *)p;
        if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            return (const char *)p;
        if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0x8e || p[2] == 0x8f ||
                                              (p[2] >= 0xaa && p[2] <= 0xae)))
            return (const char *)p;
    }
    return NULL;
}

static void assert_safe(const char *what, const char *text)
{
    const char *bad = raw_control(text);
    if (bad)
        fail_msg("%s holds the raw byte 0x%02x at offset %ld", what, (unsigned)(unsigned char)*bad,
                 (long)(bad - text));
}

static const char hostile[] =
    "[simulation]\nduration = 2h\n"
    "[store]\nthreads = 6\n"
    "[mta]\nenabled = false\n"
    "[database A\x1b" "cB]\ngateway_out_threads = 0\n"
    "[move m\xe2\x80\xae" "x\xc2\x9b]\nmailboxes = 8\nconcurrency = 2\nduration = 2m\n"
    "[delivery]\nrate = 1/s\nservice = 500ms\n";

static void every_output_is_escaped(void **state)
{
    const char *path = testutil_tmp("esc\x1b]0;title\x07.scn");
    const char *csv = testutil_tmp("escape.csv"), *svg = testutil_tmp("escape.svg");
    const char *json = testutil_tmp("escape.json");
    struct testutil_run r;
    char *text;
    (void)state;
    assert_int_equal(testutil_write(path, hostile), 0);

    r = testutil_cli("run", path, "--trace", NULL);
    assert_int_equal(r.status, 0);
    assert_safe("the report and trace", r.out);
    assert_safe("the messages", r.err);
    assert_non_null(strstr(r.out, "A\\x1bcB"));
    assert_non_null(strstr(r.out, "esc\\x1b]0;title\\x07"));
    assert_non_null(strstr(r.out, "m\\xe2\\x80\\xaex\\xc2\\x9b"));
    testutil_run_free(&r);

    r = testutil_cli("compare", path, "--csv", csv, "--svg", svg, "--json", json, NULL);
    assert_int_equal(r.status, 0);
    assert_safe("the compare report", r.out);
    testutil_run_free(&r);
    text = testutil_slurp(svg, NULL);
    assert_non_null(text);
    assert_safe("the chart", text);
    assert_non_null(strstr(text, "esc\\x1b]0;title\\x07"));
    free(text);
    text = testutil_slurp(json, NULL);
    assert_non_null(text);
    assert_safe("the JSON", text);
    assert_non_null(strstr(text, "A\\u001bcB"));
    assert_non_null(strstr(text, "\\u202e"));
    assert_non_null(strstr(text, "\\u009b"));
    free(text);

    r = testutil_cli("sweep", path, "--vary", "move m\xe2\x80\xae" "x\xc2\x9b.mailboxes=2:4:2",
                     "--csv", csv, NULL);
    assert_int_equal(r.status, 0);
    testutil_run_free(&r);
    text = testutil_slurp(csv, NULL);
    assert_non_null(text);
    assert_safe("the sweep CSV", text);
    free(text);
    r = testutil_cli("sweep", path, "--vary", "move m\xe2\x80\xae" "x\xc2\x9b.mailboxes=2:4:2",
                     NULL);
    assert_int_equal(r.status, 0);
    assert_safe("the sweep report", r.out);
    testutil_run_free(&r);
    r = testutil_cli("run", path, "--replications", "2", NULL);
    assert_int_equal(r.status, 0);
    assert_safe("the replications report", r.out);
    testutil_run_free(&r);
    r = testutil_cli("check", path, NULL);
    assert_int_equal(r.status, 0);
    assert_safe("check", r.out);
    testutil_run_free(&r);
}

/* Messages about bad input carry the input escaped too. */
static void messages_are_escaped(void **state)
{
    const char *path = testutil_tmp("escape-bad.scn");
    struct testutil_run r;
    (void)state;
    assert_int_equal(testutil_write(path, "[simulation]\nduration = 1h\n[store]\nthreads = 4\n"
                                          "[move b\xc2\x9b]\nmailboxes = 1\nduration = 1s\n"
                                          "database = X\x1b" "c\n"),
                     0);
    r = testutil_cli("check", path, NULL);
    assert_int_equal(r.status, 2);
    assert_safe("a scenario error", r.err);
    testutil_run_free(&r);
    r = testutil_cli("run", path, "--bogus\x1b" "c", NULL);
    assert_int_equal(r.status, 2);
    assert_safe("a usage error", r.err);
    assert_non_null(strstr(r.err, "--bogus\\x1bc"));
    testutil_run_free(&r);
    r = testutil_cli("check", path, "--set", "store.threads=\x1b" "c", NULL);
    assert_int_equal(r.status, 2);
    assert_safe("a --set error", r.err);
    testutil_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escape_rules),
        cmocka_unit_test(every_output_is_escaped),
        cmocka_unit_test(messages_are_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
