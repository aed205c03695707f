/*
 * svg.c: the chart (see svg.h), drawn top-down: the title, the legend, one
 * panel per run, then the time axis they share.
 *
 * Layout is worked out before anything is written (the `layout`): the two
 * y scales, the time ticks, and the rows the symptom labels need, so that
 * every panel has the same height and the same scales. Text widths are
 * estimated from the character count; the estimate is generous, so labels
 * placed apart on paper stay apart on screen.
 */
#include "storesim/svg.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/report.h"

/* ---------------------------------------------------------------- series */

/* Samples a run of `duration` gives: at 0, every interval, and at the end. */
static uint64_t samples_in_run(ss_time duration, ss_time interval)
{
    uint64_t n = (uint64_t)(duration / interval) + 1;
    return duration % interval ? n + 1 : n;
}

int ss_series_init(struct ss_series *s, ss_time duration, ss_time interval)
{
    uint64_t before_end;
    assert(duration > 0 && interval > 0);
    before_end = samples_in_run(duration, interval) - 1;
    memset(s, 0, sizeof *s);
    s->end = duration;
    s->group = (before_end + SS_SERIES_MAX_POINTS - 2) / (SS_SERIES_MAX_POINTS - 1);
    s->cap = (size_t)((before_end + s->group - 1) / s->group) + 1;
    s->point = malloc(s->cap * sizeof *s->point);
    return s->point ? 0 : -1;
}

static long long busy_total(const long long busy[SS_KINDS])
{
    long long total = 0;
    int k;
    for (k = 0; k < SS_KINDS; k++)
        total += busy[k];
    return total;
}

static void point_start(struct ss_point *p, const struct ss_sample *s)
{
    p->time = s->time;
    memcpy(p->busy, s->busy, sizeof p->busy);
    p->backlog = s->backlog;
}

/* One more sample of the group: keep the busiest sample and the largest backlog. */
static void point_fold(struct ss_point *p, const struct ss_sample *s)
{
    if (busy_total(s->busy) > busy_total(p->busy))
        memcpy(p->busy, s->busy, sizeof p->busy);
    if (s->backlog > p->backlog)
        p->backlog = s->backlog;
}

void ss_series_add(struct ss_series *s, const struct ss_sample *sample)
{
    size_t i;
    if (sample->time >= s->end) {  /* the end of the run keeps a point of its own */
        i = s->n < s->cap ? s->n : s->cap - 1;
        point_start(&s->point[i], sample);
        s->n = i + 1;
        return;
    }
    i = (size_t)(s->seen++ / s->group);
    if (i > s->cap - 2)
        i = s->cap - 2;
    if (i >= s->n) {
        point_start(&s->point[i], sample);
        s->n = i + 1;
    } else {
        point_fold(&s->point[i], sample);
    }
}

void ss_series_free(struct ss_series *s)
{
    free(s->point);
    memset(s, 0, sizeof *s);
}

/* ------------------------------------------------------------------ text */

/* Text for an element or an attribute: escaped as everywhere (escape.h, so
 * no control character and no byte that is not UTF-8 is left), the XML
 * specials as entities, and '?' for U+FFFE and U+FFFF, which XML refuses. */
void ss_svg_put_text(FILE *f, const char *text)
{
    char buf[1024], *safe = ss_escape_copy(text, buf, sizeof buf);
    const unsigned char *p = (const unsigned char *)safe;
    while (*p) {
        size_t n = ss_utf8_length(p);
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:
            if (p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)
                fputc('?', f);
            else
                fwrite(p, 1, n, f);
        }
        p += n;
    }
    if (safe != buf)
        free(safe);
}

#define put_text ss_svg_put_text

/* Generous width of a text in sans-serif at `size` px (a character of UTF-8
 * counted once). */
static double text_width(const char *text, double size)
{
    size_t n = 0;
    for (; *text; text++)
        n += ((unsigned char)*text & 0xC0) != 0x80;
    return (double)n * size * 0.6;
}

double ss_svg_text_width(const char *text, double size)
{
    return text_width(text, size);
}

/* ---------------------------------------------------------------- layout */

#define WIDTH 1280
#define HEIGHT 720
#define PLOT_LEFT 88.0
#define PLOT_RIGHT 1184.0
#define PANELS_TOP 84.0
#define PANELS_BOTTOM 664.0  /* the time axis: labels below it */
#define PANEL_GAP 14.0
#define HEADING_HEIGHT 24.0
#define ROW_HEIGHT 22.0      /* one row of symptom labels */
#define LABEL_SIZE 18.0     /* the smallest text: docs/charts.md says why */
#define LEGEND_SIZE 18.0

/* Okabe & Ito's palette, told apart by colour-blind viewers too. */
static const char *const kind_colour[SS_KINDS] = {"#0072B2", "#E69F00", "#009E73", "#D55E00"};
static const char *const kind_label[SS_KINDS] = {"delivery", "OWA", "move", "flush"};
#define BACKLOG_COLOUR "#CC79A7"
#define BACKLOG_TEXT "#8E3A6E"   /* the same hue, dark enough for text */
#define MARKER_COLOUR "#222222"
#define STARVED_COLOUR "#F6D3D3" /* a pale red behind the plot: delivery starved */
#define ACTION_COLOUR "#1F3A93"  /* a deep blue, no kind's: what the administrator did */
#define DOWN_COLOUR "#D9D9D9"    /* grey behind the plot: the store is down */
#define ACTION_ROWS 4            /* rows of action labels inside the plot's top */

