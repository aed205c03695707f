/*
 * eventq.h: the future event list.
 *
 * A radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, 1990) on the event times.
 * It relies on what a discrete-event simulation guarantees anyway: times are
 * integers (microseconds) and never earlier than the event last taken out
 * (`last`). Bucket 0 holds the events at `last` itself, bucket b = 1..64
 * those whose highest bit that differs from `last` is bit b - 1. Taking the
 * earliest event is taking from bucket 0; when bucket 0 is empty, the lowest
 * bucket that is not is "redistributed": its earliest time becomes `last`
 * and its events move to lower buckets. An event only ever moves down, so it
 * moves at most 64 times and in practice a few; each move is a sequential
 * copy, where a binary heap's sift jumps about memory, so the cost per event
 * grows far less with the number of pending events than a heap's
 * (docs/performance.md has the measurements that chose it over the binary
 * and 4-ary heaps).
 *
 * FIFO among equal times (SPEC section 1) comes free, without a sequence
 * number. Every pending event is in the bucket that its time and the current
 * `last` give: a push puts it there, and a redistribution keeps it so (the
 * new `last`, the earliest time in bucket b, agrees with the old one on
 * every bit above b - 1, so the events of higher buckets keep theirs, and
 * b's own move to theirs). Events at one time are therefore always in one
 * bucket. Buckets are only appended to, a redistribution reads a bucket in
 * order and appends to the others, and bucket 0 is read from its front: so
 * events at one instant come out in the order they were scheduled, and a run
 * is deterministic without any further rule.
 *
 * Small queues: a simulation with a handful of pending events (M/M/1 has
 * two) gains nothing from buckets, so the first SS_EVENTQ_SMALL events are
 * held in a small sorted array inside the queue, each inserted behind every
 * event at or before its time (FIFO again). The push that finds it full
 * moves them all, in order, to the buckets; the pop that empties the buckets
 * goes back to it. With few events the queue allocates nothing.
 *
 * Storage: each bucket is a chain of fixed-size chunks, recycled through a
 * free list; chunks come in blocks of a quarter of what there is (at most
 * 1024 chunks, 1.5 MiB, at a time), so in steady state pushing and popping
 * allocate nothing, and memory is the pending events, 24 bytes each, plus
 * one chunk per bucket and at most one block unused. Every bucket owns a
 * chunk from the first push on, which makes taking an event infallible: a
 * redistribution gives chunks back at least as fast as it needs new ones.
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

/* Events held in the queue itself, before any bucket is used. */
#define SS_EVENTQ_SMALL 8
/* Events per chunk: a chunk is 8 + 24 x 64 = 1544 bytes. */
#define SS_EVENTQ_CHUNK 64
/* Buckets: 0 for the time `last` itself, b = 1..64 for a highest difference in bit b - 1. */
#define SS_EVENTQ_BUCKETS 65

struct ss_eventq_chunk {
    struct ss_eventq_chunk *next;        /* the next chunk of its bucket, or of the free list */
    struct ss_event ev[SS_EVENTQ_CHUNK]; /* in the order they were put in */
};

struct ss_eventq_block; /* private to eventq.c */

struct ss_eventq_bucket {
    struct ss_event *put;         /* where its next event goes, in *tail */
    struct ss_event *end;         /* the end of *tail */
    struct ss_eventq_chunk *head; /* its oldest chunk */
    struct ss_eventq_chunk *tail; /* the chunk being filled (== head when there is one) */
    ss_time min;                  /* its earliest time; SS_TIME_MAX when empty (bucket 0: unused) */
};

struct ss_eventq {
    struct ss_event small[SS_EVENTQ_SMALL]; /* unless in_buckets: the events, in order, ... */
    size_t small_head;            /* ... from small[small_head] to small[small_head + len - 1] */
    bool in_buckets;              /* the events are in the buckets, not in small[] */
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

/* Slots for events: SS_EVENTQ_SMALL in the queue itself, and those of the
 * chunks allocated so far, which grow by blocks (see above) and never shrink
 * until ss_eventq_free. */
size_t ss_eventq_capacity(const struct ss_eventq *q);

#endif
