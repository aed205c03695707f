/* shard.c: parts of a sharded command, written and read back (see shard.h). */
#include "storesim/shard.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/totals.h"
#include "storesim/version.h"

#define PART_FORMAT "storesim-part 1"
#define SHARDS_MAX 10000
#define LINE_MAX_PART 65536 /* an argument or a JSON line of a part */

int ss_shard_parse(const char *text, struct ss_shard *out, char *why, size_t size)
{
    char *end;
    long k, n;
    errno = 0;
    k = strtol(text, &end, 10);
    if (end == text || *end != '/' || errno) {
        snprintf(why, size, "write K/N, shard K of N, such as 1/4");
        return -1;
    }
    text = end + 1;
    n = strtol(text, &end, 10);
    if (end == text || *end != '\0' || errno || n < 1 || n > SHARDS_MAX) {
        snprintf(why, size, "N must be a whole number from 1 to %d", SHARDS_MAX);
        return -1;
    }
    if (k < 1 || k > n) {
        snprintf(why, size, "K must be from 1 to N (%ld)", n);
        return -1;
    }
    out->k = (int)k;
    out->n = (int)n;
    return 0;
}

bool ss_shard_mine(const struct ss_shard *s, long index)
{
    return s->n == 0 || index % s->n == s->k - 1;
}

/* ---- writing ------------------------------------------------------------ */

/* An argument on one line: backslash, line ends and control bytes escaped. */
static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\')
            fputs("\\\\", f);
        else if (c < 0x20 || c == 0x7f)
            fprintf(f, "\\x%02x", c);
        else
            putc(c, f);
    }
}

void ss_part_begin(FILE *f, const struct ss_shard *s, size_t scenario_size, uint64_t hash,
                   int argc, char **argv)
{
    int i;
    fprintf(f, "%s\nversion %s\nshard %d %d\nscenario %lu %016llx\n", PART_FORMAT,
            ss_version(), s->k, s->n, (unsigned long)scenario_size, (unsigned long long)hash);
    for (i = 0; i < argc; i++) {
        fputs("arg ", f);
        put_escaped(f, argv[i]);
        putc('\n', f);
    }
}

void ss_part_run(FILE *f, long point, int side, int i, const struct ss_run_metrics *m)
{
    size_t t;
    int s;
    fprintf(f, "run %ld %d %d %llu %llu\nsymptoms", point, side, i, (unsigned long long)m->seed,
            (unsigned long long)m->events);
    for (s = 0; s < SS_SYMPTOMS; s++)
        fprintf(f, " %lld", m->symptom[s] == SS_NEVER ? -1LL : (long long)m->symptom[s]);
    fputs("\ntotals", f);
    for (t = 0; t < ss_totals_count(); t++)
        fprintf(f, " %a", m->total[t]); /* hexadecimal: read back exactly */
    putc('\n', f);
}

void ss_part_json_begin(FILE *f)
{
    fputs("json\n", f);
}

void ss_part_json_end(FILE *f)
{
    fputs("end-json\n", f);
}

void ss_part_end(FILE *f, unsigned long runs)
{
    fprintf(f, "end %lu\n", runs);
}

/* ---- reading ------------------------------------------------------------ */

struct reader {
    FILE *f;
    const char *path;
    long line;
    char *buf;
    char *err;
    size_t err_size;
};

