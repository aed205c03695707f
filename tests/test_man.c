/*
 * test_man.c: the man pages say what the documentation says, and what the
 * program does.
 *
 *   - storesim(1) lists, under OPTIONS, every option of docs/cli.md (its
 *     Options table and the --help/--version heading), and no other; and
 *     every option the program's help gives its commands;
 *   - storesim-scenario(5) lists, under SECTIONS AND KEYS, every section and
 *     key of docs/scenario-format.md's tables (section 3), and no other; and
 *     every key the scenario reader has (storesim help keys);
 *   - both carry the one version number (CMakeLists.txt, ss_version()).
 *
 * The pages are read as the build configured them (build/man/), the
 * documents from the source tree. Each failure names what is missing where.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/help.h"
#include "storesim/version.h"

#define NAMES_MAX 128
#define NAME_LEN 96

struct names {
    char v[NAMES_MAX][NAME_LEN];
    int n;
};

static int find(const struct names *s, const char *name)
{
    int i;
    for (i = 0; i < s->n; i++)
        if (strcmp(s->v[i], name) == 0)
            return i;
    return -1;
}

static void add(struct names *s, const char *name, size_t len)
{
    char buf[NAME_LEN];
    assert_true(len < NAME_LEN);
    memcpy(buf, name, len);
    buf[len] = '\0';
    if (find(s, buf) >= 0)
        return;
    assert_true(s->n < NAMES_MAX);
    strcpy(s->v[s->n++], buf);
}

/* Every name of `a` is in `b`: else fail, saying where it is missing. */
static void all_in(const struct names *a, const char *a_name, const struct names *b,
                   const char *b_name, const char *what)
{
    int i;
    for (i = 0; i < a->n; i++)
        if (find(b, a->v[i]) < 0)
            fail_msg("%s %s is in %s but not in %s", what, a->v[i], a_name, b_name);
}

static char *slurp_or_fail(const char *path)
{
    char *text = testutil_slurp(path, NULL);
    if (!text)
        fail_msg("cannot read %s", path);
    return text;
}

static const char *man_page(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", STORESIM_MAN_DIR, name);
    return path;
}

/* The lines of `text` from the one that starts with `from` up to the next
 * that starts with `to` (or the end), as a new string. */
static char *part(const char *text, const char *from, const char *to)
{
    const char *p = strstr(text, from), *end;
    char *s;
    if (!p)
        fail_msg("no \"%s\" part", from);
    end = strstr(p + strlen(from), to);
    if (!end)
        end = p + strlen(p);
    s = malloc((size_t)(end - p) + 1);
    assert_non_null(s);
    memcpy(s, p, (size_t)(end - p));
    s[end - p] = '\0';
    return s;
}

/* "--name" tokens at p (written "\-\-name" in roff), added to s. */
static void options_in(struct names *s, const char *p, size_t len, int roff)
{
    const char *end = p + len;
    const char *dash = roff ? "\\-\\-" : "--";
    size_t dl = strlen(dash);
    while (p < end && (p = strstr(p, dash)) != NULL && p < end) {
        const char *name = p + dl;
        size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz");
        if (n > 0) {
            char opt[NAME_LEN];
            snprintf(opt, sizeof opt, "--%.*s", (int)n, name);
            add(s, opt, strlen(opt));
        }
        p = name + n;
    }
}

/* docs/cli.md: the first cell of each row of the Options table, and the
 * heading of --help and --version. */
static void doc_options(struct names *s)
{
    char *text = slurp_or_fail(testutil_src("docs/cli.md"));
    char *table = part(text, "## Options\n", "\n### "), *line;
    const char *h;
    for (line = strtok(table, "\n"); line; line = strtok(NULL, "\n")) {
        const char *cell;
        if (strncmp(line, "| `--", 5) != 0)
            continue;
        cell = line + 2;
        options_in(s, cell, strcspn(cell, "|"), 0);
    }
    h = strstr(text, "\n### `--help`");
    assert_non_null(h);
    options_in(s, h, strcspn(h + 1, "\n") + 1, 0);
    free(table);
    free(text);
}

/* storesim(1): the tag line (the one after .TP) of each item of OPTIONS. */
static void man_options(struct names *s)
{
    char *text = slurp_or_fail(man_page("storesim.1"));
    char *opts = part(text, ".SH OPTIONS\n", "\n.SH "), *p;
    for (p = strstr(opts, "\n.TP\n"); p; p = strstr(p + 1, "\n.TP\n")) {
        const char *tag = p + 5;
        options_in(s, tag, strcspn(tag, "\n"), 1);
    }
    free(opts);
    free(text);
}

static void man_options_are_the_documented_options(void **state)
{
    struct names *doc = calloc(1, sizeof *doc), *man = calloc(1, sizeof *man);
    (void)state;
    assert_non_null(doc);
    assert_non_null(man);
    doc_options(doc);
    man_options(man);
    assert_true(doc->n >= 14);
    all_in(doc, "docs/cli.md", man, "storesim(1)'s OPTIONS", "the option");
    all_in(man, "storesim(1)'s OPTIONS", doc, "docs/cli.md's Options", "the option");
    free(doc);
    free(man);
}

static void man_options_are_the_programs(void **state)
{
    static const char *const commands[] = {"run", "compare", "check", "sweep"};
    struct names *prog = calloc(1, sizeof *prog), *man = calloc(1, sizeof *man);
    size_t i;
    (void)state;
    assert_non_null(prog);
    assert_non_null(man);
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        char known[300];
        const char *o = ss_help_options(commands[i], known, sizeof known);
        options_in(prog, o, strlen(o), 0);
    }
    add(prog, "--version", 9);
    man_options(man);
    all_in(prog, "the program's help", man, "storesim(1)", "the option");
    all_in(man, "storesim(1)", prog, "the program's help", "the option");
    free(prog);
    free(man);
}

