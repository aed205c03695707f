/*
 * arrivals.c: the arrival streams of local delivery and OWA.
 *
 * Poisson arrivals have exponential gaps with the mean 1 / rate; regular
 * arrivals are that mean apart exactly, for examples worked out by hand.
 * Each stream draws from its own random stream, named for it, so the
 * messages that arrive never depend on anything else in the run.
 */
#include "sim_internal.h"

#include "storesim/dist.h"

bool arrivals_init(struct arrivals *a, const struct ss_scenario *sc, const char *stream,
                   bool present, const struct ss_rate *rate, bool regular)
{
    ss_rng_stream(&a->rng, sc->seed, stream);
    a->regular = regular;
    a->last = 0;
    a->gap_us = 0;
    if (!present || rate->per_second <= 0)
        return false;
    a->gap_us = (double)SS_SECOND / rate->per_second;
    return true;
}

ss_time arrivals_next(struct arrivals *a)
{
    ss_time gap = a->regular ? (ss_time)(a->gap_us + 0.5) : ss_exp_sample(a->gap_us, &a->rng);
    /* Saturate rather than overflow: an arrival past SS_TIME_MAX never comes. */
    a->last = gap > SS_TIME_MAX - a->last ? SS_TIME_MAX : a->last + gap;
    return a->last;
}
