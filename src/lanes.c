/*
 * lanes.c: every thread of the pool on one chart (see lanes.h).
 *
 * While the run goes, each thread's task is kept from its start until it
 * ends (or is cut short, or the run ends); then its thread time is added to
 * the pixel columns of its row that it covers. Drawing walks each row's
 * columns once and joins neighbours of one kind and shade into a bar.
 */
#include "storesim/lanes.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/report.h"
#include "storesim/svg.h"

#define WIDTH 1280
#define HEIGHT 720
#define PLOT_LEFT 88.0
#define PLOT_RIGHT 1184.0
#define PANELS_TOP 84.0
#define PANELS_BOTTOM 652.0  /* the time axis; its labels below */
#define PANEL_GAP 12.0
#define HEADING_HEIGHT 24.0
#define ROW_HEIGHT 22.0      /* a row of symptom labels */
#define TEXT_SIZE 18.0       /* the smallest text: docs/charts.md says why */
#define LABEL_ROWS 4
#define MARKERS_MAX SS_SYMPTOMS

static const char *const kind_colour[SS_KINDS] = {"#0072B2", "#E69F00", "#009E73", "#D55E00"};
static const char *const kind_label[SS_KINDS] = {"delivery", "OWA", "move", "flush"};
#define PALE "0.45" /* the opacity of a column busy less than half the time */
#define MARKER_COLOUR "#222222"
#define ACTION_COLOUR "#1F3A93"
#define DOWN_COLOUR "#D9D9D9"

static const char *const symptom_label[SS_SYMPTOMS] = {
    "pool exhausted", "delivery starved", "delivery recovered",
    "OWA unresponsive", "SMTP stopped", "SMTP resumed", "OWA responsive"};

/* ------------------------------------------------------------ collecting */

int ss_lanes_init(struct ss_lanes *l, ss_time duration, long long threads)
{
    size_t cells;
    assert(duration > 0 && threads > 0);
    memset(l, 0, sizeof *l);
    l->duration = duration;
    l->threads = threads;
    l->per_row = threads <= SS_LANES_ROWS_MAX
                     ? 1
                     : (threads + SS_LANES_ROWS_MAX - 1) / SS_LANES_ROWS_MAX;
    l->rows = (threads + l->per_row - 1) / l->per_row;
    cells = (size_t)l->rows * SS_LANES_COLUMNS * SS_KINDS;
    l->busy = calloc(cells, sizeof *l->busy);
    return l->busy ? 0 : -1;
}

static double column_width(const struct ss_lanes *l)
{
    return (double)l->duration / SS_LANES_COLUMNS;
}

/* Thread time from `start` to `end` on `thread`, added to its row. */
static void add_busy(struct ss_lanes *l, long long thread, int kind, ss_time start, ss_time end)
{
    double w = column_width(l), s, e;
    long long row = thread / l->per_row, c, c0, c1;
    float *cell;
    if (end > l->duration)
        end = l->duration;
    if (start < 0 || end <= start || row >= l->rows)
        return;
    s = (double)start;
    e = (double)end;
    c0 = (long long)(s / w);
    c1 = (long long)((e - 1e-9) / w);
    if (c1 >= SS_LANES_COLUMNS)
        c1 = SS_LANES_COLUMNS - 1;
    if (c0 > c1)
        c0 = c1;
    cell = l->busy + ((size_t)row * SS_LANES_COLUMNS) * SS_KINDS;
    for (c = c0; c <= c1; c++) {
        double lo = (double)c * w, hi = lo + w;
        double from = s > lo ? s : lo, to = e < hi ? e : hi;
        if (c == SS_LANES_COLUMNS - 1)
            to = e; /* rounding: the last column reaches the end */
        if (to > from)
            cell[c * SS_KINDS + kind] += (float)(to - from);
    }
}

static struct ss_lanes_task *task_of(struct ss_lanes *l, long long t)
{
    if (t >= l->n_task) {
        long long n = l->n_task ? l->n_task : 16, i;
        struct ss_lanes_task *grown;
        while (n <= t)
            n *= 2;
        grown = realloc(l->task, (size_t)n * sizeof *grown);
        if (!grown) {
            l->failed = true;
            return NULL;
        }
        for (i = l->n_task; i < n; i++)
            grown[i].kind = SS_KINDS;
        l->task = grown;
        l->n_task = n;
    }
    return &l->task[t];
}

