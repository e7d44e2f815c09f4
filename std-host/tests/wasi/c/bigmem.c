/* malloc/free/realloc/calloc of hundreds of MiB: grows linear memory (memory.grow via
 * wasi-libc's sbrk) to more than 320 MiB live, writes one word in every 4 KiB page and
 * reads them all back, frees and reuses, grows one block by realloc (its contents must
 * survive every move) and checks calloc returns zeros in reused memory.
 * WASI: only fd_write and proc_exit; the point is memory.grow. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1024u * 1024u)
#define PAGE 4096u
#define BLOCKS 40
#define BLOCK (8u * MIB)

static uint32_t mark(uint32_t block, uint32_t page) {
    return (block * 2654435761u) ^ (page * 40503u) ^ 0x5bd1e995u;
}

/* Writes one mark per page of p[0..size), returns their sum. */
static uint64_t stamp(unsigned char *p, size_t size, uint32_t block) {
    uint64_t sum = 0;
    for (size_t off = 0; off < size; off += PAGE) {
        uint32_t v = mark(block, (uint32_t)(off / PAGE));
        memcpy(p + off, &v, sizeof v);
        sum += v;
    }
    return sum;
}

/* Sums the marks found; counts those that differ from what stamp wrote. */
static uint64_t check(const unsigned char *p, size_t size, uint32_t block, size_t *bad) {
    uint64_t sum = 0;
    for (size_t off = 0; off < size; off += PAGE) {
        uint32_t v;
        memcpy(&v, p + off, sizeof v);
        if (v != mark(block, (uint32_t)(off / PAGE)))
            (*bad)++;
        sum += v;
    }
    return sum;
}

int main(void) {
    unsigned char *blocks[BLOCKS];
    uint64_t written = 0, read = 0;
    size_t bad = 0;

    for (uint32_t i = 0; i < BLOCKS; i++) {
        blocks[i] = malloc(BLOCK);
        if (!blocks[i]) {
            printf("malloc of block %u failed\n", i);
            return 1;
        }
        written += stamp(blocks[i], BLOCK, i);
    }
    for (uint32_t i = 0; i < BLOCKS; i++)
        read += check(blocks[i], BLOCK, i, &bad);
    printf("live: %u MiB in %u blocks\n", BLOCKS * (BLOCK / MIB), BLOCKS);
    printf("checksum: %llu, read back: %s, bad pages: %zu\n", (unsigned long long)read,
           read == written ? "same" : "DIFFERENT", bad);

    /* Free every other block and allocate half-size blocks into the holes. */
    for (uint32_t i = 1; i < BLOCKS; i += 2)
        free(blocks[i]);
    written = read = 0;
    for (uint32_t i = 1; i < BLOCKS; i += 2) {
        blocks[i] = malloc(BLOCK / 2);
        if (!blocks[i]) {
            printf("malloc of half block %u failed\n", i);
            return 1;
        }
        written += stamp(blocks[i], BLOCK / 2, 1000 + i);
    }
    for (uint32_t i = 0; i < BLOCKS; i++)
        read += i % 2 ? check(blocks[i], BLOCK / 2, 1000 + i, &bad)
                      : check(blocks[i], BLOCK, i, &bad);
    printf("after reuse: checksum %llu, bad pages: %zu\n", (unsigned long long)read, bad);
    for (uint32_t i = 0; i < BLOCKS; i++)
        free(blocks[i]);
    puts("freed all blocks");

    /* One block grown by realloc from 1 MiB to 128 MiB, then shrunk to 1 MiB. */
    size_t size = MIB;
    unsigned char *p = malloc(size);
    if (!p)
        return 1;
    stamp(p, size, 7);
    while (size < 128 * MIB) {
        size_t old = size;
        size *= 2;
        unsigned char *q = realloc(p, size);
        if (!q) {
            printf("realloc to %zu MiB failed\n", size / MIB);
            return 1;
        }
        p = q;
        size_t before = bad;
        check(p, old, 7, &bad);
        if (bad != before)
            printf("realloc to %zu MiB lost data\n", size / MIB);
        stamp(p, size, 7);
    }
    read = check(p, size, 7, &bad);
    printf("realloc grown to %zu MiB: checksum %llu\n", size / MIB, (unsigned long long)read);
    p = realloc(p, MIB);
    if (!p)
        return 1;
    read = check(p, MIB, 7, &bad);
    printf("realloc shrunk to 1 MiB: checksum %llu\n", (unsigned long long)read);
    free(p);

    /* calloc must hand out zeros even where marks were written before. */
    size_t nonzero = 0;
    uint32_t *z = calloc(16 * MIB / sizeof(uint32_t), sizeof(uint32_t));
    if (!z)
        return 1;
    for (size_t i = 0; i < 16 * MIB / sizeof(uint32_t); i += PAGE / sizeof(uint32_t))
        nonzero += z[i] != 0;
    free(z);
    printf("calloc 16 MiB: %zu nonzero pages\n", nonzero);
    printf("bad pages in total: %zu\n", bad);
    return bad == 0 && nonzero == 0 ? 0 : 1;
}
