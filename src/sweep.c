/*
 * sweep.c: runs over a grid of key values (see sweep.h). The report and the
 * CSV are sweep_report.c's.
 */
#include "storesim/sweep.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/estimate.h"

int ss_grid_init(struct ss_grid *g, const struct ss_vary *vary, size_t n_vary, char *err,
                 size_t err_size)
{
    size_t d, e;
    assert(n_vary >= 1);
    g->vary = vary;
    g->n_vary = n_vary;
    g->points = 1;
    for (d = 0; d < n_vary; d++) {
        for (e = 0; e < d; e++) {
            if (strcmp(vary[d].key, vary[e].key) == 0) {
                snprintf(err, err_size, "storesim: error: --vary: %s is varied twice",
                         vary[d].key);
                return -1;
            }
        }
        if (g->points * vary[d].points > SS_VARY_POINTS_MAX) {
            snprintf(err, err_size, "storesim: error: --vary: the grid has more than %d points; "
                                    "take larger steps or fewer keys",
                     SS_VARY_POINTS_MAX);
            return -1;
        }
        g->points *= vary[d].points;
    }
    return 0;
}

long ss_grid_coord(const struct ss_grid *g, long p, size_t d)
{
    size_t i;
    for (i = 0; i < d; i++)
        p /= g->vary[i].points;
    return p % g->vary[d].points;
}

/* The --set texts of one point: the sweep's own, then one per varied key. */
struct point_sets {
    const char **sets;
    char (*assign)[320];
};

static int resolve_point(const struct ss_sweep *sw, struct point_sets *ps, long p,
                         struct ss_scenario *sc, struct ss_error *err)
{
    const struct ss_grid *g = &sw->grid;
    size_t d;
    for (d = 0; d < g->n_vary; d++) {
        char value[64];
        snprintf(ps->assign[d], sizeof ps->assign[d], "%s=%s", g->vary[d].key,
                 ss_vary_text(&g->vary[d], ss_grid_coord(g, p, d), value, sizeof value));
        ps->sets[sw->n_sets + d] = ps->assign[d];
    }
    return ss_scenario_resolve(sw->file, ps->sets, sw->n_sets + g->n_vary, sc, err);
}

static int failure(struct ss_error *err, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->text, sizeof err->text, fmt, ap);
    va_end(ap);
    return rc;
}

/* Every point must resolve, and the whole grid must fit the event limit. */
static int check_points(const struct ss_sweep *sw, struct point_sets *ps, struct ss_error *err)
{
    struct ss_scenario sc;
    struct ss_estimate largest;
    double events = 0;
    long p, at = 0;
    memset(&largest, 0, sizeof largest);
    for (p = 0; p < sw->grid.points; p++) {
        struct ss_estimate est;
        if (resolve_point(sw, ps, p, &sc, err) != 0)
            return -1;
        ss_estimate_detail(&sc, &est);
        if (est.memory > largest.memory) {
            largest = est;
            at = p;
        }
        events += est.total * sw->replications;
        if (p == sw->grid.points - 1 && sw->events_limit > 0 && events > sw->events_limit) {
            failure(err, -1, "%s: error: this sweep of %ld points would process about %.1e "
                             "events in all, more than the limit of %.0e; take fewer points or "
                             "add --force to run it anyway",
                    sc.path, sw->grid.points, events, sw->events_limit);
            ss_scenario_free(&sc);
            return -1;
        }
        ss_scenario_free(&sc);
    }
    /* The runs go one after another: the largest point needs the most. */
    if (sw->memory_limit > 0 && largest.memory > sw->memory_limit) {
        char line[1024], point[640] = "";
        size_t d;
        if (resolve_point(sw, ps, at, &sc, err) != 0)
            return -1;
        for (d = 0; d < sw->grid.n_vary; d++)
            snprintf(point + strlen(point), sizeof point - strlen(point), "%s%s", d ? ", " : "",
                     ps->assign[d]);
        failure(err, -1, "%s (at the point %s)",
                ss_estimate_memory_refusal(line, sizeof line, &sc, &largest, sw->memory_limit),
                point);
        ss_scenario_free(&sc);
        return -1;
    }
    return 0;
}

static int sets_init(const struct ss_sweep *sw, struct point_sets *ps)
{
    size_t d;
    ps->sets = malloc((sw->n_sets + sw->grid.n_vary) * sizeof *ps->sets);
    ps->assign = malloc(sw->grid.n_vary * sizeof *ps->assign);
    if (!ps->sets || !ps->assign)
        return -1;
    for (d = 0; d < sw->n_sets; d++)
        ps->sets[d] = sw->sets[d];
    return 0;
}

static void sets_free(struct point_sets *ps)
{
    free(ps->sets);
    free(ps->assign);
}

int ss_sweep_check(const struct ss_sweep *sw, struct ss_error *err)
{
    struct point_sets ps;
    int rc = sets_init(sw, &ps) != 0 ? failure(err, -1, "storesim: error: out of memory")
                                     : check_points(sw, &ps, err);
    sets_free(&ps);
    return rc;
}

int ss_sweep_run(const struct ss_sweep *sw, struct ss_error *err)
{
    const struct ss_sweep_watcher *w = &sw->watcher;
    struct point_sets ps;
    struct ss_scenario sc;
    struct ss_run_metrics *runs;
    bool *starved;
    long p;
    int rc = 0;

    assert(sw->replications >= 1 && sw->replications <= SS_REPLICATIONS_MAX);
    starved = calloc((size_t)sw->grid.points, sizeof *starved);
    runs = malloc((size_t)sw->replications * sizeof *runs);
    if (sets_init(sw, &ps) != 0 || !starved || !runs) {
        rc = failure(err, -2, "storesim: error: out of memory");
        goto done;
    }

    for (p = 0; rc == 0 && p < sw->grid.points; p++) {
        struct ss_metrics_summary sum;
        char why[256];
        int i;
        if (!ss_shard_mine(&sw->shard, p))
            continue; /* another shard's */
        if (resolve_point(sw, &ps, p, &sc, err) != 0) {
            rc = -2; /* it resolved when checked: out of memory */
            break;
        }
        if (p == 0 && w->start)
            w->start(w->ctx, sw, &sc);
        if (sw->merged) {
            for (i = 0; i < sw->replications; i++)
                runs[i] = ss_parts_find(sw->merged, p, 0, i)->m;
        } else if (ss_replicate_runs(&sc, sw->replications, runs, sw->watch, why,
                                     sizeof why) != 0) {
            rc = failure(err, -2, "%s: %s", sc.path, why);
            ss_scenario_free(&sc);
            break;
        }
        ss_scenario_free(&sc);
        if (sw->part) {
            for (i = 0; i < sw->replications; i++)
                ss_part_run(sw->part, p, 0, i, &runs[i]);
            continue;
        }
        ss_metrics_summarize(runs, sw->replications, &sum);
        starved[p] = 2 * sum.symptom[SS_DELIVERY_STARVED].n >= sw->replications;
        if (w->point)
            w->point(w->ctx, sw, p, &sum);
    }
    if (rc == 0 && w->end)
        w->end(w->ctx, sw, starved);

done:
    sets_free(&ps);
    free(starved);
    free(runs);
    return rc;
}
