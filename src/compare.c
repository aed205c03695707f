/*
 * compare.c: the comparison report (see compare.h).
 *
 * The table is built row by row from small helpers, one per kind of value
 * (a time of day, a count, a span, a share), each of which also words the
 * change. The verdict looks for the first cause that explains the result, in
 * the order an administrator would check them.
 */
#include "storesim/compare.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/flush.h"
#include "storesim/report.h"
#include "storesim/totals.h"

const char *ss_compare_label(int which)
{
    return which == SS_BEFORE ? "before" : "after";
}

int ss_compare_scenarios(const struct ss_scenario *sc, struct ss_scenario *before,
                         struct ss_scenario *after)
{
    memset(before, 0, sizeof *before);
    memset(after, 0, sizeof *after);
    if (ss_scenario_copy(before, sc) != 0 || ss_scenario_copy(after, sc) != 0)
        return -1;
    before->hotfix = false;
    after->hotfix = true;
    return 0;
}

/* ------------------------------------------------------------------ table */

/* A row fits in 80 columns: a change too long for its column goes on the
 * next line, under it. */
static void row(FILE *f, const char *label, const char *before, const char *after,
                const char *change)
{
    char line[200];
    int width = snprintf(line, sizeof line, "  %-26s %-14s %-14s", label, before, after), n;
    if (width < 0 || width >= (int)sizeof line || width + 1 + (int)strlen(change) <= 80) {
        fprintf(f, "  %-26s %-14s %-14s %s\n", label, before, after, change);
        return;
    }
    for (n = width; n > 0 && line[n - 1] == ' '; n--)
        ;
    fprintf(f, "%.*s\n%*s %s\n", n, line, width, "", change);
}

/* "-", "+00:01:10", "never (was 00:46:02)", "00:12:00 (was never)". */
static void time_row(FILE *f, const struct ss_clock *clock, const char *label,
                     const struct ss_results *rb, const struct ss_results *ra, enum ss_symptom s)
{
    ss_time b = rb->symptom[s], a = ra->symptom[s];
    char tb[SS_TIME_TEXT], ta[SS_TIME_TEXT], d[SS_TIME_TEXT], change[80];
    if (a == b)
        strcpy(change, "-");
    else if (a == SS_NEVER && strcmp(ss_symptom_never(ra, s), "never") != 0)
        strcpy(change, "not needed"); /* nothing to recover from */
    else if (a == SS_NEVER)
        sprintf(change, "never (was %s)", ss_clock_hms(d, clock, b));
    else if (b == SS_NEVER)
        sprintf(change, "%s (was never)", ss_clock_hms(d, clock, a));
    else
        sprintf(change, "%c%s", a > b ? '+' : '-', ss_time_hms(d, a > b ? a - b : b - a));
    row(f, label, b == SS_NEVER ? ss_symptom_never(rb, s) : ss_clock_hms(tb, clock, b),
        a == SS_NEVER ? ss_symptom_never(ra, s) : ss_clock_hms(ta, clock, a), change);
}

static void count_row(FILE *f, const char *label, long long b, long long a)
{
    char nb[32], na[32], d[32], change[40];
    if (a == b)
        strcpy(change, "-");
    else
        sprintf(change, "%c%s", a > b ? '+' : '-',
                ss_thousands(d, (unsigned long long)(a > b ? a - b : b - a)));
    row(f, label, b < 0 ? "-" : ss_thousands(nb, (unsigned long long)b),
        a < 0 ? "-" : ss_thousands(na, (unsigned long long)a), change);
}

static void span_row(FILE *f, const char *label, ss_time b, ss_time a)
{
    char sb[SS_TIME_TEXT], sa[SS_TIME_TEXT], d[SS_TIME_TEXT], change[SS_TIME_TEXT + 2];
    if (a == b)
        strcpy(change, "-");
    else
        sprintf(change, "%c%s", a > b ? '+' : '-', ss_span_text(d, a > b ? a - b : b - a));
    row(f, label, ss_span_text(sb, b), ss_span_text(sa, a), change);
}

