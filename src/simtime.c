/* simtime.c: turning microseconds into text for people and for scenario files. */
#include "storesim/simtime.h"

#include <stdio.h>
#include <string.h>

char *ss_time_hms(char buf[SS_TIME_TEXT], ss_time t)
{
    long long s = (long long)(t / SS_SECOND);
    snprintf(buf, SS_TIME_TEXT, "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    return buf;
}

char *ss_time_hms_ms(char buf[SS_TIME_TEXT], ss_time t)
{
    long long s = (long long)(t / SS_SECOND);
    long long ms = (long long)(t % SS_SECOND / SS_MS);
    snprintf(buf, SS_TIME_TEXT, "%02lld:%02lld:%02lld.%03lld", s / 3600, s / 60 % 60, s % 60, ms);
    return buf;
}

/*
 * `count` units of 1/10^digits each, as a decimal with the trailing zeros
 * dropped: (125, 2, "s") is "1.25s". Integers only, so a span just under a
 * unit boundary is truncated ("59.99s"), never rounded up into a number that
 * belongs to the next unit ("60.00s").
 */
static void trimmed(char *buf, long long count, int digits, const char *unit)
{
    long long scale = digits == 2 ? 100 : 10;
    long long whole = count / scale, frac = count % scale;
    if (frac == 0)
        snprintf(buf, SS_TIME_TEXT, "%lld%s", whole, unit);
    else if (digits == 2 && frac % 10 != 0)
        snprintf(buf, SS_TIME_TEXT, "%lld.%02lld%s", whole, frac, unit);
    else
        snprintf(buf, SS_TIME_TEXT, "%lld.%lld%s", whole, digits == 2 ? frac / 10 : frac, unit);
}

char *ss_span_text(char buf[SS_TIME_TEXT], ss_time span)
{
    long long s;
    if (span < 0)
        span = 0;
    if (span == 0) {
        snprintf(buf, SS_TIME_TEXT, "0s");
    } else if (span < SS_MS) {
        snprintf(buf, SS_TIME_TEXT, "%lldus", (long long)span);
    } else if (span < SS_SECOND) {
        trimmed(buf, (long long)(span / 100), 1, "ms");
    } else if (span < SS_MINUTE) {
        trimmed(buf, (long long)(span / 10000), 2, "s");
    } else if (span < SS_HOUR) {
        s = (long long)(span / SS_SECOND);
        if (s % 60 == 0)
            snprintf(buf, SS_TIME_TEXT, "%lldm", s / 60);
        else
            snprintf(buf, SS_TIME_TEXT, "%lldm%02llds", s / 60, s % 60);
    } else if (span < SS_DAY) {
        s = (long long)(span / SS_SECOND);
        if (s % 60 == 0)
            snprintf(buf, SS_TIME_TEXT, "%lldh%02lldm", s / 3600, s / 60 % 60);
        else
            snprintf(buf, SS_TIME_TEXT, "%lldh%02lldm%02llds", s / 3600, s / 60 % 60, s % 60);
    } else {
        /* "1d", "1d2h", "1d2h05m": trailing zero parts are left out. */
        s = (long long)(span / SS_SECOND);
        if (s / 60 % 60 != 0)
            snprintf(buf, SS_TIME_TEXT, "%lldd%lldh%02lldm", s / 86400, s / 3600 % 24,
                     s / 60 % 60);
        else if (s / 3600 % 24 != 0)
            snprintf(buf, SS_TIME_TEXT, "%lldd%lldh", s / 86400, s / 3600 % 24);
        else
            snprintf(buf, SS_TIME_TEXT, "%lldd", s / 86400);
    }
    return buf;
}

char *ss_span_canonical(char buf[SS_TIME_TEXT], ss_time span)
{
    static const struct {
        ss_time size;
        const char *name;
    } units[] = {{SS_DAY, "d"}, {SS_HOUR, "h"}, {SS_MINUTE, "m"},
                 {SS_SECOND, "s"}, {SS_MS, "ms"}, {SS_US, "us"}};
    size_t used = 0, i;
    if (span <= 0) {
        snprintf(buf, SS_TIME_TEXT, "0s");
        return buf;
    }
    for (i = 0; i < sizeof units / sizeof units[0]; i++) {
        ss_time count = span / units[i].size;
        if (count > 0) {
            used += (size_t)snprintf(buf + used, SS_TIME_TEXT - used, "%lld%s",
                                     (long long)count, units[i].name);
            span -= count * units[i].size;
        }
    }
    return buf;
}

long long ss_clock_day(const struct ss_clock *c, ss_time t)
{
    if (!c || !c->set)
        return 0;
    return (long long)((c->origin + t) / SS_DAY);
}

ss_time ss_clock_time_of_day(const struct ss_clock *c, ss_time t)
{
    if (!c || !c->set)
        return t;
    return (c->origin + t) % SS_DAY;
}

/* "+Nd" after a time past the run's first day, else nothing. */
static void add_day(char buf[SS_TIME_TEXT], const struct ss_clock *c, ss_time t)
{
    long long day = ss_clock_day(c, t);
    size_t n = strlen(buf);
    if (day > 0)
        snprintf(buf + n, SS_TIME_TEXT - n, "+%lldd", day);
}

char *ss_clock_hms(char buf[SS_TIME_TEXT], const struct ss_clock *c, ss_time t)
{
    ss_time_hms(buf, ss_clock_time_of_day(c, t));
    add_day(buf, c, t);
    return buf;
}

char *ss_clock_hms_ms(char buf[SS_TIME_TEXT], const struct ss_clock *c, ss_time t)
{
    ss_time_hms_ms(buf, ss_clock_time_of_day(c, t));
    add_day(buf, c, t);
    return buf;
}

char *ss_clock_hm(char buf[SS_TIME_TEXT], const struct ss_clock *c, ss_time t)
{
    ss_time d = ss_clock_time_of_day(c, t);
    snprintf(buf, SS_TIME_TEXT, "%02lld:%02lld", (long long)(d / SS_HOUR),
             (long long)(d % SS_HOUR / SS_MINUTE));
    add_day(buf, c, t);
    return buf;
}
