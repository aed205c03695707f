/*
 * trace_events.c: the Trace Event Format (see trace_events.h).
 *
 * Written as it goes, one event a line: a slice when its task leaves its
 * thread (the viewers need its duration), a counter when the threads busy
 * change, the instants once the run is over. Only the task each thread runs
 * now is kept, so memory follows the pool, not the run.
 */
#include "storesim/trace_events.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/escape.h"
#include "storesim/report.h"
#include "storesim/trace.h"

/* Bytes a slice takes, about: its fields and a title. */
#define SLICE_BYTES 170.0

/* A JSON string: the text made safe (escape.h), then quotes and
 * backslashes escaped. */
static void put_string(FILE *f, const char *text)
{
    char buf[512], *safe = ss_escape_copy(text, buf, sizeof buf);
    const char *p;
    fputc('"', f);
    for (p = safe; *p; p++) {
        if (*p == '"' || *p == '\\')
            fputc('\\', f);
        fputc(*p, f);
    }
    fputc('"', f);
    if (safe != buf)
        free(safe);
}

/* The start of an event: the comma before it when one came before. */
static void begin(struct ss_trace_events *te)
{
    fputs(te->first ? "\n" : ",\n", te->f);
    te->first = false;
}

void ss_trace_events_open(struct ss_trace_events *te, FILE *f)
{
    memset(te, 0, sizeof *te);
    te->f = f;
    te->first = true;
    fputs("{\"displayTimeUnit\": \"ms\",\n\"otherData\": {\"generator\": \"storesim\", "
          "\"time\": \"microseconds of simulated time from the start of the run\"},\n"
          "\"traceEvents\": [",
          f);
}

static void meta(struct ss_trace_events *te, const char *what, long long tid, const char *arg,
                 const char *value, long long number)
{
    begin(te);
    fprintf(te->f, "{\"name\": \"%s\", \"ph\": \"M\", \"ts\": 0, \"pid\": %d, \"tid\": %lld, "
                   "\"args\": {\"%s\": ",
            what, te->pid, tid, arg);
    if (value)
        put_string(te->f, value);
    else
        fprintf(te->f, "%lld", number);
    fputs("}}", te->f);
}

void ss_trace_events_run(struct ss_trace_events *te, int pid, const char *name,
                         ss_time duration, ss_time from, ss_time to, unsigned topics)
{
    ss_time end = to == SS_NEVER || to > duration ? duration : to;
    free(te->open);
    free(te->named);
    te->open = NULL;
    te->named = NULL;
    te->n_open = 0;
    te->pid = pid;
    te->duration = duration;
    te->from = from;
    te->to = to;
    te->topics = topics;
    memset(te->busy, 0, sizeof te->busy);
    te->backlog = 0;
    te->step = end > from ? (end - from) / 20000 : 0;
    if (te->step < 1)
        te->step = 1;
    te->counted_at = -1;
    te->pending = false;
    meta(te, "process_name", 0, "name", name, 0);
    meta(te, "process_sort_index", 0, "sort_index", NULL, pid);
    meta(te, "thread_name", 0, "name", "the store: counters and symptoms", 0);
    meta(te, "thread_sort_index", 0, "sort_index", NULL, 0);
}

static bool in_window(const struct ss_trace_events *te, ss_time t)
{
    return t >= te->from && (te->to == SS_NEVER || t <= te->to);
}

static void write_counters(struct ss_trace_events *te, ss_time t)
{
    int k;
    begin(te);
    fprintf(te->f, "{\"name\": \"threads busy\", \"ph\": \"C\", \"ts\": %lld, \"pid\": %d, "
                   "\"tid\": 0, \"args\": {",
            (long long)t, te->pid);
    for (k = 0; k < SS_KINDS; k++)
        fprintf(te->f, "%s\"%s\": %lld", k ? ", " : "", ss_kind_name((enum ss_kind)k),
                te->busy[k]);
    fputs("}}", te->f);
    begin(te);
    fprintf(te->f, "{\"name\": \"delivery backlog\", \"ph\": \"C\", \"ts\": %lld, \"pid\": %d, "
                   "\"tid\": 0, \"args\": {\"messages\": %lld}}",
            (long long)t, te->pid, te->backlog);
    te->counted_at = t;
    te->pending = false;
}

