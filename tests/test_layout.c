/*
 * test_layout.c: the file list is the architecture, and it stays so.
 *
 * CMakeLists.txt builds the library from five layers (STORESIM_ENGINE,
 * STORESIM_INPUT, STORESIM_MODEL, STORESIM_OUTPUT, STORESIM_COMMANDS, in that
 * order) and README.md's "Layout" table names the layer of every file. This
 * test checks, from the files themselves:
 *
 *   - every .c file of src/ is in exactly one layer of the build (main.c is the
 *     program, after the commands), and every file the build names exists;
 *   - the README's table gives every .c file of src/ once, in the build's layer;
 *   - a file includes only headers of its own layer or of the layers before
 *     it (a header belongs to the layer of the .c file of its name), so the
 *     engine knows nothing of the model and the model nothing of reports;
 *   - every tests/test_NAME.c is a test of tests/CMakeLists.txt, and back;
 *   - only the operating-system layer (src/os_*.c) includes a system header;
 *   - every scenarios/NAME.scn opens with a comment that tells its story and
 *     is in both catalogues, scenarios/README.md and README.md's table.
 *
 * The build writes the list of files it found (tests/CMakeLists.txt) into
 * layout-files.txt beside this program: C99 cannot list a folder.
 */
#include "testutil.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define NAMES_MAX 256
#define NAME_LEN 128

/* A set of names with a value each (a layer index, or a count). */
struct names {
    char name[NAMES_MAX][NAME_LEN];
    int value[NAMES_MAX];
    int n;
};

static int find(const struct names *s, const char *name)
{
    int i;
    for (i = 0; i < s->n; i++)
        if (strcmp(s->name[i], name) == 0)
            return i;
    return -1;
}

static void add(struct names *s, const char *name, size_t len, int value)
{
    assert_true(s->n < NAMES_MAX && len < NAME_LEN);
    memcpy(s->name[s->n], name, len);
    s->name[s->n][len] = '\0';
    s->value[s->n++] = value;
}

static const char *const layers[] = {"engine", "input", "model", "output", "commands",
                                     "program"};
#define LAYERS 6
#define PROGRAM 5

static int layer_index(const char *name, size_t len)
{
    int i;
    for (i = 0; i < LAYERS; i++)
        if (strlen(layers[i]) == len && strncmp(layers[i], name, len) == 0)
            return i;
    return -1;
}

/* The src/ files of each set(STORESIM_<LAYER> ...) of a CMakeLists.txt, by
 * base name ("sim.c"). Returns how many layers it read (the last one it saw
 * must come after the others). A file in two layers is an error. */
