/*
 * pool.h: the store task pool (SPEC section 1).
 *
 * The information store runs every unit of work as a task on one of a fixed
 * number of threads. A task that finds every thread busy waits in one FIFO
 * queue shared by all kinds of work; when a task ends, its thread takes the
 * oldest waiting task at the same instant.
 *
 * The pool keeps counts, not threads: which thread runs a task changes
 * nothing in the model. The shared queue is kept as one ring buffer per kind,
 * each task stamped with a sequence number when it starts to wait; the oldest
 * waiting task is the head with the smallest stamp. Per-kind rings make the
 * questions the model asks cheap (how many messages wait? has the oldest
 * waited a minute?) and cost one comparison per kind when a thread frees.
 *
 * The pool allocates only when a ring must grow (doubling), so in steady
 * state it allocates nothing.
 */
#ifndef STORESIM_POOL_H
#define STORESIM_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storesim/simtime.h"

/* The kinds of store work. The names are the scenario's and the report's. */
enum ss_kind { SS_DELIVERY, SS_OWA, SS_MOVE, SS_FLUSH, SS_KINDS };

/* "delivery", "owa", "move", "flush". */
const char *ss_kind_name(enum ss_kind kind);

/* One task of the kind, in words: "a message", "an OWA request", "a mailbox
 * move", "a flush". */
const char *ss_kind_task(enum ss_kind kind);

/* A task that waits for a thread. */
struct ss_task {
    ss_time enqueued; /* when it started to wait */
    ss_time hold;     /* how long it will hold its thread */
    uint64_t ref;     /* the workload's own reference (a move's batch and mailbox; a flush's, and its outcome) */
    uint64_t seq;     /* the pool's stamp: smaller is older */
};

/* A FIFO ring of tasks; capacity is a power of two. */
struct ss_ring {
    struct ss_task *buf;
    size_t cap, head, len;
};

struct ss_pool {
    long long threads;              /* N, fixed for the run */
    long long busy;                 /* threads running a task */
    long long busy_by[SS_KINDS];    /* ... by kind of task */
    struct ss_ring waiting[SS_KINDS];
    long long n_waiting;            /* tasks waiting, all kinds */
    uint64_t next_seq;
};

int ss_pool_init(struct ss_pool *p, long long threads);
void ss_pool_free(struct ss_pool *p);

/* Take a free thread for a task of `kind`. False when all are busy. */
bool ss_pool_try_acquire(struct ss_pool *p, enum ss_kind kind);

/* Queue a task that found no free thread. Returns 0, or -1 when memory runs out. */
int ss_pool_wait(struct ss_pool *p, enum ss_kind kind, ss_time enqueued, ss_time hold,
                 uint64_t ref);

/* A task of `kind` ends and frees its thread. When a task waits, the thread
 * takes the oldest at once: it is removed from the queue into *next, its
 * kind into *next_kind, and true is returned. */
bool ss_pool_release(struct ss_pool *p, enum ss_kind kind, struct ss_task *next,
                     enum ss_kind *next_kind);

/* Tasks of `kind` waiting, and the oldest of them (NULL when none). */
long long ss_pool_waiting(const struct ss_pool *p, enum ss_kind kind);
const struct ss_task *ss_pool_head(const struct ss_pool *p, enum ss_kind kind);

/* Remove the oldest waiting task of `kind` without running it (an OWA request
 * whose browser gave up). */
void ss_pool_drop_head(struct ss_pool *p, enum ss_kind kind);

#endif