static const char *const symptom_label[SS_SYMPTOMS] = {
    "pool exhausted", "delivery starved", "delivery recovered",
    "OWA unresponsive", "SMTP stopped", "SMTP resumed", "OWA responsive"};

/* Markers a panel considers, and the rows their labels may take. */
#define MARKERS_MAX 256
#define ROWS_MAX 4

/* Where one panel goes. */
struct frame {
    double top;                   /* its heading line */
    double band_top;              /* the symptom labels */
    double plot_top, plot_bottom;
};

/* A symptom marker: a dashed line at its time, a label in a row above the plot. */
struct marker {
    enum ss_symptom symptom;
    ss_time t;
    double x;
    double left, right;   /* the label's extent */
    bool leftward;        /* label to the left of the line, not the right */
    int row;              /* 0: the top row */
    char text[64];
};

struct layout {
    const struct ss_clock *clock;
    ss_time duration, time_step;
    ss_time first_tick;                   /* on the clock's round times: 0 without a clock */
    long long threads_top, threads_step;  /* left axis */
    long long backlog_top, backlog_step;  /* right axis */
    int rows;                             /* label rows above each plot */
    size_t n_panels;
    bool compact;                         /* more than 2 panels: one label row, fewer ticks */
    struct frame frame[SS_SVG_MAX_PANELS];
    struct marker marker[SS_SVG_MAX_PANELS][MARKERS_MAX];
    int n_markers[SS_SVG_MAX_PANELS];
    int unlabelled[SS_SVG_MAX_PANELS];    /* starts and ends that did not fit */
};

static double x_of(const struct layout *L, ss_time t)
{
    return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * ((double)t / (double)L->duration);
}

static double y_of(const struct frame *fr, long long v, long long top)
{
    return fr->plot_bottom - (fr->plot_bottom - fr->plot_top) * ((double)v / (double)top);
}

/* The smallest step of 1, 2, 2.5 or 5 times a power of ten that covers
 * `max` in at most `steps` steps. */
static long long nice_step(long long max, int steps)
{
    static const long long tenths[] = {10, 20, 25, 50};
    long long power = 1;
    size_t i;
    for (;;) {
        for (i = 0; i < sizeof tenths / sizeof *tenths; i++) {
            long long step = tenths[i] * power / 10;
            if (step >= 1 && step * steps >= max)
                return step;
        }
        power *= 10;
    }
}

/* A tick every 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 4,
 * 6, 12 h or whole days: the smallest with at most ten steps. */
ss_time ss_svg_time_step(ss_time duration)
{
    static const ss_time steps[] = {
        SS_SECOND, 2 * SS_SECOND, 5 * SS_SECOND, 10 * SS_SECOND, 15 * SS_SECOND, 30 * SS_SECOND,
        SS_MINUTE, 2 * SS_MINUTE, 5 * SS_MINUTE, 10 * SS_MINUTE, 15 * SS_MINUTE, 30 * SS_MINUTE,
        SS_HOUR, 2 * SS_HOUR, 3 * SS_HOUR, 4 * SS_HOUR, 6 * SS_HOUR, 12 * SS_HOUR, SS_DAY};
    ss_time step;
    size_t i;
    for (i = 0; i < sizeof steps / sizeof *steps; i++)
        if (duration / steps[i] <= 10)
            return steps[i];
    for (step = 2 * SS_DAY; duration / step > 10; step *= 2)
        ;
    return step;
}

static long long largest_backlog(const struct ss_svg_chart *c)
{
    long long most = 0;
    size_t i, p;
    for (p = 0; p < c->n_panels; p++)
        for (i = 0; i < c->panel[p].series->n; i++)
            if (c->panel[p].series->point[i].backlog > most)
                most = c->panel[p].series->point[i].backlog;
    return most;
}

/* Both y scales leave head room, the backlog more than the threads, so a
 * full backlog and the pool-size line do not fall on one another. */
static void plan_scales(struct layout *L, const struct ss_svg_chart *c)
{
    long long want = c->threads + c->threads / 12 + 1;
    int steps = L->compact ? 2 : 5; /* a low panel has room for few ticks */
    L->threads_step = nice_step(want, steps);
    L->threads_top = (want + L->threads_step - 1) / L->threads_step * L->threads_step;
    want = largest_backlog(c);
    want = want + want * 2 / 5 + 1;
    if (want < 10)
        want = 10;
    L->backlog_step = nice_step(want, steps);
    L->backlog_top = (want + L->backlog_step - 1) / L->backlog_step * L->backlog_step;
    L->duration = c->duration;
    L->time_step = ss_svg_time_step(c->duration);
    /* With a clock, ticks fall on its round times (22:00, not 21:17). */
    L->first_tick = c->clock && c->clock->set
                        ? (L->time_step - c->clock->origin % L->time_step) % L->time_step
                        : 0;
}

