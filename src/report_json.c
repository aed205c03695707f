/* report_json.c: one run as JSON (SPEC section 4). */
#include "storesim/report.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "storesim/totals.h"
#include "storesim/version.h"

static void json_time(struct ss_json *j, const char *key, ss_time t)
{
    if (t == SS_NEVER)
        ss_json_null(j, key);
    else
        ss_json_int(j, key, (long long)t);
}

static void json_key(void *ctx, const char *key, const char *value, enum ss_key_kind kind)
{
    struct ss_json *j = ctx;
    if (kind == SS_KEY_TEXT)
        ss_json_string(j, key, value);
    else
        ss_json_raw(j, key, value);
}

static void json_wait(struct ss_json *j, const struct ss_results *r, enum ss_kind kind)
{
    const struct ss_hist *h = &r->wait[kind];
    double hold = h->count ? r->hold_us[kind] / (double)h->count : 0.0;
    ss_json_begin_object(j, "wait_us");
    ss_json_double(j, "mean", ss_hist_mean(h));
    ss_json_int(j, "p50", (long long)ss_hist_quantile(h, 0.50));
    ss_json_int(j, "p95", (long long)ss_hist_quantile(h, 0.95));
    ss_json_int(j, "p99", (long long)ss_hist_quantile(h, 0.99));
    ss_json_int(j, "max", (long long)h->max);
    ss_json_uint(j, "count", (unsigned long long)h->count);
    ss_json_end_object(j);
    /* Wait plus hold of the tasks that started: the time in system of M/M/c. */
    ss_json_double(j, "hold_us_mean", hold);
    ss_json_double(j, "time_in_system_us_mean", ss_hist_mean(h) + hold);
}

/* The batches of the moves, each with its times and counts. */
static void json_batches(struct ss_json *j, const struct ss_scenario *sc,
                         const struct ss_results *r)
{
    size_t i;
    ss_json_begin_array(j, "batches");
    for (i = 0; i < r->n_batches; i++) {
        ss_json_begin_object(j, NULL);
        ss_json_string(j, "name", sc->moves[i].name);
        json_time(j, "started", r->batches[i].started);
        json_time(j, "done", r->batches[i].done);
        ss_json_uint(j, "submitted", r->batches[i].submitted);
        ss_json_uint(j, "completed", r->batches[i].completed);
        if (r->n_actions) { /* what restarts and cancellations left undone */
            ss_json_uint(j, "failed", r->batches[i].failed);
            ss_json_uint(j, "cancelled", r->batches[i].cancelled);
        }
        ss_json_end_object(j);
    }
    ss_json_end_array(j);
}

/* The objects of "totals" that close with more than the table's rows: each
 * kind's waits, and the batches of the moves. */
static const struct {
    const char *name;
    enum ss_kind kind;
    bool batches;
} objects[] = {
    {"delivery", SS_DELIVERY, false},
    {"owa", SS_OWA, false},
    {"moves", SS_MOVE, true},
    {"flushes", SS_FLUSH, false},
};

static void json_extras(struct ss_json *j, const char *object, const struct ss_scenario *sc,
                        const struct ss_results *r)
{
    size_t i;
    for (i = 0; i < sizeof objects / sizeof objects[0]; i++) {
        if (strcmp(objects[i].name, object) != 0)
            continue;
        json_wait(j, r, objects[i].kind);
        if (objects[i].batches)
            json_batches(j, sc, r);
    }
}

/* Length of the first component of a key: "delivery" of "delivery.arrived". */
static size_t head_len(const char *key)
{
    return strcspn(key, ".");
}

static void json_value(struct ss_json *j, const char *key, size_t i, const struct ss_results *r)
{
    double v = ss_total_value(i, r);
    if (ss_total(i)->unit == SS_UNIT_SHARE)
        ss_json_double(j, key, v);
    else
        ss_json_int(j, key, (long long)v);
}

/* The rows of object `name` (the keys that start "name."), in table order,
 * nested one object deeper for each further dot. */
static void json_object(struct ss_json *j, const char *name, size_t len, const struct ss_results *r)
{
    char inner[64] = ""; /* the object open inside this one, if any */
    char object[64];
    size_t i;
    snprintf(object, sizeof object, "%.*s", (int)len, name);
    ss_json_begin_object(j, object);
    for (i = 0; i < ss_totals_count(); i++) {
        const struct ss_total_def *t = ss_total(i);
        const char *rest, *dot;
        if (!ss_total_in(i, SS_IN_JSON, r->n_actions > 0) || head_len(t->key) != len ||
            strncmp(t->key, name, len) != 0 || t->key[len] != '.')
            continue;
        rest = t->key + len + 1;
        dot = strchr(rest, '.');
        if (inner[0] && (!dot || strncmp(rest, inner, (size_t)(dot - rest)) != 0 ||
                         inner[dot - rest] != '\0')) {
            ss_json_end_object(j);
            inner[0] = '\0';
        }
        if (dot && !inner[0]) {
            snprintf(inner, sizeof inner, "%.*s", (int)(dot - rest), rest);
            ss_json_begin_object(j, inner);
        }
        json_value(j, dot ? dot + 1 : rest, i, r);
    }
    if (inner[0])
        ss_json_end_object(j);
}

/* "totals": the objects in the order their first row comes, each closed by
 * its extras; then the plain values. */
