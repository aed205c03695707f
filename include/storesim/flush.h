/*
 * flush.h: the transit-mail flush, the one fact storesim exists for.
 *
 * When a mailbox move starts, the Exchange 2003 store registers a flush for
 * that mailbox in its transit mail task (KB 924567). The flush is a store
 * task: it holds a thread until the MTA answers it or, when the MTA Stacks
 * service is disabled, until it times out after 150 minutes.
 *
 * The KB 924567 hotfix makes the store skip the flush when the source
 * database's "Gateway Out Threads" registry value is 0 - the value KB 810489
 * tells administrators to set when they disable the MTA. Without that value
 * the hotfix changes nothing.
 */
#ifndef STORESIM_FLUSH_H
#define STORESIM_FLUSH_H

#include <stdbool.h>

#include "storesim/simtime.h"

enum ss_flush_outcome {
    SS_FLUSH_SKIPPED,   /* not registered: no task at all */
    SS_FLUSH_COMPLETES, /* registered; the MTA answers after flush_time */
    SS_FLUSH_TIMES_OUT  /* registered; nothing answers, it holds a thread for flush_timeout */
};

struct ss_flush_decision {
    enum ss_flush_outcome outcome;
    ss_time hold;        /* how long the flush task holds its thread; 0 when skipped */
    const char *reason;  /* why, in one plain sentence for the trace */
};

/* What the store does with the flush of one mailbox move. */
struct ss_flush_decision ss_flush_decide(bool mta_enabled, bool hotfix,
                                         long long gateway_out_threads, ss_time flush_time,
                                         ss_time flush_timeout);

#endif
