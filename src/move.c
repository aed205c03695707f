/*
 * move.c: the Move Mailbox wizard, and the flush each move registers.
 *
 * A batch ([move NAME]) starts at its start time with `concurrency` mailbox
 * moves; each time one ends, the next mailbox is submitted, until all are.
 * When a move task gets its thread, the store decides on the transit-mail
 * flush of that mailbox (flush.c, the KB 924567 rule) and, unless it is
 * skipped, submits the flush as a task of its own: the move does not wait.
 *
 * This file owns both kinds, "move" and "flush", and the only packing of
 * their references:
 *
 *   move   (mailbox << BATCH_BITS) | batch       mailbox counts from 1
 *   flush  (move reference << 1) | times_out     the outcome decided at start
 */
#include "sim_internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/dist.h"
#include "storesim/flush.h"

#define BATCH_BITS 20   /* up to 2^20 batches: far more than a 1 MiB file holds */
#define MAILBOX_BITS 30 /* up to SS_MAILBOXES_MAX mailboxes a batch */
SIM_STATIC_ASSERT(SS_MAILBOXES_MAX < 1LL << MAILBOX_BITS, mailboxes_fit);
SIM_STATIC_ASSERT(BATCH_BITS + MAILBOX_BITS + 1 <= SIM_REF_BITS, flush_reference_fits);

static uint64_t move_ref(size_t batch, uint64_t mailbox)
{
    return (mailbox << BATCH_BITS) | (uint64_t)batch;
}

static size_t ref_batch(uint64_t move)
{
    return (size_t)(move & ((1u << BATCH_BITS) - 1));
}

static unsigned long long ref_mailbox(uint64_t move)
{
    return (unsigned long long)(move >> BATCH_BITS);
}

static uint64_t flush_ref(uint64_t move, bool times_out)
{
    return (move << 1) | (uint64_t)times_out;
}

static uint64_t flush_move(uint64_t flush)
{
    return flush >> 1;
}

static bool flush_times_out(uint64_t flush)
{
    return flush & 1;
}

struct moves {
    struct ss_rng *duration; /* one per batch: stream "move NAME.duration" */
};

static void submit_next(struct ss_sim *s, size_t batch)
{
    struct ss_batch_result *b = &s->res->batches[batch];
    b->submitted++;
    s->res->moves.submitted++;
    sim_submit(s, SS_MOVE,
               ss_dist_sample(&s->sc->moves[batch].duration, &s->moves->duration[batch]),
               move_ref(batch, b->submitted));
}

static void batch_start(void *ctx, uint64_t batch)
{
    struct ss_sim *s = ctx;
    const struct ss_move *mv = &s->sc->moves[batch];
    long long i, first = mv->concurrency < mv->mailboxes ? mv->concurrency : mv->mailboxes;
    if (s->res->batches[batch].cancelled > 0)
        return; /* cancelled before it started: the wizard never runs */
    s->res->batches[batch].started = s->engine.now;
    if (mv->mailboxes == 0) /* nothing to move: done as soon as it starts */
        s->res->batches[batch].done = s->engine.now;
    if (sim_tells(s, SS_TOPIC_EVENT))
        ss_trace_say(s->trace, s->engine.now, SS_TOPIC_EVENT,
                     "%s: the Move Mailbox wizard starts moving %lld mailboxes out of \"%s\", "
                     "%lld at a time",
                     mv->name, mv->mailboxes, s->sc->databases[mv->database].name,
                     mv->concurrency);
    for (i = 0; i < first; i++)
        submit_next(s, (size_t)batch);
}

/* ---- kind "move" -------------------------------------------------------- */

