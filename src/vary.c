/*
 * vary.c: --vary KEY=FROM:TO:STEP (see vary.h).
 *
 * Values are kept as integers in units of 10^-decimals, so a grid stated in
 * decimals ("0.1:0.5:0.1") has no rounding drift and each value is written
 * back exactly as the user would have typed it.
 */
#include "storesim/vary.h"

#include "storesim/escape.h"
#include "storesim/value.h"

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DIGITS_MAX 15 /* a value's digits, so that it stays exact in a double */

/* ------------------------------------------------------------------ --vary */

static const char *const units[] = {"", "us", "ms", "s", "m", "h", "d", "/s", "/m", "/h", "/d"};

/* "--vary 'TEXT': " and the message. */
/* "--vary 'TEXT': " and the message, on one line whatever the text holds:
 * the quote is escaped (escape.h) and cut at 200 bytes, and so is the rest. */
static int vary_error(char *err, size_t size, const char *text, const char *fmt, ...)
{
    char shown[201], line[1024];
    va_list ap;
    int n;
    ss_escape(shown, sizeof shown, text);
    n = snprintf(line, sizeof line, "--vary '%s': ", shown);
    if (n > 0 && (size_t)n < sizeof line) {
        va_start(ap, fmt);
        vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
        va_end(ap);
    }
    ss_escape(err, size, line);
    return -1;
}

/* One of FROM, TO, STEP: "150", "0.25", "30m". Returns 0 or -1. */
struct part {
    char text[64];
    long long mantissa;  /* digits without the point */
    int decimals;        /* digits after the point */
    int digits;          /* significant digits */
    char unit[16];
};

