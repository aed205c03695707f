/*
 * scenario.h: scenario files (SPEC section 3).
 *
 * A scenario is read in three steps, and nothing runs unless all three pass:
 *
 *   1. read   the file is split into sections and `key = value` lines; unknown
 *             sections and keys and duplicates are refused here, at their line;
 *   2. set    each --set section.key=value replaces or adds one value;
 *   3. resolve every value is parsed into its type, defaults are filled in,
 *             required keys and cross references (a move's database) checked.
 *
 * Every error is one line, "FILE:LINE: error: what is wrong", with the line of
 * the value at fault (or of its section, for a missing key). A --set value has
 * no line: its errors are placed at "--set section.key=value".
 *
 * The result is a plain struct of typed values: the simulator reads it and
 * never sees text again.
 */
#ifndef STORESIM_SCENARIO_H
#define STORESIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storesim/dist.h"
#include "storesim/profile.h"
#include "storesim/simtime.h"
#include "storesim/value.h"

/* One complete message, "FILE:LINE: error: ...", without a newline. */
struct ss_error {
    char text[1024];
};

/* The default database, when a scenario names none (SPEC section 1). */
#define SS_DEFAULT_DATABASE "Mailbox Store"

/* Limits on integer keys, stated in docs/scenario-format.md. */
#define SS_THREADS_MAX 1000000
#define SS_MAILBOXES_MAX 1000000000LL
#define SS_BACKLOG_MAX 1000000000LL

struct ss_database {
    char *name;
    long long gateway_out_threads; /* registry value (KB 810489); 0 marks a disabled MTA */
};

struct ss_move {
    char *name;
    long long mailboxes;     /* M: mailboxes in the batch */
    ss_time start;           /* when the wizard starts (from the start of the run) */
    long long concurrency;   /* C: moves the wizard runs at once (KB 821829: 4) */
    size_t database;         /* index into databases[]: the source database */
    struct ss_dist duration; /* store time one mailbox move holds a task */
};

/* What an administrator does during the run ([action NAME], `do`). */
enum ss_action_kind {
    SS_ACT_RESTART_STORE,   /* restart the Information Store service */
    SS_ACT_START_MTA,       /* start the MTA Stacks service */
    SS_ACT_STOP_MTA,        /* stop it */
    SS_ACT_INSTALL_HOTFIX,  /* install KB 924567: the store restarts */
    SS_ACT_SET_GATEWAY,     /* set Gateway Out Threads of a database (KB 810489) */
    SS_ACT_CANCEL_MOVE,     /* cancel a move batch: its wizard submits no further mailbox */
    SS_ACTION_KINDS
};

/* "restart_store", ...: the scenario's words for `do`. */
const char *ss_action_word(enum ss_action_kind what);

struct ss_action {
    char *name;
    ss_time at;              /* when (from the start of the run) */
    enum ss_action_kind what;
    size_t database;         /* set_gateway_out_threads: index into databases[] */
    long long value;         /* set_gateway_out_threads: the new registry value */
    size_t batch;            /* cancel_move: index into moves[] */
    ss_time restart_time;    /* restart_store, install_hotfix: how long the store is down */
};

struct ss_scenario {
    char *path;                  /* the file, as given on the command line */
    char *name;                  /* its base name without extension: "kb924567" */

    ss_time duration;            /* [simulation] */
    uint64_t seed;
    ss_time sample_interval;
    struct ss_clock clock;       /* the time of day at 0, if the scenario says */
    ss_time episode_gap;         /* a symptom back this soon after it ended: one episode */

    long long threads;           /* [store] */

    bool mta_enabled;            /* [mta] */
    ss_time flush_time;
    ss_time flush_timeout;

    bool hotfix;                 /* [hotfix] kb924567 */

    struct ss_database *databases;
    size_t n_databases;
    struct ss_move *moves;
    size_t n_moves;

    bool has_delivery;           /* [delivery] present */
    struct ss_profile delivery_rate; /* a rate, or a daily profile */
    struct ss_dist delivery_service;
    ss_time starvation_threshold;
    bool delivery_regular;       /* arrivals evenly spaced, not Poisson */

    bool has_owa;                /* [owa] present */
    struct ss_profile owa_rate;
    struct ss_dist owa_service;
    ss_time owa_timeout;
    bool owa_regular;

    long long max_backlog;       /* [smtp] */
    long long resume_backlog;
    struct ss_dist retry;        /* the constant 0: refused messages are deferred */

    struct ss_action *actions;   /* [action NAME], in file order */
    size_t n_actions;

    char **warnings;             /* "FILE:LINE: warning: ..." lines, for stderr */
    size_t n_warnings;
};

/* A scenario file read and split into sections (step 1), not yet resolved:
 * a sweep reads its file once and resolves it at every point of its grid. */
struct ss_scenario_file;

/* Read the file at `path` (or parse `text`, which `path` only names in
 * messages). Returns 0, or -1 with *err filled in and *out NULL. */
int ss_scenario_file_read(const char *path, struct ss_scenario_file **out, struct ss_error *err);
int ss_scenario_file_parse(const char *path, const char *text, size_t len,
                           struct ss_scenario_file **out, struct ss_error *err);
void ss_scenario_file_free(struct ss_scenario_file *f);

/* The file's size in bytes and an FNV-1a hash of them: what a merge of
 * shards checks that every part was made from (shard.h). */
void ss_scenario_file_digest(const struct ss_scenario_file *f, size_t *size, uint64_t *hash);

/* Steps 2 and 3 on a file read once: apply the --set assignments and resolve,
 * leaving the file as it was. Returns 0, or -1 with *err filled in and *out
 * left empty (safe to free). */
int ss_scenario_resolve(const struct ss_scenario_file *f, const char *const *sets, size_t n_sets,
                        struct ss_scenario *out, struct ss_error *err);

/* Read, apply the --set assignments (each "section[ NAME].key=value") and
 * resolve the file at `path`: the three steps at once. Returns 0, or -1 with
 * *err filled in and *out left empty (safe to free). */
int ss_scenario_load(const char *path, const char *const *sets, size_t n_sets,
                     struct ss_scenario *out, struct ss_error *err);

/* The same from text in memory; `path` only names it in messages. */
int ss_scenario_parse(const char *path, const char *text, size_t len,
                      const char *const *sets, size_t n_sets,
                      struct ss_scenario *out, struct ss_error *err);

void ss_scenario_free(struct ss_scenario *sc);

/* Deep copy (for compare, which runs one scenario twice). Returns 0 or -1. */
int ss_scenario_copy(struct ss_scenario *dst, const struct ss_scenario *src);

/* Every resolved key and its value, in file order of the schema, as
 * ("section.key" or "section NAME.key", value text, kind). The value text can
 * be given back to --set and means the same. */
enum ss_key_kind { SS_KEY_TEXT, SS_KEY_NUMBER, SS_KEY_BOOL };
typedef void (*ss_key_visitor)(void *ctx, const char *key, const char *value, enum ss_key_kind kind);
void ss_scenario_each_key(const struct ss_scenario *sc, ss_key_visitor visit, void *ctx);

/* Largest file ss_scenario_load reads, and longest line. */
#define SS_SCENARIO_FILE_MAX (1024L * 1024L)
#define SS_SCENARIO_LINE_MAX 4096

#endif
