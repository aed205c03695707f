/* test_rng.c: splitmix64 and xoshiro256** against their published definitions,
 * and the one-stream-per-name rule (common random numbers, SPEC section 3). */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "storesim/rng.h"

/* splitmix64 from state 0: the reference values of Vigna's splitmix64.c. */
static void test_splitmix64_reference(void **state)
{
    static const uint64_t expected[] = {
        UINT64_C(0xe220a8397b1dcdaf),
        UINT64_C(0x6e789e6aa1b965f4),
        UINT64_C(0x06c45d188009454f),
        UINT64_C(0xf88bb8a8724c81ec),
        UINT64_C(0x1b39896a51a8749b),
    };
    uint64_t s = 0;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        uint64_t got = ss_splitmix64(&s);
        if (got != expected[i])
            fail_msg("splitmix64 output %zu: 0x%016llx, expected 0x%016llx", i,
                     (unsigned long long)got, (unsigned long long)expected[i]);
    }
    /* The state advances by the golden-ratio increment each call. */
    assert_true(s == UINT64_C(0x9e3779b97f4a7c15) * 5);
}

/* xoshiro256** from the state {1, 2, 3, 4}: values worked out from Blackman
 * and Vigna's xoshiro256starstar.c (the first is rotl(2 * 5, 7) * 9) by an
 * independent implementation. */
static void test_xoshiro256starstar_reference(void **state)
{
    struct ss_rng r;
    (void)state;
    r.s[0] = 1;
    r.s[1] = 2;
    r.s[2] = 3;
    r.s[3] = 4;
    assert_true(ss_rng_next(&r) == UINT64_C(11520));
    assert_true(ss_rng_next(&r) == UINT64_C(0));
    assert_true(ss_rng_next(&r) == UINT64_C(1509978240));
    assert_true(ss_rng_next(&r) == UINT64_C(1215971899390074240));
}

static int same_stream(uint64_t seed_a, const char *name_a, uint64_t seed_b, const char *name_b)
{
    struct ss_rng a, b;
    int i;
    ss_rng_stream(&a, seed_a, name_a);
    ss_rng_stream(&b, seed_b, name_b);
    for (i = 0; i < 100; i++)
        if (ss_rng_next(&a) != ss_rng_next(&b))
            return 0;
    return 1;
}

static void test_same_name_and_seed_identical(void **state)
{
    (void)state;
    assert_true(same_stream(1, "delivery.arrivals", 1, "delivery.arrivals"));
    assert_true(same_stream(0, "", 0, ""));
    assert_true(same_stream(UINT64_MAX, "owa.service", UINT64_MAX, "owa.service"));
}

static void test_streams_differ(void **state)
{
    static const char *names[] = {
        "delivery.arrivals", "delivery.service", "owa.arrivals", "owa.service",
        "move.duration", "smtp.retry", "", "a", "b", "ab", "ba",
    };
    size_t i, j;
    (void)state;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        for (j = 0; j < sizeof names / sizeof names[0]; j++)
            if (i != j && same_stream(1, names[i], 1, names[j]))
                fail_msg("streams \"%s\" and \"%s\" are the same", names[i], names[j]);
    /* Different seeds, same name. */
    assert_false(same_stream(1, "delivery.arrivals", 2, "delivery.arrivals"));
    assert_false(same_stream(0, "delivery.arrivals", 1, "delivery.arrivals"));
}

/* Nearby seeds and names must not give correlated streams: on average half
 * the bits of the first outputs differ. */
static void test_nearby_seeds_decorrelated(void **state)
{
    struct ss_rng a, b;
    uint64_t seed;
    long bits = 0, total = 0;
    (void)state;
    for (seed = 1; seed < 200; seed++) {
        int i;
        ss_rng_stream(&a, seed, "delivery.arrivals");
        ss_rng_stream(&b, seed + 1, "delivery.arrivals");
        for (i = 0; i < 4; i++) {
            uint64_t x = ss_rng_next(&a) ^ ss_rng_next(&b);
            while (x) {
                bits += (long)(x & 1);
                x >>= 1;
            }
            total += 64;
        }
    }
    assert_true(fabs((double)bits / (double)total - 0.5) < 0.02);
}

/*
 * The derivation of a stream from (seed, name) is part of what a seed means:
 * the same scenario and seed must give the same run in every later version.
 * These values come from an independent implementation of the documented
 * recipe (splitmix64 of the seed, xor the FNV-1a hash of the name, four
 * splitmix64 steps fill xoshiro256**). If they change, every published run
 * changes: do it on purpose or not at all.
 */