static void close_task(struct ss_lanes *l, long long t, ss_time end)
{
    struct ss_lanes_task *k = &l->task[t];
    if (k->kind < SS_KINDS)
        add_busy(l, t, k->kind, k->started, end);
    k->kind = SS_KINDS;
}

void ss_lanes_note(void *ctx, const struct ss_task_note *note)
{
    struct ss_lanes *l = ctx;
    struct ss_lanes_task *k = task_of(l, note->thread);
    if (!k)
        return;
    switch (note->step) {
    case SS_TASK_STARTS:
        close_task(l, note->thread, note->now); /* none should be open */
        k->started = note->now;
        k->end = note->end;
        k->kind = (int)note->kind;
        break;
    case SS_TASK_RETIMED:
        k->end = note->end;
        break;
    case SS_TASK_ENDS:
    case SS_TASK_CUT:
        close_task(l, note->thread, note->now);
        break;
    }
}

void ss_lanes_finish(struct ss_lanes *l)
{
    long long t;
    for (t = 0; t < l->n_task; t++)
        if (l->task[t].kind < SS_KINDS)
            close_task(l, t, l->task[t].end < l->duration ? l->task[t].end : l->duration);
}

void ss_lanes_free(struct ss_lanes *l)
{
    free(l->busy);
    free(l->task);
    memset(l, 0, sizeof *l);
}

/* ---------------------------------------------------------------- layout */

struct marker {
    enum ss_symptom symptom;
    ss_time t;
    double x, left, right;
    bool leftward;
    int row;
    char text[64];
};

struct frame {
    double top, band_top, plot_top, plot_bottom;
};

struct layout {
    const struct ss_lanes_chart *c;
    ss_time time_step, first_tick;
    int rows;     /* label rows above each plot */
    int max_rows; /* the most they may take: fewer for two panels */
    struct frame frame[2];
    struct marker marker[2][MARKERS_MAX];
    int n_markers[2];
    int unlabelled[2];
};

static double x_of(const struct layout *L, ss_time t)
{
    return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * ((double)t / (double)L->c->duration);
}

/* Is row `row` free for m: no label there in its way, no line of a marker
 * above crossing it, and its own line crossing no label below? */
static bool row_free(const struct marker *placed, int n, const struct marker *m, int row)
{
    int i;
    for (i = 0; i < n; i++) {
        const struct marker *p = &placed[i];
        if (p->row >= LABEL_ROWS)
            continue; /* unlabelled: its line starts at the plot, below the labels */
        if (p->row == row && m->left < p->right + 10 && p->left < m->right + 10)
            return false;
        if (p->row < row && p->x > m->left - 4 && p->x < m->right + 4)
            return false;
        if (p->row > row && m->x > p->left - 4 && m->x < p->right + 4)
            return false;
    }
    return true;
}

static void orient(struct marker *m, bool leftward)
{
    double w = ss_svg_text_width(m->text, TEXT_SIZE);
    m->leftward = leftward;
    m->left = leftward ? m->x - 4 - w : m->x + 4;
    m->right = leftward ? m->x - 4 : m->x + 4 + w;
}

/* Each marker, in time order or from the last back, takes the first row
 * where it fits on either side; one that fits nowhere keeps its line alone
 * (row LABEL_ROWS). Returns how many those are. */
static int assign(const struct layout *L, struct marker *m, int n, bool backward)
{
    struct marker *placed[MARKERS_MAX];
    struct marker done[MARKERS_MAX];
    int i, k, missed = 0;
    for (i = 0; i < n; i++) {
        struct marker *mk = &m[backward ? n - 1 - i : i];
        int row, side;
        for (k = 0; k < i; k++)
            done[k] = *placed[k];
        mk->row = -1;
        for (row = 0; row < L->max_rows && mk->row < 0; row++)
            for (side = 0; side < 2 && mk->row < 0; side++) {
                orient(mk, side == 1);
                if (mk->left >= 4 && mk->right <= WIDTH - 4 && row_free(done, i, mk, row))
                    mk->row = row;
            }
        if (mk->row < 0) {
            mk->row = LABEL_ROWS;
            missed++;
        }
        placed[i] = mk;
    }
    return missed;
}

