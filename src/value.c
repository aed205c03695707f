/*
 * value.c: parsers for durations, rates, distributions, booleans and numbers.
 *
 * Hand-written rather than strtod/strtoll: those accept forms a scenario should
 * not ("1e3", "0x10", " +5", "inf"), depend on the locale, and say nothing
 * useful when they fail.
 */
#include "storesim/value.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A message quotes at most SHOWN_MAX bytes of the value, then "...", so that
 * a 4000-digit number still gets its explanation ("is too large: ...") into
 * the SS_ERR_TEXT bytes of the message. Quotes are "%.*s%s" with SHOW(text)
 * or SHOW_N(text, length).
 */
#define SHOWN_MAX 60

static int shown_len(size_t n)
{
    return (int)(n > SHOWN_MAX ? SHOWN_MAX - 3 : n);
}

static const char *more(size_t n)
{
    return n > SHOWN_MAX ? "..." : "";
}

#define SHOW_N(text, n) shown_len(n), (text), more(n)
#define SHOW(text) SHOW_N((text), strlen(text))

static int fail(char err[SS_ERR_TEXT], const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, SS_ERR_TEXT, fmt, ap);
    va_end(ap);
    return -1;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static const char *skip_space(const char *p)
{
    while (is_space(*p))
        p++;
    return p;
}

/*
 * A decimal number: digits, optionally '.' and more digits. Stores the whole
 * part (saturating at UINT64_MAX, flagged in *huge) and the fraction.
 */
static const char *decimal(const char *p, uint64_t *whole, double *frac, bool *huge)
{
    double scale = 0.1;
    *whole = 0;
    *frac = 0.0;
    *huge = false;
    if (!is_digit(*p))
        return NULL;
    while (is_digit(*p)) {
        unsigned d = (unsigned)(*p++ - '0');
        if (*whole > (UINT64_MAX - d) / 10)
            *huge = true;
        else
            *whole = *whole * 10 + d;
    }
    if (*p == '.') {
        p++;
        if (!is_digit(*p))
            return NULL;
        while (is_digit(*p)) {
            *frac += scale * (double)(*p++ - '0');
            scale /= 10.0;
        }
    }
    return p;
}

static const struct {
    const char *name;
    ss_time size;
} duration_units[] = {
    {"us", SS_US}, {"ms", SS_MS}, {"s", SS_SECOND}, {"m", SS_MINUTE}, {"h", SS_HOUR}, {"d", SS_DAY},
};

/* Parse one duration starting at p; on success *end is the first unused char. */

/* A number without its unit: "150", or "8 hours" written out. Suggest the
 * unit storesim reads. */
static int no_unit(const char *text, const char *num, const char *end, char err[SS_ERR_TEXT])
{
    static const struct {
        const char *word, *unit;
    } words[] = {{"milliseconds", "ms"}, {"millisecond", "ms"}, {"seconds", "s"},
                 {"second", "s"}, {"secs", "s"}, {"sec", "s"}, {"minutes", "m"},
                 {"minute", "m"}, {"mins", "m"}, {"min", "m"}, {"hours", "h"},
                 {"hour", "h"}, {"days", "d"}, {"day", "d"}};
    const char *word = skip_space(end);
    size_t i, n = (size_t)(end - num);
    for (i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t len = strlen(words[i].word);
        if (strncmp(word, words[i].word, len) == 0 && !isalpha((unsigned char)word[len]))
            return fail(err, "'%.*s%s': write the unit as %s, right after the number: %.*s%s%s",
                        SHOW(text), words[i].unit, SHOW_N(num, n), words[i].unit);
    }
    if (*word == '\0' && num == skip_space(text))
        return fail(err, "'%.*s%s' has no unit: write, for example, %.*s%ss or %.*s%sm",
                    SHOW(text), SHOW_N(num, n), SHOW_N(num, n));
    return fail(err, "'%.*s%s' in '%.*s%s' has no unit: write, for example, %.*s%ss or %.*s%sm",
                SHOW_N(num, n), SHOW(text), SHOW_N(num, n), SHOW_N(num, n));
}

