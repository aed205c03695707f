/* dist.c: sampling by the ziggurat (exp), inversion (uniform) and Box-Muller
 * (lognormal). */
#include "storesim/dist.h"

#include <math.h>
#include <stdio.h>

#include "ziggurat_exp.h"

/* Samples beyond this are clamped: a hold of 100 years ends no run anyway, and
 * adding it to the clock cannot overflow. */
#define SAMPLE_MAX ((double)(100 * 365 * SS_DAY))

struct ss_dist ss_dist_const(ss_time value)
{
    struct ss_dist d = {SS_DIST_CONST, 0, 0, 0.0, 0.0};
    d.a = value;
    return d;
}

struct ss_dist ss_dist_exp(ss_time mean)
{
    struct ss_dist d = {SS_DIST_EXP, 0, 0, 0.0, 0.0};
    d.a = mean;
    return d;
}

struct ss_dist ss_dist_uniform(ss_time min, ss_time max)
{
    struct ss_dist d = {SS_DIST_UNIFORM, 0, 0, 0.0, 0.0};
    d.a = min;
    d.b = max;
    return d;
}

struct ss_dist ss_dist_lognormal(ss_time mean, ss_time sd)
{
    struct ss_dist d = {SS_DIST_LOGNORMAL, 0, 0, 0.0, 0.0};
    double m = (double)mean, s = (double)sd;
    d.a = mean;
    d.b = sd;
    d.sigma = sqrt(log1p((s / m) * (s / m)));
    d.mu = log(m) - d.sigma * d.sigma / 2.0;
    return d;
}

static ss_time to_us(double x)
{
    if (!(x > 0.0))
        return 0;
    if (x > SAMPLE_MAX)
        x = SAMPLE_MAX;
    return (ss_time)(x + 0.5);
}

/* A standard exponential sample by the ziggurat method: 98.9% of samples
 * cost one random word, a table look-up and a multiplication; the rest fall
 * back to an exact rejection test. The layer index and the position in the
 * layer come from different bits of the word, so they are independent. */
static double standard_exponential(struct ss_rng *r)
{
    for (;;) {
        uint64_t u = ss_rng_next(r);
        unsigned layer = (unsigned)(u & 255);
        uint32_t j = (uint32_t)(u >> 32);
        double x = (double)j * zig_exp_w[layer];
        if (j < zig_exp_k[layer])
            return x;
        if (layer == 0) /* the tail beyond R is R plus an exponential */
            return ZIG_EXP_R - log(1.0 - ss_rng_uniform(r));
        if (zig_exp_f[layer] + ss_rng_uniform(r) * (zig_exp_f[layer - 1] - zig_exp_f[layer]) <
            exp(-x))
            return x;
    }
}

ss_time ss_exp_sample(double mean, struct ss_rng *r)
{
    return to_us(mean * standard_exponential(r));
}

double ss_exp_real(double mean, struct ss_rng *r)
{
    return mean * standard_exponential(r);
}

static double standard_normal(struct ss_rng *r)
{
    /* Box-Muller, keeping one of the pair: a stream's n-th sample then depends
     * only on n, never on a cached spare. */
    double u1 = 1.0 - ss_rng_uniform(r);
    double u2 = ss_rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

ss_time ss_dist_sample(const struct ss_dist *d, struct ss_rng *r)
{
    switch (d->kind) {
    case SS_DIST_CONST:
        return d->a;
    case SS_DIST_EXP:
        return ss_exp_sample((double)d->a, r);
    case SS_DIST_UNIFORM:
        return to_us((double)d->a + (double)(d->b - d->a) * ss_rng_uniform(r));
    case SS_DIST_LOGNORMAL:
        return to_us(exp(d->mu + d->sigma * standard_normal(r)));
    }
    return d->a;
}

double ss_dist_mean(const struct ss_dist *d)
{
    if (d->kind == SS_DIST_UNIFORM)
        return ((double)d->a + (double)d->b) / 2.0;
    return (double)d->a;
}

char *ss_dist_text(char *buf, size_t size, const struct ss_dist *d)
{
    char a[SS_TIME_TEXT], b[SS_TIME_TEXT];
    ss_span_canonical(a, d->a);
    ss_span_canonical(b, d->b);
    switch (d->kind) {
    case SS_DIST_CONST:
        snprintf(buf, size, "%s", a);
        break;
    case SS_DIST_EXP:
        snprintf(buf, size, "exp(%s)", a);
        break;
    case SS_DIST_UNIFORM:
        snprintf(buf, size, "uniform(%s, %s)", a, b);
        break;
    case SS_DIST_LOGNORMAL:
        snprintf(buf, size, "lognormal(%s, %s)", a, b);
        break;
    }
    return buf;
}