/* The first time of each symptom, in time order, each in the first row
 * where it fits on either side; one that fits nowhere keeps its line. */
static void place_markers(struct layout *L, size_t p)
{
    const struct ss_lanes_panel *pn = &L->c->panel[p];
    struct marker *m = L->marker[p];
    int n = 0, s, i, j;
    for (s = 0; s < SS_SYMPTOMS; s++) {
        char clock[SS_TIME_TEXT];
        if (pn->symptom[s] == SS_NEVER || pn->symptom[s] > L->c->duration)
            continue;
        m[n].symptom = (enum ss_symptom)s;
        m[n].t = pn->symptom[s];
        m[n].x = x_of(L, pn->symptom[s]);
        snprintf(m[n].text, sizeof m[n].text, "%s %s", symptom_label[s],
                 ss_clock_hms(clock, L->c->clock, pn->symptom[s]));
        m[n].row = -1;
        n++;
    }
    for (i = 1; i < n; i++) /* in time order (insertion sort: seven at most) */
        for (j = i; j > 0 && m[j].t < m[j - 1].t; j--) {
            struct marker tmp = m[j];
            m[j] = m[j - 1];
            m[j - 1] = tmp;
        }
    /* In time order, then from the last back: the way that labels more. */
    {
        struct marker forward[MARKERS_MAX], backward[MARKERS_MAX];
        int missed_forward, missed_backward;
        memcpy(forward, m, (size_t)n * sizeof *m);
        memcpy(backward, m, (size_t)n * sizeof *m);
        missed_forward = assign(L, forward, n, false);
        missed_backward = assign(L, backward, n, true);
        memcpy(m, missed_backward < missed_forward ? backward : forward, (size_t)n * sizeof *m);
        L->unlabelled[p] = missed_backward < missed_forward ? missed_backward : missed_forward;
        for (i = 0; i < n; i++)
            if (m[i].row < LABEL_ROWS && m[i].row + 1 > L->rows)
                L->rows = m[i].row + 1;
    }
    L->n_markers[p] = n;
}

static void plan(struct layout *L, const struct ss_lanes_chart *c)
{
    double height;
    size_t p;
    memset(L, 0, sizeof *L);
    L->c = c;
    L->time_step = ss_svg_time_step(c->duration);
    L->first_tick = c->clock && c->clock->set
                        ? (L->time_step - c->clock->origin % L->time_step) % L->time_step
                        : 0;
    L->max_rows = c->n_panels > 1 ? 2 : LABEL_ROWS;
    for (p = 0; p < c->n_panels; p++)
        place_markers(L, p);
    height = (PANELS_BOTTOM - PANELS_TOP - PANEL_GAP * (double)(c->n_panels - 1)) /
             (double)c->n_panels;
    for (p = 0; p < c->n_panels; p++) {
        struct frame *fr = &L->frame[p];
        fr->top = PANELS_TOP + (double)p * (height + PANEL_GAP);
        fr->band_top = fr->top + HEADING_HEIGHT;
        fr->plot_top = fr->band_top + ROW_HEIGHT * L->rows + 4;
        fr->plot_bottom = fr->top + height;
    }
}

/* --------------------------------------------------------------- drawing */

static void draw_legend(FILE *f)
{
    const double y = 68;
    double x = PLOT_LEFT;
    int k;
    fputs("<g class=\"legend\">\n", f);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">a thread runs:</text>\n", x, y);
    x += ss_svg_text_width("a thread runs:", TEXT_SIZE) + 8;
    for (k = 0; k < SS_KINDS; k++) {
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"20\" height=\"16\" fill=\"%s\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n",
                x, y - 14, kind_colour[k], x + 25, y, kind_label[k]);
        x += 25 + ss_svg_text_width(kind_label[k], TEXT_SIZE) * 1.15 + 14;
    }
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">(pale: busy under half the time)</text>\n", x,
            y);
    x += ss_svg_text_width("(pale: busy under half the time)", TEXT_SIZE) + 8;
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
               "stroke-width=\"2\" stroke-dasharray=\"6 4\"/><text x=\"%.1f\" y=\"%.1f\">"
               "symptom</text>\n",
            x + 6, y - 16, x + 6, y + 3, MARKER_COLOUR, x + 14, y);
    fputs("</g>\n", f);
}

