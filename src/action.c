/*
 * action.c: the administrator, and the store's state that actions change.
 *
 * Each [action NAME] is one event at its time, scheduled before any other
 * work, so that at an instant it comes first. What each does to the store
 * (docs/model.md, section 8):
 *
 *   restart_store    the store stops: every task on a thread is cut short,
 *                    waiting OWA requests, moves and flushes leave the
 *                    queue (sim_store_stop and each kind's `stopped`); it
 *                    runs again restart_time later, reading the registry
 *                    and loading the hotfix if it was installed;
 *   install_hotfix   the hotfix is installed, and the store restarts;
 *   start_mta,       the MTA answers the flushes registered, or stops
 *   stop_mta         answering them (move.c);
 *   set_gateway_...  the registry value changes now; the store reads it when
 *                    it next starts (KB 810489);
 *   cancel_move      the batch's wizard submits no further mailbox (move.c).
 *
 * What each did is kept in the results (struct ss_action_result), counted
 * as the difference of the totals across it.
 */
#include "sim_internal.h"

#include <stdlib.h>
#include <string.h>

struct admin {
    long long *registry;   /* Gateway Out Threads in the registry, per database */
    bool hotfix_installed; /* the store loads the hotfix at its next start */
    uint64_t restart;      /* stops so far: the event of the store's start names its own */
    ss_time down_since;    /* while the store is down */
    ss_time up_at;         /* ... when it runs again */
};

static void store_up(void *ctx, uint64_t restart)
{
    struct ss_sim *s = ctx;
    struct admin *a = s->admin;
    const struct ss_scenario *sc = s->sc;
    ss_time now = s->engine.now;
    size_t i, d;
    if (restart != a->restart)
        return; /* a later restart put it off */
    for (d = 0; d < sc->n_databases; d++)
        s->store.gateway[d] = a->registry[d];
    s->store.hotfix = s->store.hotfix || a->hotfix_installed;
    s->res->store.down_us += now - a->down_since;
    for (i = 0; i < sc->n_actions; i++) {
        const struct ss_action *ac = &sc->actions[i];
        if ((ac->what == SS_ACT_RESTART_STORE || ac->what == SS_ACT_INSTALL_HOTFIX) &&
            ac->at >= a->down_since && ac->at <= now && s->res->actions[i].up == SS_NEVER)
            s->res->actions[i].up = now;
    }
    if (sim_tells(s, SS_TOPIC_EVENT))
        ss_trace_say(s->trace, now, SS_TOPIC_EVENT,
                     "the Information Store runs again%s; %lld waiting %s take its threads",
                     s->store.hotfix ? ", with the hotfix" : "", s->pool.n_waiting,
                     s->pool.n_waiting == 1 ? "task" : "tasks");
    sim_store_start(s);
}

/* The store stops now and runs again `down` later; a restart while it is
 * down puts its start off, if later. Returns true when it was down already. */
static bool restart(struct ss_sim *s, ss_time down)
{
    struct admin *a = s->admin;
    ss_time now = s->engine.now;
    ss_time up = down > SS_TIME_MAX - now ? SS_TIME_MAX : now + down;
    bool was_down = !s->store.up;
    if (s->store.up) {
        a->down_since = now;
        s->res->store.restarts++;
        sim_store_stop(s);
    } else if (up <= a->up_at) {
        return true;
    }
    a->up_at = up;
    if (up <= s->sc->duration)
        ss_engine_at(&s->engine, up, store_up, ++a->restart);
    else
        a->restart++;
    return was_down;
}

/* The counts a restart changes: what it did is their difference across it. */
static void counts(struct ss_action_result *c, const struct ss_results *r)
{
    c->requeued = r->delivery.requeued;
    c->owa_failed = r->owa.failed_restart;
    c->moves_failed = r->moves.failed;
    c->flushes_cleared = r->flushes.cleared;
}

