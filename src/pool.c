/* pool.c: the threads, their numbers, and per-kind FIFO rings that together
 * form one queue. */
#include "storesim/pool.h"

#include <assert.h>
#include <stdlib.h>

static const char *const kind_names[SS_KINDS] = {"delivery", "owa", "move", "flush"};

const char *ss_kind_name(enum ss_kind kind)
{
    assert(kind >= 0 && kind < SS_KINDS);
    return kind_names[kind];
}

const char *ss_kind_task(enum ss_kind kind)
{
    static const char *const tasks[SS_KINDS] = {"a message", "an OWA request", "a mailbox move",
                                                "a flush"};
    assert(kind >= 0 && kind < SS_KINDS);
    return tasks[kind];
}

int ss_pool_init(struct ss_pool *p, long long threads)
{
    int k;
    assert(threads > 0 && threads < 1LL << SS_POOL_THREAD_BITS);
    p->threads = p->limit = threads;
    p->busy = 0;
    p->thread = NULL;
    p->free = NULL;
    p->used = p->cap = p->n_free = 0;
    p->n_waiting = 0;
    p->next_seq = 0;
    for (k = 0; k < SS_KINDS; k++) {
        struct ss_ring empty = {NULL, 0, 0, 0};
        p->busy_by[k] = 0;
        p->waiting[k] = empty;
    }
    return 0;
}

void ss_pool_free(struct ss_pool *p)
{
    int k;
    for (k = 0; k < SS_KINDS; k++) {
        free(p->waiting[k].buf);
        p->waiting[k].buf = NULL;
        p->waiting[k].cap = p->waiting[k].len = p->waiting[k].head = 0;
    }
    free(p->thread);
    free(p->free);
    p->thread = NULL;
    p->free = NULL;
    p->used = p->cap = p->n_free = 0;
}

/* Room for more threads: double the table (at least 64, at most N). A new
 * thread has run nothing: gen 0, free. */
static int table_grow(struct ss_pool *p)
{
    long long cap = p->cap ? 2 * p->cap : 64, i;
    struct ss_thread *thread;
    int32_t *free_list;
    if (cap > p->threads)
        cap = p->threads;
    thread = realloc(p->thread, (size_t)cap * sizeof *thread);
    if (!thread)
        return -1;
    p->thread = thread;
    free_list = realloc(p->free, (size_t)cap * sizeof *free_list);
    if (!free_list)
        return -1;
    p->free = free_list;
    for (i = p->cap; i < cap; i++) {
        thread[i].gen = 0;
        thread[i].kind = SS_KINDS;
    }
    p->cap = cap;
    return 0;
}

/* A free thread, busy from now with `kind`. */
static long long take(struct ss_pool *p, enum ss_kind kind)
{
    long long t;
    if (p->n_free > 0) {
        t = p->free[--p->n_free];
    } else {
        if (p->used == p->cap && table_grow(p) != 0)
            return SS_POOL_ENOMEM;
        t = p->used++;
    }
    p->busy++;
    p->busy_by[kind]++;
    return t;
}

long long ss_pool_acquire(struct ss_pool *p, enum ss_kind kind)
{
    if (p->busy == p->limit)
        return SS_POOL_NONE;
    return take(p, kind);
}

/* Double the ring, unwrapping it so the head is at 0 again. */
static int ring_grow(struct ss_ring *r)
{
    size_t cap = r->cap ? r->cap * 2 : 64, i;
    struct ss_task *buf;
    if (cap > SIZE_MAX / sizeof *buf)
        return -1;
    buf = malloc(cap * sizeof *buf);
    if (!buf)
        return -1;
    for (i = 0; i < r->len; i++)
        buf[i] = r->buf[(r->head + i) & (r->cap - 1)];
    free(r->buf);
    r->buf = buf;
    r->cap = cap;
    r->head = 0;
    return 0;
}

int ss_pool_wait(struct ss_pool *p, enum ss_kind kind, ss_time enqueued, ss_time hold,
                 uint64_t ref)
{
    struct ss_ring *r = &p->waiting[kind];
    struct ss_task *t;
    if (r->len == r->cap && ring_grow(r) != 0)
        return -1;
    t = &r->buf[(r->head + r->len) & (r->cap - 1)];
    t->enqueued = enqueued;
    t->hold = hold;
    t->ref = ref;
    t->seq = p->next_seq++;
    r->len++;
    p->n_waiting++;
    return 0;
}

