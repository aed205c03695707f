/*
 * dist.h: distributions of hold times and intervals.
 *
 * A scenario gives a service time as a constant duration, exp(MEAN),
 * uniform(MIN, MAX) or lognormal(MEAN, SD) (SPEC section 3). Parameters are in
 * microseconds; a sample is rounded to the nearest microsecond, so it can be
 * scheduled on the integer clock. Lognormal is given by the mean and standard
 * deviation of the hold time itself, as an administrator would measure them,
 * not by the parameters of the underlying normal.
 */
#ifndef STORESIM_DIST_H
#define STORESIM_DIST_H

#include <stddef.h>

#include "storesim/rng.h"
#include "storesim/simtime.h"

enum ss_dist_kind { SS_DIST_CONST, SS_DIST_EXP, SS_DIST_UNIFORM, SS_DIST_LOGNORMAL };

struct ss_dist {
    enum ss_dist_kind kind;
    ss_time a;          /* the constant, the mean (exp, lognormal) or the minimum (uniform) */
    ss_time b;          /* the maximum (uniform) or the standard deviation (lognormal) */
    double mu, sigma;   /* lognormal: parameters of the underlying normal */
};

struct ss_dist ss_dist_const(ss_time value);
struct ss_dist ss_dist_exp(ss_time mean);
struct ss_dist ss_dist_uniform(ss_time min, ss_time max);
struct ss_dist ss_dist_lognormal(ss_time mean, ss_time sd);

/* One sample, in whole microseconds, never negative. */
ss_time ss_dist_sample(const struct ss_dist *d, struct ss_rng *r);

/* The mean, in microseconds. */
double ss_dist_mean(const struct ss_dist *d);

/* An exponential sample with the given mean in microseconds, rounded to the
 * microsecond, and the same sample unrounded (Poisson gaps keep their
 * fraction: arrivals.c). Both draw the same random numbers. */
ss_time ss_exp_sample(double mean, struct ss_rng *r);
double ss_exp_real(double mean, struct ss_rng *r);

/* The distribution as a scenario file says it: "exp(200ms)", "uniform(1m, 5m)". */
char *ss_dist_text(char *buf, size_t size, const struct ss_dist *d);

#endif
