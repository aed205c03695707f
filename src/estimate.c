/*
 * estimate.c: the event count of a run, from the scenario alone (estimate.h
 * states the formula; docs/robustness.md checks it against real runs).
 *
 * Everything is in doubles and seconds: the counts reach 10^20 for hostile
 * scenarios, and must then still compare above SS_EVENTS_LIMIT, never wrap.
 */
#include "storesim/estimate.h"

#include <stdio.h>
#include <string.h>

#include "storesim/dist.h"
#include "storesim/eventq.h"
#include "storesim/flush.h"
#include "storesim/pool.h"
#include "storesim/text.h"
#include "storesim/value.h"

static double seconds(ss_time t)
{
    return (double)t / (double)SS_SECOND;
}

static double min2(double a, double b)
{
    return a < b ? a : b;
}

/* What the move batches add, and how they may hold the pool. */
struct batches {
    double events, flushes;
    double at_once;    /* moves the wizards submit at once, all batches together */
    double moving;     /* threads the moves hold at once, all batches together */
    double peak;       /* threads their flushes may hold at the peak, all together */
    double rate;       /* flushes registered a second, all batches together; < 0: at once */
    double span;       /* seconds from the first move to the last flush's end, summed */
};

static void estimate_batches(const struct ss_scenario *sc, struct batches *b)
{
    double run = seconds(sc->duration);
    size_t i;
    memset(b, 0, sizeof *b);
    for (i = 0; i < sc->n_moves; i++) {
        const struct ss_move *mv = &sc->moves[i];
        const struct ss_database *db = &sc->databases[mv->database];
        struct ss_flush_decision d =
            ss_flush_decide(sc->mta_enabled, sc->hotfix, db->gateway_out_threads,
                            sc->flush_time, sc->flush_timeout);
        double left = run - seconds(mv->start);
        double m = ss_dist_mean(&mv->duration) / (double)SS_SECOND; /* one move, seconds */
        double c = (double)mv->concurrency, boxes = (double)mv->mailboxes;
        double hold = d.outcome == SS_FLUSH_SKIPPED ? 0.0 : seconds(d.hold);
        double moved = boxes;
        if (mv->start >= sc->duration || mv->mailboxes == 0)
            continue;
        /* No more mailboxes than twice the batch's mean pace allows. */
        if (m > 0.0)
            moved = min2(boxes, c * (1.0 + 2.0 * left / m));
        b->events += 1.0 + 2.0 * moved;
        b->moving += min2(c, boxes);
        b->at_once += min2(c, boxes);
        b->span += min2(left, boxes / c * m + hold);
        if (hold <= 0.0)
            continue;
        b->flushes += moved;
        /* A flush is registered every m / C seconds and held `hold`: at the
         * peak, the flushes of one hold (or of the whole batch). */
        if (m > 0.0 && b->rate >= 0.0) {
            b->peak += min2(boxes, c * hold / m);
            b->rate += c / m;
        } else {
            b->peak += boxes;
            b->rate = -1.0;
        }
    }
}

/* The pool cannot keep up with the steady load: how long, and how fast the
 * backlog grows meanwhile (messages a second). */
struct overload {
    double window, growth, spare;
};

static void find_overload(const struct ss_scenario *sc, const struct batches *b,
                          struct overload *o)
{
    double run = seconds(sc->duration), rate = ss_profile_peak(&sc->delivery_rate);
    double service = ss_dist_mean(&sc->delivery_service) / (double)SS_SECOND, owa = 0.0;
    double threads = (double)sc->threads, load, room, free_threads;
    memset(o, 0, sizeof *o);
    if (!sc->has_delivery || rate <= 0.0)
        return;
    if (sc->has_owa)
        owa = ss_profile_peak(&sc->owa_rate) * ss_dist_mean(&sc->owa_service) / (double)SS_SECOND;
    load = rate * service + owa; /* threads the steady load keeps busy */
    room = threads - load - b->moving; /* threads left for flushes */
    if (load >= threads) {
        o->window = run; /* overloaded for good */
        free_threads = threads - owa;
    } else if (room <= 0.0 || b->peak > room) {
        /* Overloaded from when the flushes fill the room until they have
         * timed out below it again: the span less the climb and the fall. */
        o->window = b->span;
        if (room > 0.0 && b->rate > 0.0)
            o->window -= 2.0 * room / b->rate;
        o->window = o->window < 0.0 ? 0.0 : min2(o->window, run);
        free_threads = threads - owa - b->moving - b->peak;
        o->spare = service > 0.0 ? (threads - load) / service : 0.0;
    } else {
        return;
    }
    if (o->window <= 0.0)
        return;
    if (free_threads > 0.0 && service <= 0.0)
        return; /* instant deliveries on a free thread: no backlog */
    o->growth = rate - (free_threads > 0.0 ? free_threads / service : 0.0);
}

