/*
 * scenario.c: scenario files, read in three steps (scenario.h): read, set,
 * resolve.
 *
 * The schema (every section, key, type, default and limit) is the one table
 * below. Reading, --set, resolving and ss_scenario_each_key all walk it, so a
 * key added there is read, overridable, checked and reported everywhere.
 * docs/scenario-format.md states the same table for people.
 *
 * Steps 1 and 2 keep values as text with the place each came from (a file line
 * or a --set); step 3 parses them, so a bad value in the file that a --set
 * replaces is never an error, and every message can name its line.
 */
#include "storesim/scenario.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/encoding.h"
#include "storesim/value.h"

/* ---- the schema ------------------------------------------------------- */

enum type {
    T_DURATION, /* ss_time */
    T_SEED,     /* uint64_t */
    T_INT,      /* long long within [min, max] */
    T_BOOL,     /* bool */
    T_PROFILE,  /* struct ss_profile: a rate, or a daily profile of rates */
    T_CLOCK,    /* struct ss_clock: a time of day; not set when not given */
    T_INSTANT,  /* ss_time: a point in time, a duration or a time (needs the clock) */
    T_DIST,     /* struct ss_dist */
    T_DATABASE, /* size_t: a [database NAME], looked up by name (a move's source) */
    T_ARRIVALS, /* bool: true for "regular", false for "poisson" */
    T_ACTION,   /* enum ss_action_kind: what an [action] does */
    T_BATCH     /* size_t: a [move NAME], looked up by name (an action's batch) */
};

#define F_REQUIRED 1u /* no default: must be given whenever its section is */
#define F_POSITIVE 2u /* a duration above 0 */
#define F_RETRY 4u    /* 0 (deferred), or a distribution with a mean of 1s or more */

struct key_def {
    const char *name;
    enum type type;
    unsigned flags;
    const char *fallback; /* the default, as a scenario would write it; NULL: none */
    long long min, max;   /* T_INT */
    size_t offset;        /* of the field, in the struct the section fills */
};

struct section_def {
    const char *name;
    bool named;   /* [database NAME], [move NAME]: any number of them */
    long present; /* offset in ss_scenario of the bool "was given", or -1: always resolved */
    const struct key_def *keys;
    size_t n_keys;
};

#define SC(field) offsetof(struct ss_scenario, field)
#define DB(field) offsetof(struct ss_database, field)
#define MV(field) offsetof(struct ss_move, field)
#define KEYS(table) table, sizeof table / sizeof table[0]
#define AC(field) offsetof(struct ss_action, field)
#define KEYS_MAX 6 /* the most keys a section has ([action]) */

static const struct key_def simulation_keys[] = {
    {"duration", T_DURATION, F_REQUIRED | F_POSITIVE, NULL, 0, 0, SC(duration)},
    {"seed", T_SEED, 0, "1", 0, 0, SC(seed)},
    {"sample_interval", T_DURATION, F_POSITIVE, "1m", 0, 0, SC(sample_interval)},
    {"clock", T_CLOCK, 0, NULL, 0, 0, SC(clock)}, /* none: times from the start */
    {"episode_gap", T_DURATION, 0, "5m", 0, 0, SC(episode_gap)}, /* flapping: one episode */
};
static const struct key_def store_keys[] = {
    {"threads", T_INT, F_REQUIRED, NULL, 1, SS_THREADS_MAX, SC(threads)},
};
static const struct key_def mta_keys[] = {
    {"enabled", T_BOOL, 0, "true", 0, 0, SC(mta_enabled)},
    {"flush_time", T_DURATION, F_POSITIVE, "1s", 0, 0, SC(flush_time)},
    {"flush_timeout", T_DURATION, F_POSITIVE, "150m", 0, 0, SC(flush_timeout)}, /* KB 924567 */
};
static const struct key_def hotfix_keys[] = {
    {"kb924567", T_BOOL, 0, "false", 0, 0, SC(hotfix)},
};
static const struct key_def database_keys[] = {
    /* A registry DWORD (KB 810489). */
    {"gateway_out_threads", T_INT, 0, "1", 0, 4294967295LL, DB(gateway_out_threads)},
};
static const struct key_def move_keys[] = {
    {"mailboxes", T_INT, F_REQUIRED, NULL, 0, SS_MAILBOXES_MAX, MV(mailboxes)},
    {"start", T_INSTANT, 0, "0s", 0, 0, MV(start)},
    {"concurrency", T_INT, 0, "4", 1, 1000000, MV(concurrency)}, /* KB 821829 */
    {"database", T_DATABASE, 0, NULL, 0, 0, MV(database)},  /* default: the only one */
    {"duration", T_DIST, F_REQUIRED, NULL, 0, 0, MV(duration)},
};
static const struct key_def delivery_keys[] = {
    {"rate", T_PROFILE, F_REQUIRED, NULL, 0, 0, SC(delivery_rate)},
    {"service", T_DIST, F_REQUIRED, NULL, 0, 0, SC(delivery_service)},
    {"starvation_threshold", T_DURATION, F_POSITIVE, "60s", 0, 0, SC(starvation_threshold)},
    {"arrivals", T_ARRIVALS, 0, "poisson", 0, 0, SC(delivery_regular)},
};
static const struct key_def owa_keys[] = {
    {"rate", T_PROFILE, F_REQUIRED, NULL, 0, 0, SC(owa_rate)},
    {"service", T_DIST, F_REQUIRED, NULL, 0, 0, SC(owa_service)},
    {"timeout", T_DURATION, F_POSITIVE, "60s", 0, 0, SC(owa_timeout)},
    {"arrivals", T_ARRIVALS, 0, "poisson", 0, 0, SC(owa_regular)},
};
static const struct key_def smtp_keys[] = {
    {"max_backlog", T_INT, 0, "10000", 1, SS_BACKLOG_MAX, SC(max_backlog)},
    {"resume_backlog", T_INT, 0, NULL, 0, SS_BACKLOG_MAX, SC(resume_backlog)}, /* default: half */
    {"retry", T_DIST, F_RETRY, "10m", 0, 0, SC(retry)},
};
/* Which keys an action takes besides `at` and `do`: action_takes(). */
static const struct key_def action_keys[] = {
    {"at", T_INSTANT, F_REQUIRED, NULL, 0, 0, AC(at)},
    {"do", T_ACTION, F_REQUIRED, NULL, 0, 0, AC(what)},
    {"database", T_DATABASE, 0, NULL, 0, 0, AC(database)}, /* default: the only one */
    {"value", T_INT, 0, NULL, 0, 4294967295LL, AC(value)}, /* required by set_gateway_... */
    {"batch", T_BATCH, 0, NULL, 0, 0, AC(batch)},          /* default: the only one */
    /* An assumption (docs/model.md, section 8): a few minutes on a busy server. */
    {"restart_time", T_DURATION, F_POSITIVE, "5m", 0, 0, AC(restart_time)},
};

enum {
    S_SIMULATION, S_STORE, S_MTA, S_HOTFIX, S_DATABASE, S_MOVE, S_DELIVERY, S_OWA, S_SMTP,
    S_ACTION, S_COUNT
};

/* In this order sections are resolved and keys reported. */
static const struct section_def schema[S_COUNT] = {
    [S_SIMULATION] = {"simulation", false, -1, KEYS(simulation_keys)},
    [S_STORE] = {"store", false, -1, KEYS(store_keys)},
    [S_MTA] = {"mta", false, -1, KEYS(mta_keys)},
    [S_HOTFIX] = {"hotfix", false, -1, KEYS(hotfix_keys)},
    [S_DATABASE] = {"database", true, -1, KEYS(database_keys)},
    [S_MOVE] = {"move", true, -1, KEYS(move_keys)},
    [S_DELIVERY] = {"delivery", false, (long)SC(has_delivery), KEYS(delivery_keys)},
    [S_OWA] = {"owa", false, (long)SC(has_owa), KEYS(owa_keys)},
    [S_SMTP] = {"smtp", false, -1, KEYS(smtp_keys)},
    [S_ACTION] = {"action", true, -1, KEYS(action_keys)},
};

