/*
 * eventq.h: the future event list.
 *
 * A radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, 1990) on the event times.
 * It relies on what a discrete-event simulation guarantees anyway: times are
 * integers (microseconds) and never earlier than the event last taken out
 * (`last`). Bucket b holds the events whose time first differs from `last`
 * in bit b - 1, counting from the least significant bit, and bucket 0 those
 * at `last` itself. Taking the earliest event is taking from bucket 0; when
 * bucket 0 is empty, the lowest bucket that is not is "redistributed": its
 * earliest time becomes `last` and its events move to lower buckets. An
 * event only ever moves down, so it moves at most 64 times and in practice a
 * few; each move is a sequential copy, where a binary heap's sift jumps
 * about memory. The cost per event therefore does not grow with the number
 * of pending events the way a heap's does (docs/performance.md has the
 * measurements that chose it over heaps and a calendar queue).
 *
 * FIFO among equal times (SPEC section 1) comes free, without a sequence
 * number: events at the same time are always in the same bucket (the bucket
 * depends only on the time and `last`), every bucket keeps the order events
 * were put in it, and a redistribution moves them in that order. Events at
 * the same instant therefore come out in the order they were scheduled, and
 * a run is deterministic without any further rule.
 *
 * Storage: each bucket is a list of fixed-size chunks; chunks are carved from
 * a few large blocks and recycled through a free list, so in steady state
 * pushing and popping allocate nothing, and memory is the pending events
 * (24 bytes each) plus one chunk per bucket. Every bucket owns a chunk from
 * the first push on, which makes taking an event infallible: a
 * redistribution frees source chunks at least as fast as it needs new ones.
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
    ss_time time;  /* when it fires */
    ss_handler fn; /* what it does */
    uint64_t arg;  /* one word of payload for fn */
};

/* Events per chunk: a chunk is 8 + 24 x 64 = 1544 bytes. */
#define SS_EVENTQ_CHUNK 64
/* Buckets: 0 for the time `last` itself, b = 1..64 for a first difference in bit b - 1. */
#define SS_EVENTQ_BUCKETS 65

struct ss_eventq_chunk {
    struct ss_eventq_chunk *next;             /* the next chunk of its bucket, or of the free list */
    struct ss_event ev[SS_EVENTQ_CHUNK];      /* in the order they were put in */
};

struct ss_eventq_block; /* private to eventq.c */

struct ss_eventq_bucket {
    struct ss_event *put;         /* where its next event goes, in *tail */
    struct ss_event *end;         /* the end of *tail */
    struct ss_eventq_chunk *head; /* its oldest chunk */
    struct ss_eventq_chunk *tail; /* the chunk being filled (== head when there is one) */
    ss_time min;                  /* its earliest time; SS_TIME_MAX when empty (not kept for 0) */
};

struct ss_eventq {
    struct ss_eventq_bucket bucket[SS_EVENTQ_BUCKETS];
    struct ss_event *read;        /* bucket 0's next event; == bucket[0].put when it is empty */
    size_t len;                   /* events pending */
    uint64_t used;                /* bit b - 1 set when bucket b (1..64) holds events */
    ss_time last;                 /* time of the event last taken out; INT64_MIN at first */
    struct ss_eventq_chunk *spare; /* free chunks */
    size_t chunks;                /* chunks allocated (in buckets or spare) */
    size_t max_chunks;            /* never allocate past this many (0: no limit); for tests */
    struct ss_eventq_block *blocks; /* the allocations they were carved from */
};

/* An empty queue, without a memory limit; allocates nothing until the first
 * push. ss_eventq_free gives all memory back and leaves the queue as
 * ss_eventq_init does. */
void ss_eventq_init(struct ss_eventq *q);
void ss_eventq_free(struct ss_eventq *q);

/* Schedule fn(arg) at `time`, which must not be earlier than the time of the
 * event last taken out (any time, while the queue is empty). Returns 0, or -1
 * when memory runs out (queue unchanged). */
int ss_eventq_push(struct ss_eventq *q, ss_time time, ss_handler fn, uint64_t arg);

/* Remove the earliest event into *out. Returns false when the queue is empty.
 * Never allocates and never fails otherwise. */
bool ss_eventq_pop(struct ss_eventq *q, struct ss_event *out);

/* The same, but only when the earliest event's time is at most `until`;
 * otherwise the queue is left as it is and false returned. The engine's loop. */
bool ss_eventq_pop_until(struct ss_eventq *q, ss_time until, struct ss_event *out);

/* Remove the earliest event and schedule fn(arg) at `time`, no earlier than
 * the removed one's: exactly a pop followed by a push (a radix heap gains
 * nothing from doing both in one step; the binary heap did). The queue must
 * not be empty. Returns 0, or -1 when memory runs out: the earliest event is
 * then removed and the new one not scheduled. */
int ss_eventq_replace_top(struct ss_eventq *q, ss_time time, ss_handler fn, uint64_t arg);

/* The earliest event's time into *time; false when the queue is empty. O(1). */
bool ss_eventq_next_time(const struct ss_eventq *q, ss_time *time);

/* The earliest event, or NULL; stays in the queue. O(1) when it is at the
 * time `last`; otherwise it searches one bucket: for inspection and tests,
 * not for a loop (use ss_eventq_pop_until). */
const struct ss_event *ss_eventq_peek(const struct ss_eventq *q);

/* Slots for events in the chunks allocated so far: grows geometrically,
 * never shrinks until ss_eventq_free. */
size_t ss_eventq_capacity(const struct ss_eventq *q);

#endif
