/* A cipher: ChaCha20-Poly1305 AEAD (RFC 8439), seal and open, over records of many
 * sizes, the way a TLS or a disk-encryption layer runs it. Poly1305 is the 32-bit
 * "donna" formulation (26-bit limbs, 64-bit products). */
#include "rt.h"

static inline uint32_t load32_le(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void store32_le(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* ---- ChaCha20 ---- */

#define ROTL32(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
#define QR(a, b, c, d)                                                                         \
    do {                                                                                       \
        a += b; d ^= a; d = ROTL32(d, 16);                                                     \
        c += d; b ^= c; b = ROTL32(b, 12);                                                     \
        a += b; d ^= a; d = ROTL32(d, 8);                                                      \
        c += d; b ^= c; b = ROTL32(b, 7);                                                      \
    } while (0)

typedef struct {
    uint32_t input[16];
} chacha_ctx;

static void chacha_init(chacha_ctx *ctx, const uint8_t key[32], const uint8_t nonce[12],
                        uint32_t counter) {
    ctx->input[0] = 0x61707865;
    ctx->input[1] = 0x3320646e;
    ctx->input[2] = 0x79622d32;
    ctx->input[3] = 0x6b206574;
    for (int i = 0; i < 8; i++)
        ctx->input[4 + i] = load32_le(key + 4 * i);
    ctx->input[12] = counter;
    for (int i = 0; i < 3; i++)
        ctx->input[13 + i] = load32_le(nonce + 4 * i);
}

static void chacha_block(const uint32_t in[16], uint8_t out[64]) {
    uint32_t x[16];
    memcpy(x, in, sizeof x);
    for (int i = 0; i < 10; i++) {
        QR(x[0], x[4], x[8], x[12]);
        QR(x[1], x[5], x[9], x[13]);
        QR(x[2], x[6], x[10], x[14]);
        QR(x[3], x[7], x[11], x[15]);
        QR(x[0], x[5], x[10], x[15]);
        QR(x[1], x[6], x[11], x[12]);
        QR(x[2], x[7], x[8], x[13]);
        QR(x[3], x[4], x[9], x[14]);
    }
    for (int i = 0; i < 16; i++)
        store32_le(out + 4 * i, x[i] + in[i]);
}

static void chacha_xor(chacha_ctx *ctx, uint8_t *dst, const uint8_t *src, size_t len) {
    uint8_t block[64];
    while (len > 0) {
        chacha_block(ctx->input, block);
        ctx->input[12]++;
        size_t take = len < 64 ? len : 64;
        for (size_t i = 0; i < take; i++)
            dst[i] = src[i] ^ block[i];
        dst += take;
        src += take;
        len -= take;
    }
}

/* ---- Poly1305 ---- */

typedef struct {
    uint32_t r[5], h[5], pad[4];
    size_t leftover;
    uint8_t buffer[16];
    uint8_t final;
} poly1305_ctx;

static void poly1305_init(poly1305_ctx *st, const uint8_t key[32]) {
    st->r[0] = load32_le(key + 0) & 0x3ffffff;
    st->r[1] = (load32_le(key + 3) >> 2) & 0x3ffff03;
    st->r[2] = (load32_le(key + 6) >> 4) & 0x3ffc0ff;
    st->r[3] = (load32_le(key + 9) >> 6) & 0x3f03fff;
    st->r[4] = (load32_le(key + 12) >> 8) & 0x00fffff;
    for (int i = 0; i < 5; i++)
        st->h[i] = 0;
    for (int i = 0; i < 4; i++)
        st->pad[i] = load32_le(key + 16 + 4 * i);
    st->leftover = 0;
    st->final = 0;
}

static void poly1305_blocks(poly1305_ctx *st, const uint8_t *m, size_t bytes) {
    const uint32_t hibit = st->final ? 0 : (1u << 24);
    uint32_t r0 = st->r[0], r1 = st->r[1], r2 = st->r[2], r3 = st->r[3], r4 = st->r[4];
    uint32_t s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
    uint32_t h0 = st->h[0], h1 = st->h[1], h2 = st->h[2], h3 = st->h[3], h4 = st->h[4];
    while (bytes >= 16) {
        h0 += load32_le(m + 0) & 0x3ffffff;
        h1 += (load32_le(m + 3) >> 2) & 0x3ffffff;
        h2 += (load32_le(m + 6) >> 4) & 0x3ffffff;
        h3 += (load32_le(m + 9) >> 6) & 0x3ffffff;
        h4 += (load32_le(m + 12) >> 8) | hibit;
        uint64_t d0 = (uint64_t)h0 * r0 + (uint64_t)h1 * s4 + (uint64_t)h2 * s3 +
                      (uint64_t)h3 * s2 + (uint64_t)h4 * s1;
        uint64_t d1 = (uint64_t)h0 * r1 + (uint64_t)h1 * r0 + (uint64_t)h2 * s4 +
                      (uint64_t)h3 * s3 + (uint64_t)h4 * s2;
        uint64_t d2 = (uint64_t)h0 * r2 + (uint64_t)h1 * r1 + (uint64_t)h2 * r0 +
                      (uint64_t)h3 * s4 + (uint64_t)h4 * s3;
        uint64_t d3 = (uint64_t)h0 * r3 + (uint64_t)h1 * r2 + (uint64_t)h2 * r1 +
                      (uint64_t)h3 * r0 + (uint64_t)h4 * s4;
        uint64_t d4 = (uint64_t)h0 * r4 + (uint64_t)h1 * r3 + (uint64_t)h2 * r2 +
                      (uint64_t)h3 * r1 + (uint64_t)h4 * r0;
        uint32_t c = (uint32_t)(d0 >> 26);
        h0 = (uint32_t)d0 & 0x3ffffff;
        d1 += c;
        c = (uint32_t)(d1 >> 26);
        h1 = (uint32_t)d1 & 0x3ffffff;
        d2 += c;
        c = (uint32_t)(d2 >> 26);
        h2 = (uint32_t)d2 & 0x3ffffff;
        d3 += c;
        c = (uint32_t)(d3 >> 26);
        h3 = (uint32_t)d3 & 0x3ffffff;
        d4 += c;
        c = (uint32_t)(d4 >> 26);
        h4 = (uint32_t)d4 & 0x3ffffff;
        h0 += c * 5;
        c = h0 >> 26;
        h0 &= 0x3ffffff;
        h1 += c;
        m += 16;
        bytes -= 16;
    }
    st->h[0] = h0;
    st->h[1] = h1;
    st->h[2] = h2;
    st->h[3] = h3;
    st->h[4] = h4;
}

static void poly1305_update(poly1305_ctx *st, const uint8_t *m, size_t bytes) {
    if (st->leftover) {
        size_t want = 16 - st->leftover;
        if (want > bytes)
            want = bytes;
        memcpy(st->buffer + st->leftover, m, want);
        bytes -= want;
        m += want;
        st->leftover += want;
        if (st->leftover < 16)
            return;
        poly1305_blocks(st, st->buffer, 16);
        st->leftover = 0;
    }
    if (bytes >= 16) {
        size_t want = bytes & ~(size_t)15;
        poly1305_blocks(st, m, want);
        m += want;
        bytes -= want;
    }
    if (bytes) {
        memcpy(st->buffer, m, bytes);
        st->leftover = bytes;
    }
}

static void poly1305_finish(poly1305_ctx *st, uint8_t mac[16]) {
    if (st->leftover) {
        size_t i = st->leftover;
        st->buffer[i++] = 1;
        for (; i < 16; i++)
            st->buffer[i] = 0;
        st->final = 1;
        poly1305_blocks(st, st->buffer, 16);
    }
    uint32_t h0 = st->h[0], h1 = st->h[1], h2 = st->h[2], h3 = st->h[3], h4 = st->h[4];
    uint32_t c = h1 >> 26;
    h1 &= 0x3ffffff;
    h2 += c;
    c = h2 >> 26;
    h2 &= 0x3ffffff;
    h3 += c;
    c = h3 >> 26;
    h3 &= 0x3ffffff;
    h4 += c;
    c = h4 >> 26;
    h4 &= 0x3ffffff;
    h0 += c * 5;
    c = h0 >> 26;
    h0 &= 0x3ffffff;
    h1 += c;
    /* h + -p */
    uint32_t g0 = h0 + 5;
    c = g0 >> 26;
    g0 &= 0x3ffffff;
    uint32_t g1 = h1 + c;
    c = g1 >> 26;
    g1 &= 0x3ffffff;
    uint32_t g2 = h2 + c;
    c = g2 >> 26;
    g2 &= 0x3ffffff;
    uint32_t g3 = h3 + c;
    c = g3 >> 26;
    g3 &= 0x3ffffff;
    uint32_t g4 = h4 + c - (1u << 26);
    uint32_t mask = (g4 >> 31) - 1;
    g0 &= mask;
    g1 &= mask;
    g2 &= mask;
    g3 &= mask;
    g4 &= mask;
    mask = ~mask;
    h0 = (h0 & mask) | g0;
    h1 = (h1 & mask) | g1;
    h2 = (h2 & mask) | g2;
    h3 = (h3 & mask) | g3;
    h4 = (h4 & mask) | g4;
    h0 = h0 | (h1 << 26);
    h1 = (h1 >> 6) | (h2 << 20);
    h2 = (h2 >> 12) | (h3 << 14);
    h3 = (h3 >> 18) | (h4 << 8);
    uint64_t f = (uint64_t)h0 + st->pad[0];
    h0 = (uint32_t)f;
    f = (uint64_t)h1 + st->pad[1] + (f >> 32);
    h1 = (uint32_t)f;
    f = (uint64_t)h2 + st->pad[2] + (f >> 32);
    h2 = (uint32_t)f;
    f = (uint64_t)h3 + st->pad[3] + (f >> 32);
    h3 = (uint32_t)f;
    store32_le(mac + 0, h0);
    store32_le(mac + 4, h1);
    store32_le(mac + 8, h2);
    store32_le(mac + 12, h3);
}

/* ---- the AEAD construction ---- */

static void aead_tag(const uint8_t key[32], const uint8_t nonce[12], const uint8_t *aad,
                     size_t aad_len, const uint8_t *ct, size_t ct_len, uint8_t tag[16]) {
    chacha_ctx cc;
    uint8_t otk[64];
    chacha_init(&cc, key, nonce, 0);
    chacha_block(cc.input, otk);
    poly1305_ctx p;
    poly1305_init(&p, otk);
    static const uint8_t zeros[16];
    poly1305_update(&p, aad, aad_len);
    poly1305_update(&p, zeros, (16 - aad_len % 16) % 16);
    poly1305_update(&p, ct, ct_len);
    poly1305_update(&p, zeros, (16 - ct_len % 16) % 16);
    uint8_t lens[16];
    for (int i = 0; i < 8; i++) {
        lens[i] = (uint8_t)((uint64_t)aad_len >> (8 * i));
        lens[8 + i] = (uint8_t)((uint64_t)ct_len >> (8 * i));
    }
    poly1305_update(&p, lens, 16);
    poly1305_finish(&p, tag);
}

static void aead_seal(const uint8_t key[32], const uint8_t nonce[12], const uint8_t *aad,
                      size_t aad_len, const uint8_t *pt, size_t len, uint8_t *ct, uint8_t tag[16]) {
    chacha_ctx cc;
    chacha_init(&cc, key, nonce, 1);
    chacha_xor(&cc, ct, pt, len);
    aead_tag(key, nonce, aad, aad_len, ct, len, tag);
}

/* Constant-time tag comparison; returns false (and leaves `pt` alone) on a forgery. */
static bool aead_open(const uint8_t key[32], const uint8_t nonce[12], const uint8_t *aad,
                      size_t aad_len, const uint8_t *ct, size_t len, const uint8_t tag[16],
                      uint8_t *pt) {
    uint8_t want[16];
    aead_tag(key, nonce, aad, aad_len, ct, len, want);
    uint8_t diff = 0;
    for (int i = 0; i < 16; i++)
        diff |= want[i] ^ tag[i];
    if (diff)
        return false;
    chacha_ctx cc;
    chacha_init(&cc, key, nonce, 1);
    chacha_xor(&cc, pt, ct, len);
    return true;
}

/* RFC 8439 section 2.5.2: the Poly1305 example. */
static bool poly1305_selftest(void) {
    static const uint8_t key[32] = {
        0x85, 0xd6, 0xbe, 0x78, 0x57, 0x55, 0x6d, 0x33, 0x7f, 0x44, 0x52, 0xfe, 0x42, 0xd5, 0x06, 0xa8,
        0x01, 0x03, 0x80, 0x8a, 0xfb, 0x0d, 0xb2, 0xfd, 0x4a, 0xbf, 0xf6, 0xaf, 0x41, 0x49, 0xf5, 0x1b};
    static const uint8_t want[16] = {0xa8, 0x06, 0x1d, 0xc1, 0x30, 0x51, 0x36, 0xc6,
                                     0xc2, 0x2b, 0x8b, 0xaf, 0x0c, 0x01, 0x27, 0xa9};
    const char *msg = "Cryptographic Forum Research Group";
    poly1305_ctx p;
    uint8_t tag[16];
    poly1305_init(&p, key);
    poly1305_update(&p, (const uint8_t *)msg, strlen(msg));
    poly1305_finish(&p, tag);
    return memcmp(tag, want, 16) == 0;
}

#define MAX_RECORD 16384

int64_t run(int32_t n) {
    uint8_t key[32], nonce[12] = {0}, aad[13];
    rng_t rng = rng_new(7);
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)rng_next(&rng);
    uint8_t *plain = malloc(MAX_RECORD), *sealed = malloc(MAX_RECORD), *opened = malloc(MAX_RECORD);
    for (int i = 0; i < MAX_RECORD; i++)
        plain[i] = (uint8_t)("the quick brown fox jumps over the lazy dog "[i % 44] ^ (i >> 8));
    uint64_t sum = poly1305_selftest() ? 1 : 0xbad;
    uint8_t tag[16];
    for (int32_t round = 0; round < n; round++) {
        /* A mix of record sizes: a few full records, many small ones. */
        for (int r = 0; r < 6; r++) {
            size_t len = r == 0 && round % 4 == 3 ? MAX_RECORD : rng_below(&rng, 1500);
            store32_le(nonce + 4, (uint32_t)round);
            store32_le(nonce + 8, (uint32_t)r);
            for (int i = 0; i < 13; i++)
                aad[i] = (uint8_t)(round + r + i);
            aead_seal(key, nonce, aad, sizeof aad, plain, len, sealed, tag);
            sum = mix(sum, load32_le(tag) ^ (uint64_t)load32_le(tag + 12) << 32);
            if (len >= 4)
                sum = mix(sum, load32_le(sealed + len - 4));
            if (!aead_open(key, nonce, aad, sizeof aad, sealed, len, tag, opened) ||
                memcmp(opened, plain, len) != 0)
                sum = mix(sum, 0xdead);
            /* A forged record must be refused. */
            if (len > 0) {
                sealed[len / 2] ^= 1;
                if (aead_open(key, nonce, aad, sizeof aad, sealed, len, tag, opened))
                    sum = mix(sum, 0xf00d);
            }
        }
        plain[round % MAX_RECORD] ^= 0x5a;
    }
    free(plain);
    free(sealed);
    free(opened);
    return (int64_t)sum;
}