static void test_stream_derivation_is_pinned(void **state)
{
    static const struct {
        uint64_t seed;
        const char *name;
        uint64_t out[3];
    } pins[] = {
        {1, "delivery.arrivals",
         {UINT64_C(0xcbd8a5735faeaddd), UINT64_C(0x040206c45b763fb4),
          UINT64_C(0x974b16dbfd45ec58)}},
        {1, "owa.service",
         {UINT64_C(0x63a6769494d81647), UINT64_C(0x248dd5a0460e1d1c),
          UINT64_C(0xd94a06b3687bfa0a)}},
        {2, "delivery.arrivals",
         {UINT64_C(0x920be484de682d28), UINT64_C(0xc100616ff28b6fd5),
          UINT64_C(0xcbc764e92f784c6d)}},
        {0, "",
         {UINT64_C(0x1e28178eedbf0f30), UINT64_C(0x32dadb1a9e4a4d08),
          UINT64_C(0x4ef49088479a6d5c)}},
    };
    size_t i, j;
    (void)state;
    for (i = 0; i < sizeof pins / sizeof pins[0]; i++) {
        struct ss_rng r;
        ss_rng_stream(&r, pins[i].seed, pins[i].name);
        for (j = 0; j < 3; j++) {
            uint64_t got = ss_rng_next(&r);
            if (got != pins[i].out[j])
                fail_msg("stream (%llu, \"%s\") output %zu: 0x%016llx, expected 0x%016llx",
                         (unsigned long long)pins[i].seed, pins[i].name, j,
                         (unsigned long long)got, (unsigned long long)pins[i].out[j]);
        }
    }
}

static void test_stream_state_not_zero(void **state)
{
    struct ss_rng r;
    (void)state;
    /* xoshiro's one forbidden state is all zeros. */
    ss_rng_stream(&r, 0, "");
    assert_true((r.s[0] | r.s[1] | r.s[2] | r.s[3]) != 0);
}

static void test_uniform_range(void **state)
{
    struct ss_rng r;
    int i;
    double lo = 1.0, hi = 0.0;
    (void)state;
    ss_rng_stream(&r, 42, "uniform.range");
    for (i = 0; i < 100000; i++) {
        double u = ss_rng_uniform(&r);
        assert_true(u >= 0.0);
        assert_true(u < 1.0);
        if (u < lo)
            lo = u;
        if (u > hi)
            hi = u;
    }
    /* It covers the interval. */
    assert_true(lo < 0.001);
    assert_true(hi > 0.999);
}

static void test_uniform_extremes(void **state)
{
    struct ss_rng r;
    (void)state;
    /* With s[1] = 0 the next output is 0, so the uniform is exactly 0. */
    r.s[0] = 1;
    r.s[1] = 0;
    r.s[2] = 0;
    r.s[3] = 0;
    assert_true(ss_rng_uniform(&r) == 0.0);
    /* Uniform takes the top 53 bits of the output. */
    r.s[0] = 1;
    r.s[1] = 2;
    r.s[2] = 3;
    r.s[3] = 4;
    assert_true(ss_rng_uniform(&r) == (double)(UINT64_C(11520) >> 11) * 0x1.0p-53);
}

static void test_uniform_mean_and_spread(void **state)
{
    enum { N = 1000000 };
    struct ss_rng r;
    int i, buckets[10];
    double sum = 0.0, sumsq = 0.0, mean, var;
    (void)state;
    memset(buckets, 0, sizeof buckets);
    ss_rng_stream(&r, 1, "uniform.mean");
    for (i = 0; i < N; i++) {
        double u = ss_rng_uniform(&r);
        sum += u;
        sumsq += u * u;
        buckets[(int)(u * 10.0)]++;
    }
    mean = sum / N;
    var = sumsq / N - mean * mean;
    /* Standard error of the mean is 0.29 / 1000: allow about 7 of them. */
    assert_true(fabs(mean - 0.5) < 0.002);
    assert_true(fabs(var - 1.0 / 12.0) < 0.002);
    for (i = 0; i < 10; i++)
        assert_true(buckets[i] > N / 10 - 2000 && buckets[i] < N / 10 + 2000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_splitmix64_reference),
        cmocka_unit_test(test_xoshiro256starstar_reference),
        cmocka_unit_test(test_same_name_and_seed_identical),
        cmocka_unit_test(test_streams_differ),
        cmocka_unit_test(test_nearby_seeds_decorrelated),
        cmocka_unit_test(test_stream_derivation_is_pinned),
        cmocka_unit_test(test_stream_state_not_zero),
        cmocka_unit_test(test_uniform_range),
        cmocka_unit_test(test_uniform_extremes),
        cmocka_unit_test(test_uniform_mean_and_spread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
