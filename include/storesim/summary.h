/*
 * summary.h: a mean and how sure it is.
 *
 * One stochastic run is an anecdote; many runs give a mean and a 95%
 * confidence interval for it (Student t with n - 1 degrees of freedom):
 * "01:14:10 ± 00:02:31" says the mean over all possible runs lies within
 * 2m31s of 01:14:10, with 95% confidence. Means and variances are
 * accumulated with Welford's method, which stays exact when every value is
 * the same (a deterministic scenario: half-width 0), beside the plain sum,
 * which keeps the mean of counts exact.
 */
#ifndef STORESIM_SUMMARY_H
#define STORESIM_SUMMARY_H

/* The two-sided 95% quantile of Student's t with df >= 1 degrees of freedom
 * (t such that P(|T| <= t) = 0.95): exact to 9 digits from a table up to
 * df = 30, from the Cornish-Fisher expansion beyond (error below 1e-7);
 * 1.959964 in the limit. */
double ss_student_t975(int df);

/* A mean and the half-width of its 95% confidence interval. */
struct ss_summary {
    int n;        /* values summarised */
    double mean;  /* their mean; 0 when n = 0 */
    double half;  /* t(n - 1) x sd / sqrt(n), sd the sample standard deviation;
                     0 when n < 2 (one value gives no interval) */
};

/* Values summarised one at a time. Start from SS_ACCUM_EMPTY. */
struct ss_accum {
    int n;
    double mean, m2, sum;
};
#define SS_ACCUM_EMPTY {0, 0.0, 0.0, 0.0}

void ss_accum_add(struct ss_accum *a, double x);
void ss_accum_summary(const struct ss_accum *a, struct ss_summary *out);

/* Summarise x[0..n-1] (n >= 0). */
void ss_summarize(const double *x, int n, struct ss_summary *out);

#endif
