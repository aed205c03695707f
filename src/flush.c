/* flush.c: the flush rule of KB 924567 and KB 810489, in one function. */
#include "storesim/flush.h"

struct ss_flush_decision ss_flush_decide(bool mta_enabled, bool hotfix,
                                         long long gateway_out_threads, ss_time flush_time,
                                         ss_time flush_timeout)
{
    struct ss_flush_decision d;
    if (hotfix && gateway_out_threads == 0) {
        /* KB 924567 hotfix: Gateway Out Threads = 0 (KB 810489) says the MTA
         * is off, so the store does not register the flush at all. */
        d.outcome = SS_FLUSH_SKIPPED;
        d.hold = 0;
        d.reason = "skipped: the KB 924567 hotfix is installed and Gateway Out Threads is 0 "
                   "on the source database";
    } else if (mta_enabled) {
        d.outcome = SS_FLUSH_COMPLETES;
        d.hold = flush_time;
        d.reason = hotfix ? "registered: Gateway Out Threads is not 0, so the hotfix does not "
                            "apply; the MTA is running and answers the flush"
                          : "registered: the MTA is running and answers the flush";
    } else {
        /* KB 924567: with the MTA Stacks service disabled nothing answers the
         * flush; it holds its thread until the timeout. */
        d.outcome = SS_FLUSH_TIMES_OUT;
        d.hold = flush_timeout;
        d.reason = hotfix ? "registered: the hotfix is installed but Gateway Out Threads is "
                            "not 0, and the MTA is disabled: nothing answers, the flush "
                            "holds a thread until it times out"
                          : "registered: the MTA is disabled, nothing answers, the flush "
                            "holds a thread until it times out";
    }
    return d;
}