/* Would marker m, in `row`, collide with one already placed? Labels in one
 * row must not overlap, and (when lines_too) no dashed line may cross a
 * label: a line runs from its own row down to the plot. */
static bool row_is_free(const struct marker *placed, int n, const struct marker *m, int row,
                        bool lines_too)
{
    const double gap = 8;
    int i;
    for (i = 0; i < n; i++) {
        const struct marker *p = &placed[i];
        if (p->row == row && m->left < p->right + gap && p->left < m->right + gap)
            return false;
        if (!lines_too)
            continue;
        if (p->row < row && p->x > m->left - 3 && p->x < m->right + 3)
            return false;
        if (p->row > row && m->x > p->left - 3 && m->x < p->right + 3)
            return false;
    }
    return true;
}

/* Put the label of m to the right of its line, or to the left. */
static void orient(struct marker *m, bool leftward)
{
    double w = text_width(m->text, LABEL_SIZE);
    m->leftward = leftward;
    m->left = leftward ? m->x - 4 - w : m->x + 4;
    m->right = leftward ? m->x - 4 : m->x + 4 + w;
}

static bool fits(const struct marker *m)
{
    return m->left >= 8 && m->right <= WIDTH - 8;
}

static void label_marker(const struct layout *L, struct marker *m)
{
    char clock[SS_TIME_TEXT];
    snprintf(m->text, sizeof m->text, "%s %s", symptom_label[m->symptom],
             ss_clock_hms(clock, L->clock, m->t));
    m->x = x_of(L, m->t);
    orient(m, false);
    if (!fits(m))
        orient(m, true);
}

/* Add marker (s, t) to m[0..*n-1], kept in time order. */
static void add_marker(const struct layout *L, struct marker *m, int *n, enum ss_symptom s,
                       ss_time t)
{
    struct marker next;
    int i;
    if (t == SS_NEVER || *n == MARKERS_MAX)
        return;
    next.symptom = s;
    next.t = t;
    next.row = 0;
    label_marker(L, &next);
    for (i = *n; i > 0 && m[i - 1].t > next.t; i--)
        m[i] = m[i - 1];
    m[i] = next;
    (*n)++;
}

/* What a panel marks: the first time the pool ran dry, and every start and
 * end of an episode (or, without episodes, each symptom's first time). */
static int gather_markers(const struct layout *L, const struct ss_svg_panel *p, struct marker *m,
                          int *more)
{
    int n = 0, s, e;
    size_t i, total = 0;
    *more = 0;
    if (!p->episodes) {
        for (s = 0; s < SS_SYMPTOMS; s++)
            add_marker(L, m, &n, (enum ss_symptom)s, p->symptom[s]);
        return n;
    }
    add_marker(L, m, &n, SS_POOL_EXHAUSTED, p->symptom[SS_POOL_EXHAUSTED]);
    for (e = 0; e < SS_EPISODIC; e++) {
        const struct ss_episodes *list = &p->episodes[e];
        for (i = 0; i < list->n; i++) {
            add_marker(L, m, &n, ss_episode_start_symptom((enum ss_episodic)e),
                       list->list[i].start);
            add_marker(L, m, &n, ss_episode_end_symptom((enum ss_episodic)e), list->list[i].end);
            total += 1 + (list->list[i].end != SS_NEVER);
        }
        total += 2 * (list->count - list->n); /* counted, not kept */
    }
    *more = (int)(total + (p->symptom[SS_POOL_EXHAUSTED] != SS_NEVER)) - n;
    return n;
}

/* Give each marker (m in time order) a row, the first free one, placing
 * labels written to the right of their line from the earliest and then
 * those written to the left from the latest, so each label reaches away
 * from the lines already placed. m comes back in that placing order.
 * Returns the rows used, or 0 when `strict` and some line would have to
 * cross a label. */
static int assign_rows(struct marker *m, int n, bool strict)
{
    struct marker sorted[SS_SYMPTOMS];
    int i, k = 0, rows = 0;
    memcpy(sorted, m, (size_t)n * sizeof *m);
    for (i = 0; i < n; i++)
        if (!sorted[i].leftward)
            m[k++] = sorted[i];
    for (i = n; i-- > 0;)
        if (sorted[i].leftward)
            m[k++] = sorted[i];
    for (i = 0; i < n; i++) {
        int row = 0;
        while (row < SS_SYMPTOMS && !row_is_free(m, i, &m[i], row, true))
            row++;
        if (row == SS_SYMPTOMS && strict)
            return 0;
        if (row == SS_SYMPTOMS)
            for (row = 0; !row_is_free(m, i, &m[i], row, false); row++)
                ;
        m[i].row = row;
        if (row + 1 > rows)
            rows = row + 1;
    }
    return rows;
}

static int count_leftward(unsigned mask)
{
    int n = 0;
    for (; mask; mask >>= 1)
        n += (int)(mask & 1u);
    return n;
}

/* Few markers (at most SS_SYMPTOMS): each label may go either side of its
 * line where it fits; of all the choices the one where no line crosses a
 * label in the fewest rows wins, then the one with the fewest labels on the
 * left. Returns the rows used. */
