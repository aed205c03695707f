/*
 * simtime.h: simulated time.
 *
 * Simulated time is an integer count of microseconds from the start of the run
 * (SPEC section 1). Integers, not floating point, so that two events scheduled
 * for "the same instant" really are at the same instant, and a run is
 * reproducible bit for bit. A signed 64-bit count covers 292,000 years.
 *
 * The formatting helpers here are the only place times are turned into text,
 * so the report, the trace and the JSON all say times the same way.
 */
#ifndef STORESIM_SIMTIME_H
#define STORESIM_SIMTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t ss_time;

#define SS_US ((ss_time)1)
#define SS_MS ((ss_time)1000)
#define SS_SECOND ((ss_time)1000000)
#define SS_MINUTE (60 * SS_SECOND)
#define SS_HOUR (60 * SS_MINUTE)
#define SS_DAY (24 * SS_HOUR)
#define SS_TIME_MAX INT64_MAX

/* A symptom or event that never happened. */
#define SS_NEVER ((ss_time)-1)

/* Longest text any formatter below writes, with its terminating NUL. */
#define SS_TIME_TEXT 48

/* "HH:MM:SS" (hours grow past 99 when they must), truncating to the second. */
char *ss_time_hms(char buf[SS_TIME_TEXT], ss_time t);

/* "HH:MM:SS.mmm": the trace's clock, precise to the millisecond. */
char *ss_time_hms_ms(char buf[SS_TIME_TEXT], ss_time t);

/* A span for people: "0s", "850us", "250ms", "1.25s", "4m05s", "2h30m", "1d2h". */
char *ss_span_text(char buf[SS_TIME_TEXT], ss_time span);

/* A span as a scenario file would say it, exactly: "1h30m", "250ms", "2s500ms".
 * Parsing the result gives back the same number of microseconds. */
char *ss_span_canonical(char buf[SS_TIME_TEXT], ss_time span);

/*
 * The clock. A scenario may say what time of day it is at simulated time 0
 * ([simulation] clock = 21:00). Points in time are then written as the time
 * of day, with the day once the run has passed midnight: "21:30:00",
 * "01:15:00+1d" (the day after the run's first), "07:00:00+2d". Without a
 * clock they are read from the start of the run, as before: "01:15:00",
 * "25:10:00". Either way the text can be typed back wherever a point in time
 * is asked (value.h, ss_parse_instant) and means the same instant.
 */
struct ss_clock {
    bool set;       /* false: no clock; times are read from the start */
    ss_time origin; /* with a clock: the time of day at simulated time 0 */
};

/* A point in time t (microseconds from the start) as "HH:MM:SS[+Nd]" (cut
 * to the second), "HH:MM:SS.mmm[+Nd]" (the trace's, to the millisecond) and
 * "HH:MM[+Nd]" (a chart's ticks, cut to the minute). c may be NULL: no clock. */
char *ss_clock_hms(char buf[SS_TIME_TEXT], const struct ss_clock *c, ss_time t);
char *ss_clock_hms_ms(char buf[SS_TIME_TEXT], const struct ss_clock *c, ss_time t);
char *ss_clock_hm(char buf[SS_TIME_TEXT], const struct ss_clock *c, ss_time t);

/* The day of the run t falls on, counting the first as 0 (0 without a clock),
 * and the time of day (from the start, without a clock). */
long long ss_clock_day(const struct ss_clock *c, ss_time t);
ss_time ss_clock_time_of_day(const struct ss_clock *c, ss_time t);

#endif