static int duration_at(const char *text, const char *p, const char **end, ss_time *out,
                       char err[SS_ERR_TEXT])
{
    ss_time total = 0;
    int parts = 0;
    p = skip_space(p);
    if (*p == '-')
        return fail(err, "'%.*s%s' is negative: a duration cannot be", SHOW(text));
    for (;;) {
        uint64_t whole;
        double frac;
        bool huge;
        const char *num = p, *unit;
        size_t unit_len, i;
        ss_time size = 0, part;
        p = decimal(p, &whole, &frac, &huge);
        if (!p) {
            /* A malformed number after a whole part ("1s 2."): stop before
             * it, so the caller reports it as unexpected text. */
            p = num;
            if (parts > 0)
                break;
            return fail(err, "'%.*s%s' is not a duration: write a number and a unit, "
                             "such as 250ms, 30s, 15m, 2h, 1d or 1h30m", SHOW(text));
        }
        unit = p;
        while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
            p++;
        unit_len = (size_t)(p - unit);
        if (unit_len == 0)
            return no_unit(text, num, p, err);
        for (i = 0; i < sizeof duration_units / sizeof duration_units[0]; i++)
            if (strlen(duration_units[i].name) == unit_len &&
                memcmp(duration_units[i].name, unit, unit_len) == 0)
                size = duration_units[i].size;
        if (size == 0)
            return fail(err, "unknown unit '%.*s%s' in '%.*s%s': use us, ms, s, m, h or d",
                        SHOW_N(unit, unit_len), SHOW(text));
        if (huge || whole > (uint64_t)(SS_DURATION_MAX / size))
            return fail(err, "'%.*s%s' is too long: a duration may be at most 36500d", SHOW(text));
        part = (ss_time)whole * size + (ss_time)(frac * (double)size + 0.5);
        if (part > SS_DURATION_MAX - total)
            return fail(err, "'%.*s%s' is too long: a duration may be at most 36500d", SHOW(text));
        total += part;
        parts++;
        p = skip_space(p);
        if (!is_digit(*p))
            break;
    }
    *out = total;
    *end = p;
    return 0;
}

int ss_parse_duration(const char *text, ss_time *out, char err[SS_ERR_TEXT])
{
    const char *end;
    ss_time value = 0;
    if (*skip_space(text) == '\0')
        return fail(err, "missing value: expected a duration such as 30s");
    if (duration_at(text, text, &end, &value, err) != 0)
        return -1;
    if (*end != '\0')
        return fail(err, "unexpected '%.*s%s' after the duration in '%.*s%s'", SHOW(end),
                    SHOW(text));
    *out = value; /* only on success, like every parser here */
    return 0;
}

/* ---- times of day and points in time ----------------------------------- */

