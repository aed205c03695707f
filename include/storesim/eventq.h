/*
 * eventq.h: the future event list.
 *
 * A flat array binary heap ordered on (time, sequence number). The sequence
 * number is handed out at scheduling time, so events at the same instant run in
 * the order they were scheduled (FIFO tie-break, SPEC section 1) and a run is
 * deterministic without any further rule.
 *
 * An event is a plain value: a time, a handler and one 64-bit argument. The
 * queue never allocates per event: the array doubles when full and is reused
 * from then on, so in steady state pushing and popping allocate nothing.
 */
#ifndef STORESIM_EVENTQ_H
#define STORESIM_EVENTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storesim/simtime.h"

/* What runs when an event fires: `ctx` is the engine's context, `arg` the event's. */
typedef void (*ss_handler)(void *ctx, uint64_t arg);

struct ss_event {
    ss_time time;    /* when it fires */
    uint64_t seq;    /* scheduling order, breaks ties between equal times */
    ss_handler fn;   /* what it does */
    uint64_t arg;    /* one word of payload for fn */
};

struct ss_eventq {
    struct ss_event *heap; /* heap[0] is the next event */
    size_t len;            /* events pending */
    size_t cap;            /* slots allocated */
    uint64_t next_seq;     /* sequence number of the next push */
};

/* An empty queue; allocates nothing until the first push. */
void ss_eventq_init(struct ss_eventq *q);
void ss_eventq_free(struct ss_eventq *q);

/* Schedule fn(arg) at `time`. Returns 0, or -1 when memory runs out (queue unchanged). */
int ss_eventq_push(struct ss_eventq *q, ss_time time, ss_handler fn, uint64_t arg);

/* Remove the earliest event into *out. Returns false when the queue is empty. */
bool ss_eventq_pop(struct ss_eventq *q, struct ss_event *out);

/* Remove the earliest event and schedule fn(arg) at `time` in one step: one
 * sift instead of two. The queue must not be empty. The new event is ordered
 * exactly as if it had been pushed after the removal. */
void ss_eventq_replace_top(struct ss_eventq *q, ss_time time, ss_handler fn, uint64_t arg);

/* The earliest event, or NULL; stays in the queue. */
const struct ss_event *ss_eventq_peek(const struct ss_eventq *q);

#endif
