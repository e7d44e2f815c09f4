/* rt.c: malloc/free and the mem* functions for the freestanding wasm builds (see rt.h).
 *
 * The allocator: requests up to 2048 bytes are rounded up to one of eight power-of-two
 * size classes (16 .. 2048) with a free list each; larger ones are rounded up to 4 KiB
 * and kept on one first-fit list when freed. Every block has a 16-byte header holding its
 * usable size, so that payloads stay 16-byte aligned. Fresh blocks are carved from the
 * top of the heap, which grows with memory.grow (wasm) or inside a static arena (native). */
#include "rt.h"

#define HEADER 16
#define NCLASSES 8
#define BIG_ROUND 4096

struct free_block {
    struct free_block *next;
};

static struct free_block *class_free[NCLASSES];
static struct free_block *big_free;
static unsigned char *heap_top, *heap_end;

#ifdef __wasm__
extern unsigned char __heap_base;

static bool heap_grow(size_t bytes) {
    size_t pages = (bytes + 65535) / 65536;
    if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1)
        return false;
    heap_end += pages * 65536;
    return true;
}

static void heap_init(void) {
    heap_top = &__heap_base;
    heap_end = (unsigned char *)(__builtin_wasm_memory_size(0) * 65536);
}
#else
#define ARENA_SIZE ((size_t)1 << 30)
static unsigned char arena[ARENA_SIZE] __attribute__((aligned(16)));

static bool heap_grow(size_t bytes) {
    size_t pages = (bytes + 65535) / 65536;
    if (pages * 65536 > (size_t)(arena + ARENA_SIZE - heap_end))
        return false;
    heap_end += pages * 65536;
    return true;
}

static void heap_init(void) {
    heap_top = arena;
    heap_end = arena;
}
#endif

/* A fresh block of `size` usable bytes from the top of the heap. */
static void *carve(size_t size) {
    if (!heap_top)
        heap_init();
    size_t need = HEADER + size;
    if ((size_t)(heap_end - heap_top) < need && !heap_grow(need - (size_t)(heap_end - heap_top)))
        return NULL;
    unsigned char *block = heap_top;
    heap_top += need;
    *(size_t *)block = size;
    return block + HEADER;
}

static inline size_t usable_size(void *p) {
    return *(size_t *)((unsigned char *)p - HEADER);
}

static inline unsigned size_class(size_t n) {
    return n <= 16 ? 0 : 28 - (unsigned)__builtin_clz((unsigned)(n - 1));
}

void *malloc(size_t n) {
    if (n <= 2048) {
        unsigned c = size_class(n);
        struct free_block *b = class_free[c];
        if (b) {
            class_free[c] = b->next;
            return b;
        }
        return carve((size_t)16 << c);
    }
    if (n > ((size_t)-1) / 2)
        return NULL;
    size_t size = (n + BIG_ROUND - 1) & ~(size_t)(BIG_ROUND - 1);
    for (struct free_block **link = &big_free; *link; link = &(*link)->next) {
        struct free_block *b = *link;
        if (usable_size(b) >= size) {
            *link = b->next;
            return b;
        }
    }
    return carve(size);
}

void free(void *p) {
    if (!p)
        return;
    size_t size = usable_size(p);
    struct free_block *b = p;
    if (size <= 2048) {
        unsigned c = size_class(size);
        b->next = class_free[c];
        class_free[c] = b;
    } else {
        b->next = big_free;
        big_free = b;
    }
}

void *calloc(size_t count, size_t size) {
    if (size && count > ((size_t)-1) / size)
        return NULL;
    void *p = malloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *realloc(void *p, size_t n) {
    if (!p)
        return malloc(n);
    size_t old = usable_size(p);
    if (n <= old)
        return p;
    void *q = malloc(n);
    if (q) {
        memcpy(q, p, old);
        free(p);
    }
    return q;
}

#ifdef __wasm__
/* With bulk memory (-mbulk-memory) these builtins become memory.copy and memory.fill. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    __builtin_memcpy(dst, src, n);
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    __builtin_memmove(dst, src, n);
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    __builtin_memset(dst, c, n);
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] - y[i];
    }
    return 0;
}

/* 128-bit multiplication, which compiler-rt would provide: on wasm64 clang turns the
 * overflow check of calloc (count * size in 64 bits) into a call to it. */
#ifdef __wasm64__
__int128 __multi3(__int128 a, __int128 b) {
    uint64_t al = (uint64_t)a, ah = (uint64_t)((unsigned __int128)a >> 64);
    uint64_t bl = (uint64_t)b, bh = (uint64_t)((unsigned __int128)b >> 64);
    uint64_t a0 = (uint32_t)al, a1 = al >> 32, b0 = (uint32_t)bl, b1 = bl >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    uint64_t lo = mid << 32 | (uint32_t)p00;
    uint64_t hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32) + al * bh + ah * bl;
    return (__int128)((unsigned __int128)hi << 64 | lo);
}
#endif

size_t strlen(const char *s) {
    const char *p = s;
    while (*p)
        p++;
    return (size_t)(p - s);
}

int strcmp(const char *a, const char *b) {
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}
#endif
