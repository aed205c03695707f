/*
 * totals.c: the table of totals (see totals.h).
 *
 * The order of the rows is the order of every view: the report's sentences,
 * the JSON objects, the compare table, the summaries and the sweep CSV.
 */
#include "storesim/totals.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "storesim/stats.h"

/* A field of struct ss_results, by its type. */
#define U64(field) SS_READ_U64, offsetof(struct ss_results, field), NULL, 0
#define LL(field) SS_READ_LL, offsetof(struct ss_results, field), NULL, 0
#define TIME(field) SS_READ_TIME, offsetof(struct ss_results, field), NULL, 0
#define DOUBLE(field) SS_READ_DOUBLE, offsetof(struct ss_results, field), NULL, 0
/* A value worked out from the results by fn(results, arg). */
#define FN(fn, arg) SS_READ_FN, 0, fn, arg

#define JSON SS_IN_JSON
#define COMPARE SS_IN_COMPARE
#define SUMMARY SS_IN_SUMMARY
#define ACTIONS (SS_IN_JSON | SS_IN_COMPARE | SS_IN_SUMMARY | SS_WITH_ACTIONS)

/* Flushes registered that neither completed nor timed out: still holding a
 * thread, or waiting for one, at the end. */
static double flushes_holding(const struct ss_results *r, int arg)
{
    (void)arg;
    return (double)(r->flushes.registered - r->flushes.completed - r->flushes.timed_out -
                    r->flushes.cleared);
}

/* The share of all thread time spent on tasks of kind `arg`. */
static double kind_share(const struct ss_results *r, int arg)
{
    return r->pool.busy_us[arg] / ((double)r->pool.threads * (double)r->end);
}

/* The episodes of symptom `arg` (enum ss_episodic), and their time. */
static double episodes(const struct ss_results *r, int arg)
{
    return (double)r->episodes[arg].count;
}

static double episodes_time(const struct ss_results *r, int arg)
{
    return (double)r->episodes[arg].total_us;
}

static double wait_mean(const struct ss_results *r, int arg)
{
    return ss_hist_mean(&r->wait[arg]);
}

static double wait_p99(const struct ss_results *r, int arg)
{
    return (double)ss_hist_quantile(&r->wait[arg], 0.99);
}