static void json_totals(struct ss_json *j, const struct ss_scenario *sc, const struct ss_results *r)
{
    size_t i, k;
    ss_json_begin_object(j, "totals");
    for (i = 0; i < ss_totals_count(); i++) {
        const char *key = ss_total(i)->key;
        size_t len = head_len(key);
        bool seen = false;
        if (!ss_total_in(i, SS_IN_JSON, r->n_actions > 0) || key[len] != '.')
            continue;
        for (k = 0; k < i && !seen; k++)
            seen = ss_total_in(k, SS_IN_JSON, r->n_actions > 0) &&
                   head_len(ss_total(k)->key) == len &&
                   strncmp(ss_total(k)->key, key, len) == 0;
        if (seen)
            continue;
        json_object(j, key, len, r);
        {
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)len, key);
            json_extras(j, name, sc, r);
        }
        ss_json_end_object(j);
    }
    for (i = 0; i < ss_totals_count(); i++) {
        const struct ss_total_def *t = ss_total(i);
        if (ss_total_in(i, SS_IN_JSON, r->n_actions > 0) && !strchr(t->key, '.'))
            json_value(j, t->key, i, r);
    }
    ss_json_end_object(j);
}

/* "episodes": each symptom that comes and goes, by the key of the symptom it
 * starts with: every episode kept, its start and end (null: still going),
 * the times it started within (flapping folded in), and the time it held. */
static void json_episodes(struct ss_json *j, const struct ss_results *r)
{
    int e;
    ss_json_begin_object(j, "episodes");
    for (e = 0; e < SS_EPISODIC; e++) {
        const struct ss_episodes *list = &r->episodes[e];
        size_t i;
        ss_json_begin_object(j, ss_symptom_key(ss_episode_start_symptom((enum ss_episodic)e)));
        ss_json_uint(j, "count", list->count);
        ss_json_int(j, "total_us", (long long)list->total_us);
        ss_json_begin_array(j, "list");
        for (i = 0; i < list->n; i++) {
            const struct ss_episode *ep = &list->list[i];
            ss_json_begin_object(j, NULL);
            ss_json_int(j, "start", (long long)ep->start);
            json_time(j, "end", ep->end);
            ss_json_uint(j, "starts", ep->starts);
            ss_json_int(j, "active_us", (long long)ep->active_us);
            ss_json_end_object(j);
        }
        ss_json_end_array(j);
        ss_json_end_object(j);
    }
    ss_json_end_object(j);
}

/* "actions": each [action NAME] in file order, its time, and what it did. */
static void json_actions(struct ss_json *j, const struct ss_scenario *sc,
                         const struct ss_results *r)
{
    size_t i;
    if (r->n_actions == 0)
        return; /* a scenario without actions: its JSON as it always was */
    ss_json_begin_array(j, "actions");
    for (i = 0; i < r->n_actions; i++) {
        const struct ss_action *ac = &sc->actions[i];
        const struct ss_action_result *e = &r->actions[i];
        ss_json_begin_object(j, NULL);
        ss_json_string(j, "name", ac->name);
        ss_json_string(j, "do", ss_action_word(ac->what));
        ss_json_int(j, "at", (long long)ac->at);
        ss_json_bool(j, "changed", e->changed);
        if (ac->what == SS_ACT_RESTART_STORE || ac->what == SS_ACT_INSTALL_HOTFIX) {
            json_time(j, "store_up", e->up);
            ss_json_bool(j, "store_was_down", e->extended);
            ss_json_uint(j, "flushes_cleared", e->flushes_cleared);
            ss_json_uint(j, "messages_requeued", e->requeued);
            ss_json_uint(j, "moves_failed", e->moves_failed);
            ss_json_uint(j, "owa_failed", e->owa_failed);
        } else if (ac->what == SS_ACT_START_MTA) {
            ss_json_uint(j, "flushes_answered", e->flushes_changed);
        } else if (ac->what == SS_ACT_STOP_MTA) {
            ss_json_uint(j, "flushes_unanswered", e->flushes_changed);
        } else if (ac->what == SS_ACT_CANCEL_MOVE) {
            ss_json_uint(j, "mailboxes_cancelled", e->cancelled);
        }
        ss_json_end_object(j);
    }
    ss_json_end_array(j);
}

/* "warnings": the scenario's (when it was read) and the run's (what it
 * missed), as stderr had them. */
static void json_warnings(struct ss_json *j, const struct ss_scenario *sc,
                          const struct ss_results *r)
{
    size_t i;
    ss_json_begin_array(j, "warnings");
    for (i = 0; i < sc->n_warnings; i++)
        ss_json_string(j, NULL, sc->warnings[i]);
    for (i = 0; i < r->n_warnings; i++)
        ss_json_string(j, NULL, r->warnings[i]);
    ss_json_end_array(j);
}

void ss_report_json(struct ss_json *j, const char *key, const struct ss_scenario *sc,
                    const struct ss_results *r)
{
    int s;
    ss_json_begin_object(j, key);
    ss_json_begin_object(j, "scenario");
    ss_scenario_each_key(sc, json_key, j);
    ss_json_end_object(j);
    ss_json_begin_object(j, "symptoms");
    for (s = 0; s < SS_SYMPTOMS; s++)
        json_time(j, ss_symptom_key((enum ss_symptom)s), r->symptom[s]);
    ss_json_end_object(j);
    json_episodes(j, r);
    ss_json_begin_object(j, "events_us");
    json_time(j, "first_flush_registered", r->first_flush_registered);
    json_time(j, "first_flush_skipped", r->first_flush_skipped);
    json_time(j, "first_flush_timeout", r->first_flush_timeout);
    ss_json_end_object(j);
    json_actions(j, sc, r);
    json_totals(j, sc, r);
    json_warnings(j, sc, r);
    ss_json_uint(j, "events", (unsigned long long)r->events);
    ss_json_uint(j, "seed", (unsigned long long)sc->seed);
    ss_json_string(j, "version", ss_version()); /* the program that wrote it */
    ss_json_end_object(j);
}
