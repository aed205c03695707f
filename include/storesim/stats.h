/*
 * stats.h: wait-time statistics in bounded memory.
 *
 * A run may start millions of tasks; keeping every wait to sort it for the
 * percentiles would make memory grow with the length of the run. Instead each
 * wait goes into a log-bucket histogram (the HdrHistogram idea): waits under
 * 128us have a bucket each, and every octave above is cut into 64 buckets of
 * equal width. A percentile is read as the middle of its bucket, within 0.8%
 * of the true value (half of 1/64); the count, the mean and the maximum are
 * exact. One histogram is 3712 counters (29 KiB) whatever the run.
 */
#ifndef STORESIM_STATS_H
#define STORESIM_STATS_H

#include <stdint.h>

#include "storesim/simtime.h"

#define SS_HIST_LINEAR 128  /* values below get one bucket each */
#define SS_HIST_SUB 64      /* buckets per octave above */
#define SS_HIST_OCTAVES 56  /* octaves 2^7 .. 2^62: every ss_time >= 0 */
#define SS_HIST_BUCKETS (SS_HIST_LINEAR + SS_HIST_OCTAVES * SS_HIST_SUB)

struct ss_hist {
    uint64_t count;  /* values recorded */
    double sum;      /* their sum, for the mean */
    ss_time max;     /* the largest, exactly */
    ss_time min;     /* the smallest, exactly */
    uint64_t bucket[SS_HIST_BUCKETS];
};

void ss_hist_init(struct ss_hist *h);

/* Record one value (>= 0). */
void ss_hist_add(struct ss_hist *h, ss_time value);

/* The mean, or 0 when empty. */
double ss_hist_mean(const struct ss_hist *h);

/* The q-quantile (0 < q <= 1): the smallest recorded value v with at least
 * q * count values <= v, read at the middle of its bucket and kept within
 * [min, max]. 0 when empty. */
ss_time ss_hist_quantile(const struct ss_hist *h, double q);

/* Bucket of a value, and the lowest value of a bucket (exposed for tests). */
int ss_hist_bucket(ss_time value);
ss_time ss_hist_bucket_low(int bucket);

#endif