static int parse_part(const char *s, size_t len, struct part *p)
{
    size_t i = 0;
    int seen_digit = 0, after_point = -1;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    while (len && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    if (len >= sizeof p->text)
        len = sizeof p->text - 1;
    memcpy(p->text, s, len);
    p->text[len] = '\0';
    p->mantissa = 0;
    p->digits = 0;
    for (; i < len; i++) {
        if (isdigit((unsigned char)s[i])) {
            seen_digit = 1;
            if (p->mantissa || s[i] != '0')
                p->digits++;
            if (p->digits > DIGITS_MAX)
                return -1;
            p->mantissa = p->mantissa * 10 + (s[i] - '0');
            if (after_point >= 0)
                after_point++;
        } else if (s[i] == '.' && after_point < 0) {
            after_point = 0;
        } else {
            break;
        }
    }
    if (!seen_digit || after_point == 0 || len - i >= sizeof p->unit)
        return -1;
    p->decimals = after_point < 0 ? 0 : after_point;
    memcpy(p->unit, s + i, len - i);
    p->unit[len - i] = '\0';
    return 0;
}

static int known_unit(const char *u)
{
    size_t i;
    for (i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(u, units[i]) == 0)
            return 1;
    return 0;
}

static long long pow10ll(int n)
{
    long long p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

/* FROM:TO:STEP with FROM and TO times (HH:MM or HH:MM:SS): the colons after
 * '=' are 4 or 6. Returns 0 or -1 (err set). */
static int parse_times(const char *text, const char *value, int colons, struct ss_vary *out,
                       char *err, size_t err_size)
{
    char from[64], to[64], why[SS_ERR_TEXT];
    const char *p = value, *cut[6];
    int i, fields = colons == 4 ? 2 : 3;
    ss_time a, b, step;
    for (i = 0; i < colons; i++) {
        p = strchr(p, ':');
        cut[i] = p++;
    }
    if ((size_t)(cut[fields - 1] - value) >= sizeof from ||
        (size_t)(cut[2 * fields - 1] - cut[fields - 1]) >= sizeof to)
        return vary_error(err, err_size, text, "FROM or TO is too long");
    snprintf(from, sizeof from, "%.*s", (int)(cut[fields - 1] - value), value);
    snprintf(to, sizeof to, "%.*s", (int)(cut[2 * fields - 1] - cut[fields - 1] - 1),
             cut[fields - 1] + 1);
    if (ss_parse_instant(from, NULL, &a, why) != 0)
        return vary_error(err, err_size, text, "FROM: %s", why);
    if (ss_parse_instant(to, NULL, &b, why) != 0)
        return vary_error(err, err_size, text, "TO: %s", why);
    if (ss_parse_duration(cut[2 * fields - 1] + 1, &step, why) != 0)
        return vary_error(err, err_size, text, "STEP: %s", why);
    if (step <= 0)
        return vary_error(err, err_size, text, "STEP must be above 0");
    if (a > b)
        return vary_error(err, err_size, text, "FROM (%s) is after TO (%s); for the next day "
                                               "write TO as %s+1d",
                          from, to, to);
    if ((b - a) / step + 1 > SS_VARY_POINTS_MAX)
        return vary_error(err, err_size, text, "that is %lld values, more than the %d a sweep "
                                               "may run (take a larger STEP)",
                          (long long)((b - a) / step + 1), SS_VARY_POINTS_MAX);
    out->times = true;
    out->seconds = fields == 3 || step % SS_MINUTE != 0;
    out->first = a;
    out->stride = step;
    out->points = (long)((b - a) / step + 1);
    out->from = (double)a / 1e6;
    out->to = (double)b / 1e6;
    out->step = (double)step / 1e6;
    return 0;
}

int ss_vary_parse(const char *text, struct ss_vary *out, char *err, size_t err_size)
{
    static const char usage[] = "expected KEY=FROM:TO:STEP, for example store.threads=100:200:50";
    const char *eq = strchr(text, '='), *k0 = text, *k1, *c1, *c2;
    struct part p[3];
    const char *const names[3] = {"FROM", "TO", "STEP"};
    long long scaled[3];
    int i, decimals = 0;

    memset(out, 0, sizeof *out);
    if (!eq)
        return vary_error(err, err_size, text, "%s", usage);
    k1 = eq;
    while (k0 < k1 && isspace((unsigned char)*k0))
        k0++;
    while (k1 > k0 && isspace((unsigned char)k1[-1]))
        k1--;
    if (k1 == k0 || !memchr(k0, '.', (size_t)(k1 - k0)))
        return vary_error(err, err_size, text, "%s (KEY is section.key or \"section NAME.key\")",
                          usage);
    if ((size_t)(k1 - k0) >= sizeof out->key)
        return vary_error(err, err_size, text, "the key is too long");
    memcpy(out->key, k0, (size_t)(k1 - k0));
    out->key[k1 - k0] = '\0';

    {
        int colons = 0;
        for (c1 = eq + 1; *c1; c1++)
            colons += *c1 == ':';
        if (colons == 4 || colons == 6)
            return parse_times(text, eq + 1, colons, out, err, err_size);
    }
    c1 = strchr(eq + 1, ':');
    c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (c1 && c2 && strchr(c2 + 1, ':')) /* times, but not as HH:MM:HH:MM:STEP */
        return vary_error(err, err_size, text, "expected KEY=FROM:TO:STEP with times of day as "
                          "FROM and TO and a duration as STEP, for example "
                          "\"move batch1.start=22:00:23:30:30m\"");
    if (!c1 || !c2)
        return vary_error(err, err_size, text, "%s", usage);
    {
        const char *start[3], *end[3];
        start[0] = eq + 1, end[0] = c1;
        start[1] = c1 + 1, end[1] = c2;
        start[2] = c2 + 1, end[2] = c2 + strlen(c2);
        for (i = 0; i < 3; i++) {
            if (parse_part(start[i], (size_t)(end[i] - start[i]), &p[i]) != 0) {
                if (p[i].digits > DIGITS_MAX)
                    return vary_error(err, err_size, text, "%s '%s' has more than 15 digits",
                                      names[i], p[i].text);
                return vary_error(err, err_size, text,
                                  "%s '%s' is not a number (write digits with an optional "
                                  "decimal point and unit: 150, 0.5, 30m, 20/s)",
                                  names[i], p[i].text);
            }
            if (!known_unit(p[i].unit))
                return vary_error(err, err_size, text,
                                  "%s '%s' has an unknown unit '%s' (durations: us, ms, s, m, h, "
                                  "d; rates: /s, /m, /h, /d)",
                                  names[i], p[i].text, p[i].unit);
            if (p[i].decimals > DIGITS_MAX)
                return vary_error(err, err_size, text, "%s '%s' has more than 15 decimals",
                                  names[i], p[i].text);
            if (p[i].decimals > decimals)
                decimals = p[i].decimals;
        }
    }
    if (strcmp(p[0].unit, p[1].unit) != 0 || strcmp(p[0].unit, p[2].unit) != 0) {
        char got[208];
        snprintf(got, sizeof got, "'%s', '%s' and '%s'", p[0].text, p[1].text, p[2].text);
        return vary_error(err, err_size, text,
                          "FROM, TO and STEP must be written in one unit (got %s); for "
                          "example 30m:150m:30m, not 30m:2h30m:30m",
                          got);
    }
    for (i = 0; i < 3; i++) {
        int shift = decimals - p[i].decimals;
        if (p[i].digits + shift > DIGITS_MAX)
            return vary_error(err, err_size, text, "%s '%s' has more than 15 digits",
                              names[i], p[i].text);
        scaled[i] = p[i].mantissa * pow10ll(shift);
    }
    if (scaled[2] <= 0)
        return vary_error(err, err_size, text, "STEP must be above 0 (got '%s')", p[2].text);
    if (scaled[0] > scaled[1])
        return vary_error(err, err_size, text, "FROM (%s) is above TO (%s)", p[0].text, p[1].text);
    if ((scaled[1] - scaled[0]) / scaled[2] + 1 > SS_VARY_POINTS_MAX) {
        char n[32], limit[32];
        sprintf(n, "%lld", (scaled[1] - scaled[0]) / scaled[2] + 1);
        sprintf(limit, "%d", SS_VARY_POINTS_MAX);
        return vary_error(err, err_size, text,
                          "that is %s values, more than the %s a sweep may run (take a larger "
                          "STEP)",
                          n, limit);
    }
    strcpy(out->unit, p[0].unit);
    out->decimals = decimals;
    out->first = scaled[0];
    out->stride = scaled[2];
    out->points = (long)((scaled[1] - scaled[0]) / scaled[2] + 1);
    out->from = (double)scaled[0] / (double)pow10ll(decimals);
    out->to = (double)scaled[1] / (double)pow10ll(decimals);
    out->step = (double)scaled[2] / (double)pow10ll(decimals);
    return 0;
}

double ss_vary_number(const struct ss_vary *v, long k)
{
    assert(k >= 0 && k < v->points);
    if (v->times)
        return (double)(v->first + k * v->stride) / 1e6; /* seconds from the start */
    return (double)(v->first + k * v->stride) / (double)pow10ll(v->decimals);
}

/* A time of the grid as the scenario reads it: "22:30", "00:30:15+1d". */
static char *time_text(const struct ss_vary *v, ss_time t, char *buf, size_t size)
{
    ss_time tod = t % SS_DAY;
    long long day = (long long)(t / SS_DAY);
    if (v->seconds)
        snprintf(buf, size, "%02lld:%02lld:%02lld", (long long)(tod / SS_HOUR),
                 (long long)(tod % SS_HOUR / SS_MINUTE), (long long)(tod % SS_MINUTE / SS_SECOND));
    else
        snprintf(buf, size, "%02lld:%02lld", (long long)(tod / SS_HOUR),
                 (long long)(tod % SS_HOUR / SS_MINUTE));
    if (day > 0)
        snprintf(buf + strlen(buf), size - strlen(buf), "+%lldd", day);
    return buf;
}

char *ss_vary_step(const struct ss_vary *v, char *buf, size_t size)
{
    char digits[48], span[SS_TIME_TEXT];
    if (v->times)
        snprintf(buf, size, "%s", ss_span_canonical(span, v->stride));
    else
        snprintf(buf, size, "%s%s", ss_vary_scaled(v->stride, v->decimals, digits, sizeof digits),
                 v->unit);
    return buf;
}

/* x units of 10^-decimals as decimal text: "150", "0.25" (no trailing zeros). */
char *ss_vary_scaled(long long x, int decimals, char *buf, size_t size)
{
    long long scale = pow10ll(decimals);
    if (decimals == 0) {
        snprintf(buf, size, "%lld", x);
    } else {
        size_t n;
        snprintf(buf, size, "%lld.%0*lld", x / scale, decimals, x % scale);
        n = strlen(buf);
        while (n > 0 && buf[n - 1] == '0')
            buf[--n] = '\0';
        if (n > 0 && buf[n - 1] == '.')
            buf[--n] = '\0';
    }
    return buf;
}

char *ss_vary_digits(const struct ss_vary *v, long k, char *buf, size_t size)
{
    assert(k >= 0 && k < v->points);
    if (v->times)
        return time_text(v, v->first + k * v->stride, buf, size);
    return ss_vary_scaled(v->first + k * v->stride, v->decimals, buf, size);
}

char *ss_vary_text(const struct ss_vary *v, long k, char *buf, size_t size)
{
    char digits[48];
    snprintf(buf, size, "%s%s", ss_vary_digits(v, k, digits, sizeof digits), v->unit);
    return buf;
}