/* Thread numbers up the left: 1 and round numbers. */
static void draw_rows_axis(FILE *f, const struct ss_lanes *l, const struct frame *fr)
{
    static const long long steps[] = {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000,
                                      2000, 2500, 5000, 10000, 20000, 25000, 50000, 100000,
                                      200000, 250000, 500000};
    double h = (fr->plot_bottom - fr->plot_top) / (double)l->rows;
    long long step = 1000000, n;
    size_t i;
    for (i = 0; i < sizeof steps / sizeof *steps; i++)
        if (l->threads / steps[i] <= 5 &&
            (double)steps[i] / (double)l->per_row * h >= TEXT_SIZE + 4) {
            step = steps[i];
            break;
        }
    fputs("<g class=\"row-ticks\" text-anchor=\"end\">\n", f);
    for (n = 1; n <= l->threads; n = n == 1 && step > 1 ? step : n + step) {
        double y = fr->plot_bottom - ((double)((n - 1) / l->per_row) + 0.5) * h;
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%lld</text>\n", PLOT_LEFT - 8, y + 6, n);
    }
    fputs("</g>\n", f);
}

/* One row's bars: columns of one kind and shade joined. */
static void draw_row(FILE *f, const struct layout *L, const struct ss_lanes *l,
                     const struct frame *fr, long long row)
{
    const float *cell = l->busy + ((size_t)row * SS_LANES_COLUMNS) * SS_KINDS;
    double h = (fr->plot_bottom - fr->plot_top) / (double)l->rows;
    double y = fr->plot_bottom - (double)(row + 1) * h;
    double capacity = column_width(l) * (double)l->per_row, gap = h >= 4 ? 1 : 0;
    int kind[SS_LANES_COLUMNS], q[SS_LANES_COLUMNS];
    int c, k;
    for (c = 0; c < SS_LANES_COLUMNS; c++) {
        double total = 0, most = 0;
        kind[c] = SS_KINDS;
        for (k = 0; k < SS_KINDS; k++) {
            double v = cell[c * SS_KINDS + k];
            total += v;
            if (v > most) {
                most = v;
                kind[c] = k;
            }
        }
        q[c] = total <= 0 ? 0 : 2.0 * total >= capacity * (1 - 1e-9) ? 2 : 1;
    }
    for (c = 0; c < SS_LANES_COLUMNS;) {
        int end = c + 1;
        if (kind[c] == SS_KINDS) {
            c++;
            continue;
        }
        while (end < SS_LANES_COLUMNS && kind[end] == kind[c] && q[end] == q[c])
            end++;
        fprintf(f, "<rect class=\"bar\" data-kind=\"%s\" data-row=\"%lld\" "
                   "data-start-us=\"%lld\" data-end-us=\"%lld\" data-busy=\"%d\" x=\"%d\" "
                   "y=\"%.2f\" width=\"%d\" height=\"%.2f\" fill=\"%s\"%s/>\n",
                ss_kind_name((enum ss_kind)kind[c]), row,
                (long long)((double)c * column_width(l) + 0.5),
                (long long)((double)end * column_width(l) + 0.5), q[c], (int)PLOT_LEFT + c,
                y, end - c, h - gap, kind_colour[kind[c]],
                q[c] < 2 ? " fill-opacity=\"" PALE "\"" : "");
        c = end;
    }
    (void)L;
}

