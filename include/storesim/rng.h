/*
 * rng.h: random streams.
 *
 * Each source of randomness in the model (delivery arrivals, delivery service,
 * OWA arrivals, ...) draws from its own stream, seeded from the scenario's seed
 * and the stream's name. Changing the hotfix, the pool size or one workload
 * therefore never changes the numbers another workload sees: the "common random
 * numbers" that make a before/after comparison fair (SPEC section 3).
 *
 * The generator is xoshiro256** (Blackman and Vigna, 2018), its state filled by
 * splitmix64 as its authors recommend. Never rand(): its quality and sequence
 * differ between C libraries.
 */
#ifndef STORESIM_RNG_H
#define STORESIM_RNG_H

#include <stdint.h>

struct ss_rng {
    uint64_t s[4];
};

/* The stream called `name` for the scenario seed `seed`. */
void ss_rng_stream(struct ss_rng *r, uint64_t seed, const char *name);

/* Next 64 random bits (xoshiro256**, Blackman and Vigna, 2018). Inline: it
 * runs several times per event. */
static inline uint64_t ss_rng_next(struct ss_rng *r)
{
    uint64_t *s = r->s;
    uint64_t x = s[1] * 5, result = ((x << 7) | (x >> 57)) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* Uniform on [0, 1), with 53 random bits. */
static inline double ss_rng_uniform(struct ss_rng *r)
{
    return (double)(ss_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* splitmix64 (Steele, Lea and Flood, 2014): one step of the seeding generator. */
uint64_t ss_splitmix64(uint64_t *state);

#endif
