/*
 * eventq.c: a radix heap on integer event times (see eventq.h for the idea
 * and why equal times stay in FIFO order).
 *
 * The primitives are the highest and the lowest set bit of a 64-bit word:
 * the bucket of time t is 1 + msb(t ^ last) (0 when t == last), and the
 * lowest bucket in use is 1 + the lowest set bit of `used`. GCC and Clang
 * have them as instructions (__builtin_clzll, __builtin_ctzll); elsewhere,
 * or with -DSTORESIM_PORTABLE_BITS, a portable binary search gives the same
 * numbers. Debug builds check the two against each other on every call.
 *
 * The push is split: the common case (the bucket's chunk has room) is small
 * enough to be inlined into the handlers by link-time optimisation; the rest
 * (a new chunk, a new block, a time before `last`) is out of line, and so is
 * the small queue's insertion (inlined too, it makes the push too large to
 * inline, which costs the large queues more than the call costs the small).
 *
 * Times are signed; t ^ last on their two's-complement bits orders them as
 * unsigned keys would with the sign bit flipped, so the radix order is the
 * signed order, negative times included.
 */
#include "storesim/eventq.h"

#include <assert.h>
#include <stdlib.h>

/* An allocation holding many chunks. */
struct ss_eventq_block {
    struct ss_eventq_block *next;
    struct ss_eventq_chunk chunk[];
};

/* Out of line: a hint only, the results are the same without it. */
#if defined(__GNUC__) || defined(__clang__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/* Chunks in the first block: one for every bucket and some spare; in the
 * later ones, a quarter of what there is, within these bounds. */
#define FIRST_BLOCK (SS_EVENTQ_BUCKETS + 31)
#define MIN_BLOCK 64
#define MAX_BLOCK 1024

/* ------------------------------------------------------------- bits */

#if (defined(__GNUC__) || defined(__clang__)) && !defined(STORESIM_PORTABLE_BITS)
#define HAVE_CLZ 1
#endif

#if !defined(HAVE_CLZ) || !defined(NDEBUG)
/* 0 for 0; otherwise 1 + the index of the highest set bit. */
static unsigned width_portable(uint64_t x)
{
    unsigned n = 0;
    if (x >> 32) {
        n += 32;
        x >>= 32;
    }
    if (x >> 16) {
        n += 16;
        x >>= 16;
    }
    if (x >> 8) {
        n += 8;
        x >>= 8;
    }
    if (x >> 4) {
        n += 4;
        x >>= 4;
    }
    if (x >> 2) {
        n += 2;
        x >>= 2;
    }
    if (x >> 1) {
        n += 1;
        x >>= 1;
    }
    return n + (unsigned)x;
}
#endif

/* The index of the highest set bit of x, which is not 0: the bucket of a
 * time t != last is 1 + msb(t ^ last), and its bit in `used` is msb. */
#ifdef HAVE_CLZ
static unsigned msb(uint64_t x)
{
    unsigned r = 63 ^ (unsigned)__builtin_clzll(x);
    assert(x != 0 && r + 1 == width_portable(x));
    return r;
}

/* The lowest bucket above 0 that holds events, less one; `used` must not be 0. */
static unsigned lowest_used(uint64_t used)
{
    unsigned r = (unsigned)__builtin_ctzll(used);
    assert(r + 1 == width_portable(used & (~used + 1)));
    return r;
}
#else
static unsigned msb(uint64_t x)
{
    return width_portable(x) - 1;
}

static unsigned lowest_used(uint64_t used)
{
    return width_portable(used & (~used + 1)) - 1;
}
#endif

/* ---------------------------------------------------------------- chunks */

static void give_spare(struct ss_eventq *q, struct ss_eventq_chunk *c)
{
    c->next = q->spare;
    q->spare = c;
}

/* Start bucket bk afresh in chunk c. */
static void start_chunk(struct ss_eventq_bucket *bk, struct ss_eventq_chunk *c)
{
    bk->put = c->ev;
    bk->end = c->ev + SS_EVENTQ_CHUNK;
}

/* bk's tail chunk is full: chain a spare one, which there must be. */
static void extend(struct ss_eventq *q, struct ss_eventq_bucket *bk)
{
    struct ss_eventq_chunk *c = q->spare;
    assert(c != NULL);
    q->spare = c->next;
    c->next = NULL;
    bk->tail->next = c;
    bk->tail = c;
    start_chunk(bk, c);
}

/* Allocate another block of chunks onto the spare list: the first gives
 * every bucket its chunk; later ones add a quarter of what there is, from 64
 * to MAX_BLOCK chunks: few allocations for a small queue, and for a large one
 * never more than 1.5 MiB allocated and unused. Returns 0 or -1 (nothing
 * changed). */
