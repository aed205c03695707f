/*
 * help.c: the usage of every command, one command's help, and the keys of
 * --set and --vary (help.h).
 */
#include "storesim/help.h"

#include <stdlib.h>
#include <string.h>

/* The commands, as bits: which command an option's line belongs to. */
enum {
    RUN = 1u,
    COMPARE = 2u,
    CHECK = 4u,
    SWEEP = 8u,
    GENERAL = 16u, /* the line is in the general usage (storesim --help) */
    MERGE = 32u
};

static const struct command {
    const char *name;
    unsigned bit;
    const char *usage; /* its usage line and what it does */
    const char *tail;  /* after its options */
} commands[] = {
    {"run", RUN,
     "usage: storesim run SCENARIO [options]\n"
     "\n"
     "Simulate SCENARIO and print the report: the scenario in one paragraph, the\n"
     "timeline of the symptoms and key events in simulated time, when each symptom\n"
     "started and ended, and the totals. With --replications R, R runs and their\n"
     "means with 95% confidence intervals.\n",
     "\n"
     "FILE may be - for standard output. Exit status: 0 ran, 2 bad usage or scenario,\n"
     "1 any other failure. See storesim(1) and docs/cli.md.\n"},
    {"compare", COMPARE,
     "usage: storesim compare SCENARIO [options]\n"
     "\n"
     "Run SCENARIO twice with the same seed and the same random numbers: before,\n"
     "without the KB 924567 hotfix (hotfix.kb924567 = false), and after, with it\n"
     "(true). Print one table, before, after and the change, and a verdict.\n"
     "With --variant, run SCENARIO as written (the baseline) and each variant instead:\n"
     "one column per run, the change of each variant, and a verdict for each.\n",
     "\n"
     "FILE may be - for standard output. Exit status: 0 ran, 2 bad usage or scenario,\n"
     "1 any other failure. See storesim(1) and docs/cli.md.\n"},
    {"check", CHECK,
     "usage: storesim check SCENARIO [--set K=V ...]\n"
     "\n"
     "Read and check SCENARIO with the --set assignments, and run nothing: one line\n"
     "when it is valid, else its error on stderr. Warnings go to stderr too.\n",
     "\n"
     "Exit status: 0 the scenario is valid, 2 it is not (or bad usage).\n"
     "See storesim-scenario(5) for the format.\n"},
    {"sweep", SWEEP,
     "usage: storesim sweep SCENARIO --vary K=FROM:TO:STEP [--vary ...] [options]\n"
     "\n"
     "Run SCENARIO at every point of a grid of key values, print one line per point,\n"
     "and name the edge: the smallest value of the first --vary key at which local\n"
     "delivery starves.\n",
     "\n"
     "FILE may be - for standard output. Exit status: 0 ran, 2 bad usage or scenario,\n"
     "1 any other failure. See storesim(1) and docs/cli.md.\n"},
    {"merge", MERGE,
     "usage: storesim merge PART... [--json FILE] [--csv FILE] [--quiet]\n"
     "\n"
     "Join the parts of a sweep or of --replications R made with --shard K/N, one\n"
     "part from each shard, into exactly what the command without --shard prints\n"
     "and writes. The scenario must be where it was, unchanged.\n",
     "\n"
     "FILE may be - for standard output. Exit status: 0 merged, 2 bad usage or parts\n"
     "that do not belong together, 1 any other failure. See docs/cli.md.\n"},
};

#define COMMANDS (sizeof commands / sizeof commands[0])

static const char help_usage[] =
    "usage: storesim help [COMMAND]\n"
    "       storesim COMMAND --help\n"
    "       storesim help keys [SCENARIO]\n"
    "\n"
    "Print the usage and options of COMMAND (run, compare, check, sweep, merge), or of\n"
    "every command. \"help keys\" prints the SECTION.KEY names that --set and --vary\n"
    "take, one a line: those of SCENARIO under its own section names, then those\n"
    "of the sections it lacks, where NAME stands for a name of your choosing.\n"
    "The bash completion reads both.\n"
    "\n"
    "Exit status: 0, or 2 for an unknown command or a bad scenario.\n";

