/* profile.c: daily loads (see profile.h). */
#include "storesim/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* One rate, the len bytes at text, its text kept as written without blanks. */
static int one_rate(const char *text, size_t len, struct ss_rate *out, char err[SS_ERR_TEXT])
{
    char *part = text[len] == '\0' ? (char *)text : malloc(len + 1);
    size_t i, n = 0;
    int rc = 0;
    if (!part) {
        snprintf(err, SS_ERR_TEXT, "out of memory");
        return -1;
    }
    if (part != text) {
        memcpy(part, text, len);
        part[len] = '\0';
    }
    if (ss_parse_rate(part, out, err) != 0)
        rc = -1;
    for (i = 0; rc == 0 && i < len; i++) {
        if (blank(part[i]))
            continue;
        if (n + 1 == sizeof out->text) {
            snprintf(err, SS_ERR_TEXT, "the rate is too long: write it in at most %d characters",
                     (int)sizeof out->text - 1);
            rc = -1;
            break;
        }
        out->text[n++] = part[i];
    }
    out->text[n] = '\0';
    if (part != text)
        free(part);
    return rc;
}

int ss_parse_profile(const char *text, struct ss_profile *out, char err[SS_ERR_TEXT])
{
    const char *p = text;
    memset(out, 0, sizeof *out);
    while (blank(*p))
        p++;
    if (!strchr(p, ':')) { /* one rate, all day */
        out->n = 1;
        return one_rate(p, strlen(p), &out->rate[0], err);
    }
    out->daily = true;
    for (;;) {
        const char *part = p, *comma = strchr(p, ','), *end = comma ? comma : p + strlen(p);
        const char *space;
        char when[32];
        size_t len;
        while (blank(*part))
            part++;
        space = part;
        while (space < end && !blank(*space))
            space++;
        len = (size_t)(space - part);
        if (len == 0 || space == end || len >= sizeof when) {
            snprintf(err, SS_ERR_TEXT, "'%.60s' is not a daily profile: write TIME RATE, "
                     "TIME RATE, ..., such as 07:00 25/s, 18:00 8/s, 22:00 2/s", text);
            return -1;
        }
        if (out->n == SS_PROFILE_MAX) {
            snprintf(err, SS_ERR_TEXT, "a profile holds at most %d rates", SS_PROFILE_MAX);
            return -1;
        }
        memcpy(when, part, len);
        when[len] = '\0';
        if (ss_parse_clock(when, &out->at[out->n], err) != 0)
            return -1;
        if (out->n > 0 && out->at[out->n] <= out->at[out->n - 1]) {
            snprintf(err, SS_ERR_TEXT, "the times of a profile must increase through the day: "
                     "%s comes after a later or equal time", when);
            return -1;
        }
        if (memchr(space, ':', (size_t)(end - space))) {
            snprintf(err, SS_ERR_TEXT, "'%.60s' is not a daily profile: separate its rates "
                     "with commas, such as 07:00 25/s, 18:00 8/s, 22:00 2/s", text);
            return -1;
        }
        if (one_rate(space, (size_t)(end - space), &out->rate[out->n], err) != 0)
            return -1;
        out->n++;
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

/* "07:00" or "07:00:30": a profile's time as it reads best. */
static char *when_text(char buf[SS_TIME_TEXT], ss_time tod)
{
    if (tod % SS_MINUTE == 0)
        snprintf(buf, SS_TIME_TEXT, "%02lld:%02lld", (long long)(tod / SS_HOUR),
                 (long long)(tod % SS_HOUR / SS_MINUTE));
    else if (tod % SS_SECOND == 0)
        ss_time_hms(buf, tod);
    else {
        char whole[SS_TIME_TEXT];
        snprintf(buf, SS_TIME_TEXT, "%s.%06lld", ss_time_hms(whole, tod),
                 (long long)(tod % SS_SECOND));
    }
    return buf;
}

static const char *rate_text(const struct ss_rate *r, char *buf, size_t size)
{
    return r->text[0] ? r->text : ss_rate_text(buf, size, r->per_second);
}

char *ss_profile_text(char *buf, size_t size, const struct ss_profile *p)
{
    size_t i, used = 0;
    char when[SS_TIME_TEXT], rate[64];
    buf[0] = '\0';
    if (!p->daily)
        return strncat(buf, rate_text(&p->rate[0], rate, sizeof rate), size - 1);
    for (i = 0; i < p->n && used + 1 < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s %s", i ? ", " : "",
                                 when_text(when, p->at[i]),
                                 rate_text(&p->rate[i], rate, sizeof rate));
    return buf;
}

char *ss_profile_words(char *buf, size_t size, const struct ss_profile *p)
{
    size_t i, used = 0;
    char when[SS_TIME_TEXT], rate[64];
    buf[0] = '\0';
    if (!p->daily)
        return strncat(buf, rate_text(&p->rate[0], rate, sizeof rate), size - 1);
    for (i = 0; i < p->n && used + 1 < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s from %s",
                                 i == 0 ? "" : i + 1 == p->n ? " and " : ", ",
                                 rate_text(&p->rate[i], rate, sizeof rate),
                                 when_text(when, p->at[i]));
    return buf;
}

double ss_profile_peak(const struct ss_profile *p)
{
    double peak = 0;
    size_t i;
    for (i = 0; i < p->n; i++)
        if (p->rate[i].per_second > peak)
            peak = p->rate[i].per_second;
    return peak;
}

size_t ss_profile_segment(const struct ss_profile *p, const struct ss_clock *c, ss_time t,
                          ss_time *until)
{
    ss_time tod = c && c->set ? (c->origin + t) % SS_DAY : t % SS_DAY;
    size_t i;
    if (p->n == 1) {
        *until = SS_TIME_MAX;
        return 0;
    }
    /* The last rate that starts at or before tod; before the first, the day's last. */
    for (i = p->n; i-- > 0;)
        if (p->at[i] <= tod)
            break;
    if (i == (size_t)-1) {
        *until = t + (p->at[0] - tod);
        return p->n - 1;
    }
    *until = t + ((i + 1 < p->n ? p->at[i + 1] : p->at[0] + SS_DAY) - tod);
    return i;
}

double ss_profile_count(const struct ss_profile *p, const struct ss_clock *c, ss_time from,
                        ss_time to)
{
    double total = 0, day = 0;
    ss_time t = from, until;
    size_t i;
    if (to <= from)
        return 0;
    if (p->n == 1)
        return p->rate[0].per_second * (double)(to - from) / (double)SS_SECOND;
    /* Whole days at once: the same count each. */
    for (i = 0; i < p->n; i++) {
        ss_time len = (i + 1 < p->n ? p->at[i + 1] : p->at[0] + SS_DAY) - p->at[i];
        day += p->rate[i].per_second * (double)len / (double)SS_SECOND;
    }
    total = day * (double)((to - from) / SS_DAY);
    t = from + (to - from) / SS_DAY * SS_DAY;
    while (t < to) {
        i = ss_profile_segment(p, c, t, &until);
        if (until > to)
            until = to;
        total += p->rate[i].per_second * (double)(until - t) / (double)SS_SECOND;
        t = until;
    }
    return total;
}