/* Two digits (or one for the hours) at p: their value, or -1. */
static long two_digits(const char **p, bool one_allowed, long long max_hours, long long *out)
{
    long long v = 0;
    int n = 0;
    while (is_digit(**p) && n < (max_hours > 99 ? 12 : 2)) {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    if (n == 0 || (n == 1 && !one_allowed))
        return -1;
    *out = v;
    return 0;
}

/* "H:MM", "HH:MM", "HH:MM:SS" or "HH:MM:SS.ffffff" at p: *tod in
 * microseconds, *end after it. Hours up to max_hours. Returns 0 or -1 with a
 * message. */
static int clock_at(const char *text, const char *p, long long max_hours, const char **end,
                    ss_time *tod, char err[SS_ERR_TEXT])
{
    long long h, m, s = 0, frac = 0;
    int digits = 0;
    if (two_digits(&p, true, max_hours, &h) != 0 || *p != ':')
        return fail(err, "'%.*s%s' is not a time of day: write HH:MM or HH:MM:SS, such as 22:00",
                    SHOW(text));
    p++;
    if (two_digits(&p, false, 0, &m) != 0 || m > 59)
        return fail(err, "'%.*s%s': the minutes must be two digits, 00 to 59", SHOW(text));
    if (*p == ':') {
        p++;
        if (two_digits(&p, false, 0, &s) != 0 || s > 59)
            return fail(err, "'%.*s%s': the seconds must be two digits, 00 to 59", SHOW(text));
        if (*p == '.') {
            p++;
            while (is_digit(*p) && digits < 6) {
                frac = frac * 10 + (*p++ - '0');
                digits++;
            }
            if (digits == 0 || is_digit(*p))
                return fail(err, "'%.*s%s': write 1 to 6 digits after the seconds' point",
                            SHOW(text));
            while (digits++ < 6)
                frac *= 10;
        }
    }
    if (h > max_hours)
        return fail(err, "'%.*s%s' is not a time of day: the hours go from 00 to 23",
                    SHOW(text));
    *tod = (ss_time)h * SS_HOUR + (ss_time)m * SS_MINUTE + (ss_time)s * SS_SECOND + (ss_time)frac;
    *end = p;
    return 0;
}

int ss_parse_clock(const char *text, ss_time *tod, char err[SS_ERR_TEXT])
{
    const char *p = skip_space(text), *end;
    ss_time t;
    if (*p == '\0')
        return fail(err, "missing value: expected a time of day such as 21:00");
    if (clock_at(text, p, 23, &end, &t, err) != 0)
        return -1;
    if (*skip_space(end) != '\0')
        return fail(err, "unexpected '%.*s%s' after the time of day in '%.*s%s'",
                    SHOW(skip_space(end)), SHOW(text));
    *tod = t;
    return 0;
}

int ss_parse_instant(const char *text, const struct ss_clock *clock, ss_time *out,
                     char err[SS_ERR_TEXT])
{
    const char *p = skip_space(text), *end;
    long long days = 0;
    bool explicit_day = false;
    ss_time tod, t;
    if (!strchr(p, ':')) {
        size_t n;
        if (ss_parse_duration(text, out, err) == 0)
            return 0;
        /* "22" alone: a duration without its unit, or an hour without its
         * minutes. */
        n = strlen(err);
        if (strstr(err, "has no unit") && n + 40 < SS_ERR_TEXT) {
            char *rest;
            long hour = strtol(p, &rest, 10);
            if (rest - p > 2 || hour > 23 || *skip_space(rest) != '\0')
                hour = 22;
            snprintf(err + n, SS_ERR_TEXT - n, ", or a time of day such as %02ld:00", hour);
        }
        return -1;
    }
    /* Without a clock hours count from the start and may pass 23 ("25:10:00",
     * as the report writes them); with one, a time of day. */
    if (clock_at(text, p, clock && clock->set ? 23 : 999999999, &end, &tod, err) != 0)
        return -1;
    if (*end == '+') {
        const char *d = end + 1;
        if (two_digits(&d, true, 999999, &days) != 0 || *d != 'd')
            return fail(err, "'%.*s%s': after the time, write +1d for the next day, +2d for "
                             "the one after", SHOW(text));
        explicit_day = true;
        end = d + 1;
    }
    if (*skip_space(end) != '\0')
        return fail(err, "unexpected '%.*s%s' after the time in '%.*s%s'", SHOW(skip_space(end)),
                    SHOW(text));
    if (days > SS_DURATION_MAX / SS_DAY)
        return fail(err, "'%.*s%s' is too far: at most 100 years", SHOW(text));
    if (!clock || !clock->set) {
        t = days * SS_DAY + tod;
    } else {
        char start[SS_TIME_TEXT], same[SS_TIME_TEXT];
        t = days * SS_DAY + tod - clock->origin;
        if (t < 0 && explicit_day)
            return fail(err, "'%.*s%s' is before the run starts (at %s on its first day): "
                             "for the next day write %s+1d",
                        SHOW(text), ss_time_hms(start, clock->origin), ss_time_hms(same, tod));
        if (t < 0)
            t += SS_DAY; /* the next time the clock shows it */
    }
    if (t > SS_DURATION_MAX)
        return fail(err, "'%.*s%s' is too far: at most 100 years", SHOW(text));
    *out = t;
    return 0;
}

/* The digits of the decimal number at p, the point left out and the zeros
 * that do not count dropped: "0.250" is 25 with 2 decimals. Returns -1 when
 * it has more than SS_RATE_DIGITS significant digits. */
static int exact_decimal(const char *p, uint64_t *count, int *decimals)
{
    const char *end = p, *point = NULL, *first = NULL, *last = NULL;
    for (; is_digit(*end) || (*end == '.' && !point); end++) {
        if (*end == '.')
            point = end;
        else if (*end != '0' && !first)
            first = end;
    }
    /* The last digit that counts: trailing zeros after the point do not. */
    for (last = end; last > p && (last[-1] == '.' || (point && last > point && last[-1] == '0'));)
        last--;
    *count = 0;
    *decimals = 0;
    if (!first || first >= last)
        return 0; /* zero */
    for (; first < last; first++) {
        if (*first == '.')
            continue;
        if (*count >= (uint64_t)1e18)
            return -1;
        *count = *count * 10 + (uint64_t)(*first - '0');
    }
    if (point && point < last)
        *decimals = (int)(last - point - 1);
    return 0;
}

int ss_parse_rate(const char *text, struct ss_rate *out, char err[SS_ERR_TEXT])
{
    static const struct {
        char name;
        double seconds;
        ss_time unit;
    } units[] = {{'s', 1.0, SS_SECOND}, {'m', 60.0, SS_MINUTE}, {'h', 3600.0, SS_HOUR},
                 {'d', 86400.0, SS_DAY}};
    const char *p = skip_space(text), *number;
    uint64_t whole;
    double frac, value;
    bool huge;
    size_t i;
    memset(out, 0, sizeof *out);
    if (*p == '\0')
        return fail(err, "missing value: expected a rate such as 20/s");
    if (*p == '-')
        return fail(err, "'%.*s%s' is negative: a rate cannot be", SHOW(text));
    number = p;
    p = decimal(p, &whole, &frac, &huge);
    if (!p)
        return fail(err, "'%.*s%s' is not a rate: write a count per unit, such as 20/s, "
                         "600/m or 5000/h", SHOW(text));
    value = (double)whole + frac;
    p = skip_space(p);
    if (*p != '/')
        return fail(err, "'%.*s%s' is not a rate: write a count per unit, such as 20/s, "
                         "600/m or 5000/h", SHOW(text));
    p = skip_space(p + 1);
    for (i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (p[0] == units[i].name && *skip_space(p + 1) == '\0') {
            value /= units[i].seconds;
            if (huge || value > SS_RATE_MAX)
                return fail(err, "'%.*s%s' is too high: a rate may be at most 1000000000/s", SHOW(text));
            if (value > 0 && value < SS_RATE_MIN * (1 - 1e-9))
                return fail(err, "'%.*s%s' is too low: a rate above 0 must be at least "
                                 "0.000000001/s, about one in 32 years (write 0/s for none)",
                            SHOW(text));
            if (exact_decimal(number, &out->count, &out->decimals) != 0)
                return fail(err, "'%.*s%s' has more than %d significant digits", SHOW(text),
                            SS_RATE_DIGITS);
            out->per_second = value;
            out->unit = units[i].unit;
            return 0;
        }
    }
    return fail(err, "unknown unit in the rate '%.*s%s': use /s, /m, /h or /d", SHOW(text));
}

/* Parse "NAME(" arguments ")" where each argument is a duration. */
static int dist_args(const char *text, const char *p, ss_time *args, int want,
                     char err[SS_ERR_TEXT])
{
    int i;
    for (i = 0; i < want; i++) {
        if (duration_at(text, p, &p, &args[i], err) != 0)
            return -1;
        p = skip_space(p);
        if (*p != (i + 1 < want ? ',' : ')'))
            return fail(err, "'%.*s%s': expected %s after argument %d", SHOW(text),
                        i + 1 < want ? "','" : "')'", i + 1);
        p++;
    }
    if (*skip_space(p) != '\0')
        return fail(err, "unexpected '%.*s%s' after the distribution in '%.*s%s'",
                    SHOW(skip_space(p)), SHOW(text));
    return 0;
}

int ss_parse_dist(const char *text, struct ss_dist *out, char err[SS_ERR_TEXT])
{
    static const char usage[] = "use a duration, exp(MEAN), uniform(MIN, MAX) or lognormal(MEAN, SD)";
    const char *p = skip_space(text), *name = p;
    ss_time args[2];
    size_t len;
    if (*p == '\0')
        return fail(err, "missing value: expected a distribution: %s", usage);
    /* Either case, so "Exp(1s)" is named as an unknown distribution rather
     * than called a malformed duration. */
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
        p++;
    len = (size_t)(p - name);
    if (len == 0 || is_digit(*name)) {
        if (ss_parse_duration(text, &args[0], err) != 0)
            return -1;
        *out = ss_dist_const(args[0]);
        return 0;
    }
    p = skip_space(p);
    if (*p != '(')
        return fail(err, "'%.*s%s' is not a distribution: %s", SHOW(text), usage);
    p++;
    if (len == 3 && memcmp(name, "exp", 3) == 0) {
        if (dist_args(text, p, args, 1, err) != 0)
            return -1;
        if (args[0] == 0)
            return fail(err, "'%.*s%s': the mean must be above 0 (for no time at all write 0s)",
                        SHOW(text));
        *out = ss_dist_exp(args[0]);
    } else if (len == 7 && memcmp(name, "uniform", 7) == 0) {
        if (dist_args(text, p, args, 2, err) != 0)
            return -1;
        if (args[0] > args[1])
            return fail(err, "'%.*s%s': the minimum is above the maximum", SHOW(text));
        *out = ss_dist_uniform(args[0], args[1]);
    } else if (len == 9 && memcmp(name, "lognormal", 9) == 0) {
        if (dist_args(text, p, args, 2, err) != 0)
            return -1;
        if (args[0] == 0)
            return fail(err, "'%.*s%s': the mean must be above 0", SHOW(text));
        *out = ss_dist_lognormal(args[0], args[1]);
    } else {
        return fail(err, "unknown distribution '%.*s%s': %s", SHOW_N(name, len), usage);
    }
    return 0;
}

int ss_parse_bool(const char *text, bool *out, char err[SS_ERR_TEXT])
{
    if (strcmp(text, "true") == 0)
        *out = true;
    else if (strcmp(text, "false") == 0)
        *out = false;
    else
        return fail(err, "'%.*s%s' is not a boolean: write true or false", SHOW(text));
    return 0;
}

int ss_parse_u64(const char *text, uint64_t *out, char err[SS_ERR_TEXT])
{
    const char *p = text;
    uint64_t v = 0;
    if (*p == '-')
        return fail(err, "'%.*s%s' is negative: expected a whole number from 0", SHOW(text));
    if (!is_digit(*p))
        return fail(err, "'%.*s%s' is not a whole number", SHOW(text));
    while (is_digit(*p)) {
        unsigned d = (unsigned)(*p++ - '0');
        if (v > (UINT64_MAX - d) / 10)
            return fail(err, "'%.*s%s' is too large: at most 18446744073709551615", SHOW(text));
        v = v * 10 + d;
    }
    if (*p != '\0')
        return fail(err, "'%.*s%s' is not a whole number", SHOW(text));
    *out = v;
    return 0;
}

int ss_parse_int(const char *text, long long min, long long max, long long *out,
                 char err[SS_ERR_TEXT])
{
    uint64_t v;
    char ignored[SS_ERR_TEXT];
    if (*text == '-' || !is_digit(*text) || ss_parse_u64(text, &v, ignored) != 0) {
        if (*text == '-' && is_digit(text[1]))
            return fail(err, "'%.*s%s' is negative: expected a whole number from %lld to %lld",
                        SHOW(text), min, max);
        if (is_digit(*text) && strspn(text, "0123456789") == strlen(text))
            return fail(err, "'%.*s%s' is too large: at most %lld", SHOW(text), max);
        return fail(err, "'%.*s%s' is not a whole number (expected %lld to %lld)", SHOW(text),
                    min, max);
    }
    if (v > (uint64_t)max)
        return fail(err, "'%.*s%s' is too large: at most %lld", SHOW(text), max);
    if ((long long)v < min)
        return fail(err, "'%.*s%s' is too small: at least %lld", SHOW(text), min);
    *out = (long long)v;
    return 0;
}

char *ss_rate_text(char *buf, size_t size, double per_second)
{
    /* 15 significant digits in plain decimal notation: "%g" would write a
     * slow rate such as 1/d as "1.15740740740741e-05/s", which no scenario
     * file may say. */
    char num[96];
    int decimals = 0, n;
    if (per_second > 0.0 && per_second < 1e15) {
        decimals = 14 - (int)floor(log10(per_second));
        if (decimals < 0)
            decimals = 0;
        if (decimals > 60)
            decimals = 60;
    }
    n = snprintf(num, sizeof num, "%.*f", decimals, per_second);
    if (decimals > 0 && n > 0 && (size_t)n < sizeof num) {
        while (n > 0 && num[n - 1] == '0')
            num[--n] = '\0';
        if (n > 0 && num[n - 1] == '.')
            num[--n] = '\0';
    }
    snprintf(buf, size, "%s/s", num);
    return buf;
}