static const struct ss_total_def totals[] = {
    {"delivery.arrived", "Messages arrived", SS_UNIT_COUNT, JSON | COMPARE | SUMMARY,
     "Local delivery: # messages arrived, ", U64(delivery.arrived)},
    {"delivery.delivered", "Messages delivered", SS_UNIT_COUNT, JSON | COMPARE | SUMMARY,
     "# delivered, ", U64(delivery.delivered)},
    {"delivery.queued", "Messages still queued", SS_UNIT_COUNT, JSON | COMPARE | SUMMARY,
     "# still queued at the end. ", LL(delivery.queued)},
    {"delivery.refused", "SMTP refusals", SS_UNIT_COUNT, JSON | COMPARE | SUMMARY,
     "SMTP refused # {attempt|attempts}; ", U64(delivery.refused)},
    {"delivery.deferred", "Messages deferred", SS_UNIT_COUNT, JSON | COMPARE | SUMMARY,
     "# deferred, ", U64(delivery.deferred)},
    {"delivery.retrying", "Messages waiting to retry", SS_UNIT_COUNT, JSON | COMPARE | SUMMARY,
     "# waiting at the sender to retry. ", U64(delivery.retrying)},
    {"starved_us", "Time starved", SS_UNIT_US, JSON | COMPARE | SUMMARY,
     "Starved for # in all (", TIME(starved_us)},
    {"starved_episodes", "Starvation episodes", SS_UNIT_COUNT, JSON | COMPARE | SUMMARY,
     "# {episode|episodes}); ", U64(starved_episodes)},
    {"max_backlog", "Largest backlog", SS_UNIT_COUNT, JSON | COMPARE | SUMMARY,
     "the largest backlog was # messages.\n", LL(max_backlog)},
    {"smtp_episodes", "SMTP stop episodes", SS_UNIT_COUNT, JSON | COMPARE | SUMMARY, NULL,
     FN(episodes, SS_EP_SMTP)},
    {"smtp_stopped_us", "Time SMTP stopped", SS_UNIT_US, JSON | COMPARE | SUMMARY, NULL,
     FN(episodes_time, SS_EP_SMTP)},

    {"owa.arrived", "OWA requests arrived", SS_UNIT_COUNT, JSON,
     "OWA: # requests arrived, ", U64(owa.arrived)},
    {"owa.served", "OWA requests served", SS_UNIT_COUNT, JSON | COMPARE | SUMMARY,
     "# served, ", U64(owa.served)},
    {"owa.failed", "OWA requests failed", SS_UNIT_COUNT, JSON | COMPARE | SUMMARY,
     "# failed; ", U64(owa.failed)},
    {"owa_episodes", "OWA unresponsive episodes", SS_UNIT_COUNT, JSON | COMPARE | SUMMARY, NULL,
     FN(episodes, SS_EP_OWA)},
    {"owa_unresponsive_us", "Time OWA unresponsive", SS_UNIT_US, JSON | COMPARE | SUMMARY, NULL,
     FN(episodes_time, SS_EP_OWA)},
    {"owa.waiting", "OWA requests waiting", SS_UNIT_COUNT, JSON,
     "at the end # waiting and ", LL(owa.waiting)},
    {"owa.in_progress", "OWA requests being served", SS_UNIT_COUNT, JSON,
     "# being served.\n", LL(owa.in_progress)},

    {"moves.submitted", "Mailbox moves submitted", SS_UNIT_COUNT, JSON,
     "Moves: # mailbox moves submitted, ", U64(moves.submitted)},
    {"moves.completed", "Mailbox moves completed", SS_UNIT_COUNT, JSON | COMPARE | SUMMARY,
     "# completed. ", U64(moves.completed)},
    {"flushes.registered", "Flushes registered", SS_UNIT_COUNT, JSON | COMPARE | SUMMARY,
     "Flushes: # registered, ", U64(flushes.registered)},
    {"flushes.skipped", "Flushes skipped", SS_UNIT_COUNT, JSON | COMPARE | SUMMARY,
     "# skipped, ", U64(flushes.skipped)},
    {"flushes.timed_out", "Flushes timed out", SS_UNIT_COUNT, JSON | COMPARE | SUMMARY,
     "# timed out, ", U64(flushes.timed_out)},
    {"flushes.completed", "Flushes completed", SS_UNIT_COUNT, JSON | COMPARE | SUMMARY,
     "# completed, ", U64(flushes.completed)},
    {"flushes.holding", "Flushes still holding", SS_UNIT_COUNT, 0,
     "# still holding or waiting for a thread.\n", FN(flushes_holding, 0)},

    {"pool.threads", "Threads", SS_UNIT_COUNT, JSON, "Pool: # threads, ", LL(pool.threads)},
    {"pool.max_busy", "Most threads busy at once", SS_UNIT_COUNT, JSON | COMPARE,
     "at most # busy at once, ", LL(pool.max_busy)},
    {"pool.utilization", "Pool utilisation", SS_UNIT_SHARE, JSON | COMPARE | SUMMARY,
     "# of thread time busy (", DOUBLE(pool.utilization)},
    {"pool.utilization_by_kind.delivery", "Pool utilisation, delivery", SS_UNIT_SHARE, JSON,
     "delivery #, ", FN(kind_share, SS_DELIVERY)},
    {"pool.utilization_by_kind.owa", "Pool utilisation, OWA", SS_UNIT_SHARE, JSON,
     "owa #, ", FN(kind_share, SS_OWA)},
    {"pool.utilization_by_kind.move", "Pool utilisation, moves", SS_UNIT_SHARE, JSON,
     "move #, ", FN(kind_share, SS_MOVE)},
    {"pool.utilization_by_kind.flush", "Pool utilisation, flushes", SS_UNIT_SHARE, JSON,
     "flush #).\n", FN(kind_share, SS_FLUSH)},

    /* What the administrator's actions cost: only with actions. */
    {"store.restarts", "Store restarts", SS_UNIT_COUNT, ACTIONS,
     "Actions: the store restarted # {time|times}, down for ", U64(store.restarts)},
    {"store.down_us", "Time the store was down", SS_UNIT_US, ACTIONS, "# in all; ",
     TIME(store.down_us)},
    {"delivery.requeued", "Messages back in queue", SS_UNIT_COUNT, ACTIONS,
     "# {message|messages} went back to the queue, ", U64(delivery.requeued)},
    {"owa.failed_by_restart", "OWA failed by a restart", SS_UNIT_COUNT, ACTIONS,
     "# OWA {request|requests} and ", U64(owa.failed_restart)},
    {"moves.failed", "Mailbox moves failed", SS_UNIT_COUNT, ACTIONS,
     "# mailbox {move|moves} failed, ", U64(moves.failed)},
    {"flushes.cleared", "Flushes cleared", SS_UNIT_COUNT, ACTIONS,
     "# {flush was|flushes were} cleared; ", U64(flushes.cleared)},
    {"delivery.refused_while_down", "Refusals, store down", SS_UNIT_COUNT, ACTIONS,
     "SMTP refused # {attempt|attempts} while the store was down; ", U64(delivery.refused_down)},
    {"moves.cancelled", "Mailboxes cancelled", SS_UNIT_COUNT, ACTIONS,
     "cancelled batches left # {mailbox|mailboxes} unmoved.\n",
     U64(moves.cancelled)},

    {"delivery.wait_us.mean", "Delivery wait, mean", SS_UNIT_US, COMPARE | SUMMARY, NULL,
     FN(wait_mean, SS_DELIVERY)},
    {"delivery.wait_us.p99", "Delivery wait, p99", SS_UNIT_US, COMPARE | SUMMARY, NULL,
     FN(wait_p99, SS_DELIVERY)},
};

