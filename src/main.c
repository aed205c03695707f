/* main.c: storesim's entry point; everything else is in the library. */
#include <stdio.h>

#include "storesim/cli.h"

int main(int argc, char **argv)
{
    return ss_cli_main(argc, argv, stdout, stderr);
}
