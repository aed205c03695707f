/*
 * shard.h: one command's runs split over processes and machines, and joined.
 *
 * C99 has no threads, so the unit of parallel work is a process. A sweep or
 * a command with --replications given `--shard K/N` makes only its share of
 * the runs - the grid points p, or the replications i, with p (or i)
 * modulo N equal to K - 1, so that every shard gets runs from the whole
 * range - and writes what each run found to a *part*. `storesim merge
 * PART...` reads the N parts, checks that they belong together, and writes
 * exactly what the command without --shard writes, byte for byte: the
 * reports are made from the same metrics, in the same order.
 *
 * A part is text, one record a line:
 *
 *   storesim-part 1                      the format
 *   version 1.0.0                        the program that wrote it
 *   shard K N
 *   scenario SIZE HASH                   the scenario file's bytes and their FNV-1a hash
 *   arg TEXT                             the command, one argument a line (escaped),
 *   ...                                  without --shard
 *   run POINT SIDE I SEED EVENTS         one run: its place, seed and events,
 *   symptoms T T ...                     its symptoms' times (-1: never),
 *   totals X X ...                       every total, as a hexadecimal double (exact)
 *   json                                 with --replications: the run's JSON
 *   ...                                  (a document: its lines start with '{', '}'
 *   end-json                             or a blank, never with 'end-json')
 *   end RUNS                             the part is whole: RUNS runs
 *
 * Merge refuses parts of another format, program version, scenario (its
 * bytes changed), command or shard count, a shard given twice, a shard
 * missing, and a part cut short, each with a message that names the file.
 */
#ifndef STORESIM_SHARD_H
#define STORESIM_SHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "storesim/replicate.h"

/* "K/N": 1 <= K <= N <= 10000. Returns 0, or -1 with the reason in why. */
int ss_shard_parse(const char *text, struct ss_shard *out, char *why, size_t size);

/* Whether run `index` (a grid point, or a replication) is this shard's. */
bool ss_shard_mine(const struct ss_shard *s, long index);

/* Writing a part: the head (args: the command without --shard), each run,
 * then the end. A run's JSON, when there is one, follows its run record:
 * ss_part_json_begin, the JSON document, ss_part_json_end. */
void ss_part_begin(FILE *f, const struct ss_shard *s, size_t scenario_size, uint64_t hash,
                   int argc, char **argv);
void ss_part_run(FILE *f, long point, int side, int i, const struct ss_run_metrics *m);
void ss_part_json_begin(FILE *f);
void ss_part_json_end(FILE *f);
void ss_part_end(FILE *f, unsigned long runs);

/* One run, as a part holds it. */
struct ss_part_run {
    long point;
    int side, i;
    int shard;        /* the part's K */
    struct ss_run_metrics m;
    char *json; /* NULL: none */
};

/* The parts of one command, read and checked against one another. */
struct ss_parts {
    int n;                   /* the shard count */
    char **argv;             /* the command: argv[0] is "storesim" */
    int argc;
    size_t scenario_size;
    uint64_t hash;
    struct ss_part_run *runs;
    size_t n_runs;
    long points;             /* set by ss_parts_complete: runs[] then in order */
    int sides, replications;
};

/* Read every part. Returns 0, or -1 with "FILE: error: ..." in err. */
int ss_parts_read(const char *const *paths, size_t n_paths, struct ss_parts *out, char *err,
                  size_t err_size);

/* Check that the parts hold each run of `points` x `sides` x `replications`
 * once, in the shard that should have it: by point (a sweep) or by
 * replication (the caller knows which, and the grid, once it has read the
 * command back). Returns 0, or -1 with a message. */
int ss_parts_complete(struct ss_parts *p, long points, int sides, int replications,
                      bool by_point, char *err, size_t err_size);

/* The run at (point, side, i) once complete; NULL when there is none. */
const struct ss_part_run *ss_parts_find(const struct ss_parts *p, long point, int side, int i);

void ss_parts_free(struct ss_parts *p);

#endif
