/* simtime.c: turning microseconds into text for people and for scenario files. */
#include "storesim/simtime.h"

#include <stdio.h>

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

/* Print a decimal with up to `digits` decimals, dropping trailing zeros. */
static void trimmed(char *buf, double v, int digits, const char *unit)
{
    int n = snprintf(buf, SS_TIME_TEXT, "%.*f", digits, v);
    if (digits > 0) {
        while (n > 0 && buf[n - 1] == '0')
            buf[--n] = '\0';
        if (n > 0 && buf[n - 1] == '.')
            buf[--n] = '\0';
    }
    snprintf(buf + n, (size_t)(SS_TIME_TEXT - n), "%s", unit);
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
        trimmed(buf, (double)span / (double)SS_MS, 1, "ms");
    } else if (span < SS_MINUTE) {
        trimmed(buf, (double)span / (double)SS_SECOND, 2, "s");
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
        s = (long long)(span / SS_SECOND);
        snprintf(buf, SS_TIME_TEXT, "%lldd%lldh%02lldm", s / 86400, s / 3600 % 24, s / 60 % 60);
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
