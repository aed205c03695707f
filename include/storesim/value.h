/*
 * value.h: the value types of scenario files (SPEC section 3).
 *
 *   durations      250ms, 30s, 15m, 2h, 1d, sums such as 1h30m, decimals such
 *                  as 1.5s; also us (microseconds). A plain number is not a
 *                  duration: "30" could be seconds or minutes, so it is refused.
 *   rates          20/s, 600/m, 5000/h, 100000/d (a decimal count is allowed)
 *   distributions  a duration (a constant), exp(MEAN), uniform(MIN, MAX),
 *                  lognormal(MEAN, SD)
 *   booleans       true, false
 *   whole numbers  digits only, within a range each key states
 *
 * Each parser returns 0, or -1 with a message in `err` that says what is wrong
 * and what would be right; the scenario module puts FILE:LINE in front of it.
 */
#ifndef STORESIM_VALUE_H
#define STORESIM_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storesim/dist.h"
#include "storesim/simtime.h"

#define SS_ERR_TEXT 256

/* Longest duration a scenario may state: 100 years, far past any sensible
 * run, and small enough that sums of a few never overflow the clock. */
#define SS_DURATION_MAX (100 * 365 * SS_DAY)

/* Highest rate a scenario may state, per second; and the lowest above 0
 * (about one in 32 years: below that, even the longest run sees nothing). */
#define SS_RATE_MAX 1e9
#define SS_RATE_MIN 1e-9
#define SS_RATE_DIGITS 18 /* significant digits of a rate's count */

/* A rate, exactly as written: `count` x 10^-decimals things per `unit`. */
struct ss_rate {
    double per_second; /* the same per second; 0: no arrivals */
    uint64_t count;    /* the count's digits, the point left out: "0.25" is 25 */
    int decimals;      /* digits after the point: "0.25" has 2 */
    ss_time unit;      /* SS_SECOND, SS_MINUTE, SS_HOUR or SS_DAY */
    char text[40];     /* as the scenario wrote it, spaces removed: "600/m" (scenario.c) */
};

int ss_parse_duration(const char *text, ss_time *out, char err[SS_ERR_TEXT]);

/* A time of day, "HH:MM" or "HH:MM:SS" (00:00 to 23:59:59, seconds may have
 * up to 6 decimals): microseconds since midnight. */
int ss_parse_clock(const char *text, ss_time *tod, char err[SS_ERR_TEXT]);

/* A point in time, in microseconds from the start of the run (simtime.h,
 * the clock): a duration from the start ("1h30m"), or a time as the reports
 * write it, "HH:MM[:SS[.ffffff]]" with "+Nd" for a later day. Without a
 * clock the hours count from the start and may pass 23 ("25:10:00"). With
 * one it is a time of day: the next time the clock shows it at or after the
 * start, or on the day +Nd says (the run's first day is +0d). At most 100
 * years. */
int ss_parse_instant(const char *text, const struct ss_clock *clock, ss_time *out,
                     char err[SS_ERR_TEXT]);
/* A rate: 0, or from SS_RATE_MIN to SS_RATE_MAX per second, with at most
 * SS_RATE_DIGITS significant digits. Fills every field but `text`. */
int ss_parse_rate(const char *text, struct ss_rate *out, char err[SS_ERR_TEXT]);
int ss_parse_dist(const char *text, struct ss_dist *out, char err[SS_ERR_TEXT]);
int ss_parse_bool(const char *text, bool *out, char err[SS_ERR_TEXT]);
int ss_parse_int(const char *text, long long min, long long max, long long *out,
                 char err[SS_ERR_TEXT]);
int ss_parse_u64(const char *text, uint64_t *out, char err[SS_ERR_TEXT]);

/* A rate as a scenario file says it, per second: "20/s", "0.9/s". */
char *ss_rate_text(char *buf, size_t size, double per_second);

#endif
