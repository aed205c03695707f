/*
 * test_guide.c: every output quoted in docs/teaching-guide.md is real.
 *
 * A trainer prepares a class from the guide alone, so what it says the class
 * will see must be what storesim prints. This test runs every quoted command
 * and checks the quoted lines against its output. When the program changes,
 * the test fails and names the line of the guide to update.
 *
 * THE RULE (the guide states it too, under "How the quotes are checked"):
 *
 *  1. A quote is a fenced code block opened by a line that is exactly
 *     ```console: three (or more) backticks at the start of the line, then
 *     the info string "console" and nothing else; it ends at a line of as
 *     many backticks or more. Other code blocks (```sh, ```ini, ...) are not
 *     checked. An indented ```console fence, or one with more words after
 *     "console", is an error, so that a quote cannot look checked and not be.
 *  2. Its first line is "$ storesim ARGS". ARGS are split on spaces; a part in
 *     double quotes may hold spaces and the quotes are dropped, so
 *     --set "move batch1.mailboxes=90" gives two arguments. There is no other
 *     shell syntax: no pipes, redirections, variables or escapes. A quoted
 *     command must not write files: --csv, --json, --svg and --trace= take
 *     only "-" (standard output).
 *  3. The command runs in-process (ss_cli_main) and must exit with status 0.
 *     An argument that starts with "scenarios/" or "bench/" is a path from
 *     the top of the repository: the test passes the path in the source tree
 *     and, wherever the output shows that path, writes it back as typed, so
 *     the output reads as it does when storesim runs from the repository's
 *     top folder. Only standard output is checked, never standard error.
 *  4. Every other line of the block is an excerpt line. Trailing blanks
 *     (spaces, tabs, a carriage return) are cut from excerpt lines and output
 *     lines alike; leading spaces count. A line matches a whole output line,
 *     never a part of one. A blank excerpt line matches a blank output line.
 *  5. A line that is exactly "..." marks a gap: zero or more output lines
 *     left out. Excerpt lines with no "..." between them must be consecutive
 *     lines of the output. The excerpt is a window: the output may have
 *     anything before its first line and after its last.
 *  6. The runs of lines between gaps match in order, each at its earliest
 *     place after the end of the one before. (Taking the earliest place never
 *     loses a match that exists: it leaves the most output for the rest.)
 *  7. A block needs at least one excerpt line, and the guide at least
 *     GUIDE_MIN_BLOCKS blocks, so an emptied guide fails.
 *  8. The same command in several blocks runs once.
 *
 * Under valgrind (STORESIM_SLOW_TOOLS=1, see .ci/run), which runs storesim
 * some 50 times slower, the guide is still read and counted, but only its
 * short runs are checked: the commands that set simulation.duration to less
 * than an hour (a value with no "h" and no "d"). The other CI steps check
 * every quote.
 *
 * On a mismatch the test prints, for every failing block, the guide's file
 * and line (FILE:LINE: as a compiler would), the command, the excerpt line
 * not found, where the nearest partial match stopped, and the whole output.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/cli.h"

#define GUIDE "docs/teaching-guide.md"
#define GUIDE_MIN_BLOCKS 12
#define GAP "..."
#define MAX_ARGS 62

/* ------------------------------------------------------------------ text */

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    assert_non_null(p);
    memcpy(p, s, n);
    return p;
}

