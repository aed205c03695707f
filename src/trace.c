/* trace.c: formatting and filtering of trace lines. */
#include "storesim/trace.h"

#include "storesim/escape.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void ss_trace_init(struct ss_trace *t, FILE *f)
{
    t->f = f;
    t->clock = NULL;
    t->from = 0;
    t->to = SS_NEVER;
    t->topics = SS_TOPICS_ALL;
}

bool ss_trace_wants(const struct ss_trace *t, ss_time now, int topic)
{
    return t && (t->topics & (1u << topic)) && now >= t->from &&
           (t->to == SS_NEVER || now <= t->to);
}

const char *ss_trace_topic_name(int topic)
{
    return topic == SS_TOPIC_EVENT ? "event" : ss_kind_name((enum ss_kind)topic);
}

#define TRACE_WIDTH 78

/* `lead`, then the words of `text` (escaped: names from the scenario) wrapped
 * at TRACE_WIDTH columns, each line after the first under the first word. */
static void wrap(FILE *f, const char *lead, const char *text)
{
    char buf[2048], *safe = ss_escape_copy(text, buf, sizeof buf);
    const char *p = safe;
    int hang = (int)strlen(lead), col = hang;
    fputs(lead, f);
    while (*p) {
        size_t n = strcspn(p, " ");
        size_t width = 0, i;
        for (i = 0; i < n; i++)
            width += ((unsigned char)p[i] & 0xC0) != 0x80; /* a UTF-8 character, once */
        if (col > hang && col + 1 + (int)width > TRACE_WIDTH) {
            fprintf(f, "\n%*s", hang, "");
            col = hang;
        } else if (col > hang) {
            fputc(' ', f);
            col++;
        }
        fwrite(p, 1, n, f);
        col += (int)width;
        p += n;
        while (*p == ' ')
            p++;
    }
    fputc('\n', f);
    if (safe != buf)
        free(safe);
}

/* A line fits in 80 columns: past SS_TEXT_WIDTH it goes on under the text,
 * after the time and the topic (24 columns). */
void ss_trace_vsay(struct ss_trace *t, ss_time now, int topic, const char *fmt, va_list ap)
{
    char clock[SS_TIME_TEXT], lead[SS_TIME_TEXT + 16], text[2048];
    snprintf(lead, sizeof lead, "%s  %-8s  ", ss_clock_hms_ms(clock, t->clock, now),
             ss_trace_topic_name(topic));
    vsnprintf(text, sizeof text, fmt, ap);
    wrap(t->f, lead, text);
}

void ss_trace_say(struct ss_trace *t, ss_time now, int topic, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ss_trace_vsay(t, now, topic, fmt, ap);
    va_end(ap);
}

int ss_trace_parse_topics(const char *list, unsigned *mask, char *err, size_t err_size)
{
    const char *p = list;
    *mask = 0;
    while (*p) {
        size_t n = strcspn(p, ",");
        int topic, found = -1;
        for (topic = 0; topic < SS_TOPICS; topic++) {
            const char *name = ss_trace_topic_name(topic);
            if (strlen(name) == n && strncmp(name, p, n) == 0)
                found = topic;
        }
        if (found < 0) {
            snprintf(err, err_size,
                     "--only: unknown kind \"%.*s\" (the kinds are delivery, owa, move, "
                     "flush and event)",
                     (int)(n > 40 ? 40 : n), p);
            return -1;
        }
        *mask |= 1u << found;
        p += n;
        if (*p == ',')
            p++;
    }
    if (*mask == 0) {
        snprintf(err, err_size, "--only: name at least one kind (delivery, owa, move, flush, event)");
        return -1;
    }
    return 0;
}
