/*
 * variant.c: compare with variants (see variant.h).
 *
 * The tables are grids: a label column, then one column per run (or per
 * variant, for the changes), as many as fit in 80 columns; the rest go in a
 * further group below, under the same labels. A cell is 12 columns, so the
 * changes are said short ("never", "at 00:12:00", "+1,234"); compare without
 * variants keeps its own, longer, wording (compare.c).
 */
#include "storesim/variant.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/compare.h"
#include "storesim/report.h"
#include "storesim/text.h"
#include "storesim/totals.h"

/* ------------------------------------------------------------------ parse */

static bool name_char(char c)
{
    return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.';
}

static char *trim(char *s)
{
    char *end;
    while (*s == ' ' || *s == '\t')
        s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    return s;
}

int ss_variant_parse(const char *arg, struct ss_variant *out, char *why, size_t size)
{
    const char *colon = strchr(arg, ':');
    char *p, *start;
    size_t n;
    int depth = 0;
    memset(out, 0, sizeof *out);
    if (!colon) {
        snprintf(why, size, "--variant \"%.200s\": write it as \"NAME: KEY=VALUE, KEY=VALUE\", "
                 "for example \"mta: mta.enabled=true\"", arg);
        return -1;
    }
    while (*arg == ' ')
        arg++;
    for (n = (size_t)(colon - arg); n > 0 && arg[n - 1] == ' '; n--)
        ;
    if (n == 0 || n > SS_VARIANT_NAME_MAX) {
        snprintf(why, size, "--variant \"%.200s\": a variant's name is 1 to %d letters, digits, "
                 "'-', '_' or '.' before the colon", arg, SS_VARIANT_NAME_MAX);
        return -1;
    }
    memcpy(out->name, arg, n);
    out->name[n] = '\0';
    for (p = out->name; *p; p++)
        if (!name_char(*p)) {
            snprintf(why, size, "--variant \"%.200s\": a variant's name is 1 to %d letters, "
                     "digits, '-', '_' or '.' before the colon, not \"%s\"", arg,
                     SS_VARIANT_NAME_MAX, out->name);
            return -1;
        }
    if (strcmp(out->name, SS_BASELINE) == 0) {
        snprintf(why, size, "--variant \"%.200s\": \"%s\" is the name of the scenario as "
                 "written; give the variant another", arg, SS_BASELINE);
        return -1;
    }
    out->text = malloc(strlen(colon + 1) + 1);
    if (!out->text) {
        snprintf(why, size, "out of memory");
        return -1;
    }
    strcpy(out->text, colon + 1);
    /* Split at the commas outside parentheses: "uniform(20s, 60s)" is one value. */
    for (start = p = out->text;; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')' && depth > 0)
            depth--;
        if (*p != '\0' && (*p != ',' || depth > 0))
            continue;
        {
            bool last = *p == '\0';
            char *set;
            *p = '\0';
            set = trim(start);
            if (!strchr(set, '=')) {
                snprintf(why, size, "--variant %s: \"%.200s\" is not KEY=VALUE (a --set "
                         "assignment, such as store.threads=200)", out->name, set);
                return -1;
            }
            if (out->n_sets == SS_VARIANT_SETS_MAX) {
                snprintf(why, size, "--variant %s: at most %d assignments", out->name,
                         SS_VARIANT_SETS_MAX);
                return -1;
            }
            out->sets[out->n_sets++] = set;
            if (last)
                break;
            start = p + 1;
        }
    }
    return 0;
}

void ss_variant_free(struct ss_variant *v)
{
    free(v->text);
    v->text = NULL;
    v->n_sets = 0;
}

char *ss_variant_changes(const struct ss_variant *v, char *buf, size_t size)
{
    size_t i, n = 0;
    buf[0] = '\0';
    for (i = 0; i < v->n_sets && n < size; i++) {
        int w = snprintf(buf + n, size - n, "%s%s", i ? ", " : "", v->sets[i]);
        if (w < 0)
            break;
        n += (size_t)w;
    }
    return buf;
}

const char *ss_variant_name(const struct ss_variant_comparison *c, size_t i)
{
    return c->variant[i] ? c->variant[i]->name : SS_BASELINE;
}

/* ------------------------------------------------------------------ table */

#define LABEL 26
#define CELL 12
/* Columns in one group: "  " + LABEL + " " + n x (CELL + " ") <= 80. */
#define GROUP ((80 - 2 - LABEL - 1 + 1) / (CELL + 1))

typedef char cell[40];

