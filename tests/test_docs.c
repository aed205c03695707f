/*
 * test_docs.c: every output quoted in the documentation is real.
 *
 * The README, the teaching guide, its handout's answer key, scenarios/README.md
 * and the pages in docs/ quote what storesim prints, and their readers (a
 * trainer preparing a class, an administrator looking up an error) take
 * those quotes at their word. This test runs every
 * quoted command and checks the quoted lines against what it prints. When
 * the program changes, the test fails and names the file and line to update.
 * Each file of DOCS (below) is a test of its own, so a failure names it.
 *
 * THE RULE (docs/teaching-guide.md states it too, under "How the quotes are
 * checked", and docs/cli.md in a short note):
 *
 *  1. A quote is a fenced code block opened by a line that is exactly
 *     ```console: three (or more) backticks at the start of the line, then
 *     the info string "console" and nothing else; it ends at a line of as
 *     many backticks or more. Other code blocks (```sh, ```ini, a bare ```)
 *     are not checked. An indented ```console fence, or one with more words
 *     after "console", is an error, so that a quote cannot look checked and
 *     not be.
 *  2. Its first line is "$ storesim ARGS" (ARGS may be empty). ARGS are split
 *     on spaces; a part in double quotes may hold spaces and the quotes are
 *     dropped, so --set "move batch1.mailboxes=90" gives two arguments. There
 *     is no other shell syntax: no pipes, redirections, variables, escapes or
 *     line continuations. A quoted command must not write files: --csv,
 *     --json, --svg and --trace= take only "-" (standard output), or a path
 *     under /nonexistent/, a folder the test first makes sure does not exist,
 *     so that writing there can only fail (an example of that error).
 *  3. The command runs in-process (ss_cli_main). An argument that starts
 *     with "scenarios/" or "bench/" is a path from the top of the
 *     repository: the test passes the path in the source tree and, wherever
 *     the output shows that path, writes it back as typed, so the output
 *     reads as it does when storesim runs from the repository's top folder.
 *  4. The exit status and the streams. A block whose last line is
 *     "[exit N]" (N from 0 to 255) expects exit status N, and its excerpt is
 *     matched against standard output followed by standard error, as one
 *     text: that is how error messages and warnings are quoted. Any other
 *     block expects exit status 0, and only its standard output is checked.
 *     The marker is not an excerpt line. A line that starts with "[exit" and
 *     is not a well-formed marker on the block's last line is an error.
 *  5. Every other line of the block is an excerpt line. Trailing blanks
 *     (spaces, tabs, a carriage return) are cut from excerpt lines and output
 *     lines alike; leading spaces count. A line matches a whole output line,
 *     never a part of one. A blank excerpt line matches a blank output line.
 *  6. A line that is exactly "..." marks a gap: zero or more output lines
 *     left out. Excerpt lines with no "..." between them must be consecutive
 *     lines of the output. The excerpt is a window: the output may have
 *     anything before its first line and after its last.
 *  7. The runs of lines between gaps match in order, each at its earliest
 *     place after the end of the one before. (Taking the earliest place never
 *     loses a match that exists: it leaves the most output for the rest.)
 *  8. A block needs at least one excerpt line, and each file at least the
 *     number of blocks DOCS gives it, so an emptied page fails.
 *  9. The same command runs once, however many blocks in whichever files
 *     quote it: all the files share one cache of outputs.
 *
 * Under valgrind (STORESIM_SLOW_TOOLS=1, see .ci/run), which runs storesim
 * some 50 times slower, every file is still read and counted, but only its
 * short commands are checked: those that set simulation.duration so that
 * all their runs together simulate less than an hour (the duration, times
 * two for compare, times R for --replications R, times the points of a
 * sweep), and those that simulate nothing (check, --help, --version, no
 * command, and any block that expects a non-zero exit status: storesim
 * refuses before it runs). The other CI steps check every quote.
 *
 * On a mismatch the test prints, for every failing block, the file and line
 * (FILE:LINE: as a compiler would), the command, the excerpt line not found,
 * where the nearest partial match stopped, and the whole output.
 */
#include "testutil.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/cli.h"
#include "storesim/simtime.h"
#include "storesim/sweep.h"
#include "storesim/value.h"

#define GAP "..."
#define MAX_ARGS 62
#define NO_DIR "/nonexistent" /* output paths under it cannot be written */

