/* LZ-style compression: an LZ4-like block compressor (hash table of 4-byte sequences,
 * greedy matching with backward extension and skip acceleration) and its decompressor,
 * round-tripping generated log text in one large block and in independent 4 KiB blocks. */
#include "rt.h"

#define HASH_LOG 13
#define MIN_MATCH 4
#define LAST_LITERALS 5
#define MF_LIMIT 12

static inline uint32_t read32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline uint32_t hash4(uint32_t seq) { return (seq * 2654435761u) >> (32 - HASH_LOG); }

static uint8_t *write_length(uint8_t *op, size_t len) {
    while (len >= 255) {
        *op++ = 255;
        len -= 255;
    }
    *op++ = (uint8_t)len;
    return op;
}

/* The worst case for `len` bytes of input. */
static size_t lz_bound(size_t len) { return len + len / 255 + 16; }

/* Compresses src[0..len) into dst (at least lz_bound(len) bytes); returns the size. */
static size_t lz_compress(const uint8_t *src, size_t len, uint8_t *dst, uint32_t *table) {
    memset(table, 0, sizeof(uint32_t) << HASH_LOG);
    const uint8_t *ip = src, *anchor = src, *end = src + len;
    const uint8_t *match_limit = len > MF_LIMIT ? end - MF_LIMIT : src;
    uint8_t *op = dst;
    while (ip < match_limit) {
        uint32_t seq = read32(ip);
        uint32_t h = hash4(seq);
        const uint8_t *ref = src + table[h];
        table[h] = (uint32_t)(ip - src);
        if (ref >= ip || ip - ref > 65535 || read32(ref) != seq) {
            /* Skip faster through data that does not compress. */
            ip += 1 + ((size_t)(ip - anchor) >> 6);
            continue;
        }
        while (ip > anchor && ref > src && ip[-1] == ref[-1]) {
            ip--;
            ref--;
        }
        const uint8_t *mp = ip + MIN_MATCH, *mr = ref + MIN_MATCH;
        const uint8_t *mend = end - LAST_LITERALS;
        while (mp < mend && *mp == *mr) {
            mp++;
            mr++;
        }
        size_t lit = (size_t)(ip - anchor), mlen = (size_t)(mp - ip) - MIN_MATCH;
        uint8_t *token = op++;
        *token = (uint8_t)((lit >= 15 ? 15 : lit) << 4 | (mlen >= 15 ? 15 : mlen));
        if (lit >= 15)
            op = write_length(op, lit - 15);
        memcpy(op, anchor, lit);
        op += lit;
        uint16_t offset = (uint16_t)(ip - ref);
        *op++ = (uint8_t)offset;
        *op++ = (uint8_t)(offset >> 8);
        if (mlen >= 15)
            op = write_length(op, mlen - 15);
        /* Remember a position inside the match too: it finds more later. */
        if (mp - 2 > src)
            table[hash4(read32(mp - 2))] = (uint32_t)(mp - 2 - src);
        ip = anchor = mp;
    }
    size_t lit = (size_t)(end - anchor);
    *op++ = (uint8_t)((lit >= 15 ? 15 : lit) << 4);
    if (lit >= 15)
        op = write_length(op, lit - 15);
    memcpy(op, anchor, lit);
    op += lit;
    return (size_t)(op - dst);
}

/* Decompresses src[0..len) into dst (capacity cap); returns the size, or -1 if the input
 * is malformed or would overflow dst. */
static ptrdiff_t lz_decompress(const uint8_t *src, size_t len, uint8_t *dst, size_t cap) {
    const uint8_t *ip = src, *end = src + len;
    uint8_t *op = dst, *oend = dst + cap;
    while (ip < end) {
        unsigned token = *ip++;
        size_t lit = token >> 4;
        if (lit == 15) {
            uint8_t b;
            do {
                if (ip >= end)
                    return -1;
                b = *ip++;
                lit += b;
            } while (b == 255);
        }
        if ((size_t)(end - ip) < lit || (size_t)(oend - op) < lit)
            return -1;
        memcpy(op, ip, lit);
        op += lit;
        ip += lit;
        if (ip >= end)
            break;
        if (end - ip < 2)
            return -1;
        size_t offset = (size_t)ip[0] | (size_t)ip[1] << 8;
        ip += 2;
        if (offset == 0 || offset > (size_t)(op - dst))
            return -1;
        size_t mlen = token & 15;
        if (mlen == 15) {
            uint8_t b;
            do {
                if (ip >= end)
                    return -1;
                b = *ip++;
                mlen += b;
            } while (b == 255);
        }
        mlen += MIN_MATCH;
        if ((size_t)(oend - op) < mlen)
            return -1;
        const uint8_t *m = op - offset;
        if (offset >= mlen) {
            memcpy(op, m, mlen);
            op += mlen;
        } else {
            /* Overlapping: a run repeating the last `offset` bytes. */
            for (size_t i = 0; i < mlen; i++)
                *op++ = *m++;
        }
    }
    return op - dst;
}