static void draw_down(FILE *f, const struct layout *L, const struct frame *fr,
                      const struct ss_lanes_panel *p)
{
    size_t i;
    for (i = 0; p->actions && i < L->c->n_actions; i++) {
        const struct ss_action *ac = &L->c->actions[i];
        ss_time end = p->actions[i].up == SS_NEVER ? L->c->duration : p->actions[i].up;
        double x0, x1;
        if ((ac->what != SS_ACT_RESTART_STORE && ac->what != SS_ACT_INSTALL_HOTFIX) ||
            p->actions[i].extended || ac->at > L->c->duration)
            continue;
        x0 = x_of(L, ac->at);
        x1 = x_of(L, end);
        fprintf(f, "<rect class=\"down\" data-start-us=\"%lld\" data-end-us=\"%lld\" "
                   "x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                (long long)ac->at, (long long)end, x0, fr->plot_top, x1 - x0 > 2 ? x1 - x0 : 2,
                fr->plot_bottom - fr->plot_top, DOWN_COLOUR);
    }
}

static void draw_actions(FILE *f, const struct layout *L, const struct frame *fr)
{
    size_t i;
    for (i = 0; i < L->c->n_actions; i++) {
        const struct ss_action *ac = &L->c->actions[i];
        double x = x_of(L, ac->at);
        if (ac->at > L->c->duration)
            continue;
        fprintf(f, "<g class=\"action\" data-action=\"%s\" data-name=\"",
                ss_action_word(ac->what));
        ss_svg_put_text(f, ac->name);
        fprintf(f, "\" data-time-us=\"%lld\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                   "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2.5\"/><title>",
                (long long)ac->at, x, fr->plot_top, x, fr->plot_bottom, ACTION_COLOUR);
        ss_svg_put_text(f, ac->name);
        fputs("</title></g>\n", f);
    }
}

static void draw_marker(FILE *f, const struct frame *fr, const struct marker *m)
{
    double base = fr->band_top + ROW_HEIGHT * (m->row + 1) - 4;
    fprintf(f, "<g class=\"symptom\" data-symptom=\"%s\" data-time-us=\"%lld\">\n",
            ss_symptom_key(m->symptom), (long long)m->t);
    if (m->row >= LABEL_ROWS) { /* no room for its label: the line alone */
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                   "stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n</g>\n",
                m->x, fr->plot_top, m->x, fr->plot_bottom, MARKER_COLOUR);
        return;
    }
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
               "stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n",
            m->x, base - 14, m->x, fr->plot_bottom, MARKER_COLOUR);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\"%s>", m->leftward ? m->x - 4 : m->x + 4, base,
            m->leftward ? " text-anchor=\"end\"" : "");
    ss_svg_put_text(f, m->text);
    fputs("</text>\n</g>\n", f);
}