/* The checked files, from the top of the repository, and the fewest
 * ```console blocks each must hold (a little below what each holds now, so
 * that an emptied or truncated page fails). */
struct doc_file {
    const char *path;
    int min_blocks;
};

static const struct doc_file DOCS[] = {
    {"README.md", 4},
    {"docs/teaching-guide.md", 19},
    {"docs/cli.md", 30},
    {"docs/model.md", 1},
    {"docs/charts.md", 2},
    {"docs/validation.md", 10},
    {"docs/scenario-format.md", 8},
    {"docs/handout-answers.md", 4},
    {"scenarios/README.md", 1},
};

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

/* ------------------------------------------------------------ doc blocks */

/* One ```console block: its command line, split, and its excerpt lines. */
struct block {
    int line;        /* line of the file that holds "$ storesim ..." */
    char *command;   /* that line, as written */
    char *args[MAX_ARGS];
    int nargs;
    char **ex;       /* excerpt lines (trimmed on the right) */
    int *ex_line;    /* the file line of each */
    size_t nex;
    int status;      /* the exit status expected: 0, or N of "[exit N]" */
    int marked;      /* 1: the block ends with "[exit N]"; check stderr too */
};

struct doc {
    struct block *b;
    size_t n;
    char error[512]; /* empty when the file could be read */
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
    return 0;
}

/* May a quoted command name this output file? Only "-" (standard output) or
 * a path under NO_DIR, where nothing can be written. */
static int safe_output(const char *path)
{
    return strcmp(path, "-") == 0 ||
           (strncmp(path, NO_DIR "/", sizeof NO_DIR) == 0 && !strstr(path, ".."));
}

static int names_no_dir(const struct block *b)
{
    int i;
    for (i = 0; i < b->nargs; i++)
        if (strstr(b->args[i], NO_DIR "/"))
            return 1;
    return 0;
}

/* Refuse a command that would write a file: a quote runs in the test. */
static int writes_a_file(const struct block *b)
{
    int i;
    for (i = 0; i < b->nargs; i++) {
        const char *a = b->args[i];
        if (strcmp(a, "--csv") == 0 || strcmp(a, "--json") == 0 || strcmp(a, "--svg") == 0) {
            if (i + 1 < b->nargs && !safe_output(b->args[i + 1]))
                return 1;
        } else if (strncmp(a, "--csv=", 6) == 0 || strncmp(a, "--json=", 7) == 0 ||
                   strncmp(a, "--svg=", 6) == 0 || strncmp(a, "--trace=", 8) == 0) {
            if (!safe_output(strchr(a, '=') + 1))
                return 1;
        }
    }
    return 0;
}

/* Is the line the end marker "[exit N]"? 1 with *status = N; 0 if it does
 * not start with "[exit"; -1 if it does but is not a well-formed marker. */
static int exit_marker(const char *s, int *status)
{
    static const char head[] = "[exit";
    const char *p = s + sizeof head - 1;
    int n = 0;
    if (strncmp(s, head, sizeof head - 1) != 0)
        return 0;
    if (*p++ != ' ' || !isdigit((unsigned char)*p))
        return -1;
    for (; isdigit((unsigned char)*p); p++) {
        n = n * 10 + (*p - '0');
        if (n > 255)
            return -1;
    }
    if (strcmp(p, "]") != 0)
        return -1;
    *status = n;
    return 1;
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

static void doc_free(struct doc *g)
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

/* Read the console blocks of a file's text. `name` is used in errors. */
static struct doc parse_doc(const char *text, const char *name)
{
    struct doc g;
    struct lines l = split_lines(text);
    size_t i, ticks = 0;
    int in_fence = 0, console = 0, have_command = 0, marker_line = 0;
    g.b = NULL;
    g.n = 0;
    g.error[0] = '\0';
    for (i = 0; i < l.n && !g.error[0]; i++) {
        const char *s = l.v[i];
        int line = (int)i + 1, status = 0, marker;
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
                marker_line = 0;
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
                                 "give - (standard output) to --csv, --json, --svg, --trace=, "
                                 "or a path under " NO_DIR "/", name, line);
            }
            g.b = realloc(g.b, (g.n + 1) * sizeof *g.b);
            assert_non_null(g.b);
            g.b[g.n++] = b;
            have_command = 1;
            continue;
        }
        if (marker_line) {
            snprintf(g.error, sizeof g.error, "%s:%d: \"[exit N]\" must be the last line of its block",
                     name, marker_line);
            break;
        }
        marker = exit_marker(s, &status);
        if (marker < 0) {
            snprintf(g.error, sizeof g.error, "%s:%d: a malformed exit marker: write \"[exit N]\", "
                             "N from 0 to 255, as the last line of the block", name, line);
            break;
        }
        if (marker > 0) {
            g.b[g.n - 1].status = status;
            g.b[g.n - 1].marked = 1;
            marker_line = line;
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

/* The value of option `name` at args[*i], given as "NAME VALUE" or
 * "NAME=VALUE"; NULL if args[*i] is not that option. */
static const char *option_at(const struct block *b, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = b->args[*i];
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] == '\0' && *i + 1 < b->nargs)
        return b->args[++*i];
    return NULL;
}