static int place_few(struct marker *m, int n)
{
    struct marker base[SS_SYMPTOMS], trial[SS_SYMPTOMS];
    int best = -1, rows = 0, i;
    unsigned mask;
    memcpy(base, m, (size_t)n * sizeof *m);
    for (mask = 0; n > 0 && mask < 1u << n; mask++) {
        bool possible = true;
        int score, used;
        memcpy(trial, base, (size_t)n * sizeof *trial);
        for (i = 0; i < n; i++) {
            orient(&trial[i], (mask >> i) & 1u);
            possible = possible && fits(&trial[i]);
        }
        used = possible ? assign_rows(trial, n, true) : 0;
        score = used * 8 + count_leftward(mask);
        if (used > 0 && (best < 0 || score < best)) {
            best = score;
            rows = used;
            memcpy(m, trial, (size_t)n * sizeof *m);
        }
    }
    if (best >= 0 || n == 0)
        return rows;
    memcpy(m, base, (size_t)n * sizeof *m); /* no way without a crossing: keep labels apart */
    return assign_rows(m, n, false);
}

/* Many markers: in time order, each label right of its line (or left, when
 * it does not fit there) in the first of `max_rows` rows where it crosses no
 * line and no label; a marker with no such row is left out. Returns the
 * rows used; *n becomes the markers kept, *more grows by those left out. */
static int place_many(struct marker *m, int *n, int *more, int max_rows)
{
    int i, kept = 0, rows = 0;
    for (i = 0; i < *n; i++) {
        struct marker next = m[i];
        int row, side;
        bool placed = false;
        for (side = 0; side < 2 && !placed; side++) {
            orient(&next, side == 1);
            if (!fits(&next))
                continue;
            for (row = 0; row < max_rows && !placed; row++) {
                if (row_is_free(m, kept, &next, row, true)) {
                    next.row = row;
                    placed = true;
                }
            }
        }
        if (!placed) {
            (*more)++;
            continue;
        }
        m[kept++] = next;
        if (next.row + 1 > rows)
            rows = next.row + 1;
    }
    *n = kept;
    return rows;
}

/* The markers of one panel with their label rows. Returns the rows used. */
static int place_markers(const struct layout *L, const struct ss_svg_panel *p, struct marker *m,
                         int *count, int *more)
{
    int n = gather_markers(L, p, m, more);
    *count = n;
    if (L->compact) { /* a low panel: one row, local delivery's labels first */
        struct marker first[MARKERS_MAX];
        int i, k = 0, pass;
        for (pass = 0; pass < 2; pass++)
            for (i = 0; i < n; i++)
                if ((m[i].symptom == SS_DELIVERY_STARVED ||
                     m[i].symptom == SS_DELIVERY_RECOVERED) == (pass == 0))
                    first[k++] = m[i];
        memcpy(m, first, (size_t)n * sizeof *m);
        return place_many(m, count, more, 1);
    }
    if (n <= SS_SYMPTOMS) {
        int rows = place_few(m, n);
        if (rows <= ROWS_MAX + 2)
            return rows;
    }
    return place_many(m, count, more, ROWS_MAX);
}

static void plan(struct layout *L, const struct ss_svg_chart *c)
{
    double height;
    size_t i;
    assert(c->n_panels >= 1 && c->n_panels <= SS_SVG_MAX_PANELS);
    memset(L, 0, sizeof *L);
    L->compact = c->n_panels > 2;
    plan_scales(L, c);
    L->n_panels = c->n_panels;
    L->clock = c->clock;
    for (i = 0; i < c->n_panels; i++) {
        int rows = place_markers(L, &c->panel[i], L->marker[i], &L->n_markers[i],
                                 &L->unlabelled[i]);
        if (rows > L->rows)
            L->rows = rows;
    }
    height = (PANELS_BOTTOM - PANELS_TOP - PANEL_GAP * (double)(c->n_panels - 1)) /
             (double)c->n_panels;
    for (i = 0; i < c->n_panels; i++) {
        struct frame *fr = &L->frame[i];
        fr->top = PANELS_TOP + (double)i * (height + PANEL_GAP);
        fr->band_top = fr->top + HEADING_HEIGHT;
        fr->plot_top = fr->band_top + ROW_HEIGHT * L->rows + (L->rows ? 4 : 0);
        fr->plot_bottom = fr->top + height;
    }
}

/* --------------------------------------------------------------- drawing */

/* "HH:MM", or "HH:MM:SS" when the ticks are seconds apart. */
char *ss_svg_tick_text(char buf[SS_TIME_TEXT], const struct ss_clock *clock, ss_time t,
                       ss_time step)
{
    if (step % SS_MINUTE)
        return ss_clock_hms(buf, clock, t);
    return ss_clock_hm(buf, clock, t);
}

/* A backlog tick: "15,000", or "1.5M" when that would be too wide. */
static char *count_text(char buf[32], long long n)
{
    if (n < 1000000)
        return ss_thousands(buf, (unsigned long long)n);
    sprintf(buf, "%gM", (double)n / 1e6);
    return buf;
}

