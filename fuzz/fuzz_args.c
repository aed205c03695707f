/*
 * fuzz_args.c: a libFuzzer harness over the command line's arguments.
 *
 * The input is split at each NUL byte into arguments: "run\0s.scn\0--set\0...".
 * The harness hands them to ss_cli_parse_only, which reads them as storesim
 * would and stops before any file is read or written, and to the parsers of
 * the values they carry: each --set to the scenario reader (over a small
 * scenario in memory), each --vary to ss_vary_parse (whose values are then
 * written back and read again), each --from and --to to the duration parser.
 *
 * A refusal must be exit status 2 with one line that says "error:"; an
 * acceptance, status 0 and nothing on stderr. Any broken check aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/cli.h"
#include "storesim/scenario.h"
#include "storesim/value.h"
#include "storesim/vary.h"

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "fuzz_args: check failed at line %d: %s\n", __LINE__, #cond); \
            abort();                                                                  \
        }                                                                             \
    } while (0)

#define ARGS_MAX 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base[] =
    "[simulation]\nduration = 1h\n[store]\nthreads = 4\n[database D]\n"
    "[move m]\nmailboxes = 3\nduration = 1m\n[delivery]\nrate = 1/s\nservice = 1s\n";

/* What a stream holds, NUL-terminated (malloc'd), and the stream closed. */
static char *contents(FILE *f)
{
    long n;
    char *text;
    fflush(f);
    n = ftell(f);
    CHECK(n >= 0);
    text = malloc((size_t)n + 1);
    CHECK(text != NULL);
    rewind(f);
    CHECK(fread(text, 1, (size_t)n, f) == (size_t)n);
    text[n] = '\0';
    fclose(f);
    return text;
}

static void check_set(const char *set)
{
    struct ss_scenario sc;
    struct ss_error err;
    if (ss_scenario_parse("fuzz.scn", base, strlen(base), &set, 1, &sc, &err) != 0)
        CHECK(strstr(err.text, ": error: ") != NULL && !strchr(err.text, '\n'));
    ss_scenario_free(&sc);
}

static void check_vary(const char *text)
{
    struct ss_vary v, back;
    char err[1024], buf[600];
    long k;
    if (ss_vary_parse(text, &v, err, sizeof err) != 0) {
        CHECK(strncmp(err, "--vary '", 8) == 0 && !strchr(err, '\n'));
        return;
    }
    CHECK(v.points >= 1 && v.points <= SS_VARY_POINTS_MAX);
    for (k = 0; k < v.points; k += v.points > 10 ? v.points / 10 : 1) {
        char value[64];
        ss_vary_text(&v, k, value, sizeof value);
        CHECK(ss_vary_number(&v, k) >= v.from && ss_vary_number(&v, k) <= v.to + v.step);
        /* The value, as a grid of one point, reads back the same. */
        snprintf(buf, sizeof buf, "%s=%s:%s:%s%s", v.key, value, value, "1", v.unit);
        if (ss_vary_parse(buf, &back, err, sizeof err) == 0)
            CHECK(back.points == 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1), *argv[ARGS_MAX + 2], *err_text;
    int argc = 0, status, i;
    size_t at = 0;
    FILE *err;
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    argv[argc++] = (char *)"storesim";
    while (at <= size && argc < ARGS_MAX + 1) {
        argv[argc++] = copy + at;
        at += strlen(copy + at) + 1;
    }
    argv[argc] = NULL;
    err = tmpfile();
    CHECK(err != NULL);
    status = ss_cli_parse_only(argc, argv, err);
    err_text = contents(err);
    CHECK(status == 0 || status == 2);
    if (status == 0)
        CHECK(err_text[0] == '\0');
    else
        CHECK(strstr(err_text, "error:") != NULL && strchr(err_text, '\n') ==
                                                        err_text + strlen(err_text) - 1);
    free(err_text);
    for (i = 1; i + 1 < argc; i++) {
        char why[SS_ERR_TEXT];
        ss_time t;
        if (strcmp(argv[i], "--set") == 0)
            check_set(argv[i + 1]);
        else if (strcmp(argv[i], "--vary") == 0)
            check_vary(argv[i + 1]);
        else if (strcmp(argv[i], "--from") == 0 || strcmp(argv[i], "--to") == 0)
            if (ss_parse_duration(argv[i + 1], &t, why) == 0)
                CHECK(t >= 0 && t <= SS_DURATION_MAX);
    }
    free(copy);
    return 0;
}