static int fail(struct reader *r, const char *fmt, ...)
{
    size_t n;
    va_list ap;
    if (r->line > 0)
        n = (size_t)snprintf(r->err, r->err_size, "%s:%ld: error: ", r->path, r->line);
    else
        n = (size_t)snprintf(r->err, r->err_size, "%s: error: ", r->path);
    if (n < r->err_size) {
        va_start(ap, fmt);
        vsnprintf(r->err + n, r->err_size - n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* The next line, without its line end; NULL at the end of the file. */
static char *next_line(struct reader *r)
{
    size_t n;
    if (!fgets(r->buf, LINE_MAX_PART, r->f))
        return NULL;
    r->line++;
    n = strlen(r->buf);
    if (n > 0 && r->buf[n - 1] == '\n')
        r->buf[--n] = '\0';
    return r->buf;
}

static char *need_line(struct reader *r, const char *what)
{
    char *line = next_line(r);
    if (!line)
        fail(r, "the part ends before %s: was it cut short?", what);
    return line;
}

static char *unescape(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    if (!out)
        return NULL;
    for (; *s; s++) {
        unsigned x;
        if (s[0] == '\\' && s[1] == '\\') {
            *o++ = '\\';
            s++;
        } else if (s[0] == '\\' && s[1] == 'x' && sscanf(s + 2, "%2x", &x) == 1) {
            *o++ = (char)x;
            s += 3;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

/* What one part says of itself. */
struct head {
    int k, n;
    unsigned long size;
    unsigned long long hash;
    char **argv;
    int argc;
};

static void head_free(struct head *h)
{
    int i;
    for (i = 0; i < h->argc; i++)
        free(h->argv[i]);
    free(h->argv);
    h->argv = NULL;
    h->argc = 0;
}

static int read_head(struct reader *r, struct head *h, char **line)
{
    char version[64];
    *line = need_line(r, "its first line");
    if (!*line)
        return -1;
    if (strcmp(*line, PART_FORMAT) != 0)
        return fail(r, "not a part of a sharded storesim command (made with --shard K/N)");
    if (!(*line = need_line(r, "its version")))
        return -1;
    if (sscanf(*line, "version %63s", version) != 1)
        return fail(r, "expected 'version', found '%.60s'", *line);
    if (strcmp(version, ss_version()) != 0)
        return fail(r, "written by storesim %s, not by this storesim %s: make every part with "
                       "one program", version, ss_version());
    if (!(*line = need_line(r, "its shard")))
        return -1;
    if (sscanf(*line, "shard %d %d", &h->k, &h->n) != 2 || h->n < 1 || h->k < 1 || h->k > h->n)
        return fail(r, "expected 'shard K N', found '%.60s'", *line);
    if (!(*line = need_line(r, "its scenario")))
        return -1;
    if (sscanf(*line, "scenario %lu %llx", &h->size, &h->hash) != 2)
        return fail(r, "expected 'scenario SIZE HASH', found '%.60s'", *line);
    while ((*line = need_line(r, "its runs")) != NULL && strncmp(*line, "arg ", 4) == 0) {
        char **grown = realloc(h->argv, (size_t)(h->argc + 1) * sizeof *grown);
        if (!grown)
            return fail(r, "out of memory");
        h->argv = grown;
        if (!(h->argv[h->argc] = unescape(*line + 4)))
            return fail(r, "out of memory");
        h->argc++;
    }
    return *line ? 0 : -1;
}

static int read_numbers(struct reader *r, const char *line, const char *word, size_t n,
                        double *d, long long *ll)
{
    const char *p = line + strlen(word);
    size_t i;
    if (strncmp(line, word, strlen(word)) != 0)
        return fail(r, "expected '%s', found '%.60s'", word, line);
    for (i = 0; i < n; i++) {
        char *end;
        errno = 0;
        if (d)
            d[i] = strtod(p, &end);
        else
            ll[i] = strtoll(p, &end, 10);
        if (end == p || errno)
            return fail(r, "'%s' holds %lu numbers, not %lu", word, (unsigned long)i,
                        (unsigned long)n);
        p = end;
    }
    if (*p != '\0')
        return fail(r, "'%s' holds more than %lu numbers", word, (unsigned long)n);
    return 0;
}

/* A run's JSON, up to its end-json line, kept with its line ends. */
static char *read_json(struct reader *r)
{
    size_t len = 0, cap = 4096;
    char *text = malloc(cap);
    if (!text) {
        fail(r, "out of memory");
        return NULL;
    }
    text[0] = '\0';
    for (;;) {
        char *line = need_line(r, "the end of a run's JSON");
        size_t n;
        if (!line) {
            free(text);
            return NULL;
        }
        if (strcmp(line, "end-json") == 0)
            return text;
        n = strlen(line);
        while (len + n + 2 > cap) {
            char *grown = realloc(text, cap *= 2);
            if (!grown) {
                free(text);
                fail(r, "out of memory");
                return NULL;
            }
            text = grown;
        }
        memcpy(text + len, line, n);
        len += n;
        text[len++] = '\n';
        text[len] = '\0';
    }
}

static int add_run(struct ss_parts *p, const struct ss_part_run *run, struct reader *r)
{
    struct ss_part_run *grown = realloc(p->runs, (p->n_runs + 1) * sizeof *grown);
    if (!grown)
        return fail(r, "out of memory");
    p->runs = grown;
    p->runs[p->n_runs++] = *run;
    return 0;
}

/* The runs of one part, up to its end line. */
static int read_runs(struct reader *r, struct ss_parts *p, char *line, int k)
{
    unsigned long count = 0, said;
    for (;;) {
        struct ss_part_run run;
        long long symptoms[SS_SYMPTOMS];
        unsigned long long seed, events;
        int s;
        if (sscanf(line, "end %lu", &said) == 1) {
            if (said != count)
                return fail(r, "the part says %lu runs but holds %lu", said, count);
            return next_line(r) ? fail(r, "more after the end of the part") : 0;
        }
        memset(&run, 0, sizeof run);
        if (sscanf(line, "run %ld %d %d %llu %llu", &run.point, &run.side, &run.i, &seed,
                   &events) != 5 || run.point < 0 || run.side < 0 || run.side >= SS_RUNS_MAX || run.i < 0)
            return fail(r, "expected 'run POINT SIDE I SEED EVENTS' or 'end', found '%.60s'",
                        line);
        run.m.seed = seed;
        run.m.events = events;
        run.shard = k;
        if (!(line = need_line(r, "a run's symptoms")) ||
            read_numbers(r, line, "symptoms", SS_SYMPTOMS, NULL, symptoms) != 0)
            return -1;
        for (s = 0; s < SS_SYMPTOMS; s++)
            run.m.symptom[s] = symptoms[s] < 0 ? SS_NEVER : (ss_time)symptoms[s];
        if (!(line = need_line(r, "a run's totals")) ||
            read_numbers(r, line, "totals", ss_totals_count(), run.m.total, NULL) != 0)
            return -1;
        if (!(line = need_line(r, "the end of the part")))
            return -1;
        if (strcmp(line, "json") == 0) {
            if (!(run.json = read_json(r)))
                return -1;
            if (!(line = need_line(r, "the end of the part"))) {
                free(run.json);
                return -1;
            }
        }
        if (add_run(p, &run, r) != 0) {
            free(run.json);
            return -1;
        }
        count++;
    }
}

static bool same_command(const struct head *a, const struct head *b)
{
    int i;
    if (a->argc != b->argc)
        return false;
    for (i = 0; i < a->argc; i++)
        if (strcmp(a->argv[i], b->argv[i]) != 0)
            return false;
    return true;
}

/* One part, checked against the first. */
static int read_part(struct reader *r, struct ss_parts *p, struct head *first, const char **seen,
                     size_t index)
{
    struct head h;
    char *line;
    int rc;
    memset(&h, 0, sizeof h);
    rc = read_head(r, &h, &line);
    if (rc == 0 && index > 0) {
        r->line = 0;
        if (h.n != first->n)
            rc = fail(r, "a shard of %d, where the first part is a shard of %d", h.n, first->n);
        else if (!same_command(&h, first))
            rc = fail(r, "a part of another command (another scenario, grid, --set or "
                         "--replications) than the first part's");
        else if (h.size != first->size || h.hash != first->hash)
            rc = fail(r, "made from other contents of the scenario file than the first part");
        else if (seen[h.k - 1])
            rc = fail(r, "shard %d of %d again (it is also %s)", h.k, h.n, seen[h.k - 1]);
    }
    if (rc == 0) {
        seen[h.k - 1] = r->path;
        rc = read_runs(r, p, line, h.k);
    }
    if (index == 0)
        *first = h;
    else
        head_free(&h);
    return rc;
}

int ss_parts_read(const char *const *paths, size_t n_paths, struct ss_parts *out, char *err,
                  size_t err_size)
{
    struct reader r;
    struct head first;
    const char **seen = NULL;
    size_t i;
    int rc = 0;
    memset(out, 0, sizeof *out);
    memset(&first, 0, sizeof first);
    r.buf = malloc(LINE_MAX_PART);
    r.err = err;
    r.err_size = err_size;
    if (!r.buf) {
        snprintf(err, err_size, "storesim: error: out of memory");
        return -1;
    }
    for (i = 0; rc == 0 && i < n_paths; i++) {
        r.path = paths[i];
        r.line = 0;
        if (!(r.f = fopen(paths[i], "rb"))) {
            rc = fail(&r, "cannot open: %s", strerror(errno));
            break;
        }
        if (i == 0) {
            /* The first part says how many there are. */
            struct head peek;
            char *line;
            memset(&peek, 0, sizeof peek);
            rc = read_head(&r, &peek, &line);
            if (rc == 0 && !(seen = calloc((size_t)peek.n, sizeof *seen)))
                rc = fail(&r, "out of memory");
            head_free(&peek);
            rewind(r.f);
            r.line = 0;
        }
        if (rc == 0)
            rc = read_part(&r, out, &first, seen, i);
        if (ferror(r.f) && rc == 0)
            rc = fail(&r, "cannot read");
        fclose(r.f);
    }
    if (rc == 0) {
        out->n = first.n;
        out->argc = first.argc;
        out->argv = first.argv;
        out->scenario_size = first.size;
        out->hash = first.hash;
        first.argv = NULL;
        first.argc = 0;
        for (i = 0; rc == 0 && (int)i < out->n; i++)
            if (!seen[i]) {
                snprintf(err, err_size, "storesim: error: merge: shard %lu of %d is missing "
                         "(given: %lu %s)", (unsigned long)i + 1, out->n,
                         (unsigned long)n_paths, n_paths == 1 ? "part" : "parts");
                rc = -1;
            }
    }
    head_free(&first);
    free(seen);
    free(r.buf);
    if (rc != 0)
        ss_parts_free(out);
    return rc;
}

static long slot(const struct ss_parts *p, long point, int side, int i)
{
    return (point * p->sides + side) * p->replications + i;
}

/* The runs moved to a table, freed. */
static void table_free(struct ss_part_run *table, long n)
{
    long at;
    for (at = 0; at < n; at++)
        free(table[at].json);
    free(table);
}

int ss_parts_complete(struct ss_parts *p, long points, int sides, int replications,
                      bool by_point, char *err, size_t err_size)
{
    struct ss_part_run *table;
    size_t r;
    long n = points * sides * replications, at;
    p->points = points;
    p->sides = sides;
    p->replications = replications;
    if ((size_t)n != p->n_runs) {
        snprintf(err, err_size, "storesim: error: merge: the parts hold %lu runs, where the "
                 "command makes %ld", (unsigned long)p->n_runs, n);
        return -1;
    }
    table = calloc((size_t)n ? (size_t)n : 1, sizeof *table);
    if (!table) {
        snprintf(err, err_size, "storesim: error: out of memory");
        return -1;
    }
    for (at = 0; at < n; at++)
        table[at].point = -1;
    for (r = 0; r < p->n_runs; r++) {
        struct ss_part_run run = p->runs[r];
        long index = by_point ? run.point : run.i;
        if (run.point >= points || run.side >= sides || run.i >= replications ||
            table[slot(p, run.point, run.side, run.i)].point >= 0 ||
            index % p->n != run.shard - 1) {
            snprintf(err, err_size, "storesim: error: merge: shard %d holds a run (point %ld, "
                     "replication %d) that is not its own", run.shard, run.point, run.i + 1);
            table_free(table, n);
            return -1;
        }
        table[slot(p, run.point, run.side, run.i)] = run;
        p->runs[r].json = NULL; /* the table has it now */
    }
    free(p->runs);
    p->runs = table;
    p->n_runs = (size_t)n;
    return 0;
}

const struct ss_part_run *ss_parts_find(const struct ss_parts *p, long point, int side, int i)
{
    if (point < 0 || point >= p->points || side < 0 || side >= p->sides || i < 0 ||
        i >= p->replications)
        return NULL;
    return &p->runs[slot(p, point, side, i)];
}

void ss_parts_free(struct ss_parts *p)
{
    size_t r;
    int i;
    for (r = 0; r < p->n_runs; r++)
        free(p->runs[r].json);
    free(p->runs);
    for (i = 0; i < p->argc; i++)
        free(p->argv[i]);
    free(p->argv);
    memset(p, 0, sizeof *p);
}