/* One row of the grid: the label, then cells[first..first + n). */
static void grid_row(FILE *f, const char *label, cell *cells, size_t first, size_t n)
{
    size_t i;
    int pad;
    char line[256];
    int len = snprintf(line, sizeof line, "  %-*s", LABEL, label);
    for (i = first; i < first + n && len > 0 && len < (int)sizeof line; i++) {
        pad = i + 1 < first + n ? CELL : 0;
        len += snprintf(line + len, sizeof line - (size_t)len, " %-*s", pad, cells[i]);
    }
    fprintf(f, "%s\n", line);
}

static bool any_actions(const struct ss_variant_comparison *c)
{
    size_t i;
    for (i = 0; i < c->n; i++)
        if (c->res[i]->n_actions > 0)
            return true;
    return false;
}

/* A symptom time, or what never happened ("never", "not starved"). */
static void symptom_cell(cell out, const struct ss_clock *clock, const struct ss_results *r,
                         enum ss_symptom s)
{
    char t[SS_TIME_TEXT];
    if (r->symptom[s] == SS_NEVER)
        snprintf(out, sizeof(cell), "%s", ss_symptom_never(r, s));
    else
        snprintf(out, sizeof(cell), "%s", ss_clock_hms(t, clock, r->symptom[s]));
}

/* The symptom's change from the baseline b to the variant v, short. */
static void symptom_change(cell out, const struct ss_clock *clock, const struct ss_results *b,
                           const struct ss_results *v, enum ss_symptom s)
{
    ss_time tb = b->symptom[s], tv = v->symptom[s];
    char t[SS_TIME_TEXT];
    if (tb == tv)
        strcpy(out, "-");
    else if (tv == SS_NEVER && strcmp(ss_symptom_never(v, s), "never") != 0)
        strcpy(out, "not needed"); /* nothing to recover from */
    else if (tv == SS_NEVER)
        strcpy(out, "never");
    else if (tb == SS_NEVER)
        snprintf(out, sizeof(cell), "at %s", ss_clock_hms(t, clock, tv));
    else
        snprintf(out, sizeof(cell), "%c%s", tv > tb ? '+' : '-',
                 ss_time_hms(t, tv > tb ? tv - tb : tb - tv));
}

static void total_cell(cell out, enum ss_unit unit, double value)
{
    char t[SS_TIME_TEXT];
    switch (unit) {
    case SS_UNIT_COUNT:
        if (value < 0)
            strcpy(out, "-");
        else
            ss_thousands(out, (unsigned long long)value);
        break;
    case SS_UNIT_US:
        snprintf(out, sizeof(cell), "%s", ss_span_text(t, (ss_time)(value + 0.5)));
        break;
    case SS_UNIT_SHARE:
        snprintf(out, sizeof(cell), "%.1f%%", 100 * value);
        break;
    }
}

/* A total's change, between the values as shown (compare.c's rule). */
static void total_change(cell out, enum ss_unit unit, double b, double v)
{
    char t[SS_TIME_TEXT], pb[32], pv[32];
    switch (unit) {
    case SS_UNIT_COUNT: {
        long long lb = (long long)b, lv = (long long)v;
        if (lb == lv) {
            strcpy(out, "-");
        } else {
            out[0] = lv > lb ? '+' : '-';
            ss_thousands(pb, (unsigned long long)(lv > lb ? lv - lb : lb - lv));
            snprintf(out + 1, sizeof(cell) - 1, "%s", pb);
        }
        break;
    }
    case SS_UNIT_US: {
        ss_time sb = (ss_time)(b + 0.5), sv = (ss_time)(v + 0.5);
        if (sb == sv)
            strcpy(out, "-");
        else
            snprintf(out, sizeof(cell), "%c%s", sv > sb ? '+' : '-',
                     ss_span_text(t, sv > sb ? sv - sb : sb - sv));
        break;
    }
    case SS_UNIT_SHARE:
        sprintf(pb, "%.1f", 100 * b);
        sprintf(pv, "%.1f", 100 * v);
        if (strcmp(pb, pv) == 0)
            strcpy(out, "-");
        else
            snprintf(out, sizeof(cell), "%+.1f pts", strtod(pv, NULL) - strtod(pb, NULL));
        break;
    }
}

/* Columns first..first + n of a grid: runs (changes false) or the
 * variants' changes (changes true, column i for run i + 1). */
