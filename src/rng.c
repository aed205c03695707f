/* rng.c: xoshiro256** seeded through splitmix64, one stream per name. */
#include "storesim/rng.h"

uint64_t ss_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* FNV-1a: a stable 64-bit hash of the stream's name. */
static uint64_t name_hash(const char *name)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    while (*name) {
        h ^= (unsigned char)*name++;
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

void ss_rng_stream(struct ss_rng *r, uint64_t seed, const char *name)
{
    /* Mix the seed before combining it with the name, so seeds 1 and 2 do not
     * give streams whose states differ in one bit. */
    uint64_t mixer = seed;
    uint64_t state = ss_splitmix64(&mixer) ^ name_hash(name);
    int i;
    for (i = 0; i < 4; i++)
        r->s[i] = ss_splitmix64(&state);
}
