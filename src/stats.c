/* stats.c: the log-bucket histogram of stats.h. */
#include "storesim/stats.h"

#include <assert.h>
#include <math.h>
#include <string.h>

void ss_hist_init(struct ss_hist *h)
{
    memset(h, 0, sizeof *h);
}

/* Index of the highest set bit of v > 0, by halving (no compiler builtins). */
static int high_bit(uint64_t v)
{
    int n = 0;
    if (v >> 32) { v >>= 32; n += 32; }
    if (v >> 16) { v >>= 16; n += 16; }
    if (v >> 8) { v >>= 8; n += 8; }
    if (v >> 4) { v >>= 4; n += 4; }
    if (v >> 2) { v >>= 2; n += 2; }
    if (v >> 1) { n += 1; }
    return n;
}

int ss_hist_bucket(ss_time value)
{
    uint64_t v = (uint64_t)value;
    int octave;
    if (v < SS_HIST_LINEAR)
        return (int)v;
    octave = high_bit(v); /* 7 .. 62 */
    /* The 6 bits below the highest one pick the sub-bucket. */
    return SS_HIST_LINEAR + (octave - 7) * SS_HIST_SUB + (int)((v >> (octave - 6)) & 63);
}

ss_time ss_hist_bucket_low(int bucket)
{
    int octave, sub;
    if (bucket < SS_HIST_LINEAR)
        return bucket;
    octave = (bucket - SS_HIST_LINEAR) / SS_HIST_SUB + 7;
    sub = (bucket - SS_HIST_LINEAR) % SS_HIST_SUB;
    return (ss_time)(((uint64_t)64 + (uint64_t)sub) << (octave - 6));
}

void ss_hist_add(struct ss_hist *h, ss_time value)
{
    assert(value >= 0);
    if (h->count == 0 || value < h->min)
        h->min = value;
    if (value > h->max)
        h->max = value;
    h->count++;
    h->sum += (double)value;
    h->bucket[ss_hist_bucket(value)]++;
}

double ss_hist_mean(const struct ss_hist *h)
{
    return h->count ? h->sum / (double)h->count : 0.0;
}

ss_time ss_hist_quantile(const struct ss_hist *h, double q)
{
    uint64_t rank, seen = 0;
    int b;
    if (h->count == 0)
        return 0;
    rank = (uint64_t)ceil(q * (double)h->count);
    if (rank < 1)
        rank = 1;
    if (rank > h->count)
        rank = h->count;
    for (b = 0; b < SS_HIST_BUCKETS; b++) {
        seen += h->bucket[b];
        if (seen >= rank) {
            ss_time low = ss_hist_bucket_low(b), mid;
            if (b < SS_HIST_LINEAR)
                mid = low;
            else if (b + 1 == SS_HIST_BUCKETS)
                mid = h->max;
            else
                mid = low + (ss_hist_bucket_low(b + 1) - low) / 2;
            if (mid < h->min)
                mid = h->min;
            if (mid > h->max)
                mid = h->max;
            return mid;
        }
    }
    return h->max;
}
