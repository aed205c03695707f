/* pool.c: thread counts and per-kind FIFO rings that together form one queue. */
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
    assert(threads > 0);
    p->threads = threads;
    p->busy = 0;
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
}

bool ss_pool_try_acquire(struct ss_pool *p, enum ss_kind kind)
{
    if (p->busy == p->threads)
        return false;
    p->busy++;
    p->busy_by[kind]++;
    return true;
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

bool ss_pool_release(struct ss_pool *p, enum ss_kind kind, struct ss_task *next,
                     enum ss_kind *next_kind)
{
    int k, oldest = -1;
    uint64_t oldest_seq = 0;
    assert(p->busy_by[kind] > 0);
    p->busy_by[kind]--;
    if (p->n_waiting == 0) {
        p->busy--;
        return false;
    }
    for (k = 0; k < SS_KINDS; k++) {
        const struct ss_ring *r = &p->waiting[k];
        if (r->len && (oldest < 0 || r->buf[r->head].seq < oldest_seq)) {
            oldest = k;
            oldest_seq = r->buf[r->head].seq;
        }
    }
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

void ss_pool_drop_head(struct ss_pool *p, enum ss_kind kind)
{
    assert(p->waiting[kind].len > 0);
    ring_pop(&p->waiting[kind]);
    p->n_waiting--;
}