/* The move got its thread: the store decides on the mailbox's flush. */
static void move_started(struct ss_sim *s, uint64_t ref)
{
    const struct ss_scenario *sc = s->sc;
    const struct ss_move *mv = &sc->moves[ref_batch(ref)];
    struct ss_flush_decision d = ss_flush_decide(s->store.mta, s->store.hotfix,
                                                 s->store.gateway[mv->database],
                                                 sc->flush_time, sc->flush_timeout);
    ss_time now = s->engine.now;
    if (sim_tells(s, SS_FLUSH)) {
        char hold[SS_TIME_TEXT];
        ss_trace_say(s->trace, now, SS_FLUSH, "%s, mailbox %llu: flush %s%s%s", mv->name,
                     ref_mailbox(ref), d.reason,
                     d.outcome == SS_FLUSH_SKIPPED      ? ""
                     : d.outcome == SS_FLUSH_TIMES_OUT ? " after "
                                                       : " within ",
                     d.outcome == SS_FLUSH_SKIPPED ? "" : ss_span_text(hold, d.hold));
    }
    if (d.outcome == SS_FLUSH_SKIPPED) {
        s->res->flushes.skipped++;
        sim_first(&s->res->first_flush_skipped, now);
        return;
    }
    s->res->flushes.registered++;
    sim_first(&s->res->first_flush_registered, now);
    sim_submit(s, SS_FLUSH, d.hold, flush_ref(ref, d.outcome == SS_FLUSH_TIMES_OUT));
}

/* A move of the batch has ended (done, or failed): the wizard goes on with
 * its next mailbox, or is done when none is left and none is in flight. */
static void wizard_next(struct ss_sim *s, size_t batch)
{
    const struct ss_move *mv = &s->sc->moves[batch];
    struct ss_batch_result *b = &s->res->batches[batch];
    if ((long long)(b->submitted + b->cancelled) < mv->mailboxes) {
        submit_next(s, batch);
    } else if (b->completed + b->failed == b->submitted && b->done == SS_NEVER) {
        b->done = s->engine.now;
        if (sim_tells(s, SS_TOPIC_EVENT) && b->completed == (uint64_t)mv->mailboxes)
            ss_trace_say(s->trace, s->engine.now, SS_TOPIC_EVENT,
                         "%s: all %lld mailboxes moved", mv->name, mv->mailboxes);
        else if (sim_tells(s, SS_TOPIC_EVENT))
            ss_trace_say(s->trace, s->engine.now, SS_TOPIC_EVENT,
                         "%s: the wizard is done: %llu of %lld mailboxes moved", mv->name,
                         (unsigned long long)b->completed, mv->mailboxes);
    }
}

/* The move's thread is free (or passed on): the wizard goes on. */
static void move_released(struct ss_sim *s, uint64_t ref)
{
    size_t batch = ref_batch(ref);
    struct ss_batch_result *b = &s->res->batches[batch];
    b->completed++;
    s->res->moves.completed++;
    if (sim_tells(s, SS_MOVE))
        ss_trace_say(s->trace, s->engine.now, SS_MOVE,
                     "%s, mailbox %llu: move done; its thread is free", s->sc->moves[batch].name,
                     ref_mailbox(ref));
    wizard_next(s, batch);
}

/* The store stopped under the move, on a thread or waiting: the mailbox is
 * not moved (the wizard reports it failed) and the wizard goes on with its
 * next one, which waits for the store to run again. */
static void move_stopped(struct ss_sim *s, uint64_t ref, ss_time hold, bool running)
{
    size_t batch = ref_batch(ref);
    (void)hold;
    (void)running;
    s->res->batches[batch].failed++;
    s->res->moves.failed++;
    wizard_next(s, batch);
}

uint64_t moves_cancel(struct ss_sim *s, size_t batch)
{
    const struct ss_move *mv = &s->sc->moves[batch];
    struct ss_batch_result *b = &s->res->batches[batch];
    uint64_t left = (uint64_t)mv->mailboxes - b->submitted - b->cancelled;
    b->cancelled += left;
    s->res->moves.cancelled += left;
    /* Started, and nothing in flight: the wizard stops now. */
    if (left > 0 && b->started != SS_NEVER && b->done == SS_NEVER &&
        b->completed + b->failed == b->submitted)
        b->done = s->engine.now;
    return left;
}

static void move_name(const struct ss_sim *s, uint64_t ref, char *buf, size_t size)
{
    snprintf(buf, size, "%s, mailbox %llu: move", s->sc->moves[ref_batch(ref)].name,
             ref_mailbox(ref));
}