static int build_layers(const char *text, struct names *files, char *why, size_t why_size)
{
    const char *p = text;
    int seen = 0, last = -1;
    while ((p = strstr(p, "set(STORESIM_")) != NULL) {
        const char *name = p + strlen("set(STORESIM_"), *end = strpbrk(name, " \n)");
        char lower[32];
        size_t i, n = end ? (size_t)(end - name) : 0;
        int layer;
        p = name;
        if (n == 0 || n >= sizeof lower)
            continue;
        for (i = 0; i < n; i++)
            lower[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
        layer = layer_index(lower, n);
        if (layer < 0)
            continue; /* another variable: STORESIM_TEST_TIMEOUT_FACTOR ... */
        if (layer <= last) {
            snprintf(why, why_size, "layer %.*s comes after %s", (int)n, lower, layers[last]);
            return -1;
        }
        last = layer;
        seen++;
        for (p = end; *p && *p != ')'; p++) {
            if (strncmp(p, "src/", 4) == 0) {
                const char *base = p + 4;
                size_t len = strcspn(base, " \t\n)#");
                char file[NAME_LEN];
                snprintf(file, sizeof file, "%.*s", (int)len, base);
                if (find(files, file) >= 0) {
                    snprintf(why, why_size, "%s is in two layers", file);
                    return -1;
                }
                add(files, base, len, layer);
                p = base + len - 1;
            } else if (*p == '#') {
                p += strcspn(p, "\n") - 1; /* a comment: skip to its end */
            }
        }
    }
    return seen;
}

/* The rows "| layer | `file` | job |" of the README's table. */
static void readme_layers(const char *text, struct names *files)
{
    const char *p = strstr(text, "| layer | file | job |\n|---|---|---|");
    assert_non_null(p);
    p = strchr(p + 1, '\n');
    for (p = strchr(p + 1, '\n'); p && strncmp(p, "\n| ", 3) == 0; p = strchr(p + 1, '\n')) {
        const char *layer = p + 3, *bar = strchr(layer, ' '), *file = strchr(layer, '`');
        const char *close = file ? strchr(file + 1, '`') : NULL;
        int index;
        if (!bar || !file || !close)
            continue; /* the |---| line */
        index = layer_index(layer, (size_t)(bar - layer));
        if (index < 0)
            fail_msg("README.md: unknown layer in: %.60s", p + 1);
        add(files, file + 1, (size_t)(close - file - 1), index);
    }
}

/* The layer of a header: that of the .c file of its name. */
static int header_layer(const struct names *build, const char *header)
{
    static const char *const private_headers[][2] = {{"sim_internal.h", "sim.c"},
                                                     {"ziggurat_exp.h", "dist.c"},
                                                     {"os.h", "os_posix.c"}};
    char source[NAME_LEN];
    size_t i, n = strlen(header);
    int k;
    for (i = 0; i < sizeof private_headers / sizeof private_headers[0]; i++)
        if (strcmp(header, private_headers[i][0]) == 0)
            return build->value[find(build, private_headers[i][1])];
    assert_true(n > 2 && n < NAME_LEN);
    snprintf(source, sizeof source, "%.*s.c", (int)(n - 2), header);
    k = find(build, source);
    return k < 0 ? -1 : build->value[k];
}

/* Does file (text, in layer `layer`) include only what its layer may?
 * Returns 0, or -1 with the first include that breaks the rule in why. */
static int check_includes(const struct names *build, const char *file, const char *text,
                          int layer, char *why, size_t why_size)
{
    const char *p = text;
    while ((p = strstr(p, "#include \"")) != NULL) {
        const char *name = p + strlen("#include \""), *end = strchr(name, '"');
        char header[NAME_LEN];
        int theirs;
        p = name;
        if (!end || end - name >= NAME_LEN)
            continue;
        if (strncmp(name, "storesim/", 9) == 0)
            name += 9;
        snprintf(header, sizeof header, "%.*s", (int)(end - name), name);
        theirs = header_layer(build, header);
        if (theirs < 0) {
            snprintf(why, why_size, "%s includes %s, which belongs to no layer", file, header);
            return -1;
        }
        if (theirs > layer) {
            snprintf(why, why_size, "%s (%s) includes %s (%s), a later layer", file,
                     layers[layer], header, layers[theirs]);
            return -1;
        }
    }
    return 0;
}

static char *read_source(const char *relative)
{
    char *text = testutil_slurp(testutil_src(relative), NULL);
    if (!text)
        fail_msg("cannot read %s", relative);
    return text;
}

/* The files on disk, as the build found them. */
static void files_on_disk(struct names *files)
{
    char *text = testutil_slurp(testutil_tmp("layout-files.txt"), NULL), *line, *next;
    assert_non_null(text);
    for (line = text; *line; line = next) {
        size_t n = strcspn(line, "\n");
        next = line + n + (line[n] == '\n');
        if (n > 0)
            add(files, line, n, 0);
    }
    free(text);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static struct names build, readme, disk;

static int setup(void **state)
{
    char why[256] = "", *text;
    (void)state;
    text = read_source("CMakeLists.txt");
    if (build_layers(text, &build, why, sizeof why) != 5)
        fail_msg("CMakeLists.txt: expected the five layers in order: %s", why);
    free(text);
    text = read_source("README.md");
    readme_layers(text, &readme);
    free(text);
    files_on_disk(&disk);
    return 0;
}

static void every_source_in_one_layer(void **state)
{
    int i;
    (void)state;
    for (i = 0; i < disk.n; i++) {
        const char *path = disk.name[i], *base = base_name(path);
        size_t n = strlen(path);
        if (strncmp(path, "src/", 4) != 0 || strcmp(path + n - 2, ".c") != 0 ||
            strcmp(base, "main.c") == 0)
            continue;
        if (find(&build, base) < 0)
            fail_msg("%s is in no layer of CMakeLists.txt", path);
    }
    for (i = 0; i < build.n; i++) {
        char path[NAME_LEN + 8];
        snprintf(path, sizeof path, "src/%s", build.name[i]);
        if (find(&disk, path) < 0)
            fail_msg("CMakeLists.txt names %s, which does not exist", path);
    }
}

static void readme_agrees_with_the_build(void **state)
{
    int i, k;
    (void)state;
    for (i = 0; i < build.n; i++) {
        k = find(&readme, build.name[i]);
        if (k < 0)
            fail_msg("README.md's Layout table lacks %s", build.name[i]);
        if (readme.value[k] != build.value[i])
            fail_msg("README.md puts %s in %s, CMakeLists.txt in %s", build.name[i],
                     layers[readme.value[k]], layers[build.value[i]]);
    }
    for (i = 0; i < readme.n; i++) {
        if (strcmp(readme.name[i], "main.c") == 0) {
            assert_int_equal(readme.value[i], PROGRAM);
            continue;
        }
        if (find(&build, readme.name[i]) < 0)
            fail_msg("README.md's Layout table names %s, which the build does not",
                     readme.name[i]);
        for (k = 0; k < i; k++)
            if (strcmp(readme.name[k], readme.name[i]) == 0)
                fail_msg("README.md's Layout table names %s twice", readme.name[i]);
    }
}

static void layers_include_only_earlier_layers(void **state)
{
    char why[512];
    int i;
    (void)state;
    add(&build, "main.c", 6, PROGRAM);
    for (i = 0; i < disk.n; i++) {
        const char *path = disk.name[i], *base = base_name(path);
        char *text;
        int layer;
        if (strncmp(path, "src/", 4) != 0 && strncmp(path, "include/", 8) != 0)
            continue;
        layer = strcmp(path + strlen(path) - 2, ".h") == 0 ? header_layer(&build, base)
                                                          : build.value[find(&build, base)];
        if (layer < 0)
            fail_msg("%s belongs to no layer (no .c file of its name)", path);
        text = read_source(path);
        if (check_includes(&build, path, text, layer, why, sizeof why) != 0)
            fail_msg("%s", why);
        free(text);
    }
    build.n--;
}

static void every_test_is_run(void **state)
{
    char *text = read_source("tests/CMakeLists.txt"), call[NAME_LEN + 32];
    int i;
    const char *p;
    (void)state;
    for (i = 0; i < disk.n; i++) {
        const char *base = base_name(disk.name[i]);
        if (strncmp(disk.name[i], "tests/test_", 11) != 0)
            continue;
        snprintf(call, sizeof call, "storesim_test(%.*s ", (int)(strlen(base) - 2), base);
        if (!strstr(text, call))
            fail_msg("tests/CMakeLists.txt does not run %s", disk.name[i]);
    }
    for (p = strstr(text, "\nstoresim_test("); p; p = strstr(p + 1, "\nstoresim_test(")) {
        char path[NAME_LEN + 16];
        const char *name = p + strlen("\nstoresim_test(");
        snprintf(path, sizeof path, "tests/%.*s.c", (int)strcspn(name, " )"), name);
        if (find(&disk, path) < 0)
            fail_msg("tests/CMakeLists.txt runs %s, which does not exist", path);
    }
    free(text);
}

/* Does `text` hold `word` as a whole C identifier? */
static bool names(const char *text, const char *word)
{
    size_t n = strlen(word);
    const char *p;
    for (p = strstr(text, word); p; p = strstr(p + 1, word)) {
        char before = p == text ? ' ' : p[-1], after = p[n];
        bool ident_before = before == '_' || (before >= 'A' && before <= 'Z') ||
                            (before >= 'a' && before <= 'z') || (before >= '0' && before <= '9');
        bool ident_after = after == '_' || (after >= 'A' && after <= 'Z') ||
                           (after >= 'a' && after <= 'z') || (after >= '0' && after <= '9');
        if (!ident_before && !ident_after)
            return true;
    }
    return false;
}

/* sim.c moves tasks through the pool and calls their hooks: it names no kind
 * of task. And the KB rule (Gateway Out Threads 0) is decided in flush.c
 * alone; scenario.c only warns about the value, as SPEC section 1 asks. */
static void one_place_for_each_rule(void **state)
{
    static const char *const kinds[] = {"SS_DELIVERY", "SS_OWA", "SS_MOVE", "SS_FLUSH"};
    char *sim = read_source("src/sim.c");
    size_t k;
    int i;
    (void)state;
    for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (names(sim, kinds[k]))
            fail_msg("src/sim.c names the kind %s: give the kind a hook instead", kinds[k]);
    free(sim);
    for (i = 0; i < disk.n; i++) {
        const char *path = disk.name[i];
        char *text;
        if (strncmp(path, "src/", 4) != 0 || strcmp(path, "src/flush.c") == 0 ||
            strcmp(path, "src/scenario.c") == 0)
            continue;
        text = read_source(path);
        if (strstr(text, "gateway_out_threads == 0") || strstr(text, "gateway_out_threads != 0"))
            fail_msg("%s tests Gateway Out Threads itself: ask flush.c", path);
        free(text);
    }
    assert_true(names("a SS_MOVE;", "SS_MOVE"));
    assert_false(names("SS_MOVE_X", "SS_MOVE"));
}

/* The program is C99 and its library; only src/os_*.c may include the
 * platform's own headers (SPEC, top). */
static void only_the_os_layer_calls_the_system(void **state)
{
    static const char *const c99[] = {"assert.h", "ctype.h", "errno.h", "float.h", "inttypes.h",
                                      "limits.h", "math.h", "signal.h", "stdarg.h", "stdbool.h",
                                      "stddef.h", "stdint.h", "stdio.h", "stdlib.h", "string.h",
                                      "time.h"};
    int i;
    (void)state;
    for (i = 0; i < disk.n; i++) {
        const char *path = disk.name[i], *p;
        char *text;
        if ((strncmp(path, "src/", 4) != 0 && strncmp(path, "include/", 8) != 0) ||
            strncmp(path, "src/os_", 7) == 0)
            continue;
        text = read_source(path);
        for (p = strstr(text, "#include <"); p; p = strstr(p + 1, "#include <")) {
            const char *name = p + strlen("#include <");
            size_t n = strcspn(name, ">"), k;
            bool known = false;
            for (k = 0; k < sizeof c99 / sizeof c99[0]; k++)
                known = known || (strlen(c99[k]) == n && strncmp(c99[k], name, n) == 0);
            if (!known)
                fail_msg("%s includes <%.*s>: only src/os_*.c may call the system", path, (int)n,
                         name);
        }
        free(text);
    }
}

static void every_scenario_in_the_catalogue(void **state)
{
    char *catalogue = read_source("scenarios/README.md"), *readme = read_source("README.md");
    int i, scenarios = 0;
    (void)state;
    for (i = 0; i < disk.n; i++) {
        const char *path = disk.name[i], *name = base_name(path);
        char link[2 * NAME_LEN + 8], row[NAME_LEN + 8], *text;
        size_t len = strlen(path);
        if (strncmp(path, "scenarios/", 10) != 0 || len < 4 || strcmp(path + len - 4, ".scn"))
            continue;
        scenarios++;
        snprintf(link, sizeof link, "[%s](%s)", name, name);
        snprintf(row, sizeof row, "`%s`", path);
        if (!strstr(catalogue, link))
            fail_msg("scenarios/README.md does not list %s as %s", path, link);
        if (!strstr(readme, row))
            fail_msg("README.md's table of scenarios does not list %s", row);
        text = read_source(path);
        if (text[0] != '#')
            fail_msg("%s does not open with a comment that says what it shows", path);
        free(text);
    }
    assert_true(scenarios >= 6);
    free(catalogue);
    free(readme);
}

/* The checks themselves catch what they are for. */
static void checker_catches_breaks(void **state)
{
    static struct names b;
    char why[256];
    (void)state;
    memset(&b, 0, sizeof b);
    assert_int_equal(build_layers("set(STORESIM_ENGINE\n  src/eventq.c # the queue\n)\n"
                                  "set(STORESIM_MODEL\n  src/sim.c\n  src/pool.c\n)\n",
                                  &b, why, sizeof why),
                     2);
    assert_int_equal(b.value[find(&b, "sim.c")], 2);
    assert_int_equal(check_includes(&b, "src/sim.c", "#include \"storesim/eventq.h\"\n", 2, why,
                                    sizeof why),
                     0);
    assert_int_equal(check_includes(&b, "src/eventq.c", "#include \"storesim/pool.h\"\n", 0, why,
                                    sizeof why),
                     -1);
    assert_non_null(strstr(why, "a later layer"));
    assert_int_equal(check_includes(&b, "src/sim.c", "#include \"nowhere.h\"\n", 2, why,
                                    sizeof why),
                     -1);
    memset(&b, 0, sizeof b);
    assert_int_equal(build_layers("set(STORESIM_MODEL\n src/a.c\n)\nset(STORESIM_ENGINE\n)\n", &b,
                                  why, sizeof why),
                     -1);
    memset(&b, 0, sizeof b);
    assert_int_equal(build_layers("set(STORESIM_ENGINE\n src/a.c\n)\nset(STORESIM_MODEL\n src/a.c\n)\n",
                                  &b, why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "two layers"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checker_catches_breaks),
        cmocka_unit_test(every_source_in_one_layer),
        cmocka_unit_test(readme_agrees_with_the_build),
        cmocka_unit_test(layers_include_only_earlier_layers),
        cmocka_unit_test(every_test_is_run),
        cmocka_unit_test(one_place_for_each_rule),
        cmocka_unit_test(only_the_os_layer_calls_the_system),
        cmocka_unit_test(every_scenario_in_the_catalogue),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