/* Is the command quick enough for valgrind? It simulates nothing, or it sets
 * simulation.duration and the simulated time of all its runs (the duration
 * times two for compare, times R for --replications R, times the points of
 * a sweep) is under an hour. */
static int is_short_run(const struct block *b)
{
    static const char key[] = "simulation.duration=";
    ss_time duration = -1;
    double runs = 1;
    int i;
    if (b->nargs == 0 || (b->marked && b->status != 0) || strcmp(b->args[0], "check") == 0 ||
        strcmp(b->args[0], "--help") == 0 || strcmp(b->args[0], "-h") == 0 ||
        strcmp(b->args[0], "--version") == 0)
        return 1;
    if (strcmp(b->args[0], "compare") == 0)
        runs = 2;
    for (i = 1; i < b->nargs; i++) {
        const char *v;
        char why[SS_ERR_TEXT * 2];
        if ((v = option_at(b, &i, "--set")) != NULL) {
            if (strncmp(v, key, sizeof key - 1) == 0 &&
                ss_parse_duration(v + sizeof key - 1, &duration, why) != 0)
                duration = -1;
        } else if ((v = option_at(b, &i, "--replications")) != NULL) {
            runs *= atof(v);
        } else if ((v = option_at(b, &i, "--vary")) != NULL) {
            struct ss_vary vary;
            runs *= ss_vary_parse(v, &vary, why, sizeof why) == 0 ? (double)vary.points : 1e9;
        }
    }
    return duration >= 0 && (double)duration * runs < (double)SS_HOUR;
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

/* The text a block's excerpt is matched against: standard output, and with
 * an exit marker standard error after it. A new string. */
static char *checked_text(const struct block *b, const struct testutil_run *r)
{
    size_t no = strlen(r->out), ne = strlen(r->err);
    char *t = malloc(no + ne + 2);
    assert_non_null(t);
    memcpy(t, r->out, no);
    t[no] = '\0';
    if (b->marked) {
        if (no > 0 && r->out[no - 1] != '\n')
            t[no++] = '\n';
        memcpy(t + no, r->err, ne + 1);
    }
    return t;
}

/* Check one block against its command's output; 1 if it holds. What went
 * wrong goes to `report`, for a maintainer to act on. */
static int check_block(const struct block *b, const struct testutil_run *r, const char *name,
                       FILE *report)
{
    struct lines out;
    struct match m;
    char *text;
    if (r->status != b->status) {
        fprintf(report, "%s:%d: %s\n  exit status %d, expected %d%s; standard output:\n%s\n"
                        "  standard error:\n%s\n",
                name, b->line, b->command, r->status, b->status,
                b->marked ? "" : " (a block without \"[exit N]\" expects 0)", r->out, r->err);
        return 0;
    }
    text = checked_text(b, r);
    out = split_lines(text);
    free(text);
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
                        "see the top of tests/test_docs.c)\n");
        print_output(report,
                     b->marked ? "actual output: standard output, then standard error"
                               : "actual standard output",
                     &out);
    }
    lines_free(&out);
    return m.ok;
}

/* Check the blocks of a file, or with `short_only` those of is_short_run;
 * the number that failed. Outputs are taken from, and added to, `cache`. */
