/*
 * test_help.c: help for every command, the messages that say what is known,
 * the keys of --set and --vary, the bash completion that reads them, and the
 * one version number (help.h, version.h).
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/cli.h"
#include "storesim/help.h"
#include "storesim/version.h"

#define KB "scenarios/kb924567.scn"

static const char *const commands[] = {"run", "compare", "check", "sweep"};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static struct testutil_run cli(const char *first, ...)
{
    struct testutil_run r;
    va_list ap;
    va_start(ap, first);
    r = testutil_cliv(first, ap);
    va_end(ap);
    return r;
}

/* Help: on stdout, nothing on stderr, exit 0. */
static char *help_of(const char *first, ...)
{
    struct testutil_run r;
    char *out;
    va_list ap;
    va_start(ap, first);
    r = testutil_cliv(first, ap);
    va_end(ap);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    out = r.out;
    r.out = NULL;
    testutil_run_free(&r);
    return out;
}

static void every_command_has_its_help(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < N_COMMANDS; i++) {
        char usage[64];
        char *a = help_of("help", commands[i], NULL);
        char *b = help_of(commands[i], "--help", NULL);
        char *c = help_of(commands[i], "-h", NULL);
        char *d = help_of(commands[i], testutil_src(KB), "--set", "store.threads=4", "--help", NULL);
        snprintf(usage, sizeof usage, "usage: storesim %s SCENARIO", commands[i]);
        assert_true(strncmp(a, usage, strlen(usage)) == 0);
        assert_string_equal(a, b);
        assert_string_equal(a, c);
        assert_string_equal(a, d);
        assert_non_null(strstr(a, "\noptions:\n  --set SECTION.KEY=VALUE"));
        assert_non_null(strstr(a, "  --help, -h               print this help\n"));
        free(a);
        free(b);
        free(c);
        free(d);
    }
}

/* Each command's help lists its own options and no other's. */
static void a_command_lists_only_its_options(void **state)
{
    char *check = help_of("help", "check", NULL), *sweep = help_of("help", "sweep", NULL);
    char *run = help_of("help", "run", NULL);
    (void)state;
    assert_null(strstr(check, "--json"));
    assert_null(strstr(check, "--quiet"));
    assert_non_null(strstr(sweep, "  --vary K=FROM:TO:STEP"));
    assert_non_null(strstr(sweep, "one row per point of the grid"));
    assert_null(strstr(sweep, "--svg"));
    assert_null(strstr(sweep, "--trace"));
    assert_null(strstr(run, "--vary"));
    assert_non_null(strstr(run, "  --trace[=FILE]"));
    free(check);
    free(sweep);
    free(run);
}

static void general_help_names_every_command(void **state)
{
    char *a = help_of("--help", NULL), *b = help_of("help", NULL), *c = help_of("-h", NULL);
    char *h = help_of("help", "help", NULL), *k = help_of("help", "--help", NULL);
    size_t i;
    (void)state;
    assert_string_equal(a, b);
    assert_string_equal(a, c);
    for (i = 0; i < N_COMMANDS; i++) {
        char line[64];
        snprintf(line, sizeof line, "storesim %s SCENARIO", commands[i]);
        assert_non_null(strstr(a, line));
    }
    assert_non_null(strstr(a, "       storesim help [COMMAND]              the usage and options of one command\n"));
    assert_non_null(strstr(h, "storesim help keys [SCENARIO]"));
    assert_string_equal(h, k);
    free(a);
    free(b);
    free(c);
    free(h);
    free(k);
}

/* --help as the value of an option is that value, not a request for help. */
static void help_as_a_value_is_a_value(void **state)
{
    struct testutil_run r = cli("check", testutil_src(KB), "--set", "--help", NULL);
    (void)state;
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--set --help: error: expected section.key=value"));
    assert_string_equal(r.out, "");
    testutil_run_free(&r);
}

static void unknown_words_say_what_is_known(void **state)
{
    struct testutil_run r = cli("frobnicate", testutil_src(KB), NULL);
    char known[300];
    (void)state;
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "storesim: error: unknown command \"frobnicate\": the commands are "
                               "run, compare, check, sweep, merge and help (try storesim --help)\n");
    testutil_run_free(&r);
    r = cli("help", "frobnicate", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "no help for \"frobnicate\": the commands are run, compare"));
    assert_string_equal(r.out, "");
    testutil_run_free(&r);
    r = cli("help", "run", "extra", NULL);
    assert_int_equal(r.status, 2);
    testutil_run_free(&r);
    r = cli("sweep", testutil_src(KB), "--svgg", "x.svg", NULL);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "storesim: error: unknown option --svgg: sweep takes --set, --vary, "
                               "--csv, --quiet, --replications, --shard, --force, --help (try "
                               "storesim help sweep)\n");
    testutil_run_free(&r);
    assert_string_equal(ss_help_options("check", known, sizeof known), "--set, --help");
    assert_string_equal(ss_help_options("nothing", known, sizeof known), "");
    /* A buffer too small is cut, never overrun. */
    assert_string_equal(ss_help_options("run", known, 8), "--set, ");
}

