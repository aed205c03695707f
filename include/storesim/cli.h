/*
 * cli.h: the command line (SPEC section 4), as a library call.
 *
 * main() only hands its arguments and standard streams to ss_cli_main, so
 * the tests can run every command in-process and read what it printed.
 *
 * Exit statuses: 0 the run went through; 2 bad usage or a bad scenario (one
 * message on `err`, nothing written); 1 anything else (an output file that
 * cannot be written, out of memory).
 */
#ifndef STORESIM_CLI_H
#define STORESIM_CLI_H

#include <stdio.h>

#define SS_EXIT_OK 0
#define SS_EXIT_FAILURE 1
#define SS_EXIT_USAGE 2

/* Run one storesim command line; `out` takes the report (and "-" outputs),
 * `err` the messages. Returns the exit status. */
int ss_cli_main(int argc, char **argv, FILE *out, FILE *err);

/* A signal handler for SIGINT and SIGTERM (main installs it): the run in
 * progress stops at its next 1% mark, its outputs are removed unwritten, and
 * ss_cli_main returns SS_EXIT_FAILURE. */
void ss_cli_on_signal(int sig);

#endif