static int grow(struct ss_eventq *q)
{
    size_t n = q->chunks == 0 ? FIRST_BLOCK : q->chunks / 4, i;
    struct ss_eventq_block *b;
    if (q->chunks > 0)
        n = n < MIN_BLOCK ? MIN_BLOCK : n > MAX_BLOCK ? MAX_BLOCK : n;
    if (q->max_chunks) {
        /* Near the limit: a last, smaller block, if it can still give every
         * bucket its chunk. */
        size_t room = q->chunks < q->max_chunks ? q->max_chunks - q->chunks : 0;
        if (n > room)
            n = room;
        if (n == 0 || (q->chunks == 0 && n < SS_EVENTQ_BUCKETS))
            return -1;
    }
    if (n > (SIZE_MAX - sizeof *b) / sizeof b->chunk[0])
        return -1;
    b = malloc(sizeof *b + n * sizeof b->chunk[0]);
    if (!b)
        return -1;
    b->next = q->blocks;
    q->blocks = b;
    for (i = n; i-- > 0;)
        give_spare(q, &b->chunk[i]);
    if (q->chunks == 0) {
        for (i = 0; i < SS_EVENTQ_BUCKETS; i++) {
            struct ss_eventq_bucket *bk = &q->bucket[i];
            struct ss_eventq_chunk *c = q->spare;
            q->spare = c->next;
            c->next = NULL;
            bk->head = bk->tail = c;
            start_chunk(bk, c);
        }
        q->read = q->bucket[0].put;
    }
    q->chunks += n;
    return 0;
}

/* Room for one more event in bk, whose tail chunk is full (or which has
 * none yet: before the first push, put == end == NULL). 0 or -1. */
static int make_room(struct ss_eventq *q, struct ss_eventq_bucket *bk)
{
    if (q->chunks == 0)
        return grow(q);
    if (!q->spare && grow(q) != 0)
        return -1;
    extend(q, bk);
    return 0;
}

/* ----------------------------------------------------------------- queue */

void ss_eventq_init(struct ss_eventq *q)
{
    size_t i;
    for (i = 0; i < SS_EVENTQ_BUCKETS; i++) {
        struct ss_eventq_bucket *bk = &q->bucket[i];
        bk->put = bk->end = NULL;
        bk->head = bk->tail = NULL;
        bk->min = SS_TIME_MAX;
    }
    q->read = NULL;
    q->len = 0;
    q->used = 0;
    q->last = INT64_MIN;
    q->spare = NULL;
    q->chunks = 0;
    q->max_chunks = 0;
    q->blocks = NULL;
    q->small_head = 0;
    q->in_buckets = false;
}

void ss_eventq_free(struct ss_eventq *q)
{
    while (q->blocks) {
        struct ss_eventq_block *b = q->blocks;
        q->blocks = b->next;
        free(b);
    }
    ss_eventq_init(q);
}

/* The bucket of x = time ^ last, and its bit in `used` (none for bucket 0),
 * without a branch: the times in a redistribution go to bucket 0 or not in
 * no order a processor can predict. msb(x | 1) is msb(x), or 0 for x = 0. */
static unsigned slot(uint64_t x, uint64_t *bit)
{
    unsigned r = msb(x | 1);
    uint64_t nonzero = (uint64_t)(x != 0);
    *bit = nonzero << r;
    return (r + 1) & (unsigned)(0 - nonzero);
}

/* Keep bk->min, also without a branch (bucket 0's is kept but never read). */
static void lower_min(struct ss_eventq_bucket *bk, ss_time time)
{
    bk->min = time < bk->min ? time : bk->min;
}

/* Put the event in its bucket, which has room. */
static void put(struct ss_eventq *q, ss_time time, ss_handler fn, uint64_t arg)
{
    uint64_t bit;
    struct ss_eventq_bucket *bk = &q->bucket[slot((uint64_t)time ^ (uint64_t)q->last, &bit)];
    struct ss_event *e = bk->put++;
    assert(e < bk->end);
    e->time = time;
    e->fn = fn;
    e->arg = arg;
    q->used |= bit;
    lower_min(bk, time);
    q->len++;
}

/* A time before `last`: an empty queue forgets its past; otherwise this is
 * a caller's bug, and (without assertions) the event runs next rather than
 * out of order. Returns the time to use. */
static ss_time before_last(struct ss_eventq *q, ss_time time)
{
    assert(q->len == 0 && "event scheduled before the event last taken");
    if (q->len == 0) {
        q->last = INT64_MIN;
        return time;
    }
    return q->last;
}

/* The slow part of a push: the event's bucket is full, or the queue has no
 * chunks yet, or the time is before `last`. Kept out of line where the
 * compiler allows saying so, so that the fast part stays small (without it,
 * GCC inlines it and the fast part saves and restores six registers). */