/* The options, each with the commands it belongs to. The lines marked
 * GENERAL, in order, are the options part of `storesim --help`. */
static const struct option_help {
    unsigned commands;
    const char *name; /* for the lists in messages; NULL: the line of another */
    const char *text;
} options[] = {
    {GENERAL | RUN | COMPARE | CHECK | SWEEP, "--set",
     "  --set SECTION.KEY=VALUE  override a scenario value (repeatable),\n"
     "                           e.g. --set hotfix.kb924567=true\n"
     "                                --set \"move batch1.mailboxes=800\"\n"},
    {SWEEP, "--vary",
     "  --vary K=FROM:TO:STEP    a key and its values (at least one; repeatable), e.g.\n"
     "                           --vary \"move batch1.mailboxes=50:300:50\"\n"},
    {GENERAL | COMPARE, "--variant",
     "  --variant \"NAME: K=V, ...\"\n"
     "                           compare: a variant of the scenario, its --set\n"
     "                           assignments after the name (repeatable, up to 5), e.g.\n"
     "                           --variant \"mta: mta.enabled=true\"\n"},
    {GENERAL | RUN | COMPARE, "--json",
     "  --json FILE              write symptoms, totals and the resolved scenario as JSON\n"},
    {GENERAL | RUN | COMPARE, "--csv",
     "  --csv FILE               write the time series, one row per sample_interval\n"},
    {SWEEP, "--csv",
     "  --csv FILE               write one row per point of the grid, as points finish\n"},
    {GENERAL | RUN | COMPARE, "--svg", "  --svg FILE               write a chart to project\n"},
    {GENERAL | RUN | COMPARE, "--lanes",
     "  --lanes FILE             write every thread of the pool, a row each (SVG)\n"},
    {GENERAL | RUN | COMPARE, "--trace-events",
     "  --trace-events FILE      write the run for Perfetto or chrome://tracing\n"},
    {GENERAL | RUN | COMPARE, "--html",
     "  --html FILE              write one page for a browser, with a time slider\n"},
    {GENERAL | RUN | COMPARE, "--show",
     "  --show PARTS             print only these parts of the report: heading,\n"
     "                           scenario, timeline, symptoms, totals, waits, events;\n"
     "                           compare also compared, verdict\n"},
    {GENERAL | RUN | COMPARE, "--trace",
     "  --trace[=FILE]           tell every task start and end and every flush decision\n"},
    {GENERAL | RUN | COMPARE, "--from",
     "  --from TIME, --to TIME   trace only this window of simulated time (e.g. 1h10m)\n"},
    {RUN | COMPARE, "--to", NULL},
    {GENERAL | RUN | COMPARE, "--only",
     "  --only KINDS             trace only these kinds: delivery,owa,move,flush,event\n"},
    {GENERAL | RUN | COMPARE, "--quiet", "  --quiet                  do not print the report\n"},
    {SWEEP, "--quiet", "  --quiet                  do not print the table\n"},
    {GENERAL, "--replications",
     "  --replications R         R runs with derived seeds: means and 95% intervals\n"
     "                           (run, compare, sweep; not with --csv/--svg/--trace\n"
     "                           except sweep's --csv)\n"},
    {RUN | COMPARE, "--replications",
     "  --replications R         R runs with derived seeds: means and 95% intervals\n"
     "                           (not with --csv, --svg or --trace)\n"},
    {SWEEP, "--replications",
     "  --replications R         R runs at every point, with the same R seeds at each;\n"
     "                           a point starves when at least half its runs do\n"},
    {GENERAL, "--vary",
     "  --vary K=FROM:TO:STEP    sweep: a key and its values, e.g.\n"
     "                           --vary \"move batch1.mailboxes=50:300:50\"\n"},
    {GENERAL | RUN | COMPARE | SWEEP, "--shard",
     "  --shard K/N              make only shard K of N of a sweep's points or of the\n"
     "                           replications, and write it as a part on stdout for\n"
     "                           storesim merge\n"},
    {MERGE, "--json",
     "  --json FILE              write the command's JSON (--replications)\n"},
    {MERGE, "--csv", "  --csv FILE               write the sweep's CSV\n"},
    {MERGE, "--quiet", "  --quiet                  do not print the report or table\n"},
    {GENERAL | RUN | COMPARE | SWEEP, "--force",
     "  --force                  run even when the run is estimated above 1e10 events\n"},
    {RUN | COMPARE | CHECK | SWEEP | MERGE, "--help",
     "  --help, -h               print this help\n"},
};

