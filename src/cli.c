/*
 * cli.c: storesim's commands (SPEC section 4).
 *
 * Order of work, so that bad input never leaves anything behind: parse the
 * arguments, load and check the scenario, and only then open the outputs,
 * run, and commit the outputs (each renamed into place when complete).
 */
#include "storesim/cli.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "storesim/json.h"
#include "storesim/output.h"
#include "storesim/report.h"
#include "storesim/scenario.h"
#include "storesim/sim.h"
#include "storesim/trace.h"
#include "storesim/value.h"

struct options {
    const char *command;
    const char *scenario;
    const char **sets;
    size_t n_sets;
    const char *json, *csv, *svg;
    const char *trace;     /* NULL: no trace; "-": standard output */
    ss_time from, to;      /* trace window; to = SS_NEVER: to the end */
    unsigned only;         /* trace topics */
    bool quiet;
};

static const char usage[] =
    "usage: storesim run SCENARIO [options]      simulate, print the report\n"
    "       storesim compare SCENARIO [options]  run without and with the KB 924567 hotfix\n"
    "       storesim check SCENARIO [--set K=V]  validate the scenario only\n"
    "       storesim --help | --version\n"
    "\n"
    "options:\n"
    "  --set SECTION.KEY=VALUE  override a scenario value (repeatable),\n"
    "                           e.g. --set hotfix.kb924567=true\n"
    "                                --set \"move batch1.mailboxes=800\"\n"
    "  --json FILE              write symptoms, totals and the resolved scenario as JSON\n"
    "  --csv FILE               write the time series, one row per sample_interval\n"
    "  --svg FILE               write a chart to project\n"
    "  --trace[=FILE]           tell every task start and end and every flush decision\n"
    "  --from TIME, --to TIME   trace only this window of simulated time (e.g. 1h10m)\n"
    "  --only KINDS             trace only these kinds: delivery,owa,move,flush,event\n"
    "  --quiet                  do not print the report\n"
    "\n"
    "FILE may be - for standard output. Exit status: 0 ran, 2 bad usage or scenario,\n"
    "1 any other failure. See docs/cli.md.\n";

static int usage_error(FILE *err, const char *fmt, const char *arg)
{
    fputs("storesim: error: ", err);
    fprintf(err, fmt, arg);
    fputs(" (try storesim --help)\n", err);
    return SS_EXIT_USAGE;
}

/* The value of an option: "--json=FILE" or "--json FILE". */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 < argc)
        return argv[++*i];
    return NULL;
}

