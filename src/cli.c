/*
 * cli.c: storesim's commands (SPEC section 4).
 *
 * Order of work, so that bad input never leaves anything behind: parse the
 * arguments, load and check the scenario, and only then open the outputs,
 * run, and commit the outputs (each renamed into place when complete).
 */
#include "storesim/cli.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "storesim/compare.h"
#include "storesim/csv.h"
#include "storesim/escape.h"
#include "storesim/estimate.h"
#include "storesim/help.h"
#include "storesim/html.h"
#include "storesim/json.h"
#include "storesim/lanes.h"
#include "storesim/os.h"
#include "storesim/trace_events.h"
#include "storesim/output.h"
#include "storesim/report.h"
#include "storesim/scenario.h"
#include "storesim/replicate.h"
#include "storesim/replicate_report.h"
#include "storesim/sim.h"
#include "storesim/svg.h"
#include "storesim/sweep.h"
#include "storesim/sweep_report.h"
#include "storesim/shard.h"
#include "storesim/trace.h"
#include "storesim/variant.h"
#include "storesim/value.h"
#include "storesim/version.h"

/* The signal flag lives in the operating-system layer (os.h). */
void ss_cli_on_signal(int sig)
{
    ss_os_signal_note(sig);
}

/* Runs estimated above this many events show their progress on stderr. C99
 * cannot ask whether stderr is a terminal, so the length of the run decides:
 * about ten seconds and more (docs/cli.md). */
#define PROGRESS_EVENTS 2e8

struct progress {
    FILE *err;      /* NULL: no progress lines */
    ss_time end;
    time_t started; /* wall clock */
    int shown;      /* tenths shown so far */
    FILE *out;      /* a stream written as the run goes (the report's, the
                       trace's); NULL: none. A write to it that failed (a reader
                       gone: a broken pipe) stops the run. */
    FILE *trace;
    bool broken;    /* it did */
};

/* Between stretches of a run: stop if interrupted or if what the run writes
 * can no longer be written, else show the progress every 10% of simulated
 * time. */
static int check_progress(void *ctx, ss_time now, uint64_t events)
{
    struct progress *p = ctx;
    (void)events;
    if ((p->out && ferror(p->out)) || (p->trace && ferror(p->trace))) {
        p->broken = true;
        return 1;
    }
    if (p->err && now < p->end && now * 10 / p->end > p->shown) {
        char line[160];
        p->shown = (int)(now * 10 / p->end);
        fprintf(p->err, "%s\n",
                ss_progress_text(line, sizeof line, now, p->end,
                                 difftime(time(NULL), p->started)));
    }
    return ss_os_signal_caught() != 0;
}

struct options {
    const char *command;
    const char *scenario;
    const char **sets;
    size_t n_sets;
    const char *json, *csv, *svg;
    const char *lanes, *trace_events, *html; /* every thread, the timeline viewers, a page */
    unsigned show;         /* --show: the parts of the report (report.h); 0: all */
    bool trace_asked;      /* --trace itself (not implied by --from, --to, --only) */
    const char *trace;     /* NULL: no trace; "-": standard output */
    ss_time from, to;      /* trace window; to = SS_NEVER: to the end */
    const char *from_text, *to_text; /* as given: read again on the scenario's clock */
    unsigned only;         /* trace topics */
    bool quiet;
    bool force;            /* run even above SS_EVENTS_LIMIT */
    long long replications;
    struct ss_vary *vary;  /* sweep */
    size_t n_vary;
    struct ss_shard shard; /* --shard K/N: only this share of the runs, into a part */
    struct ss_parts *merged; /* merge: the runs come from these parts */
    const char **part_paths; /* ... read from these files, inputs like the scenario */
    size_t n_parts;
    int argc;              /* the command line, for a part to record */
    char **argv;
    struct ss_variant *variant; /* compare --variant, in the order given */
    size_t n_variants;
    struct ss_scenario *variant_sc; /* each resolved (command()), or NULL */
};