static int check_doc(const struct doc *g, const char *name, FILE *report, int short_only,
                     struct run_cache *cache)
{
    size_t i, skipped = 0;
    int failed = 0;
    for (i = 0; i < g->n; i++) {
        const struct block *b = &g->b[i];
        if (short_only && !is_short_run(b)) {
            skipped++;
            continue;
        }
        if (names_no_dir(b) && testutil_exists(NO_DIR)) {
            fprintf(report, "%s:%d: %s\n  not run: it writes under " NO_DIR ", which must not "
                            "exist, and does here\n", name, b->line, b->command);
            failed++;
            continue;
        }
        failed += !check_block(b, cached_run(cache, b), name, report);
    }
    if (skipped)
        fprintf(report, "%s: STORESIM_SLOW_TOOLS is set: %lu of %lu quotes not checked (long runs)\n",
                name, (unsigned long)skipped, (unsigned long)g->n);
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
    struct doc g = parse_doc(text, "mini.md");
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
    doc_free(&g);

    /* Short runs, the ones checked under valgrind: under an hour. */
    g = parse_doc("```console\n$ storesim run s.scn --set simulation.duration=45m\nx\n```\n"
                    "```console\n$ storesim run s.scn --set simulation.duration=4h\nx\n```\n"
                    "```console\n$ storesim run s.scn --set simulation.duration=1h30m\nx\n```\n",
                    "mini.md");
    assert_string_equal(g.error, "");
    assert_int_equal(g.n, 3);
    assert_true(is_short_run(&g.b[0]));
    assert_false(is_short_run(&g.b[1]));
    assert_false(is_short_run(&g.b[2]));
    doc_free(&g);

    /* ... and the commands that simulate nothing. */
    g = parse_doc("```console\n$ storesim check s.scn\nx\n```\n"
                  "```console\n$ storesim --help\nx\n```\n"
                  "```console\n$ storesim run s.scn --bogus\nx\n[exit 2]\n```\n"
                  "```console\n$ storesim run s.scn --set delivery.rate=1/s\nx\n[exit 0]\n```\n",
                  "mini.md");
    assert_string_equal(g.error, "");
    assert_int_equal(g.n, 4);
    assert_true(is_short_run(&g.b[0]));
    assert_true(is_short_run(&g.b[1]));
    assert_true(is_short_run(&g.b[2]));
    assert_false(is_short_run(&g.b[3]));
    doc_free(&g);

    /* The simulated time of all the runs counts, in any unit. */
    g = parse_doc("```console\n$ storesim run s.scn --set simulation.duration=200000s\nx\n```\n"
                  "```console\n$ storesim run s.scn --set simulation.duration=2000s\nx\n```\n"
                  "```console\n$ storesim compare s.scn --set simulation.duration=31m\nx\n```\n"
                  "```console\n$ storesim run s.scn --replications=3 --set simulation.duration=10m\nx\n```\n"
                  "```console\n$ storesim run s.scn --replications 20 --set simulation.duration=10m\nx\n```\n"
                  "```console\n$ storesim sweep s.scn --vary store.threads=1:10:1 --set simulation.duration=5m\nx\n```\n"
                  "```console\n$ storesim sweep s.scn --vary store.threads=1:12:1 --set simulation.duration=5m\nx\n```\n",
                  "mini.md");
    assert_string_equal(g.error, "");
    assert_int_equal(g.n, 7);
    assert_false(is_short_run(&g.b[0]));
    assert_true(is_short_run(&g.b[1]));
    assert_false(is_short_run(&g.b[2]));
    assert_true(is_short_run(&g.b[3]));
    assert_false(is_short_run(&g.b[4]));
    assert_true(is_short_run(&g.b[5]));
    assert_false(is_short_run(&g.b[6]));
    doc_free(&g);
}

