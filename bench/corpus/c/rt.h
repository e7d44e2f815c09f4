/* rt.h: the small freestanding runtime every C program of the corpus shares.
 *
 * The wasm builds link no libc (the benchmark instantiates them with no imports), so this
 * file provides what they use: fixed-width integer types, malloc/free/calloc/realloc (a
 * size-class free-list allocator in rt.c on top of memory.grow), memcpy/memset/memmove/
 * memcmp/strlen, a PRNG and the checksum mixer.
 *
 * The same sources also build natively (gcc, for checking checksums; see build.sh
 * --native): there the allocator runs on a static arena under the names rt_malloc etc.
 * (so libc's malloc is untouched and the allocator itself is checked too), and the
 * mem* and str* functions are libc's. */
#ifndef RT_H
#define RT_H

typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
typedef __UINTPTR_TYPE__ uintptr_t;
typedef __INT8_TYPE__ int8_t;
typedef __INT16_TYPE__ int16_t;
typedef __INT32_TYPE__ int32_t;
typedef __INT64_TYPE__ int64_t;
typedef __UINT8_TYPE__ uint8_t;
typedef __UINT16_TYPE__ uint16_t;
typedef __UINT32_TYPE__ uint32_t;
typedef __UINT64_TYPE__ uint64_t;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

#ifndef __wasm__
#define malloc rt_malloc
#define free rt_free
#define calloc rt_calloc
#define realloc rt_realloc
#endif

void *malloc(size_t n);
void free(void *p);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* The entry point every program exports: n scales the work; the result is a checksum. */
int64_t run(int32_t n);

/* xorshift64*: the programs' source of "input". */
typedef struct {
    uint64_t s;
} rng_t;

static inline rng_t rng_new(uint64_t seed) {
    rng_t r = {seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull};
    if (r.s == 0)
        r.s = 1;
    return r;
}

static inline uint64_t rng_next(rng_t *r) {
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* A uniform-enough integer in [0, bound). */
static inline uint32_t rng_below(rng_t *r, uint32_t bound) {
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)bound) >> 32);
}

/* Folds a value into a running checksum. */
static inline uint64_t mix(uint64_t h, uint64_t v) {
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

#endif