/* The first `n` bytes of text, as an element's text. */
static void put_part(FILE *f, const char *text, size_t n)
{
    char buf[SS_SVG_TITLE_MAX];
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, text, n);
    buf[n] = '\0';
    put_text(f, buf);
}

/* Bytes of the longest start of text (whole UTF-8 characters) that is at
 * most `width` wide at `size` px. */
static size_t fitting(const char *text, double size, double width)
{
    size_t n = 0, chars = 0, fit = 0;
    while (text[n]) {
        n++;
        while (((unsigned char)text[n] & 0xC0) == 0x80)
            n++;
        if ((double)++chars * size * 0.6 > width)
            break;
        fit = n;
    }
    return fit;
}

int ss_svg_draw_title(FILE *f, const char *title, double width)
{
    size_t len = strlen(title), first, rest_fit;
    const char *rest;
    if (text_width(title, 24) <= width) {
        fprintf(f, "<text class=\"title\" x=\"%d\" y=\"34\" text-anchor=\"middle\" "
                   "font-size=\"24\" font-weight=\"bold\">", WIDTH / 2);
        put_text(f, title);
        fputs("</text>\n", f);
        return 1;
    }
    /* Two lines of 20 px, broken at the last space that fits. */
    first = fitting(title, 20, width);
    {
        size_t i = first;
        while (i > 0 && title[i] != ' ')
            i--;
        if (i > first / 2)
            first = i;
    }
    rest = title + first;
    while (*rest == ' ')
        rest++;
    rest_fit = fitting(rest, 20, width);
    fprintf(f, "<text class=\"title\" x=\"%d\" y=\"22\" text-anchor=\"middle\" "
               "font-size=\"20\" font-weight=\"bold\">", WIDTH / 2);
    put_part(f, title, first);
    fprintf(f, "</text>\n<text class=\"title\" x=\"%d\" y=\"43\" text-anchor=\"middle\" "
               "font-size=\"20\" font-weight=\"bold\">", WIDTH / 2);
    if (rest_fit == strlen(rest)) {
        put_text(f, rest);
    } else { /* shortened, and said to be: "..." */
        rest_fit = fitting(rest, 20, width - 3 * 20 * 0.6);
        put_part(f, rest, rest_fit);
        fputs("...", f);
    }
    fputs("</text>\n", f);
    (void)len;
    return 2;
}

static void draw_heading(FILE *f, const struct ss_svg_chart *c)
{
    fputs("<title>", f);
    put_text(f, c->title);
    fputs("</title>\n<desc>Store threads busy by kind of task (stacked areas), the pool size, "
          "and the local-delivery backlog (right axis) over simulated time, with the time of "
          "each symptom marked. Drawn by storesim.</desc>\n",
          f);
    fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", WIDTH, HEIGHT);
    ss_svg_draw_title(f, c->title, WIDTH - 40);
}

/* Do all panels have the chart's pool? (Variants may change its size.) */
static bool one_pool(const struct ss_svg_chart *c)
{
    size_t i;
    for (i = 0; i < c->n_panels; i++)
        if (c->panel[i].threads && c->panel[i].threads != c->threads)
            return false;
    return true;
}

/* threads 0: the panels' pools differ, each says its own. */
static void draw_legend(FILE *f, long long threads)
{
    const double y = 66;
    double x = 24;
    char text[64];
    int k;
    fputs("<g class=\"legend\" font-size=\"18\">\n", f);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">threads busy:</text>\n", x, y);
    x += text_width("threads busy:", LEGEND_SIZE) + 4;
    for (k = 0; k < SS_KINDS; k++) {
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"14\" fill=\"%s\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n",
                x, y - 12, kind_colour[k], x + 23, y, kind_label[k]);
        x += 23 + text_width(kind_label[k], LEGEND_SIZE) * 1.2 + 12;
    }
    x += 10;
    if (threads)
        snprintf(text, sizeof text, "pool size (%lld)", threads);
    else
        snprintf(text, sizeof text, "pool size");
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000000\" "
               "stroke-width=\"2\"/><text x=\"%.1f\" y=\"%.1f\">%s</text>\n",
            x, y - 5, x + 28, y - 5, x + 34, y, text);
    x += 34 + text_width(text, LEGEND_SIZE) + 18;
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
               "stroke-width=\"3\"/><text x=\"%.1f\" y=\"%.1f\">backlog (right axis)"
               "</text>\n",
            x, y - 5, x + 28, y - 5, BACKLOG_COLOUR, x + 34, y);
    x += 34 + text_width("backlog (right axis)", LEGEND_SIZE) + 18;
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
               "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/><text x=\"%.1f\" y=\"%.1f\">"
               "symptom</text>\n",
            x + 14, y - 14, x + 14, y + 3, MARKER_COLOUR, x + 22, y);
    x += 22 + text_width("symptom", LEGEND_SIZE) + 14;
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"14\" fill=\"%s\"/>"
               "<text x=\"%.1f\" y=\"%.1f\">starved</text>\n",
            x, y - 12, STARVED_COLOUR, x + 23, y);
    fputs("</g>\n", f);
}

