/*
 * episodes.c: the episodes of the symptoms that come and go (see sim.h).
 *
 * Each list grows as episodes end; a run of many episodes keeps the first
 * SS_EPISODES_KEPT of them and counts the rest, so its memory stays bounded.
 */
#include "sim_internal.h"

#include <stdlib.h>

enum { NONE, GOING, PENDING };

enum ss_symptom ss_episode_start_symptom(enum ss_episodic e)
{
    static const enum ss_symptom start[SS_EPISODIC] = {SS_DELIVERY_STARVED, SS_OWA_UNRESPONSIVE,
                                                       SS_SMTP_STOPPED};
    return start[e];
}

enum ss_symptom ss_episode_end_symptom(enum ss_episodic e)
{
    static const enum ss_symptom end[SS_EPISODIC] = {SS_DELIVERY_RECOVERED, SS_OWA_RESPONSIVE,
                                                     SS_SMTP_RESUMED};
    return end[e];
}

/* File the current episode in the list; -1 when out of memory. */
static int file(struct ss_episodes *e)
{
    e->state = NONE;
    if (e->n == SS_EPISODES_KEPT)
        return 0; /* counted, not kept */
    if (e->n == e->cap) {
        size_t cap = e->cap ? 2 * e->cap : 16;
        struct ss_episode *grown;
        if (cap > SS_EPISODES_KEPT)
            cap = SS_EPISODES_KEPT;
        grown = realloc(e->list, cap * sizeof *grown);
        if (!grown)
            return -1;
        e->list = grown;
        e->cap = cap;
    }
    e->list[e->n++] = e->current;
    return 0;
}

int episode_begin(struct ss_episodes *e, ss_time at, ss_time fold)
{
    if (e->state == PENDING && at - e->current.end < fold) {
        /* Soon after the last one ended: the same episode goes on. */
        e->total_us -= e->current.end - e->current.start;
        e->current.end = SS_NEVER;
        e->current.starts++;
        e->since = at;
        e->state = GOING;
        return 0;
    }
    if (e->state == PENDING && file(e) != 0)
        return -1;
    e->current.start = at;
    e->current.end = SS_NEVER;
    e->current.starts = 1;
    e->current.active_us = 0;
    e->since = at;
    e->count++;
    e->state = GOING;
    return 0;
}

void episode_end(struct ss_episodes *e, ss_time at)
{
    e->current.end = at;
    e->current.active_us += at - e->since;
    e->total_us += at - e->current.start;
    e->state = PENDING;
}

bool episode_going(const struct ss_episodes *e)
{
    return e->state == GOING;
}

int episode_finish(struct ss_episodes *e, ss_time end)
{
    if (e->state == GOING) {
        e->current.active_us += end - e->since;
        e->total_us += end - e->current.start;
    }
    return e->state == NONE ? 0 : file(e);
}

void episodes_free(struct ss_episodes *e)
{
    free(e->list);
    e->list = NULL;
    e->n = e->cap = 0;
}