static struct ss_task ring_pop(struct ss_ring *r)
{
    struct ss_task t = r->buf[r->head];
    r->head = (r->head + 1) & (r->cap - 1);
    r->len--;
    return t;
}

/* The kind whose oldest waiting task waited longest; -1 when none waits. */
static int oldest_kind(const struct ss_pool *p)
{
    int k, oldest = -1;
    uint64_t oldest_seq = 0;
    for (k = 0; k < SS_KINDS; k++) {
        const struct ss_ring *r = &p->waiting[k];
        if (r->len && (oldest < 0 || r->buf[r->head].seq < oldest_seq)) {
            oldest = k;
            oldest_seq = r->buf[r->head].seq;
        }
    }
    return oldest;
}

bool ss_pool_release(struct ss_pool *p, long long t, struct ss_task *next,
                     enum ss_kind *next_kind)
{
    int oldest;
    assert(p->thread[t].kind < SS_KINDS && p->busy_by[p->thread[t].kind] > 0);
    p->busy_by[p->thread[t].kind]--;
    if (p->n_waiting == 0) {
        p->busy--;
        p->free[p->n_free++] = (int32_t)t;
        return false;
    }
    oldest = oldest_kind(p);
    *next = ring_pop(&p->waiting[oldest]);
    *next_kind = (enum ss_kind)oldest;
    p->n_waiting--;
    p->busy_by[oldest]++; /* the thread passes straight to the next task */
    return true;
}

long long ss_pool_waiting(const struct ss_pool *p, enum ss_kind kind)
{
    return (long long)p->waiting[kind].len;
}

const struct ss_task *ss_pool_head(const struct ss_pool *p, enum ss_kind kind)
{
    const struct ss_ring *r = &p->waiting[kind];
    return r->len ? &r->buf[r->head] : NULL;
}

struct ss_task *ss_pool_queued(struct ss_pool *p, enum ss_kind kind, long long i)
{
    struct ss_ring *r = &p->waiting[kind];
    assert(i >= 0 && (size_t)i < r->len);
    return &r->buf[(r->head + (size_t)i) & (r->cap - 1)];
}

void ss_pool_drop_head(struct ss_pool *p, enum ss_kind kind)
{
    assert(p->waiting[kind].len > 0);
    ring_pop(&p->waiting[kind]);
    p->n_waiting--;
}

bool ss_pool_pop_oldest(struct ss_pool *p, struct ss_task *t, enum ss_kind *kind)
{
    int oldest = oldest_kind(p);
    if (oldest < 0)
        return false;
    *t = ring_pop(&p->waiting[oldest]);
    *kind = (enum ss_kind)oldest;
    p->n_waiting--;
    return true;
}

void ss_pool_mark_free(struct ss_pool *p)
{
    long long i;
    for (i = 0; i < p->n_free; i++)
        p->thread[p->free[i]].kind = SS_KINDS;
}

void ss_pool_cut(struct ss_pool *p, long long t)
{
    p->thread[t].gen = (p->thread[t].gen + 1) & ((1ULL << SS_POOL_GEN_BITS) - 1);
}

void ss_pool_stop(struct ss_pool *p)
{
    long long t;
    int k;
    ss_pool_mark_free(p);
    for (t = 0; t < p->used; t++) {
        if (p->thread[t].kind < SS_KINDS)
            ss_pool_cut(p, t);
        p->thread[t].kind = SS_KINDS;
    }
    for (k = 0; k < SS_KINDS; k++)
        p->busy_by[k] = 0;
    p->busy = 0;
    p->limit = 0;
    p->used = 0; /* numbered from thread 1 again; each keeps its gen */
    p->n_free = 0;
}

void ss_pool_start(struct ss_pool *p)
{
    p->limit = p->threads;
}

int ss_pool_take_oldest(struct ss_pool *p, long long *t, struct ss_task *next,
                        enum ss_kind *next_kind)
{
    int oldest;
    if (p->busy == p->limit || (oldest = oldest_kind(p)) < 0)
        return 0;
    if ((*t = take(p, (enum ss_kind)oldest)) == SS_POOL_ENOMEM)
        return -1;
    *next = ring_pop(&p->waiting[oldest]);
    *next_kind = (enum ss_kind)oldest;
    p->n_waiting--;
    return 1;
}
