/*
 * arrivals.c: the arrival streams of local delivery and OWA.
 *
 * Poisson arrivals have exponential gaps with the mean 1 / rate; regular
 * arrivals are that mean apart exactly, for examples worked out by hand.
 * Each stream draws from its own random stream, named for it, so the
 * messages that arrive never depend on anything else in the run.
 *
 * Time is kept exactly (sim_internal.h): a gap of 0.3 us is not rounded to 0
 * (which would pile every arrival on one instant and never end the run), nor
 * 1.4 us to 1 (40% too many arrivals). A regular gap is the exact fraction
 * 10^decimals x unit / count of the rate as written, so that a rate of
 * 3000000/s gives exactly 3,000,000 arrivals in a second.
 */
#include "sim_internal.h"

#include <assert.h>
#include <math.h>

#include "storesim/dist.h"

/* An unsigned 128-bit number, for the exact gap: C99 has no wider integer
 * than 64 bits, and 10^decimals x unit can exceed them. */
struct u128 {
    uint64_t hi, lo;
};

/* x * m, for m < 2^32. */
static struct u128 mul_small(struct u128 x, uint32_t m)
{
    uint64_t a = (x.lo & 0xffffffffu) * m, b = (x.lo >> 32) * m;
    struct u128 r;
    r.lo = a + (b << 32);
    r.hi = x.hi * m + (b >> 32) + (r.lo < a);
    return r;
}

/* x / d and x % d, by long division; the quotient must fit 64 bits. */
static uint64_t div_small(struct u128 x, uint64_t d, uint64_t *rem)
{
    uint64_t q = 0, r = 0;
    int i;
    for (i = 127; i >= 0; i--) {
        uint64_t bit = i >= 64 ? (x.hi >> (i - 64)) & 1 : (x.lo >> i) & 1;
        bool carry = r >> 63;
        r = (r << 1) | bit;
        q <<= 1;
        if (carry || r >= d) {
            r -= d;
            q |= 1;
        }
    }
    *rem = r;
    return q;
}

bool arrivals_init(struct arrivals *a, const struct ss_scenario *sc, const char *stream,
                   bool present, const struct ss_profile *profile, bool regular)
{
    const struct ss_rate *rate = &profile->rate[0];
    ss_rng_stream(&a->rng, sc->seed, stream);
    a->regular = regular;
    a->daily = profile->n > 1;
    a->mean_us = 0;
    a->gap_whole = 0;
    a->gap_rem = 0;
    a->den = 1;
    a->whole = 0;
    a->frac = 0;
    a->rem = 0;
    a->profile = profile;
    a->seg = 0;
    a->seg_start = a->seg_end = 0;
    a->off = 0;
    if (!present || ss_profile_peak(profile) <= 0)
        return false;
    if (a->daily) {
        a->seg = ss_profile_segment(profile, &sc->clock, 0, &a->seg_end);
        return true;
    }
    a->mean_us = (double)SS_SECOND / rate->per_second;
    if (regular) {
        /* gap = 10^decimals x unit / count microseconds, exactly. */
        struct u128 n = {0, (uint64_t)rate->unit};
        int i;
        assert(rate->count > 0);
        for (i = 0; i < rate->decimals; i++)
            n = mul_small(n, 10);
        a->den = rate->count;
        a->gap_whole = (ss_time)div_small(n, rate->count, &a->gap_rem);
    }
    return true;
}

/* How long rate i of the profile holds, in microseconds. */
static ss_time segment_length(const struct ss_profile *p, size_t i)
{
    return (i + 1 < p->n ? p->at[i + 1] : p->at[0] + SS_DAY) - p->at[i];
}

/* The next arrival of a daily profile: the instant at which the rate's
 * integral since the last arrival reaches a unit exponential (Poisson), or
 * 1 (regular). Rates of 0 are passed over; the profile has one above 0. */
static ss_time next_in_profile(struct arrivals *a)
{
    const struct ss_profile *p = a->profile;
    double need = a->regular ? 1.0 : ss_exp_real(1.0, &a->rng);
    for (;;) {
        double per_us = p->rate[a->seg].per_second / (double)SS_SECOND;
        double room = (double)(a->seg_end - a->seg_start) - a->off;
        if (per_us > 0 && need <= per_us * room) {
            a->off += need / per_us;
            return a->seg_start + (ss_time)ceil(a->off);
        }
        need -= per_us * room;
        if (a->seg_end > SS_DURATION_MAX * 2)
            return SS_TIME_MAX; /* past any run */
        a->seg_start = a->seg_end;
        a->off = 0;
        a->seg = (a->seg + 1) % p->n;
        a->seg_end = a->seg_start + segment_length(p, a->seg);
    }
}

ss_time arrivals_next(struct arrivals *a)
{
    ss_time whole;
    if (a->daily)
        return next_in_profile(a);
    if (a->regular) {
        whole = a->gap_whole;
        a->rem += a->gap_rem; /* both below den < 2^63: no wrap */
        if (a->rem >= a->den) {
            a->rem -= a->den;
            whole++;
        }
    } else {
        double f = a->frac + ss_exp_real(a->mean_us, &a->rng), w = floor(f);
        a->frac = f - w;
        whole = w > (double)SS_TIME_MAX ? SS_TIME_MAX : (ss_time)w;
    }
    /* Saturate rather than overflow: an arrival past SS_TIME_MAX never comes. */
    a->whole = whole > SS_TIME_MAX - a->whole ? SS_TIME_MAX : a->whole + whole;
    if (a->whole == SS_TIME_MAX)
        return SS_TIME_MAX;
    return a->whole + ((a->regular ? a->rem > 0 : a->frac > 0) ? 1 : 0);
}