#define OPTIONS (sizeof options / sizeof options[0])

static const char general_head[] =
    "usage: storesim run SCENARIO [options]      simulate, print the report\n"
    "       storesim compare SCENARIO [options]  run without and with the KB 924567 hotfix\n"
    "       storesim check SCENARIO [--set K=V]  validate the scenario only\n"
    "       storesim sweep SCENARIO --vary K=FROM:TO:STEP [--vary ...] [options]\n"
    "                                            run a grid, find where delivery starves\n"
    "       storesim merge PART... [options]     join the parts of a command run in shards\n"
    "       storesim help [COMMAND]              the usage and options of one command\n"
    "       storesim --help | --version\n"
    "\n"
    "options:\n";

static const char general_tail[] =
    "\n"
    "FILE may be - for standard output. Exit status: 0 ran, 2 bad usage or scenario,\n"
    "1 any other failure. See docs/cli.md.\n";

static const struct command *find_command(const char *name)
{
    size_t i;
    for (i = 0; name && i < COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int ss_help_is_command(const char *name)
{
    return find_command(name) != NULL;
}

int ss_help_known(const char *topic)
{
    return find_command(topic) || strcmp(topic, "help") == 0 || strcmp(topic, "keys") == 0;
}

const char *ss_help_commands(void)
{
    return "run, compare, check, sweep, merge and help";
}

static void print_options(FILE *out, unsigned bit)
{
    size_t i;
    for (i = 0; i < OPTIONS; i++)
        if ((options[i].commands & bit) && options[i].text)
            fputs(options[i].text, out);
}

int ss_help_print(FILE *out, const char *topic)
{
    const struct command *c = find_command(topic);
    if (!topic) {
        fputs(general_head, out);
        print_options(out, GENERAL);
        fputs(general_tail, out);
        return 0;
    }
    if (strcmp(topic, "help") == 0 || strcmp(topic, "keys") == 0) {
        fputs(help_usage, out);
        return 0;
    }
    if (!c)
        return -1;
    fputs(c->usage, out);
    fputs("\noptions:\n", out);
    print_options(out, c->bit);
    fputs(c->tail, out);
    return 0;
}

const char *ss_help_options(const char *command, char *buf, size_t size)
{
    const struct command *c = find_command(command);
    size_t i, n = 0;
    buf[0] = '\0';
    for (i = 0; c && i < OPTIONS; i++) {
        size_t k;
        int seen = 0;
        if (!(options[i].commands & c->bit))
            continue;
        for (k = 0; k < i && !seen; k++)
            seen = (options[k].commands & c->bit) && strcmp(options[k].name, options[i].name) == 0;
        if (seen)
            continue;
        n += (size_t)snprintf(buf + (n < size ? n : size), n < size ? size - n : 0, "%s%s",
                              n ? ", " : "", options[i].name);
    }
    return buf;
}

/* ---- the keys of --set and --vary -------------------------------------- */

/* A scenario with every section, to ask the reader which keys each has. A
 * named section is written with the name NAME (shown as is), and the clock
 * is set so that simulation.clock is listed too. The actions come in each
 * kind that takes keys of its own. */
static const char every_section[] =
    "[simulation]\nduration = 1h\nclock = 00:00\n"
    "[store]\nthreads = 1\n"
    "[mta]\n[hotfix]\n"
    "[database NAME]\n"
    "[move NAME]\nmailboxes = 1\nduration = 1s\n"
    "[delivery]\nrate = 1/s\nservice = 1s\n"
    "[owa]\nrate = 1/s\nservice = 1s\n"
    "[smtp]\n";
static const char every_action[] =
    "[action NAME]\nat = 1m\ndo = restart_store\n"
    "[action NAME 2]\nat = 1m\ndo = set_gateway_out_threads\nvalue = 0\n"
    "[action NAME 3]\nat = 1m\ndo = cancel_move\n";

struct key_list {
    char **key;
    size_t n, cap;
    int generic; /* write a named section's name as NAME */
    int failed;  /* out of memory */
};

/* "move batch1.mailboxes": the section ("move") and whether it is named. */
static size_t section_of(const char *key, int *named)
{
    const char *dot = strrchr(key, '.');
    size_t word = strcspn(key, " .");
    *named = dot && key[word] == ' ' && key + word < dot;
    return word;
}

static int has_key(const struct key_list *l, const char *key)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        if (strcmp(l->key[i], key) == 0)
            return 1;
    return 0;
}

/* Has one of the first n keys of the list this named section ("move"),
 * under any name? */
static int has_section(const struct key_list *l, size_t n, const char *section, size_t len)
{
    size_t i;
    for (i = 0; i < n; i++) {
        int named;
        if (section_of(l->key[i], &named) == len && named &&
            strncmp(l->key[i], section, len) == 0)
            return 1;
    }
    return 0;
}

static void add_key(struct key_list *l, const char *key)
{
    char *copy;
    if (l->failed || has_key(l, key))
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **grown = realloc(l->key, cap * sizeof *grown);
        if (!grown) {
            l->failed = 1;
            return;
        }
        l->key = grown;
        l->cap = cap;
    }
    copy = malloc(strlen(key) + 1);
    if (!copy) {
        l->failed = 1;
        return;
    }
    strcpy(copy, key);
    l->key[l->n++] = copy;
}

