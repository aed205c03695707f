/*
 * floor_mm1.c: the floor under storesim's M/M/1 benchmark.
 *
 * A minimal, hand-written discrete-event M/M/1 queue in plain C99, with
 * nothing of storesim in it: the least a general event-driven simulator
 * must do to run bench/mm1.scn. bench/run times it beside storesim and
 * prints storesim's time as a multiple of this one.
 *
 * The same workload as bench/mm1.scn: one server, Poisson arrivals at
 * 0.9/s, exponential service with mean 1 s, 1,111,111 s simulated; times in
 * integer microseconds, rounded to the nearest as storesim rounds them.
 * The same machinery a simulator needs, each part minimal:
 *
 *   random numbers  xoshiro256** (Blackman and Vigna, 2018), one stream for
 *                   the arrivals and one for the service times, each seeded
 *                   through splitmix64;
 *   exponentials    the ziggurat method of Marsaglia and Tsang (2000), 256
 *                   layers, its tables computed here at start-up by their
 *                   set-up recipe (exact: the rare rejections fall back to
 *                   exp() and log());
 *   event list      a binary heap on (time, sequence number), so events at
 *                   the same instant run in the order scheduled;
 *   queue           a FIFO ring of waiting customers.
 *
 * It prints the check value, the mean time in system (theory 1 / (mu -
 * lambda) = 10 s), so that a fast wrong floor cannot pass for one:
 *
 *   floor_mm1 customers 999785 events 1999571 time_in_system_s 10.123456
 *
 * Usage: floor_mm1 [SEED]   (default 1)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------ random numbers */

struct rng {
    uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
    int i;
    for (i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform on [0, 1). */
static double rng_uniform(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* -------------------------------------------------------- exponentials */

#define ZIG_R 7.697117470131487    /* where the tail begins */
#define ZIG_V 3.949659822581572e-3 /* the area of each layer */

static uint32_t zig_k[256];
static double zig_w[256], zig_f[256];

/* Marsaglia and Tsang's set-up of the exponential tables (REXP). */
static void zig_setup(void)
{
    const double m = 4294967296.0;
    double d = ZIG_R, t = ZIG_R, q = ZIG_V / exp(-ZIG_R);
    int i;
    zig_k[0] = (uint32_t)((d / q) * m);
    zig_k[1] = 0;
    zig_w[0] = q / m;
    zig_w[255] = d / m;
    zig_f[0] = 1.0;
    zig_f[255] = exp(-d);
    for (i = 254; i >= 1; i--) {
        d = -log(ZIG_V / d + exp(-d));
        zig_k[i + 1] = (uint32_t)((d / t) * m);
        t = d;
        zig_f[i] = exp(-d);
        zig_w[i] = d / m;
    }
}

/* A standard exponential: one random word, a look-up and a multiply for
 * almost every sample. */
static double exponential(struct rng *r)
{
    for (;;) {
        uint64_t u = rng_next(r);
        unsigned i = (unsigned)(u & 255);
        uint32_t j = (uint32_t)(u >> 32);
        double x = (double)j * zig_w[i];
        if (j < zig_k[i])
            return x;
        if (i == 0)
            return ZIG_R - log(1.0 - rng_uniform(r));
        if (zig_f[i] + rng_uniform(r) * (zig_f[i - 1] - zig_f[i]) < exp(-x))
            return x;
    }
}

/* An exponential of mean `mean_us`, in whole microseconds. */
static int64_t exp_us(double mean_us, struct rng *r)
{
    return (int64_t)(mean_us * exponential(r) + 0.5);
}

/* ---------------------------------------------------------- event list */

enum kind { ARRIVAL, DEPARTURE };

struct event {
    int64_t time;
    uint64_t seq;
    int kind;
};

struct heap {
    struct event *ev;
    size_t len, cap;
    uint64_t next_seq;
};

static int before(const struct event *a, const struct event *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void push(struct heap *h, int64_t time, int kind)
{
    struct event e;
    size_t i;
    if (h->len == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 16;
        h->ev = realloc(h->ev, h->cap * sizeof *h->ev);
        if (!h->ev) {
            fputs("floor_mm1: out of memory\n", stderr);
            exit(1);
        }
    }
    e.time = time;
    e.seq = h->next_seq++;
    e.kind = kind;
    for (i = h->len++; i > 0 && before(&e, &h->ev[(i - 1) / 2]); i = (i - 1) / 2)
        h->ev[i] = h->ev[(i - 1) / 2];
    h->ev[i] = e;
}

static struct event pop(struct heap *h)
{
    struct event top = h->ev[0], last = h->ev[--h->len];
    size_t i = 0, n = h->len;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && before(&h->ev[c + 1], &h->ev[c]))
            c++;
        if (!before(&h->ev[c], &last))
            break;
        h->ev[i] = h->ev[c];
        i = c;
    }
    h->ev[i] = last;
    return top;
}

/* --------------------------------------------------------------- queue */

struct customer {
    int64_t arrived;
    int64_t service;
};

struct ring {
    struct customer *c;
    size_t head, len, cap; /* cap is a power of two */
};

static void ring_put(struct ring *q, struct customer c)
{
    if (q->len == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 16, i;
        struct customer *n = malloc(cap * sizeof *n);
        if (!n) {
            fputs("floor_mm1: out of memory\n", stderr);
            exit(1);
        }
        for (i = 0; i < q->len; i++)
            n[i] = q->c[(q->head + i) & (q->cap - 1)];
        free(q->c);
        q->c = n;
        q->head = 0;
        q->cap = cap;
    }
    q->c[(q->head + q->len++) & (q->cap - 1)] = c;
}

static struct customer ring_take(struct ring *q)
{
    struct customer c = q->c[q->head];
    q->head = (q->head + 1) & (q->cap - 1);
    q->len--;
    return c;
}

/* ----------------------------------------------------------------- run */

int main(int argc, char **argv)
{
    const double gap_us = 1e6 / 0.9, service_us = 1e6;
    const int64_t end = INT64_C(1111111) * 1000000;
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
    struct rng arrivals, service;
    struct heap h = {NULL, 0, 0, 0};
    struct ring waiting = {NULL, 0, 0, 0};
    struct customer on_server = {0, 0};
    int busy = 0;
    uint64_t events = 0, customers = 0;
    double in_system_us = 0;

    zig_setup();
    rng_seed(&arrivals, seed);
    rng_seed(&service, seed ^ UINT64_C(0x5eed5eed5eed5eed));
    push(&h, exp_us(gap_us, &arrivals), ARRIVAL);
    while (h.len > 0 && h.ev[0].time <= end) {
        struct event e = pop(&h);
        int64_t now = e.time;
        events++;
        if (e.kind == ARRIVAL) {
            struct customer c;
            c.arrived = now;
            c.service = exp_us(service_us, &service);
            push(&h, now + exp_us(gap_us, &arrivals), ARRIVAL);
            if (busy) {
                ring_put(&waiting, c);
            } else {
                busy = 1;
                on_server = c;
                push(&h, now + c.service, DEPARTURE);
            }
        } else {
            customers++;
            in_system_us += (double)(now - on_server.arrived);
            if (waiting.len > 0) {
                on_server = ring_take(&waiting);
                push(&h, now + on_server.service, DEPARTURE);
            } else {
                busy = 0;
            }
        }
    }
    printf("floor_mm1 customers %llu events %llu time_in_system_s %.6f\n",
           (unsigned long long)customers, (unsigned long long)events,
           customers ? in_system_us / (double)customers / 1e6 : 0.0);
    free(h.ev);
    free(waiting.c);
    return 0;
}