static const char section_list[] =
    "simulation, store, mta, hotfix, database NAME, move NAME, delivery, owa, smtp, action NAME";

/* ---- actions ------------------------------------------------------------ */

static const char *const action_words[SS_ACTION_KINDS] = {
    "restart_store", "start_mta", "stop_mta", "install_hotfix", "set_gateway_out_threads",
    "cancel_move"};

const char *ss_action_word(enum ss_action_kind what)
{
    assert(what >= 0 && what < SS_ACTION_KINDS);
    return action_words[what];
}

/* Whether an action of kind `what` takes the key: `at` and `do` always; the
 * rest only where they mean something. */
static bool action_takes(enum ss_action_kind what, const char *key)
{
    if (!strcmp(key, "database") || !strcmp(key, "value"))
        return what == SS_ACT_SET_GATEWAY;
    if (!strcmp(key, "batch"))
        return what == SS_ACT_CANCEL_MOVE;
    if (!strcmp(key, "restart_time"))
        return what == SS_ACT_RESTART_STORE || what == SS_ACT_INSTALL_HOTFIX;
    return true;
}

static int parse_action(const char *text, enum ss_action_kind *what, char err[SS_ERR_TEXT])
{
    int i;
    for (i = 0; i < SS_ACTION_KINDS; i++)
        if (strcmp(text, action_words[i]) == 0) {
            *what = (enum ss_action_kind)i;
            return 0;
        }
    snprintf(err, SS_ERR_TEXT, "'%.60s' is not an action: write restart_store, start_mta, "
             "stop_mta, install_hotfix, set_gateway_out_threads or cancel_move", text);
    return -1;
}

/* ---- the text form: steps 1 and 2 ------------------------------------- */

/* Where a value came from: a line of the file, a --set, or neither. */
struct where {
    long line;       /* 1-based; 0: no line */
    const char *set; /* the --set assignment, or NULL */
};

static const struct where nowhere = {0, NULL};
static const struct where line_one = {1, NULL};

struct raw_value {
    char *text;    /* NULL: not given */
    struct where at;
    bool borrowed; /* text belongs to the scenario file, not to this reader */
};

struct raw_section {
    int kind;        /* index into schema[] */
    char *name;      /* NAME of [database NAME] or [move NAME]; NULL otherwise */
    struct where at; /* its header, or the --set that created it */
    size_t ordinal;  /* among the sections of its kind: [database] 3 is databases[3] */
    bool borrowed;   /* name belongs to the scenario file, not to this reader */
    struct raw_value values[KEYS_MAX];
};

struct reader {
    const char *path;
    struct ss_error *err;
    struct raw_section *sections; /* in the order they appeared */
    size_t n_sections, cap_sections;
    size_t *index;                /* hash of (kind, name): section number + 1, 0 = empty */
    size_t index_cap;             /* a power of two, at least twice n_sections */
    size_t n_kind[S_COUNT];       /* sections of each kind so far */
    long current;                 /* the section being read, or -1 */
    struct ss_scenario *sc;       /* step 3 fills it */
};

/* ---- messages --------------------------------------------------------- */

/*
 * A message quotes at most SHOWN_MAX bytes of any piece of input (a line, a
 * name, a --set), then "...": a 4096-byte line or name must not push the
 * explanation, or the "error:" itself, out of the 1024-byte message. Every
 * quote is written "%.*s%s" with SHOW(text, length) or NAME(name).
 */
#define SHOWN_MAX 60
#define PATH_SHOWN_MAX 400 /* a path is shown whole up to here */

static int shown_len(size_t n, size_t max)
{
    return (int)(n > max ? max - 3 : n);
}

static const char *more(size_t n, size_t max)
{
    return n > max ? "..." : "";
}

#define SHOW(text, n) shown_len((n), SHOWN_MAX), (text), more((n), SHOWN_MAX)
#define NAME(name) SHOW(nm(name), strlen(nm(name)))

static void format_line(char *out, size_t size, const char *path, struct where at,
                        const char *level, const char *fmt, va_list ap)
{
    size_t used, path_len = strlen(path);
    char *p;
    if (at.set)
        snprintf(out, size, "--set %.*s%s: %s: ", SHOW(at.set, strlen(at.set)), level);
    else if (at.line > 0)
        snprintf(out, size, "%.*s%s:%ld: %s: ", shown_len(path_len, PATH_SHOWN_MAX), path,
                 more(path_len, PATH_SHOWN_MAX), at.line, level);
    else
        snprintf(out, size, "%.*s%s: %s: ", shown_len(path_len, PATH_SHOWN_MAX), path,
                 more(path_len, PATH_SHOWN_MAX), level);
    used = strlen(out);
    if (used + 1 < size)
        vsnprintf(out + used, size - used, fmt, ap);
    for (p = out; *p; p++) /* one line, whatever a --set or a name held */
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
}

static int fail(struct reader *r, struct where at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format_line(r->err->text, sizeof r->err->text, r->path, at, "error", fmt, ap);
    va_end(ap);
    return -1;
}

static int out_of_memory(struct reader *r)
{
    return fail(r, nowhere, "out of memory");
}

static int warn(struct reader *r, struct where at, const char *fmt, ...)
{
    struct ss_scenario *sc = r->sc;
    char line[sizeof r->err->text];
    char **grown, *copy;
    va_list ap;
    va_start(ap, fmt);
    format_line(line, sizeof line, r->path, at, "warning", fmt, ap);
    va_end(ap);
    grown = realloc(sc->warnings, (sc->n_warnings + 1) * sizeof *grown);
    if (!grown)
        return out_of_memory(r);
    sc->warnings = grown;
    copy = malloc(strlen(line) + 1);
    if (!copy)
        return out_of_memory(r);
    strcpy(copy, line);
    sc->warnings[sc->n_warnings++] = copy;
    return 0;
}

/* For "[move batch1]" and "move batch1.mailboxes": the blank before a name. */
static const char *gap(const char *name)
{
    return name ? " " : "";
}

static const char *nm(const char *name)
{
    return name ? name : "";
}

/* ---- small text helpers ----------------------------------------------- */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && is_blank(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_blank((*s)[*n - 1]))
        (*n)--;
}