static NOINLINE int push_slow(struct ss_eventq *q, ss_time time, ss_handler fn, uint64_t arg)
{
    uint64_t bit;
    struct ss_eventq_bucket *bk;
    if (time < q->last)
        time = before_last(q, time);
    bk = &q->bucket[slot((uint64_t)time ^ (uint64_t)q->last, &bit)];
    if (bk->put == bk->end && make_room(q, bk) != 0)
        return -1;
    put(q, time, fn, arg);
    return 0;
}

/* ----------------------------------------------------------- small */

/* The small queue is full and another event comes: its events move to the
 * buckets, in order (equal times stay in order, as they are in one bucket).
 * 0, or -1 when the buckets cannot be allocated (nothing changed). */
static NOINLINE int to_buckets(struct ss_eventq *q)
{
    size_t k, n = q->len;
    if (q->chunks == 0 && grow(q) != 0)
        return -1;
    /* The buckets are empty and hold a chunk each: room for them all. */
    assert(q->used == 0 && q->read == q->bucket[0].put && n <= SS_EVENTQ_CHUNK);
    q->len = 0;
    for (k = 0; k < n; k++) {
        const struct ss_event *e = &q->small[q->small_head + k];
        put(q, e->time, e->fn, e->arg);
    }
    q->small_head = 0;
    q->in_buckets = true;
    return 0;
}

/* A push into the small queue, which has room, at a time not before
 * `last`: an insertion behind every event at or before `time`, field by
 * field (see redistribute). A leaf, so that it saves no registers. */
static NOINLINE int push_small(struct ss_eventq *q, ss_time time, ss_handler fn, uint64_t arg)
{
    struct ss_event *first, *e;
    size_t k = q->len;
    if (q->small_head + k == SS_EVENTQ_SMALL) {
        /* At the end of the array: back to its start. */
        size_t i;
        for (i = 0; i < k; i++) {
            const struct ss_event *from = &q->small[q->small_head + i];
            ss_time t = from->time;
            ss_handler f = from->fn;
            uint64_t a = from->arg;
            q->small[i].time = t;
            q->small[i].fn = f;
            q->small[i].arg = a;
        }
        q->small_head = 0;
    }
    first = &q->small[q->small_head];
    for (e = first + k; e > first && e[-1].time > time; e--) {
        ss_handler f = e[-1].fn;
        uint64_t a = e[-1].arg;
        e->time = e[-1].time;
        e->fn = f;
        e->arg = a;
    }
    e->time = time;
    e->fn = fn;
    e->arg = arg;
    q->len++;
    return 0;
}

/* The rest of a push while the events are in the small queue: it is full
 * (they move to the buckets), or the time is before `last`. */
static NOINLINE int push_small_slow(struct ss_eventq *q, ss_time time, ss_handler fn, uint64_t arg)
{
    if (time < q->last)
        time = before_last(q, time);
    if (q->len < SS_EVENTQ_SMALL)
        return push_small(q, time, fn, arg);
    if (to_buckets(q) != 0)
        return -1;
    return ss_eventq_push(q, time, fn, arg);
}

int ss_eventq_push(struct ss_eventq *q, ss_time time, ss_handler fn, uint64_t arg)
{
    uint64_t bit;
    const struct ss_eventq_bucket *bk;
    if (!q->in_buckets) {
        if (q->len < SS_EVENTQ_SMALL && time >= q->last)
            return push_small(q, time, fn, arg);
        return push_small_slow(q, time, fn, arg);
    }
    bk = &q->bucket[slot((uint64_t)time ^ (uint64_t)q->last, &bit)];
    if (time < q->last || bk->put == bk->end)
        return push_slow(q, time, fn, arg);
    put(q, time, fn, arg);
    return 0;
}

/* Bucket 0 is empty and bucket b the lowest that is not: its earliest time
 * becomes `last` and each of its events, in order, moves to its bucket
 * below b (at least one, the earliest, to bucket 0). Its chunks are given
 * back as they are read, so the moves never need more than the spare list
 * holds (each target bucket starts with a chunk of its own); the last chunk
 * stays with b. */
static NOINLINE void redistribute(struct ss_eventq *q, unsigned r)
{
    struct ss_eventq_bucket *src = &q->bucket[r + 1];
    struct ss_eventq_chunk *c = src->head;
    ss_time last = src->min;
    assert(q->read == q->bucket[0].put);
    q->last = last;
    q->used &= ~((uint64_t)1 << r);
    src->min = SS_TIME_MAX;
    for (;;) {
        const struct ss_event *e = c->ev, *stop = c == src->tail ? src->put : c->ev + SS_EVENTQ_CHUNK;
        struct ss_eventq_chunk *next = c->next;
        for (; e < stop; e++) {
            /* Field by field, read before the branch: a struct copy here is
             * compiled as a 16-byte load, which stalls when the event was
             * written (as 8-byte fields) so recently that the writes are
             * still in the processor's store buffer, as is common. */
            ss_time time = e->time;
            ss_handler fn = e->fn;
            uint64_t arg = e->arg, bit;
            unsigned to = slot((uint64_t)time ^ (uint64_t)last, &bit);
            struct ss_eventq_bucket *bk = &q->bucket[to];
            struct ss_event *d;
            assert(to <= r);
            if (bk->put == bk->end)
                extend(q, bk);
            d = bk->put++;
            d->time = time;
            d->fn = fn;
            d->arg = arg;
            q->used |= bit;
            lower_min(bk, time);
        }
        if (c == src->tail)
            break;
        give_spare(q, c);
        c = next;
    }
    src->head = c;
    start_chunk(src, c);
}