/* A share, 0..1, shown as a percentage; the change in percentage points,
 * between the percentages as shown, so that the row adds up. */
static void share_row(FILE *f, const char *label, double b, double a)
{
    char pb[32], pa[32], change[40];
    sprintf(pb, "%.1f%%", 100 * b);
    sprintf(pa, "%.1f%%", 100 * a);
    if (strcmp(pb, pa) == 0)
        strcpy(change, "-");
    else
        sprintf(change, "%+.1f points", strtod(pa, NULL) - strtod(pb, NULL));
    row(f, label, pb, pa, change);
}

static void symptom_rows(FILE *f, const struct ss_clock *clock, const struct ss_results *b,
                         const struct ss_results *a)
{
    int s;
    fputs("Symptoms (simulated time)\n", f);
    for (s = 0; s < SS_SYMPTOMS; s++)
        time_row(f, clock, ss_symptom_label((enum ss_symptom)s), b, a, (enum ss_symptom)s);
}

/* The totals of the table of totals that compare shows, in its order. */
static void total_rows(FILE *f, const struct ss_results *b, const struct ss_results *a)
{
    size_t i;
    fputs("Totals\n", f);
    for (i = 0; i < ss_totals_count(); i++) {
        const struct ss_total_def *t = ss_total(i);
        double vb = ss_total_value(i, b), va = ss_total_value(i, a);
        if (!ss_total_in(i, SS_IN_COMPARE, b->n_actions > 0))
            continue;
        switch (t->unit) {
        case SS_UNIT_COUNT:
            count_row(f, t->label, (long long)vb, (long long)va);
            break;
        case SS_UNIT_US:
            span_row(f, t->label, (ss_time)(vb + 0.5), (ss_time)(va + 0.5));
            break;
        case SS_UNIT_SHARE:
            share_row(f, t->label, vb, va);
            break;
        }
    }
}

/* ---------------------------------------------------------------- verdict */


static bool starved(const struct ss_results *r)
{
    return r->symptom[SS_DELIVERY_STARVED] != SS_NEVER;
}

/* Does a batch that moves mailboxes out of database d start within the run? */
static bool moves_from(const struct ss_scenario *sc, const struct ss_results *r, size_t d)
{
    size_t i;
    for (i = 0; i < sc->n_moves; i++)
        if (sc->moves[i].database == d && r->batches[i].started != SS_NEVER)
            return true;
    return false;
}

/* Would the hotfix skip the flushes of moves out of database d? The rule is
 * flush.c's, asked as the simulation asks it. */
static bool hotfix_skips(const struct ss_scenario *sc, size_t d)
{
    return ss_flush_decide(sc->mta_enabled, true, sc->databases[d].gateway_out_threads,
                           sc->flush_time, sc->flush_timeout)
               .outcome == SS_FLUSH_SKIPPED;
}

/* 'Gateway Out Threads is 1 on "Mailbox Store 2", the database mailboxes
 * move from in batch2' for each source database where it is not 0. Returns
 * how many databases it named. */
static int say_gateway_out_threads(struct ss_para *p, const struct ss_scenario *sc,
                                   const struct ss_results *r)
{
    size_t d, i;
    int named = 0;
    for (d = 0; d < sc->n_databases; d++) {
        int batches = 0, total = 0;
        if (hotfix_skips(sc, d) || !moves_from(sc, r, d))
            continue;
        for (i = 0; i < sc->n_moves; i++)
            total += sc->moves[i].database == d && r->batches[i].started != SS_NEVER;
        ss_para_say(p, "%s%lld on \"%s\", the database mailboxes move from in ",
            named++ ? "; it is " : "Gateway Out Threads is ", sc->databases[d].gateway_out_threads,
            sc->databases[d].name);
        for (i = 0; i < sc->n_moves; i++) {
            if (sc->moves[i].database != d || r->batches[i].started == SS_NEVER)
                continue;
            batches++;
            ss_para_say(p, "%s%s", batches == 1 ? "" : batches == total ? " and " : ", ",
                sc->moves[i].name);
        }
    }
    return named;
}

