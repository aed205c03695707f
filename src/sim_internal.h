/*
 * sim_internal.h: the running simulation, shared by sim.c and the workload
 * modules (delivery.c, owa.c, move.c). Not part of the public API.
 *
 * sim.c owns the task life cycle: submit (start at once or wait), start,
 * end (free the thread, hand it to the oldest waiting task). Each workload
 * owns its arrivals and reacts to the life cycle through the hooks below.
 */
#ifndef STORESIM_SIM_INTERNAL_H
#define STORESIM_SIM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "storesim/engine.h"
#include "storesim/pool.h"
#include "storesim/rng.h"
#include "storesim/scenario.h"
#include "storesim/sim.h"
#include "storesim/trace.h"

struct ss_sim {
    const struct ss_scenario *sc;
    struct ss_engine engine;
    struct ss_pool pool;
    struct ss_results *res;
    struct ss_trace *trace;

    /* Random streams, one per source of randomness (SPEC section 3). */
    struct ss_rng delivery_arrivals, delivery_service, owa_arrivals, owa_service, smtp_retry;
    struct ss_rng *move_duration;   /* one per batch: "move NAME.duration" */
    double delivery_gap_us;         /* mean time between arrivals */
    double owa_gap_us;

    bool smtp_open;                 /* SMTP answering (not stopped by back-pressure) */
    bool starved;                   /* a starvation episode is going on */
    ss_time starved_since;
    bool starvation_watch;          /* a watch event is pending */
    bool owa_timer;                 /* an OWA timeout event is pending */
};

/* A task's reference packs what its workload needs to know at its end. */
#define SS_BATCH_BITS 20            /* up to 2^20 move batches */
#define SS_REF_BATCH(ref) ((size_t)((ref) & ((1u << SS_BATCH_BITS) - 1)))
#define SS_REF_MAILBOX(ref) ((ref) >> SS_BATCH_BITS)
#define SS_REF(batch, mailbox) (((uint64_t)(mailbox) << SS_BATCH_BITS) | (uint64_t)(batch))

/* sim.c: the task life cycle. */
void sim_submit(struct ss_sim *s, enum ss_kind kind, ss_time hold, uint64_t ref);
void sim_first(ss_time *when, ss_time now);  /* record a first time, once */
bool sim_tells(const struct ss_sim *s, int topic);

/* delivery.c */
void delivery_begin(struct ss_sim *s);
void delivery_waits(struct ss_sim *s);      /* a message joined the backlog */
void delivery_leaves(struct ss_sim *s);     /* a waiting message got a thread */
void delivery_end_run(struct ss_sim *s);

/* owa.c */
void owa_begin(struct ss_sim *s);
void owa_waits(struct ss_sim *s);

/* move.c: batches, and the flush each move registers. */
void move_begin(struct ss_sim *s);
void move_started(struct ss_sim *s, uint64_t ref);   /* a move got its thread */
void move_finished(struct ss_sim *s, uint64_t ref);  /* ... and gave it back */
void flush_finished(struct ss_sim *s, uint64_t ref);

#endif
