/*
 * move.c: the Move Mailbox wizard, and the flush each move registers.
 *
 * A batch ([move NAME]) starts at its start time with `concurrency` mailbox
 * moves; each time one ends, the next mailbox is submitted, until all are.
 * When a move task gets its thread, the store decides on the transit-mail
 * flush of that mailbox (flush.c, the KB 924567 rule) and, unless it is
 * skipped, submits the flush as a task of its own: the move does not wait.
 *
 * A flush task's reference is the move's, shifted left once, with the low bit
 * set when the flush will time out rather than complete.
 */
#include "sim_internal.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/dist.h"
#include "storesim/flush.h"

static void submit_next(struct ss_sim *s, size_t batch)
{
    struct ss_batch_result *b = &s->res->batches[batch];
    b->submitted++;
    s->res->moves.submitted++;
    sim_submit(s, SS_MOVE, ss_dist_sample(&s->sc->moves[batch].duration, &s->move_duration[batch]),
               SS_REF(batch, b->submitted));
}

static void batch_start(void *ctx, uint64_t batch)
{
    struct ss_sim *s = ctx;
    const struct ss_move *mv = &s->sc->moves[batch];
    long long i, first = mv->concurrency < mv->mailboxes ? mv->concurrency : mv->mailboxes;
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

void move_started(struct ss_sim *s, uint64_t ref)
{
    const struct ss_scenario *sc = s->sc;
    const struct ss_move *mv = &sc->moves[SS_REF_BATCH(ref)];
    const struct ss_database *db = &sc->databases[mv->database];
    struct ss_flush_decision d = ss_flush_decide(sc->mta_enabled, sc->hotfix,
                                                 db->gateway_out_threads, sc->flush_time,
                                                 sc->flush_timeout);
    ss_time now = s->engine.now;
    if (sim_tells(s, SS_FLUSH)) {
        char hold[SS_TIME_TEXT];
        ss_trace_say(s->trace, now, SS_FLUSH, "%s, mailbox %llu: flush %s%s%s", mv->name,
                     (unsigned long long)SS_REF_MAILBOX(ref), d.reason,
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
    sim_submit(s, SS_FLUSH, d.hold, (ref << 1) | (d.outcome == SS_FLUSH_TIMES_OUT));
}

void move_finished(struct ss_sim *s, uint64_t ref)
{
    size_t batch = SS_REF_BATCH(ref);
    const struct ss_move *mv = &s->sc->moves[batch];
    struct ss_batch_result *b = &s->res->batches[batch];
    b->completed++;
    s->res->moves.completed++;
    if (sim_tells(s, SS_MOVE))
        ss_trace_say(s->trace, s->engine.now, SS_MOVE,
                     "%s, mailbox %llu: move done; its thread is free", mv->name,
                     (unsigned long long)SS_REF_MAILBOX(ref));
    if ((long long)b->submitted < mv->mailboxes) {
        submit_next(s, batch);
    } else if ((long long)b->completed == mv->mailboxes) {
        b->done = s->engine.now;
        if (sim_tells(s, SS_TOPIC_EVENT))
            ss_trace_say(s->trace, s->engine.now, SS_TOPIC_EVENT,
                         "%s: all %lld mailboxes moved", mv->name, mv->mailboxes);
    }
}

void flush_finished(struct ss_sim *s, uint64_t ref)
{
    bool timed_out = ref & 1;
    ss_time now = s->engine.now;
    if (timed_out) {
        s->res->flushes.timed_out++;
        sim_first(&s->res->first_flush_timeout, now);
    } else {
        s->res->flushes.completed++;
    }
    if (sim_tells(s, SS_FLUSH))
        ss_trace_say(s->trace, now, SS_FLUSH, "%s, mailbox %llu: flush %s; its thread is free",
                     s->sc->moves[SS_REF_BATCH(ref >> 1)].name,
                     (unsigned long long)SS_REF_MAILBOX(ref >> 1),
                     timed_out ? "times out" : "answered by the MTA");
}

void move_begin(struct ss_sim *s)
{
    size_t i;
    for (i = 0; i < s->sc->n_moves; i++) {
        const struct ss_move *mv = &s->sc->moves[i];
        /* The stream is named for the batch: "move batch1.duration". */
        char name[SS_SCENARIO_LINE_MAX + 32];
        strcpy(name, "move ");
        strncat(name, mv->name, SS_SCENARIO_LINE_MAX);
        strcat(name, ".duration");
        ss_rng_stream(&s->move_duration[i], s->sc->seed, name);
        ss_engine_at(&s->engine, mv->start, batch_start, (uint64_t)i);
    }
}
