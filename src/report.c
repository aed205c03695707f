/*
 * report.c: the text report.
 *
 * Four parts: the scenario as a paragraph, the timeline, the symptoms, the
 * totals. Paragraphs are wrapped at 78 columns so they read well in a
 * terminal and on a projector.
 */
#include "storesim/report.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/dist.h"
#include "storesim/text.h"

static const char *plural(unsigned long long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

void ss_report_scenario(FILE *f, const struct ss_scenario *sc)
{
    struct ss_para p;
    char a[SS_TIME_TEXT], b[64], c[SS_TIME_TEXT], n1[32], n2[32];
    size_t i;
    ss_para_clear(&p);

    ss_para_say(&p, "The information store has a pool of %lld %s and the run covers %s of simulated time "
            "(seed %llu).",
        sc->threads, plural((unsigned long long)sc->threads, "thread", "threads"),
        ss_span_text(a, sc->duration), (unsigned long long)sc->seed);
    if (sc->has_delivery && sc->delivery_rate.per_second > 0)
        ss_para_say(&p, " Messages arrive for local delivery at %s; each holds a thread for %s.",
            sc->delivery_rate.text, ss_dist_text(b, sizeof b, &sc->delivery_service));
    else
        ss_para_say(&p, " There is no local delivery load.");
    if (sc->has_owa && sc->owa_rate.per_second > 0)
        ss_para_say(&p, " Outlook Web Access sends requests at %s; each holds a thread for %s, and a "
                "browser gives up after %s without one.",
            sc->owa_rate.text, ss_dist_text(b, sizeof b, &sc->owa_service),
            ss_span_text(a, sc->owa_timeout));
    if (sc->mta_enabled)
        ss_para_say(&p, " The MTA is running: a flush holds a thread for %s.",
            ss_span_text(a, sc->flush_time));
    else
        ss_para_say(&p, " The MTA is disabled: nothing answers a flush, so each one holds a thread until "
                "it times out after %s.",
            ss_span_text(a, sc->flush_timeout));
    ss_para_say(&p, " The KB 924567 hotfix is %s.", sc->hotfix ? "installed" : "not installed");
    for (i = 0; i < sc->n_databases; i++)
        ss_para_say(&p, " Database \"%s\" has Gateway Out Threads = %lld.", sc->databases[i].name,
            sc->databases[i].gateway_out_threads);
    for (i = 0; i < sc->n_moves; i++) {
        const struct ss_move *mv = &sc->moves[i];
        ss_para_say(&p, " Move batch \"%s\" moves %s %s out of \"%s\", %lld at a time, from %s; each "
                "move holds a thread for %s.",
            mv->name, ss_thousands(n1, (unsigned long long)mv->mailboxes),
            plural((unsigned long long)mv->mailboxes, "mailbox", "mailboxes"),
            sc->databases[mv->database].name, mv->concurrency, ss_time_hms(c, mv->start),
            ss_dist_text(b, sizeof b, &mv->duration));
    }
    if (sc->n_moves == 0)
        ss_para_say(&p, " No mailboxes are moved.");
    if (sc->has_delivery) {
        bool deferred = sc->retry.kind == SS_DIST_CONST && sc->retry.a == 0;
        ss_para_say(&p, " SMTP stops answering when %s messages wait and answers again at %s; a refused "
                "message is %s%s.",
            ss_thousands(n1, (unsigned long long)sc->max_backlog),
            ss_thousands(n2, (unsigned long long)sc->resume_backlog),
            deferred ? "deferred by its sender" : "retried by its sender after ",
            deferred ? "" : ss_dist_text(b, sizeof b, &sc->retry));
    }
    ss_wrap(f, p.text, 0);
}

/* One line of the timeline. */
struct moment {
    ss_time t;
    size_t order; /* keeps moments of the same second in the order they are added */
    char text[600];
};

struct timeline {
    struct moment *m;
    size_t n, cap;
};

static void moment(struct timeline *tl, ss_time t, const char *fmt, ...)
{
    va_list ap;
    struct moment *m;
    if (t == SS_NEVER || tl->n == tl->cap)
        return;
    m = &tl->m[tl->n];
    m->t = t;
    m->order = tl->n++;
    va_start(ap, fmt);
    vsnprintf(m->text, sizeof m->text, fmt, ap);
    va_end(ap);
}

static int by_time(const void *pa, const void *pb)
{
    const struct moment *a = pa, *b = pb;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static void gather(struct timeline *tl, const struct ss_scenario *sc, const struct ss_results *r)
{
    char a[SS_TIME_TEXT], n1[32];
    size_t i;
    for (i = 0; i < r->n_batches; i++)
        moment(tl, r->batches[i].started,
               "Move batch \"%s\" starts: %s mailboxes out of \"%s\", %lld at a time.",
               sc->moves[i].name, ss_thousands(n1, (unsigned long long)sc->moves[i].mailboxes),
               sc->databases[sc->moves[i].database].name, sc->moves[i].concurrency);
    if (sc->mta_enabled)
        moment(tl, r->first_flush_registered,
               "First flush registered; the MTA answers it within %s.",
               ss_span_text(a, sc->flush_time));
    else
        moment(tl, r->first_flush_registered,
               "First flush registered. The MTA is disabled, so it will hold its thread for %s.",
               ss_span_text(a, sc->flush_timeout));
    moment(tl, r->first_flush_skipped,
           "First flush skipped: the hotfix sees Gateway Out Threads = 0 and does not register it.");
    moment(tl, r->symptom[SS_POOL_EXHAUSTED],
           "POOL EXHAUSTED: all %lld threads are busy and work has to wait.", sc->threads);
    moment(tl, r->symptom[SS_DELIVERY_STARVED],
           "DELIVERY STARVED: a message has waited %s for a thread.",
           ss_span_text(a, sc->starvation_threshold));
    moment(tl, r->symptom[SS_OWA_UNRESPONSIVE],
           "OWA UNRESPONSIVE: a request waited %s without a thread and failed.",
           ss_span_text(a, sc->owa_timeout));
    moment(tl, r->symptom[SS_SMTP_STOPPED],
           "SMTP STOPPED: the local delivery queue reached its limit of %s messages; SMTP "
           "refuses new mail.",
           ss_thousands(n1, (unsigned long long)sc->max_backlog));
    moment(tl, r->first_flush_timeout,
           "First flush times out and gives its thread back.");
    moment(tl, r->symptom[SS_SMTP_RESUMED],
           "SMTP RESUMED: the backlog is down to %s messages; SMTP answers again.",
           ss_thousands(n1, (unsigned long long)sc->resume_backlog));
    moment(tl, r->symptom[SS_DELIVERY_RECOVERED],
           "DELIVERY RECOVERED: the local delivery queue is empty again.");
    for (i = 0; i < r->n_batches; i++)
        moment(tl, r->batches[i].done, "Move batch \"%s\" is done: all its mailboxes moved.",
               sc->moves[i].name);
    moment(tl, r->end, "End of the run.");
}

static void report_timeline(FILE *f, const struct ss_scenario *sc, const struct ss_results *r)
{
    struct timeline tl;
    size_t i;
    tl.cap = 16 + 2 * r->n_batches;
    tl.n = 0;
    tl.m = malloc(tl.cap * sizeof *tl.m);
    fputs("\nTimeline (simulated time)\n", f);
    if (!tl.m) {
        fputs("  (not enough memory to draw the timeline)\n", f);
        return;
    }
    gather(&tl, sc, r);
    qsort(tl.m, tl.n, sizeof *tl.m, by_time);
    for (i = 0; i < tl.n; i++) {
        char clock[SS_TIME_TEXT], lead[SS_TIME_TEXT + 8];
        sprintf(lead, "  %s  ", ss_time_hms(clock, tl.m[i].t));
        ss_wrap_after(f, lead, tl.m[i].text, 12);
    }
    free(tl.m);
}

static void report_symptoms(FILE *f, const struct ss_results *r)
{
    int s;
    fputs("\nSymptoms\n", f);
    for (s = 0; s < SS_SYMPTOMS; s++) {
        char clock[SS_TIME_TEXT];
        fprintf(f, "  %-20s %s\n", ss_symptom_label((enum ss_symptom)s),
                r->symptom[s] == SS_NEVER ? ss_symptom_never(r, (enum ss_symptom)s)
                                          : ss_time_hms(clock, r->symptom[s]));
    }
}

static void report_waits(FILE *f, const struct ss_results *r)
{
    int k;
    fprintf(f, "\n  %-22s %9s %9s %9s %9s %9s %12s\n", "Wait for a thread", "mean", "p50",
            "p95", "p99", "max", "tasks");
    for (k = 0; k < SS_KINDS; k++) {
        const struct ss_hist *h = &r->wait[k];
        char v[5][SS_TIME_TEXT], n[32];
        fprintf(f, "  %-22s %9s %9s %9s %9s %9s %12s\n", ss_kind_name((enum ss_kind)k),
                ss_span_text(v[0], (ss_time)(ss_hist_mean(h) + 0.5)),
                ss_span_text(v[1], ss_hist_quantile(h, 0.50)),
                ss_span_text(v[2], ss_hist_quantile(h, 0.95)),
                ss_span_text(v[3], ss_hist_quantile(h, 0.99)), ss_span_text(v[4], h->max),
                ss_thousands(n, (unsigned long long)h->count));
    }
}

static double share(const struct ss_results *r, int k)
{
    return 100.0 * r->pool.busy_us[k] / ((double)r->pool.threads * (double)r->end);
}

static void report_totals(FILE *f, const struct ss_scenario *sc, const struct ss_results *r)
{
    struct ss_para p;
    char n[6][32], a[SS_TIME_TEXT];
    fputs("\nTotals\n", f);

    ss_para_clear(&p);
    ss_para_say(&p, "Local delivery: %s messages arrived, %s delivered, %s still queued at the end. "
            "SMTP refused %s %s; %s deferred, %s waiting at the sender to retry.",
        ss_thousands(n[0], r->delivery.arrived), ss_thousands(n[1], r->delivery.delivered),
        ss_thousands(n[2], (unsigned long long)r->delivery.queued),
        ss_thousands(n[3], r->delivery.refused),
        plural(r->delivery.refused, "attempt", "attempts"),
        ss_thousands(n[4], r->delivery.deferred), ss_thousands(n[5], r->delivery.retrying));
    ss_para_say(&p, " Starved for %s in all (%llu %s); the largest backlog was %s messages.",
        ss_span_text(a, r->starved_us), (unsigned long long)r->starved_episodes,
        plural(r->starved_episodes, "episode", "episodes"),
        ss_thousands(n[0], (unsigned long long)r->max_backlog));
    ss_wrap(f, p.text, 2);

    ss_para_clear(&p);
    ss_para_say(&p, "OWA: %s requests arrived, %s served, %s failed; at the end %s waiting and "
            "%s being served.",
        ss_thousands(n[0], r->owa.arrived), ss_thousands(n[1], r->owa.served),
        ss_thousands(n[2], r->owa.failed), ss_thousands(n[3], (unsigned long long)r->owa.waiting),
        ss_thousands(n[4], (unsigned long long)r->owa.in_progress));
    ss_wrap(f, p.text, 2);

    ss_para_clear(&p);
    ss_para_say(&p, "Moves: %s mailbox moves submitted, %s completed.",
        ss_thousands(n[0], r->moves.submitted), ss_thousands(n[1], r->moves.completed));
    ss_para_say(&p, " Flushes: %s registered, %s skipped, %s completed, %s timed out, %s still holding "
            "or waiting for a thread.",
        ss_thousands(n[0], r->flushes.registered), ss_thousands(n[1], r->flushes.skipped),
        ss_thousands(n[2], r->flushes.completed), ss_thousands(n[3], r->flushes.timed_out),
        ss_thousands(n[4], r->flushes.registered - r->flushes.completed - r->flushes.timed_out));
    ss_wrap(f, p.text, 2);

    ss_para_clear(&p);
    ss_para_say(&p, "Pool: %lld threads, at most %lld busy at once, %.1f%% of thread time busy "
            "(delivery %.1f%%, owa %.1f%%, move %.1f%%, flush %.1f%%).",
        r->pool.threads, r->pool.max_busy, 100.0 * r->pool.utilization, share(r, SS_DELIVERY),
        share(r, SS_OWA), share(r, SS_MOVE), share(r, SS_FLUSH));
    ss_wrap(f, p.text, 2);
    report_waits(f, r);
    (void)sc;
}

void ss_report_text(FILE *f, const struct ss_scenario *sc, const struct ss_results *r)
{
    char n[32];
    fprintf(f, "storesim %s: %s (%s)\n\n", STORESIM_VERSION, sc->name, sc->path);
    ss_report_scenario(f, sc);
    report_timeline(f, sc, r);
    report_symptoms(f, r);
    report_totals(f, sc, r);
    fprintf(f, "\nEvents processed: %s\n", ss_thousands(n, (unsigned long long)r->events));
}