static void say_when_starved(struct ss_para *p, const struct ss_comparison *c)
{
    char b[SS_TIME_TEXT], a[SS_TIME_TEXT];
    const ss_time tb = c->res[SS_BEFORE]->symptom[SS_DELIVERY_STARVED];
    const ss_time ta = c->res[SS_AFTER]->symptom[SS_DELIVERY_STARVED];
    if (tb == ta)
        ss_para_say(p, "Local delivery starved in both runs, at %s", ss_clock_hms(b, &c->sc[SS_BEFORE]->clock, tb));
    else
        ss_para_say(p, "Local delivery starved in both runs, at %s without the hotfix and at %s with it",
            ss_clock_hms(b, &c->sc[SS_BEFORE]->clock, tb), ss_clock_hms(a, &c->sc[SS_BEFORE]->clock, ta));
}

/* The restart (restart_store or install_hotfix) whose downtime episode e of
 * starvation began in: from the stop to a starvation threshold after the
 * store ran again. -1: none. */
static int restart_of(const struct ss_scenario *sc, const struct ss_results *r,
                      const struct ss_episode *e)
{
    size_t i;
    for (i = 0; i < r->n_actions; i++) {
        const struct ss_action *ac = &sc->actions[i];
        ss_time up = r->actions[i].up == SS_NEVER ? r->end : r->actions[i].up;
        if ((ac->what == SS_ACT_RESTART_STORE || ac->what == SS_ACT_INSTALL_HOTFIX) &&
            !r->actions[i].extended && e->start >= ac->at &&
            e->start <= up + sc->starvation_threshold)
            return (int)i;
    }
    return -1;
}

/* Did the run starve only because the store was down for a restart? */
static bool only_by_restarts(const struct ss_scenario *sc, const struct ss_results *r)
{
    const struct ss_episodes *list = &r->episodes[SS_EP_STARVED];
    size_t i;
    if (list->count == 0 || list->count > list->n)
        return false;
    for (i = 0; i < list->n; i++)
        if (restart_of(sc, r, &list->list[i]) < 0)
            return false;
    return true;
}

static bool starved_by_restarts(const struct ss_comparison *c, int side)
{
    return only_by_restarts(c->sc[side], c->res[side]);
}

bool ss_compare_starved(const struct ss_scenario *sc, const struct ss_results *r)
{
    return starved(r) && !only_by_restarts(sc, r);
}

/* " It starved only while the store restarted (at 01:15:00, down 5m): ..." */
static void say_restart_starved(struct ss_para *p, const struct ss_comparison *c, int side)
{
    const struct ss_scenario *sc = c->sc[side];
    const struct ss_results *r = c->res[side];
    int i = restart_of(sc, r, &r->episodes[SS_EP_STARVED].list[0]);
    char at[SS_TIME_TEXT], span[SS_TIME_TEXT];
    ss_para_say(p, " %s, delivery starved only around the restart of the store at %s (down for "
                   "%s): a store that is not running delivers nothing, hotfix or not.",
                side == SS_AFTER ? "With the hotfix" : "Without the hotfix",
                ss_clock_hms(at, &sc->clock, sc->actions[i].at),
                ss_span_text(span, sc->actions[i].restart_time));
}