#define N_TOTALS (sizeof totals / sizeof totals[0])

/* ss_run_metrics keeps a value per row. */
typedef char totals_fit[N_TOTALS <= SS_TOTALS_MAX ? 1 : -1];

size_t ss_totals_count(void)
{
    return N_TOTALS;
}

const struct ss_total_def *ss_total(size_t i)
{
    assert(i < N_TOTALS);
    return &totals[i];
}

int ss_total_find(const char *key)
{
    size_t i;
    for (i = 0; i < N_TOTALS; i++)
        if (strcmp(totals[i].key, key) == 0)
            return (int)i;
    return -1;
}

bool ss_total_in(size_t i, unsigned where, bool actions)
{
    const struct ss_total_def *t = ss_total(i);
    if ((t->shown & SS_WITH_ACTIONS) && !actions)
        return false;
    return where ? (t->shown & where) != 0 : t->say != NULL;
}

double ss_total_value(size_t i, const struct ss_results *r)
{
    const struct ss_total_def *t = ss_total(i);
    const char *field = (const char *)r + t->offset;
    switch (t->read) {
    case SS_READ_U64:
        return (double)*(const uint64_t *)(const void *)field;
    case SS_READ_LL:
        return (double)*(const long long *)(const void *)field;
    case SS_READ_TIME:
        return (double)*(const ss_time *)(const void *)field;
    case SS_READ_DOUBLE:
        return *(const double *)(const void *)field;
    case SS_READ_FN:
        break;
    }
    return t->fn(r, t->arg);
}

char *ss_total_csv(size_t i, char *buf, size_t size)
{
    const struct ss_total_def *t = ss_total(i);
    size_t n = 0;
    const char *p;
    for (p = t->key; *p && n + 1 < size; p++) {
        if (strncmp(p, "_us", 3) == 0 && (p[3] == '.' || p[3] == '\0')) {
            p += 2; /* the unit goes at the end, as seconds */
            continue;
        }
        buf[n++] = *p == '.' ? '_' : *p;
    }
    buf[n] = '\0';
    if (t->unit == SS_UNIT_US && n + 2 < size)
        strcat(buf, "_s");
    return buf;
}

double ss_total_csv_value(size_t i, double value)
{
    return ss_total(i)->unit == SS_UNIT_US ? value / 1e6 : value;
}