/* An unknown --only kind is shown escaped: a line break in it cannot make
 * the message two lines (found by fuzz/fuzz_args). */
static void a_bad_only_kind_stays_one_line(void **state)
{
    struct testutil_run r = cli("run", testutil_src(KB), "--only", "flush\nowa", NULL);
    (void)state;
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "storesim: error: --only: "));
    assert_non_null(strstr(r.err, "flush\\x0aowa"));
    assert_int_equal(strchr(r.err, '\n') - r.err, (long)strlen(r.err) - 1);
    testutil_run_free(&r);
}

/* Every option a command's help lists, the command takes (read as a run
 * would, and not run). */
static void every_listed_option_is_taken(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < N_COMMANDS; i++) {
        char known[300], *opt;
        ss_help_options(commands[i], known, sizeof known);
        for (opt = strtok(known, ", "); opt; opt = strtok(NULL, ", ")) {
            char *argv[] = {(char *)"storesim", (char *)commands[i], (char *)KB, opt, NULL};
            FILE *err = tmpfile();
            char *said;
            assert_non_null(err);
            ss_cli_parse_only(4, argv, err);
            said = testutil_read_stream(err);
            if (strstr(said, "unknown option"))
                fail_msg("%s lists %s, which it does not take: %s", commands[i], opt, said);
            free(said);
        }
    }
}

/* The parse-only entry (the fuzz harness's) agrees. */
static void parse_only_knows_help(void **state)
{
    static char *ok[][5] = {{"storesim", "help", NULL}, {"storesim", "help", "run", NULL},
                            {"storesim", "help", "keys", "x.scn", NULL},
                            {"storesim", "run", "--help", NULL}};
    static char *bad[][5] = {{"storesim", "help", "bogus", NULL},
                             {"storesim", "help", "keys", "a", "b"}};
    FILE *err = tmpfile();
    size_t i;
    (void)state;
    assert_non_null(err);
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int argc = 0;
        while (argc < 5 && ok[i][argc])
            argc++;
        assert_int_equal(ss_cli_parse_only(argc, ok[i], err), 0);
    }
    assert_int_equal(ss_cli_parse_only(3, bad[0], err), 2);
    assert_int_equal(ss_cli_parse_only(5, bad[1], err), 2);
    fclose(err);
}

/* Does the text hold this whole line? */
static int has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    const char *p;
    for (p = strstr(text, line); p; p = strstr(p + 1, line))
        if ((p == text || p[-1] == '\n') && p[n] == '\n')
            return 1;
    return 0;
}

static void keys_come_from_the_reader(void **state)
{
    char *all = help_of("help", "keys", NULL), *kb = help_of("help", "keys", testutil_src(KB), NULL);
    char *line, *copy;
    size_t n = 0;
    struct testutil_run r;
    (void)state;
    assert_true(has_line(all, "simulation.duration"));
    assert_true(has_line(all, "simulation.clock"));
    assert_true(has_line(all, "database NAME.gateway_out_threads"));
    assert_true(has_line(all, "move NAME.mailboxes"));
    assert_true(has_line(all, "delivery.starvation_threshold"));
    assert_true(has_line(all, "smtp.retry"));
    /* The scenario's own names first, then what it lacks. */
    assert_true(has_line(kb, "move batch1.mailboxes"));
    assert_true(has_line(kb, "database Mailbox Store.gateway_out_threads"));
    assert_false(has_line(kb, "move NAME.mailboxes"));
    assert_true(has_line(kb, "simulation.clock"));
    assert_true(strstr(kb, "move batch1.duration") < strstr(kb, "simulation.clock"));
    /* Every key listed is one --set takes: never an unknown key. */
    copy = malloc(strlen(all) + 1);
    assert_non_null(copy);
    strcpy(copy, all);
    for (line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
        char set[200];
        snprintf(set, sizeof set, "%s=1", line);
        r = cli("check", testutil_src(KB), "--set", set, NULL);
        if (strstr(r.err, "unknown key") || strstr(r.err, "unknown section"))
            fail_msg("help keys lists %s, which --set does not take: %s", line, r.err);
        testutil_run_free(&r);
        n++;
    }
    assert_true(n >= 27);
    free(copy);
    r = cli("help", "keys", testutil_src("scenarios/no-such-file.scn"), NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "cannot open"));
    testutil_run_free(&r);
    free(all);
    free(kb);
}