const struct sim_kind move_kind = {NULL,      NULL,      move_started, NULL, move_released,
                                   move_name, move_stopped, false};

/* ---- kind "flush" ------------------------------------------------------- */

static void flush_done(struct ss_sim *s, uint64_t ref)
{
    uint64_t move = flush_move(ref);
    ss_time now = s->engine.now;
    if (flush_times_out(ref)) {
        s->res->flushes.timed_out++;
        sim_first(&s->res->first_flush_timeout, now);
    } else {
        s->res->flushes.completed++;
    }
    if (sim_tells(s, SS_FLUSH))
        ss_trace_say(s->trace, now, SS_FLUSH, "%s, mailbox %llu: flush %s; its thread is free",
                     s->sc->moves[ref_batch(move)].name, ref_mailbox(move),
                     flush_times_out(ref) ? "times out" : "answered by the MTA");
}

/* A restart: the store forgets the flushes it registered (modelling choice,
 * docs/model.md section 8). */
static void flush_stopped(struct ss_sim *s, uint64_t ref, ss_time hold, bool running)
{
    (void)ref;
    (void)hold;
    (void)running;
    s->res->flushes.cleared++;
}

/* One flush's outcome now that the MTA runs (or not): the hold it keeps from
 * `started`, and whether it changes. A flush that would time out before the
 * MTA could answer it is left as it is. */
static bool flush_follows(const struct ss_sim *s, uint64_t *ref, ss_time started, ss_time *end)
{
    ss_time now = s->engine.now;
    if (s->store.mta && flush_times_out(*ref) && now + s->sc->flush_time < *end) {
        *end = now + s->sc->flush_time; /* the MTA answers it */
    } else if (!s->store.mta && !flush_times_out(*ref)) {
        *end = started + s->sc->flush_timeout; /* no answer comes: it times out */
    } else {
        return false;
    }
    *ref = flush_ref(flush_move(*ref), !s->store.mta);
    return true;
}

uint64_t moves_mta_changed(struct ss_sim *s)
{
    struct ss_pool *p = &s->pool;
    uint64_t changed = 0;
    long long t, i;
    ss_pool_mark_free(p);
    for (t = 0; t < p->used; t++) {
        const struct ss_thread *th = &p->thread[t];
        uint64_t ref = th->ref;
        ss_time end = th->started + th->hold;
        if (th->kind != SS_FLUSH || !flush_follows(s, &ref, th->started, &end))
            continue;
        changed++;
        if (end < s->engine.now)
            end = s->engine.now; /* a timeout already past: it ends now */
        sim_retime(s, t, end, ref);
    }
    for (i = 0; i < ss_pool_waiting(p, SS_FLUSH); i++) {
        struct ss_task *w = ss_pool_queued(p, SS_FLUSH, i);
        ss_time end = s->engine.now + w->hold;
        if (!flush_follows(s, &w->ref, s->engine.now, &end))
            continue;
        changed++;
        w->hold = s->store.mta ? s->sc->flush_time : s->sc->flush_timeout;
    }
    return changed;
}

static void flush_name(const struct ss_sim *s, uint64_t ref, char *buf, size_t size)
{
    uint64_t move = flush_move(ref);
    snprintf(buf, size, "%s, mailbox %llu: flush", s->sc->moves[ref_batch(move)].name,
             ref_mailbox(move));
}

bool moves_title(const struct ss_sim *s, enum ss_kind kind, uint64_t ref, char *buf,
                 size_t size)
{
    uint64_t move = kind == SS_FLUSH ? flush_move(ref) : ref;
    const char *batch;
    if (kind != SS_MOVE && kind != SS_FLUSH)
        return false;
    batch = s->sc->moves[ref_batch(move)].name;
    if (kind != SS_FLUSH)
        snprintf(buf, size, "move of mailbox %llu, %s", ref_mailbox(move), batch);
    else
        snprintf(buf, size, "flush of mailbox %llu, %s: %s", ref_mailbox(move), batch,
                 flush_times_out(ref) ? "times out" : "answered by the MTA");
    return true;
}

