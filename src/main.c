/* main.c: storesim's entry point; everything else is in the library. */
#include <stdio.h>

#include "storesim/cli.h"
#include "storesim/os.h"

int main(int argc, char **argv)
{
    /* First of all: a closed stdin, stdout or stderr gets the null device, so
     * that no file opened later takes its number. */
    ss_os_guard_std_streams();
    ss_os_catch_signals(); /* SIGINT, SIGTERM, SIGHUP; SIGPIPE ignored */
    return ss_cli_main(argc, argv, stdout, stderr);
}