static void hotfix_helped(struct ss_para *p, const struct ss_comparison *c)
{
    const struct ss_scenario *sc = c->sc[SS_BEFORE];
    const struct ss_results *b = c->res[SS_BEFORE], *a = c->res[SS_AFTER];
    char t[SS_TIME_TEXT], waited[SS_TIME_TEXT], span[SS_TIME_TEXT], n[32];
    ss_para_say(p, "The hotfix kept local delivery from starving. Without it, %s %s registered",
        ss_thousands(n, b->flushes.registered),
        b->flushes.registered == 1 ? "flush was" : "flushes were");
    if (!sc->mta_enabled)
        ss_para_say(p, " and, with no MTA to answer, each held a thread for up to %s",
            ss_span_text(span, sc->flush_timeout));
    if (b->symptom[SS_POOL_EXHAUSTED] != SS_NEVER)
        ss_para_say(p, ". The pool ran out of threads at %s",
            ss_clock_hms(t, &sc->clock, b->symptom[SS_POOL_EXHAUSTED]));
    ss_para_say(p, ". At %s a message had waited %s for a thread, and delivery was starved for %s in "
           "all.",
        ss_clock_hms(t, &sc->clock, b->symptom[SS_DELIVERY_STARVED]),
        ss_span_text(waited, sc->starvation_threshold), ss_span_text(span, b->starved_us));
    if (a->flushes.skipped > 0)
        ss_para_say(p, " With the hotfix, the store skipped %s %s, because Gateway Out Threads is 0 on "
               "the database the mailboxes move from",
            ss_thousands(n, a->flushes.skipped), a->flushes.skipped == 1 ? "flush" : "flushes");
    else
        ss_para_say(p, " With the hotfix");
    if (a->symptom[SS_POOL_EXHAUSTED] == SS_NEVER)
        ss_para_say(p, "; the pool never ran out of threads (at most %lld of %lld busy)",
            a->pool.max_busy, a->pool.threads);
    ss_para_say(p, " and no message waited that long%s.",
                starved_by_restarts(c, SS_AFTER) ? " while the store ran" : "");
    if (starved_by_restarts(c, SS_AFTER))
        say_restart_starved(p, c, SS_AFTER);
}

/* Both runs starved: the first cause that explains it. */
static void hotfix_did_not_help(struct ss_para *p, const struct ss_comparison *c)
{
    const struct ss_scenario *sc = c->sc[SS_AFTER];
    const struct ss_results *a = c->res[SS_AFTER];
    char span[SS_TIME_TEXT], n[32];
    say_when_starved(p, c);
    if (sc->mta_enabled) {
        ss_para_say(p, ". The hotfix changed nothing that matters here: the MTA is running and answers "
               "every flush within %s, so flushes do not hold threads for long, and the hotfix "
               "only skips flushes where Gateway Out Threads is 0, the mark of a disabled MTA. "
               "The load itself is more than the pool of %lld threads can carry.",
            ss_span_text(span, sc->flush_time), sc->threads);
        return;
    }
    if (a->flushes.registered > 0) {
        ss_para_say(p, ": the hotfix did not prevent it. ");
        if (say_gateway_out_threads(p, sc, a) > 0)
            ss_para_say(p, "; the hotfix only skips the flush when it is 0, so");
        else
            ss_para_say(p, "With the hotfix");
        ss_para_say(p, " %s %s still registered", ss_thousands(n, a->flushes.registered),
            a->flushes.registered == 1 ? "flush was" : "flushes were");
        if (a->flushes.skipped > 0)
            ss_para_say(p, " (it skipped %s others)", ss_thousands(n, a->flushes.skipped));
        ss_para_say(p, ", each holding a thread for up to %s. Setting Gateway Out Threads to 0 there "
               "(KB 810489) lets the hotfix skip them.",
            ss_span_text(span, sc->flush_timeout));
        return;
    }
    ss_para_say(p, ", and not because of flushes: with the hotfix no flush was registered, yet a "
           "message still waited %s for a thread. The load alone is more than the pool of %lld "
           "threads can carry; the hotfix cannot change that.",
        ss_span_text(span, sc->starvation_threshold), sc->threads);
}

static void never_starved(struct ss_para *p, const struct ss_comparison *c)
{
    const struct ss_scenario *sc = c->sc[SS_BEFORE];
    const struct ss_results *b = c->res[SS_BEFORE], *a = c->res[SS_AFTER];
    char span[SS_TIME_TEXT], n[32];
    ss_para_say(p, "Local delivery did not starve in either run; the pool of %lld threads carried the "
           "load both times (at most %lld busy at once without the hotfix, %lld with it).",
        sc->threads, b->pool.max_busy, a->pool.max_busy);
    if (sc->mta_enabled)
        ss_para_say(p, " The MTA is running and answers every flush within %s, so the hotfix has "
               "nothing to fix.",
            ss_span_text(span, sc->flush_time));
    else if (b->flushes.registered == 0)
        ss_para_say(p, " No flush was registered (no mailbox was moved), so the hotfix had nothing to "
               "skip.");
    else if (a->flushes.skipped > 0)
        ss_para_say(p, " Without the hotfix %s flushes held threads, for up to %s each, but not enough "
               "of them at once to run the pool dry; with it the store skipped %s.",
            ss_thousands(n, b->flushes.registered), ss_span_text(span, sc->flush_timeout),
            ss_thousands(n, a->flushes.skipped));
    else if (say_gateway_out_threads(p, sc, a) > 0)
        ss_para_say(p, "; the hotfix only skips the flush when it is 0, so it skipped none.");
}

