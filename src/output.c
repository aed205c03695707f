/*
 * output.c: outputs written whole or not at all (the contract is in output.h).
 *
 * Each output goes through a plan: what its name leads to (os.h), how it
 * will be written, and a key that says which file it is, to compare with the
 * inputs and the other outputs. Pure C99: everything the system knows comes
 * through storesim/os.h, and where that answers "unknown" this falls back to
 * a temporary renamed over the target and to comparing spellings.
 */
#include "storesim/output.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "storesim/os.h"

#define SHOWN 200     /* bytes of a path quoted in a message */
#define TMP_STEM 32   /* bytes of the target's name kept in its temporary's */
#define TMP_TRIES 1000

/* How an output is written. */
enum how {
    H_STDOUT,   /* the command's standard output stream */
    H_STDERR,   /* the process's standard error stream */
    H_IN_PLACE, /* a device or FIFO, opened and written directly */
    H_FILE      /* a temporary beside the target, renamed over it */
};

/* Which file a name is, for comparisons. */
enum key {
    K_NONE,     /* cannot tell: equal to nothing */
    K_ID,       /* the file's identity */
    K_FOLDER,   /* not there yet: its folder's identity and its name */
    K_SPELLING  /* no identities (C99): the name as spelled, tidied */
};

struct plan {
    enum how how;
    struct ss_os_info info; /* what the name leads to, links followed */
    char *final;            /* H_FILE: the name past any links (malloc'd) */
    char *folder;           /* H_FILE: final's folder with its '/', or "" (malloc'd) */
    const char *name;       /* H_FILE: final's last component (inside final) */
    enum key key;
    struct ss_os_id folder_id; /* K_FOLDER */
    char *spelling;         /* K_SPELLING (malloc'd) */
};

/* ---- messages ---------------------------------------------------------------- */