static void parser_reads_exit_markers(void **state)
{
    static const char text[] =
        "```console\n"
        "$ storesim\n"
        "storesim: error: no command (try storesim --help)\n"
        "[exit 2]\n"
        "```\n"
        "```console\n"
        "$ storesim run scenarios/kb924567.scn --json /nonexistent/dir/x.json\n"
        "...\n"
        "[exit 1]   \n" /* trailing blanks are cut here too */
        "```\n"
        "```console\n"
        "$ storesim --version\n"
        "storesim 1.0.0\n"
        "```\n";
    struct doc g = parse_doc(text, "mini.md");
    (void)state;
    assert_string_equal(g.error, "");
    assert_int_equal(g.n, 3);
    assert_int_equal(g.b[0].nargs, 0);
    assert_int_equal(g.b[0].nex, 1); /* the marker is not an excerpt line */
    assert_int_equal(g.b[0].status, 2);
    assert_true(g.b[0].marked);
    assert_int_equal(g.b[1].status, 1);
    assert_true(g.b[1].marked);
    assert_int_equal(g.b[1].nex, 1);
    assert_int_equal(g.b[2].status, 0);
    assert_false(g.b[2].marked);
    doc_free(&g);
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
        /* exit markers: only as the last line, well formed, after an excerpt */
        "```console\n$ storesim run x.scn\n[exit 2]\n```\n",
        "```console\n$ storesim run x.scn\nout\n[exit 2]\nmore\n```\n",
        "```console\n$ storesim run x.scn\nout\n[exit 2]\n[exit 2]\n```\n",
        "```console\n$ storesim run x.scn\nout\n[exit]\n```\n",
        "```console\n$ storesim run x.scn\nout\n[exit two]\n```\n",
        "```console\n$ storesim run x.scn\nout\n[exit 256]\n```\n",
        "```console\n$ storesim run x.scn\nout\n[exit 2] and more\n```\n",
        "```console\n$ storesim run x.scn\nout\n[exit  2]\n```\n",
        /* files: only under /nonexistent/, and not out of it */
        "```console\n$ storesim run x.scn --json /tmp/x.json\nout\n[exit 1]\n```\n",
        "```console\n$ storesim run x.scn --json /nonexistent/../tmp/x.json\nout\n[exit 1]\n```\n",
        "```console\n$ storesim run x.scn --csv=/nonexistentx/a.csv\nout\n[exit 1]\n```\n",
        "```console\n$ storesim sweep x.scn --vary store.threads=1:2:1 --csv s.csv\nout\n```\n",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct doc g = parse_doc(bad[i], "bad.md");
        if (!g.error[0])
            fail_msg("case %lu was accepted: %s", (unsigned long)i, bad[i]);
        assert_non_null(strstr(g.error, "bad.md:"));
        doc_free(&g);
    }
}

/* The whole chain on a tiny page: a command that runs, a path shown as
 * typed, error messages and warnings checked on standard error, and wrong
 * excerpts and statuses caught and reported by their lines. */
static void checker_reports_a_wrong_quote(void **state)
{
    static const char text[] =
        "```console\n"                                                      /* 1 */
        "$ storesim check scenarios/kb924567.scn\n"
        "scenarios/kb924567.scn: the scenario is valid\n"
        "```\n"
        "\n"                                                                /* 5 */
        "```console\n"
        "$ storesim check scenarios/kb924567.scn\n"
        "scenarios/kb924567.scn: the scenario is broken\n"
        "```\n"
        "```console\n"                                                      /* 10 */
        "$ storesim check scenarios/no-such-file.scn\n"
        "anything\n"
        "```\n"
        "```console\n"
        "$ storesim check scenarios/no-such-file.scn\n"                     /* 15 */
        "scenarios/no-such-file.scn: error: cannot open: No such file or directory\n"
        "[exit 2]\n"
        "```\n"
        "```console\n"
        "$ storesim check scenarios/no-such-file.scn\n"                     /* 20 */
        "scenarios/no-such-file.scn: error: cannot open: No such file or directory\n"
        "[exit 1]\n"
        "```\n"
        "```console\n"
        "$ storesim check scenarios/kb924567.scn --set mta.enabled=true\n"  /* 25 */
        "scenarios/kb924567.scn: the scenario is valid\n"
        "scenarios/kb924567.scn:30: warning: database Mailbox Store has gateway_out_threads = 0, "
        "the mark of a disabled MTA (KB 810489), but mta.enabled is true\n"
        "[exit 0]\n"
        "```\n"
        "```console\n"                                                      /* 30 */
        "$ storesim check scenarios/kb924567.scn --set mta.enabled=true\n"
        "scenarios/kb924567.scn:30: warning: database Mailbox Store has gateway_out_threads = 0, "
        "the mark of a disabled MTA (KB 810489), but mta.enabled is true\n"
        "```\n"
        "```console\n"
        "$ storesim\n"                                                      /* 35 */
        "storesim: error: no command (try storesim --help)\n"
        "[exit 2]\n"
        "```\n"
        "```console\n"
        "$ storesim run scenarios/kb924567.scn --json /nonexistent/dir/x.json\n" /* 40 */
        "storesim: error: cannot write /nonexistent/dir/x.json: No such file or directory\n"
        "[exit 1]\n"
        "```\n";
    struct doc g = parse_doc(text, "mini.md");
    struct run_cache cache = {NULL, NULL, 0};
    FILE *report = tmpfile();
    char *said;
    (void)state;
    assert_non_null(report);
    assert_string_equal(g.error, "");
    assert_int_equal(g.n, 9);
    assert_int_equal(check_doc(&g, "mini.md", report, 0, &cache), 4);
    /* The same command runs once. */
    assert_int_equal(cache.n, 5);
    said = testutil_read_stream(report);
    assert_null(strstr(said, "mini.md:2:")); /* the true quotes hold */
    assert_null(strstr(said, "mini.md:15:"));
    assert_null(strstr(said, "mini.md:25:"));
    assert_null(strstr(said, "mini.md:35:"));
    assert_non_null(strstr(said, "mini.md:8: this line is not in the output of"));
    assert_non_null(strstr(said, "missing: \"scenarios/kb924567.scn: the scenario is broken\""));
    assert_non_null(strstr(said, "    1 | scenarios/kb924567.scn: the scenario is valid"));
    /* A failing command without a marker; a marker with the wrong status. */
    assert_non_null(strstr(said, "mini.md:11: $ storesim check scenarios/no-such-file.scn\n"
                                 "  exit status 2, expected 0"));
    assert_non_null(strstr(said, "mini.md:20: $ storesim check scenarios/no-such-file.scn\n"
                                 "  exit status 2, expected 1"));
    /* Without a marker, standard error is not checked. */
    assert_non_null(strstr(said, "mini.md:32: this line is not in the output of"));
    /* The write under /nonexistent fails as quoted, unless the folder is there. */
    if (testutil_exists(NO_DIR))
        assert_non_null(strstr(said, "mini.md:40: $ storesim run"));
    else
        assert_null(strstr(said, "mini.md:40:"));
    free(said);
    cache_free(&cache);
    doc_free(&g);
}