static void grid(FILE *f, const struct ss_variant_comparison *c, bool changes, size_t first,
                 size_t n)
{
    const struct ss_clock *clock = &c->sc[0]->clock;
    const struct ss_results *b = c->res[0];
    bool actions = any_actions(c);
    cell cells[SS_RUNS_MAX];
    size_t i, t;
    int s;
    for (i = first; i < first + n; i++)
        snprintf(cells[i], sizeof cells[i], "%s", ss_variant_name(c, i + changes));
    grid_row(f, changes ? "Change from the baseline" : "", cells, first, n);
    fputs(changes ? "Symptoms\n" : "Symptoms (simulated time)\n", f);
    for (s = 0; s < SS_SYMPTOMS; s++) {
        for (i = first; i < first + n; i++)
            if (changes)
                symptom_change(cells[i], clock, b, c->res[i + 1], (enum ss_symptom)s);
            else
                symptom_cell(cells[i], clock, c->res[i], (enum ss_symptom)s);
        grid_row(f, ss_symptom_label((enum ss_symptom)s), cells, first, n);
    }
    fputs("Totals\n", f);
    for (t = 0; t < ss_totals_count(); t++) {
        const struct ss_total_def *def = ss_total(t);
        if (!ss_total_in(t, SS_IN_COMPARE, actions))
            continue;
        for (i = first; i < first + n; i++)
            if (changes)
                total_change(cells[i], def->unit, ss_total_value(t, b),
                             ss_total_value(t, c->res[i + 1]));
            else
                total_cell(cells[i], def->unit, ss_total_value(t, c->res[i]));
        grid_row(f, def->label, cells, first, n);
    }
}

/* A grid of `columns` columns, in as few groups as fit 80 columns, as even
 * as can be (five runs: three, then two). */
static void grids(FILE *f, const struct ss_variant_comparison *c, bool changes, size_t columns)
{
    size_t groups = (columns + GROUP - 1) / GROUP, each = (columns + groups - 1) / groups;
    size_t first;
    for (first = 0; first < columns; first += each) {
        if (first)
            fputc('\n', f);
        grid(f, c, changes, first, columns - first < each ? columns - first : each);
    }
}

/* ---------------------------------------------------------------- verdict */

/* When the last mailbox of the last batch was moved; SS_NEVER if a batch
 * did not finish within the run. */
static ss_time moves_done(const struct ss_results *r)
{
    ss_time done = 0;
    size_t i;
    for (i = 0; i < r->n_batches; i++) {
        if (r->batches[i].done == SS_NEVER)
            return SS_NEVER;
        if (r->batches[i].done > done)
            done = r->batches[i].done;
    }
    return done;
}

static long long mailboxes(const struct ss_scenario *sc)
{
    long long n = 0;
    size_t i;
    for (i = 0; i < sc->n_moves; i++)
        n += sc->moves[i].mailboxes;
    return n;
}

/* "The moves finished at 02:05:11 (as written 02:22:10);", or how many
 * mailboxes were moved by the end when a batch did not finish. */
static void say_moves(struct ss_para *p, const struct ss_variant_comparison *c, size_t i)
{
    const struct ss_results *b = c->res[0], *v = c->res[i];
    ss_time tb = moves_done(b), tv = moves_done(v);
    const struct ss_clock *clock = &c->sc[0]->clock;
    char t[SS_TIME_TEXT], n[32], m[32];
    if (c->sc[i]->n_moves == 0)
        return;
    if (tv != SS_NEVER)
        ss_para_say(p, " The moves finished at %s", ss_clock_hms(t, clock, tv));
    else
        ss_para_say(p, " %s of %s mailboxes were moved by the end",
                    ss_thousands(n, v->moves.completed),
                    ss_thousands(m, (unsigned long long)mailboxes(c->sc[i])));
    if (c->sc[0]->n_moves == 0)
        ss_para_say(p, " (as written, none move)");
    else if (tb == tv && (tv != SS_NEVER || b->moves.completed == v->moves.completed))
        ss_para_say(p, ", as written");
    else if (tb != SS_NEVER)
        ss_para_say(p, " (as written they finished at %s)", ss_clock_hms(t, clock, tb));
    else
        ss_para_say(p, " (as written only %s of %s by the end)",
                    ss_thousands(n, b->moves.completed),
                    ss_thousands(m, (unsigned long long)mailboxes(c->sc[0])));
    ss_para_say(p, ";");
}

/* "at most 31 of 100 threads were busy at once (as written 100)." */
static void say_threads(struct ss_para *p, const struct ss_variant_comparison *c, size_t i,
                        bool sentence)
{
    const struct ss_results *b = c->res[0], *v = c->res[i];
    ss_para_say(p, " %s most %lld of %lld threads were busy at once", sentence ? "At" : "at",
                v->pool.max_busy, v->pool.threads);
    if (v->pool.threads != b->pool.threads)
        ss_para_say(p, " (as written %lld of %lld).", b->pool.max_busy, b->pool.threads);
    else if (v->pool.max_busy != b->pool.max_busy)
        ss_para_say(p, " (as written %lld).", b->pool.max_busy);
    else
        ss_para_say(p, ", as written.");
}

