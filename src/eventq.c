/*
 * eventq.c: binary heap on (time, seq).
 *
 * Sifting moves a "hole" instead of swapping, so each level costs one copy.
 */
#include "storesim/eventq.h"

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

bool ss_eventq_pop(struct ss_eventq *q, struct ss_event *out)
{
    struct ss_event last;
    size_t hole = 0, n;
    if (q->len == 0)
        return false;
    *out = q->heap[0];
    n = --q->len;
    if (n == 0)
        return true;
    last = q->heap[n];
    for (;;) {
        size_t child = 2 * hole + 1;
        if (child >= n)
            break;
        if (child + 1 < n && earlier(&q->heap[child + 1], &q->heap[child]))
            child++;
        if (!earlier(&q->heap[child], &last))
            break;
        q->heap[hole] = q->heap[child];
        hole = child;
    }
    q->heap[hole] = last;
    return true;
}

const struct ss_event *ss_eventq_peek(const struct ss_eventq *q)
{
    return q->len ? &q->heap[0] : NULL;
}