static char *dup_range(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static bool same(const char *word, size_t n, const char *name)
{
    return strlen(name) == n && memcmp(word, name, n) == 0;
}

static char fold(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Edit distance, ignoring case, between short words (long ones: far apart). */
static size_t distance(const char *a, size_t la, const char *b)
{
    size_t lb = strlen(b), row[33], i, j;
    if (la > 32 || lb > 32)
        return (size_t)-1;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (fold(a[i - 1]) != fold(b[j - 1]));
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* A misspelling of `name`: a letter or two off (one, for short names). */
static bool close_to(const char *word, size_t n, const char *name)
{
    return distance(word, n, name) <= (strlen(name) <= 4 ? 1u : 2u);
}

/* ---- step 1: reading the file ----------------------------------------- */

static int find_kind(const char *word, size_t n)
{
    int kind;
    for (kind = 0; kind < S_COUNT; kind++)
        if (same(word, n, schema[kind].name))
            return kind;
    return -1;
}

static int find_key(int kind, const char *word, size_t n)
{
    size_t i;
    for (i = 0; i < schema[kind].n_keys; i++)
        if (same(word, n, schema[kind].keys[i].name))
            return (int)i;
    return -1;
}

static int unknown_section(struct reader *r, struct where at, const char *word, size_t n)
{
    int kind;
    if (n == 0)
        return fail(r, at, "missing section name: sections are %s", section_list);
    for (kind = 0; kind < S_COUNT; kind++)
        if (close_to(word, n, schema[kind].name))
            return fail(r, at, "unknown section [%.*s%s] (did you mean [%s]?)", SHOW(word, n),
                        schema[kind].name);
    return fail(r, at, "unknown section [%.*s%s]: sections are %s", SHOW(word, n), section_list);
}

static int unknown_key(struct reader *r, struct where at, const struct raw_section *s,
                       const char *word, size_t n)
{
    const struct section_def *def = &schema[s->kind];
    char keys[256] = "";
    size_t i;
    for (i = 0; i < def->n_keys; i++)
        if (close_to(word, n, def->keys[i].name))
            return fail(r, at, "unknown key '%.*s%s' in [%s%s%.*s%s] (did you mean '%s'?)",
                        SHOW(word, n), def->name, gap(s->name), NAME(s->name),
                        def->keys[i].name);
    for (i = 0; i < def->n_keys; i++) {
        strcat(keys, i ? ", " : "");
        strcat(keys, def->keys[i].name);
    }
    return fail(r, at, "unknown key '%.*s%s' in [%s%s%.*s%s]: its keys are %s", SHOW(word, n),
                def->name, gap(s->name), NAME(s->name), keys);
}

/*
 * Sections are found by a hash of their kind and name, not by walking the
 * list: a 1 MiB file holds some 50,000 [database NAME] headers, and checking
 * each for a duplicate against all before it took seconds.
 */
static size_t section_hash(int kind, const char *name)
{
    size_t h = 2166136261u ^ (size_t)kind; /* FNV-1a */
    for (; name && *name; name++)
        h = (h ^ (unsigned char)*name) * 16777619u;
    return h;
}

static bool section_is(const struct raw_section *s, int kind, const char *name)
{
    return s->kind == kind && (s->name == name || (s->name && name && !strcmp(s->name, name)));
}

static struct raw_section *find_section(struct reader *r, int kind, const char *name)
{
    size_t i;
    if (r->index_cap == 0)
        return NULL;
    for (i = section_hash(kind, name) & (r->index_cap - 1); r->index[i];
         i = (i + 1) & (r->index_cap - 1))
        if (section_is(&r->sections[r->index[i] - 1], kind, name))
            return &r->sections[r->index[i] - 1];
    return NULL;
}

static void index_put(size_t *index, size_t cap, const struct raw_section *s, size_t number)
{
    size_t i = section_hash(s->kind, s->name) & (cap - 1);
    while (index[i])
        i = (i + 1) & (cap - 1);
    index[i] = number + 1;
}

/* Room in the index for one more section; -1 when out of memory. */
static int index_grow(struct reader *r)
{
    size_t cap, i, *index;
    if (2 * (r->n_sections + 1) <= r->index_cap)
        return 0;
    cap = r->index_cap ? 2 * r->index_cap : 64;
    if (cap > SIZE_MAX / sizeof *index)
        return -1;
    index = calloc(cap, sizeof *index);
    if (!index)
        return -1;
    for (i = 0; i < r->n_sections; i++)
        index_put(index, cap, &r->sections[i], i);
    free(r->index);
    r->index = index;
    r->index_cap = cap;
    return 0;
}

/* Append a section; it takes `name`. NULL when out of memory. */
static struct raw_section *add_section(struct reader *r, int kind, char *name, struct where at)
{
    struct raw_section *s;
    if (index_grow(r) != 0)
        return NULL;
    if (r->n_sections == r->cap_sections) {
        size_t cap = r->cap_sections ? 2 * r->cap_sections : 16;
        struct raw_section *grown = realloc(r->sections, cap * sizeof *grown);
        if (!grown)
            return NULL;
        r->sections = grown;
        r->cap_sections = cap;
    }
    s = &r->sections[r->n_sections];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->name = name;
    s->at = at;
    s->ordinal = r->n_kind[kind]++;
    index_put(r->index, r->index_cap, s, r->n_sections++);
    return s;
}

/* "move batch1" (a header's inside, or a --set's section part) into a kind
 * and a name (malloc'd, NULL for an unnamed section). */
static int parse_path(struct reader *r, struct where at, const char *text, size_t len,
                      int *kind, char **name)
{
    const char *rest;
    size_t word = 0, rest_len;
    *name = NULL;
    trim(&text, &len);
    while (word < len && !is_blank(text[word]))
        word++;
    rest = text + word;
    rest_len = len - word;
    trim(&rest, &rest_len);
    *kind = find_kind(text, word);
    if (*kind < 0)
        return unknown_section(r, at, text, word);
    if (schema[*kind].named && rest_len == 0)
        return fail(r, at, "[%s] needs a name: write [%s NAME]", schema[*kind].name,
                    schema[*kind].name);
    if (!schema[*kind].named && rest_len > 0)
        return fail(r, at, "[%s] takes no name, but has '%.*s%s'", schema[*kind].name,
                    SHOW(rest, rest_len));
    if (memchr(rest, '=', rest_len) || memchr(rest, '[', rest_len) || memchr(rest, ']', rest_len))
        return fail(r, at, "the name '%.*s%s' contains '=', '[' or ']', which a name cannot",
                    SHOW(rest, rest_len));
    if (rest_len > 0 && !(*name = dup_range(rest, rest_len)))
        return out_of_memory(r);
    return 0;
}

static int read_header(struct reader *r, struct where at, const char *line, size_t len)
{
    const char *inner = line + 1;
    size_t inner_len = len >= 2 ? len - 2 : 0;
    const struct raw_section *old;
    char *name;
    int kind;
    trim(&inner, &inner_len);
    if (len < 2 || line[len - 1] != ']' || inner_len == 0 || memchr(inner, '[', inner_len) ||
        memchr(inner, ']', inner_len))
        return fail(r, at, "malformed section header '%.*s%s': write [section] or "
                    "[section NAME]", SHOW(line, len));
    if (parse_path(r, at, inner, inner_len, &kind, &name) != 0)
        return -1;
    old = find_section(r, kind, name);
    if (old) {
        fail(r, at, "duplicate section [%s%s%.*s%s]: it is already at line %ld",
             schema[kind].name, gap(name), NAME(name), old->at.line);
        free(name);
        return -1;
    }
    if (!add_section(r, kind, name, at)) {
        free(name);
        return out_of_memory(r);
    }
    r->current = (long)r->n_sections - 1;
    return 0;
}

/* Give a section's key its text; a file refuses a second value, a --set replaces it. */
static int assign(struct reader *r, struct raw_section *s, const char *key, size_t key_len,
                  const char *value, size_t value_len, struct where at)
{
    const struct section_def *def = &schema[s->kind];
    struct raw_value *v;
    char *text;
    int k = find_key(s->kind, key, key_len);
    if (k < 0)
        return unknown_key(r, at, s, key, key_len);
    v = &s->values[k];
    if (v->text && !at.set)
        return fail(r, at, "duplicate key %s%s%.*s%s.%s: it is already set at line %ld",
                    def->name, gap(s->name), NAME(s->name), def->keys[k].name, v->at.line);
    if (value_len == 0)
        return fail(r, at, "%s%s%.*s%s.%s has no value: write one after '='", def->name,
                    gap(s->name), NAME(s->name), def->keys[k].name);
    text = dup_range(value, value_len);
    if (!text)
        return out_of_memory(r);
    if (!v->borrowed)
        free(v->text);
    v->text = text;
    v->at = at;
    v->borrowed = false;
    return 0;
}

static int read_assignment(struct reader *r, struct where at, const char *line, size_t len)
{
    const char *eq = memchr(line, '=', len), *key = line, *value;
    size_t key_len, value_len;
    if (!eq)
        return fail(r, at, "expected 'key = value' or a [section] header, found '%.*s%s'",
                    SHOW(line, len));
    key_len = (size_t)(eq - line);
    value = eq + 1;
    value_len = len - key_len - 1;
    trim(&key, &key_len);
    trim(&value, &value_len);
    if (key_len == 0)
        return fail(r, at, "missing key before '='");
    if (r->current < 0)
        return fail(r, at, "'%.*s%s' is outside any section: put it under a [section] header",
                    SHOW(key, key_len));
    return assign(r, &r->sections[r->current], key, key_len, value, value_len, at);
}

static int read_line(struct reader *r, long number, const char *line, size_t len)
{
    struct where at = {0, NULL};
    size_t i;
    at.line = number;
    if (memchr(line, '\0', len))
        return fail(r, at, "the file contains a NUL byte: is it a text file?");
    if (len > SS_SCENARIO_LINE_MAX)
        return fail(r, at, "the line is longer than %d bytes", SS_SCENARIO_LINE_MAX);
    /* A comment starts with # or ; at the start of the line or after a blank. */
    for (i = 0; i < len; i++)
        if ((line[i] == '#' || line[i] == ';') && (i == 0 || is_blank(line[i - 1])))
            break;
    len = i;
    trim(&line, &len);
    if (len == 0)
        return 0;
    if (line[0] == '[')
        return read_header(r, at, line, len);
    return read_assignment(r, at, line, len);
}

/* Lines end in LF, CRLF or a lone CR. */
static int read_text(struct reader *r, const char *text, size_t len)
{
    size_t pos = 0;
    long number = 0;
    if (len > (size_t)SS_SCENARIO_FILE_MAX)
        return fail(r, nowhere, "the file is larger than %ld bytes: is it a scenario?",
                    SS_SCENARIO_FILE_MAX);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) /* a UTF-8 byte order mark */
        pos = 3;
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n' && text[end] != '\r')
            end++;
        if (read_line(r, ++number, text + pos, end - pos) != 0)
            return -1;
        if (end < len && text[end] == '\r' && end + 1 < len && text[end + 1] == '\n')
            end++;
        pos = end + 1;
    }
    return 0;
}

/* ---- step 2: --set ---------------------------------------------------- */

/* "section[ NAME].key=value": the key path ends at the last '.' before the '='. */
static int apply_set(struct reader *r, const char *set)
{
    struct where at = {0, NULL};
    const char *eq = strchr(set, '='), *dot = NULL, *p, *key, *value;
    size_t key_len, value_len;
    struct raw_section *s;
    char *name;
    int kind;
    at.set = set;
    if (strlen(set) > SS_SCENARIO_LINE_MAX)
        return fail(r, nowhere, "a --set is longer than %d bytes", SS_SCENARIO_LINE_MAX);
    if (!eq)
        return fail(r, at, "expected section.key=value");
    for (p = set; p < eq; p++)
        if (*p == '.')
            dot = p;
    if (!dot)
        return fail(r, at, "expected section.key=value: no '.' before the '='");
    if (parse_path(r, at, set, (size_t)(dot - set), &kind, &name) != 0)
        return -1;
    s = find_section(r, kind, name);
    if (s) {
        free(name);
    } else if (!(s = add_section(r, kind, name, at))) {
        free(name);
        return out_of_memory(r);
    }
    key = dot + 1;
    key_len = (size_t)(eq - key);
    value = eq + 1;
    value_len = strlen(value);
    trim(&key, &key_len);
    trim(&value, &value_len);
    if (key_len == 0)
        return fail(r, at, "missing key after '.'");
    return assign(r, s, key, key_len, value, value_len, at);
}

/* ---- step 3: resolving ------------------------------------------------ */

static int parse_duration_key(const struct key_def *k, const char *text, ss_time *out,
                              char err[SS_ERR_TEXT])
{
    if (ss_parse_duration(text, out, err) != 0)
        return -1;
    if ((k->flags & F_POSITIVE) && *out == 0) {
        snprintf(err, SS_ERR_TEXT, "'%.*s%s' must be longer than 0s", SHOW(text, strlen(text)));
        return -1;
    }
    return 0;
}

static int parse_clock_key(const char *text, struct ss_clock *out, char err[SS_ERR_TEXT])
{
    if (ss_parse_clock(text, &out->origin, err) != 0)
        return -1;
    /* Whole seconds: then every time an output prints, cut to the second or
     * the millisecond, reads back at or after the start. */
    if (out->origin % SS_SECOND != 0) {
        snprintf(err, SS_ERR_TEXT, "'%s': the clock is set to the second: write HH:MM or "
                 "HH:MM:SS", text);
        return -1;
    }
    out->set = true;
    return 0;
}

static int parse_dist_key(const struct key_def *k, const char *text, struct ss_dist *out,
                          char err[SS_ERR_TEXT])
{
    if ((k->flags & F_RETRY) && strcmp(text, "0") == 0) { /* SPEC: "0 = deferred" */
        *out = ss_dist_const(0);
        return 0;
    }
    if (ss_parse_dist(text, out, err) != 0)
        return -1;
    if ((k->flags & F_RETRY) && !(out->kind == SS_DIST_CONST && out->a == 0) &&
        ss_dist_mean(out) < (double)SS_SECOND) {
        snprintf(err, SS_ERR_TEXT, "'%.*s%s' is too quick: a retry waits 1s or more on "
                 "average (write 0 for no retry)", SHOW(text, strlen(text)));
        return -1;
    }
    return 0;
}

/* "poisson" (random, the default) or "regular" (evenly spaced, for examples
 * worked out by hand). */
static int parse_arrivals(const char *text, bool *regular, char err[SS_ERR_TEXT])
{
    if (strcmp(text, "poisson") == 0 || strcmp(text, "regular") == 0) {
        *regular = text[0] == 'r';
        return 0;
    }
    snprintf(err, SS_ERR_TEXT, "'%.60s' is not an arrival pattern (write poisson or regular)",
             text);
    return -1;
}

/* One value into its field; sc is the scenario resolved so far (its clock). */
static int parse_value(const struct key_def *k, const char *text, void *field,
                       const struct ss_scenario *sc, char err[SS_ERR_TEXT])
{
    switch (k->type) {
    case T_DURATION:
        return parse_duration_key(k, text, field, err);
    case T_SEED:
        return ss_parse_u64(text, field, err);
    case T_INT:
        return ss_parse_int(text, k->min, k->max, field, err);
    case T_BOOL:
        return ss_parse_bool(text, field, err);
    case T_PROFILE:
        return ss_parse_profile(text, field, err);
    case T_CLOCK:
        return parse_clock_key(text, field, err);
    case T_INSTANT:
        return ss_parse_instant(text, &sc->clock, field, err);
    case T_DIST:
        return parse_dist_key(k, text, field, err);
    case T_DATABASE:
    case T_BATCH:
        return 0; /* a name: resolve_reference looks it up */
    case T_ACTION:
        return parse_action(text, field, err);
    case T_ARRIVALS:
        return parse_arrivals(text, field, err);
    }
    return -1;
}

/* Where a key's value came from; its section's header when not given. */
static struct where value_at(const struct raw_section *s, int kind, const char *key)
{
    int k;
    if (!s)
        return line_one;
    k = find_key(kind, key, strlen(key));
    assert(k >= 0);
    return s->values[k].text ? s->values[k].at : s->at;
}

/* The names of the file's sections of `kind`, "batch1, batch2", or "none". */
static const char *file_sections(const struct reader *r, int kind, char *buf, size_t size)
{
    size_t i, len = 0;
    buf[0] = '\0';
    for (i = 0; i < r->n_sections && len + 1 < size; i++) {
        const struct raw_section *s = &r->sections[i];
        if (s->kind == kind && !s->at.set && s->name) {
            int n = snprintf(buf + len, size - len, "%s%.40s", len ? ", " : "", s->name);
            len = n < 0 ? size : len + (size_t)n;
        }
    }
    return buf[0] ? buf : "none";
}

/* One key of section `s` (NULL: absent) into its field in `base`. */
static int resolve_key(struct reader *r, const struct raw_section *s, int kind,
                       const struct key_def *k, void *base)
{
    const struct section_def *def = &schema[kind];
    const struct raw_value *v = s ? &s->values[k - def->keys] : NULL;
    const char *text = v && v->text ? v->text : k->fallback;
    const char *name = s ? s->name : NULL;
    char err[SS_ERR_TEXT];
    if (!text) {
        if (!(k->flags & F_REQUIRED) || (!s && def->present >= 0))
            return 0;
        if (!s)
            return fail(r, line_one, "there is no [%s] section: add one, with %s = ...",
                        def->name, k->name);
        if (s->at.set && def->named) {
            /* A --set named a section the file does not have: most often a typo. */
            char names[200];
            return fail(r, s->at, "the file has no [%s%s%.*s%s], so this --set would start a "
                                  "new one, which lacks %s (the file has: %s)",
                        def->name, gap(name), NAME(name), k->name,
                        file_sections(r, kind, names, sizeof names));
        }
        return fail(r, s->at, "[%s%s%.*s%s] %s is required", def->name, gap(name), NAME(name),
                    k->name);
    }
    if (parse_value(k, text, (char *)base + k->offset, r->sc, err) == 0)
        return 0;
    assert(v && v->text); /* every default parses */
    return fail(r, v->at, "%s%s%.*s%s.%s: %s", def->name, gap(name), NAME(name), k->name, err);
}

static int resolve_section(struct reader *r, const struct raw_section *s, int kind, void *base)
{
    size_t i;
    for (i = 0; i < schema[kind].n_keys; i++)
        if (resolve_key(r, s, kind, &schema[kind].keys[i], base) != 0)
            return -1;
    return 0;
}

/* The hysteresis needs resume_backlog below max_backlog (SPEC section 1). */
static int resolve_resume(struct reader *r, const struct raw_section *s)
{
    struct ss_scenario *sc = r->sc;
    if (sc->resume_backlog < 0)
        sc->resume_backlog = sc->max_backlog / 2;
    else if (sc->resume_backlog >= sc->max_backlog)
        return fail(r, value_at(s, S_SMTP, "resume_backlog"),
                    "smtp.resume_backlog: %lld must be below smtp.max_backlog (%lld)",
                    sc->resume_backlog, sc->max_backlog);
    return 0;
}

/* A daily profile that brings nothing in this run: warn. */
static int check_load(struct reader *r, const struct raw_section *s, int kind)
{
    const struct ss_scenario *sc = r->sc;
    const struct ss_profile *p = kind == S_DELIVERY ? &sc->delivery_rate : &sc->owa_rate;
    char from[SS_TIME_TEXT], to[SS_TIME_TEXT];
    if (!s || !p->daily || ss_profile_peak(p) <= 0 ||
        ss_profile_count(p, &sc->clock, 0, sc->duration) > 0)
        return 0;
    return warn(r, value_at(s, kind, "rate"),
                "%s.rate: nothing arrives in this run: the profile's rate is 0 from %s to %s, "
                "all of the run", schema[kind].name, ss_clock_hms(from, &sc->clock, 0),
                ss_clock_hms(to, &sc->clock, sc->duration));
}

static int resolve_single(struct reader *r, int kind)
{
    const struct raw_section *s = find_section(r, kind, NULL);
    if (schema[kind].present >= 0)
        *(bool *)((char *)r->sc + schema[kind].present) = s != NULL;
    if (kind == S_SMTP)
        r->sc->resume_backlog = -1; /* not given, until resolve_key says otherwise */
    if (resolve_section(r, s, kind, r->sc) != 0)
        return -1;
    if (kind == S_DELIVERY || kind == S_OWA)
        return check_load(r, s, kind);
    return kind == S_SMTP ? resolve_resume(r, s) : 0;
}

static size_t count_sections(const struct reader *r, int kind)
{
    return r->n_kind[kind];
}

static int resolve_databases(struct reader *r)
{
    struct ss_scenario *sc = r->sc;
    size_t i, n = count_sections(r, S_DATABASE);
    sc->databases = calloc(n ? n : 1, sizeof *sc->databases);
    if (!sc->databases)
        return out_of_memory(r);
    if (n == 0) { /* SPEC section 1: one database, with every default */
        sc->n_databases = 1;
        sc->databases[0].name = dup_range(SS_DEFAULT_DATABASE, strlen(SS_DEFAULT_DATABASE));
        if (!sc->databases[0].name)
            return out_of_memory(r);
        return resolve_section(r, NULL, S_DATABASE, &sc->databases[0]);
    }
    for (i = 0; i < r->n_sections; i++) {
        const struct raw_section *s = &r->sections[i];
        struct ss_database *db = &sc->databases[sc->n_databases];
        if (s->kind != S_DATABASE)
            continue;
        sc->n_databases++;
        if (!(db->name = dup_range(s->name, strlen(s->name))))
            return out_of_memory(r);
        if (resolve_section(r, s, S_DATABASE, db) != 0)
            return -1;
        if (sc->mta_enabled && db->gateway_out_threads == 0 &&
            warn(r, value_at(s, S_DATABASE, "gateway_out_threads"),
                 "database %.*s%s has gateway_out_threads = 0, the mark of a disabled MTA "
                 "(KB 810489), but mta.enabled is true", NAME(db->name)) != 0)
            return -1;
    }
    return 0;
}

/* "A, B, C": the `name` of n structs of `stride` bytes from `first` (the
 * databases, the batches), cut short with "..." when it does not fit;
 * "none" when n is 0. */
static const char *name_list(const void *first, size_t stride, size_t n, char *buf, size_t size)
{
    size_t i, used = 0;
    buf[0] = '\0';
    for (i = 0; i < n && used + 1 < size; i++) {
        const char *name = *(const char *const *)(const void *)((const char *)first + i * stride);
        used += (size_t)snprintf(buf + used, size - used, "%s%.*s%s", i ? ", " : "", NAME(name));
    }
    if (used + 1 >= size && size > 4)
        strcpy(buf + size - 4, "...");
    return n ? buf : "none";
}

static const char *database_list(const struct ss_scenario *sc, char *buf, size_t size)
{
    return name_list(&sc->databases[0].name, sizeof sc->databases[0], sc->n_databases, buf, size);
}

static int resolve_move_database(struct reader *r, const struct raw_section *s,
                                 struct ss_move *mv)
{
    const struct ss_scenario *sc = r->sc;
    const struct raw_value *v = &s->values[find_key(S_MOVE, "database", strlen("database"))];
    const struct raw_section *db;
    char list[512];
    if (!v->text) {
        if (sc->n_databases == 1)
            return 0; /* mv->database is 0: the only one */
        return fail(r, s->at, "[move %.*s%s] must name its source database (database = NAME): "
                    "defined: %s", NAME(s->name), database_list(sc, list, sizeof list));
    }
    if (count_sections(r, S_DATABASE) == 0) {
        if (strcmp(v->text, SS_DEFAULT_DATABASE) == 0)
            return 0; /* the default database, named */
    } else if ((db = find_section(r, S_DATABASE, v->text)) != NULL) {
        mv->database = db->ordinal;
        return 0;
    }
    return fail(r, v->at, "move %.*s%s: database \"%.*s%s\" is not defined; defined: %s",
                NAME(s->name), SHOW(v->text, strlen(v->text)),
                database_list(sc, list, sizeof list));
}

static int resolve_moves(struct reader *r)
{
    struct ss_scenario *sc = r->sc;
    size_t i, n = count_sections(r, S_MOVE);
    if (n == 0)
        return 0;
    sc->moves = calloc(n, sizeof *sc->moves);
    if (!sc->moves)
        return out_of_memory(r);
    for (i = 0; i < r->n_sections; i++) {
        const struct raw_section *s = &r->sections[i];
        struct ss_move *mv = &sc->moves[sc->n_moves];
        if (s->kind != S_MOVE)
            continue;
        sc->n_moves++;
        if (!(mv->name = dup_range(s->name, strlen(s->name))))
            return out_of_memory(r);
        if (resolve_section(r, s, S_MOVE, mv) != 0 || resolve_move_database(r, s, mv) != 0)
            return -1;
        if (mv->start >= sc->duration && mv->mailboxes > 0) {
            char start[SS_TIME_TEXT], end[SS_TIME_TEXT];
            if (warn(r, value_at(s, S_MOVE, "start"),
                     "move %.*s%s starts at %s, when the run is over (it ends at %s): it moves "
                     "nothing; lengthen simulation.duration or start it earlier",
                     NAME(mv->name), ss_clock_hms(start, &sc->clock, mv->start),
                     ss_clock_hms(end, &sc->clock, sc->duration)) != 0)
                return -1;
        }
    }
    return 0;
}


/* An action's database (set_gateway_out_threads) or batch (cancel_move), by
 * name; the only one when it names none. */
static int resolve_action_target(struct reader *r, const struct raw_section *s,
                                 struct ss_action *ac)
{
    const struct ss_scenario *sc = r->sc;
    bool db = ac->what == SS_ACT_SET_GATEWAY;
    const char *key = db ? "database" : "batch";
    const struct raw_value *v = &s->values[find_key(S_ACTION, key, strlen(key))];
    size_t n = db ? sc->n_databases : sc->n_moves, i;
    char list[512] = "none";
    if (db)
        database_list(sc, list, sizeof list);
    else if (n)
        name_list(&sc->moves[0].name, sizeof sc->moves[0], n, list, sizeof list);
    if (!v->text) {
        if (n == 1)
            return 0; /* the only one: index 0 */
        if (n == 0)
            return fail(r, s->at, "[action %.*s%s] cancels a move batch, but the scenario has "
                        "no [move NAME]", NAME(s->name));
        return fail(r, s->at, "[action %.*s%s] must name its %s (%s = NAME): defined: %s",
                    NAME(s->name), db ? "database" : "move batch", key, list);
    }
    for (i = 0; i < n; i++)
        if (strcmp(v->text, db ? sc->databases[i].name : sc->moves[i].name) == 0) {
            *(db ? &ac->database : &ac->batch) = i;
            return 0;
        }
    return fail(r, v->at, "action %.*s%s: %s \"%.*s%s\" is not defined; defined: %s",
                NAME(s->name), db ? "database" : "move batch", SHOW(v->text, strlen(v->text)),
                list);
}

/* The keys an action of its kind takes, the value it needs, and its time
 * within the run. */
static int check_action(struct reader *r, const struct raw_section *s, struct ss_action *ac)
{
    const struct ss_scenario *sc = r->sc;
    const struct section_def *def = &schema[S_ACTION];
    char at[SS_TIME_TEXT], end[SS_TIME_TEXT];
    size_t k;
    for (k = 0; k < def->n_keys; k++)
        if (s->values[k].text && !action_takes(ac->what, def->keys[k].name))
            return fail(r, s->values[k].at, "action %.*s%s: %s has no meaning for %s",
                        NAME(s->name), def->keys[k].name, ss_action_word(ac->what));
    if (ac->what == SS_ACT_SET_GATEWAY && !s->values[find_key(S_ACTION, "value", 5)].text)
        return fail(r, s->at, "[action %.*s%s] sets Gateway Out Threads: it needs value = N "
                    "(0 marks a disabled MTA, KB 810489)", NAME(s->name));
    if ((ac->what == SS_ACT_SET_GATEWAY || ac->what == SS_ACT_CANCEL_MOVE) &&
        resolve_action_target(r, s, ac) != 0)
        return -1;
    if (ac->at > sc->duration)
        return fail(r, value_at(s, S_ACTION, "at"), "action %.*s%s.at: %s is after the end of "
                    "the run (%s): lengthen simulation.duration or act earlier", NAME(s->name),
                    ss_clock_hms(at, &sc->clock, ac->at), ss_clock_hms(end, &sc->clock,
                                                                     sc->duration));
    return 0;
}

static int resolve_actions(struct reader *r)
{
    struct ss_scenario *sc = r->sc;
    size_t i, n = count_sections(r, S_ACTION);
    if (n == 0)
        return 0;
    sc->actions = calloc(n, sizeof *sc->actions);
    if (!sc->actions)
        return out_of_memory(r);
    for (i = 0; i < r->n_sections; i++) {
        const struct raw_section *s = &r->sections[i];
        struct ss_action *ac = &sc->actions[sc->n_actions];
        if (s->kind != S_ACTION)
            continue;
        sc->n_actions++;
        if (!(ac->name = dup_range(s->name, strlen(s->name))))
            return out_of_memory(r);
        if (resolve_section(r, s, S_ACTION, ac) != 0 || check_action(r, s, ac) != 0)
            return -1;
    }
    return 0;
}

static int resolve(struct reader *r)
{
    int kind, rc;
    for (kind = 0; kind < S_COUNT; kind++) {
        if (kind == S_DATABASE)
            rc = resolve_databases(r);
        else if (kind == S_MOVE)
            rc = resolve_moves(r);
        else if (kind == S_ACTION)
            rc = resolve_actions(r);
        else
            rc = resolve_single(r, kind);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* "scenarios/kb924567.scn" -> "kb924567". */
static int name_scenario(struct reader *r, struct ss_scenario *sc, const char *path)
{
    const char *base = path, *p, *dot = NULL;
    for (p = path; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    for (p = base; *p; p++)
        if (*p == '.' && p != base)
            dot = p;
    sc->path = dup_range(path, strlen(path));
    sc->name = dup_range(base, dot ? (size_t)(dot - base) : strlen(base));
    return sc->path && sc->name ? 0 : out_of_memory(r);
}

static void free_reader(struct reader *r)
{
    size_t i, k;
    for (i = 0; i < r->n_sections; i++) {
        if (!r->sections[i].borrowed)
            free(r->sections[i].name);
        for (k = 0; k < KEYS_MAX; k++)
            if (!r->sections[i].values[k].borrowed)
                free(r->sections[i].values[k].text);
    }
    free(r->sections);
    free(r->index);
}

/* ---- the public functions --------------------------------------------- */

/* A file read into sections (steps 1), ready to be resolved (steps 2 and 3)
 * any number of times. */
struct ss_scenario_file {
    struct reader r;   /* its sections and their index; path, err and sc unset */
    char *path;
    bool empty;        /* nothing but blanks: say so when it does not resolve */
    size_t size;       /* its bytes, and their FNV-1a hash */
    uint64_t hash;
};

/* FNV-1a, 64 bits. */
static uint64_t hash_bytes(const char *text, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    size_t i;
    for (i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 1099511628211ULL;
    return h;
}

void ss_scenario_file_digest(const struct ss_scenario_file *f, size_t *size, uint64_t *hash)
{
    *size = f->size;
    *hash = f->hash;
}

/* Nothing but a byte order mark, blanks and line ends. */
static bool is_empty(const char *text, size_t len)
{
    size_t i = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (; i < len; i++)
        if (!is_blank(text[i]) && text[i] != '\r' && text[i] != '\n')
            return false;
    return true;
}

int ss_scenario_file_parse(const char *path, const char *text, size_t len,
                           struct ss_scenario_file **out, struct ss_error *err)
{
    struct ss_scenario_file *f = calloc(1, sizeof *f);
    struct ss_scenario scratch;
    struct ss_text decoded;
    int rc;
    *out = NULL;
    memset(&decoded, 0, sizeof decoded);
    err->text[0] = '\0';
    memset(&scratch, 0, sizeof scratch);
    if (!f || !(f->path = dup_range(path, strlen(path)))) {
        free(f);
        snprintf(err->text, sizeof err->text, "%.*s%s: error: out of memory",
                 shown_len(strlen(path), PATH_SHOWN_MAX), path, more(strlen(path), PATH_SHOWN_MAX));
        return -1;
    }
    f->r.path = f->path;
    f->r.err = err;
    f->r.current = -1;
    f->r.sc = &scratch; /* warnings are made when resolving, not here */
    f->size = len;
    f->hash = hash_bytes(text, len); /* of the bytes as they are on disk */
    /* A file saved by Notepad as "Unicode" is UTF-16: read as the same text
     * in UTF-8 (encoding.h). One too large is refused as such by read_text. */
    if (len <= (size_t)SS_SCENARIO_FILE_MAX) {
        rc = ss_text_decode(text, len, &decoded);
        if (rc != SS_TEXT_OK) {
            struct where at = {0, NULL};
            at.line = decoded.line;
            if (rc == SS_TEXT_NO_MEMORY)
                out_of_memory(&f->r);
            else
                fail(&f->r, at, "%s", decoded.why);
            ss_scenario_file_free(f);
            return -1;
        }
        if (decoded.text) {
            text = decoded.text;
            len = decoded.len;
        }
    }
    f->empty = is_empty(text, len);
    rc = read_text(&f->r, text, len);
    ss_text_free(&decoded); /* values were copied (dup_range) */
    f->r.err = NULL;
    f->r.sc = NULL;
    if (rc != 0) {
        ss_scenario_file_free(f);
        return -1;
    }
    *out = f;
    return 0;
}

void ss_scenario_file_free(struct ss_scenario_file *f)
{
    if (!f)
        return;
    free_reader(&f->r);
    free(f->path);
    free(f);
}

/* A reader over the file's sections that shares their text: --set and
 * resolving change only what it owns. */
static int borrow(struct reader *r, const struct ss_scenario_file *f)
{
    size_t i, k;
    *r = f->r;
    r->current = -1;
    r->sections = NULL;
    r->index = NULL;
    r->cap_sections = r->n_sections;
    if (f->r.n_sections) {
        r->sections = malloc(f->r.n_sections * sizeof *r->sections);
        if (!r->sections)
            return -1;
        memcpy(r->sections, f->r.sections, f->r.n_sections * sizeof *r->sections);
    }
    if (f->r.index_cap) {
        r->index = malloc(f->r.index_cap * sizeof *r->index);
        if (!r->index)
            return -1;
        memcpy(r->index, f->r.index, f->r.index_cap * sizeof *r->index);
    }
    for (i = 0; i < r->n_sections; i++) {
        r->sections[i].borrowed = true;
        for (k = 0; k < KEYS_MAX; k++)
            r->sections[i].values[k].borrowed = true;
    }
    return 0;
}

/* The message for a file with nothing in it that does not resolve: say so,
 * rather than name the first missing key (--set assignments could still
 * have made a scenario of it). */
static void empty_file(struct ss_error *err, const char *path)
{
    snprintf(err->text, sizeof err->text, "%.*s%s:1: error: the file is empty: a scenario "
             "needs at least [simulation] duration and [store] threads",
             shown_len(strlen(path), PATH_SHOWN_MAX), path, more(strlen(path), PATH_SHOWN_MAX));
}

static int resolve_file(const struct ss_scenario_file *f, bool read_from_disk,
                        const char *const *sets, size_t n_sets, struct ss_scenario *out,
                        struct ss_error *err)
{
    struct ss_scenario sc;
    struct reader r;
    size_t i;
    int rc;
    memset(out, 0, sizeof *out);
    memset(&sc, 0, sizeof sc);
    err->text[0] = '\0';
    rc = borrow(&r, f);
    r.err = err;
    r.sc = &sc;
    if (rc != 0)
        rc = out_of_memory(&r);
    for (i = 0; rc == 0 && i < n_sets; i++)
        rc = apply_set(&r, sets[i]);
    if (rc == 0)
        rc = resolve(&r);
    if (rc == 0)
        rc = name_scenario(&r, &sc, f->path);
    free_reader(&r);
    if (rc != 0) {
        ss_scenario_free(&sc);
        if (read_from_disk && f->empty)
            empty_file(err, f->path);
        return -1;
    }
    *out = sc;
    return 0;
}

int ss_scenario_resolve(const struct ss_scenario_file *f, const char *const *sets, size_t n_sets,
                        struct ss_scenario *out, struct ss_error *err)
{
    return resolve_file(f, true, sets, n_sets, out, err);
}

int ss_scenario_parse(const char *path, const char *text, size_t len,
                      const char *const *sets, size_t n_sets,
                      struct ss_scenario *out, struct ss_error *err)
{
    struct ss_scenario_file *f;
    int rc;
    memset(out, 0, sizeof *out);
    if (ss_scenario_file_parse(path, text, len, &f, err) != 0)
        return -1;
    rc = resolve_file(f, false, sets, n_sets, out, err);
    ss_scenario_file_free(f);
    return rc;
}

static int load_error(struct ss_error *err, const char *path, const char *what, const char *why)
{
    size_t n = strlen(path);
    snprintf(err->text, sizeof err->text, "%.*s%s: error: %s%s", shown_len(n, PATH_SHOWN_MAX),
             path, more(n, PATH_SHOWN_MAX), what, why);
    return -1;
}

int ss_scenario_file_read(const char *path, struct ss_scenario_file **out, struct ss_error *err)
{
    FILE *f;
    char *text;
    size_t len;
    int rc, bad;
    *out = NULL;
    errno = 0;
    f = fopen(path, "rb");
    if (!f)
        return load_error(err, path, "cannot open: ", errno ? strerror(errno) : "unknown reason");
    /* One byte past the limit, so that the parser can tell a file is too large. */
    text = malloc((size_t)SS_SCENARIO_FILE_MAX + 1);
    if (!text) {
        fclose(f);
        return load_error(err, path, "out of memory", "");
    }
    len = fread(text, 1, (size_t)SS_SCENARIO_FILE_MAX + 1, f);
    bad = ferror(f); /* a directory opens on some systems, then cannot be read */
    fclose(f);
    if (bad)
        rc = load_error(err, path, "cannot read (is it a directory?)", "");
    else if ((rc = ss_scenario_file_parse(path, text, len, out, err)) != 0 && is_empty(text, len))
        empty_file(err, path);
    free(text);
    return rc;
}

int ss_scenario_load(const char *path, const char *const *sets, size_t n_sets,
                     struct ss_scenario *out, struct ss_error *err)
{
    struct ss_scenario_file *f;
    int rc;
    memset(out, 0, sizeof *out);
    if (ss_scenario_file_read(path, &f, err) != 0)
        return -1;
    rc = ss_scenario_resolve(f, sets, n_sets, out, err);
    ss_scenario_file_free(f);
    return rc;
}

void ss_scenario_free(struct ss_scenario *sc)
{
    size_t i;
    if (!sc)
        return;
    free(sc->path);
    free(sc->name);
    for (i = 0; i < sc->n_databases; i++)
        free(sc->databases[i].name);
    free(sc->databases);
    for (i = 0; i < sc->n_moves; i++)
        free(sc->moves[i].name);
    free(sc->moves);
    for (i = 0; i < sc->n_actions; i++)
        free(sc->actions[i].name);
    free(sc->actions);
    for (i = 0; i < sc->n_warnings; i++)
        free(sc->warnings[i]);
    free(sc->warnings);
    memset(sc, 0, sizeof *sc);
}

/* A copy of a string that may be NULL; false only when out of memory. */
static bool copy_text(char **dst, const char *src)
{
    *dst = src ? dup_range(src, strlen(src)) : NULL;
    return !src || *dst;
}

static bool copy_lists(struct ss_scenario *dst, const struct ss_scenario *src)
{
    size_t i;
    if (src->n_databases && !(dst->databases = calloc(src->n_databases, sizeof *dst->databases)))
        return false;
    for (i = 0; i < src->n_databases; i++) {
        dst->n_databases++; /* before the name: a failed copy leaves NULL, safe to free */
        dst->databases[i].gateway_out_threads = src->databases[i].gateway_out_threads;
        if (!copy_text(&dst->databases[i].name, src->databases[i].name))
            return false;
    }
    if (src->n_moves && !(dst->moves = calloc(src->n_moves, sizeof *dst->moves)))
        return false;
    for (i = 0; i < src->n_moves; i++) {
        dst->n_moves++;
        dst->moves[i] = src->moves[i];
        if (!copy_text(&dst->moves[i].name, src->moves[i].name))
            return false;
    }
    if (src->n_actions && !(dst->actions = calloc(src->n_actions, sizeof *dst->actions)))
        return false;
    for (i = 0; i < src->n_actions; i++) {
        dst->n_actions++;
        dst->actions[i] = src->actions[i];
        if (!copy_text(&dst->actions[i].name, src->actions[i].name))
            return false;
    }
    if (src->n_warnings && !(dst->warnings = calloc(src->n_warnings, sizeof *dst->warnings)))
        return false;
    for (i = 0; i < src->n_warnings; i++) {
        dst->n_warnings++;
        if (!copy_text(&dst->warnings[i], src->warnings[i]))
            return false;
    }
    return true;
}

int ss_scenario_copy(struct ss_scenario *dst, const struct ss_scenario *src)
{
    *dst = *src;
    dst->path = dst->name = NULL;
    dst->databases = NULL;
    dst->moves = NULL;
    dst->actions = NULL;
    dst->warnings = NULL;
    dst->n_databases = dst->n_moves = dst->n_actions = dst->n_warnings = 0;
    if (copy_text(&dst->path, src->path) && copy_text(&dst->name, src->name) &&
        copy_lists(dst, src))
        return 0;
    ss_scenario_free(dst);
    return -1;
}

/* ---- each_key --------------------------------------------------------- */

static enum ss_key_kind kind_of(const struct key_def *k)
{
    if (k->type == T_SEED || k->type == T_INT)
        return SS_KEY_NUMBER;
    return k->type == T_BOOL ? SS_KEY_BOOL : SS_KEY_TEXT;
}

/* A point in time as it reads back exactly: with a clock, its time and day
 * ("22:00:00", "07:00:00+1d", "22:00:00.250000"); without, its span from
 * the start ("30m"). */
static char *instant_text(char *buf, size_t size, const struct ss_clock *c, ss_time t)
{
    char text[SS_TIME_TEXT];
    ss_time tod = ss_clock_time_of_day(c, t);
    if (!c->set)
        return strcpy(buf, ss_span_canonical(text, t));
    ss_time_hms(text, tod);
    if (tod % SS_SECOND)
        snprintf(text + strlen(text), sizeof text - strlen(text), ".%06lld",
                 (long long)(tod % SS_SECOND));
    if (ss_clock_day(c, t) > 0)
        snprintf(text + strlen(text), sizeof text - strlen(text), "+%lldd", ss_clock_day(c, t));
    snprintf(buf, size, "%s", text);
    return buf;
}

/* The value as a scenario would write it: the same value when read back.
 * NULL for a key with no value to give (a clock that is not set). */
static const char *value_text(const struct ss_scenario *sc, const struct key_def *k,
                              const void *field, char *buf, size_t size)
{
    char span[SS_TIME_TEXT];
    const struct ss_clock *clock = field;
    switch (k->type) {
    case T_DURATION:
        return strcpy(buf, ss_span_canonical(span, *(const ss_time *)field));
    case T_SEED:
        snprintf(buf, size, "%llu", (unsigned long long)*(const uint64_t *)field);
        return buf;
    case T_INT:
        snprintf(buf, size, "%lld", *(const long long *)field);
        return buf;
    case T_BOOL:
        return *(const bool *)field ? "true" : "false";
    case T_PROFILE:
        return ss_profile_text(buf, size, field);
    case T_CLOCK:
        if (!clock->set)
            return NULL;
        return instant_text(buf, size, clock, 0);
    case T_INSTANT:
        return instant_text(buf, size, &sc->clock, *(const ss_time *)field);
    case T_DIST:
        return ss_dist_text(buf, size, field);
    case T_DATABASE:
        assert(*(const size_t *)field < sc->n_databases);
        return sc->databases[*(const size_t *)field].name;
    case T_ARRIVALS:
        return *(const bool *)field ? "regular" : "poisson";
    case T_ACTION:
        return ss_action_word(*(const enum ss_action_kind *)field);
    case T_BATCH:
        assert(*(const size_t *)field < sc->n_moves);
        return sc->moves[*(const size_t *)field].name;
    }
    return "";
}

static void visit_section(const struct ss_scenario *sc, int kind, const char *name,
                          const void *base, ss_key_visitor visit, void *ctx)
{
    const struct section_def *def = &schema[kind];
    char key[SS_SCENARIO_LINE_MAX + 64], value[4096];
    size_t i;
    for (i = 0; i < def->n_keys; i++) {
        const struct key_def *k = &def->keys[i];
        const char *text;
        if (kind == S_ACTION && !action_takes(((const struct ss_action *)base)->what, k->name))
            continue; /* a key its kind of action does not take */
        text = value_text(sc, k, (const char *)base + k->offset, value, sizeof value);
        if (!text)
            continue; /* not given, and no default to show */
        snprintf(key, sizeof key, "%s%s%s.%s", def->name, gap(name), nm(name), k->name);
        visit(ctx, key, text, kind_of(k));
    }
}

void ss_scenario_each_key(const struct ss_scenario *sc, ss_key_visitor visit, void *ctx)
{
    size_t i;
    int kind;
    for (kind = 0; kind < S_COUNT; kind++) {
        if (kind == S_DATABASE) {
            for (i = 0; i < sc->n_databases; i++)
                visit_section(sc, kind, sc->databases[i].name, &sc->databases[i], visit, ctx);
        } else if (kind == S_MOVE) {
            for (i = 0; i < sc->n_moves; i++)
                visit_section(sc, kind, sc->moves[i].name, &sc->moves[i], visit, ctx);
        } else if (kind == S_ACTION) {
            for (i = 0; i < sc->n_actions; i++)
                visit_section(sc, kind, sc->actions[i].name, &sc->actions[i], visit, ctx);
        } else if (schema[kind].present < 0 ||
                   *(const bool *)((const char *)sc + schema[kind].present)) {
            visit_section(sc, kind, NULL, sc, visit, ctx);
        }
    }
}