static void one_version_number(void **state)
{
    char *cmake = testutil_slurp(testutil_src("CMakeLists.txt"), NULL), *v, want[64];
    const char *p;
    size_t n;
    (void)state;
    assert_non_null(cmake);
    p = strstr(cmake, "project(storesim VERSION ");
    assert_non_null(p);
    p += strlen("project(storesim VERSION ");
    n = strspn(p, "0123456789.");
    assert_true(n > 0 && n < 32);
    assert_int_equal(strlen(ss_version()), n);
    assert_memory_equal(ss_version(), p, n);
    assert_string_equal(ss_version(), STORESIM_VERSION);
    v = help_of("--version", NULL);
    snprintf(want, sizeof want, "storesim %s\n", ss_version());
    assert_string_equal(v, want);
    free(v);
    free(cmake);
}

/* ---- the bash completion, run in bash ---------------------------------- */

#ifdef STORESIM_PROGRAM
/* Run the completion for the words (one string, words separated by '|'),
 * the last one being completed; the replies, one a line. NULL: no bash. */
static char *complete(const char *words)
{
    const char *script = testutil_tmp("complete.sh"), *out = testutil_tmp("complete.out");
    char cmd[2048];
    FILE *f = fopen(script, "w");
    assert_non_null(f);
    fprintf(f,
            "cd '%s' || exit 9\n"
            "source completion/storesim.bash || exit 9\n"
            "IFS='|' read -r -a COMP_WORDS <<< '%s'\n"
            "COMP_WORDS[0]='%s'\n"
            "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
            "case '%s' in *'|') COMP_WORDS+=(''); COMP_CWORD=$((COMP_CWORD + 1)) ;; esac\n"
            "_storesim\n"
            "printf '%%s\\n' \"${COMPREPLY[@]}\"\n",
            STORESIM_SOURCE_DIR, words, STORESIM_PROGRAM, words);
    assert_int_equal(fclose(f), 0);
    snprintf(cmd, sizeof cmd, "bash '%s' > '%s' 2>&1", script, out);
    if (system(cmd) != 0)
        return NULL;
    return testutil_slurp(out, NULL);
}

static void completion_knows_commands_options_and_keys(void **state)
{
    char *r;
    (void)state;
    if (system("bash -c true") != 0)
        skip(); /* no bash here: nothing to complete in */
    r = complete("storesim|");
    assert_non_null(r);
    assert_string_equal(r, "check\ncompare\nhelp\nmerge\nrun\nsweep\n--help\n--version\n");
    free(r);
    r = complete("storesim|sweep|" KB "|--");
    assert_string_equal(r, "--csv\n--force\n--help\n--quiet\n--replications\n--set\n--shard\n--vary\n");
    free(r);
    r = complete("storesim|check|" KB "|--");
    assert_string_equal(r, "--help\n--set\n");
    free(r);
    r = complete("storesim|run|" KB "|--set|mo");
    assert_string_equal(r, "\"move batch1.mailboxes=\n\"move batch1.start=\n"
                           "\"move batch1.concurrency=\n\"move batch1.database=\n"
                           "\"move batch1.duration=\n");
    free(r);
    r = complete("storesim|sweep|" KB "|--vary|store");
    assert_string_equal(r, "store.threads=\n");
    free(r);
    r = complete("storesim|run|--set|store.threads=4|" KB "|--set|\"move b");
    assert_true(strncmp(r, "\"move batch1.mailboxes=\n", 24) == 0);
    free(r);
    r = complete("storesim|run|--set|hotfix.");
    assert_string_equal(r, "hotfix.kb924567=\n");
    free(r);
    r = complete("storesim|run|" KB "|--only|delivery,o");
    assert_string_equal(r, "delivery,owa\n");
    free(r);
    r = complete("storesim|help|");
    assert_string_equal(r, "check\ncompare\nhelp\nmerge\nrun\nsweep\nkeys\n");
    free(r);
    r = complete("storesim|run|scenarios/kb924567-h");
    assert_string_equal(r, "scenarios/kb924567-hotfix.scn\n");
    free(r);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_command_has_its_help),
        cmocka_unit_test(a_command_lists_only_its_options),
        cmocka_unit_test(general_help_names_every_command),
        cmocka_unit_test(help_as_a_value_is_a_value),
        cmocka_unit_test(unknown_words_say_what_is_known),
        cmocka_unit_test(a_bad_only_kind_stays_one_line),
        cmocka_unit_test(every_listed_option_is_taken),
        cmocka_unit_test(parse_only_knows_help),
        cmocka_unit_test(keys_come_from_the_reader),
        cmocka_unit_test(one_version_number),
#ifdef STORESIM_PROGRAM
        cmocka_unit_test(completion_knows_commands_options_and_keys),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
