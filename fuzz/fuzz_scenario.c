/*
 * fuzz_scenario.c: a libFuzzer harness over the scenario reader.
 *
 * The input is split at its first NUL byte: before it, the text of a scenario
 * file; after it (up to the next NUL), one --set assignment. The harness
 *
 *   - parses them with ss_scenario_parse, as `storesim check` does;
 *   - on an error, checks the message: one line, "...: error: ...", and the
 *     scenario left empty;
 *   - on success, checks the resolved values are within their limits, walks
 *     ss_scenario_each_key, checks each value given back through --set means
 *     the same (the promise of scenario.h), copies and frees the scenario and
 *     works out the event estimate;
 *   - feeds the --set text (or the first line of the file) to each value
 *     parser of value.h, and checks what they accept reads back the same.
 *
 * Any broken check aborts, which libFuzzer reports as a crash; ASan and UBSan
 * report memory errors, leaks and undefined behaviour. Build and run it with
 * fuzz/run.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/estimate.h"
#include "storesim/scenario.h"
#include "storesim/value.h"

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "fuzz_scenario: check failed at line %d: %s\n", __LINE__, \
                    #cond);                                                          \
            abort();                                                                 \
        }                                                                            \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- each_key: collect "key=value" as --set assignments ---------------- */

struct keys {
    char **sets;
    size_t n, cap;
    int broken; /* out of memory */
};

static void collect(void *ctx, const char *key, const char *value, enum ss_key_kind kind)
{
    struct keys *k = ctx;
    size_t len;
    char *set;
    CHECK(key != NULL && value != NULL);
    CHECK(kind == SS_KEY_TEXT || kind == SS_KEY_NUMBER || kind == SS_KEY_BOOL);
    CHECK(strchr(key, '.') != NULL);
    if (k->broken)
        return;
    if (k->n == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 32;
        char **grown = realloc(k->sets, cap * sizeof *grown);
        if (!grown) {
            k->broken = 1;
            return;
        }
        k->sets = grown;
        k->cap = cap;
    }
    len = strlen(key) + 1 + strlen(value) + 1;
    set = malloc(len);
    if (!set) {
        k->broken = 1;
        return;
    }
    snprintf(set, len, "%s=%s", key, value);
    k->sets[k->n++] = set;
}

static void keys_free(struct keys *k)
{
    size_t i;
    for (i = 0; i < k->n; i++)
        free(k->sets[i]);
    free(k->sets);
    memset(k, 0, sizeof *k);
}

static int same_keys(const struct keys *a, const struct keys *b)
{
    size_t i;
    if (a->n != b->n)
        return 0;
    for (i = 0; i < a->n; i++)
        if (strcmp(a->sets[i], b->sets[i]) != 0)
            return 0;
    return 1;
}

/* ---- checks ------------------------------------------------------------ */