static bool is_option(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

static int parse_time_option(FILE *err, const char *name, const char *text, ss_time *out)
{
    char why[SS_ERR_TEXT];
    if (!text)
        return usage_error(err, "%s needs a time, such as 1h10m", name);
    if (ss_parse_duration(text, out, why) != 0) {
        fprintf(err, "storesim: error: %s %s: %s\n", name, text, why);
        return SS_EXIT_USAGE;
    }
    return 0;
}

static int parse_args(int argc, char **argv, struct options *o, FILE *err)
{
    static const char *const valued[] = {"--set", "--json", "--csv", "--svg", "--from", "--to",
                                         "--only"};
    int i;
    size_t v;
    memset(o, 0, sizeof *o);
    o->to = SS_NEVER;
    o->only = SS_TOPICS_ALL;
    o->command = argv[1];
    if (strcmp(o->command, "run") && strcmp(o->command, "compare") && strcmp(o->command, "check"))
        return usage_error(err, "unknown command \"%s\"", o->command);
    o->sets = malloc((size_t)argc * sizeof *o->sets);
    if (!o->sets) {
        fputs("storesim: error: out of memory\n", err);
        return SS_EXIT_FAILURE;
    }
    for (i = 2; i < argc; i++) {
        const char *arg = argv[i], *value = NULL;
        int status = 0;
        if (arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (o->scenario)
                return usage_error(err, "one scenario at a time (also given: %s)", arg);
            o->scenario = arg;
            continue;
        }
        if (strcmp(arg, "--quiet") == 0) {
            o->quiet = true;
            continue;
        }
        if (is_option(arg, "--trace")) {
            o->trace = arg[7] == '=' ? arg + 8 : "-";
            if (!*o->trace)
                return usage_error(err, "%s needs a file name after =", arg);
            continue;
        }
        for (v = 0; v < sizeof valued / sizeof *valued; v++)
            if (is_option(arg, valued[v]))
                break;
        if (v == sizeof valued / sizeof *valued)
            return usage_error(err, "unknown option %s", arg);
        value = option_value(argc, argv, &i, valued[v]);
        if (!value)
            return usage_error(err, "%s needs a value", valued[v]);
        switch (v) {
        case 0: o->sets[o->n_sets++] = value; break;
        case 1: o->json = value; break;
        case 2: o->csv = value; break;
        case 3: o->svg = value; break;
        case 4: status = parse_time_option(err, "--from", value, &o->from); break;
        case 5: status = parse_time_option(err, "--to", value, &o->to); break;
        default: {
            char why[SS_ERR_TEXT];
            if (ss_trace_parse_topics(value, &o->only, why, sizeof why) != 0) {
                fprintf(err, "storesim: error: %s\n", why);
                status = SS_EXIT_USAGE;
            }
        }
        }
        if (status)
            return status;
    }
    if (!o->scenario)
        return usage_error(err, "%s needs a scenario file", o->command);
    if (o->to != SS_NEVER && o->to < o->from)
        return usage_error(err, "--to comes before --from%s", "");
    return 0;
}

/* The outputs of one command; all committed together, or none. */
struct outputs {
    struct ss_output json, trace;
};

static int open_outputs(struct outputs *out, const struct options *o, FILE *err)
{
    char why[512];
    memset(out, 0, sizeof *out);
    if ((o->json && ss_output_open(&out->json, o->json, why, sizeof why) != 0) ||
        (o->trace && ss_output_open(&out->trace, o->trace, why, sizeof why) != 0)) {
        fprintf(err, "storesim: error: %s\n", why);
        ss_output_abort(&out->json);
        ss_output_abort(&out->trace);
        return SS_EXIT_FAILURE;
    }
    return 0;
}

static int commit_outputs(struct outputs *out, const struct options *o, FILE *err)
{
    char why[512];
    int status = 0;
    if (o->trace && ss_output_commit(&out->trace, why, sizeof why) != 0) {
        fprintf(err, "storesim: error: %s\n", why);
        status = SS_EXIT_FAILURE;
    }
    if (o->json && ss_output_commit(&out->json, why, sizeof why) != 0) {
        fprintf(err, "storesim: error: %s\n", why);
        status = SS_EXIT_FAILURE;
    }
    return status;
}

/* Where a "-" output goes: the command's own standard output. */
static FILE *stream_of(struct ss_output *o, FILE *out)
{
    return o->is_stdout ? out : o->f;
}

static int command_run(const struct options *o, const struct ss_scenario *sc, FILE *out,
                       FILE *err)
{
    struct outputs files;
    struct ss_results *res;
    struct ss_trace trace;
    struct ss_sim_options sim;
    char why[256], n[32];
    clock_t started;
    double seconds;
    int status = open_outputs(&files, o, err);
    if (status)
        return status;
    res = malloc(sizeof *res);
    if (!res) {
        fputs("storesim: error: out of memory\n", err);
        ss_output_abort(&files.json);
        ss_output_abort(&files.trace);
        return SS_EXIT_FAILURE;
    }
    memset(&sim, 0, sizeof sim);
    if (o->trace) {
        ss_trace_init(&trace, stream_of(&files.trace, out));
        trace.from = o->from;
        trace.to = o->to;
        trace.topics = o->only;
        sim.trace = &trace;
        fputs("Trace of ", trace.f);
        fprintf(trace.f, "%s (%s)\n\n", sc->name, sc->path);
        ss_report_scenario(trace.f, sc);
        fputs("\n", trace.f);
    }
    started = clock();
    if (ss_simulate(sc, &sim, res, why, sizeof why) != 0) {
        fprintf(err, "storesim: error: %s\n", why);
        ss_results_free(res);
        free(res);
        ss_output_abort(&files.json);
        ss_output_abort(&files.trace);
        return SS_EXIT_FAILURE;
    }
    seconds = (double)(clock() - started) / CLOCKS_PER_SEC;
    if (o->trace)
        fputs("\n", stream_of(&files.trace, out));
    if (!o->quiet)
        ss_report_text(out, sc, res);
    if (o->json) {
        struct ss_json j;
        ss_json_init(&j, stream_of(&files.json, out));
        ss_report_json(&j, NULL, sc, res);
        ss_json_end(&j);
    }
    status = commit_outputs(&files, o, err);
    fflush(out);
    fprintf(err, "storesim: %s events in %.2fs of processor time (%.0f events per second)\n",
            ss_thousands(n, (unsigned long long)res->events), seconds,
            seconds > 0 ? (double)res->events / seconds : 0.0);
    ss_results_free(res);
    free(res);
    return status;
}

int ss_cli_main(int argc, char **argv, FILE *out, FILE *err)
{
    struct options o;
    struct ss_scenario sc;
    struct ss_error why;
    int status;
    size_t i;

    if (argc < 2)
        return usage_error(err, "no command%s", "");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, out);
        return SS_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        fprintf(out, "storesim %s\n", STORESIM_VERSION);
        return SS_EXIT_OK;
    }
    status = parse_args(argc, argv, &o, err);
    if (status == 0 && ss_scenario_load(o.scenario, o.sets, o.n_sets, &sc, &why) != 0) {
        fprintf(err, "%s\n", why.text);
        status = SS_EXIT_USAGE;
    } else if (status == 0) {
        for (i = 0; i < sc.n_warnings; i++)
            fprintf(err, "%s\n", sc.warnings[i]);
        if (strcmp(o.command, "check") == 0)
            fprintf(out, "%s: the scenario is valid\n", o.scenario);
        else
            status = command_run(&o, &sc, out, err);
        ss_scenario_free(&sc);
    }
    free(o.sets);
    return status;
}
