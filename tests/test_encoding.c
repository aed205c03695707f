/*
 * test_encoding.c: scenario files saved by Windows tools (encoding.h).
 *
 * UTF-16 with a byte order mark, Notepad's "Unicode", reads as the same text
 * in UTF-8, line for line; UTF-16 without a mark and UTF-32 are refused with
 * a message that says to save the file as UTF-8; everything else is handed
 * on untouched for the reader to judge.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/encoding.h"

/* `text` (ASCII or UTF-8 of the BMP and beyond, given as code points) as
 * UTF-16 bytes, with or without a byte order mark; *len gets the size. */
static char *utf16(const unsigned long *cp, size_t n, int big, int mark, size_t *len)
{
    char *b = malloc(4 * n + 2);
    size_t w = 0, i;
    assert_non_null(b);
    if (mark) {
        b[w++] = (char)(big ? 0xFE : 0xFF);
        b[w++] = (char)(big ? 0xFF : 0xFE);
    }
    for (i = 0; i < n; i++) {
        unsigned long u[2];
        int k, units = 1;
        u[0] = cp[i];
        if (cp[i] >= 0x10000) {
            u[0] = 0xD800 + ((cp[i] - 0x10000) >> 10);
            u[1] = 0xDC00 + ((cp[i] - 0x10000) & 0x3FF);
            units = 2;
        }
        for (k = 0; k < units; k++) {
            b[w++] = (char)(big ? u[k] >> 8 : u[k] & 0xFF);
            b[w++] = (char)(big ? u[k] & 0xFF : u[k] >> 8);
        }
    }
    *len = w;
    return b;
}

/* An ASCII string as code points. */
static unsigned long *points(const char *s, size_t *n)
{
    size_t i, len = strlen(s);
    unsigned long *p = malloc((len + 1) * sizeof *p);
    assert_non_null(p);
    for (i = 0; i < len; i++)
        p[i] = (unsigned char)s[i];
    *n = len;
    return p;
}

static char *ascii_utf16(const char *s, int big, int mark, size_t *len)
{
    size_t n;
    unsigned long *p = points(s, &n);
    char *b = utf16(p, n, big, mark, len);
    free(p);
    return b;
}

static void utf8_is_handed_on_as_it_is(void **state)
{
    static const char *const texts[] = {
        "[store]\nthreads = 4\n",
        "\xEF\xBB\xBF[store]\r\nthreads = 4\r\n", /* UTF-8 with its mark: the reader skips it */
        "# caf\xC3\xA9, \xE2\x82\xAC\n",
        "# Latin-1 caf\xE9\n",  /* not UTF-8: the reader shows the byte escaped */
        "a\0b",                 /* a NUL byte, not UTF-16: the reader refuses it at its line */
        "\xFF",                 /* one byte: not a mark */
        "\xFE",
    };
    static const size_t lens[] = {0, 0, 0, 0, 3, 1, 1};
    struct ss_text t;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        size_t len = lens[i] ? lens[i] : strlen(texts[i]);
        assert_int_equal(ss_text_decode(texts[i], len, &t), SS_TEXT_OK);
        assert_int_equal(t.form, SS_TEXT_AS_IS);
        assert_null(t.text);
        ss_text_free(&t);
    }
    assert_int_equal(ss_text_decode(NULL, 0, &t), SS_TEXT_OK); /* an empty file */
    assert_int_equal(t.form, SS_TEXT_AS_IS);
    ss_text_free(&t);
}

static void utf16_with_a_mark_is_decoded(void **state)
{
    static const char text[] = "# kb924567\r\n[simulation]\r\nduration = 8h\n\n[store]\rthreads = 100";
    struct ss_text t;
    int big;
    (void)state;
    for (big = 0; big <= 1; big++) {
        size_t len;
        char *b = ascii_utf16(text, big, 1, &len);
        assert_int_equal(ss_text_decode(b, len, &t), SS_TEXT_OK);
        assert_int_equal(t.form, big ? SS_TEXT_UTF16BE : SS_TEXT_UTF16LE);
        assert_non_null(t.text);
        /* Same text, same line ends, no mark. */
        assert_int_equal(t.len, strlen(text));
        assert_string_equal(t.text, text);
        ss_text_free(&t);
        assert_null(t.text);
        free(b);
    }
    /* Only the mark: an empty text. */
    assert_int_equal(ss_text_decode("\xFF\xFE", 2, &t), SS_TEXT_OK);
    assert_int_equal(t.form, SS_TEXT_UTF16LE);
    assert_int_equal(t.len, 0);
    assert_string_equal(t.text, "");
    ss_text_free(&t);
    assert_string_equal(ss_text_form_name(SS_TEXT_UTF16LE), "UTF-16 little-endian");
    assert_string_equal(ss_text_form_name(SS_TEXT_UTF16BE), "UTF-16 big-endian");
}