const struct sim_kind flush_kind = {NULL, NULL, NULL, flush_done, NULL, flush_name,
                                    flush_stopped, false};

/* ---- the workload ------------------------------------------------------- */

static int begin(struct ss_sim *s)
{
    const struct ss_scenario *sc = s->sc;
    struct ss_results *r = s->res;
    size_t i;
    assert(sc->n_moves < (size_t)1 << BATCH_BITS);
    s->moves = calloc(1, sizeof *s->moves);
    if (!s->moves)
        return -1;
    if (sc->n_moves == 0)
        return 0;
    r->batches = calloc(sc->n_moves, sizeof *r->batches);
    s->moves->duration = calloc(sc->n_moves, sizeof *s->moves->duration);
    if (!r->batches || !s->moves->duration)
        return -1;
    r->n_batches = sc->n_moves;
    for (i = 0; i < sc->n_moves; i++) {
        const struct ss_move *mv = &sc->moves[i];
        /* The stream is named for the batch: "move batch1.duration". */
        char name[SS_SCENARIO_LINE_MAX + 32];
        r->batches[i].started = r->batches[i].done = SS_NEVER;
        strcpy(name, "move ");
        strncat(name, mv->name, SS_SCENARIO_LINE_MAX);
        strcat(name, ".duration");
        ss_rng_stream(&s->moves->duration[i], sc->seed, name);
        ss_engine_at(&s->engine, mv->start, batch_start, (uint64_t)i);
    }
    return 0;
}

/* What the run missed: moves still going, flushes still holding threads. */
static void end(struct ss_sim *s)
{
    const struct ss_scenario *sc = s->sc;
    const struct ss_results *r = s->res;
    uint64_t holding = r->flushes.registered - r->flushes.completed - r->flushes.timed_out -
                       r->flushes.cleared;
    long long waiting = ss_pool_waiting(&s->pool, SS_FLUSH), t;
    ss_time last_end = 0; /* when the last flush on a thread gives it back */
    char a[SS_TIME_TEXT], b[SS_TIME_TEXT], c[SS_TIME_TEXT];
    size_t i;
    ss_pool_mark_free(&s->pool);
    for (t = 0; t < s->pool.used; t++) {
        const struct ss_thread *th = &s->pool.thread[t];
        if (th->kind == SS_FLUSH && th->started + th->hold > last_end)
            last_end = th->started + th->hold;
    }
    for (i = 0; i < r->n_batches; i++)
        if (r->batches[i].started != SS_NEVER &&
            (long long)(r->batches[i].submitted + r->batches[i].cancelled) <
                sc->moves[i].mailboxes)
            (void)sim_warn(s, "move %s is still moving mailboxes when the run ends (%llu of %lld "
                              "submitted): lengthen simulation.duration to see it finish",
                           sc->moves[i].name, (unsigned long long)r->batches[i].submitted,
                           sc->moves[i].mailboxes);
    if (holding > (uint64_t)waiting)
        (void)sim_warn(s, "%llu %s still %s a thread when the run ends%s; the last of them gives "
                          "it back at %s, %s later: run for %s to see %s end",
                       (unsigned long long)(holding - (uint64_t)waiting),
                       holding - (uint64_t)waiting == 1 ? "flush" : "flushes",
                       holding - (uint64_t)waiting == 1 ? "holds" : "hold",
                       waiting > 0 ? " (more wait for one)" : "",
                       ss_clock_hms(a, &sc->clock, last_end),
                       ss_span_text(b, last_end - sc->duration),
                       /* a round figure: to the next minute */
                       ss_span_canonical(c, (last_end + SS_MINUTE - 1) /
                                                SS_MINUTE * SS_MINUTE),
                       holding - (uint64_t)waiting == 1 ? "it" : "them");
}

static void release(struct ss_sim *s)
{
    if (s->moves)
        free(s->moves->duration);
    free(s->moves);
    s->moves = NULL;
}

const struct sim_workload moves_workload = {begin, NULL, end, release};