/* The action in the trace, in plain words. */
static void tell(struct ss_sim *s, const struct ss_action *ac, const struct ss_action_result *e)
{
    const struct ss_scenario *sc = s->sc;
    ss_time now = s->engine.now;
    char span[SS_TIME_TEXT];
    switch (ac->what) {
    case SS_ACT_RESTART_STORE:
    case SS_ACT_INSTALL_HOTFIX:
        ss_trace_say(s->trace, now, SS_TOPIC_EVENT,
                     "ACTION %s: the administrator %s; the store is down for %s%s: %llu flushes "
                     "gone, %llu messages back in the queue, %llu mailbox moves and %llu OWA "
                     "requests failed", ac->name,
                     ac->what == SS_ACT_INSTALL_HOTFIX ? "installs the KB 924567 hotfix"
                                                       : "restarts the Information Store",
                     ss_span_text(span, ac->restart_time),
                     e->extended ? " (it was down already)" : "",
                     (unsigned long long)e->flushes_cleared, (unsigned long long)e->requeued,
                     (unsigned long long)e->moves_failed, (unsigned long long)e->owa_failed);
        break;
    case SS_ACT_START_MTA:
    case SS_ACT_STOP_MTA:
        ss_trace_say(s->trace, now, SS_TOPIC_EVENT, "ACTION %s: the administrator %s the MTA%s; "
                     "%llu flushes registered %s", ac->name,
                     ac->what == SS_ACT_START_MTA ? "starts" : "stops",
                     e->changed ? "" : " (no change: it was so already)",
                     (unsigned long long)e->flushes_changed,
                     ac->what == SS_ACT_START_MTA ? "are answered" : "will time out instead");
        break;
    case SS_ACT_SET_GATEWAY:
        ss_trace_say(s->trace, now, SS_TOPIC_EVENT, "ACTION %s: the administrator sets Gateway "
                     "Out Threads of \"%s\" to %lld in the registry; the store reads it when it "
                     "next starts", ac->name, sc->databases[ac->database].name, ac->value);
        break;
    case SS_ACT_CANCEL_MOVE:
        ss_trace_say(s->trace, now, SS_TOPIC_EVENT, "ACTION %s: the administrator cancels move "
                     "batch %s; %llu mailboxes will not be moved", ac->name,
                     sc->moves[ac->batch].name, (unsigned long long)e->cancelled);
        break;
    case SS_ACTION_KINDS:
        break;
    }
}

static void act(void *ctx, uint64_t i)
{
    struct ss_sim *s = ctx;
    struct admin *a = s->admin;
    const struct ss_action *ac = &s->sc->actions[i];
    struct ss_action_result *e = &s->res->actions[i];
    struct ss_action_result before, after;
    counts(&before, s->res);
    e->changed = true;
    switch (ac->what) {
    case SS_ACT_INSTALL_HOTFIX:
        a->hotfix_installed = true;
        e->extended = restart(s, ac->restart_time);
        break;
    case SS_ACT_RESTART_STORE:
        e->extended = restart(s, ac->restart_time);
        break;
    case SS_ACT_START_MTA:
    case SS_ACT_STOP_MTA:
        if (s->store.mta == (ac->what == SS_ACT_START_MTA)) {
            e->changed = false; /* already running, or already stopped */
            break;
        }
        s->store.mta = ac->what == SS_ACT_START_MTA;
        e->flushes_changed = moves_mta_changed(s);
        break;
    case SS_ACT_SET_GATEWAY:
        e->changed = a->registry[ac->database] != ac->value;
        a->registry[ac->database] = ac->value;
        break;
    case SS_ACT_CANCEL_MOVE:
        e->cancelled = moves_cancel(s, ac->batch);
        e->changed = e->cancelled > 0;
        break;
    case SS_ACTION_KINDS:
        break;
    }
    counts(&after, s->res);
    e->requeued = after.requeued - before.requeued;
    e->owa_failed = after.owa_failed - before.owa_failed;
    e->moves_failed = after.moves_failed - before.moves_failed;
    e->flushes_cleared = after.flushes_cleared - before.flushes_cleared;
    if (sim_tells(s, SS_TOPIC_EVENT))
        tell(s, ac, e);
}

static int begin(struct ss_sim *s)
{
    const struct ss_scenario *sc = s->sc;
    struct ss_results *r = s->res;
    struct admin *a;
    size_t i;
    if (sc->n_actions == 0)
        return 0; /* nothing to do: the store stays as the scenario says */
    a = calloc(1, sizeof *a);
    if (!a)
        return -1;
    s->admin = a;
    a->registry = malloc(sc->n_databases * sizeof *a->registry);
    r->actions = calloc(sc->n_actions, sizeof *r->actions);
    if (!a->registry || !r->actions)
        return -1;
    r->n_actions = sc->n_actions;
    for (i = 0; i < sc->n_databases; i++)
        a->registry[i] = sc->databases[i].gateway_out_threads;
    for (i = 0; i < sc->n_actions; i++) {
        r->actions[i].up = SS_NEVER;
        ss_engine_at(&s->engine, sc->actions[i].at, act, (uint64_t)i);
    }
    return 0;
}

/* A store still down when the run ends was down until the end. */
static void end(struct ss_sim *s)
{
    if (s->admin && !s->store.up)
        s->res->store.down_us += s->sc->duration - s->admin->down_since;
}

static void release(struct ss_sim *s)
{
    if (s->admin)
        free(s->admin->registry);
    free(s->admin);
    s->admin = NULL;
}

const struct sim_workload admin_workload = {begin, NULL, end, release};
