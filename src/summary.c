/* summary.c: Student t and Welford's running mean (see summary.h). */
#include "storesim/summary.h"

#include <assert.h>
#include <math.h>

/* t(0.975, df) for df = 1..30, to 9 significant digits. */
static const double t975[31] = {
    0,           12.7062047,  4.30265273,  3.18244631,  2.77644511,  2.57058184,
    2.44691185,  2.36462425,  2.30600414,  2.26215716,  2.22813885,  2.20098516,
    2.17881283,  2.16036866,  2.14478669,  2.13144955,  2.11990530,  2.10981558,
    2.10092204,  2.09302405,  2.08596345,  2.07961384,  2.07387307,  2.06865761,
    2.06389856,  2.05953855,  2.05552944,  2.05183052,  2.04840714,  2.04522964,
    2.04227246};

double ss_student_t975(int df)
{
    /* Cornish-Fisher expansion of t in powers of 1/df around the normal
     * quantile z (Abramowitz and Stegun 26.7.5). */
    const double z = 1.959963984540054;
    double z2 = z * z, n = df, g1, g2, g3, g4;
    assert(df >= 1);
    if (df <= 30)
        return t975[df];
    g1 = (z2 + 1) * z / 4;
    g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
    g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
    g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
    return z + g1 / n + g2 / (n * n) + g3 / (n * n * n) + g4 / (n * n * n * n);
}

/* The mean reported is sum / n, exact for counts, so 20 runs of 575,878
 * messages on average say 575878, not 575878.0000000001. */
void ss_accum_add(struct ss_accum *a, double x)
{
    double delta = x - a->mean;
    a->n++;
    a->sum += x;
    a->mean += delta / a->n;
    a->m2 += delta * (x - a->mean);
}

void ss_accum_summary(const struct ss_accum *a, struct ss_summary *out)
{
    out->n = a->n;
    out->mean = a->n ? a->sum / a->n : 0.0;
    out->half = 0.0;
    if (a->n >= 2) {
        double var = a->m2 / (a->n - 1);
        out->half = ss_student_t975(a->n - 1) * sqrt(var > 0 ? var : 0) / sqrt((double)a->n);
    }
}

void ss_summarize(const double *x, int n, struct ss_summary *out)
{
    struct ss_accum a = SS_ACCUM_EMPTY;
    int i;
    assert(n >= 0);
    for (i = 0; i < n; i++)
        ss_accum_add(&a, x[i]);
    ss_accum_summary(&a, out);
}