static void draw_grid(FILE *f, const struct layout *L, const struct frame *fr)
{
    long long v;
    ss_time t;
    fputs("<g class=\"grid\" stroke=\"#dddddd\" stroke-width=\"1\">\n", f);
    for (v = L->threads_step; v <= L->threads_top; v += L->threads_step)
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", PLOT_LEFT,
                y_of(fr, v, L->threads_top), PLOT_RIGHT, y_of(fr, v, L->threads_top));
    for (t = L->first_tick; t < L->duration; t += L->time_step)
        if (t > 0)
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x_of(L, t),
                fr->plot_top, x_of(L, t), fr->plot_bottom);
    fputs("</g>\n", f);
}

/* The thinnest a kind busy at all is drawn, in pixels: one OWA request or
 * one move among a hundred threads would be a pixel high, lost on a
 * projector (docs/charts.md). */
#define MIN_BAND 3.0

/* The top of kinds 0..k stacked at a point (k = -1: the bottom), each kind
 * busy at all at least MIN_BAND thick. */
static double stacked_y(const struct layout *L, const struct frame *fr, const struct ss_point *p,
                        int k)
{
    double y = fr->plot_bottom, per = (fr->plot_bottom - fr->plot_top) / (double)L->threads_top;
    int i;
    for (i = 0; i <= k; i++) {
        double h = per * (double)p->busy[i];
        y -= p->busy[i] > 0 && h < MIN_BAND ? MIN_BAND : h;
    }
    return y;
}

static void draw_area(FILE *f, const struct layout *L, const struct frame *fr,
                      const struct ss_series *s, int k)
{
    size_t i;
    fprintf(f, "<polygon class=\"busy\" data-kind=\"%s\" fill=\"%s\" points=\"",
            ss_kind_name((enum ss_kind)k), kind_colour[k]);
    for (i = 0; i < s->n; i++)
        fprintf(f, "%s%.1f,%.1f", i % 10 ? " " : "\n", x_of(L, s->point[i].time),
                stacked_y(L, fr, &s->point[i], k));
    for (i = s->n; i-- > 0;)
        fprintf(f, "%s%.1f,%.1f", i % 10 ? " " : "\n", x_of(L, s->point[i].time),
                stacked_y(L, fr, &s->point[i], k - 1));
    fputs("\"/>\n", f);
}

/* The stacked areas, delivery at the bottom; a kind never busy draws nothing. */
static void draw_areas(FILE *f, const struct layout *L, const struct frame *fr,
                       const struct ss_series *s)
{
    size_t i;
    int k;
    for (k = 0; k < SS_KINDS; k++) {
        for (i = 0; i < s->n && s->point[i].busy[k] == 0; i++)
            ;
        if (i < s->n)
            draw_area(f, L, fr, s, k);
    }
}

static void draw_pool(FILE *f, const struct layout *L, const struct frame *fr, long long threads)
{
    double y = y_of(fr, threads, L->threads_top);
    fprintf(f, "<line class=\"pool\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
               "stroke=\"#000000\" stroke-width=\"2\"/>\n",
            PLOT_LEFT, y, PLOT_RIGHT, y);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"18\">"
               "pool: %lld threads</text>\n",
            PLOT_RIGHT - 6, y - 5, threads);
}

/* The backlog line, over a white halo so it shows on any colour. */
static void draw_backlog(FILE *f, const struct layout *L, const struct frame *fr,
                         const struct ss_series *s)
{
    static const char *const pen[2][2] = {{"#ffffff", "6"}, {BACKLOG_COLOUR, "3"}};
    size_t i;
    int pass;
    for (pass = 0; pass < 2; pass++) {
        fprintf(f, "<polyline class=\"backlog\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\" "
                   "stroke-linejoin=\"round\" points=\"",
                pen[pass][0], pen[pass][1]);
        for (i = 0; i < s->n; i++)
            fprintf(f, "%s%.1f,%.1f", i % 10 ? " " : "\n", x_of(L, s->point[i].time),
                    y_of(fr, s->point[i].backlog, L->backlog_top));
        fputs("\"/>\n", f);
    }
}

static void draw_y_ticks(FILE *f, const struct layout *L, const struct frame *fr)
{
    char n[32];
    long long v;
    fputs("<g class=\"y-ticks\" font-size=\"18\">\n", f);
    for (v = 0; v <= L->threads_top; v += L->threads_step)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%lld</text>\n",
                PLOT_LEFT - 8, y_of(fr, v, L->threads_top) + 5, v);
    for (v = 0; v <= L->backlog_top; v += L->backlog_step)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s</text>\n", PLOT_RIGHT + 8,
                y_of(fr, v, L->backlog_top) + 5, BACKLOG_TEXT, count_text(n, v));
    fputs("</g>\n", f);
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
               "stroke=\"#555555\" stroke-width=\"1\"/>\n",
            PLOT_LEFT, fr->plot_top, PLOT_RIGHT - PLOT_LEFT, fr->plot_bottom - fr->plot_top);
}

