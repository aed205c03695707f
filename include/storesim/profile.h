/*
 * profile.h: a daily load.
 *
 * The rate of [delivery] and [owa] may change over the day: a profile is a
 * list of rates, each holding from a time of day until the next, repeating
 * every day; before the first time of the day, the last rate holds (it runs
 * on past midnight):
 *
 *   rate = 07:00 25/s, 18:00 8/s, 22:00 2/s
 *
 * A plain rate ("20/s") is a profile of one rate, all day. The times of day
 * are the clock's (simtime.h): with [simulation] clock = 21:00 the run starts
 * in the 18:00 rate; without a clock the run starts at 00:00.
 *
 * Arrivals follow the profile as a non-homogeneous Poisson process, sampled
 * exactly by inverting its cumulative rate (arrivals.c), not in steps of the
 * sample interval.
 */
#ifndef STORESIM_PROFILE_H
#define STORESIM_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "storesim/simtime.h"
#include "storesim/value.h"

#define SS_PROFILE_MAX 48 /* rates in a day: every half hour */

struct ss_profile {
    size_t n;                           /* rates, 1 to SS_PROFILE_MAX */
    bool daily;                         /* written with times of day, not as one rate */
    ss_time at[SS_PROFILE_MAX];         /* when each starts holding, time of day, increasing */
    struct ss_rate rate[SS_PROFILE_MAX];
};

/* Parse "20/s" or "TIME RATE, TIME RATE, ..." (times HH:MM or HH:MM:SS,
 * 00:00 to 23:59:59, strictly increasing). Returns 0, or -1 with a message
 * in err. Each rate's text is its part as written, blanks removed. */
int ss_parse_profile(const char *text, struct ss_profile *out, char err[SS_ERR_TEXT]);

/* The profile as a scenario says it: "20/s", "07:00 25/s, 18:00 8/s". */
char *ss_profile_text(char *buf, size_t size, const struct ss_profile *p);

/* The same in a sentence: "20/s", "25/s from 07:00, 8/s from 18:00 and 2/s
 * from 22:00". */
char *ss_profile_words(char *buf, size_t size, const struct ss_profile *p);

/* The highest rate, per second. */
double ss_profile_peak(const struct ss_profile *p);

/* The index of the rate that holds at time t of a run on clock c, and the
 * first instant after t at which the next one starts (SS_TIME_MAX for a
 * profile of one rate). */
size_t ss_profile_segment(const struct ss_profile *p, const struct ss_clock *c, ss_time t,
                          ss_time *until);

/* Expected arrivals from `from` to `to` (microseconds of a run on clock c):
 * the rate's integral. */
double ss_profile_count(const struct ss_profile *p, const struct ss_clock *c, ss_time from,
                        ss_time to);

#endif