void ss_estimate_detail(const struct ss_scenario *sc, struct ss_estimate *out)
{
    double run = seconds(sc->duration), stopped = 0.0, retry;
    struct batches b;
    struct overload o;
    memset(out, 0, sizeof *out);
    if (sc->has_delivery)
        out->delivery = 2.0 * ss_profile_count(&sc->delivery_rate, &sc->clock, 0, sc->duration);
    if (sc->has_owa)
        out->owa = 2.0 * ss_profile_count(&sc->owa_rate, &sc->clock, 0, sc->duration);
    estimate_batches(sc, &b);
    out->moves = b.events;
    out->flushes = b.flushes;
    find_overload(sc, &b, &o);
    out->overload = (ss_time)(o.window * (double)SS_SECOND);
    /* SMTP stops once the backlog reaches smtp.max_backlog. */
    if (o.growth > 0.0)
        stopped = o.window - (double)sc->max_backlog / o.growth;
    retry = ss_dist_mean(&sc->retry) / (double)SS_SECOND;
    if (stopped > 0.0 && retry > 0.0) {
        /* Every message arriving while SMTP is stopped is refused and comes
         * back every retry mean, until the window ends... */
        double waiting = ss_profile_peak(&sc->delivery_rate) * stopped;
        out->retries = waiting * stopped / retry;
        /* ...and then until the pool's spare capacity has taken them all. */
        if (o.spare > 0.0) {
            double drain = min2(waiting / o.spare, run - stopped);
            if (drain > 0.0)
                out->retries += waiting * drain / retry / 2.0;
        }
    }
    out->total = out->delivery + out->owa + out->moves + out->flushes + out->retries;

    /* Memory. Every task that may wait at once is a task of the pool's queue,
     * every pending event an event of the engine's list, each array up to
     * three times what it holds while it doubles (old and new side by side). */
    out->moves_waiting = b.at_once;
    out->flushes_waiting = b.flushes;
    if (sc->has_delivery)
        out->backlog = min2((double)sc->max_backlog,
                            ss_profile_count(&sc->delivery_rate, &sc->clock, 0, sc->duration) + 1.0);
    if (sc->has_owa)
        out->owa_waiting = min2(ss_profile_peak(&sc->owa_rate) * seconds(sc->owa_timeout),
                                ss_profile_count(&sc->owa_rate, &sc->clock, 0, sc->duration)) +
                           1.0;
    if (retry > 0.0 && o.window > 0.0)
        out->retrying = ss_profile_peak(&sc->delivery_rate) * min2(run, o.window + retry);
    out->memory =
        3.0 * (double)sizeof(struct ss_task) *
            (out->moves_waiting + out->flushes_waiting + out->backlog + out->owa_waiting) +
        3.0 * (double)sizeof(struct ss_event) *
            ((double)sc->threads + out->retrying + (double)sc->n_moves + 8.0) +
        2.0 * (double)(sizeof(struct ss_thread) + sizeof(int32_t)) * (double)sc->threads +
        96.0 * (double)sc->n_moves + 4.0 * 1024 * 1024;
}

double ss_estimate_events(const struct ss_scenario *sc)
{
    struct ss_estimate est;
    ss_estimate_detail(sc, &est);
    return est.total;
}

/* A rate or a profile as the scenario wrote it. */
static const char *rate_text(char *buf, size_t size, const struct ss_profile *rate)
{
    return ss_profile_text(buf, size, rate);
}

/* What makes most of the events, in the scenario's own keys. */
static void main_source(char *buf, size_t size, const struct ss_scenario *sc,
                        const struct ss_estimate *est)
{
    char span[SS_TIME_TEXT], retry[128], rate[2048];
    const char *duration = ss_span_canonical(span, sc->duration);
    if (est->retries >= est->delivery && est->retries >= est->owa &&
        est->retries >= est->moves + est->flushes) {
        char window[SS_TIME_TEXT];
        snprintf(buf, size, "SMTP retries: the pool cannot keep up with delivery.rate = %s "
                 "for up to %s, and every refused message comes back each smtp.retry = %s",
                 rate_text(rate, sizeof rate, &sc->delivery_rate),
                 ss_span_text(window, est->overload),
                 ss_dist_text(retry, sizeof retry, &sc->retry));
    } else if (est->delivery >= est->owa && est->delivery >= est->moves + est->flushes) {
        snprintf(buf, size, "delivery.rate = %s over simulation.duration = %s",
                 rate_text(rate, sizeof rate, &sc->delivery_rate), duration);
    } else if (est->owa >= est->moves + est->flushes) {
        snprintf(buf, size, "owa.rate = %s over simulation.duration = %s",
                 rate_text(rate, sizeof rate, &sc->owa_rate), duration);
    } else {
        snprintf(buf, size, "the mailbox moves ([move] mailboxes) and their flushes");
    }
}