static void draw_marker(FILE *f, const struct frame *fr, const struct marker *m)
{
    double base = fr->band_top + ROW_HEIGHT * (m->row + 1) - 4;
    fprintf(f, "<g class=\"symptom\" data-symptom=\"%s\" data-time-us=\"%lld\">\n",
            ss_symptom_key(m->symptom), (long long)m->t);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
               "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n",
            m->x, base - 12, m->x, fr->plot_bottom, MARKER_COLOUR);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\"%s fill=\"%s\">%s</text>\n</g>\n",
            m->leftward ? m->x - 4 : m->x + 4, base,
            m->leftward ? " text-anchor=\"end\"" : "", MARKER_COLOUR, m->text);
}

/* Every episode of starvation, shaded behind the plot. */
static void draw_starved(FILE *f, const struct layout *L, const struct frame *fr,
                         const struct ss_svg_panel *p)
{
    const struct ss_episodes *list;
    size_t i;
    if (!p->episodes)
        return;
    list = &p->episodes[SS_EP_STARVED];
    for (i = 0; i < list->n; i++) {
        ss_time end = list->list[i].end == SS_NEVER ? L->duration : list->list[i].end;
        double x0 = x_of(L, list->list[i].start), x1 = x_of(L, end);
        fprintf(f, "<rect class=\"starved\" data-start-us=\"%lld\" data-end-us=\"%lld\" "
                   "x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                (long long)list->list[i].start, (long long)end, x0, fr->plot_top,
                x1 - x0 > 0.5 ? x1 - x0 : 0.5, fr->plot_bottom - fr->plot_top, STARVED_COLOUR);
    }
}

/* The actions of panel p's run: its own, or the chart's. */
static const struct ss_action *actions_of(const struct ss_svg_chart *c,
                                          const struct ss_svg_panel *p, size_t *n)
{
    *n = p->defs ? p->n_defs : c->n_actions;
    return p->defs ? p->defs : c->actions;
}

/* The time the store was down for each restart, shaded behind the plot. */
static void draw_down(FILE *f, const struct layout *L, const struct frame *fr,
                      const struct ss_svg_chart *c, const struct ss_svg_panel *p)
{
    size_t i, n;
    const struct ss_action *defs = actions_of(c, p, &n);
    for (i = 0; p->actions && i < n; i++) {
        const struct ss_action *ac = &defs[i];
        ss_time end = p->actions[i].up == SS_NEVER ? L->duration : p->actions[i].up;
        double x0, x1;
        if ((ac->what != SS_ACT_RESTART_STORE && ac->what != SS_ACT_INSTALL_HOTFIX) ||
            p->actions[i].extended)
            continue; /* not a restart, or one while the store was down already */
        x0 = x_of(L, ac->at);
        x1 = x_of(L, end);
        fprintf(f, "<rect class=\"down\" data-start-us=\"%lld\" data-end-us=\"%lld\" "
                   "x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                (long long)ac->at, (long long)end, x0, fr->plot_top, x1 - x0 > 2 ? x1 - x0 : 2,
                fr->plot_bottom - fr->plot_top, DOWN_COLOUR);
    }
}

/* An action's label: short, so that several fit side by side. */
static const char *action_word(const struct ss_action *ac, char *buf, size_t size)
{
    static const char *const word[SS_ACTION_KINDS] = {
        "store restart", "MTA started", "MTA stopped", "hotfix installed", NULL,
        "moves cancelled"};
    char span[SS_TIME_TEXT];
    if (ac->what == SS_ACT_SET_GATEWAY)
        snprintf(buf, size, "Gateway Out Threads = %lld", ac->value);
    else if (ac->what == SS_ACT_RESTART_STORE || ac->what == SS_ACT_INSTALL_HOTFIX)
        snprintf(buf, size, "%s (down %s)", word[ac->what], ss_span_text(span, ac->restart_time));
    else
        snprintf(buf, size, "%s", word[ac->what]);
    return buf;
}

/* Each action: a line across the plot, its label in the first row inside
 * the plot's top where it does not run into the one before (beyond
 * ACTION_ROWS rows, the line alone). */
static int by_time(const void *pa, const void *pb)
{
    const struct ss_action *a = *(const struct ss_action *const *)pa;
    const struct ss_action *b = *(const struct ss_action *const *)pb;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return a < b ? -1 : a > b; /* file order */
}

