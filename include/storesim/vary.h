/*
 * vary.h: one --vary KEY=FROM:TO:STEP of a sweep.
 *
 * FROM, TO and STEP are decimal numbers (no exponent), sharing one unit or
 * none: "store.threads=100:200:50", "mta.flush_timeout=30m:150m:30m",
 * "delivery.rate=10/s:40/s:10/s". The values are FROM, FROM + STEP, ... up to
 * TO (TO itself when STEP divides the range), computed in exact decimal
 * arithmetic, so 0.1:0.5:0.1 gives 0.1, 0.2, 0.3, 0.4, 0.5. A duration must
 * be written in one unit (90m, not 1h30m). The key is not checked here: each
 * value becomes a --set, and the scenario parser judges it.
 *
 * Points in time. FROM and TO may be times as the reports write them, both
 * HH:MM or both HH:MM:SS, with +Nd for a later day, and STEP a duration:
 * "move tonight.start=20:00:23:00:30m" gives 20:00, 20:30, ... 23:00;
 * "action restart.at=22:00:01:00+1d:1h" crosses midnight. Each value is set
 * as the time it names, on the scenario's clock.
 */
#ifndef STORESIM_VARY_H
#define STORESIM_VARY_H

#include <stdbool.h>
#include <stddef.h>

/* Most points one --vary may give, and the whole grid. */
#define SS_VARY_POINTS_MAX 10000

struct ss_vary {
    char key[256];     /* "move batch1.mailboxes", as --set writes it */
    char unit[16];     /* the unit FROM, TO and STEP share: "", "m", "ms", "/s" */
    double from, to, step;
    long points;       /* how many values: from, from + step, ... <= to */
    int decimals;      /* digits after the point the values are written with */
    long long first, stride; /* from and step in units of 10^-decimals (exact) */
    bool times;        /* FROM and TO are times: first and stride in microseconds */
    bool seconds;      /* ... written with their seconds (HH:MM:SS) */
};

/* Parse "KEY=FROM:TO:STEP". Refuses malformed text, units that differ or are
 * unknown, STEP <= 0, FROM > TO and more than SS_VARY_POINTS_MAX values.
 * Returns 0, or -1 with a one-line message in err ("--vary '...': ..."). */
int ss_vary_parse(const char *text, struct ss_vary *out, char *err, size_t err_size);

/* The k-th value (0 <= k < points) as a number, as --set text ("90m"), and
 * without its unit ("90"). */
double ss_vary_number(const struct ss_vary *v, long k);
char *ss_vary_text(const struct ss_vary *v, long k, char *buf, size_t size);
char *ss_vary_digits(const struct ss_vary *v, long k, char *buf, size_t size);

/* STEP as written: "50", "30m". */
char *ss_vary_step(const struct ss_vary *v, char *buf, size_t size);

/* x units of 10^-decimals as decimal text: "150", "0.25" (no trailing zeros). */
char *ss_vary_scaled(long long x, int decimals, char *buf, size_t size);

#endif
