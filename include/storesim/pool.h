/*
 * pool.h: the store task pool (SPEC section 1).
 *
 * The information store runs every unit of work as a task on one of a fixed
 * number of threads. A task that finds every thread busy waits in one FIFO
 * queue shared by all kinds of work; when a task ends, its thread takes the
 * oldest waiting task at the same instant.
 *
 * Threads have numbers, by one rule: a thread that comes free goes at once
 * to the oldest waiting task; when none waits it is free, and a task that
 * finds free threads takes the one freed last (at the start, and after the
 * store restarts, thread 1, then 2, ...). Which thread runs a task changes
 * nothing else in the model; the numbers are for seeing the pool (one row per
 * thread) and for cutting short what a thread runs (a restart of the store).
 * Each thread keeps what it runs (struct ss_thread), so a restart can find
 * every running task; the table grows to the most threads ever busy at once.
 *
 * Waiting tasks are kept in one ring buffer per kind, each task stamped with
 * a sequence number when it starts to wait; the oldest waiting task is the
 * head with the smallest stamp. Per-kind rings make the questions the model
 * asks cheap (how many messages wait? has the oldest waited a minute?) and
 * cost one comparison per kind when a thread frees.
 *
 * The pool allocates only when the table or a ring must grow (doubling), so
 * in steady state it allocates nothing.
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

/* What one thread runs, written by the caller when its task starts. `gen`
 * counts the tasks cut short on it (modulo 2^SS_POOL_GEN_BITS): a task's end
 * event names its thread and its gen, so the end of a task that was cut short
 * (a restart) or moved (a flush the MTA answers sooner) is known for what it
 * is. `kind` is right for busy threads only (see ss_pool_mark_free). */
#define SS_POOL_THREAD_BITS 20 /* SS_THREADS_MAX (10^6) < 2^20 */
#define SS_POOL_GEN_BITS (64 - SS_POOL_THREAD_BITS)
struct ss_thread {
    ss_time started;  /* when its task got it */
    ss_time hold;     /* how long its task holds it */
    uint64_t ref;     /* the task's reference */
    uint64_t gen;
    int kind;         /* the kind of its task */
};

struct ss_pool {
    long long threads;              /* N, fixed for the run */
    long long limit;                /* threads that may be busy: N, or 0 while the store is down */
    long long busy;                 /* threads running a task */
    long long busy_by[SS_KINDS];    /* ... by kind of task */
    struct ss_thread *thread;       /* threads 0 .. cap - 1 (named 1 .. cap) */
    long long used, cap;            /* used: threads that have run a task since the start */
    int32_t *free;                  /* free threads below `used`, the last freed on top */
    long long n_free;
    struct ss_ring waiting[SS_KINDS];
    long long n_waiting;            /* tasks waiting, all kinds */
    uint64_t next_seq;
};

#define SS_POOL_NONE (-1)   /* no thread free */
#define SS_POOL_ENOMEM (-2) /* the table could not grow */

int ss_pool_init(struct ss_pool *p, long long threads);
void ss_pool_free(struct ss_pool *p);

/* Take a free thread for a task of `kind`: its number from 0, SS_POOL_NONE
 * when all are busy (or the store is down), SS_POOL_ENOMEM. The caller fills
 * in the thread's task (started, hold, ref, kind). */
long long ss_pool_acquire(struct ss_pool *p, enum ss_kind kind);

/* Queue a task that found no free thread. Returns 0, or -1 when memory runs out. */
int ss_pool_wait(struct ss_pool *p, enum ss_kind kind, ss_time enqueued, ss_time hold,
                 uint64_t ref);

/* The task on thread t ends and frees it. When a task waits, the thread
 * takes the oldest at once: it is removed from the queue into *next, its
 * kind into *next_kind, and true is returned. */
bool ss_pool_release(struct ss_pool *p, long long t, struct ss_task *next,
                     enum ss_kind *next_kind);

/* Tasks of `kind` waiting, and the oldest of them (NULL when none); the i-th
 * oldest, which the caller may change (its hold and reference). */
long long ss_pool_waiting(const struct ss_pool *p, enum ss_kind kind);
const struct ss_task *ss_pool_head(const struct ss_pool *p, enum ss_kind kind);
struct ss_task *ss_pool_queued(struct ss_pool *p, enum ss_kind kind, long long i);

/* Remove the oldest waiting task of `kind` without running it (an OWA request
 * whose browser gave up). */
void ss_pool_drop_head(struct ss_pool *p, enum ss_kind kind);

/* Remove the oldest waiting task of any kind into *t and *kind; false when
 * none waits. */
bool ss_pool_pop_oldest(struct ss_pool *p, struct ss_task *t, enum ss_kind *kind);

/* Set the kind of every free thread to SS_KINDS, so that the threads below
 * `used` with a kind are the busy ones (a restart, a look at the pool). */
void ss_pool_mark_free(struct ss_pool *p);

/* Whatever thread t runs is cut short or moved: its end event is stale. */
void ss_pool_cut(struct ss_pool *p, long long t);

/* The store stops: every thread is free at once, what it ran cut short (its
 * gen moves on, so the task's end event will be known as stale), and none
 * may be taken until ss_pool_start. Waiting tasks stay. Thread numbers start
 * again from thread 1. */
void ss_pool_stop(struct ss_pool *p);

/* The store runs again: threads may be taken. Then the oldest waiting
 * tasks take them, one call of ss_pool_take_oldest each: 1 when one did
 * (its thread in *t, the task in *next and *next_kind), 0 when no thread or
 * no task is left, -1 when memory runs out. */
void ss_pool_start(struct ss_pool *p);
int ss_pool_take_oldest(struct ss_pool *p, long long *t, struct ss_task *next,
                        enum ss_kind *next_kind);

#endif
