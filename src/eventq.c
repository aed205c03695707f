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
 * The push is split: the common case (x = time ^ last from 1 to 2^32, which
 * is buckets 1 to 32 and one time of 33, where the low 32 bits are the
 * whole time; the handler found in the slot the hash gives first; an
 * argument that fits; room in the bucket's chunk) is small enough to be
 * inlined into the handlers by link-time optimisation; the rest (a new
 * chunk, a new block, a new handler, an event held whole, a higher bucket,
 * a time at or before `last`) is out of line, and so is the small queue's
 * insertion (inlined too, it makes the push too large to inline, which
 * costs the large queues more than the call costs the small).
 *
 * Times are signed; t ^ last on their two's-complement bits orders them as
 * unsigned keys would with the sign bit flipped, so the radix order is the
 * signed order, negative times included. An event's time is put back
 * together as those bits (a uint64_t) and converted to ss_time by to_time,
 * which C99 defines for every value (a plain cast would not be, above
 * INT64_MAX).
 */
#include "storesim/eventq.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

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


/* ------------------------------------------------------------- words */

/* The top bit of a word marks an event held whole in the side table. */
#define WHOLE (UINT64_C(1) << 63)
/* The low 32 bits. */
#define LOW32 UINT64_C(0xffffffff)
/* Tries at a multiplier that puts every handler in its first slot. */
#define MULT_TRIES 32

/* An ss_time from its two's-complement bits. */
static ss_time to_time(uint64_t u)
{
    return u <= (uint64_t)INT64_MAX ? (ss_time)u : (ss_time)(u - (uint64_t)INT64_MAX - 1) + INT64_MIN;
}

/* What a free slot of the hash holds: a function of the queue's own that
 * nobody else can schedule, and that never runs. */
static void free_slot(void *ctx, uint64_t arg)
{
    (void)ctx;
    (void)arg;
    abort();
}

/* The first slot where fn is looked for. The key is the pointer's bytes, not
 * its value (C99 converts no function pointer to an integer); it only says
 * where to look, since the slot's pointer is compared with fn itself: a
 * pointer with two representations would at worst be numbered twice. */
static unsigned hash_of(const struct ss_eventq *q, ss_handler fn)
{
    uint64_t key = 0;
    memcpy(&key, &fn, sizeof fn < sizeof key ? sizeof fn : sizeof key);
    return (unsigned)((key * q->mult) >> (64 - SS_EVENTQ_HASH_BITS));
}

/* Put handler i into the hash, in the first free slot from its own; whether
 * that was its own. */
static bool hash_insert(struct ss_eventq *q, size_t i)
{
    unsigned h = hash_of(q, q->handler[i]), first = h;
    while (q->hash_fn[h] != free_slot)
        h = (h + 1) & (SS_EVENTQ_HASH - 1);
    q->hash_fn[h] = q->handler[i];
    q->hash_tag[h] = (uint64_t)i << 56;
    return h == first;
}

/* Empty the hash and put the first n handlers back with the multiplier
 * `mult`; how many are not in their own slot. */
static size_t hash_build(struct ss_eventq *q, uint64_t mult, size_t n)
{
    size_t i, away = 0;
    q->mult = mult;
    for (i = 0; i < SS_EVENTQ_HASH; i++) {
        q->hash_fn[i] = free_slot;
        q->hash_tag[i] = 0;
    }
    for (i = 0; i < n; i++)
        away += !hash_insert(q, i);
    return away;
}

/* Number fn, which is new: its tag (index << 56), or WHOLE when the table
 * is full. The push finds a handler at once only in its own slot, so when
 * the new one's is taken, other multipliers are tried (a fixed sequence:
 * the same handlers at the same addresses get the same slots) until every
 * handler has its own; with a handful of handlers in 512 slots one is found
 * in a try or two. If none is, the best is kept: those away from their slot
 * are still found, by the slow part of the push. Slots change only the
 * speed, never a number already given. */
static uint64_t hash_add(struct ss_eventq *q, ss_handler fn)
{
    size_t i = q->handlers, away, best_away;
    uint64_t mult = q->mult, best = mult;
    int t;
    if (i == SS_EVENTQ_HANDLERS)
        return WHOLE;
    q->handler[i] = fn;
    q->handlers++;
    if (hash_insert(q, i))
        return (uint64_t)i << 56;
    best_away = SIZE_MAX;
    for (t = 0; t < MULT_TRIES; t++) {
        mult = mult * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
        mult |= 1;
        away = hash_build(q, mult, q->handlers);
        if (away == 0)
            return (uint64_t)i << 56;
        if (away < best_away) {
            best_away = away;
            best = mult;
        }
    }
    hash_build(q, best, q->handlers);
    return (uint64_t)i << 56;
}

/* fn's tag, numbering it if it is new; WHOLE when SS_EVENTQ_HANDLERS others
 * have their numbers. The hash has room for four times as many, so the
 * search always ends at fn or at a free slot. */
static uint64_t intern(struct ss_eventq *q, ss_handler fn)
{
    unsigned h;
    for (h = hash_of(q, fn);; h = (h + 1) & (SS_EVENTQ_HASH - 1)) {
        if (q->hash_fn[h] == fn)
            return q->hash_tag[h];
        if (q->hash_fn[h] == free_slot)
            return hash_add(q, fn);
    }
}

/* Whether an event at `time`, in the bucket whose bit is `bit` (0 for
 * bucket 0), has a time its low 32 bits and the bucket give: always in
 * buckets 0 to 33, and in higher ones when the time is less than 2^32 past
 * the start of the bucket's range (its bits below bit b - 1). */
static bool time_fits(ss_time time, uint64_t bit)
{
    return bit == 0 || (((uint64_t)time & (bit - 1)) >> 32) == 0;
}

/* Room in the side table for n more events held whole. 0, or -1 when
 * memory runs out (nothing changed). Free slots chain through their arg up
 * to side_cap, so that growing appends the new slots to the end of the
 * chain. */
static int side_reserve(struct ss_eventq *q, size_t n)
{
    while (q->side_cap - q->side_used < n) {
        size_t cap = q->side_cap ? 2 * q->side_cap : 64, i;
        struct ss_event *s;
        if (cap < q->side_cap || cap - 1 > SS_EVENTQ_ARG_MAX || cap > SIZE_MAX / sizeof *s)
            return -1;
        s = realloc(q->side, cap * sizeof *s);
        if (!s)
            return -1;
        for (i = q->side_cap; i < cap; i++)
            s[i].arg = (uint64_t)i + 1;
        q->side = s;
        q->side_cap = cap;
    }
    return 0;
}

/* Hold fn(arg) at `time` whole, in a slot side_reserve made; its word. */
static uint64_t side_put(struct ss_eventq *q, ss_time time, ss_handler fn, uint64_t arg)
{
    size_t i = q->side_free;
    struct ss_event *s = &q->side[i];
    assert(i < q->side_cap);
    q->side_free = (size_t)s->arg;
    s->time = time;
    s->fn = fn;
    s->arg = arg;
    q->side_used++;
    return WHOLE | (uint64_t)i;
}

/* The handler and argument of the event whose word is w, and, if it is held
 * whole, its time (otherwise the caller knows it). */
static void read_word(const struct ss_eventq *q, uint64_t w, struct ss_event *out)
{
    if (w & WHOLE) {
        *out = q->side[w & SS_EVENTQ_ARG_MAX];
        return;
    }
    out->fn = q->handler[w >> 56];
    out->arg = w & SS_EVENTQ_ARG_MAX;
}

/* The same for an event leaving the queue: its side slot, if any, is free. */
static void decode(struct ss_eventq *q, uint64_t w, struct ss_event *out)
{
    read_word(q, w, out);
    if (w & WHOLE) {
        size_t i = (size_t)(w & SS_EVENTQ_ARG_MAX);
        q->side[i].arg = q->side_free;
        q->side_free = i;
        q->side_used--;
    }
}

/* ---------------------------------------------------------------- chunks */

static void give_spare(struct ss_eventq *q, struct ss_eventq_chunk *c)
{
    c->next = q->spare;
    q->spare = c;
}

/* Bucket b's tail chunk is full: chain a spare one, which there must be. */
static void extend(struct ss_eventq *q, size_t b)
{
    struct ss_eventq_chunk *c = q->spare;
    assert(c != NULL && q->fill[b] == SS_EVENTQ_CHUNK);
    q->spare = c->next;
    c->next = NULL;
    q->tail[b]->next = c;
    q->tail[b] = c;
    q->fill[b] = 0;
}

/* Allocate another block of chunks onto the spare list: the first gives
 * every bucket its chunk; later ones add a quarter of what there is, from 64
 * to MAX_BLOCK chunks: few allocations for a small queue, and for a large one
 * never more than 776 KiB allocated and unused. Returns 0 or -1 (nothing
 * changed). */
static int grow(struct ss_eventq *q)
{
    size_t n = q->chunks == 0 ? FIRST_BLOCK : q->chunks / 4, i;
    struct ss_eventq_block *blk;
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
    if (n > (SIZE_MAX - sizeof *blk) / sizeof blk->chunk[0])
        return -1;
    blk = malloc(sizeof *blk + n * sizeof blk->chunk[0]);
    if (!blk)
        return -1;
    blk->next = q->blocks;
    q->blocks = blk;
    for (i = n; i-- > 0;)
        give_spare(q, &blk->chunk[i]);
    if (q->chunks == 0) {
        for (i = 0; i < SS_EVENTQ_BUCKETS; i++) {
            struct ss_eventq_chunk *c = q->spare;
            q->spare = c->next;
            c->next = NULL;
            q->head[i] = q->tail[i] = c;
            q->fill[i] = 0;
        }
        q->zero = q->read = 0;
    }
    q->chunks += n;
    return 0;
}

/* Room for one more event in bucket b, whose tail chunk is full (or which
 * has none yet: before the first push, fill == SS_EVENTQ_CHUNK and tail ==
 * NULL). 0 or -1. */
static int make_room(struct ss_eventq *q, size_t b)
{
    if (q->chunks == 0)
        return grow(q);
    if (!q->spare && grow(q) != 0)
        return -1;
    extend(q, b);
    return 0;
}

/* ----------------------------------------------------------------- queue */

void ss_eventq_init(struct ss_eventq *q)
{
    size_t i;
    for (i = 0; i < SS_EVENTQ_BUCKETS; i++) {
        q->head[i] = q->tail[i] = NULL;
        q->fill[i] = SS_EVENTQ_CHUNK; /* "full": the first push allocates */
        q->min[i] = SS_TIME_MAX;
        q->far[i] = 0;
    }
    q->zero = q->read = 0;
    q->len = 0;
    q->used = 0;
    q->last = INT64_MIN;
    q->spare = NULL;
    q->chunks = 0;
    q->max_chunks = 0;
    q->blocks = NULL;
    q->small_head = 0;
    q->in_buckets = false;
    q->handlers = 0;
    hash_build(q, UINT64_C(0x9e3779b97f4a7c15), 0);
    q->side = NULL;
    q->side_cap = 0;
    q->side_free = 0;
    q->side_used = 0;
}

void ss_eventq_free(struct ss_eventq *q)
{
    while (q->blocks) {
        struct ss_eventq_block *blk = q->blocks;
        q->blocks = blk->next;
        free(blk);
    }
    free(q->side);
    ss_eventq_init(q);
}

/* The bucket of x = time ^ last, and its bit in `used` (none for bucket 0),
 * without a branch: the times in a redistribution go to bucket 0 or not in
 * no order a processor can predict. msb(x | 1) is msb(x), or 0 for x = 0
 * and x = 1, which the bucket then tells apart by adding x != 0. */
static size_t slot(uint64_t x, uint64_t *bit)
{
    size_t r = msb(x | 1), nonzero = x != 0;
    *bit = (uint64_t)nonzero << r;
    return r + nonzero;
}

/* Keep min[b], also without a branch (bucket 0's is kept but never read). */
static void lower_min(struct ss_eventq *q, size_t b, ss_time time)
{
    q->min[b] = time < q->min[b] ? time : q->min[b];
}

/* Put the event, as its word, in bucket b (whose bit is `bit`), which has
 * room, and count it: the general way, for all but the common push. */
static void put(struct ss_eventq *q, size_t b, uint64_t bit, ss_time time, uint64_t word)
{
    size_t n = q->fill[b];
    assert(n < SS_EVENTQ_CHUNK);
    q->tail[b]->word[n] = word;
    q->tail[b]->low[n] = (uint32_t)((uint64_t)time & LOW32);
    q->fill[b] = n + 1;
    q->used |= bit;
    lower_min(q, b, time);
    q->far[b] += !time_fits(time, bit);
    q->zero += b == 0;
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

/* Whether fn(arg) at `time`, in the bucket of bit `bit`, is held whole;
 * numbers fn if it is new. Its tag into *tag. */
static bool held_whole(struct ss_eventq *q, ss_time time, uint64_t bit, ss_handler fn,
                       uint64_t arg, uint64_t *tag)
{
    *tag = intern(q, fn);
    return *tag == WHOLE || arg > SS_EVENTQ_ARG_MAX || !time_fits(time, bit);
}

/* The slow part of a push: the event's chunk is full, or the queue has no
 * chunks yet, or the time is not after `last`, or the handler is new or not
 * in its own slot of the hash, or the event may not fit in 12 bytes (a
 * bucket above 32 or a large argument). Kept out of line where the
 * compiler allows saying so, so that the fast part stays small (without it,
 * GCC inlines it and the fast part saves and restores six registers).
 * Whatever may fail is done before anything changes. */
static NOINLINE int push_slow(struct ss_eventq *q, ss_time time, ss_handler fn, uint64_t arg)
{
    uint64_t bit, tag;
    size_t b;
    bool whole;
    if (time < q->last)
        time = before_last(q, time);
    b = slot((uint64_t)time ^ (uint64_t)q->last, &bit);
    whole = held_whole(q, time, bit, fn, arg, &tag);
    if (whole && side_reserve(q, 1) != 0)
        return -1;
    if (q->fill[b] == SS_EVENTQ_CHUNK && make_room(q, b) != 0)
        return -1;
    put(q, b, bit, time, whole ? side_put(q, time, fn, arg) : tag | arg);
    return 0;
}

/* ----------------------------------------------------------- small */

/* The small queue is full and another event comes: its events move to the
 * buckets, in order (equal times stay in order, as they are in one bucket).
 * 0, or -1 when the buckets or the side table cannot be allocated (nothing
 * changed). */
static NOINLINE int to_buckets(struct ss_eventq *q)
{
    size_t k, n = q->len, whole = 0;
    uint64_t tag, bit;
    if (q->chunks == 0 && grow(q) != 0)
        return -1;
    /* The buckets are empty and hold a chunk each: room for them all. */
    assert(q->used == 0 && q->zero == 0 && n <= SS_EVENTQ_CHUNK);
    for (k = 0; k < n; k++) {
        const struct ss_event *e = &q->small[q->small_head + k];
        slot((uint64_t)e->time ^ (uint64_t)q->last, &bit);
        whole += held_whole(q, e->time, bit, e->fn, e->arg, &tag);
    }
    if (side_reserve(q, whole) != 0)
        return -1;
    q->len = 0;
    for (k = 0; k < n; k++) {
        const struct ss_event *e = &q->small[q->small_head + k];
        size_t b = slot((uint64_t)e->time ^ (uint64_t)q->last, &bit);
        if (held_whole(q, e->time, bit, e->fn, e->arg, &tag))
            tag = side_put(q, e->time, e->fn, e->arg);
        else
            tag |= e->arg;
        put(q, b, bit, e->time, tag);
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
    uint64_t x;
    unsigned h;
    size_t b, n;
    struct ss_eventq_chunk *c;
    if (!q->in_buckets) {
        if (q->len < SS_EVENTQ_SMALL && time >= q->last)
            return push_small(q, time, fn, arg);
        return push_small_slow(q, time, fn, arg);
    }
    /* The common case: a time after `last` with x = time ^ last from 1 to
     * 2^32 (buckets 1 to 32, and 33 for x = 2^32: the low 32 bits are the
     * whole time), an argument below 2^56 (both in one test), a handler in
     * its own slot of the hash, and room in the bucket's chunk. */
    x = (uint64_t)time ^ (uint64_t)q->last;
    h = hash_of(q, fn);
    if (time < q->last || ((x - 1) | arg >> 24) >> 32 != 0 || q->hash_fn[h] != fn)
        return push_slow(q, time, fn, arg);
    b = (size_t)msb(x) + 1;
    n = q->fill[b];
    if (n == SS_EVENTQ_CHUNK)
        return push_slow(q, time, fn, arg);
    c = q->tail[b];
    c->word[n] = q->hash_tag[h] | arg;
    c->low[n] = (uint32_t)((uint64_t)time & LOW32);
    q->fill[b] = n + 1;
    q->used |= (uint64_t)1 << (b - 1);
    lower_min(q, b, time);
    q->len++;
    return 0;
}

/*
 * Bucket 0 is empty and bucket b the lowest that is not: its earliest time
 * becomes `last` and each of its events, in order, moves to its bucket
 * below b (at least one, the earliest, to bucket 0). An event moves as it
 * is, its word and its low 32 bits. The source chunks are given back as they
 * are read, so the moves never need more than the spare list holds (each
 * target bucket starts with a chunk of its own); the last chunk stays with
 * b. Two versions: the common one, and this general one, which reads each
 * time whole, for a bucket that holds times needing more than 32 bits (held
 * whole; far[b] counts them). The others in b agree with `last` from bit
 * b - 1 up and have 0 from bit 32 to b - 2 (where `last` need not, if it is
 * one of the far ones).
 */
static NOINLINE void redistribute_far(struct ss_eventq *q, size_t b)
{
    struct ss_eventq_chunk *c = q->head[b];
    uint64_t below = ((uint64_t)1 << (b - 1)) - 1, ulast;
    q->last = q->min[b];
    q->used &= ~((uint64_t)1 << (b - 1));
    q->far[b] = 0;
    q->min[b] = SS_TIME_MAX;
    ulast = (uint64_t)q->last;
    for (;;) {
        size_t k, stop = c == q->tail[b] ? q->fill[b] : SS_EVENTQ_CHUNK;
        struct ss_eventq_chunk *next = c->next;
        for (k = 0; k < stop; k++) {
            uint64_t word = c->word[k], bit, t;
            size_t to;
            t = word & WHOLE ? (uint64_t)q->side[word & SS_EVENTQ_ARG_MAX].time
                             : (ulast & ~below) | (c->low[k] & below);
            to = slot(t ^ ulast, &bit);
            assert(to < b);
            if (q->fill[to] == SS_EVENTQ_CHUNK)
                extend(q, to);
            q->len--; /* put counts it again */
            put(q, to, bit, to_time(t), word);
        }
        if (c == q->tail[b])
            break;
        give_spare(q, c);
        c = next;
    }
    q->head[b] = q->tail[b] = c;
    q->fill[b] = 0;
}

/* The common version: every time in b fits in 32 bits, as good as always.
 * Then an event's time is the new `last` but for its low 32 bits (in bucket
 * 33 too, where bit 32 is the other way from the old `last` but the same as
 * in the new; above 33, bits 32 to b - 2 are 0 in all), so time ^ last is the
 * xor of those. */
static NOINLINE void redistribute(struct ss_eventq *q, size_t b)
{
    struct ss_eventq_chunk *c = q->head[b];
    ss_time last = q->min[b];
    uint64_t ulast = (uint64_t)last, marks = 0;
    q->last = last;
    q->used &= ~((uint64_t)1 << (b - 1));
    q->min[b] = SS_TIME_MAX;
    for (;;) {
        size_t k, stop = c == q->tail[b] ? q->fill[b] : SS_EVENTQ_CHUNK;
        struct ss_eventq_chunk *next = c->next;
        for (k = 0; k < stop; k++) {
            uint64_t word = c->word[k], x;
            uint32_t low = c->low[k];
            size_t to, n;
            struct ss_eventq_chunk *d;
            x = ((uint64_t)low ^ ulast) & LOW32; /* time ^ last */
            /* The bucket, 0 for x = 0 and 1 + msb(x) otherwise, is msb(2x + 1)
             * (x < 2^(b - 1)), without a branch; its bit in `marks` is bit
             * `to`: the bit of `used` shifted up by one, and one for bucket 0
             * that the shift back drops. */
            to = msb(x << 1 | 1);
            assert(to < b);
            marks |= (uint64_t)1 << to;
            n = q->fill[to];
            if (n == SS_EVENTQ_CHUNK) {
                extend(q, to);
                n = 0;
            }
            d = q->tail[to];
            d->word[n] = word;
            d->low[n] = low;
            q->fill[to] = n + 1;
            lower_min(q, to, to_time(x ^ ulast));
        }
        if (c == q->tail[b])
            break;
        give_spare(q, c);
        c = next;
    }
    q->used |= marks >> 1;
    q->head[b] = q->tail[b] = c;
    q->fill[b] = 0;
}

/* Redistribute bucket b, the one way or the other; bucket 0 was empty, and
 * what it holds now came from b. */
static void refill(struct ss_eventq *q, size_t b)
{
    const struct ss_eventq_chunk *c;
    size_t zero;
    assert(q->zero == 0 && q->fill[0] == 0 && q->head[0] == q->tail[0]);
    if (q->far[b])
        redistribute_far(q, b);
    else
        redistribute(q, b);
    zero = q->fill[0];
    for (c = q->head[0]; c != q->tail[0]; c = c->next)
        zero += SS_EVENTQ_CHUNK;
    q->zero = zero;
}

/* Take the first event of bucket 0, which is not empty. */
static void take(struct ss_eventq *q, struct ss_event *out)
{
    uint64_t w = q->head[0]->word[q->read];
    out->time = q->last;
    decode(q, w, out);
    q->len--;
    if (--q->zero == 0) {
        /* Empty: its one chunk is reused from the start. */
        assert(q->head[0] == q->tail[0] && q->read + 1 == q->fill[0]);
        q->fill[0] = 0;
        q->read = 0;
    } else if (++q->read == SS_EVENTQ_CHUNK) {
        struct ss_eventq_chunk *c = q->head[0];
        q->head[0] = c->next;
        give_spare(q, c);
        q->read = 0;
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
    if (q->zero == 0) {
        size_t b;
        if (q->used == 0)
            return false;
        b = (size_t)lowest_used(q->used) + 1;
        if (q->min[b] > until)
            return false;
        if (q->fill[b] == 1 && q->head[b] == q->tail[b]) {
            /* Its only event: taken straight out, nothing to move. */
            uint64_t w = q->tail[b]->word[0];
            out->time = q->min[b];
            q->last = out->time;
            q->used &= ~((uint64_t)1 << (b - 1));
            q->min[b] = SS_TIME_MAX;
            q->fill[b] = 0;
            /* (far[b] stays: an overcount, which only sends the bucket's next
             * redistribution the general way, once.) */
            decode(q, w, out);
            /* Emptied: back to the small queue. */
            if (--q->len == 0)
                q->in_buckets = false;
            return true;
        }
        refill(q, b);
    } else if (q->last > until) {
        return false;
    }
    take(q, out);
    if (q->len == 0)
        q->in_buckets = false;
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
    if (q->zero) {
        *time = q->last;
        return true;
    }
    if (q->used == 0)
        return false;
    *time = q->min[lowest_used(q->used) + 1];
    return true;
}

bool ss_eventq_peek(const struct ss_eventq *q, struct ss_event *out)
{
    const struct ss_eventq_chunk *c;
    uint64_t below, high;
    size_t b;
    if (!q->in_buckets) {
        if (q->len == 0)
            return false;
        *out = q->small[q->small_head];
        return true;
    }
    if (q->zero) {
        read_word(q, q->head[0]->word[q->read], out);
        out->time = q->last;
        return true;
    }
    if (q->used == 0)
        return false;
    /* The first event at the bucket's earliest time: the one a pop takes.
     * Its time, unless held whole, is the earliest's from bit b - 1 up and
     * its low bits below (see redistribute_far). */
    b = (size_t)lowest_used(q->used) + 1;
    below = ((uint64_t)1 << (b - 1)) - 1;
    high = (uint64_t)q->min[b] & ~below;
    for (c = q->head[b];; c = c->next) {
        size_t k, stop = c == q->tail[b] ? q->fill[b] : SS_EVENTQ_CHUNK;
        for (k = 0; k < stop; k++) {
            read_word(q, c->word[k], out);
            if (!(c->word[k] & WHOLE))
                out->time = to_time(high | (c->low[k] & below));
            if (out->time == q->min[b])
                return true;
        }
        assert(c != q->tail[b]);
    }
}

size_t ss_eventq_capacity(const struct ss_eventq *q)
{
    return SS_EVENTQ_SMALL + q->chunks * SS_EVENTQ_CHUNK;
}