static void collect(void *ctx, const char *key, const char *value, enum ss_key_kind kind)
{
    struct key_list *l = ctx;
    int named;
    size_t word = section_of(key, &named);
    (void)value;
    (void)kind;
    if (l->generic && named) {
        char generic[128];
        snprintf(generic, sizeof generic, "%.*s NAME%s", (int)word, key, strrchr(key, '.'));
        add_key(l, generic);
    } else {
        add_key(l, key);
    }
}

/* Every key of the reader's schema, named sections as NAME: from the
 * scenario of every section, with the actions when the reader has them. */
static void generic_keys(struct key_list *l)
{
    static const char name[] = "(the keys)";
    struct ss_scenario sc;
    struct ss_error why;
    char text[sizeof every_section + sizeof every_action];
    memcpy(text, every_section, sizeof every_section);
    memcpy(text + sizeof every_section - 1, every_action, sizeof every_action);
    l->generic = 1;
    if (ss_scenario_parse(name, text, strlen(text), NULL, 0, &sc, &why) != 0 &&
        ss_scenario_parse(name, every_section, strlen(every_section), NULL, 0, &sc, &why) != 0)
        return; /* cannot be: tests/test_help.c reads both */
    ss_scenario_each_key(&sc, collect, l);
    ss_scenario_free(&sc);
}

int ss_help_keys(FILE *out, const struct ss_scenario *sc)
{
    struct key_list mine = {NULL, 0, 0, 0, 0}, all = {NULL, 0, 0, 0, 0};
    size_t i, own;
    int status;
    if (sc)
        ss_scenario_each_key(sc, collect, &mine);
    own = mine.n;
    generic_keys(&all);
    for (i = 0; i < all.n; i++) {
        int named;
        size_t word = section_of(all.key[i], &named);
        /* A section the scenario has is listed under its own names. */
        if (named ? !has_section(&mine, own, all.key[i], word) : !has_key(&mine, all.key[i]))
            add_key(&mine, all.key[i]);
    }
    for (i = 0; i < mine.n; i++)
        fprintf(out, "%s\n", mine.key[i]);
    status = mine.failed || all.failed || all.n == 0 ? -1 : 0;
    for (i = 0; i < mine.n; i++)
        free(mine.key[i]);
    for (i = 0; i < all.n; i++)
        free(all.key[i]);
    free(mine.key);
    free(all.key);
    return status;
}
