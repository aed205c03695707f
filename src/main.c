/* main.c: storesim's entry point; everything else is in the library. */
#include <signal.h>
#include <stdio.h>

#include "storesim/cli.h"

int main(int argc, char **argv)
{
    signal(SIGINT, ss_cli_on_signal);
    signal(SIGTERM, ss_cli_on_signal);
    return ss_cli_main(argc, argv, stdout, stderr);
}