/* Take the first event of bucket 0, which is not empty. */
static void take(struct ss_eventq *q, struct ss_event *out)
{
    struct ss_eventq_bucket *b0 = &q->bucket[0];
    *out = *q->read++;
    q->len--;
    if (q->read == b0->put) {
        /* Empty: its one chunk is reused from the start. */
        assert(b0->head == b0->tail);
        start_chunk(b0, b0->head);
        q->read = b0->put;
    } else if (q->read == b0->head->ev + SS_EVENTQ_CHUNK) {
        struct ss_eventq_chunk *c = b0->head;
        b0->head = c->next;
        give_spare(q, c);
        q->read = b0->head->ev;
    }
}

/* A pop while the events are in the small queue. */
static bool pop_small(struct ss_eventq *q, ss_time until, struct ss_event *out)
{
    const struct ss_event *e = &q->small[q->small_head];
    if (q->len == 0 || e->time > until)
        return false;
    out->time = e->time;
    out->fn = e->fn;
    out->arg = e->arg;
    q->len--;
    q->small_head = q->len ? q->small_head + 1 : 0;
    q->last = out->time;
    return true;
}

bool ss_eventq_pop_until(struct ss_eventq *q, ss_time until, struct ss_event *out)
{
    if (!q->in_buckets)
        return pop_small(q, until, out);
    if (q->read == q->bucket[0].put) {
        struct ss_eventq_bucket *src;
        unsigned r;
        if (q->used == 0)
            return false;
        r = lowest_used(q->used);
        src = &q->bucket[r + 1];
        if (src->min > until)
            return false;
        if (src->put == src->head->ev + 1) {
            /* Its only event: taken straight out, nothing to move. */
            *out = src->head->ev[0];
            q->last = out->time;
            q->used &= ~((uint64_t)1 << r);
            src->min = SS_TIME_MAX;
            src->put = src->head->ev;
            q->len--;
            /* Emptied: back to the small queue. */
            q->in_buckets = q->len > 0;
            return true;
        }
        redistribute(q, r);
    } else if (q->last > until) {
        return false;
    }
    take(q, out);
    q->in_buckets = q->len > 0;
    return true;
}

bool ss_eventq_pop(struct ss_eventq *q, struct ss_event *out)
{
    return ss_eventq_pop_until(q, SS_TIME_MAX, out);
}

int ss_eventq_replace_top(struct ss_eventq *q, ss_time time, ss_handler fn, uint64_t arg)
{
    struct ss_event top;
    bool popped = ss_eventq_pop(q, &top);
    assert(popped && time >= top.time);
    (void)popped;
    return ss_eventq_push(q, time, fn, arg);
}

bool ss_eventq_next_time(const struct ss_eventq *q, ss_time *time)
{
    if (!q->in_buckets) {
        if (q->len == 0)
            return false;
        *time = q->small[q->small_head].time;
        return true;
    }
    if (q->read != q->bucket[0].put) {
        *time = q->last;
        return true;
    }
    if (q->used == 0)
        return false;
    *time = q->bucket[lowest_used(q->used) + 1].min;
    return true;
}

const struct ss_event *ss_eventq_peek(const struct ss_eventq *q)
{
    const struct ss_eventq_bucket *bk;
    const struct ss_eventq_chunk *c;
    if (!q->in_buckets)
        return q->len ? &q->small[q->small_head] : NULL;
    if (q->read != q->bucket[0].put)
        return q->read;
    if (q->used == 0)
        return NULL;
    /* The first event at the bucket's earliest time: the one a pop takes. */
    bk = &q->bucket[lowest_used(q->used) + 1];
    for (c = bk->head;; c = c->next) {
        const struct ss_event *e = c->ev, *stop = c == bk->tail ? bk->put : c->ev + SS_EVENTQ_CHUNK;
        for (; e < stop; e++)
            if (e->time == bk->min)
                return e;
        assert(c != bk->tail);
    }
}

size_t ss_eventq_capacity(const struct ss_eventq *q)
{
    return SS_EVENTQ_SMALL + q->chunks * SS_EVENTQ_CHUNK;
}
