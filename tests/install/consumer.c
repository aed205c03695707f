/* consumer.c: a tiny program built against an installed libstoresim, by
 * tests/install-check, once with CMake (find_package) and once with
 * pkg-config. It reads a scenario with the library's reader and checks it
 * through the library's command line, as `storesim check` would. */
#include <stdio.h>
#include <string.h>

#include "storesim/cli.h"
#include "storesim/scenario.h"
#include "storesim/version.h"

int main(int argc, char **argv)
{
    struct ss_scenario sc;
    struct ss_error why;
    char *check[4];
    if (argc != 3) {
        fprintf(stderr, "usage: consumer VERSION SCENARIO\n");
        return 2;
    }
    if (strcmp(ss_version(), argv[1]) != 0) {
        fprintf(stderr, "consumer: the library is %s, not %s\n", ss_version(), argv[1]);
        return 1;
    }
    if (ss_scenario_load(argv[2], NULL, 0, &sc, &why) != 0) {
        fprintf(stderr, "%s\n", why.text);
        return 1;
    }
    printf("libstoresim %s: %s, %lld threads, %lu move batch(es)\n", ss_version(), sc.name,
           sc.threads, (unsigned long)sc.n_moves);
    ss_scenario_free(&sc);
    check[0] = (char *)"storesim";
    check[1] = (char *)"check";
    check[2] = argv[2];
    check[3] = NULL;
    return ss_cli_main(3, check, stdout, stderr);
}
