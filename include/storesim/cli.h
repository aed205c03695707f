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

/* Read a command line as ss_cli_main would, and stop before the scenario is
 * read: its exit status (0, or 2 with the message on err). For the fuzz
 * harness, which must not let a command line write files. */
int ss_cli_parse_only(int argc, char **argv, FILE *err);

/* Record an interrupt, as the operating-system layer's handler does for
 * SIGINT, SIGTERM and SIGHUP (main installs it, os.h): the run in progress
 * stops within moments, its outputs are removed unwritten, and ss_cli_main
 * returns SS_EXIT_FAILURE. For the tests and for embedding programs. */
void ss_cli_on_signal(int sig);

#endif