static size_t bounded_len(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

static void check_error(const struct ss_error *err, const struct ss_scenario *sc)
{
    struct ss_scenario zero;
    size_t len = bounded_len(err->text, sizeof err->text);
    const char *p;
    CHECK(len > 0 && len < sizeof err->text);
    CHECK(strstr(err->text, ": error: ") != NULL);
    for (p = err->text; *p; p++)
        CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
    memset(&zero, 0, sizeof zero);
    CHECK(memcmp(sc, &zero, sizeof zero) == 0);
}

static void check_dist(const struct ss_dist *d)
{
    CHECK(d->a >= 0 && d->a <= SS_DURATION_MAX);
    CHECK(d->b >= 0 && d->b <= SS_DURATION_MAX);
}

static void check_profile(const struct ss_profile *p)
{
    size_t i;
    CHECK(p->n >= 1 && p->n <= SS_PROFILE_MAX);
    for (i = 0; i < p->n; i++) {
        CHECK(p->rate[i].per_second >= 0 && p->rate[i].per_second <= SS_RATE_MAX);
        CHECK(p->at[i] >= 0 && p->at[i] < SS_DAY);
        CHECK(i == 0 || p->at[i] > p->at[i - 1]);
    }
}

static void check_limits(const struct ss_scenario *sc)
{
    size_t i;
    CHECK(sc->path && sc->name);
    CHECK(sc->duration > 0 && sc->duration <= SS_DURATION_MAX);
    CHECK(sc->sample_interval > 0 && sc->sample_interval <= SS_DURATION_MAX);
    CHECK(sc->threads >= 1 && sc->threads <= SS_THREADS_MAX);
    CHECK(sc->flush_time > 0 && sc->flush_timeout > 0);
    CHECK(sc->n_databases >= 1 && sc->databases);
    for (i = 0; i < sc->n_databases; i++)
        CHECK(sc->databases[i].name && sc->databases[i].gateway_out_threads >= 0);
    for (i = 0; i < sc->n_moves; i++) {
        const struct ss_move *mv = &sc->moves[i];
        CHECK(mv->name && mv->database < sc->n_databases);
        CHECK(mv->mailboxes >= 0 && mv->mailboxes <= SS_MAILBOXES_MAX);
        CHECK(mv->concurrency >= 1);
        CHECK(mv->start >= 0 && mv->start <= SS_DURATION_MAX);
        check_dist(&mv->duration);
    }
    if (sc->has_delivery) {
        check_profile(&sc->delivery_rate);
        check_dist(&sc->delivery_service);
        CHECK(sc->starvation_threshold > 0);
    }
    if (sc->has_owa) {
        check_profile(&sc->owa_rate);
        check_dist(&sc->owa_service);
        CHECK(sc->owa_timeout > 0);
    }
    CHECK(sc->max_backlog >= 1 && sc->resume_backlog >= 0 &&
          sc->resume_backlog < sc->max_backlog);
    check_dist(&sc->retry);
    for (i = 0; i < sc->n_warnings; i++)
        CHECK(strstr(sc->warnings[i], ": warning: ") != NULL);
}

static void check_estimate(const struct ss_scenario *sc)
{
    struct ss_estimate est;
    char line[1024];
    ss_estimate_detail(sc, &est);
    CHECK(isfinite(est.total) && est.total >= 0.0);
    CHECK(est.total == ss_estimate_events(sc));
    ss_estimate_refusal(line, sizeof line, sc, &est);
    CHECK(strstr(line, ": error: ") != NULL);
    ss_progress_text(line, sizeof line, sc->duration / 3, sc->duration, 12.5);
}

/* Each value given back through --set means the same: parse the text again
 * with every key set from each_key, and each_key must say the same. */
static void check_round_trip(const char *text, size_t len, const char *set,
                             const struct keys *first)
{
    struct ss_scenario again;
    struct ss_error err;
    struct keys second;
    const char **sets;
    size_t n = first->n + (set ? 1 : 0), i = 0;
    sets = malloc((n ? n : 1) * sizeof *sets);
    if (!sets)
        return;
    if (set)
        sets[i++] = set;
    memcpy(sets + i, first->sets, first->n * sizeof *sets);
    if (ss_scenario_parse("fuzz.scn", text, len, sets, n, &again, &err) != 0) {
        fprintf(stderr, "fuzz_scenario: each_key's values do not parse back: %s\n", err.text);
        abort();
    }
    memset(&second, 0, sizeof second);
    ss_scenario_each_key(&again, collect, &second);
    if (!second.broken)
        CHECK(same_keys(first, &second));
    keys_free(&second);
    ss_scenario_free(&again);
    free(sets);
}

static void check_valid(const char *text, size_t len, const char *set,
                        const struct ss_scenario *sc)
{
    struct ss_scenario copy;
    struct keys first, copied;
    check_limits(sc);
    check_estimate(sc);
    memset(&first, 0, sizeof first);
    memset(&copied, 0, sizeof copied);
    ss_scenario_each_key(sc, collect, &first);
    if (ss_scenario_copy(&copy, sc) == 0) {
        ss_scenario_each_key(&copy, collect, &copied);
        if (!first.broken && !copied.broken)
            CHECK(same_keys(&first, &copied));
        ss_scenario_free(&copy);
    }
    if (!first.broken)
        check_round_trip(text, len, set, &first);
    keys_free(&first);
    keys_free(&copied);
}

/* ---- the value parsers on their own ------------------------------------ */

static void fuzz_values(const char *text)
{
    char err[SS_ERR_TEXT], buf[256];
    ss_time t, back;
    struct ss_rate rate;
    struct ss_dist d, d2;
    bool b;
    long long ll;
    uint64_t u;
    if (ss_parse_duration(text, &t, err) == 0) {
        char span[SS_TIME_TEXT];
        CHECK(t >= 0 && t <= SS_DURATION_MAX);
        CHECK(ss_parse_duration(ss_span_canonical(span, t), &back, err) == 0 && back == t);
    } else {
        CHECK(bounded_len(err, SS_ERR_TEXT) > 0);
    }
    if (ss_parse_rate(text, &rate, err) == 0) {
        CHECK(rate.per_second == 0.0 ||
              (rate.per_second >= SS_RATE_MIN * (1 - 1e-9) && rate.per_second <= SS_RATE_MAX));
        CHECK((rate.count == 0) == (rate.per_second == 0.0));
        ss_rate_text(buf, sizeof buf, rate.per_second);
        CHECK(ss_parse_rate(buf, &rate, err) == 0);
    }
    if (ss_parse_dist(text, &d, err) == 0) {
        check_dist(&d);
        CHECK(ss_parse_dist(ss_dist_text(buf, sizeof buf, &d), &d2, err) == 0);
        CHECK(d2.kind == d.kind && d2.a == d.a && d2.b == d.b);
    }
    if (ss_parse_bool(text, &b, err) == 0)
        CHECK(strcmp(text, b ? "true" : "false") == 0);
    if (ss_parse_int(text, -5, 1000000, &ll, err) == 0)
        CHECK(ll >= 0 && ll <= 1000000);
    if (ss_parse_u64(text, &u, err) == 0) {
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)u);
        CHECK(strcmp(buf, text) == 0 || text[0] == '0');
    }
}

/* ---- the entry point --------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const uint8_t *nul = memchr(data, '\0', size);
    size_t len = nul ? (size_t)(nul - data) : size;
    char *set = NULL, *line;
    struct ss_scenario sc;
    struct ss_error err;
    int rc;

    if (nul) { /* the rest, to its own NUL, is one --set */
        size_t rest = size - len - 1, n = 0;
        while (n < rest && nul[1 + n] != '\0')
            n++;
        set = malloc(n + 1);
        if (!set)
            return 0;
        memcpy(set, nul + 1, n);
        set[n] = '\0';
    }
    rc = ss_scenario_parse("fuzz.scn", text, len, (const char *const *)&set, set ? 1 : 0, &sc,
                           &err);
    if (rc != 0) {
        check_error(&err, &sc);
        ss_scenario_free(&sc); /* an empty scenario frees safely */
    } else {
        check_valid(text, len, set, &sc);
        ss_scenario_free(&sc);
    }

    /* The value parsers: the --set text, or else the first line of the file. */
    if (set) {
        fuzz_values(set);
    } else {
        size_t n = 0;
        while (n < len && text[n] != '\n')
            n++;
        line = malloc(n + 1);
        if (line) {
            memcpy(line, text, n);
            line[n] = '\0';
            fuzz_values(line);
            free(line);
        }
    }
    free(set);
    return 0;
}
