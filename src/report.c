/*
 * report.c: the text report.
 *
 * Four parts: the scenario as a paragraph, the timeline, the symptoms, the
 * totals. Paragraphs are wrapped at 78 columns so they read well in a
 * terminal and on a projector.
 */
#include "storesim/report.h"

#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/dist.h"
#include "storesim/text.h"
#include "storesim/totals.h"

static const char *plural(unsigned long long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

char *ss_action_text(char *buf, size_t size, const struct ss_scenario *sc,
                     const struct ss_action *ac)
{
    char span[SS_TIME_TEXT];
    switch (ac->what) {
    case SS_ACT_RESTART_STORE:
        snprintf(buf, size, "restarts the Information Store service (down for %s)",
                 ss_span_text(span, ac->restart_time));
        break;
    case SS_ACT_START_MTA:
        snprintf(buf, size, "starts the MTA Stacks service");
        break;
    case SS_ACT_STOP_MTA:
        snprintf(buf, size, "stops the MTA Stacks service");
        break;
    case SS_ACT_INSTALL_HOTFIX:
        snprintf(buf, size, "installs the KB 924567 hotfix, which restarts the Information "
                 "Store (down for %s)", ss_span_text(span, ac->restart_time));
        break;
    case SS_ACT_SET_GATEWAY:
        snprintf(buf, size, "sets Gateway Out Threads of \"%s\" to %lld in the registry",
                 sc->databases[ac->database].name, ac->value);
        break;
    case SS_ACT_CANCEL_MOVE:
        snprintf(buf, size, "cancels move batch \"%s\"", sc->moves[ac->batch].name);
        break;
    case SS_ACTION_KINDS:
        buf[0] = '\0';
        break;
    }
    return buf;
}

struct when {
    ss_time at;
    size_t i;
};

static int by_when(const void *pa, const void *pb)
{
    const struct when *a = pa, *b = pb;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* " At 01:30:00 the administrator restarts ...", in time order (file order
 * when there is no memory to sort). */
static void say_actions(struct ss_para *p, const struct ss_scenario *sc)
{
    struct when *order = sc->n_actions ? malloc(sc->n_actions * sizeof *order) : NULL;
    char what[600], clock[SS_TIME_TEXT];
    size_t i;
    for (i = 0; order && i < sc->n_actions; i++) {
        order[i].at = sc->actions[i].at;
        order[i].i = i;
    }
    if (order)
        qsort(order, sc->n_actions, sizeof *order, by_when);
    for (i = 0; i < sc->n_actions; i++) {
        const struct ss_action *ac = &sc->actions[order ? order[i].i : i];
        ss_para_say(p, " At %s the administrator %s.", ss_clock_hms(clock, &sc->clock, ac->at),
                    ss_action_text(what, sizeof what, sc, ac));
    }
    free(order);
}

void ss_report_scenario(FILE *f, const struct ss_scenario *sc)
{
    struct ss_para p;
    char a[SS_TIME_TEXT], b[64], c[SS_TIME_TEXT], n1[32], n2[32], rate[2048];
    size_t i;
    ss_para_clear(&p);

    if (sc->clock.set)
        ss_para_say(&p, "The information store has a pool of %lld %s and the run covers %s of "
                        "simulated time from %s (seed %llu).",
            sc->threads, plural((unsigned long long)sc->threads, "thread", "threads"),
            ss_span_text(a, sc->duration), ss_clock_hms(c, &sc->clock, 0),
            (unsigned long long)sc->seed);
    else
        ss_para_say(&p, "The information store has a pool of %lld %s and the run covers %s of "
                        "simulated time (seed %llu).",
            sc->threads, plural((unsigned long long)sc->threads, "thread", "threads"),
            ss_span_text(a, sc->duration), (unsigned long long)sc->seed);
    if (sc->has_delivery && ss_profile_peak(&sc->delivery_rate) > 0)
        ss_para_say(&p, " Messages arrive for local delivery at %s; each holds a thread for %s.",
            ss_profile_words(rate, sizeof rate, &sc->delivery_rate),
            ss_dist_text(b, sizeof b, &sc->delivery_service));
    else
        ss_para_say(&p, " There is no local delivery load.");
    if (sc->has_owa && ss_profile_peak(&sc->owa_rate) > 0)
        ss_para_say(&p, " Outlook Web Access sends requests at %s; each holds a thread for %s, and a "
                "browser gives up after %s without one.",
            ss_profile_words(rate, sizeof rate, &sc->owa_rate),
            ss_dist_text(b, sizeof b, &sc->owa_service), ss_span_text(a, sc->owa_timeout));
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
            sc->databases[mv->database].name, mv->concurrency,
            ss_clock_hms(c, &sc->clock, mv->start),
            ss_dist_text(b, sizeof b, &mv->duration));
    }
    if (sc->n_moves == 0)
        ss_para_say(&p, " No mailboxes are moved.");
    say_actions(&p, sc);
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

/* Episodes listed one by one in the timeline, per symptom; more are summed
 * up in one line (the JSON lists them all). */
#define TIMELINE_EPISODES 25

/* Where an episode starts and ends, in words. */
static void episode_moments(struct timeline *tl, const struct ss_scenario *sc,
                            const struct ss_results *r, enum ss_episodic e)
{
    static const char *const what[SS_EPISODIC] = {"delivery starved", "OWA unresponsive",
                                                  "SMTP stopped"};
    const struct ss_episodes *list = &r->episodes[e];
    char a[SS_TIME_TEXT], b[SS_TIME_TEXT], n1[32];
    char again[48];
    size_t i;
    for (i = 0; i < list->n && i < TIMELINE_EPISODES; i++) {
        const struct ss_episode *ep = &list->list[i];
        ss_time lasted = (ep->end == SS_NEVER ? r->end : ep->end) - ep->start;
        if (i == 0)
            again[0] = '\0';
        else
            snprintf(again, sizeof again, " again (episode %lu)", (unsigned long)i + 1);
        switch (e) {
        case SS_EP_STARVED:
            moment(tl, ep->start, "DELIVERY STARVED%s: a message has waited %s for a thread.",
                   again, ss_span_text(a, sc->starvation_threshold));
            if (ep->starts > 1)
                moment(tl, ep->end, "DELIVERY RECOVERED: the local delivery queue is empty "
                                    "again. It starved %llu times in %s, for %s in all.",
                       (unsigned long long)ep->starts, ss_span_text(a, lasted),
                       ss_span_text(b, ep->active_us));
            else
                moment(tl, ep->end, "DELIVERY RECOVERED: the local delivery queue is empty "
                                    "again, after %s starved.", ss_span_text(b, lasted));
            break;
        case SS_EP_OWA:
            moment(tl, ep->start, "OWA UNRESPONSIVE%s: a request waited %s without a thread and "
                                  "failed.", again, ss_span_text(a, sc->owa_timeout));
            if (ep->starts > 1)
                moment(tl, ep->end, "OWA RESPONSIVE: no request has failed for %s; OWA answers "
                                    "again. It was unresponsive %llu times in %s.",
                       ss_span_text(a, sc->owa_timeout), (unsigned long long)ep->starts,
                       ss_span_text(b, lasted));
            else
                moment(tl, ep->end, "OWA RESPONSIVE: no request has failed for %s; OWA answers "
                                    "again, after %s unresponsive.",
                       ss_span_text(a, sc->owa_timeout), ss_span_text(b, lasted));
            break;
        case SS_EP_SMTP:
            moment(tl, ep->start, "SMTP STOPPED%s: the local delivery queue reached its limit "
                                  "of %s messages; SMTP refuses new mail.",
                   again, ss_thousands(n1, (unsigned long long)sc->max_backlog));
            if (ep->starts > 1)
                moment(tl, ep->end, "SMTP RESUMED: the backlog is down to %s messages; SMTP "
                                    "answers again. It stopped %llu times in %s, for %s in all.",
                       ss_thousands(n1, (unsigned long long)sc->resume_backlog),
                       (unsigned long long)ep->starts, ss_span_text(a, lasted),
                       ss_span_text(b, ep->active_us));
            else
                moment(tl, ep->end, "SMTP RESUMED: the backlog is down to %s messages; SMTP "
                                    "answers again.",
                       ss_thousands(n1, (unsigned long long)sc->resume_backlog));
            break;
        case SS_EPISODIC:
            break;
        }
    }
    if (list->count > TIMELINE_EPISODES && list->n > TIMELINE_EPISODES)
        moment(tl, list->list[TIMELINE_EPISODES].start,
               "... and %llu more episodes of %s (--json lists them).",
               (unsigned long long)(list->count - TIMELINE_EPISODES), what[e]);
}

/* "End of the run." and what is still going on then. */
static void end_moment(struct timeline *tl, const struct ss_scenario *sc,
                       const struct ss_results *r)
{
    static const char *const what[SS_EPISODIC] = {"local delivery starved", "OWA unresponsive",
                                                  "SMTP stopped"};
    struct ss_para p;
    char since[SS_TIME_TEXT];
    int e, n = 0;
    ss_para_clear(&p);
    ss_para_say(&p, "End of the run");
    for (e = 0; e < SS_EPISODIC; e++) {
        const struct ss_episodes *list = &r->episodes[e];
        if (list->n == 0 || list->list[list->n - 1].end != SS_NEVER)
            continue;
        ss_para_say(&p, "%s %s (since %s)", n++ ? "," : "; still going:", what[e],
                    ss_clock_hms(since, &sc->clock, list->list[list->n - 1].start));
    }
    moment(tl, r->end, "%s.", p.text);
}

/* "12 messages went back to the queue, 3 mailbox moves failed": what a
 * restart cut short, or "nothing was running" when it cut nothing. */
static void restart_effects(struct ss_para *p, const struct ss_action_result *e)
{
    const struct {
        uint64_t n;
        const char *one, *many;
    } part[] = {
        {e->flushes_cleared, "flush registered is gone", "flushes registered are gone"},
        {e->requeued, "message being delivered goes back to the queue",
         "messages being delivered go back to the queue"},
        {e->moves_failed, "mailbox move fails", "mailbox moves fail"},
        {e->owa_failed, "OWA request fails", "OWA requests fail"},
    };
    char n[32];
    size_t i, said = 0, count = 0;
    for (i = 0; i < sizeof part / sizeof part[0]; i++)
        count += part[i].n > 0;
    for (i = 0; i < sizeof part / sizeof part[0]; i++) {
        if (part[i].n == 0)
            continue;
        ss_para_say(p, "%s%s %s", said == 0 ? "" : said + 1 == count ? " and " : ", ",
                    ss_thousands(n, (unsigned long long)part[i].n),
                    part[i].n == 1 ? part[i].one : part[i].many);
        said++;
    }
    if (count == 0)
        ss_para_say(p, "nothing was running in the store");
}

/* An action at its time, in words, with what it did; a restart's end. */
static void action_moments(struct timeline *tl, const struct ss_scenario *sc,
                           const struct ss_action *ac, const struct ss_action_result *e)
{
    struct ss_para p;
    char what[600], span[SS_TIME_TEXT], n[32];
    ss_para_clear(&p);
    ss_para_say(&p, "ACTION \"%s\": the administrator %s.", ac->name,
                ss_action_text(what, sizeof what, sc, ac));
    switch (ac->what) {
    case SS_ACT_RESTART_STORE:
    case SS_ACT_INSTALL_HOTFIX:
        if (!e->changed)
            break;
        if (e->extended) {
            ss_para_say(&p, " The store was already down; it starts no sooner than %s from "
                        "now.", ss_span_text(span, ac->restart_time));
            break;
        }
        ss_para_say(&p, " The store stops: ");
        restart_effects(&p, e);
        ss_para_say(&p, ".");
        break;
    case SS_ACT_START_MTA:
        if (!e->changed)
            ss_para_say(&p, " It was already running: nothing changes.");
        else if (e->flushes_changed)
            ss_para_say(&p, " It answers the %s %s registered within %s.",
                        ss_thousands(n, (unsigned long long)e->flushes_changed),
                        e->flushes_changed == 1 ? "flush" : "flushes",
                        ss_span_text(span, sc->flush_time));
        else
            ss_para_say(&p, " It will answer every flush from now on.");
        break;
    case SS_ACT_STOP_MTA:
        if (!e->changed)
            ss_para_say(&p, " It was not running: nothing changes.");
        else
            ss_para_say(&p, " Nothing answers a flush from now on: each holds its thread for "
                            "%s.", ss_span_text(span, sc->flush_timeout));
        break;
    case SS_ACT_SET_GATEWAY:
        ss_para_say(&p, " The store reads it when it next starts (KB 810489).");
        break;
    case SS_ACT_CANCEL_MOVE:
        if (e->cancelled)
            ss_para_say(&p, " Its wizard moves no further mailbox: %s %s not moved.",
                        ss_thousands(n, (unsigned long long)e->cancelled),
                        e->cancelled == 1 ? "mailbox is" : "mailboxes are");
        else
            ss_para_say(&p, " It had submitted every mailbox already: nothing changes.");
        break;
    case SS_ACTION_KINDS:
        break;
    }
    moment(tl, ac->at, "%s", p.text);
}

/* " (4 failed in a restart, 120 cancelled)": why a batch moved fewer. */
static const char *unmoved(char *buf, size_t size, const struct ss_batch_result *b)
{
    char n1[32], n2[32];
    if (b->failed && b->cancelled)
        snprintf(buf, size, " (%s failed in a restart, %s cancelled)",
                 ss_thousands(n1, (unsigned long long)b->failed),
                 ss_thousands(n2, (unsigned long long)b->cancelled));
    else if (b->failed || b->cancelled)
        snprintf(buf, size, " (%s %s)",
                 ss_thousands(n1, (unsigned long long)(b->failed + b->cancelled)),
                 b->failed ? "failed in a restart" : "cancelled");
    else
        buf[0] = '\0';
    return buf;
}

static void gather(struct timeline *tl, const struct ss_scenario *sc, const struct ss_results *r)
{
    char a[SS_TIME_TEXT], n1[32], n2[32], why[96];
    size_t i;
    int e;
    /* The administrator's actions first: at a second, what an action did
     * comes after it (model.md, section 5.6). */
    for (i = 0; i < r->n_actions; i++) {
        size_t k;
        bool hotfix = false;
        action_moments(tl, sc, &sc->actions[i], &r->actions[i]);
        for (k = 0; k < i && r->actions[k].up != r->actions[i].up; k++)
            continue;
        if (k < i)
            continue; /* the first action of a downtime says when it ends */
        for (k = i; k < r->n_actions; k++)
            hotfix = hotfix || (r->actions[k].up == r->actions[i].up &&
                                sc->actions[k].what == SS_ACT_INSTALL_HOTFIX);
        moment(tl, r->actions[i].up, "The Information Store runs again%s; the tasks that "
               "waited take its threads.", hotfix ? ", with the KB 924567 hotfix" : "");
    }
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
    for (e = 0; e < SS_EPISODIC; e++)
        episode_moments(tl, sc, r, (enum ss_episodic)e);
    moment(tl, r->first_flush_timeout,
           "First flush times out and gives its thread back.");
    for (i = 0; i < r->n_batches; i++) {
        const struct ss_batch_result *b = &r->batches[i];
        if (b->completed == (uint64_t)sc->moves[i].mailboxes)
            moment(tl, b->done, "Move batch \"%s\" is done: all its mailboxes moved.",
                   sc->moves[i].name);
        else
            moment(tl, b->done, "Move batch \"%s\" is done: %s of %s mailboxes moved%s.",
                   sc->moves[i].name, ss_thousands(n1, (unsigned long long)b->completed),
                   ss_thousands(n2, (unsigned long long)sc->moves[i].mailboxes),
                   unmoved(why, sizeof why, b));
    }
    end_moment(tl, sc, r);
}

static void report_timeline(FILE *f, const struct ss_scenario *sc, const struct ss_results *r)
{
    struct timeline tl;
    size_t i;
    tl.cap = 16 + 2 * r->n_batches + 2 * r->n_actions +
             SS_EPISODIC * (2 * TIMELINE_EPISODES + 1);
    tl.n = 0;
    tl.m = malloc(tl.cap * sizeof *tl.m);
    fputs(sc->clock.set ? "Timeline (clock time)\n" : "Timeline (simulated time)\n", f);
    if (!tl.m) {
        fputs("  (not enough memory to draw the timeline)\n", f);
        return;
    }
    gather(&tl, sc, r);
    qsort(tl.m, tl.n, sizeof *tl.m, by_time);
    for (i = 0; i < tl.n; i++) {
        char clock[SS_TIME_TEXT], lead[SS_TIME_TEXT + 8];
        sprintf(lead, "  %s  ", ss_clock_hms(clock, &sc->clock, tl.m[i].t));
        ss_wrap_after(f, lead, tl.m[i].text, (int)strlen(lead));
    }
    free(tl.m);
}

/* "2 episodes, 3h10m in all" for the symptom an episode starts with; "" for
 * the others. */
static char *episodes_text(char *buf, size_t size, const struct ss_results *r, enum ss_symptom s)
{
    char span[SS_TIME_TEXT];
    int e;
    buf[0] = '\0';
    for (e = 0; e < SS_EPISODIC; e++) {
        const struct ss_episodes *list = &r->episodes[e];
        if (ss_episode_start_symptom((enum ss_episodic)e) != s || list->count == 0)
            continue;
        snprintf(buf, size, "%llu %s, %s in all", (unsigned long long)list->count,
                 list->count == 1 ? "episode" : "episodes", ss_span_text(span, list->total_us));
    }
    return buf;
}

static void report_symptoms(FILE *f, const struct ss_scenario *sc, const struct ss_results *r)
{
    int s;
    fputs("Symptoms\n", f);
    for (s = 0; s < SS_SYMPTOMS; s++) {
        char clock[SS_TIME_TEXT], episodes[96];
        const char *when = r->symptom[s] == SS_NEVER ? ss_symptom_never(r, (enum ss_symptom)s)
                                                     : ss_clock_hms(clock, &sc->clock,
                                                                    r->symptom[s]);
        episodes_text(episodes, sizeof episodes, r, (enum ss_symptom)s);
        if (episodes[0])
            fprintf(f, "  %-20s %-12s %s\n", ss_symptom_label((enum ss_symptom)s), when,
                    episodes);
        else
            fprintf(f, "  %-20s %s\n", ss_symptom_label((enum ss_symptom)s), when);
    }
}

static void report_waits(FILE *f, const struct ss_results *r)
{
    int k;
    fprintf(f, "  %-17s %9s %9s %9s %9s %9s %10s\n", "Wait for a thread", "mean", "p50",
            "p95", "p99", "max", "tasks");
    for (k = 0; k < SS_KINDS; k++) {
        const struct ss_hist *h = &r->wait[k];
        char v[5][SS_TIME_TEXT], n[32];
        fprintf(f, "  %-17s %9s %9s %9s %9s %9s %10s\n", ss_kind_name((enum ss_kind)k),
                ss_span_text(v[0], (ss_time)(ss_hist_mean(h) + 0.5)),
                ss_span_text(v[1], ss_hist_quantile(h, 0.50)),
                ss_span_text(v[2], ss_hist_quantile(h, 0.95)),
                ss_span_text(v[3], ss_hist_quantile(h, 0.99)), ss_span_text(v[4], h->max),
                ss_thousands(n, (unsigned long long)h->count));
    }
}

/* Total i as the report writes it: "1,234", "2h44m23s", "57.8%". */
static char *total_text(char buf[SS_TIME_TEXT], size_t i, double v)
{
    switch (ss_total(i)->unit) {
    case SS_UNIT_US:
        return ss_span_text(buf, (ss_time)v);
    case SS_UNIT_SHARE:
        snprintf(buf, SS_TIME_TEXT, "%.1f%%", 100.0 * v);
        return buf;
    case SS_UNIT_COUNT:
        break;
    }
    return ss_thousands(buf, (unsigned long long)v);
}

/* One row's piece of prose: '#' is the value, "{one|many}" the word that
 * agrees with it. */
static void say_total(struct ss_para *p, size_t i, double v)
{
    const char *s = ss_total(i)->say;
    char value[SS_TIME_TEXT];
    while (*s && *s != '\n') {
        size_t n = strcspn(s, "#{\n");
        ss_para_say(p, "%.*s", (int)n, s);
        s += n;
        if (*s == '#') {
            ss_para_say(p, "%s", total_text(value, i, v));
            s++;
        } else if (*s == '{') {
            const char *bar = strchr(s, '|'), *close = strchr(s, '}');
            assert(bar && close && bar < close);
            if (v == 1)
                ss_para_say(p, "%.*s", (int)(bar - s - 1), s + 1);
            else
                ss_para_say(p, "%.*s", (int)(close - bar - 1), bar + 1);
            s = close + 1;
        }
    }
}

/* The totals' sentences, a paragraph each where a piece ends in "\n". */
static void report_totals(FILE *f, const struct ss_results *r)
{
    struct ss_para p;
    size_t i;
    fputs("Totals\n", f);
    ss_para_clear(&p);
    for (i = 0; i < ss_totals_count(); i++) {
        const char *say = ss_total(i)->say;
        if (!ss_total_in(i, 0, r->n_actions > 0))
            continue;
        say_total(&p, i, ss_total_value(i, r));
        if (say[strlen(say) - 1] == '\n') {
            ss_wrap(f, p.text, 2);
            ss_para_clear(&p);
        }
    }
    if (p.len)
        ss_wrap(f, p.text, 2);
}

static const char *const part_names[SS_PARTS] = {
    "heading", "scenario", "timeline", "symptoms", "totals", "waits", "events",
    "compared", "verdict"};

const char *ss_part_name(int part)
{
    return part_names[part];
}

int ss_parse_parts(const char *list, bool compare, unsigned *mask, char *err, size_t err_size)
{
    const char *p = list;
    *mask = 0;
    while (*p) {
        size_t n = strcspn(p, ","), shown = n > 40 ? 40 : n;
        int part, found = -1;
        for (part = 0; part < SS_PARTS; part++)
            if (strlen(part_names[part]) == n && strncmp(part_names[part], p, n) == 0)
                found = part;
        if (found < 0) {
            snprintf(err, err_size, "--show: unknown part \"%.*s\" (the parts are %s)",
                     (int)shown, p, compare ? "heading, scenario, compared, verdict, timeline, "
                                              "symptoms, totals, waits and events"
                                            : "heading, scenario, timeline, symptoms, totals, "
                                              "waits and events");
            return -1;
        }
        if (!compare && (found == SS_PART_COMPARED || found == SS_PART_VERDICT)) {
            snprintf(err, err_size, "--show: %s belongs to compare (storesim compare ... "
                     "--show %s)", part_names[found], part_names[found]);
            return -1;
        }
        *mask |= 1u << found;
        p += n;
        if (*p == ',')
            p++;
    }
    if (*mask == 0) {
        snprintf(err, err_size, "--show: name at least one part (timeline, symptoms, totals, "
                 "...)");
        return -1;
    }
    return 0;
}

void ss_report_part(FILE *f, const struct ss_scenario *sc, const struct ss_results *r, int part)
{
    char n[32];
    switch (part) {
    case SS_PART_HEADING:
        ss_report_heading(f, sc);
        break;
    case SS_PART_SCENARIO:
        ss_report_scenario(f, sc);
        break;
    case SS_PART_TIMELINE:
        report_timeline(f, sc, r);
        break;
    case SS_PART_SYMPTOMS:
        report_symptoms(f, sc, r);
        break;
    case SS_PART_TOTALS:
        report_totals(f, r);
        break;
    case SS_PART_WAITS:
        report_waits(f, r);
        break;
    case SS_PART_EVENTS:
        fprintf(f, "Events processed: %s\n", ss_thousands(n, (unsigned long long)r->events));
        break;
    default:
        break;
    }
}

void ss_report_heading(FILE *f, const struct ss_scenario *sc)
{
    char text[SS_SCENARIO_LINE_MAX * 3 + 64];
    snprintf(text, sizeof text, "storesim %s: %s (%s)", STORESIM_VERSION, sc->name, sc->path);
    ss_wrap_after(f, "", text, 2);
}

void ss_report_text(FILE *f, const struct ss_scenario *sc, const struct ss_results *r)
{
    ss_report_heading(f, sc);
    fputc('\n', f);
    ss_report_scenario(f, sc);
    fputc('\n', f);
    report_timeline(f, sc, r);
    fputc('\n', f);
    report_symptoms(f, sc, r);
    fputc('\n', f);
    report_totals(f, r);
    fputc('\n', f);
    report_waits(f, r);
    fputc('\n', f);
    ss_report_part(f, sc, r, SS_PART_EVENTS);
}

void ss_report_each_moment(const struct ss_scenario *sc, const struct ss_results *r,
                           void (*fn)(void *ctx, ss_time t, const char *text), void *ctx)
{
    struct timeline tl;
    size_t i;
    tl.cap = 16 + 2 * r->n_batches + 2 * r->n_actions +
             SS_EPISODIC * (2 * TIMELINE_EPISODES + 1);
    tl.n = 0;
    tl.m = malloc(tl.cap * sizeof *tl.m);
    if (!tl.m)
        return;
    gather(&tl, sc, r);
    qsort(tl.m, tl.n, sizeof *tl.m, by_time);
    for (i = 0; i < tl.n; i++)
        fn(ctx, tl.m[i].t, tl.m[i].text);
    free(tl.m);
}