static void starved_only_after(struct ss_para *p, const struct ss_comparison *c)
{
    char t[SS_TIME_TEXT];
    ss_para_say(p, "Local delivery starved with the hotfix (at %s) but not without it. The hotfix only "
           "ever removes flushes, so the load is close to what the pool of %lld threads can "
           "carry and small shifts in timing decide it.",
        ss_clock_hms(t, &c->sc[SS_AFTER]->clock, c->res[SS_AFTER]->symptom[SS_DELIVERY_STARVED]), c->sc[SS_AFTER]->threads);
}

void ss_compare_verdict(FILE *f, const struct ss_comparison *c)
{
    struct ss_para p;
    bool b = starved(c->res[SS_BEFORE]), a = starved(c->res[SS_AFTER]);
    /* Starving only while the store restarts is the restart's doing, not the
     * pool's: such a run counts as not starved, and the verdict says so. */
    bool rb = b && starved_by_restarts(c, SS_BEFORE), ra = a && starved_by_restarts(c, SS_AFTER);
    ss_para_clear(&p);
    p.text[0] = '\0';
    if (b && !rb && (!a || ra)) {
        hotfix_helped(&p, c);
    } else if (b && a && !rb) {
        hotfix_did_not_help(&p, c);
    } else if (!a || ra) {
        never_starved(&p, c);
        if (rb)
            say_restart_starved(&p, c, SS_BEFORE);
        if (ra)
            say_restart_starved(&p, c, SS_AFTER);
    } else {
        starved_only_after(&p, c);
    }
    ss_wrap(f, p.text, 2);
}

/* ------------------------------------------------------------------ whole */

void ss_compare_heading(FILE *f, const struct ss_comparison *c)
{
    const struct ss_scenario *sc = c->sc[SS_BEFORE];
    char text[SS_SCENARIO_LINE_MAX * 3 + 96];
    snprintf(text, sizeof text, "storesim %s: compare %s (%s) without and with the KB 924567 "
             "hotfix", STORESIM_VERSION, sc->name, sc->path);
    ss_wrap_after(f, "", text, 2);
}

void ss_compare_table(FILE *f, const struct ss_comparison *c)
{
    const struct ss_scenario *sc = c->sc[SS_BEFORE];
    ss_wrap(f, "Compared: this scenario without the KB 924567 hotfix (\"before\") and with it "
            "installed (\"after\"), with the same seed and the same random numbers, so the same "
            "messages and requests arrive at the same instants and every difference below is "
            "the hotfix's doing.",
         0);
    fputs("\n", f);
    fprintf(f, "  %-26s %-14s %-14s %s\n", "", "before", "after", "change");
    symptom_rows(f, &sc->clock, c->res[SS_BEFORE], c->res[SS_AFTER]);
    total_rows(f, c->res[SS_BEFORE], c->res[SS_AFTER]);
}

void ss_compare_text(FILE *f, const struct ss_comparison *c)
{
    ss_compare_heading(f, c);
    fputc('\n', f);
    ss_report_scenario(f, c->sc[SS_BEFORE]);
    fputs("\n", f);
    ss_compare_table(f, c);
    fputs("\nVerdict\n", f);
    ss_compare_verdict(f, c);
}

void ss_compare_json(struct ss_json *j, const struct ss_comparison *c)
{
    int i;
    ss_json_begin_object(j, NULL);
    for (i = 0; i < SS_COMPARED; i++)
        ss_report_json(j, ss_compare_label(i), c->sc[i], c->res[i]);
    ss_json_end_object(j);
}