char *ss_estimate_refusal(char *buf, size_t size, const struct ss_scenario *sc,
                          const struct ss_estimate *est)
{
    /* The simulator does a few million events a second (bench/); 3 million
     * turns the count into a time a person can weigh. */
    double secs = est->total / 3e6, days = secs / 86400.0;
    char source[512], span[SS_TIME_TEXT];
    main_source(source, sizeof source, sc, est);
    if (days >= 1e6)
        snprintf(span, sizeof span, "thousands of years");
    else if (days >= 730.0)
        snprintf(span, sizeof span, "%.0f years", days / 365.0);
    else if (days >= 2.0)
        snprintf(span, sizeof span, "%.0f days", days);
    else
        ss_span_text(span, (ss_time)(secs * (double)SS_SECOND));
    snprintf(buf, size, "%s: error: this run would process about %.2g events, more than the "
             "limit of %.0e (about %s of computing); most come from %s: lower it or shorten "
             "the run, or add --force to run it anyway",
             sc->path ? sc->path : "scenario", est->total, SS_EVENTS_LIMIT, span, source);
    return buf;
}

/* "1,000,000,000", or "1.2e+20" beyond what a count can say in digits. */
static char *count_text(char buf[32], double n)
{
    if (n < 1e18)
        return ss_thousands(buf, (unsigned long long)(n + 0.5));
    snprintf(buf, 32, "%.2g", n);
    return buf;
}

char *ss_bytes_text(char *buf, size_t size, double bytes)
{
    static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    size_t u = 0;
    while (bytes >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
        bytes /= 1024.0;
        u++;
    }
    if (u == 0 || bytes >= 10.0)
        snprintf(buf, size, "%.0f %s", bytes, units[u]);
    else
        snprintf(buf, size, "%.1f %s", bytes, units[u]);
    return buf;
}

char *ss_estimate_memory_refusal(char *buf, size_t size, const struct ss_scenario *sc,
                                 const struct ss_estimate *est, double limit)
{
    char need[32], have[32], what[400], n[32];
    double tasks = est->moves_waiting + est->flushes_waiting + est->backlog + est->owa_waiting;
    if (est->retrying * sizeof(struct ss_event) >= tasks * sizeof(struct ss_task)) {
        char retry[128];
        snprintf(what, sizeof what, "the refused messages waiting at their senders to retry "
                 "(up to %s at once): lower delivery.rate, or let the senders defer them "
                 "(smtp.retry = 0) instead of retrying every %s",
                 count_text(n, est->retrying), ss_dist_text(retry, sizeof retry, &sc->retry));
    } else if (est->moves_waiting >= est->flushes_waiting && est->moves_waiting >= est->backlog &&
               est->moves_waiting >= est->owa_waiting) {
        snprintf(what, sizeof what, "the mailbox moves the wizards submit at once (%s of them, "
                 "the concurrency of every [move] batch together): lower the concurrency or "
                 "the number of batches", count_text(n, est->moves_waiting));
    } else if (est->flushes_waiting >= est->backlog && est->flushes_waiting >= est->owa_waiting) {
        snprintf(what, sizeof what, "the flushes the moves register (up to %s waiting for a "
                 "thread): move fewer mailboxes ([move] mailboxes)",
                 count_text(n, est->flushes_waiting));
    } else if (est->backlog >= est->owa_waiting) {
        snprintf(what, sizeof what, "the local-delivery backlog (up to smtp.max_backlog = %lld "
                 "messages): lower smtp.max_backlog", sc->max_backlog);
    } else {
        snprintf(what, sizeof what, "the OWA requests waiting for a thread (owa.rate x "
                 "owa.timeout, %s): lower owa.rate or owa.timeout",
                 count_text(n, est->owa_waiting));
    }
    snprintf(buf, size, "%s: error: this run would need about %s of memory, more than the %s "
             "this process may use; most of it for %s, or add --force to try anyway",
             sc->path ? sc->path : "scenario", ss_bytes_text(need, sizeof need, est->memory),
             ss_bytes_text(have, sizeof have, limit), what);
    return buf;
}

char *ss_progress_text(char *buf, size_t size, ss_time now, ss_time end, double elapsed)
{
    char total[SS_TIME_TEXT], spent[SS_TIME_TEXT], left[SS_TIME_TEXT];
    double done = end > 0 ? (double)now / (double)end : 1.0;
    if (done < 0.0)
        done = 0.0;
    if (done > 1.0)
        done = 1.0;
    if (!(elapsed >= 0.0)) /* NaN too */
        elapsed = 0.0;
    if (elapsed > 1e9)
        elapsed = 1e9;
    ss_time_hms(total, end);
    ss_span_text(spent, (ss_time)elapsed * SS_SECOND);
    if (done > 0.0 && done < 1.0) {
        double rest = elapsed * (1.0 - done) / done;
        if (rest > 1e9)
            rest = 1e9;
        snprintf(buf, size, "storesim: %d%% of %s simulated, %s elapsed, about %s left",
                 (int)(done * 100.0), total, spent,
                 ss_span_text(left, (ss_time)(rest + 0.5) * SS_SECOND));
    } else {
        snprintf(buf, size, "storesim: %d%% of %s simulated, %s elapsed", (int)(done * 100.0),
                 total, spent);
    }
    return buf;
}