static void trim_right(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

/* A text cut into lines. `buf` owns the characters; each line is trimmed on
 * the right. A final newline does not make an empty last line. */
struct lines {
    char *buf;
    char **v;
    size_t n;
};

static struct lines split_lines(const char *text)
{
    struct lines l;
    size_t cap = 64;
    char *p;
    l.buf = xstrdup(text);
    l.v = malloc(cap * sizeof *l.v);
    assert_non_null(l.v);
    l.n = 0;
    p = l.buf;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (l.n == cap) {
            cap *= 2;
            l.v = realloc(l.v, cap * sizeof *l.v);
            assert_non_null(l.v);
        }
        l.v[l.n++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    {
        size_t i;
        for (i = 0; i < l.n; i++)
            trim_right(l.v[i]);
    }
    return l;
}

static void lines_free(struct lines *l)
{
    free(l->buf);
    free(l->v);
    l->buf = NULL;
    l->v = NULL;
    l->n = 0;
}

/* `text` with every `from` replaced by `to`; a new string. */
static char *replace_all(const char *text, const char *from, const char *to)
{
    size_t nf = strlen(from), nt = strlen(to), count = 0, len;
    const char *p;
    char *res, *w;
    for (p = text; (p = strstr(p, from)) != NULL; p += nf)
        count++;
    len = strlen(text) + count * nt + 1; /* enough, whatever the lengths */
    res = malloc(len);
    assert_non_null(res);
    w = res;
    for (p = text;;) {
        const char *hit = strstr(p, from);
        size_t keep = hit ? (size_t)(hit - p) : strlen(p);
        memcpy(w, p, keep);
        w += keep;
        if (!hit)
            break;
        memcpy(w, to, nt);
        w += nt;
        p = hit + nf;
    }
    *w = '\0';
    return res;
}

/* --------------------------------------------------------------- matcher */

/* The result of matching an excerpt against an output. When `ok` is 0,
 * `missing` is the index of the first excerpt line that could not be placed,
 * and, if the lines of its run before it were found together, `near` is the
 * output line where that partial run starts (`near_len` lines matched). */
struct match {
    int ok;
    size_t missing;
    size_t near;
    size_t near_len;
};

#define NO_LINE ((size_t)-1)

static struct match match_excerpt(char *const *out, size_t nout, char *const *ex, size_t nex)
{
    struct match m;
    size_t cursor = 0, i = 0;
    m.ok = 1;
    m.missing = 0;
    m.near = NO_LINE;
    m.near_len = 0;
    while (i < nex) {
        size_t start, len, pos, best = 0, best_pos = NO_LINE;
        int found = 0;
        if (strcmp(ex[i], GAP) == 0) {
            i++;
            continue;
        }
        /* The run: excerpt lines i .. i+len-1, up to the next gap. */
        start = i;
        for (len = 0; start + len < nex && strcmp(ex[start + len], GAP) != 0; len++)
            ;
        for (pos = cursor; pos + len <= nout && !found; pos++) {
            size_t k = 0;
            while (k < len && strcmp(out[pos + k], ex[start + k]) == 0)
                k++;
            if (k == len) {
                found = 1;
                cursor = pos + len;
            } else if (k > best) {
                best = k;
                best_pos = pos;
            }
        }
        /* A run's head may fit near the end of the output with its tail cut
         * off: look there too, for the report. */
        for (; !found && pos < nout; pos++) {
            size_t k = 0;
            while (pos + k < nout && k < len && strcmp(out[pos + k], ex[start + k]) == 0)
                k++;
            if (k > best) {
                best = k;
                best_pos = pos;
            }
        }
        if (!found) {
            m.ok = 0;
            m.missing = start + best;
            m.near = best_pos;
            m.near_len = best;
            return m;
        }
        i = start + len;
    }
    return m;
}

/* ---------------------------------------------------------- guide blocks */

/* One ```console block: its command line, split, and its excerpt lines. */
struct block {
    int line;        /* line of the guide that holds "$ storesim ..." */
    char *command;   /* that line, as written */
    char *args[MAX_ARGS];
    int nargs;
    char **ex;       /* excerpt lines (trimmed on the right) */
    int *ex_line;    /* the guide line of each */
    size_t nex;
};

struct guide {
    struct block *b;
    size_t n;
    char error[512]; /* empty when the guide could be read */
};

/* Split "$ storesim ARGS" into arguments; 0, or -1 with `why` set. */
static int split_command(const char *line, struct block *b, const char **why)
{
    static const char prefix[] = "$ storesim";
    const char *p;
    b->nargs = 0;
    if (strncmp(line, prefix, sizeof prefix - 1) != 0 ||
        (line[sizeof prefix - 1] != ' ' && line[sizeof prefix - 1] != '\0')) {
        *why = "the first line of a console block must be \"$ storesim ARGS\"";
        return -1;
    }
    p = line + sizeof prefix - 1;
    for (;;) {
        char arg[1024];
        size_t n = 0;
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        while (*p && *p != ' ') {
            if (*p == '"') {
                p++;
                while (*p && *p != '"') {
                    if (n + 1 >= sizeof arg) {
                        *why = "an argument is too long";
                        return -1;
                    }
                    arg[n++] = *p++;
                }
                if (*p != '"') {
                    *why = "a double quote is not closed";
                    return -1;
                }
                p++;
            } else {
                if (n + 1 >= sizeof arg) {
                    *why = "an argument is too long";
                    return -1;
                }
                arg[n++] = *p++;
            }
        }
        arg[n] = '\0';
        if (b->nargs == MAX_ARGS) {
            *why = "too many arguments";
            return -1;
        }
        b->args[b->nargs++] = xstrdup(arg);
    }
    if (b->nargs == 0) {
        *why = "\"$ storesim\" has no arguments";
        return -1;
    }
    return 0;
}

/* Refuse a command that would write a file: a quote runs in the test. */
static int writes_a_file(const struct block *b)
{
    int i;
    for (i = 0; i < b->nargs; i++) {
        const char *a = b->args[i];
        if (strcmp(a, "--csv") == 0 || strcmp(a, "--json") == 0 || strcmp(a, "--svg") == 0) {
            if (i + 1 < b->nargs && strcmp(b->args[i + 1], "-") != 0)
                return 1;
        } else if (strncmp(a, "--csv=", 6) == 0 || strncmp(a, "--json=", 7) == 0 ||
                   strncmp(a, "--svg=", 6) == 0 || strncmp(a, "--trace=", 8) == 0) {
            if (strcmp(strchr(a, '=') + 1, "-") != 0)
                return 1;
        }
    }
    return 0;
}

static void block_add_line(struct block *b, const char *text, int line)
{
    b->ex = realloc(b->ex, (b->nex + 1) * sizeof *b->ex);
    b->ex_line = realloc(b->ex_line, (b->nex + 1) * sizeof *b->ex_line);
    assert_non_null(b->ex);
    assert_non_null(b->ex_line);
    b->ex[b->nex] = xstrdup(text);
    b->ex_line[b->nex] = line;
    b->nex++;
}

static void guide_free(struct guide *g)
{
    size_t i, j;
    int a;
    for (i = 0; i < g->n; i++) {
        struct block *b = &g->b[i];
        free(b->command);
        for (a = 0; a < b->nargs; a++)
            free(b->args[a]);
        for (j = 0; j < b->nex; j++)
            free(b->ex[j]);
        free(b->ex);
        free(b->ex_line);
    }
    free(g->b);
    g->b = NULL;
    g->n = 0;
}

/* Count the backticks that open a fence; 0 if the line is not a fence. */
static size_t fence_ticks(const char *s)
{
    size_t n = 0;
    while (s[n] == '`')
        n++;
    return n >= 3 ? n : 0;
}

/* Read the console blocks of a guide's text. `name` is used in errors. */
static struct guide parse_guide(const char *text, const char *name)
{
    struct guide g;
    struct lines l = split_lines(text);
    size_t i, ticks = 0;
    int in_fence = 0, console = 0, have_command = 0;
    g.b = NULL;
    g.n = 0;
    g.error[0] = '\0';
    for (i = 0; i < l.n && !g.error[0]; i++) {
        const char *s = l.v[i];
        int line = (int)i + 1;
        if (!in_fence) {
            const char *t = s;
            while (*t == ' ' || *t == '\t')
                t++;
            if (t != s && fence_ticks(t) && strcmp(t + fence_ticks(t), "console") == 0) {
                snprintf(g.error, sizeof g.error, "%s:%d: an indented ```console block would not be checked: "
                                 "start its fence at the beginning of the line", name, line);
                break;
            }
            ticks = fence_ticks(s);
            if (ticks && strncmp(s + ticks, "console", 7) == 0 && s[ticks + 7] != '\0') {
                snprintf(g.error, sizeof g.error, "%s:%d: the info string of a checked block is exactly "
                                 "\"console\", nothing after it", name, line);
                break;
            }
            if (ticks) {
                in_fence = 1;
                console = strcmp(s + ticks, "console") == 0;
                have_command = 0;
            }
            continue;
        }
        if (fence_ticks(s) >= ticks && s[fence_ticks(s)] == '\0') {
            if (console) {
                if (!have_command)
                    snprintf(g.error, sizeof g.error, "%s:%d: an empty console block", name, line);
                else if (g.b[g.n - 1].nex == 0)
                    snprintf(g.error, sizeof g.error, "%s:%d: a console block with a command and no output to check",
                            name, g.b[g.n - 1].line);
            }
            in_fence = console = 0;
            continue;
        }
        if (!console)
            continue;
        if (!have_command) {
            struct block b;
            const char *why = NULL;
            memset(&b, 0, sizeof b);
            b.line = line;
            b.command = xstrdup(s);
            if (split_command(s, &b, &why) != 0) {
                snprintf(g.error, sizeof g.error, "%s:%d: %s", name, line, why);
            } else if (writes_a_file(&b)) {
                snprintf(g.error, sizeof g.error, "%s:%d: a quoted command must not write a file: "
                                 "give - (standard output) to --csv, --json, --svg, --trace=", name, line);
            }
            g.b = realloc(g.b, (g.n + 1) * sizeof *g.b);
            assert_non_null(g.b);
            g.b[g.n++] = b;
            have_command = 1;
            continue;
        }
        block_add_line(&g.b[g.n - 1], s, line);
    }
    if (!g.error[0] && in_fence)
        snprintf(g.error, sizeof g.error, "%s: a code block is not closed at the end of the file", name);
    lines_free(&l);
    return g;
}

/* ------------------------------------------------------------ running */

/* Outputs of the commands run so far: the same command runs once. */
struct run_cache {
    char **key;
    struct testutil_run *run;
    size_t n;
};

/* Does the command set simulation.duration to under an hour? */
static int is_short_run(const struct block *b)
{
    static const char key[] = "simulation.duration=";
    int i;
    for (i = 0; i + 1 < b->nargs; i++) {
        const char *v = b->args[i + 1];
        if (strcmp(b->args[i], "--set") == 0 && strncmp(v, key, sizeof key - 1) == 0)
            return !strpbrk(v + sizeof key - 1, "hd");
    }
    return 0;
}

static int is_repo_path(const char *arg)
{
    return strncmp(arg, "scenarios/", 10) == 0 || strncmp(arg, "bench/", 6) == 0;
}

static struct testutil_run run_block(const struct block *b)
{
    char *argv[MAX_ARGS + 2];
    char *paths[MAX_ARGS];
    struct testutil_run r;
    FILE *out = tmpfile(), *err = tmpfile();
    int i;
    assert_non_null(out);
    assert_non_null(err);
    argv[0] = (char *)"storesim";
    for (i = 0; i < b->nargs; i++) {
        paths[i] = is_repo_path(b->args[i]) ? xstrdup(testutil_src(b->args[i])) : NULL;
        argv[i + 1] = paths[i] ? paths[i] : b->args[i];
    }
    argv[b->nargs + 1] = NULL;
    r.status = ss_cli_main(b->nargs + 1, argv, out, err);
    r.out = testutil_read_stream(out);
    r.err = testutil_read_stream(err);
    /* Show each path as typed, as a run from the repository's top would. */
    for (i = 0; i < b->nargs; i++) {
        if (paths[i]) {
            char *o = replace_all(r.out, paths[i], b->args[i]);
            char *e = replace_all(r.err, paths[i], b->args[i]);
            free(r.out);
            free(r.err);
            r.out = o;
            r.err = e;
            free(paths[i]);
        }
    }
    return r;
}

static char *command_key(const struct block *b)
{
    size_t len = 1;
    int i;
    char *key;
    for (i = 0; i < b->nargs; i++)
        len += strlen(b->args[i]) + 1;
    key = malloc(len);
    assert_non_null(key);
    key[0] = '\0';
    for (i = 0; i < b->nargs; i++) {
        strcat(key, b->args[i]);
        strcat(key, "\n");
    }
    return key;
}

static const struct testutil_run *cached_run(struct run_cache *c, const struct block *b)
{
    char *key = command_key(b);
    size_t i;
    for (i = 0; i < c->n; i++) {
        if (strcmp(c->key[i], key) == 0) {
            free(key);
            return &c->run[i];
        }
    }
    c->key = realloc(c->key, (c->n + 1) * sizeof *c->key);
    c->run = realloc(c->run, (c->n + 1) * sizeof *c->run);
    assert_non_null(c->key);
    assert_non_null(c->run);
    c->key[c->n] = key;
    c->run[c->n] = run_block(b);
    return &c->run[c->n++];
}

static void cache_free(struct run_cache *c)
{
    size_t i;
    for (i = 0; i < c->n; i++) {
        free(c->key[i]);
        testutil_run_free(&c->run[i]);
    }
    free(c->key);
    free(c->run);
    c->key = NULL;
    c->run = NULL;
    c->n = 0;
}

static void print_output(FILE *report, const char *what, const struct lines *l)
{
    size_t i;
    fprintf(report, "--- %s (%lu lines) ---\n", what, (unsigned long)l->n);
    for (i = 0; i < l->n; i++)
        fprintf(report, "%5lu | %s\n", (unsigned long)(i + 1), l->v[i]);
    fprintf(report, "--- end ---\n\n");
}

/* Check one block against its command's output; 1 if it holds. What went
 * wrong goes to `report`, for a maintainer to act on. */
static int check_block(const struct block *b, const struct testutil_run *r, const char *name,
                       FILE *report)
{
    struct lines out;
    struct match m;
    if (r->status != 0) {
        fprintf(report, "%s:%d: %s\n  exit status %d, expected 0; standard error:\n%s\n", name,
                b->line, b->command, r->status, r->err);
        return 0;
    }
    out = split_lines(r->out);
    m = match_excerpt(out.v, out.n, b->ex, b->nex);
    if (!m.ok) {
        fprintf(report, "%s:%d: this line is not in the output of\n  %s\n  missing: \"%s\"\n", name,
                b->ex_line[m.missing], b->command, b->ex[m.missing]);
        if (m.near != NO_LINE && m.near_len > 0) {
            size_t at = m.near + m.near_len;
            fprintf(report, "  the %lu line(s) above it match output lines %lu-%lu; ",
                    (unsigned long)m.near_len, (unsigned long)(m.near + 1), (unsigned long)at);
            if (at < out.n)
                fprintf(report, "output line %lu is instead:\n           \"%s\"\n", (unsigned long)(at + 1),
                        out.v[at]);
            else
                fprintf(report, "the output ends there\n");
        }
        fprintf(report, "  (rule: lines with no \"...\" between them must be consecutive output lines; "
                        "see the top of tests/test_guide.c)\n");
        print_output(report, "actual output", &out);
    }
    lines_free(&out);
    return m.ok;
}

/* Check the blocks of a guide, or with `short_only` those of is_short_run;
 * the number that failed. */
static int check_guide(const struct guide *g, const char *name, FILE *report, int short_only)
{
    struct run_cache cache = {NULL, NULL, 0};
    size_t i, skipped = 0;
    int failed = 0;
    for (i = 0; i < g->n; i++) {
        if (short_only && !is_short_run(&g->b[i])) {
            skipped++;
            continue;
        }
        failed += !check_block(&g->b[i], cached_run(&cache, &g->b[i]), name, report);
    }
    if (skipped)
        fprintf(report, "%s: STORESIM_SLOW_TOOLS is set: %lu of %lu quotes not checked (long runs)\n",
                name, (unsigned long)skipped, (unsigned long)g->n);
    cache_free(&cache);
    return failed;
}

/* ----------------------------------------------------------------- tests */

static const char sample_output[] =
    "Timeline (simulated time)\n"
    "  00:30:00  Move batch starts.   \n" /* trailing blanks are cut */
    "  00:41:47  POOL EXHAUSTED\n"
    "  00:45:58  DELIVERY STARVED\n"
    "\n"
    "Symptoms\n"
    "  Pool exhausted       00:41:47\n"
    "  Delivery starved     00:45:58\n";

static int sample_matches(const char *excerpt)
{
    struct lines out = split_lines(sample_output), ex = split_lines(excerpt);
    struct match m = match_excerpt(out.v, out.n, ex.v, ex.n);
    lines_free(&out);
    lines_free(&ex);
    return m.ok;
}

static void matcher_accepts_true_excerpts(void **state)
{
    (void)state;
    assert_true(sample_matches("  00:41:47  POOL EXHAUSTED\n"));
    assert_true(sample_matches("  00:30:00  Move batch starts.\n  00:41:47  POOL EXHAUSTED\n"));
    assert_true(sample_matches("  00:30:00  Move batch starts.  \n")); /* both sides trimmed */
    assert_true(sample_matches("Timeline (simulated time)\n...\n  00:45:58  DELIVERY STARVED\n"));
    assert_true(sample_matches("  00:45:58  DELIVERY STARVED\n\nSymptoms\n")); /* a blank line */
    assert_true(sample_matches("...\n  00:41:47  POOL EXHAUSTED\n...\n  Pool exhausted       00:41:47\n...\n"));
    /* A gap may be empty. */
    assert_true(sample_matches("  00:41:47  POOL EXHAUSTED\n...\n  00:45:58  DELIVERY STARVED\n"));
    /* A blank excerpt line matches a blank output line. */
    assert_true(sample_matches("\nSymptoms\n"));
}

static void matcher_rejects_wrong_excerpts(void **state)
{
    struct lines out = split_lines(sample_output);
    struct lines ex = split_lines("Timeline (simulated time)\n...\n  00:41:48  POOL EXHAUSTED\n");
    struct match m = match_excerpt(out.v, out.n, ex.v, ex.n);
    (void)state;
    /* A deliberately wrong time: found missing, and which line it is. */
    assert_false(m.ok);
    assert_int_equal(m.missing, 2);
    lines_free(&ex);

    /* The right lines in the wrong order. */
    assert_false(sample_matches("  00:45:58  DELIVERY STARVED\n...\n  00:41:47  POOL EXHAUSTED\n"));
    /* Consecutive in the excerpt but not in the output: needs "...". */
    assert_false(sample_matches("  00:30:00  Move batch starts.\n  00:45:58  DELIVERY STARVED\n"));
    /* Leading spaces count; a part of a line is not a line. */
    assert_false(sample_matches("00:41:47  POOL EXHAUSTED\n"));
    assert_false(sample_matches("  00:41:47  POOL\n"));
    assert_false(sample_matches("  Pool exhausted       00:41:47 and more\n"));
    /* A line that is not there at all, after true ones. */
    assert_false(sample_matches("Symptoms\n  Pool exhausted       00:41:47\n  SMTP stopped         never\n"));

    /* A partial run is reported where it stopped. */
    ex = split_lines("Symptoms\n  Pool exhausted       00:41:47\n  Delivery starved     never\n");
    m = match_excerpt(out.v, out.n, ex.v, ex.n);
    assert_false(m.ok);
    assert_int_equal(m.missing, 2);
    assert_int_equal(m.near, 5);
    assert_int_equal(m.near_len, 2);
    lines_free(&ex);
    lines_free(&out);
}

static void parser_reads_console_blocks(void **state)
{
    static const char text[] =
        "# A guide\n"
        "\n"
        "```sh\n"
        "$ storesim run not/checked.scn\n"
        "```\n"
        "\n"
        "```console\n"
        "$ storesim run scenarios/kb924567.scn --set \"move batch1.mailboxes=90\"  --quiet\n"
        "  00:41:47  POOL EXHAUSTED   \n"
        "...\n"
        "Symptoms\n"
        "```\n"
        "````console\n"
        "$ storesim --version\n"
        "storesim 1.0.0\n"
        "````\n";
    struct guide g = parse_guide(text, "mini.md");
    (void)state;
    assert_string_equal(g.error, "");
    assert_int_equal(g.n, 2);
    assert_int_equal(g.b[0].line, 8);
    assert_int_equal(g.b[0].nargs, 5);
    assert_string_equal(g.b[0].args[0], "run");
    assert_string_equal(g.b[0].args[1], "scenarios/kb924567.scn");
    assert_string_equal(g.b[0].args[2], "--set");
    assert_string_equal(g.b[0].args[3], "move batch1.mailboxes=90");
    assert_string_equal(g.b[0].args[4], "--quiet");
    assert_int_equal(g.b[0].nex, 3);
    assert_string_equal(g.b[0].ex[0], "  00:41:47  POOL EXHAUSTED");
    assert_string_equal(g.b[0].ex[1], GAP);
    assert_int_equal(g.b[0].ex_line[2], 11);
    assert_int_equal(g.b[1].line, 14);
    assert_int_equal(g.b[1].nex, 1);
    assert_false(is_short_run(&g.b[0]));
    guide_free(&g);

    /* Short runs, the ones checked under valgrind: under an hour. */
    g = parse_guide("```console\n$ storesim run s.scn --set simulation.duration=45m\nx\n```\n"
                    "```console\n$ storesim run s.scn --set simulation.duration=4h\nx\n```\n"
                    "```console\n$ storesim run s.scn --set simulation.duration=1h30m\nx\n```\n",
                    "mini.md");
    assert_string_equal(g.error, "");
    assert_int_equal(g.n, 3);
    assert_true(is_short_run(&g.b[0]));
    assert_false(is_short_run(&g.b[1]));
    assert_false(is_short_run(&g.b[2]));
    guide_free(&g);
}

static void parser_rejects_unsafe_blocks(void **state)
{
    static const char *const bad[] = {
        "```console\nstoresim run x.scn\nout\n```\n",           /* no "$ storesim" */
        "```console\n$ storesim run x.scn\n```\n",              /* nothing to check */
        "```console\n```\n",                                    /* empty */
        "```console\n$ storesim run x.scn\nout\n",              /* not closed */
        "```console\n$ storesim run \"x.scn\nout\n```\n",       /* quote not closed */
        "```console\n$ storesim run x.scn --svg a.svg\nout\n```\n", /* writes a file */
        "```console\n$ storesim run x.scn --trace=t.txt\nout\n```\n",
        "- a list item:\n\n  ```console\n  $ storesim --version\n  storesim 1.0.0\n  ```\n",
        "```console\n$ storesimx run\nout\n```\n",
        "```console title\n$ storesim --version\nstoresim 1.0.0\n```\n",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct guide g = parse_guide(bad[i], "bad.md");
        if (!g.error[0])
            fail_msg("case %lu was accepted: %s", (unsigned long)i, bad[i]);
        assert_non_null(strstr(g.error, "bad.md:"));
        guide_free(&g);
    }
}

/* The whole chain on a tiny guide: a command that runs, a path shown as
 * typed, and a deliberately wrong excerpt caught and reported by its line. */
static void checker_reports_a_wrong_quote(void **state)
{
    static const char text[] =
        "```console\n"
        "$ storesim check scenarios/kb924567.scn\n"
        "scenarios/kb924567.scn: the scenario is valid\n"
        "```\n"
        "\n"
        "```console\n"
        "$ storesim check scenarios/kb924567.scn\n"
        "scenarios/kb924567.scn: the scenario is broken\n"
        "```\n"
        "```console\n"
        "$ storesim check scenarios/no-such-file.scn\n"
        "anything\n"
        "```\n";
    struct guide g = parse_guide(text, "mini.md");
    FILE *report = tmpfile();
    char *said;
    (void)state;
    assert_non_null(report);
    assert_string_equal(g.error, "");
    assert_int_equal(g.n, 3);
    assert_int_equal(check_guide(&g, "mini.md", report, 0), 2);
    said = testutil_read_stream(report);
    assert_null(strstr(said, "mini.md:3:")); /* the true quote holds */
    assert_non_null(strstr(said, "mini.md:8: this line is not in the output of"));
    assert_non_null(strstr(said, "missing: \"scenarios/kb924567.scn: the scenario is broken\""));
    assert_non_null(strstr(said, "    1 | scenarios/kb924567.scn: the scenario is valid"));
    assert_non_null(strstr(said, "mini.md:11: $ storesim check scenarios/no-such-file.scn"));
    assert_non_null(strstr(said, "exit status 2"));
    free(said);
    guide_free(&g);
}

static void guide_quotes_are_true(void **state)
{
    char *text = testutil_slurp(testutil_src(GUIDE), NULL);
    struct guide g;
    int failed;
    (void)state;
    if (!text)
        fail_msg("cannot read %s", testutil_src(GUIDE));
    g = parse_guide(text, GUIDE);
    free(text);
    if (g.error[0]) {
        print_error("%s\n", g.error);
        guide_free(&g);
        fail_msg("%s cannot be checked", GUIDE);
    }
    if (g.n < GUIDE_MIN_BLOCKS) {
        unsigned long n = (unsigned long)g.n;
        guide_free(&g);
        fail_msg("%s has %lu ```console blocks; at least %d expected", GUIDE, n, GUIDE_MIN_BLOCKS);
    }
    failed = check_guide(&g, GUIDE, stderr, getenv("STORESIM_SLOW_TOOLS") != NULL);
    {
        unsigned long n = (unsigned long)g.n;
        guide_free(&g);
        if (failed)
            fail_msg("%d of the %lu quoted outputs in %s do not match storesim's output (above); "
                     "update the guide, or fix the program",
                     failed, n, GUIDE);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matcher_accepts_true_excerpts),
        cmocka_unit_test(matcher_rejects_wrong_excerpts),
        cmocka_unit_test(parser_reads_console_blocks),
        cmocka_unit_test(parser_rejects_unsafe_blocks),
        cmocka_unit_test(checker_reports_a_wrong_quote),
        cmocka_unit_test(guide_quotes_are_true),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