static void draw_panel(FILE *f, const struct layout *L, size_t p)
{
    const struct ss_lanes_panel *pn = &L->c->panel[p];
    const struct ss_lanes *l = pn->lanes;
    const struct frame *fr = &L->frame[p];
    char note[160], n1[32];
    long long row;
    ss_time t;
    int m;
    fputs("<g class=\"lanes\" data-run=\"", f);
    ss_svg_put_text(f, pn->run);
    fprintf(f, "\" data-rows=\"%lld\" data-threads-per-row=\"%lld\" data-plot-left=\"%.1f\" "
               "data-plot-right=\"%.1f\" data-plot-top=\"%.2f\" data-plot-bottom=\"%.2f\">\n",
            l->rows, l->per_row, PLOT_LEFT, PLOT_RIGHT, fr->plot_top, fr->plot_bottom);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\">", PLOT_LEFT, fr->top + 18);
    ss_svg_put_text(f, pn->heading);
    fputs("</text>\n", f);
    if (l->per_row > 1)
        snprintf(note, sizeof note, "%s threads: a row is a band of %lld", 
                 ss_thousands(n1, (unsigned long long)l->threads), l->per_row);
    else if (L->n_markers[p] == 0)
        snprintf(note, sizeof note, "no symptom in this run");
    else if (L->unlabelled[p])
        snprintf(note, sizeof note, "%d %s not labelled: too close to others", L->unlabelled[p],
                 L->unlabelled[p] == 1 ? "symptom" : "symptoms");
    else
        note[0] = '\0';
    if (l->failed)
        snprintf(note, sizeof note, "out of memory: some tasks are missing");
    if (note[0])
        fprintf(f, "<text class=\"note\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                PLOT_RIGHT, fr->top + 18, note);
    fprintf(f, "<rect x=\"%.1f\" y=\"%.2f\" width=\"%.1f\" height=\"%.2f\" fill=\"#F4F4F4\"/>\n",
            PLOT_LEFT, fr->plot_top, PLOT_RIGHT - PLOT_LEFT, fr->plot_bottom - fr->plot_top);
    draw_down(f, L, fr, pn);
    fputs("<g class=\"grid\" stroke=\"#CCCCCC\" stroke-width=\"1\">\n", f);
    for (t = L->first_tick; t < L->c->duration; t += L->time_step)
        if (t > 0)
            fprintf(f, "<line x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\"/>\n", x_of(L, t),
                    fr->plot_top, x_of(L, t), fr->plot_bottom);
    fputs("</g>\n<g class=\"bars\">\n", f);
    for (row = 0; row < l->rows; row++)
        draw_row(f, L, l, fr, row);
    fputs("</g>\n", f);
    draw_rows_axis(f, l, fr);
    fprintf(f, "<rect x=\"%.1f\" y=\"%.2f\" width=\"%.1f\" height=\"%.2f\" fill=\"none\" "
               "stroke=\"#555555\" stroke-width=\"1\"/>\n",
            PLOT_LEFT, fr->plot_top, PLOT_RIGHT - PLOT_LEFT, fr->plot_bottom - fr->plot_top);
    draw_actions(f, L, fr);
    for (m = 0; m < L->n_markers[p]; m++)
        draw_marker(f, fr, &L->marker[p][m]);
    fputs("</g>\n", f);
}

static void draw_axes(FILE *f, const struct layout *L)
{
    const double bottom = L->frame[L->c->n_panels - 1].plot_bottom;
    char clock[SS_TIME_TEXT];
    ss_time t;
    fputs("<g class=\"time-axis\">\n", f);
    for (t = L->first_tick; t <= L->c->duration; t += L->time_step)
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555555\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                x_of(L, t), bottom, x_of(L, t), bottom + 5, x_of(L, t), bottom + 24,
                ss_svg_tick_text(clock, L->c->clock, t, L->time_step));
    fputs("</g>\n", f);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s (%s)</text>\n",
            (PLOT_LEFT + PLOT_RIGHT) / 2, bottom + 52,
            L->c->clock && L->c->clock->set ? "clock time" : "simulated time",
            L->time_step % SS_MINUTE ? "hours:minutes:seconds" : "hours:minutes");
    fprintf(f, "<text transform=\"translate(26,%.1f) rotate(-90)\" text-anchor=\"middle\">"
               "thread</text>\n",
            (PANELS_TOP + PANELS_BOTTOM) / 2);
}

void ss_lanes_write(FILE *f, const struct ss_lanes_chart *c)
{
    struct layout *L = malloc(sizeof *L);
    size_t p;
    assert(c->n_panels >= 1 && c->n_panels <= 2);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
               "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"%.0f\" "
               "fill=\"#222222\">\n<title>",
            WIDTH, HEIGHT, WIDTH, HEIGHT, TEXT_SIZE);
    ss_svg_put_text(f, c->title);
    fputs("</title>\n<desc>One row per thread of the store's task pool, thread 1 at the "
          "bottom; a bar for each stretch of time a thread ran a task, in the colour of its "
          "kind; the time of each symptom marked. Drawn by storesim.</desc>\n",
          f);
    fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", WIDTH, HEIGHT);
    ss_svg_draw_title(f, c->title, WIDTH - 40);
    draw_legend(f);
    if (!L) { /* no memory to lay it out: an empty but valid chart */
        fputs("<text x=\"640\" y=\"360\" text-anchor=\"middle\">out of memory</text>\n</svg>\n",
              f);
        return;
    }
    plan(L, c);
    for (p = 0; p < c->n_panels; p++)
        draw_panel(f, L, p);
    draw_axes(f, L);
    fputs("</svg>\n", f);
    free(L);
}