static void say(char *err, size_t size, const char *fmt, ...)
{
    va_list ap;
    if (!err || size == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
}

/* Append to a message already in err. */
static void say_more(char *err, size_t size, const char *fmt, ...)
{
    va_list ap;
    size_t used;
    if (!err || size == 0)
        return;
    used = strlen(err);
    if (used + 1 >= size)
        return;
    va_start(ap, fmt);
    vsnprintf(err + used, size - used, fmt, ap);
    va_end(ap);
}

/* A path fit to quote: cut to SHOWN bytes, control characters as '?', so a
 * name cannot drive the terminal the message is read on. */
static const char *shown(char buf[SHOWN + 4], const char *path)
{
    size_t i;
    for (i = 0; path[i] && i < SHOWN; i++) {
        unsigned char c = (unsigned char)path[i];
        buf[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    strcpy(buf + i, path[i] ? "..." : "");
    return buf;
}

/* The reason for a failure whose errno was saved as `e`. C99 does not promise
 * that I/O functions set errno, so 0 gets a reason of its own. */
static const char *reason(int e, const char *fallback)
{
    return e ? strerror(e) : fallback;
}

static int cannot(char *err, size_t size, const char *path, const char *why)
{
    char p[SHOWN + 4];
    say(err, size, "cannot write %s: %s", shown(p, path), why);
    return SS_OUTPUTS_UNWRITABLE;
}

/* ---- plans --------------------------------------------------------------------- */

static char *copy(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c)
        memcpy(c, s, n);
    return c;
}

static int is_separator(char c)
{
#ifdef _WIN32
    return c == '/' || c == '\\' || c == ':';
#else
    return c == '/';
#endif
}

/* "./a//b/./c" is "a/b/c": the spellings the C99 build can see through. */
static char *tidied(const char *path)
{
    char *s = malloc(strlen(path) + 1), *w = s;
    const char *r = path;
    if (!s)
        return NULL;
    while (*r) {
        int start = r == path || is_separator(r[-1]);
        if (start && r[0] == '.' && is_separator(r[1])) {
            r += 2;
        } else if (is_separator(*r) && (w == s ? r > path : is_separator(w[-1]))) {
            r++;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return s;
}

/* Names the build cannot check by identity, that everyone means as streams. */
static enum how spelled_stream(const char *path)
{
    if (strcmp(path, "/dev/stdout") == 0 || strcmp(path, "/dev/fd/1") == 0)
        return H_STDOUT;
    if (strcmp(path, "/dev/stderr") == 0 || strcmp(path, "/dev/fd/2") == 0)
        return H_STDERR;
    return H_FILE;
}

static void init_plan(struct plan *p)
{
    memset(p, 0, sizeof *p);
    p->final = p->folder = p->spelling = NULL;
    p->name = NULL;
}

static void free_plan(struct plan *p)
{
    free(p->final);
    free(p->folder);
    free(p->spelling);
    p->final = p->folder = p->spelling = NULL;
}

/* Split p->final into folder and name. */
static int split(struct plan *p)
{
    size_t n = strlen(p->final);
    while (n > 0 && !is_separator(p->final[n - 1]))
        n--;
    p->folder = malloc(n + 1);
    if (!p->folder)
        return -1;
    memcpy(p->folder, p->final, n);
    p->folder[n] = '\0';
    p->name = p->final + n;
    return 0;
}

/* The key of a name whose info is known; for a missing one, its folder's. */
static int set_key(struct plan *p, const char *path)
{
    if (p->info.has_id) {
        p->key = K_ID;
        return 0;
    }
    if (p->info.kind == SS_OS_MISSING && p->final && p->folder) {
        struct ss_os_info folder;
        ss_os_inspect(*p->folder ? p->folder : ".", &folder);
        if (folder.has_id) {
            p->key = K_FOLDER;
            p->folder_id = folder.id;
            return 0;
        }
    }
    p->spelling = tidied(p->final ? p->final : path);
    p->key = K_SPELLING;
    return p->spelling ? 0 : -1;
}

/* Can a file be created in the folder of p->final? */
static int check_folder(const struct plan *p, const char *path, char *err, size_t size)
{
    struct ss_os_info f;
    char d[SHOWN + 4];
    const char *folder = *p->folder ? p->folder : ".";
    ss_os_inspect(folder, &f);
    switch (f.kind) {
    case SS_OS_DIRECTORY:
        if (f.writable == 0) {
            say(err, size, "cannot write %s: cannot create a file in its folder: %s",
                shown(d, path), reason(f.error, "permission denied"));
            return SS_OUTPUTS_UNWRITABLE;
        }
        return 0;
    case SS_OS_MISSING:
        return cannot(err, size, path, reason(f.error, "no such folder"));
    case SS_OS_UNKNOWN:
        /* The lookup failed (POSIX), or the C99 build cannot tell a folder
         * from a read-only file: the temporary's creation will say. */
        if (f.error && f.writable == -1)
            return cannot(err, size, path, reason(f.error, "cannot reach its folder"));
        return 0;
    default: {
        char dir[SHOWN + 4];
        say(err, size, "cannot write %s: %s is not a folder", shown(d, path), shown(dir, folder));
        return SS_OUTPUTS_UNWRITABLE;
    }
    }
}

/* What output `path` is and how it will be written. Returns 0, or
 * SS_OUTPUTS_UNWRITABLE with the reason in err. p is to be freed either way. */
static int plan(const char *path, struct plan *p, char *err, size_t size)
{
    struct ss_os_info std;
    enum how spelled;
    int e;
    init_plan(p);
    if (!*path)
        return cannot(err, size, path, "the name is empty");
    if (strcmp(path, "-") == 0) {
        p->how = H_STDOUT;
        ss_os_inspect_std(1, &p->info);
        p->key = p->info.has_id ? K_ID : K_NONE;
        return 0;
    }
    ss_os_inspect(path, &p->info);
    /* The file a standard stream already writes: write through that stream,
     * never a second opening of it (or a rename under it). */
    if (p->info.kind != SS_OS_MISSING) {
        ss_os_inspect_std(1, &std);
        if (ss_os_same_file(&p->info, &std) == 1) {
            p->how = H_STDOUT;
            return set_key(p, path) ? cannot(err, size, path, "out of memory") : 0;
        }
        ss_os_inspect_std(2, &std);
        if (ss_os_same_file(&p->info, &std) == 1) {
            p->how = H_STDERR;
            return set_key(p, path) ? cannot(err, size, path, "out of memory") : 0;
        }
    }
    spelled = p->info.has_id ? H_FILE : spelled_stream(path);
    if (spelled != H_FILE) {
        p->how = spelled;
        p->key = K_NONE;
        return 0;
    }
    /* The key first: an output that cannot be written may still be an input. */
    p->final = ss_os_final_path(path, &e);
    if (!p->final)
        return cannot(err, size, path, reason(e, "cannot follow the link"));
    if (split(p) != 0 || set_key(p, path) != 0)
        return cannot(err, size, path, "out of memory");
    switch (p->info.kind) {
    case SS_OS_DEVICE:
    case SS_OS_FIFO:
        if (p->info.writable == 0)
            return cannot(err, size, path, reason(p->info.error, "permission denied"));
        p->how = H_IN_PLACE;
        return 0;
    case SS_OS_DIRECTORY:
        return cannot(err, size, path, "it is a directory");
    case SS_OS_SOCKET:
        return cannot(err, size, path, "it is a socket");
    case SS_OS_OTHER:
        return cannot(err, size, path, "it is not a file, a device or a pipe");
    case SS_OS_REGULAR:
        if (p->info.writable == 0)
            return cannot(err, size, path, reason(p->info.error, "permission denied"));
        if (p->info.write_bits == 0) /* root could: the bits say "do not" */
            return cannot(err, size, path, "the file is read-only (it has no write permission)");
        break;
    case SS_OS_UNKNOWN:
        if (p->info.writable == 0 || p->info.error)
            return cannot(err, size, path, reason(p->info.error, "it cannot be opened for writing"));
        break; /* C99: all that is known is that it can be written */
    case SS_OS_MISSING:
        break;
    }
    p->how = H_FILE;
    if (*p->name == '\0')
        return cannot(err, size, path, "it names a folder, not a file");
    return check_folder(p, path, err, size);
}

/* Are the files of a and b one? */
static int same_file(const struct plan *a, const struct plan *b)
{
    if (a->key != b->key)
        return 0;
    switch (a->key) {
    case K_ID:
        return ss_os_same_file(&a->info, &b->info) == 1;
    case K_FOLDER:
        return a->folder_id.volume == b->folder_id.volume &&
               a->folder_id.index == b->folder_id.index && strcmp(a->name, b->name) == 0;
    case K_SPELLING:
        return strcmp(a->spelling, b->spelling) == 0;
    default:
        return 0;
    }
}

/* The key of an input: only its identity or its spelling matter. */
static int plan_input(const char *path, struct plan *p)
{
    int e;
    init_plan(p);
    ss_os_inspect(path, &p->info);
    if (!p->info.has_id) {
        p->final = ss_os_final_path(path, &e);
        if (!p->final || split(p) != 0)
            return -1;
    }
    return set_key(p, path);
}

static const char *label_of(const char *label)
{
    return label ? label : "output";
}

int ss_outputs_check(const struct ss_file_arg *outputs, size_t n,
                     const struct ss_file_arg *inputs, size_t n_inputs, char *err,
                     size_t err_size)
{
    struct plan *out = calloc(n ? n : 1, sizeof *out);
    struct plan in;
    char a[SHOWN + 4], b[SHOWN + 4];
    int status = SS_OUTPUTS_OK, unwritable = 0;
    size_t i, j;
    char first[512] = "";

    if (!out) {
        say(err, err_size, "cannot check the outputs: out of memory");
        return SS_OUTPUTS_UNWRITABLE;
    }
    for (i = 0; i < n; i++)
        init_plan(&out[i]);
    for (i = 0; i < n; i++) {
        if (!outputs[i].path)
            continue;
        if (plan(outputs[i].path, &out[i], first[0] ? NULL : first, sizeof first) != 0)
            unwritable = 1;
    }
    /* Bad names first: they are mistakes in the command line (exit 2). */
    for (i = 0; i < n && status == SS_OUTPUTS_OK; i++) {
        if (!outputs[i].path)
            continue;
        if (!*outputs[i].path) {
            say(err, err_size, "%s needs a file name, not an empty one",
                label_of(outputs[i].label));
            status = SS_OUTPUTS_BAD_NAME;
            break;
        }
        for (j = 0; j < n_inputs && status == SS_OUTPUTS_OK; j++) {
            if (!inputs[j].path)
                continue;
            if (plan_input(inputs[j].path, &in) == 0 && same_file(&out[i], &in) &&
                out[i].info.kind != SS_OS_DEVICE) {
                say(err, err_size, "%s %s is the same file as %s %s: an output may not "
                                   "overwrite an input",
                    label_of(outputs[i].label), shown(a, outputs[i].path),
                    inputs[j].label ? inputs[j].label : "the input", shown(b, inputs[j].path));
                status = SS_OUTPUTS_BAD_NAME;
            }
            free_plan(&in);
        }
        for (j = 0; j < i && status == SS_OUTPUTS_OK; j++) {
            const struct plan *p = &out[i], *q = &out[j];
            if (!outputs[j].path || p->how != q->how || !same_file(p, q))
                continue;
            if (p->how == H_STDOUT || p->how == H_STDERR || p->info.kind == SS_OS_DEVICE)
                continue; /* one stream, or a device: both are written, nothing is lost */
            say(err, err_size, "%s %s and %s %s are the same file: give each output a file "
                               "of its own",
                label_of(outputs[j].label), shown(a, outputs[j].path),
                label_of(outputs[i].label), shown(b, outputs[i].path));
            status = SS_OUTPUTS_BAD_NAME;
        }
    }
    if (status == SS_OUTPUTS_OK && unwritable) {
        say(err, err_size, "%s", first);
        status = SS_OUTPUTS_UNWRITABLE;
    }
    for (i = 0; i < n; i++)
        free_plan(&out[i]);
    free(out);
    return status;
}

/* ---- one output ------------------------------------------------------------------ */

static void zero(struct ss_output *o)
{
    memset(o, 0, sizeof *o);
    o->f = NULL;
    o->path = o->tmp = o->target = NULL;
    o->label = NULL;
}

static void release(struct ss_output *o)
{
    free(o->path);
    free(o->tmp);
    free(o->target);
    zero(o);
}

/* "<folder><name cut to TMP_STEM bytes>.tmp-<n>", never cut inside a UTF-8
 * character. */
static char *temp_name(const struct plan *p, unsigned n)
{
    size_t stem = strlen(p->name), folder = strlen(p->folder), size;
    char *name;
    if (stem > TMP_STEM) {
        stem = TMP_STEM;
        while (stem > 0 && ((unsigned char)p->name[stem] & 0xC0) == 0x80)
            stem--;
    }
    size = folder + stem + sizeof ".tmp-" + 10;
    name = malloc(size);
    if (name)
        snprintf(name, size, "%s%.*s.tmp-%u", p->folder, (int)stem, p->name, n);
    return name;
}

/* Create the temporary of a H_FILE plan exclusively. */
static int open_temp(struct ss_output *o, const struct plan *p, const char *path, char *err,
                     size_t size)
{
    unsigned n;
    int e = 0;
    for (n = 0; n < TMP_TRIES; n++) {
        int got;
        o->tmp = temp_name(p, n);
        if (!o->tmp)
            return cannot(err, size, path, "out of memory");
        got = ss_os_create_new(o->tmp, &o->f, &e);
        if (got == 0)
            break;
        free(o->tmp);
        o->tmp = NULL;
        if (got < 0)
            return cannot(err, size, path, reason(e, "cannot create a file there"));
    }
    if (n == TMP_TRIES)
        return cannot(err, size, path, "too many leftover temporary files (NAME.tmp-N) beside it");
    if (p->info.kind != SS_OS_MISSING && ss_os_adopt_mode(o->f, p->final, &e) != 0) {
        fclose(o->f);
        o->f = NULL;
        remove(o->tmp);
        return cannot(err, size, path, reason(e, "cannot give the new file its permissions"));
    }
    return 0;
}

static int open_one(struct ss_output *o, const char *path, const char *label, FILE *out,
                    char *err, size_t size)
{
    struct plan p;
    int e, status;
    zero(o);
    status = plan(path, &p, err, size);
    if (status == 0) {
        o->label = label;
        if (p.how != H_STDOUT || strcmp(path, "-") != 0) {
            o->path = copy(path);
            if (!o->path)
                status = cannot(err, size, path, "out of memory");
        }
    }
    if (status == 0) {
        switch (p.how) {
        case H_STDOUT:
            o->f = out ? out : stdout;
            o->is_stdout = 1;
            break;
        case H_STDERR:
            o->f = stderr;
            o->in_place = 1;
            break;
        case H_IN_PLACE:
            o->f = ss_os_open_in_place(path, &e);
            if (!o->f)
                status = cannot(err, size, path,
                                reason(e, "it changed while it was being opened"));
            o->in_place = o->own_stream = 1;
            break;
        case H_FILE:
            status = open_temp(o, &p, path, err, size);
            o->own_stream = 1;
            o->target = p.final;
            p.final = NULL;
            break;
        }
    }
    free_plan(&p);
    if (status != 0) {
        /* Nothing was created that is still there: open_temp removes its own. */
        if (o->f && o->own_stream)
            fclose(o->f);
        release(o);
    }
    return status;
}

/* The name of an output in messages. */
static const char *name_of(const struct ss_output *o, char buf[SHOWN + 4])
{
    return o->path ? shown(buf, o->path) : "standard output";
}

/* A stream written in place: flush (and close it if it is ours). */
static int finish_stream(struct ss_output *o, char *err, size_t size)
{
    const char *why = NULL;
    char p[SHOWN + 4];
    int e = 0;
    errno = 0;
    if (fflush(o->f) != 0) {
        e = errno;
        why = reason(e, "write error");
    } else if (ferror(o->f)) {
        why = "write error"; /* an earlier write failed; its errno is long gone */
    }
    if (o->own_stream) {
        errno = 0;
        if (fclose(o->f) != 0 && !why) {
            e = errno;
            why = reason(e, "error closing it");
        }
    }
    o->f = NULL;
    if (why)
        say(err, size, "cannot write %s: %s", name_of(o, p), why);
    return why ? -1 : 0;
}

/* A temporary: every byte to the disk, then closed. Removed on failure. */
static int finish_temp(struct ss_output *o, char *err, size_t size)
{
    const char *why = NULL;
    char p[SHOWN + 4];
    int e = 0;
    if (ss_os_sync(o->f, &e) != 0)
        why = reason(e, "write error");
    else if (ferror(o->f))
        why = "write error";
    errno = 0;
    if (fclose(o->f) != 0 && !why) {
        e = errno;
        why = reason(e, "error closing the file");
    }
    o->f = NULL;
    if (why) {
        say(err, size, "cannot write %s: %s", name_of(o, p), why);
        remove(o->tmp);
    }
    return why ? -1 : 0;
}

/* Rename a closed temporary over its target, if that is still a file or
 * nothing. Removes the temporary on failure. */
static int rename_temp(struct ss_output *o, char *err, size_t size)
{
    struct ss_os_info now;
    const char *why = NULL;
    char p[SHOWN + 4];
    int e = 0;
    ss_os_inspect(o->target, &now);
    if (now.kind != SS_OS_REGULAR && now.kind != SS_OS_MISSING && now.kind != SS_OS_UNKNOWN)
        why = "it is no longer a file (it changed during the run)";
    else if (ss_os_replace(o->tmp, o->target, &e) != 0)
        why = reason(e, "cannot rename the temporary file");
    if (why) {
        say(err, size, "cannot write %s: %s", name_of(o, p), why);
        remove(o->tmp);
    }
    return why ? -1 : 0;
}

/* Abandon: close what is ours and, if it is an open temporary, remove it. */
static void discard(struct ss_output *o)
{
    if (o->f && o->own_stream) {
        fclose(o->f);
        if (o->tmp)
            remove(o->tmp);
    }
    o->f = NULL;
}

int ss_output_open(struct ss_output *o, const char *path, char *err, size_t err_size)
{
    return open_one(o, path, NULL, NULL, err, err_size) == 0 ? 0 : -1;
}

int ss_output_commit(struct ss_output *o, char *err, size_t err_size)
{
    int status;
    assert(o->f != NULL && "commit of an output that is not open");
    if (!o->tmp)
        status = finish_stream(o, err, err_size);
    else
        status = finish_temp(o, err, err_size) == 0 ? rename_temp(o, err, err_size) : -1;
    release(o);
    return status;
}

void ss_output_abort(struct ss_output *o)
{
    discard(o);
    release(o);
}

/* ---- a set of outputs --------------------------------------------------------------- */

int ss_outputs_open(struct ss_outputs *set, const struct ss_file_arg *outputs, size_t n,
                    FILE *out, char *err, size_t err_size)
{
    size_t i;
    int status;
    set->n = 0;
    set->out = out;
    set->item = NULL;
    /* Against each other again: two temporaries for one file would lose one. */
    status = ss_outputs_check(outputs, n, NULL, 0, err, err_size);
    if (status != SS_OUTPUTS_OK)
        return status;
    set->item = calloc(n ? n : 1, sizeof *set->item);
    if (!set->item) {
        say(err, err_size, "cannot open the outputs: out of memory");
        return SS_OUTPUTS_UNWRITABLE;
    }
    set->n = n;
    for (i = 0; i < n; i++)
        zero(&set->item[i]);
    for (i = 0; i < n; i++) {
        if (!outputs[i].path)
            continue;
        if (open_one(&set->item[i], outputs[i].path, outputs[i].label, out, err, err_size)) {
            ss_outputs_abort(set);
            return SS_OUTPUTS_UNWRITABLE;
        }
    }
    return SS_OUTPUTS_OK;
}

FILE *ss_outputs_stream(const struct ss_outputs *set, size_t i)
{
    return i < set->n ? set->item[i].f : NULL;
}

/* "; WHAT a, b": the files (outputs with a temporary) from..to but skip. */
static void list_files(const struct ss_outputs *set, size_t from, size_t to, size_t skip,
                       const char *what, char *err, size_t size)
{
    char p[SHOWN + 4];
    int first = 1;
    size_t i;
    for (i = from; i < to; i++) {
        if (!set->item[i].tmp || i == skip)
            continue;
        if (first)
            say_more(err, size, "; %s", what);
        say_more(err, size, "%s %s", first ? "" : ",", name_of(&set->item[i], p));
        first = 0;
    }
}

static void release_all(struct ss_outputs *set)
{
    size_t i;
    for (i = 0; i < set->n; i++)
        release(&set->item[i]);
    free(set->item);
    set->item = NULL;
    set->n = 0;
    set->out = NULL;
}

int ss_outputs_commit(struct ss_outputs *set, char *err, size_t err_size)
{
    size_t i, bad = set->n; /* the file that failed, if one did */
    int streams_ok = 1, failed;
    char why[512] = "";

    /* 1. Every stream: the command's standard output (the report and "-"),
     *    standard error, the devices and FIFOs. The first failure is told. */
    if (set->out) {
        struct ss_output report;
        zero(&report);
        report.f = set->out;
        streams_ok = finish_stream(&report, why, sizeof why) == 0;
    }
    for (i = 0; i < set->n; i++) {
        struct ss_output *o = &set->item[i];
        if (o->f && !o->tmp && finish_stream(o, streams_ok ? why : NULL, sizeof why) != 0)
            streams_ok = 0;
    }
    /* 2. Every temporary, flushed to the disk and closed. */
    for (i = 0; streams_ok && bad == set->n && i < set->n; i++)
        if (set->item[i].tmp && finish_temp(&set->item[i], why, sizeof why) != 0)
            bad = i; /* closed and removed */
    if (!streams_ok || bad < set->n) {
        say(err, err_size, "%s", why);
        list_files(set, 0, set->n, bad, "not written:", err, err_size);
        for (i = 0; i < set->n; i++) {
            struct ss_output *o = &set->item[i];
            if (!o->tmp || i == bad)
                continue;
            if (o->f)
                discard(o);
            else
                remove(o->tmp); /* closed in step 2, ours */
        }
        release_all(set);
        return -1;
    }
    /* 3. Only now, the renames, in order; after a failure, the rest removed. */
    for (i = 0; i < set->n; i++) {
        struct ss_output *o = &set->item[i];
        if (!o->tmp)
            continue;
        if (bad < i)
            remove(o->tmp);
        else if (rename_temp(o, why, sizeof why) != 0)
            bad = i; /* removed */
    }
    failed = bad < set->n;
    if (failed) {
        say(err, err_size, "%s", why);
        list_files(set, 0, bad, bad, "written:", err, err_size);
        list_files(set, bad, set->n, bad, "not written:", err, err_size);
    }
    release_all(set);
    return failed ? -1 : 0;
}

void ss_outputs_abort(struct ss_outputs *set)
{
    size_t i;
    for (i = 0; i < set->n; i++)
        discard(&set->item[i]);
    release_all(set);
}