static void every_character_becomes_its_utf8(void **state)
{
    /* é (2 bytes), € (3), U+FFFD (3), 😀 U+1F600 (a surrogate pair: 4), U+10FFFF. */
    static const unsigned long cp[] = {'n', '=', 0xE9, 0x20AC, 0xFFFD, 0x1F600, 0x10FFFF, '\n'};
    static const char want[] = "n=\xC3\xA9\xE2\x82\xAC\xEF\xBF\xBD\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\n";
    struct ss_text t;
    int big;
    (void)state;
    for (big = 0; big <= 1; big++) {
        size_t len;
        char *b = utf16(cp, sizeof cp / sizeof cp[0], big, 1, &len);
        assert_int_equal(ss_text_decode(b, len, &t), SS_TEXT_OK);
        assert_int_equal(t.len, sizeof want - 1);
        assert_memory_equal(t.text, want, sizeof want);
        ss_text_free(&t);
        free(b);
    }
}

/* A U+0000 in UTF-16 becomes a NUL byte, which the reader refuses at its line. */
static void a_nul_character_stays_a_nul(void **state)
{
    static const unsigned long cp[] = {'a', '\n', 0, 'b'};
    struct ss_text t;
    size_t len;
    char *b = utf16(cp, 4, 0, 1, &len);
    (void)state;
    assert_int_equal(ss_text_decode(b, len, &t), SS_TEXT_OK);
    assert_int_equal(t.len, 4);
    assert_memory_equal(t.text, "a\n\0b", 4);
    ss_text_free(&t);
    free(b);
}

static void broken_utf16_is_refused_at_its_line(void **state)
{
    /* A lone high surrogate on line 3 (CRLF, CR and LF line ends), a lone low
     * one on line 2, a high one at the very end. */
    static const unsigned long high[] = {'a', '\r', '\n', 'b', '\r', 0xD83D, 'c'};
    static const unsigned long low[] = {'a', '\n', 0xDE00};
    static const unsigned long last[] = {'a', 0xD83D};
    struct ss_text t;
    size_t len;
    char *b = utf16(high, 7, 0, 1, &len);
    (void)state;
    assert_int_equal(ss_text_decode(b, len, &t), SS_TEXT_REFUSED);
    assert_int_equal(t.line, 3);
    assert_string_equal(t.why, "the UTF-16 little-endian text is broken (a lone surrogate): "
                               "save it as UTF-8 (in Notepad: File, Save As, Encoding: UTF-8)");
    assert_null(t.text); /* nothing half-decoded */
    ss_text_free(&t);
    free(b);
    b = utf16(low, 3, 1, 1, &len);
    assert_int_equal(ss_text_decode(b, len, &t), SS_TEXT_REFUSED);
    assert_int_equal(t.line, 2);
    assert_non_null(strstr(t.why, "UTF-16 big-endian text is broken"));
    ss_text_free(&t);
    free(b);
    b = utf16(last, 2, 0, 1, &len);
    assert_int_equal(ss_text_decode(b, len, &t), SS_TEXT_REFUSED);
    assert_int_equal(t.line, 1);
    ss_text_free(&t);
    free(b);
    /* A mark, then an odd number of bytes: not UTF-16. */
    assert_int_equal(ss_text_decode("\xFF\xFE" "a\0b", 5, &t), SS_TEXT_REFUSED);
    assert_int_equal(t.line, 0);
    assert_string_equal(t.why, "the file starts as UTF-16 little-endian but has an odd number "
                               "of bytes: save it as UTF-8 (in Notepad: File, Save As, "
                               "Encoding: UTF-8)");
    ss_text_free(&t);
}

static void utf16_without_a_mark_is_refused(void **state)
{
    static const char text[] = "[simulation]\nduration = 8h\n";
    struct ss_text t;
    size_t len;
    char *b = ascii_utf16(text, 0, 0, &len);
    (void)state;
    assert_int_equal(ss_text_decode(b, len, &t), SS_TEXT_REFUSED);
    assert_int_equal(t.line, 0);
    assert_string_equal(t.why, "the file looks like UTF-16 little-endian without a byte order "
                               "mark, which storesim does not read: save it as UTF-8 (in "
                               "Notepad: File, Save As, Encoding: UTF-8)");
    ss_text_free(&t);
    free(b);
    b = ascii_utf16(text, 1, 0, &len);
    assert_int_equal(ss_text_decode(b, len, &t), SS_TEXT_REFUSED);
    assert_non_null(strstr(t.why, "UTF-16 big-endian without a byte order mark"));
    assert_non_null(strstr(t.why, "save it as UTF-8"));
    ss_text_free(&t);
    free(b);
}