/* Before a change at t: the state the last instant left, written once a
 * step has passed since the last counter (so a task's end and the start of
 * the next one at the same instant make no dip). */
static void counters_before(struct ss_trace_events *te, ss_time t)
{
    if (te->pending && t > te->pending_at &&
        (te->counted_at < 0 || te->pending_at - te->counted_at >= te->step))
        write_counters(te, te->pending_at);
}

/* After a change at t. */
static void counters_after(struct ss_trace_events *te, ss_time t)
{
    if (!in_window(te, t))
        return;
    te->pending = true;
    te->pending_at = t;
}

static struct ss_te_open *open_of(struct ss_trace_events *te, long long t)
{
    if (t >= te->n_open) {
        long long n = te->n_open ? te->n_open : 16, i;
        struct ss_te_open *grown;
        long long *named;
        while (n <= t)
            n *= 2;
        grown = realloc(te->open, (size_t)n * sizeof *grown);
        if (grown)
            te->open = grown;
        named = realloc(te->named, (size_t)n * sizeof *named);
        if (named)
            te->named = named;
        if (!grown || !named) {
            te->failed = true;
            return NULL;
        }
        for (i = te->n_open; i < n; i++) {
            te->open[i].kind = SS_KINDS;
            te->named[i] = 0;
        }
        te->n_open = n;
    }
    return &te->open[t];
}

static void slice(struct ss_trace_events *te, const struct ss_task_note *n, ss_time end,
                  const char *how)
{
    long long tid = n->thread + 1;
    char name[40];
    if (!te->named[n->thread]) {
        snprintf(name, sizeof name, "thread %lld", tid);
        meta(te, "thread_name", tid, "name", name, 0);
        meta(te, "thread_sort_index", tid, "sort_index", NULL, tid);
        te->named[n->thread] = 1;
    }
    begin(te);
    fputs("{\"name\": ", te->f);
    put_string(te->f, n->title ? n->title : ss_kind_name(n->kind));
    fprintf(te->f, ", \"cat\": \"%s\", \"ph\": \"X\", \"ts\": %lld, \"dur\": %lld, "
                   "\"pid\": %d, \"tid\": %lld, \"args\": {\"thread\": %lld, \"ends\": \"%s\"}}",
            ss_kind_name(n->kind), (long long)n->started, (long long)(end - n->started),
            te->pid, tid, tid, how);
    te->slices++;
}

static void keep_title(struct ss_te_open *o, const struct ss_task_note *n)
{
    snprintf(o->title, sizeof o->title, "%s", n->title ? n->title : ss_kind_name(n->kind));
}

void ss_trace_events_note(void *ctx, const struct ss_task_note *n)
{
    struct ss_trace_events *te = ctx;
    struct ss_te_open *o = open_of(te, n->thread);
    if (!o)
        return;
    counters_before(te, n->now);
    te->backlog = n->backlog;
    switch (n->step) {
    case SS_TASK_STARTS:
        o->start = n->now;
        o->kind = (int)n->kind;
        o->counted = in_window(te, n->now) && (te->topics & (1u << n->kind));
        keep_title(o, n);
        te->busy[n->kind]++;
        counters_after(te, n->now);
        break;
    case SS_TASK_RETIMED: /* a flush's outcome may have changed */
        keep_title(o, n);
        break;
    case SS_TASK_ENDS:
    case SS_TASK_CUT:
        if (o->kind < SS_KINDS && o->counted)
            slice(te, n, n->now, n->step == SS_TASK_CUT ? "cut short by a restart" : "done");
        if (o->kind < SS_KINDS)
            te->busy[o->kind]--;
        o->kind = SS_KINDS;
        counters_after(te, n->now);
        break;
    }
}

