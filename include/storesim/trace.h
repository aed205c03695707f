/*
 * trace.h: the run told line by line, for a classroom (--trace).
 *
 * Each line is "HH:MM:SS.mmm  TOPIC     what happened, in plain words".
 * Topics are the four kinds of task plus "event" (symptoms, SMTP, the move
 * wizard), so a trainer can keep only the lines that matter (--only flush)
 * within a window of simulated time (--from, --to).
 *
 * The simulator asks ss_trace_wants() before it formats anything, so a run
 * without --trace does no formatting and no I/O in its event loop.
 */
#ifndef STORESIM_TRACE_H
#define STORESIM_TRACE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "storesim/pool.h"
#include "storesim/simtime.h"

/* Topics: the task kinds (same numbers as enum ss_kind), then events. */
#define SS_TOPIC_EVENT SS_KINDS
#define SS_TOPICS (SS_KINDS + 1)
#define SS_TOPICS_ALL ((1u << SS_TOPICS) - 1)

struct ss_trace {
    FILE *f;          /* where the lines go */
    const struct ss_clock *clock; /* how times are written; NULL: from the start */
    ss_time from;     /* first instant told */
    ss_time to;       /* last instant told; SS_NEVER: to the end */
    unsigned topics;  /* bit (1 << topic) for each topic told */
};

/* Tell everything, to f. */
void ss_trace_init(struct ss_trace *t, FILE *f);

/* Should a line of `topic` at `now` be written? NULL trace: never. */
bool ss_trace_wants(const struct ss_trace *t, ss_time now, int topic);

/* Write one line (printf-style text, no newline needed). */
void ss_trace_say(struct ss_trace *t, ss_time now, int topic, const char *fmt, ...);
void ss_trace_vsay(struct ss_trace *t, ss_time now, int topic, const char *fmt, va_list ap);

/* The name of a topic: "delivery", "owa", "move", "flush", "event". */
const char *ss_trace_topic_name(int topic);

/* Parse "--only" lists such as "flush,delivery" into a topic mask.
 * Returns 0, or -1 with err naming the unknown topic. */
int ss_trace_parse_topics(const char *list, unsigned *mask, char *err, size_t err_size);

#endif