/* "for 2h44m21s in all" of run r, starting "at 00:45:58". */
static void say_starved(struct ss_para *p, const struct ss_clock *clock,
                        const struct ss_results *r)
{
    char t[SS_TIME_TEXT], s[SS_TIME_TEXT];
    ss_para_say(p, "at %s, for %s in all", ss_clock_hms(t, clock, r->symptom[SS_DELIVERY_STARVED]),
                ss_span_text(s, r->starved_us));
}

static void verdict_of(struct ss_para *p, const struct ss_variant_comparison *c, size_t i)
{
    const struct ss_clock *clock = &c->sc[0]->clock;
    const struct ss_results *b = c->res[0], *v = c->res[i];
    bool sb = ss_compare_starved(c->sc[0], b), sv = ss_compare_starved(c->sc[i], v);
    char changes[512];
    ss_para_say(p, "%s (%s)", c->variant[i]->name,
                ss_variant_changes(c->variant[i], changes, sizeof changes));
    if (sb && !sv) {
        ss_para_say(p, " kept local delivery from starving; as written it starved ");
        say_starved(p, clock, b);
        ss_para_say(p, ".");
    } else if (sb && sv) {
        ss_para_say(p, " did not keep local delivery from starving: it starved ");
        say_starved(p, clock, v);
        ss_para_say(p, " (as written ");
        say_starved(p, clock, b);
        ss_para_say(p, ").");
    } else if (!sv) {
        ss_para_say(p, ": local delivery did not starve, nor did it as written.");
    } else {
        ss_para_say(p, " made local delivery starve, ");
        say_starved(p, clock, v);
        ss_para_say(p, "; as written it did not.");
    }
    if (!sv && v->symptom[SS_DELIVERY_STARVED] != SS_NEVER)
        ss_para_say(p, " It starved only around a restart of the store, which no fix "
                       "prevents.");
    say_moves(p, c, i);
    say_threads(p, c, i, c->sc[i]->n_moves == 0);
}

/* ------------------------------------------------------------------ whole */

void ss_variant_heading(FILE *f, const struct ss_variant_comparison *c)
{
    const struct ss_scenario *sc = c->sc[0];
    char text[SS_SCENARIO_LINE_MAX * 3 + 96];
    snprintf(text, sizeof text, "storesim %s: compare %s (%s) with %lu %s",
             STORESIM_VERSION, sc->name, sc->path, (unsigned long)(c->n - 1),
             c->n == 2 ? "variant" : "variants");
    ss_wrap_after(f, "", text, 2);
}

void ss_variant_table(FILE *f, const struct ss_variant_comparison *c)
{
    char changes[512];
    size_t i;
    ss_wrap(f, "Compared: the scenario as written (\"baseline\") and each variant below, which "
            "changes only what it names, all with the same seed and the same random numbers, "
            "so the same messages and requests arrive at the same instants in every run and "
            "each difference from the baseline is the variant's doing.",
            0);
    fputs("\nVariants\n", f);
    for (i = 1; i < c->n; i++) {
        char lead[SS_VARIANT_NAME_MAX + 8];
        snprintf(lead, sizeof lead, "  %-*s ", SS_VARIANT_NAME_MAX, c->variant[i]->name);
        ss_wrap_after(f, lead, ss_variant_changes(c->variant[i], changes, sizeof changes),
                      (int)strlen(lead));
    }
    fputc('\n', f);
    grids(f, c, false, c->n);
    fputc('\n', f);
    grids(f, c, true, c->n - 1);
}

void ss_variant_verdict(FILE *f, const struct ss_variant_comparison *c)
{
    struct ss_para p;
    size_t i;
    for (i = 1; i < c->n; i++) {
        ss_para_clear(&p);
        verdict_of(&p, c, i);
        if (i > 1)
            fputc('\n', f);
        ss_wrap(f, p.text, 2);
    }
}

void ss_variant_text(FILE *f, const struct ss_variant_comparison *c)
{
    ss_variant_heading(f, c);
    fputc('\n', f);
    ss_report_scenario(f, c->sc[0]);
    fputc('\n', f);
    ss_variant_table(f, c);
    fputs("\nVerdict\n", f);
    ss_variant_verdict(f, c);
}

void ss_variant_json(struct ss_json *j, const struct ss_variant_comparison *c)
{
    size_t i;
    ss_json_begin_object(j, NULL);
    for (i = 0; i < c->n; i++)
        ss_report_json(j, ss_variant_name(c, i), c->sc[i], c->res[i]);
    ss_json_end_object(j);
}