void ss_trace_events_sample(struct ss_trace_events *te, const struct ss_sample *s)
{
    int k;
    if (!in_window(te, s->time))
        return;
    counters_before(te, s->time);
    for (k = 0; k < SS_KINDS; k++)
        te->busy[k] = s->busy[k];
    te->backlog = s->backlog;
    if (s->time != te->counted_at)
        write_counters(te, s->time);
}

static void instant(struct ss_trace_events *te, ss_time t, const char *name, const char *cat,
                    const char *detail)
{
    if (t == SS_NEVER || !in_window(te, t) || !(te->topics & (1u << SS_TOPIC_EVENT)))
        return;
    begin(te);
    fputs("{\"name\": ", te->f);
    put_string(te->f, name);
    fprintf(te->f, ", \"cat\": \"%s\", \"ph\": \"i\", \"s\": \"g\", \"ts\": %lld, "
                   "\"pid\": %d, \"tid\": 0, \"args\": {\"what\": ",
            cat, (long long)t, te->pid);
    put_string(te->f, detail);
    fputs("}}", te->f);
}

void ss_trace_events_end_run(struct ss_trace_events *te, const struct ss_scenario *sc,
                             const struct ss_results *r)
{
    static const char *const start_name[SS_EPISODIC] = {"DELIVERY STARVED", "OWA UNRESPONSIVE",
                                                        "SMTP STOPPED"};
    static const char *const end_name[SS_EPISODIC] = {"DELIVERY RECOVERED", "OWA RESPONSIVE",
                                                      "SMTP RESUMED"};
    long long t;
    size_t i;
    int e;
    char what[700];
    /* The tasks still on a thread: to the end of the run. */
    for (t = 0; t < te->n_open; t++) {
        struct ss_te_open *o = &te->open[t];
        struct ss_task_note n;
        if (o->kind >= SS_KINDS || !o->counted)
            continue;
        memset(&n, 0, sizeof n);
        n.thread = t;
        n.kind = (enum ss_kind)o->kind;
        n.started = o->start;
        n.title = o->title;
        slice(te, &n, te->duration, "still running at the end of the run");
    }
    if (te->pending)
        write_counters(te, te->pending_at);
    snprintf(what, sizeof what, "all %lld threads busy and work waits", sc->threads);
    instant(te, r->symptom[SS_POOL_EXHAUSTED], "POOL EXHAUSTED", "symptom", what);
    for (e = 0; e < SS_EPISODIC; e++) {
        const struct ss_episodes *list = &r->episodes[e];
        for (i = 0; i < list->n; i++) {
            instant(te, list->list[i].start, start_name[e], "symptom",
                    ss_symptom_key(ss_episode_start_symptom((enum ss_episodic)e)));
            instant(te, list->list[i].end, end_name[e], "symptom",
                    ss_symptom_key(ss_episode_end_symptom((enum ss_episodic)e)));
        }
    }
    for (i = 0; i < sc->n_actions && i < r->n_actions; i++) {
        char name[300];
        snprintf(name, sizeof name, "ACTION %s", sc->actions[i].name);
        instant(te, sc->actions[i].at, name, "action",
                ss_action_text(what, sizeof what, sc, &sc->actions[i]));
        if (sc->actions[i].what == SS_ACT_RESTART_STORE ||
            sc->actions[i].what == SS_ACT_INSTALL_HOTFIX)
            instant(te, r->actions[i].up, "the store runs again", "action", name);
    }
}

void ss_trace_events_close(struct ss_trace_events *te)
{
    fputs("\n]}\n", te->f);
    free(te->open);
    free(te->named);
    te->open = NULL;
    te->named = NULL;
    te->n_open = 0;
}

double ss_trace_events_estimate(const double tasks[SS_KINDS], double share, unsigned topics)
{
    double n = 0;
    int k;
    for (k = 0; k < SS_KINDS; k++)
        if (topics & (1u << k))
            n += tasks[k];
    /* Each task's slice, and two counters at most for each start and end,
     * no more than one a step (20,000 steps in the window). */
    return share * n * SLICE_BYTES + 4 * 20000.0 * 130 + 4096;
}
