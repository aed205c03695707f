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

#endif
