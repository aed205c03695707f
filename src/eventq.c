/*
 * eventq.c: a binary heap on (time, seq).
 *
 * Sifting moves a "hole" instead of swapping, so each level costs one copy.
 * A 4-ary heap was tried and measured: no faster on the M/M/1 benchmark and
 * 4% slower on day.scn (docs/performance.md), so the simpler heap stays.
 */
#include "storesim/eventq.h"

#include <assert.h>
#include <stdlib.h>

static bool earlier(const struct ss_event *a, const struct ss_event *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

void ss_eventq_init(struct ss_eventq *q)
{
    q->heap = NULL;
    q->len = 0;
    q->cap = 0;
    q->next_seq = 0;
}

void ss_eventq_free(struct ss_eventq *q)
{
    free(q->heap);
    ss_eventq_init(q);
}

static int grow(struct ss_eventq *q)
{
    size_t cap = q->cap ? q->cap * 2 : 256;
    struct ss_event *heap;
    if (cap > SIZE_MAX / sizeof *heap)
        return -1;
    heap = realloc(q->heap, cap * sizeof *heap);
    if (!heap)
        return -1;
    q->heap = heap;
    q->cap = cap;
    return 0;
}

int ss_eventq_push(struct ss_eventq *q, ss_time time, ss_handler fn, uint64_t arg)
{
    struct ss_event ev;
    size_t hole;
    if (q->len == q->cap && grow(q) != 0)
        return -1;
    ev.time = time;
    ev.seq = q->next_seq++;
    ev.fn = fn;
    ev.arg = arg;
    hole = q->len++;
    while (hole > 0) {
        size_t parent = (hole - 1) / 2;
        if (!earlier(&ev, &q->heap[parent]))
            break;
        q->heap[hole] = q->heap[parent];
        hole = parent;
    }
    q->heap[hole] = ev;
    return 0;
}

/* Put `ev` in the hole at the root and sift it down to its place among the
 * n events in the heap. */
static void sift_down(struct ss_eventq *q, struct ss_event ev, size_t n)
{
    size_t hole = 0;
    for (;;) {
        size_t first = 2 * hole + 1, child, end, c;
        if (first >= n)
            break;
        end = first + 2 < n ? first + 2 : n;
        child = first;
        for (c = first + 1; c < end; c++)
            if (earlier(&q->heap[c], &q->heap[child]))
                child = c;
        if (!earlier(&q->heap[child], &ev))
            break;
        q->heap[hole] = q->heap[child];
        hole = child;
    }
    q->heap[hole] = ev;
}

bool ss_eventq_pop(struct ss_eventq *q, struct ss_event *out)
{
    size_t n;
    if (q->len == 0)
        return false;
    *out = q->heap[0];
    n = --q->len;
    if (n > 0)
        sift_down(q, q->heap[n], n);
    return true;
}

void ss_eventq_replace_top(struct ss_eventq *q, ss_time time, ss_handler fn, uint64_t arg)
{
    struct ss_event ev;
    assert(q->len > 0);
    ev.time = time;
    ev.seq = q->next_seq++;
    ev.fn = fn;
    ev.arg = arg;
    sift_down(q, ev, q->len);
}

const struct ss_event *ss_eventq_peek(const struct ss_eventq *q)
{
    return q->len ? &q->heap[0] : NULL;
}
