/*
 * estimate.h: how many events a run will process, worked out before it runs.
 *
 * A scenario can ask for a run that takes hours or days of computing
 * (rate = 1000000000/s for 1d is about 10^14 events). storesim estimates the
 * event count from the resolved scenario alone, without simulating, and the
 * command line refuses a run above SS_EVENTS_LIMIT unless --force is given.
 *
 * The estimate is upper-ish: meant to be at or above the real count, and
 * within a small factor of it, for any scenario that is not on a knife edge.
 * It counts, over the simulated duration D:
 *
 *   delivery   2 per message arriving (its arrival and its task's end):
 *              2 x rate x D
 *   OWA        2 per request (arrival, and end or time-out): 2 x rate x D
 *   moves      per batch starting before D: 1 (the wizard's start), plus 2
 *              per mailbox moved, plus 1 per flush when flushes are
 *              registered (KB 924567 rule); a batch moves no more mailboxes
 *              than twice its mean pace allows: C x (1 + 2 (D - start) / mean)
 *   retries    refused messages come back every smtp.retry mean (r) while
 *              SMTP is stopped, and SMTP can stop only while the pool is
 *              overloaded:
 *                - for the whole run, when the steady load (delivery rate x
 *                  mean service + OWA rate x mean service, in threads) is at
 *                  least the pool;
 *                - otherwise while flushes fill the room the load and the
 *                  moves leave (room = threads - load - moving threads): a
 *                  window W = (mailboxes / C x mean move + flush hold), summed
 *                  over the batches, less 2 x room / (flushes a second), the
 *                  climb to the room and the fall below it.
 *              Once the backlog has reached smtp.max_backlog (after
 *              max_backlog / growth, growth being the arrival rate less what
 *              the threads left can deliver), the rest of the window, S, is
 *              stopped: the rate x S messages that arrive then each retry up
 *              to S / r times, and then again while the spare threads take
 *              them in (drain = rate x S / spare deliveries a second):
 *                rate x S x S / r  +  rate x S x drain / r / 2.
 *              The window, never the whole duration unless the overload
 *              lasts it, caps the allowance; without retries (smtp.retry = 0)
 *              it is 0.
 *
 * Small events (starvation watch, OWA time-out timers) are within the slack.
 * docs/robustness.md compares the estimate with real counts.
 */
#ifndef STORESIM_ESTIMATE_H
#define STORESIM_ESTIMATE_H

#include <stddef.h>

#include "storesim/scenario.h"
#include "storesim/simtime.h"

/* Above this many estimated events, `storesim run` refuses without --force:
 * at the simulator's few million events a second, 10^10 is about an hour. */
#define SS_EVENTS_LIMIT 1e10

/* The estimate, part by part (every count is events, not messages), and the
 * memory the run may need at its peak. */
struct ss_estimate {
    double delivery;   /* local delivery arrivals and ends */
    double owa;        /* OWA arrivals and ends or time-outs */
    double moves;      /* wizard starts and mailbox moves */
    double flushes;    /* registered flushes */
    double retries;    /* refused messages coming back (smtp.retry) */
    double total;      /* the sum */
    ss_time overload;  /* the window in which SMTP may be stopped; 0: none expected */

    /* At most at once: */
    double moves_waiting;    /* mailbox moves waiting for a thread */
    double flushes_waiting;  /* flushes waiting for a thread */
    double backlog;          /* messages waiting for a thread */
    double owa_waiting;      /* OWA requests waiting for a thread */
    double retrying;         /* refused messages waiting at their senders to retry */
    double memory;           /* bytes: every waiting task and pending event, with room
                                for the doubling of the arrays that hold them */
};

/* Memory a run may use, when the machine cannot say (the C99 build). */
#define SS_MEMORY_DEFAULT (4.0 * 1024 * 1024 * 1024)

/* The estimate of events, total and parts. */
void ss_estimate_detail(const struct ss_scenario *sc, struct ss_estimate *out);

/* The total alone. Never negative, always finite. */
double ss_estimate_events(const struct ss_scenario *sc);

/* The refusal, for a run whose estimate is above SS_EVENTS_LIMIT:
 * "FILE: error: this run would process about 8.6e+13 events, more than the
 * limit of 1e+10 (...), mostly from delivery.rate = 1000000000/s over
 * simulation.duration = 1d: ...; add --force to run it anyway". One line,
 * without a newline. Returns buf. */
char *ss_estimate_refusal(char *buf, size_t size, const struct ss_scenario *sc,
                          const struct ss_estimate *est);

/* The refusal for a run estimated to need more than `limit` bytes:
 * "FILE: error: this run would need about 31 GiB of memory, more than the
 * 24 GiB this process may use; most of it for ...: lower ..., or add --force
 * to try anyway". One line, without a newline. Returns buf. */
char *ss_estimate_memory_refusal(char *buf, size_t size, const struct ss_scenario *sc,
                                 const struct ss_estimate *est, double limit);

/* "31 GiB", "512 MiB", "3.5 KiB": a number of bytes for people. */
char *ss_bytes_text(char *buf, size_t size, double bytes);

/* A progress line for stderr during a long run:
 * "storesim: 42% of 08:00:00 simulated, 12s elapsed, about 17s left".
 * `now` is the simulated time reached, `elapsed` the wall-clock seconds since
 * the run began (the caller measures them). Returns buf. */
char *ss_progress_text(char *buf, size_t size, ss_time now, ss_time end, double elapsed);

#endif
