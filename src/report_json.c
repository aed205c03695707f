/* report_json.c: one run as JSON (SPEC section 4). */
#include "storesim/report.h"

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

static void json_totals(struct ss_json *j, const struct ss_scenario *sc, const struct ss_results *r)
{
    size_t i;
    int k;
    ss_json_begin_object(j, "totals");

    ss_json_begin_object(j, "delivery");
    ss_json_uint(j, "arrived", r->delivery.arrived);
    ss_json_uint(j, "delivered", r->delivery.delivered);
    ss_json_int(j, "queued", r->delivery.queued);
    ss_json_uint(j, "refused", r->delivery.refused);
    ss_json_uint(j, "deferred", r->delivery.deferred);
    ss_json_uint(j, "retrying", r->delivery.retrying);
    json_wait(j, r, SS_DELIVERY);
    ss_json_end_object(j);

    ss_json_begin_object(j, "owa");
    ss_json_uint(j, "arrived", r->owa.arrived);
    ss_json_uint(j, "served", r->owa.served);
    ss_json_uint(j, "failed", r->owa.failed);
    ss_json_int(j, "waiting", r->owa.waiting);
    ss_json_int(j, "in_progress", r->owa.in_progress);
    json_wait(j, r, SS_OWA);
    ss_json_end_object(j);

    ss_json_begin_object(j, "moves");
    ss_json_uint(j, "submitted", r->moves.submitted);
    ss_json_uint(j, "completed", r->moves.completed);
    json_wait(j, r, SS_MOVE);
    ss_json_begin_array(j, "batches");
    for (i = 0; i < r->n_batches; i++) {
        ss_json_begin_object(j, NULL);
        ss_json_string(j, "name", sc->moves[i].name);
        json_time(j, "started", r->batches[i].started);
        json_time(j, "done", r->batches[i].done);
        ss_json_uint(j, "submitted", r->batches[i].submitted);
        ss_json_uint(j, "completed", r->batches[i].completed);
        ss_json_end_object(j);
    }
    ss_json_end_array(j);
    ss_json_end_object(j);

    ss_json_begin_object(j, "flushes");
    ss_json_uint(j, "registered", r->flushes.registered);
    ss_json_uint(j, "skipped", r->flushes.skipped);
    ss_json_uint(j, "completed", r->flushes.completed);
    ss_json_uint(j, "timed_out", r->flushes.timed_out);
    json_wait(j, r, SS_FLUSH);
    ss_json_end_object(j);

    ss_json_begin_object(j, "pool");
    ss_json_int(j, "threads", r->pool.threads);
    ss_json_int(j, "max_busy", r->pool.max_busy);
    ss_json_double(j, "utilization", r->pool.utilization);
    ss_json_begin_object(j, "utilization_by_kind");
    for (k = 0; k < SS_KINDS; k++)
        ss_json_double(j, ss_kind_name((enum ss_kind)k),
                       r->pool.busy_us[k] / ((double)r->pool.threads * (double)r->end));
    ss_json_end_object(j);
    ss_json_end_object(j);

    ss_json_int(j, "starved_us", (long long)r->starved_us);
    ss_json_uint(j, "starved_episodes", r->starved_episodes);
    ss_json_int(j, "max_backlog", r->max_backlog);
    ss_json_end_object(j);
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
    ss_json_begin_object(j, "events_us");
    json_time(j, "first_flush_registered", r->first_flush_registered);
    json_time(j, "first_flush_skipped", r->first_flush_skipped);
    json_time(j, "first_flush_timeout", r->first_flush_timeout);
    ss_json_end_object(j);
    json_totals(j, sc, r);
    ss_json_uint(j, "events", (unsigned long long)r->events);
    ss_json_uint(j, "seed", (unsigned long long)sc->seed);
    ss_json_end_object(j);
}