static int usage_error(FILE *err, const char *fmt, ...)
{
    char text[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    ss_line(err, "storesim: error: %s (try storesim --help)", text);
    return SS_EXIT_USAGE;
}

/* --from and --to: a point in time, a duration from the start or a time as
 * the reports write it (value.h). Read once without the scenario's clock to
 * find a bad one early, and again with it once the scenario is known. */
static int parse_time_option(FILE *err, const char *name, const char *text,
                             const struct ss_clock *clock, ss_time *out)
{
    char why[SS_ERR_TEXT];
    if (ss_parse_instant(text, clock, out, why) != 0) {
        ss_line(err, "storesim: error: %s %s: %s", name, text, why);
        return SS_EXIT_USAGE;
    }
    return 0;
}

/* ---- the options: one table, one small function each ------------------ */

static int take_set(struct options *o, const char *value, FILE *err)
{
    (void)err;
    o->sets[o->n_sets++] = value;
    return 0;
}

/* An output file: a name, or - for standard output; never empty. */
static int take_file(const char **field, const char *option, const char *value, FILE *err)
{
    if (!*value)
        return usage_error(err, "%s needs a file name, or - for standard output", option);
    *field = value;
    return 0;
}

static int take_json(struct options *o, const char *value, FILE *err)
{
    return take_file(&o->json, "--json", value, err);
}

static int take_csv(struct options *o, const char *value, FILE *err)
{
    return take_file(&o->csv, "--csv", value, err);
}

static int take_svg(struct options *o, const char *value, FILE *err)
{
    return take_file(&o->svg, "--svg", value, err);
}

static int take_lanes(struct options *o, const char *value, FILE *err)
{
    return take_file(&o->lanes, "--lanes", value, err);
}

static int take_trace_events(struct options *o, const char *value, FILE *err)
{
    return take_file(&o->trace_events, "--trace-events", value, err);
}

static int take_html(struct options *o, const char *value, FILE *err)
{
    return take_file(&o->html, "--html", value, err);
}

static int take_show(struct options *o, const char *value, FILE *err)
{
    char why[SS_ERR_TEXT];
    /* compare's parts are checked again once the command is known */
    if (ss_parse_parts(value, strcmp(o->command, "compare") == 0, &o->show, why,
                       sizeof why) != 0) {
        ss_line(err, "storesim: error: %s", why); /* the value may hold a line break */
        return SS_EXIT_USAGE;
    }
    return 0;
}

/* --trace alone is standard output; --trace=FILE a file. */
static int take_trace(struct options *o, const char *value, FILE *err)
{
    (void)err;
    o->trace_asked = true;
    o->trace = value ? value : "-";
    return 0;
}

static int take_from(struct options *o, const char *value, FILE *err)
{
    o->from_text = value;
    return parse_time_option(err, "--from", value, NULL, &o->from);
}

/* --to includes every line the trace prints at that time: the trace shows
 * milliseconds, truncated, so a whole millisecond covers its 999 us after. */
static int parse_to(FILE *err, const char *text, const struct ss_clock *clock, ss_time *to)
{
    if (parse_time_option(err, "--to", text, clock, to) != 0)
        return SS_EXIT_USAGE;
    if (*to % SS_MS == 0 && *to <= SS_TIME_MAX - SS_MS)
        *to += SS_MS - 1;
    return 0;
}

static int take_to(struct options *o, const char *value, FILE *err)
{
    o->to_text = value;
    return parse_to(err, value, NULL, &o->to);
}

static int take_only(struct options *o, const char *value, FILE *err)
{
    char why[SS_ERR_TEXT];
    if (ss_trace_parse_topics(value, &o->only, why, sizeof why) != 0) {
        ss_line(err, "storesim: error: %s", why); /* the value may hold a line break */
        return SS_EXIT_USAGE;
    }
    return 0;
}

static int take_quiet(struct options *o, const char *value, FILE *err)
{
    (void)value;
    (void)err;
    o->quiet = true;
    return 0;
}

static int take_force(struct options *o, const char *value, FILE *err)
{
    (void)value;
    (void)err;
    o->force = true;
    return 0;
}

static int take_replications(struct options *o, const char *value, FILE *err)
{
    char why[SS_ERR_TEXT];
    if (ss_parse_int(value, 1, SS_REPLICATIONS_MAX, &o->replications, why) != 0) {
        ss_line(err, "storesim: error: --replications %s: %s", value, why);
        return SS_EXIT_USAGE;
    }
    return 0;
}

static int take_shard(struct options *o, const char *value, FILE *err)
{
    char why[128];
    if (ss_shard_parse(value, &o->shard, why, sizeof why) != 0) {
        ss_line(err, "storesim: error: --shard %s: %s", value, why);
        return SS_EXIT_USAGE;
    }
    return 0;
}

static int take_variant(struct options *o, const char *value, FILE *err)
{
    char why[SS_ERR_TEXT * 2];
    size_t i;
    if (o->n_variants == SS_VARIANTS_MAX)
        return usage_error(err, "at most %d --variant options: each is one more run and one "
                                "more column", SS_VARIANTS_MAX);
    if (ss_variant_parse(value, &o->variant[o->n_variants], why, sizeof why) != 0) {
        ss_variant_free(&o->variant[o->n_variants]);
        ss_line(err, "storesim: error: %s", why); /* the value may hold a line break */
        return SS_EXIT_USAGE;
    }
    for (i = 0; i < o->n_variants; i++)
        if (strcmp(o->variant[i].name, o->variant[o->n_variants].name) == 0) {
            ss_variant_free(&o->variant[o->n_variants]);
            return usage_error(err, "two variants are named %s: give each its own name",
                               o->variant[i].name);
        }
    o->n_variants++;
    return 0;
}

static int take_vary(struct options *o, const char *value, FILE *err)
{
    char why[SS_ERR_TEXT * 2];
    if (ss_vary_parse(value, &o->vary[o->n_vary++], why, sizeof why) != 0) {
        ss_line(err, "storesim: error: %s", why); /* it names the --vary */
        return SS_EXIT_USAGE;
    }
    return 0;
}

enum takes {
    FLAG,     /* --quiet */
    VALUE,    /* --json FILE or --json=FILE */
    ATTACHED  /* --trace or --trace=FILE: a value only after '=' */
};

struct option_def {
    const char *name;
    enum takes takes;
    int (*take)(struct options *o, const char *value, FILE *err); /* value NULL: none */
};

static const struct option_def option_table[] = {
    {"--set", VALUE, take_set},
    {"--json", VALUE, take_json},
    {"--csv", VALUE, take_csv},
    {"--svg", VALUE, take_svg},
    {"--lanes", VALUE, take_lanes},
    {"--trace-events", VALUE, take_trace_events},
    {"--html", VALUE, take_html},
    {"--show", VALUE, take_show},
    {"--trace", ATTACHED, take_trace},
    {"--from", VALUE, take_from},
    {"--to", VALUE, take_to},
    {"--only", VALUE, take_only},
    {"--quiet", FLAG, take_quiet},
    {"--force", FLAG, take_force},
    {"--replications", VALUE, take_replications},
    {"--vary", VALUE, take_vary},
    {"--variant", VALUE, take_variant},
    {"--shard", VALUE, take_shard},
};

static const struct option_def *find_option(const char *arg)
{
    size_t i, n;
    for (i = 0; i < sizeof option_table / sizeof option_table[0]; i++) {
        const struct option_def *d = &option_table[i];
        n = strlen(d->name);
        if (strncmp(arg, d->name, n) == 0 &&
            (arg[n] == '\0' || (arg[n] == '=' && d->takes != FLAG)))
            return d;
    }
    return NULL;
}

/* `storesim COMMAND ... --help`: is --help (or -h) among the arguments, as
 * an option and not as the value of another (--set --help sets nothing, and
 * asks for no help)? */
static bool wants_help(int argc, char **argv)
{
    int i;
    for (i = 2; i < argc; i++) {
        const struct option_def *d = find_option(argv[i]);
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
        if (d && d->takes == VALUE && argv[i][strlen(d->name)] == '\0')
            i++; /* its value */
    }
    return false;
}

/* One option at argv[*i] (and its value, which may be the next argument). */
static int take_option(int argc, char **argv, int *i, struct options *o, FILE *err)
{
    const char *arg = argv[*i];
    const struct option_def *d = find_option(arg);
    size_t n;
    if (!d) {
        char known[300];
        ss_line(err, "storesim: error: unknown option %s: %s takes %s (try storesim help %s)", arg,
                o->command, ss_help_options(o->command, known, sizeof known), o->command);
        return SS_EXIT_USAGE;
    }
    n = strlen(d->name);
    switch (d->takes) {
    case FLAG:
        return d->take(o, NULL, err);
    case ATTACHED:
        if (arg[n] == '=' && arg[n + 1] == '\0')
            return usage_error(err, "%s needs a file name after =", arg);
        return d->take(o, arg[n] == '=' ? arg + n + 1 : NULL, err);
    case VALUE:
        break;
    }
    if (arg[n] == '=')
        return d->take(o, arg + n + 1, err);
    if (*i + 1 >= argc)
        return usage_error(err, "%s needs a value", d->name);
    return d->take(o, argv[++*i], err);
}

/* Options that make no sense together are refused, not ignored. */
static int check_combinations(const struct options *o, FILE *err)
{
    bool sweep = strcmp(o->command, "sweep") == 0;
    bool views = o->lanes || o->trace_events || o->html;
    if (strcmp(o->command, "check") == 0 && (views || o->show))
        return usage_error(err, "check takes only --set: it runs nothing and writes nothing");
    if (views && (sweep || o->replications > 1))
        return usage_error(err, "--lanes, --trace-events and --html describe one run (or a "
                                "compare): leave them out of %s", sweep ? "a sweep"
                                                                         : "--replications");
    if (o->show && (sweep || o->replications > 1))
        return usage_error(err, "--show picks parts of the report of run and compare");
    if (o->show && o->quiet)
        return usage_error(err, "--show prints parts of the report, --quiet none: give one");
    if (o->n_variants && strcmp(o->command, "compare") != 0)
        return usage_error(err, "--variant belongs to the compare command (storesim compare %s "
                                "--variant ...)", o->scenario);
    if (o->n_variants && views)
        return usage_error(err, "--lanes, --trace-events and --html show one run or the hotfix "
                                "pair, not variants: run a variant on its own with its --set "
                                "assignments to see it");
    if (sweep && o->n_vary == 0)
        return usage_error(err, "sweep needs at least one --vary KEY=FROM:TO:STEP");
    if (!sweep && o->n_vary)
        return usage_error(err, "--vary belongs to the sweep command (storesim sweep %s ...)",
                           o->scenario);
    if (sweep && (o->json || o->svg || o->trace))
        return usage_error(err, "sweep writes its table and --csv only (not --json, --svg or "
                                "--trace)");
    if (!sweep && o->replications > 1 && (o->csv || o->svg || o->trace))
        return usage_error(err, "--csv, --svg and --trace describe one run: leave them out "
                                "with --replications");
    if (o->shard.n && !sweep && o->replications < 2)
        return usage_error(err, "--shard splits a sweep or --replications R: this command "
                                "makes one run");
    if (o->shard.n && (o->json || o->csv || o->svg || o->trace))
        return usage_error(err, "with --shard the part goes to standard output: give --json "
                                "and --csv to storesim merge, which writes them whole");
    return 0;
}

static void free_options(struct options *o)
{
    size_t i;
    for (i = 0; i < o->n_variants; i++) {
        ss_variant_free(&o->variant[i]);
        if (o->variant_sc)
            ss_scenario_free(&o->variant_sc[i]);
    }
    free(o->variant_sc);
    free(o->variant);
    free(o->sets);
    free(o->vary);
}

static int parse_args(int argc, char **argv, struct options *o, FILE *err)
{
    int i;
    memset(o, 0, sizeof *o);
    o->to = SS_NEVER;
    o->only = SS_TOPICS_ALL;
    o->replications = 1;
    o->command = argv[1];
    o->argc = argc;
    o->argv = argv;
    if (!ss_help_is_command(o->command))
        return usage_error(err, "unknown command \"%s\": the commands are %s", o->command,
                           ss_help_commands());
    o->sets = malloc((size_t)argc * sizeof *o->sets);
    o->vary = malloc((size_t)argc * sizeof *o->vary);
    o->variant = calloc(SS_VARIANTS_MAX, sizeof *o->variant);
    if (!o->sets || !o->vary || !o->variant) {
        fputs("storesim: error: out of memory\n", err);
        return SS_EXIT_FAILURE;
    }
    for (i = 2; i < argc; i++) {
        const char *arg = argv[i];
        int status;
        if (arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (o->scenario && strcmp(argv[i - 1], "--trace") == 0)
                return usage_error(err, "one scenario at a time (also given: %s); to trace to "
                                        "a file, write --trace=FILE", arg);
            if (o->scenario)
                return usage_error(err, "one scenario at a time (also given: %s)", arg);
            o->scenario = arg;
            continue;
        }
        status = take_option(argc, argv, &i, o, err);
        if (status)
            return status;
    }
    if (!o->scenario)
        return usage_error(err, "%s needs a scenario file", o->command);
    if (strcmp(o->command, "check") == 0 &&
        (o->json || o->csv || o->svg || o->trace || o->quiet || o->from || o->to != SS_NEVER ||
         o->only != SS_TOPICS_ALL || o->force || o->replications > 1 || o->n_vary ||
         o->shard.n))
        return usage_error(err, "check takes only --set: it runs nothing and writes nothing");
    /* A trace window or filter asks for a trace. */
    if (!o->trace && (o->from || o->to != SS_NEVER || o->only != SS_TOPICS_ALL))
        o->trace = "-";
    if (o->to != SS_NEVER && o->to < o->from)
        return usage_error(err, "--to comes before --from");
    /* With --trace-events, the window and kinds are its own: no text trace
     * unless --trace asks for one. */
    if (o->trace_events && !o->trace_asked)
        o->trace = NULL;
    return check_combinations(o, err);
}

/* The outputs of one command: checked before the run, opened just before
 * it, committed all or none when it is done (output.h). */
enum { OUT_TRACE, OUT_CSV, OUT_SVG, OUT_JSON, OUT_LANES, OUT_TRACE_EVENTS, OUT_HTML, OUTPUTS };

struct outputs {
    struct ss_outputs set;
};

static void output_args(const struct options *o, struct ss_file_arg arg[OUTPUTS])
{
    arg[OUT_TRACE].label = "--trace";
    arg[OUT_TRACE].path = o->trace;
    arg[OUT_CSV].label = "--csv";
    arg[OUT_CSV].path = o->csv;
    arg[OUT_SVG].label = "--svg";
    arg[OUT_SVG].path = o->svg;
    arg[OUT_JSON].label = "--json";
    arg[OUT_JSON].path = o->json;
    arg[OUT_LANES].label = "--lanes";
    arg[OUT_LANES].path = o->lanes;
    arg[OUT_TRACE_EVENTS].label = "--trace-events";
    arg[OUT_TRACE_EVENTS].path = o->trace_events;
    arg[OUT_HTML].label = "--html";
    arg[OUT_HTML].path = o->html;
}

/* Before anything runs: exit 2 for an output that is the scenario or
 * another output, 1 for one that cannot be written. */
static int check_outputs(const struct options *o, FILE *err)
{
    struct ss_file_arg arg[OUTPUTS], *in = malloc((1 + o->n_parts) * sizeof *in);
    char why[1024];
    size_t i;
    int status;
    if (!in) {
        fputs("storesim: error: out of memory\n", err);
        return SS_EXIT_FAILURE;
    }
    output_args(o, arg);
    in[0].label = "the scenario";
    in[0].path = o->scenario;
    for (i = 0; i < o->n_parts; i++) { /* merge: no output may replace a part */
        in[1 + i].label = "a part";
        in[1 + i].path = o->part_paths[i];
    }
    status = ss_outputs_check(arg, OUTPUTS, in, 1 + o->n_parts, why, sizeof why);
    free(in);
    if (status != SS_OUTPUTS_OK)
        ss_line(err, "storesim: error: %s", why);
    return status == SS_OUTPUTS_BAD_NAME ? SS_EXIT_USAGE : status ? SS_EXIT_FAILURE : 0;
}

static void abort_outputs(struct outputs *out)
{
    ss_outputs_abort(&out->set);
}

static int open_outputs(struct outputs *out, const struct options *o, FILE *stream, FILE *err)
{
    struct ss_file_arg arg[OUTPUTS];
    char why[1024];
    int status;
    output_args(o, arg);
    status = ss_outputs_open(&out->set, arg, OUTPUTS, stream, why, sizeof why);
    if (status != SS_OUTPUTS_OK) {
        ss_line(err, "storesim: error: %s", why);
        return status == SS_OUTPUTS_BAD_NAME ? SS_EXIT_USAGE : SS_EXIT_FAILURE;
    }
    return 0;
}

/* The report has reached standard output? */
static int report_written(FILE *out, FILE *err)
{
    if (fflush(out) != 0 || ferror(out)) {
        fputs("storesim: error: cannot write the report to standard output\n", err);
        return SS_EXIT_FAILURE;
    }
    return 0;
}

/* The report first (its own message), then every output, all or none. */
static int commit_outputs(struct outputs *out, FILE *stream, FILE *err)
{
    char why[1024];
    if (report_written(stream, err) != 0) {
        abort_outputs(out);
        return SS_EXIT_FAILURE;
    }
    if (ss_outputs_commit(&out->set, why, sizeof why) != 0) {
        ss_line(err, "storesim: error: %s", why);
        return SS_EXIT_FAILURE;
    }
    return 0;
}

/* Where an output goes; "-" is the command's own standard output. */
static FILE *stream_of(struct outputs *files, int which)
{
    return ss_outputs_stream(&files->set, (size_t)which);
}

/* The runs of one command: one for run, before and after for compare, the
 * baseline and each variant for compare --variant. */
struct runs {
    int n;
    bool compare;
    const struct ss_variant *variant;      /* compare --variant: run i > 0 is variant[i - 1] */
    bool progress;                         /* show progress lines on stderr */
    const struct ss_scenario *sc[SS_RUNS_MAX];
    struct ss_results res[SS_RUNS_MAX];
    struct ss_series series[SS_RUNS_MAX];  /* for --svg and --html */
    struct ss_lanes lanes[SS_RUNS_MAX];    /* for --lanes and --html */
    char heading[SS_RUNS_MAX][SS_SVG_TITLE_MAX]; /* variants: "NAME: what it changes" */
    struct ss_trace_events *tev;           /* --trace-events; NULL: none */
    uint64_t events;
    double seconds;                        /* processor time, all runs */
};

/* What watches a run as it goes: the CSV rows and the chart's series. */
struct sampler {
    FILE *csv;                 /* NULL: no --csv */
    const struct ss_clock *clock;
    const char *run;           /* the CSV's run column; NULL for run */
    struct ss_series *series;  /* NULL: no --svg */
    struct ss_trace_events *tev; /* NULL: no --trace-events */
};

/* Who watches every thread: the lanes, the trace events, or both. */
struct task_watch {
    struct ss_lanes *lanes;
    struct ss_trace_events *events;
};

static void watch_task(void *ctx, const struct ss_task_note *note)
{
    struct task_watch *w = ctx;
    if (w->lanes)
        ss_lanes_note(w->lanes, note);
    if (w->events)
        ss_trace_events_note(w->events, note);
}

static void take_sample(void *ctx, const struct ss_sample *sample)
{
    struct sampler *s = ctx;
    if (s->csv)
        ss_csv_row(s->csv, s->run, s->clock, sample);
    if (s->series)
        ss_series_add(s->series, sample);
    if (s->tev)
        ss_trace_events_sample(s->tev, sample);
}

/* Run i's name in the CSV, the chart and the warnings: NULL for run. */
static const char *run_label(const struct runs *r, int i)
{
    if (r->variant)
        return i ? r->variant[i - 1].name : SS_BASELINE;
    return r->compare ? ss_compare_label(i) : NULL;
}

/* The heading of a run's trace: which run, and its scenario. */
static void start_trace(FILE *f, const struct runs *r, int i)
{
    const struct ss_scenario *sc = r->sc[i];
    if (r->variant)
        ss_line(f, "Trace of %s (%s), %s", sc->name, sc->path, r->heading[i]);
    else if (r->compare)
        ss_line(f, "Trace of %s (%s), %s: %s the KB 924567 hotfix", sc->name, sc->path,
                ss_compare_label(i), i == SS_BEFORE ? "without" : "with");
    else
        ss_line(f, "Trace of %s (%s)", sc->name, sc->path);
    fputc('\n', f);
    ss_report_scenario(f, sc);
    fputs("\n", f);
}

/* Simulate run i with the trace and the sampler the options ask for. */
static int simulate(const struct options *o, struct outputs *files, struct runs *r, int i,
                    FILE *out, FILE *err)
{
    struct ss_sim_options sim;
    struct progress prog;
    struct ss_trace trace;
    struct sampler sampler;
    struct task_watch watch;
    char why[256];
    clock_t started;
    memset(&sim, 0, sizeof sim);
    memset(&prog, 0, sizeof prog);
    prog.err = r->progress ? err : NULL;
    prog.end = r->sc[i]->duration;
    prog.started = time(NULL);
    prog.out = out;
    sim.on_progress = check_progress;
    sim.progress_ctx = &prog;
    if (o->trace) {
        ss_trace_init(&trace, stream_of(files, OUT_TRACE));
        trace.from = o->from;
        trace.to = o->to;
        trace.topics = o->only;
        trace.clock = &r->sc[i]->clock;
        sim.trace = &trace;
        prog.trace = trace.f;
        start_trace(trace.f, r, i);
    }
    if (o->csv || o->svg || o->html || r->tev) {
        sampler.csv = o->csv ? stream_of(files, OUT_CSV) : NULL;
        sampler.clock = &r->sc[i]->clock;
        sampler.run = run_label(r, i);
        sampler.series = o->svg || o->html ? &r->series[i] : NULL;
        sampler.tev = r->tev;
        sim.on_sample = take_sample;
        sim.sample_ctx = &sampler;
    }
    if (o->lanes || o->html || r->tev) {
        watch.lanes = o->lanes || o->html ? &r->lanes[i] : NULL;
        watch.events = r->tev;
        sim.on_task = watch_task;
        sim.task_ctx = &watch;
        sim.task_titles = r->tev != NULL;
    }
    if (r->tev) {
        char name[SS_SCENARIO_LINE_MAX + 64];
        if (r->compare)
            snprintf(name, sizeof name, "%s, %s: %s the KB 924567 hotfix", r->sc[i]->name,
                     ss_compare_label(i), i == SS_BEFORE ? "without" : "with");
        else
            snprintf(name, sizeof name, "%s", r->sc[i]->name);
        ss_trace_events_run(r->tev, i + 1, name, r->sc[i]->duration, o->from, o->to,
                            o->only);
    }
    started = clock();
    if (ss_simulate(r->sc[i], &sim, &r->res[i], why, sizeof why) != 0) {
        if (prog.broken)
            fputs("storesim: error: the report could not be written (its reader has gone: a "
                  "broken pipe?); stopped\n", err);
        else
            fprintf(err, "storesim: error: %s\n", why);
        return SS_EXIT_FAILURE;
    }
    r->seconds += (double)(clock() - started) / CLOCKS_PER_SEC;
    r->events += r->res[i].events;
    if (o->lanes || o->html)
        ss_lanes_finish(&r->lanes[i]);
    if (r->tev)
        ss_trace_events_end_run(r->tev, r->sc[i], &r->res[i]);
    {
        size_t w;
        for (w = 0; w < r->res[i].n_warnings; w++)
            if (r->compare)
                ss_line(err, "%s (%s)", r->res[i].warnings[w], run_label(r, i));
            else
                ss_line(err, "%s", r->res[i].warnings[w]);
    }
    if (o->trace)
        fputs("\n", trace.f);
    return 0;
}

static struct ss_comparison comparison_of(const struct runs *r)
{
    struct ss_comparison c;
    int i;
    for (i = 0; i < SS_COMPARED; i++) {
        c.sc[i] = r->sc[i];
        c.res[i] = &r->res[i];
    }
    return c;
}

static struct ss_variant_comparison variants_of(const struct runs *r)
{
    struct ss_variant_comparison c;
    int i;
    c.n = (size_t)r->n;
    for (i = 0; i < r->n; i++) {
        c.variant[i] = i && r->variant ? &r->variant[i - 1] : NULL;
        c.sc[i] = r->sc[i];
        c.res[i] = &r->res[i];
    }
    return c;
}

static void write_json(FILE *f, const struct runs *r)
{
    struct ss_json j;
    ss_json_init(&j, f);
    if (r->variant) {
        struct ss_variant_comparison c = variants_of(r);
        ss_variant_json(&j, &c);
    } else if (r->compare) {
        struct ss_comparison c = comparison_of(r);
        ss_compare_json(&j, &c);
    } else {
        ss_report_json(&j, NULL, r->sc[0], &r->res[0]);
    }
    ss_json_end(&j);
}

/* A drawing's title: the scenario, what it shows, and every --set, so that
 * two charts of one scenario told apart in a slide deck are. */
static char *title_of(char *buf, size_t size, const struct options *o, const struct runs *r,
                      const char *what)
{
    size_t i, n;
    snprintf(buf, size, "%.200s: %s", r->sc[0]->name, what);
    for (i = 0; i < o->n_sets; i++) {
        n = strlen(buf);
        snprintf(buf + n, size - n, "%s%s", i ? ", " : ", with ", o->sets[i]);
    }
    return buf;
}

static const char *const panel_heading[2][2] = {
    {"Without the KB 924567 hotfix (hotfix.kb924567 = false)",
     "With the KB 924567 hotfix (hotfix.kb924567 = true)"},
    {"Before: without the KB 924567 hotfix (hotfix.kb924567 = false)",
     "After: with the KB 924567 hotfix (hotfix.kb924567 = true)"}};

/* What the chart says the runs are. */
static const char *chart_what(const struct runs *r, char *buf, size_t size)
{
    if (!r->variant)
        return r->compare ? "before and after the KB 924567 hotfix"
                          : "the store task pool over time";
    snprintf(buf, size, "as written and %d %s", r->n - 1, r->n == 2 ? "variant" : "variants");
    return buf;
}

static void chart_of(const struct options *o, const struct runs *r, struct ss_svg_chart *chart,
                     struct ss_svg_panel panel[SS_RUNS_MAX], char *title, size_t size)
{
    char what[64];
    int i;
    for (i = 0; i < r->n; i++) {
        panel[i].run = r->compare ? run_label(r, i) : "run";
        panel[i].heading = r->variant ? r->heading[i] : panel_heading[r->compare][r->sc[i]->hotfix];
        panel[i].series = &r->series[i];
        panel[i].symptom = r->res[i].symptom;
        panel[i].episodes = r->res[i].episodes;
        panel[i].actions = r->res[i].actions;
        panel[i].threads = r->sc[i]->threads;
        panel[i].defs = r->sc[i]->actions;
        panel[i].n_defs = r->sc[i]->n_actions;
    }
    chart->title = title_of(title, size, o, r, chart_what(r, what, sizeof what));
    chart->clock = &r->sc[0]->clock;
    chart->duration = r->sc[0]->duration;
    chart->threads = r->sc[0]->threads;
    for (i = 1; i < r->n; i++) /* one scale for every panel: the largest pool */
        if (r->sc[i]->threads > chart->threads)
            chart->threads = r->sc[i]->threads;
    chart->panel = panel;
    chart->n_panels = (size_t)r->n;
    chart->actions = r->sc[0]->actions;
    chart->n_actions = r->sc[0]->n_actions;
}

static void lanes_of(const struct options *o, const struct runs *r,
                     struct ss_lanes_chart *chart, struct ss_lanes_panel panel[SS_COMPARED],
                     char *title, size_t size)
{
    int i;
    for (i = 0; i < r->n; i++) {
        panel[i].run = r->compare ? ss_compare_label(i) : "run";
        panel[i].heading = panel_heading[r->compare][r->sc[i]->hotfix];
        panel[i].lanes = &r->lanes[i];
        panel[i].symptom = r->res[i].symptom;
        panel[i].actions = r->res[i].actions;
    }
    chart->title = title_of(title, size, o, r, r->compare ? "every thread, before and after "
                                                            "the KB 924567 hotfix"
                                                          : "every thread of the pool");
    chart->clock = &r->sc[0]->clock;
    chart->duration = r->sc[0]->duration;
    chart->threads = r->sc[0]->threads;
    chart->panel = panel;
    chart->n_panels = (size_t)r->n;
    chart->actions = r->sc[0]->actions;
    chart->n_actions = r->sc[0]->n_actions;
}

static void write_lanes(FILE *f, const struct options *o, const struct runs *r)
{
    struct ss_lanes_panel panel[SS_COMPARED];
    struct ss_lanes_chart chart;
    char title[SS_SVG_TITLE_MAX];
    lanes_of(o, r, &chart, panel, title, sizeof title);
    ss_lanes_write(f, &chart);
}

static int write_html(FILE *f, const struct options *o, const struct runs *r)
{
    struct ss_svg_panel panel[SS_RUNS_MAX];
    struct ss_svg_chart chart;
    struct ss_lanes_panel lpanel[SS_COMPARED];
    struct ss_lanes_chart lanes;
    struct ss_html_run run[SS_COMPARED];
    struct ss_html_page page;
    struct ss_comparison c = comparison_of(r);
    char title[SS_SVG_TITLE_MAX], ltitle[SS_SVG_TITLE_MAX], ptitle[SS_SVG_TITLE_MAX];
    int i;
    chart_of(o, r, &chart, panel, title, sizeof title);
    lanes_of(o, r, &lanes, lpanel, ltitle, sizeof ltitle);
    for (i = 0; i < r->n; i++) {
        run[i].run = r->compare ? ss_compare_label(i) : "run";
        run[i].heading = panel_heading[r->compare][r->sc[i]->hotfix];
        run[i].sc = r->sc[i];
        run[i].res = &r->res[i];
        run[i].series = &r->series[i];
    }
    page.title = title_of(ptitle, sizeof ptitle, o, r, r->compare ? "before and after the KB "
                                                                    "924567 hotfix"
                                                                  : "a run of the store");
    page.run = run;
    page.n_runs = (size_t)r->n;
    page.compare = r->compare ? &c : NULL;
    page.chart = &chart;
    page.lanes = &lanes;
    return ss_html_write(f, &page);
}

/* --show: the parts asked for, in the report's order, a blank line between. */
static void write_parts(FILE *out, const struct options *o, const struct runs *r)
{
    struct ss_comparison c = comparison_of(r);
    struct ss_variant_comparison v = variants_of(r);
    int part, i, said = 0;
    for (part = 0; part < SS_PARTS; part++) {
        if (!(o->show & (1u << part)))
            continue;
        if (said++)
            fputc('\n', out);
        if (!r->compare) {
            ss_report_part(out, r->sc[0], &r->res[0], part);
        } else if (part == SS_PART_HEADING) {
            if (r->variant)
                ss_variant_heading(out, &v);
            else
                ss_compare_heading(out, &c);
        } else if (part == SS_PART_SCENARIO) {
            ss_report_scenario(out, r->sc[0]);
        } else if (part == SS_PART_COMPARED) {
            if (r->variant)
                ss_variant_table(out, &v);
            else
                ss_compare_table(out, &c);
        } else if (part == SS_PART_VERDICT) {
            fputs("Verdict\n", out);
            if (r->variant)
                ss_variant_verdict(out, &v);
            else
                ss_compare_verdict(out, &c);
        } else {
            for (i = 0; i < r->n; i++) {
                if (i)
                    fputc('\n', out);
                ss_line(out, "%s", r->variant ? r->heading[i]
                                              : panel_heading[1][r->sc[i]->hotfix]);
                ss_report_part(out, r->sc[i], &r->res[i], part);
            }
        }
    }
}

static void write_svg(FILE *f, const struct options *o, const struct runs *r)
{
    struct ss_svg_panel panel[SS_RUNS_MAX];
    struct ss_svg_chart chart;
    char title[SS_SVG_TITLE_MAX];
    chart_of(o, r, &chart, panel, title, sizeof title);
    ss_svg_write(f, &chart);
}

/* The report and the output files, once every run is done. */
static int write_results(const struct options *o, struct outputs *files, const struct runs *r,
                         FILE *out)
{
    if (o->show) {
        write_parts(out, o, r);
    } else if (!o->quiet && r->variant) {
        struct ss_variant_comparison c = variants_of(r);
        ss_variant_text(out, &c);
    } else if (!o->quiet && r->compare) {
        struct ss_comparison c = comparison_of(r);
        ss_compare_text(out, &c);
    } else if (!o->quiet) {
        ss_report_text(out, r->sc[0], &r->res[0]);
    }
    if (o->json)
        write_json(stream_of(files, OUT_JSON), r);
    if (o->svg)
        write_svg(stream_of(files, OUT_SVG), o, r);
    if (o->lanes)
        write_lanes(stream_of(files, OUT_LANES), o, r);
    if (o->html && write_html(stream_of(files, OUT_HTML), o, r) != 0)
        return -1;
    return 0;
}

static void free_runs(struct runs *r)
{
    int i;
    for (i = 0; i < SS_RUNS_MAX; i++) {
        ss_results_free(&r->res[i]);
        ss_series_free(&r->series[i]);
        ss_lanes_free(&r->lanes[i]);
    }
}

/* Run everything r holds and write what the options ask for. */
static int execute(const struct options *o, struct runs *r, FILE *out, FILE *err)
{
    struct outputs files;
    char n[32];
    int status = 0, i;
    struct ss_trace_events tev;
    for (i = 0; i < r->n && (o->svg || o->html); i++) {
        if (ss_series_init(&r->series[i], r->sc[i]->duration, r->sc[i]->sample_interval) != 0) {
            fputs("storesim: error: out of memory\n", err);
            return SS_EXIT_FAILURE;
        }
    }
    for (i = 0; i < r->n && (o->lanes || o->html); i++) {
        if (ss_lanes_init(&r->lanes[i], r->sc[i]->duration, r->sc[i]->threads) != 0) {
            fputs("storesim: error: out of memory\n", err);
            return SS_EXIT_FAILURE;
        }
    }
    status = open_outputs(&files, o, out, err);
    if (status)
        return status;
    if (o->csv)
        ss_csv_header(stream_of(&files, OUT_CSV), r->compare);
    if (o->trace_events) {
        ss_trace_events_open(&tev, stream_of(&files, OUT_TRACE_EVENTS));
        r->tev = &tev;
    }
    for (i = 0; i < r->n && status == 0; i++)
        status = simulate(o, &files, r, i, out, err);
    if (r->tev) {
        ss_trace_events_close(&tev);
        if (status == 0 && tev.failed) {
            fputs("storesim: error: out of memory (--trace-events)\n", err);
            status = SS_EXIT_FAILURE;
        }
        r->tev = NULL;
    }
    if (status == 0 && write_results(o, &files, r, out) != 0) {
        fputs("storesim: error: out of memory (--html)\n", err);
        status = SS_EXIT_FAILURE;
    }
    if (status) {
        abort_outputs(&files);
        return status;
    }
    status = commit_outputs(&files, out, err);
    fprintf(err, "storesim: %s events in %.2fs of processor time (%.0f events per second)\n",
            ss_thousands(n, (unsigned long long)r->events), r->seconds,
            r->seconds > 0 ? (double)r->events / r->seconds : 0.0);
    return status;
}

/* `run` and `compare`. The runs are large (wait histograms), so on the heap. */
static int command_simulate(const struct options *o, const struct ss_scenario *sc,
                            bool progress, FILE *out, FILE *err)
{
    struct ss_scenario copy[SS_COMPARED];
    struct runs *r = calloc(1, sizeof *r);
    int status = SS_EXIT_FAILURE;
    memset(copy, 0, sizeof copy);
    if (!r) {
        fputs("storesim: error: out of memory\n", err);
        return SS_EXIT_FAILURE;
    }
    r->compare = strcmp(o->command, "compare") == 0;
    r->progress = progress;
    r->n = r->compare ? SS_COMPARED : 1;
    r->sc[0] = sc;
    if (o->n_variants) { /* the scenario as written, then each variant */
        char what[SS_SVG_TITLE_MAX / 2] = "the scenario as written";
        int i;
        r->variant = o->variant;
        r->n = 1 + (int)o->n_variants;
        for (i = 0; i < r->n; i++) {
            if (i > 0) {
                r->sc[i] = &o->variant_sc[i - 1];
                ss_variant_changes(&o->variant[i - 1], what, sizeof what);
            }
            snprintf(r->heading[i], sizeof r->heading[i], "%s: %s", run_label(r, i), what);
        }
        status = execute(o, r, out, err);
    } else if (r->compare && ss_compare_scenarios(sc, &copy[SS_BEFORE], &copy[SS_AFTER]) != 0) {
        fputs("storesim: error: out of memory\n", err);
    } else {
        if (r->compare) {
            r->sc[SS_BEFORE] = &copy[SS_BEFORE];
            r->sc[SS_AFTER] = &copy[SS_AFTER];
        }
        status = execute(o, r, out, err);
    }
    free_runs(r);
    free(r);
    ss_scenario_free(&copy[SS_BEFORE]);
    ss_scenario_free(&copy[SS_AFTER]);
    return status;
}

/* A shard's part begins with its command: the arguments after the program's
 * name, without --shard (and its value). Returns 0, or -1 when out of memory. */
static int part_head(const struct options *o, const struct ss_scenario_file *file, FILE *out)
{
    char **args = malloc((size_t)o->argc * sizeof *args);
    size_t size;
    uint64_t hash;
    int i, n = 0;
    if (!args)
        return -1;
    for (i = 1; i < o->argc; i++) {
        const struct option_def *d = o->argv[i][0] == '-' ? find_option(o->argv[i]) : NULL;
        bool value = d && d->takes == VALUE && o->argv[i][strlen(d->name)] == '\0' &&
                     i + 1 < o->argc;
        if (d && d->take == take_shard) {
            i += value;
            continue;
        }
        args[n++] = o->argv[i];
        if (value)
            args[n++] = o->argv[++i];
    }
    ss_scenario_file_digest(file, &size, &hash);
    ss_part_begin(out, &o->shard, size, hash, n, args);
    free(args);
    return 0;
}

/* How many of `count` runs (points or replications) are the shard's. */
static unsigned long shard_runs(const struct ss_shard *s, long count)
{
    long i;
    unsigned long n = 0;
    for (i = 0; i < count; i++)
        n += ss_shard_mine(s, i);
    return n;
}

/* merge: the parts hold every run the command makes, each once. */
static int parts_complete(const struct options *o, long points, int sides, bool by_point,
                          FILE *err)
{
    char why[512];
    if (ss_parts_complete(o->merged, points, sides, (int)o->replications, by_point, why,
                          sizeof why) != 0) {
        ss_line(err, "%s", why);
        return SS_EXIT_USAGE;
    }
    return 0;
}

/* --replications R for run and compare: summaries over R runs. */
static int command_replicate(const struct options *o, const struct ss_scenario_file *file,
                             const struct ss_scenario *sc, FILE *out, FILE *err)
{
    struct outputs files;
    struct ss_json j;
    struct ss_replication rq;
    struct ss_replication_json json;
    struct ss_replicated done;
    struct ss_sim_options watch;
    struct progress quiet = {NULL, 0, 0, 0, NULL, NULL, false};
    char why[256];
    int status, sides;
    memset(&watch, 0, sizeof watch);
    watch.on_progress = check_progress; /* for interruptions; no progress lines */
    watch.progress_ctx = &quiet;
    memset(&rq, 0, sizeof rq);
    rq.sc = sc;
    rq.replications = (int)o->replications;
    rq.compare = strcmp(o->command, "compare") == 0;
    rq.watch = &watch;
    rq.n_variants = (int)o->n_variants;
    rq.variant_def = o->variant;
    for (sides = 0; sides < rq.n_variants; sides++)
        rq.variant[sides] = &o->variant_sc[sides];
    sides = rq.n_variants ? 1 + rq.n_variants : rq.compare ? 2 : 1;
    if (o->shard.n) { /* a shard: its runs into a part, on standard output */
        rq.shard = o->shard;
        rq.part = out;
        if (part_head(o, file, out) != 0) {
            fputs("storesim: error: out of memory\n", err);
            return SS_EXIT_FAILURE;
        }
        status = ss_replicate(&rq, &done, why, sizeof why);
        ss_replicated_free(&done);
        if (status != 0) {
            fprintf(err, "storesim: error: %s\n", why);
            return SS_EXIT_FAILURE;
        }
        ss_part_end(out, (unsigned long)sides * shard_runs(&o->shard, rq.replications));
        return report_written(out, err);
    }
    if (o->merged &&
        (status = parts_complete(o, 1, sides, false, err)) != 0)
        return status;
    rq.merged = o->merged;
    status = open_outputs(&files, o, out, err);
    if (status)
        return status;
    if (o->json) {
        ss_json_init(&j, stream_of(&files, OUT_JSON));
        ss_replication_json_begin(&json, &j, &rq);
        rq.on_run = ss_replication_json_run;
        rq.on_merged = ss_replication_json_merged;
        rq.ctx = &json;
    }
    if (ss_replicate(&rq, &done, why, sizeof why) != 0) {
        fprintf(err, "storesim: error: %s\n", why);
        ss_replicated_free(&done);
        abort_outputs(&files);
        return SS_EXIT_FAILURE;
    }
    if (o->json) {
        ss_replication_json_end(&json, &done);
        ss_json_end(&j);
    }
    if (!o->quiet)
        ss_replication_text(out, &rq, &done);
    ss_replicated_free(&done);
    return commit_outputs(&files, out, err);
}

/* The most memory a run may take: what the process may use, as the
 * operating system says, or SS_MEMORY_DEFAULT when it cannot. */
static double memory_limit(void)
{
    unsigned long long limit = ss_os_memory_limit();
    return limit ? (double)limit : SS_MEMORY_DEFAULT;
}

/* sweep: a grid of runs, one CSV row each, and where delivery starts to starve.
 * Every point is checked before any output is opened. */
static int command_sweep(const struct options *o, const struct ss_scenario_file *file,
                         FILE *out, FILE *err)
{
    struct outputs files;
    struct ss_error why;
    struct ss_sim_options watch;
    struct ss_sweep sw;
    struct ss_sweep_report report;
    struct progress quiet = {NULL, 0, 0, 0, NULL, NULL, false};
    int status, result;
    memset(&sw, 0, sizeof sw);
    if (ss_grid_init(&sw.grid, o->vary, o->n_vary, why.text, sizeof why.text) != 0) {
        ss_line(err, "%s", why.text);
        return SS_EXIT_USAGE;
    }
    memset(&watch, 0, sizeof watch);
    watch.on_progress = check_progress; /* for interruptions; no progress lines */
    watch.progress_ctx = &quiet;
    sw.file = file;
    sw.sets = o->sets;
    sw.n_sets = o->n_sets;
    sw.replications = (int)o->replications;
    sw.events_limit = o->force ? 0 : SS_EVENTS_LIMIT;
    sw.memory_limit = o->force ? 0 : memory_limit();
    sw.watch = &watch;
    if (ss_sweep_check(&sw, &why) != 0) {
        ss_line(err, "%s", why.text);
        return SS_EXIT_USAGE;
    }
    if (o->shard.n) { /* a shard: its points into a part, on standard output */
        sw.shard = o->shard;
        sw.part = out;
        if (part_head(o, file, out) != 0) {
            fputs("storesim: error: out of memory\n", err);
            return SS_EXIT_FAILURE;
        }
        result = ss_sweep_run(&sw, &why);
        if (result != 0) {
            ss_line(err, "%s", why.text);
            return SS_EXIT_FAILURE;
        }
        ss_part_end(out, shard_runs(&o->shard, sw.grid.points) * (unsigned long)sw.replications);
        return report_written(out, err);
    }
    if (o->merged && (status = parts_complete(o, sw.grid.points, 1, true, err)) != 0)
        return status;
    sw.merged = o->merged;
    status = check_outputs(o, err);
    if (status == 0)
        status = open_outputs(&files, o, out, err);
    if (status)
        return status;
    report.csv = o->csv ? stream_of(&files, OUT_CSV) : NULL;
    /* A CSV on stdout would mix with the table: the CSV wins. */
    report.text = o->quiet || report.csv == out ? NULL : out;
    sw.watcher = ss_sweep_report_watcher(&report);
    result = ss_sweep_run(&sw, &why);
    if (result != 0) {
        ss_line(err, "%s", why.text);
        abort_outputs(&files);
        return result == -1 ? SS_EXIT_USAGE : SS_EXIT_FAILURE;
    }
    return commit_outputs(&files, out, err);
}

/* How many runs the command makes of the scenario. */
static double runs_of(const struct options *o)
{
    double runs = (double)o->replications;
    if (o->n_variants)
        runs *= (double)(1 + o->n_variants);
    else if (strcmp(o->command, "compare") == 0)
        runs *= 2;
    return runs;
}

/* Refuse a command estimated above SS_EVENTS_LIMIT events, unless --force.
 * Returns 0 or SS_EXIT_USAGE. *events gets the estimate. */
static int check_size(const struct options *o, const struct ss_scenario *sc, double *events,
                      FILE *err)
{
    struct ss_estimate est;
    double runs = runs_of(o), limit = memory_limit();
    char line[1024];
    ss_estimate_detail(sc, &est);
    *events = est.total * runs;
    if (o->n_variants) {
        /* Each variant on its own: one may cost far more than the baseline. */
        struct ss_estimate other;
        size_t i;
        double sum = est.total;
        for (i = 0; i < o->n_variants; i++) {
            ss_estimate_detail(&o->variant_sc[i], &other);
            sum += other.total;
            if (other.memory > est.memory)
                est = other;
        }
        *events = sum * (double)o->replications;
    } else if (strcmp(o->command, "compare") == 0) {
        /* Each side on its own: without the hotfix a run may cost far more. */
        struct ss_scenario side = *sc; /* a shallow copy, only read */
        struct ss_estimate other;
        side.hotfix = !sc->hotfix;
        ss_estimate_detail(&side, &other);
        *events = (est.total + other.total) * runs / 2;
        if (other.memory > est.memory)
            est = other;
    }
    if (o->force)
        return 0;
    if (*events <= SS_EVENTS_LIMIT) {
        /* The runs go one after another: memory is one run's. */
        if (est.memory <= limit)
            return 0;
        ss_line(err, "%s", ss_estimate_memory_refusal(line, sizeof line, sc, &est, limit));
        return SS_EXIT_USAGE;
    }
    if (runs == 1) {
        ss_line(err, "%s", ss_estimate_refusal(line, sizeof line, sc, &est));
    } else {
        fprintf(err,
                "%s: error: these %.0f runs would process about %.1e events in all, more than "
                "the limit of %.0e; add --force to run them anyway\n",
                sc->path, runs, *events, SS_EVENTS_LIMIT);
    }
    return SS_EXIT_USAGE;
}

/* --csv and --svg take one sample per sample_interval: bound their number,
 * or a tiny interval would write for ever. */
#define SAMPLES_MAX 1e7

/* --trace-events: refused before the run when the file would be huge,
 * with its size and how to narrow it. */
static int check_views(const struct options *o, const struct ss_scenario *sc, FILE *err)
{
    double bytes, runs = strcmp(o->command, "compare") == 0 ? 2 : 1, tasks[SS_KINDS], share;
    ss_time end = o->to == SS_NEVER || o->to > sc->duration ? sc->duration : o->to;
    struct ss_estimate est;
    if (!o->trace_events || o->force)
        return 0;
    ss_estimate_detail(sc, &est); /* events: two for a message or a request, ... */
    tasks[SS_DELIVERY] = est.delivery / 2;
    tasks[SS_OWA] = est.owa / 2;
    tasks[SS_MOVE] = est.moves / 2;
    tasks[SS_FLUSH] = est.flushes;
    share = end > o->from ? (double)(end - o->from) / (double)sc->duration : 0;
    bytes = runs * ss_trace_events_estimate(tasks, share, o->only);
    if (bytes <= SS_TRACE_EVENTS_LIMIT)
        return 0;
    ss_line(err, "%s: error: --trace-events would write about %.0f MB, more than the %.0f MB "
            "the timeline viewers open with ease; narrow it with --from and --to (a window of "
            "simulated time) or --only (flush,move,...), or add --force to write it anyway",
            sc->path, bytes / 1e6, SS_TRACE_EVENTS_LIMIT / 1e6);
    return SS_EXIT_USAGE;
}

static int check_samples(const struct options *o, const struct ss_scenario *sc, FILE *err)
{
    char span[SS_TIME_TEXT];
    double samples = (double)sc->duration / (double)sc->sample_interval;
    if (!(o->csv || o->svg || o->html) || samples <= SAMPLES_MAX)
        return check_views(o, sc, err);
    fprintf(err,
            "%s: error: simulation.sample_interval = %s gives %.1e samples; --csv and --svg "
            "take at most %.0e: raise the interval\n",
            sc->path, ss_span_canonical(span, sc->sample_interval), samples, SAMPLES_MAX);
    return SS_EXIT_USAGE;
}

/* run, compare and sweep, once the scenario is known to be good. */
static int dispatch(const struct options *o, const struct ss_scenario_file *file,
                    const struct ss_scenario *sc, FILE *out, FILE *err)
{
    double events;
    int status;
    if (strcmp(o->command, "sweep") == 0)
        return command_sweep(o, file, out, err); /* it sizes each point of its grid */
    /* Every error of exit status 2 before any of status 1. */
    status = check_size(o, sc, &events, err);
    if (status == 0)
        status = check_samples(o, sc, err);
    if (status == 0)
        status = check_outputs(o, err);
    if (status)
        return status;
    if (o->replications > 1)
        return command_replicate(o, file, sc, out, err);
    return command_simulate(o, sc, events > PROGRESS_EVENTS, out, err);
}

/* The trace window on the scenario's clock: "22:00" means the run's 22:00. */
static int clock_times(struct options *o, const struct ss_clock *clock, FILE *err)
{
    if (o->from_text && parse_time_option(err, "--from", o->from_text, clock, &o->from) != 0)
        return SS_EXIT_USAGE;
    if (o->to_text && parse_to(err, o->to_text, clock, &o->to) != 0)
        return SS_EXIT_USAGE;
    if (o->to != SS_NEVER && o->to < o->from)
        return usage_error(err, "--to comes before --from");
    return 0;
}

/* Each --variant: the file resolved with every --set, then the variant's
 * own, into o->variant_sc; all refused, with exit status 2, before anything
 * runs. An assignment's error is placed at the variant. */
static int resolve_variants(struct options *o, const struct ss_scenario_file *file, FILE *err)
{
    const char **sets;
    struct ss_error why;
    size_t i, k;
    int status = 0;
    if (o->n_variants == 0)
        return 0;
    sets = malloc((o->n_sets + SS_VARIANT_SETS_MAX) * sizeof *sets);
    o->variant_sc = calloc(o->n_variants, sizeof *o->variant_sc);
    if (!sets || !o->variant_sc) {
        free(sets);
        fputs("storesim: error: out of memory\n", err);
        return SS_EXIT_FAILURE;
    }
    for (i = 0; i < o->n_variants && status == 0; i++) {
        const struct ss_variant *v = &o->variant[i];
        for (k = 0; k < o->n_sets; k++)
            sets[k] = o->sets[k];
        for (k = 0; k < v->n_sets; k++)
            sets[o->n_sets + k] = v->sets[k];
        if (ss_scenario_resolve(file, sets, o->n_sets + v->n_sets, &o->variant_sc[i], &why) ==
            0)
            continue;
        if (strncmp(why.text, "--set ", 6) == 0)
            ss_line(err, "--variant %s: %s", v->name, why.text + 6);
        else
            ss_line(err, "%s (with --variant %s)", why.text, v->name);
        status = SS_EXIT_USAGE;
    }
    free(sets);
    return status;
}

/* Read the scenario once, resolve it with the --set assignments, and run the
 * command on it. */
static int command(struct options *o, FILE *out, FILE *err)
{
    struct ss_scenario_file *file;
    struct ss_scenario sc;
    struct ss_error why;
    int status;
    size_t i;
    if (ss_scenario_file_read(o->scenario, &file, &why) != 0) {
        ss_line(err, "%s", why.text);
        return SS_EXIT_USAGE;
    }
    if (ss_scenario_resolve(file, o->sets, o->n_sets, &sc, &why) != 0) {
        ss_line(err, "%s", why.text);
        ss_scenario_file_free(file);
        return SS_EXIT_USAGE;
    }
    for (i = 0; i < sc.n_warnings; i++)
        ss_line(err, "%s", sc.warnings[i]);
    if ((status = resolve_variants(o, file, err)) != 0) {
        ss_scenario_free(&sc);
        ss_scenario_file_free(file);
        return status;
    }
    if (o->merged) {
        size_t size;
        uint64_t hash;
        ss_scenario_file_digest(file, &size, &hash);
        if (size != o->merged->scenario_size || hash != o->merged->hash) {
            ss_line(err, "%s: error: the file has changed since the parts were made (they were "
                         "made from %lu bytes, it has %lu): make the parts again",
                    o->scenario, (unsigned long)o->merged->scenario_size, (unsigned long)size);
            ss_scenario_free(&sc);
            ss_scenario_file_free(file);
            return SS_EXIT_USAGE;
        }
    }
    if (strcmp(o->command, "check") == 0) {
        ss_line(out, "%s: the scenario is valid", o->scenario);
        status = report_written(out, err);
    } else if ((status = clock_times(o, &sc.clock, err)) == 0) {
        status = dispatch(o, file, &sc, out, err);
    }
    ss_scenario_free(&sc);
    ss_scenario_file_free(file);
    return status;
}

/* `storesim help [TOPIC [SCENARIO]]`: the topic checked, nothing printed,
 * when `out` is NULL (ss_cli_parse_only). */
static int command_help(int argc, char **argv, FILE *out, FILE *err)
{
    const char *topic = argc > 2 ? argv[2] : NULL;
    struct ss_scenario sc;
    struct ss_error why;
    int status;
    if (topic && (strcmp(topic, "--help") == 0 || strcmp(topic, "-h") == 0))
        topic = "help";
    if (topic && !ss_help_known(topic))
        return usage_error(err, "no help for \"%s\": the commands are %s", topic,
                           ss_help_commands());
    if (argc > (topic && strcmp(topic, "keys") == 0 ? 4 : 3))
        return usage_error(err, "help takes one command (or keys and a scenario), not %s",
                           argv[argc - 1]);
    if (!out)
        return SS_EXIT_OK;
    if (!topic || strcmp(topic, "keys") != 0) {
        ss_help_print(out, topic);
        return report_written(out, err);
    }
    if (argc == 3) {
        status = ss_help_keys(out, NULL);
    } else {
        if (ss_scenario_load(argv[3], NULL, 0, &sc, &why) != 0) {
            ss_line(err, "%s", why.text);
            return SS_EXIT_USAGE;
        }
        status = ss_help_keys(out, &sc);
        ss_scenario_free(&sc);
    }
    if (status != 0) {
        fputs("storesim: error: out of memory\n", err);
        return SS_EXIT_FAILURE;
    }
    return report_written(out, err);
}

/* `storesim merge PART... [--json FILE] [--csv FILE] [--quiet]`: the parts
 * read back, then the command they came from, made from their runs. */
static int command_merge(int argc, char **argv, FILE *out, FILE *err)
{
    struct ss_parts parts;
    struct options o;
    const char **paths = malloc((size_t)argc * sizeof *paths);
    char **line = NULL, why[1024];
    size_t n_paths = 0;
    int i, n = 0, status;
    memset(&o, 0, sizeof o); /* freed below even when the parts name no command */
    if (!paths) {
        fputs("storesim: error: out of memory\n", err);
        return SS_EXIT_FAILURE;
    }
    for (i = 2; i < argc; i++) {
        bool output = !strcmp(argv[i], "--json") || !strcmp(argv[i], "--csv");
        if (argv[i][0] != '-' || !strcmp(argv[i], "-"))
            paths[n_paths++] = argv[i];
        else if (output && i + 1 < argc)
            i++;
        else if (strcmp(argv[i], "--quiet") != 0 && strncmp(argv[i], "--json=", 7) != 0 &&
                 strncmp(argv[i], "--csv=", 6) != 0) {
            free(paths);
            return usage_error(err, "merge takes the parts, --json FILE, --csv FILE and --quiet, "
                                    "not %s", argv[i]);
        }
    }
    if (n_paths == 0) {
        free(paths);
        return usage_error(err, "merge needs the parts of a command run with --shard K/N");
    }
    status = ss_parts_read(paths, n_paths, &parts, why, sizeof why);
    if (status != 0) {
        free(paths);
        ss_line(err, "%s", why);
        return SS_EXIT_USAGE;
    }
    /* The command again: "storesim", its arguments, then merge's outputs. */
    line = malloc((size_t)(parts.argc + argc + 1) * sizeof *line);
    if (!line) {
        free(paths);
        ss_parts_free(&parts);
        fputs("storesim: error: out of memory\n", err);
        return SS_EXIT_FAILURE;
    }
    line[n++] = argv[0];
    for (i = 0; i < parts.argc; i++)
        line[n++] = parts.argv[i];
    for (i = 2; i < argc; i++)
        if (argv[i][0] == '-' && strcmp(argv[i], "-") != 0) {
            line[n++] = argv[i];
            if ((!strcmp(argv[i], "--json") || !strcmp(argv[i], "--csv")) && i + 1 < argc)
                line[n++] = argv[++i];
        }
    line[n] = NULL;
    status = n < 2 ? usage_error(err, "merge: the parts name no command")
                   : parse_args(n, line, &o, err);
    if (status == 0 && (o.shard.n || (strcmp(o.command, "sweep") != 0 && o.replications < 2)))
        status = usage_error(err, "merge: the parts are not of a sweep or of --replications");
    if (status == 0) {
        o.merged = &parts;
        o.part_paths = paths;
        o.n_parts = n_paths;
        status = command(&o, out, err);
    }
    free_options(&o);
    free(line);
    free(paths);
    ss_parts_free(&parts);
    return status;
}

int ss_cli_main(int argc, char **argv, FILE *out, FILE *err)
{
    struct options o;
    int status;

    if (argc < 2)
        return usage_error(err, "no command");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        ss_help_print(out, NULL);
        return report_written(out, err);
    }
    if (strcmp(argv[1], "--version") == 0) {
        fprintf(out, "storesim %s\n", ss_version());
        return report_written(out, err);
    }
    if (strcmp(argv[1], "help") == 0)
        return command_help(argc, argv, out, err);
    if (ss_help_is_command(argv[1]) && wants_help(argc, argv)) {
        ss_help_print(out, argv[1]);
        return report_written(out, err);
    }
    if (strcmp(argv[1], "merge") == 0)
        return command_merge(argc, argv, out, err);
    status = parse_args(argc, argv, &o, err);
    if (status == 0)
        status = command(&o, out, err);
    free_options(&o);
    ss_os_signal_clear(); /* handled: the next command starts afresh */
    return status;
}

int ss_cli_parse_only(int argc, char **argv, FILE *err)
{
    struct options o;
    int status;
    if (argc < 2)
        return usage_error(err, "no command");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "--version") == 0)
        return SS_EXIT_OK;
    if (strcmp(argv[1], "help") == 0)
        return command_help(argc, argv, NULL, err);
    if (ss_help_is_command(argv[1]) && wants_help(argc, argv))
        return SS_EXIT_OK;
    status = parse_args(argc, argv, &o, err);
    if (status == 0 && strcmp(o.command, "sweep") == 0) {
        struct ss_grid grid;
        char why[SS_ERR_TEXT * 2];
        if (ss_grid_init(&grid, o.vary, o.n_vary, why, sizeof why) != 0) {
            ss_line(err, "%s", why);
            status = SS_EXIT_USAGE;
        }
    }
    free_options(&o);
    return status;
}