static void draw_actions(FILE *f, const struct layout *L, const struct frame *fr,
                         const struct ss_svg_chart *c, const struct ss_svg_panel *p)
{
    size_t i, n;
    const struct ss_action *defs = actions_of(c, p, &n);
    const struct ss_action **order = n ? malloc(n * sizeof *order) : NULL;
    double right[ACTION_ROWS];
    int row;
    for (row = 0; row < ACTION_ROWS; row++)
        right[row] = -1e9;
    for (i = 0; order && i < n; i++)
        order[i] = &defs[i];
    if (order) /* in time order, so that labels stack as they meet */
        qsort(order, n, sizeof *order, by_time);
    for (i = 0; i < n; i++) {
        const struct ss_action *ac = order ? order[i] : &defs[i];
        char word[64], clock[SS_TIME_TEXT], label[96];
        double x = x_of(L, ac->at), w;
        bool leftward;
        snprintf(label, sizeof label, "%s %s", action_word(ac, word, sizeof word),
                 ss_clock_hms(clock, L->clock, ac->at));
        w = text_width(label, LABEL_SIZE);
        leftward = x + 5 + w > PLOT_RIGHT - 4;
        for (row = 0; row < ACTION_ROWS; row++)
            if ((leftward ? x - 5 - w : x + 5) > right[row] + 8)
                break;
        fprintf(f, "<g class=\"action\" data-action=\"%s\" data-name=\"",
                ss_action_word(ac->what));
        put_text(f, ac->name);
        fprintf(f, "\" data-time-us=\"%lld\">\n<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                   "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2.5\"/>\n",
                (long long)ac->at, x, fr->plot_top, x, fr->plot_bottom, ACTION_COLOUR);
        if (row < ACTION_ROWS && fr->plot_top + ROW_HEIGHT * (row + 1) < fr->plot_bottom) {
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\"%s fill=\"%s\" font-weight=\"bold\" "
                       "stroke=\"#FFFFFF\" stroke-width=\"3\" paint-order=\"stroke\">%s</text>\n",
                    leftward ? x - 5 : x + 5, fr->plot_top + ROW_HEIGHT * (row + 1) - 3,
                    leftward ? " text-anchor=\"end\"" : "", ACTION_COLOUR, label);
            right[row] = leftward ? x : x + 5 + w;
        }
        fputs("</g>\n", f);
    }
    free(order);
}

static void draw_panel(FILE *f, const struct layout *L, const struct ss_svg_chart *c, size_t i)
{
    const struct ss_svg_panel *p = &c->panel[i];
    const struct frame *fr = &L->frame[i];
    int m;
    fputs("<g class=\"panel\" data-run=\"", f);
    put_text(f, p->run);
    fprintf(f, "\">\n<text x=\"%.1f\" y=\"%.1f\" font-size=\"18\" font-weight=\"bold\">",
            PLOT_LEFT, fr->top + 16);
    put_text(f, p->heading);
    fputs("</text>\n", f);
    if (L->n_markers[i] == 0 && L->unlabelled[i] == 0)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"18\" text-anchor=\"end\">"
                   "no symptom in this run</text>\n",
                PLOT_RIGHT, fr->top + 16);
    else if (L->unlabelled[i] > 0)
        fprintf(f, "<text class=\"unlabelled\" x=\"%.1f\" y=\"%.1f\" font-size=\"18\" "
                   "text-anchor=\"end\">%d more %s of episodes not labelled</text>\n",
                PLOT_RIGHT, fr->top + 16, L->unlabelled[i],
                L->unlabelled[i] == 1 ? "start or end" : "starts and ends");
    draw_starved(f, L, fr, p);
    draw_down(f, L, fr, c, p);
    draw_grid(f, L, fr);
    draw_areas(f, L, fr, p->series);
    draw_pool(f, L, fr, p->threads ? p->threads : c->threads);
    draw_backlog(f, L, fr, p->series);
    draw_y_ticks(f, L, fr);
    draw_actions(f, L, fr, c, p);
    for (m = 0; m < L->n_markers[i]; m++)
        draw_marker(f, fr, &L->marker[i][m]);
    fputs("</g>\n", f);
}

/* The time axis under the last panel, and the three axis titles. */
static void draw_axes(FILE *f, const struct layout *L)
{
    const double bottom = L->frame[L->n_panels - 1].plot_bottom;
    const double middle = (PANELS_TOP + PANELS_BOTTOM) / 2;
    char clock[SS_TIME_TEXT];
    ss_time t;
    fputs("<g class=\"time-axis\" font-size=\"18\">\n", f);
    for (t = L->first_tick; t <= L->duration; t += L->time_step)
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555555\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                x_of(L, t), bottom, x_of(L, t), bottom + 5, x_of(L, t), bottom + 21,
                ss_svg_tick_text(clock, L->clock, t, L->time_step));
    fputs("</g>\n", f);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"18\">"
               "%s (%s)</text>\n",
            (PLOT_LEFT + PLOT_RIGHT) / 2, bottom + 46,
            L->clock && L->clock->set ? "clock time" : "simulated time",
            L->time_step % SS_MINUTE ? "hours:minutes:seconds" : "hours:minutes");
    fprintf(f, "<text transform=\"translate(24,%.1f) rotate(-90)\" text-anchor=\"middle\" "
               "font-size=\"18\">threads busy</text>\n",
            middle);
    fprintf(f, "<text transform=\"translate(%d,%.1f) rotate(90)\" text-anchor=\"middle\" "
               "font-size=\"18\" fill=\"%s\">delivery backlog (messages)</text>\n",
            WIDTH - 22, middle, BACKLOG_TEXT);
}

void ss_svg_write(FILE *f, const struct ss_svg_chart *c)
{
    struct layout layout, *L = &layout;
    size_t i;
    plan(L, c);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
               "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"18\" "
               "fill=\"#222222\">\n",
            WIDTH, HEIGHT, WIDTH, HEIGHT);
    draw_heading(f, c);
    draw_legend(f, one_pool(c) ? c->threads : 0);
    for (i = 0; i < c->n_panels; i++)
        draw_panel(f, L, c, i);
    draw_axes(f, L);
    fputs("</svg>\n", f);
}