static void utf32_is_refused(void **state)
{
    static const char le_mark[] = "\xFF\xFE\0\0[\0\0\0";
    static const char be_mark[] = "\0\0\xFE\xFF\0\0\0[";
    static const char le[] = "[\0\0\0s\0\0\0]\0\0\0\n\0\0\0";
    static const char be[] = "\0\0\0[\0\0\0s\0\0\0]\0\0\0\n";
    struct ss_text t;
    (void)state;
    assert_int_equal(ss_text_decode(le_mark, 8, &t), SS_TEXT_REFUSED);
    assert_string_equal(t.why, "the file is UTF-32 (it starts with a UTF-32 byte order mark), "
                               "which storesim does not read: save it as UTF-8 (in Notepad: "
                               "File, Save As, Encoding: UTF-8)");
    ss_text_free(&t);
    assert_int_equal(ss_text_decode(be_mark, 8, &t), SS_TEXT_REFUSED);
    assert_non_null(strstr(t.why, "UTF-32"));
    ss_text_free(&t);
    assert_int_equal(ss_text_decode(le, 16, &t), SS_TEXT_REFUSED);
    assert_string_equal(t.why, "the file looks like UTF-32, which storesim does not read: save "
                               "it as UTF-8 (in Notepad: File, Save As, Encoding: UTF-8)");
    ss_text_free(&t);
    assert_int_equal(ss_text_decode(be, 16, &t), SS_TEXT_REFUSED);
    assert_non_null(strstr(t.why, "UTF-32"));
    ss_text_free(&t);
}

/* A file with a few NUL bytes among text is not taken for UTF-16: the
 * reader's own message (a NUL byte, at its line) is the better one. */
static void a_few_nul_bytes_are_not_utf16(void **state)
{
    static const char text[] = "[simulation]\nduration = 8h\0\n[store]\nthreads = 4\n";
    struct ss_text t;
    (void)state;
    assert_int_equal(ss_text_decode(text, sizeof text - 1, &t), SS_TEXT_OK);
    assert_int_equal(t.form, SS_TEXT_AS_IS);
    ss_text_free(&t);
}

/* Every shipped scenario, saved as Notepad's "Unicode" (UTF-16 LE with a
 * mark), decodes to its own bytes and resolves to the same scenario. */
static void shipped_scenarios_survive_notepad(void **state)
{
    static const char *const files[] = {"scenarios/kb924567.scn", "scenarios/kb924567-hotfix.scn",
                                        "scenarios/mta-enabled.scn",
                                        "scenarios/hotfix-without-registry.scn",
                                        "scenarios/new-database.scn", "scenarios/tonight.scn"};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        size_t len, n, wide_len, k;
        char *text = testutil_slurp(testutil_src(files[i]), &len), *wide;
        unsigned long *cp;
        struct ss_text t;
        struct ss_scenario a, b;
        assert_non_null(text);
        /* The files are ASCII: each byte is one code point. */
        cp = malloc((len + 1) * sizeof *cp);
        assert_non_null(cp);
        for (n = 0; n < len; n++)
            cp[n] = (unsigned char)text[n];
        wide = utf16(cp, len, 0, 1, &wide_len);
        assert_int_equal(ss_text_decode(wide, wide_len, &t), SS_TEXT_OK);
        assert_int_equal(t.len, len);
        assert_memory_equal(t.text, text, len);
        testutil_scenario(&a, files[i], text, NULL, 0);
        testutil_scenario(&b, files[i], t.text, NULL, 0);
        assert_int_equal(a.duration, b.duration);
        assert_int_equal(a.threads, b.threads);
        assert_int_equal(a.n_moves, b.n_moves);
        for (k = 0; k < a.n_moves; k++)
            assert_string_equal(a.moves[k].name, b.moves[k].name);
        ss_scenario_free(&a);
        ss_scenario_free(&b);
        ss_text_free(&t);
        free(wide);
        free(cp);
        free(text);
    }
}

#ifdef STORESIM_SCENARIO_DECODES
/* End to end, once src/scenario.c hands what it reads to ss_text_decode:
 * `storesim check` takes a UTF-16 file with a mark, and refuses one without
 * with the message to save it as UTF-8. */
static void storesim_reads_notepad_unicode(void **state)
{
    static const char text[] = "# saved by Notepad as Unicode\r\n[simulation]\r\nduration = 1h\r\n"
                               "[store]\r\nthreads = 4\r\n";
    const char *with = testutil_tmp("notepad-unicode.scn"), *without = testutil_tmp("no-mark.scn");
    struct testutil_run r;
    size_t len;
    char *b;
    FILE *f;
    (void)state;
    b = ascii_utf16(text, 0, 1, &len);
    f = fopen(with, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    free(b);
    r = testutil_cli("check", with, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "the scenario is valid"));
    testutil_run_free(&r);
    b = ascii_utf16(text, 0, 0, &len);
    f = fopen(without, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    free(b);
    r = testutil_cli("check", without, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "save it as UTF-8"));
    testutil_run_free(&r);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_is_handed_on_as_it_is),
        cmocka_unit_test(utf16_with_a_mark_is_decoded),
        cmocka_unit_test(every_character_becomes_its_utf8),
        cmocka_unit_test(a_nul_character_stays_a_nul),
        cmocka_unit_test(broken_utf16_is_refused_at_its_line),
        cmocka_unit_test(utf16_without_a_mark_is_refused),
        cmocka_unit_test(utf32_is_refused),
        cmocka_unit_test(a_few_nul_bytes_are_not_utf16),
        cmocka_unit_test(shipped_scenarios_survive_notepad),
#ifdef STORESIM_SCENARIO_DECODES
        cmocka_unit_test(storesim_reads_notepad_unicode),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