/* ---- input: log lines ---- */

static char *put_str(char *p, const char *s) {
    while (*s)
        *p++ = *s++;
    return p;
}

static char *put_uint(char *p, uint32_t v, int width) {
    char tmp[12];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        tmp[n++] = '0';
    while (n)
        *p++ = tmp[--n];
    return p;
}

static size_t make_log(char *out, size_t cap, rng_t *rng) {
    static const char *levels[] = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
    static const char *actions[] = {"login", "logout", "view", "search", "purchase", "update"};
    static const char *paths[] = {"/api/v1/items/", "/api/v1/users/", "/static/img/", "/search?q=",
                                  "/cart/"};
    char *p = out;
    uint32_t t = 3600 * 9;
    while ((size_t)(p - out) + 160 < cap) {
        t += rng_below(rng, 4);
        p = put_str(p, "2024-05-01 ");
        p = put_uint(p, t / 3600 % 24, 2);
        *p++ = ':';
        p = put_uint(p, t / 60 % 60, 2);
        *p++ = ':';
        p = put_uint(p, t % 60, 2);
        *p++ = ' ';
        p = put_str(p, levels[rng_below(rng, 6)]);
        p = put_str(p, " user=");
        p = put_uint(p, 1000 + rng_below(rng, 200), 0);
        p = put_str(p, " action=");
        p = put_str(p, actions[rng_below(rng, 6)]);
        p = put_str(p, " path=");
        p = put_str(p, paths[rng_below(rng, 5)]);
        p = put_uint(p, rng_below(rng, 5000), 0);
        p = put_str(p, " status=");
        p = put_uint(p, rng_below(rng, 10) ? 200 : 404, 0);
        p = put_str(p, " ms=");
        p = put_uint(p, rng_below(rng, 300), 0);
        *p++ = '\n';
    }
    return (size_t)(p - out);
}

#define TEXT_CAP (48 * 1024)
#define WINDOW (16 * 1024)
#define BLOCK 4096

int64_t run(int32_t n) {
    char *text = malloc(TEXT_CAP);
    rng_t rng = rng_new(1234);
    size_t text_len = make_log(text, TEXT_CAP, &rng);
    uint32_t *table = malloc(sizeof(uint32_t) << HASH_LOG);
    uint8_t *packed = malloc(lz_bound(WINDOW));
    uint8_t *unpacked = malloc(WINDOW);
    uint64_t sum = text_len;
    for (int32_t round = 0; round < n; round++) {
        const uint8_t *window = (const uint8_t *)text + (size_t)round * 4099 % (text_len - WINDOW);
        size_t size = lz_compress(window, WINDOW, packed, table);
        ptrdiff_t back = lz_decompress(packed, size, unpacked, WINDOW);
        if (back != WINDOW || memcmp(unpacked, window, WINDOW) != 0)
            sum = mix(sum, 0xbad);
        sum = mix(sum, size);
        sum = mix(sum, read32(packed + size / 2));
        /* The same window as independent blocks, as a block store keeps it. */
        for (size_t b = 0; b < WINDOW; b += 4 * BLOCK) {
            size = lz_compress(window + b, BLOCK, packed, table);
            back = lz_decompress(packed, size, unpacked, BLOCK);
            if (back != BLOCK || memcmp(unpacked, window + b, BLOCK) != 0)
                sum = mix(sum, 0xbad);
            sum = mix(sum, size);
        }
        /* A damaged block must be refused or decode to something else, never overflow. */
        packed[size / 3] ^= 0x40;
        back = lz_decompress(packed, size, unpacked, BLOCK);
        sum = mix(sum, (uint64_t)back);
    }
    free(text);
    free(table);
    free(packed);
    free(unpacked);
    return (int64_t)sum;
}
