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
 * 1024 chunks, 776 KiB, at a time), so in steady state pushing and popping
 * allocate nothing. Every bucket owns a chunk from the first push on, which
 * makes taking an event infallible: a redistribution gives chunks back at
 * least as fast as it needs new ones.
 *
 * Compact events: in the buckets an event is 12 bytes, held in its chunk as
 * two arrays so that none of it is padding: the low 32 bits of its time, and
 * one word of a flag (0), a 7-bit handler number and a 56-bit argument. The
 * rest of the time is implied. An event in bucket b agrees with `last` on
 * every bit above b - 1 and has bit b - 1 the other way, so its bits from
 * b - 1 up are those of every event in b, the earliest (min[b]) among them;
 * for b <= 33 the others are all in the low 32 bits, and in a higher bucket
 * they are when the time is less than 2^32 us (71 minutes) past the start of
 * the bucket's range (bits 32 to b - 2 are 0), as nearly all are. Bucket 0's
 * events are at `last`. An event moves as its 12 bytes, unchanged. The
 * handlers are few (the model has about 15): the queue numbers them as it
 * first sees them, up to SS_EVENTQ_HANDLERS, and finds a handler's number
 * through a hash of the pointer's bytes, which only says where to look
 * (pointers are compared with ==; the hash's multiplier is chosen so that
 * each handler is where it is looked for first).
 *
 * What does not fit is held whole, and nothing is refused: an argument above
 * SS_EVENTQ_ARG_MAX, a handler after the first SS_EVENTQ_HANDLERS distinct
 * ones, or a time 2^32 us or more past the start of its bucket's range
 * (which only an event over 71 minutes ahead can be). Its place in the
 * bucket is a word with the flag set and the index of a slot in a side table
 * that holds the event (24 bytes), so it keeps its place in the order like
 * any other. far[b] counts the far times in bucket b: a bucket without any,
 * as good as always, is redistributed by the low 32 bits alone.
 *
 * Memory is the pending events, 12 bytes each (24 more for each held whole),
 * a part-filled chunk per bucket, at most one block unused, and the side
 * table at its largest. The small array holds whole events and needs none
 * of this.
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
/* Events per chunk: a chunk is 8 + 12 x 64 = 776 bytes. */
#define SS_EVENTQ_CHUNK 64
/* Buckets: 0 for the time `last` itself, b = 1..64 for a highest difference in bit b - 1. */
#define SS_EVENTQ_BUCKETS 65

/* Handlers numbered in the event itself (a word with its top bit set is the
 * side slot of an event held whole instead). */
#define SS_EVENTQ_HANDLERS 128
/* The largest argument held in the event itself: 2^56 - 1. */
#define SS_EVENTQ_ARG_MAX ((UINT64_C(1) << 56) - 1)
/* The hash from handler to index: 2^9 slots, four for every handler. */
#define SS_EVENTQ_HASH_BITS 9
#define SS_EVENTQ_HASH (1 << SS_EVENTQ_HASH_BITS)

/* Events in the order they were put in, as two arrays (see above). */
struct ss_eventq_chunk {
    struct ss_eventq_chunk *next;   /* the next chunk of its bucket, or of the free list */
    uint64_t word[SS_EVENTQ_CHUNK]; /* handler index << 56 | argument, or 1 << 63 | side slot */
    uint32_t low[SS_EVENTQ_CHUNK];  /* the low 32 bits of the time */
};

struct ss_eventq_block; /* private to eventq.c */

struct ss_eventq {
    struct ss_event small[SS_EVENTQ_SMALL]; /* unless in_buckets: the events, in order, ... */
    size_t small_head;            /* ... from small[small_head] to small[small_head + len - 1] */
    bool in_buckets;              /* the events are in the buckets, not in small[] */
    /* Bucket b (0..64), as arrays so that each field of b is one address away: */
    struct ss_eventq_chunk *tail[SS_EVENTQ_BUCKETS]; /* the chunk being filled */
    size_t fill[SS_EVENTQ_BUCKETS];                  /* events in tail[b] */
    ss_time min[SS_EVENTQ_BUCKETS]; /* the earliest time; SS_TIME_MAX when empty (0: unused) */
    struct ss_eventq_chunk *head[SS_EVENTQ_BUCKETS]; /* the oldest chunk (== tail[b] when one) */
    size_t far[SS_EVENTQ_BUCKETS]; /* its events whose time needs more than 32 bits (or more:
                                      taking a bucket's only event leaves its count) */
    size_t zero;                  /* events in bucket 0, ... */
    size_t read;                  /* ... the first of them at head[0]->word[read] */
    size_t len;                   /* events pending */
    uint64_t used;                /* bit b - 1 set when bucket b (1..64) holds events */
    ss_time last;                 /* time of the event last taken out; INT64_MIN at first */
    struct ss_eventq_chunk *spare; /* free chunks */
    size_t chunks;                /* chunks allocated (in buckets or spare) */
    size_t max_chunks;            /* never allocate past this many (0: no limit); for tests */
    struct ss_eventq_block *blocks; /* the allocations they were carved from */
    /* Handlers by index, and the hash that finds the index of one: slot
     * (key * mult) >> (64 - SS_EVENTQ_HASH_BITS), then the next ones. */
    uint64_t mult;                /* odd; chosen so that each handler is in its first slot */
    ss_handler hash_fn[SS_EVENTQ_HASH]; /* a private marker while the slot is free */
    uint64_t hash_tag[SS_EVENTQ_HASH];  /* that handler's index << 56 */
    ss_handler handler[SS_EVENTQ_HANDLERS];
    size_t handlers;              /* indices given out */
    /* Events held whole (see above), and the free ones among them: */
    struct ss_event *side;        /* free slots chain through arg, ending at side_cap */
    size_t side_cap;              /* slots allocated */
    size_t side_free;             /* the first free slot */
    size_t side_used;             /* slots holding an event */
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

/* A copy of the earliest event into *out, which stays in the queue; false
 * when the queue is empty. O(1) when it is at the time `last`; otherwise it
 * searches one bucket: for inspection and tests, not for a loop (use
 * ss_eventq_pop_until). */
bool ss_eventq_peek(const struct ss_eventq *q, struct ss_event *out);

/* Slots for events: SS_EVENTQ_SMALL in the queue itself, and those of the
 * chunks allocated so far, which grow by blocks (see above) and never shrink
 * until ss_eventq_free. */
size_t ss_eventq_capacity(const struct ss_eventq *q);

#endif