/* Outputs shared by all the files: a command quoted in several runs once. */
static struct run_cache shared_cache;

static int free_shared_cache(void **state)
{
    (void)state;
    cache_free(&shared_cache);
    return 0;
}

/* The test of one file of DOCS, given as the test's state. */
static void doc_quotes_are_true(void **state)
{
    const struct doc_file *d = *state;
    char *text = testutil_slurp(testutil_src(d->path), NULL);
    struct doc g;
    unsigned long n;
    int failed;
    if (!text)
        fail_msg("cannot read %s", testutil_src(d->path));
    g = parse_doc(text, d->path);
    free(text);
    if (g.error[0]) {
        print_error("%s\n", g.error);
        doc_free(&g);
        fail_msg("%s cannot be checked", d->path);
    }
    n = (unsigned long)g.n;
    if (g.n < (size_t)d->min_blocks) {
        doc_free(&g);
        fail_msg("%s has %lu ```console blocks; at least %d expected", d->path, n, d->min_blocks);
    }
    failed = check_doc(&g, d->path, stderr, getenv("STORESIM_SLOW_TOOLS") != NULL, &shared_cache);
    doc_free(&g);
    if (failed)
        fail_msg("%d of the %lu quoted outputs in %s do not match storesim's output (above); "
                 "update the quotes, or fix the program",
                 failed, n, d->path);
}

#define N_DOCS (sizeof DOCS / sizeof DOCS[0])

int main(void)
{
    const struct CMUnitTest self_checks[] = {
        cmocka_unit_test(matcher_accepts_true_excerpts),
        cmocka_unit_test(matcher_rejects_wrong_excerpts),
        cmocka_unit_test(parser_reads_console_blocks),
        cmocka_unit_test(parser_reads_exit_markers),
        cmocka_unit_test(parser_rejects_unsafe_blocks),
        cmocka_unit_test(checker_reports_a_wrong_quote),
    };
    struct CMUnitTest tests[sizeof self_checks / sizeof self_checks[0] + N_DOCS];
    size_t i, n = 0;
    for (i = 0; i < sizeof self_checks / sizeof self_checks[0]; i++)
        tests[n++] = self_checks[i];
    /* One test per file, named by the file. */
    for (i = 0; i < N_DOCS; i++) {
        struct CMUnitTest t = cmocka_unit_test_prestate(doc_quotes_are_true, (void *)&DOCS[i]);
        t.name = DOCS[i].path;
        tests[n++] = t;
    }
    return cmocka_run_group_tests(tests, NULL, free_shared_cache);
}