/* "simulation" from "`[simulation]`", "move NAME" from "`[move NAME]` (...)". */
static size_t section_name(const char *p, const char **name)
{
    const char *open = strchr(p, '['), *close = open ? strchr(open, ']') : NULL;
    if (!open || !close || strcspn(p, "\n") < (size_t)(close - p))
        return 0;
    *name = open + 1;
    return (size_t)(close - open - 1);
}

/* docs/scenario-format.md, section 3: "section.key" for each row of the
 * table under each "### `[section]`" heading. */
static void doc_keys(struct names *s)
{
    char *text = slurp_or_fail(testutil_src("docs/scenario-format.md"));
    char *keys = part(text, "## 3. Sections and keys", "\n## 4."), *line;
    char section[NAME_LEN] = "";
    for (line = strtok(keys, "\n"); line; line = strtok(NULL, "\n")) {
        const char *name;
        size_t n;
        if (strncmp(line, "### ", 4) == 0 && (n = section_name(line, &name)) > 0) {
            snprintf(section, sizeof section, "%.*s", (int)n, name);
        } else if (strncmp(line, "| `", 3) == 0 && section[0]) {
            char key[NAME_LEN * 2];
            snprintf(key, sizeof key, "%s.%.*s", section, (int)strcspn(line + 3, "`"), line + 3);
            add(s, key, strlen(key));
        }
    }
    free(keys);
    free(text);
}

/* storesim-scenario(5): ".SS [section]" headings and the key of each ".TP"
 * item under one (".B key"). */
static void man_keys(struct names *s)
{
    char *text = slurp_or_fail(man_page("storesim-scenario.5"));
    char *keys = part(text, ".SH SECTIONS AND KEYS\n", "\n.SH "), *line;
    char section[NAME_LEN] = "";
    int tag = 0;
    for (line = strtok(keys, "\n"); line; line = strtok(NULL, "\n")) {
        const char *name;
        size_t n;
        if (strncmp(line, ".SS ", 4) == 0 && (n = section_name(line, &name)) > 0) {
            snprintf(section, sizeof section, "%.*s", (int)n, name);
        } else if (strcmp(line, ".TP") == 0) {
            tag = 1;
            continue;
        } else if (tag && section[0] && strncmp(line, ".B ", 3) == 0) {
            char key[NAME_LEN * 2];
            snprintf(key, sizeof key, "%s.%s", section, line + 3);
            add(s, key, strlen(key));
        }
        tag = 0;
    }
    free(keys);
    free(text);
}

/* The program's keys: storesim help keys, every key of the reader's schema. */
static void program_keys(struct names *s)
{
    FILE *f = tmpfile();
    char *text, *line;
    assert_non_null(f);
    assert_int_equal(ss_help_keys(f, NULL), 0);
    text = testutil_read_stream(f);
    for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        add(s, line, strlen(line));
    free(text);
}

static void man_keys_are_the_documented_keys(void **state)
{
    struct names *doc = calloc(1, sizeof *doc), *man = calloc(1, sizeof *man);
    (void)state;
    assert_non_null(doc);
    assert_non_null(man);
    doc_keys(doc);
    man_keys(man);
    assert_true(doc->n >= 27);
    all_in(doc, "docs/scenario-format.md", man, "storesim-scenario(5)", "the key");
    all_in(man, "storesim-scenario(5)", doc, "docs/scenario-format.md", "the key");
    free(doc);
    free(man);
}

static void man_keys_are_the_readers(void **state)
{
    struct names *prog = calloc(1, sizeof *prog), *man = calloc(1, sizeof *man);
    (void)state;
    assert_non_null(prog);
    assert_non_null(man);
    program_keys(prog);
    man_keys(man);
    all_in(prog, "the scenario reader (storesim help keys)", man, "storesim-scenario(5)",
           "the key");
    all_in(man, "storesim-scenario(5)", prog, "the scenario reader (storesim help keys)",
           "the key");
    free(prog);
    free(man);
}

static void man_pages_carry_the_version(void **state)
{
    static const char *const pages[] = {"storesim.1", "storesim-scenario.5"};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        char *text = slurp_or_fail(man_page(pages[i])), want[64];
        const char *th = strstr(text, "\n.TH ");
        snprintf(want, sizeof want, "\"storesim %s\"", ss_version());
        assert_non_null(th);
        if (!strstr(th, want) || strstr(th, want) > th + strcspn(th + 1, "\n") + 1)
            fail_msg("%s: .TH does not carry %s", pages[i], want);
        assert_null(strstr(text, "@")); /* every @VAR@ configured */
        free(text);
    }
}

/* The parsers above find what they are for. */
static void parsers_find_names(void **state)
{
    struct names *s = calloc(1, sizeof *s);
    const char *name;
    (void)state;
    assert_non_null(s);
    options_in(s, ".BI \\-\\-set \" x\"", 17, 1);
    options_in(s, "`--trace` or `--trace=FILE`", 27, 0);
    assert_int_equal(s->n, 2);
    assert_string_equal(s->v[0], "--set");
    assert_string_equal(s->v[1], "--trace");
    assert_int_equal(section_name("### `[move NAME]` (any number)", &name), 9);
    assert_int_equal(strncmp(name, "move NAME", 9), 0);
    assert_int_equal(section_name("### no section", &name), 0);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parsers_find_names),
        cmocka_unit_test(man_options_are_the_documented_options),
        cmocka_unit_test(man_options_are_the_programs),
        cmocka_unit_test(man_keys_are_the_documented_keys),
        cmocka_unit_test(man_keys_are_the_readers),
        cmocka_unit_test(man_pages_carry_the_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
