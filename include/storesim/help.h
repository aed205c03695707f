/*
 * help.h: what storesim says about itself (docs/cli.md, "Help").
 *
 *   storesim --help, storesim help          every command and option
 *   storesim help COMMAND, COMMAND --help   one command: its usage and options
 *   storesim help keys [SCENARIO]           the SECTION.KEY names of --set and --vary
 *
 * Help goes to standard output and exits 0. The texts live here, in one
 * table of options that says which command takes which, so the general
 * usage, each command's help, the messages for an unknown command or option
 * and the bash completion (which reads `storesim help COMMAND` and `storesim
 * help keys`) cannot drift apart. The man page storesim(1) and docs/cli.md
 * say the same in more words; tests/test_help.c holds them in step.
 */
#ifndef STORESIM_HELP_H
#define STORESIM_HELP_H

#include <stdio.h>

#include "storesim/scenario.h"

/* Is `topic` something `storesim help` can tell about: a command (run,
 * compare, check, sweep, help) or "keys"? */
int ss_help_known(const char *topic);

/* Is `name` a command? (run, compare, check, sweep; help is handled first.) */
int ss_help_is_command(const char *name);

/* Print the help of `topic` to `out`: NULL for the general usage, or a
 * command. Returns 0, or -1 when the topic is unknown (nothing printed). */
int ss_help_print(FILE *out, const char *topic);

/* "run, compare, check, sweep and help": for the unknown-command message. */
const char *ss_help_commands(void);

/* The options `command` takes, "--set, --json, ..., --force", into buf. */
const char *ss_help_options(const char *command, char *buf, size_t size);

/* Print, one a line, every SECTION.KEY that --set and --vary take. With a
 * scenario: its keys first, under its own section names ("move
 * batch1.mailboxes"), then those of the sections it lacks; without: every
 * key, a named section's name written NAME ("move NAME.mailboxes"). The keys
 * come from the scenario reader's own schema (ss_scenario_each_key), so a
 * key added there is listed here. Returns 0, or -1 when out of memory. */
int ss_help_keys(FILE *out, const struct ss_scenario *sc);

#endif
