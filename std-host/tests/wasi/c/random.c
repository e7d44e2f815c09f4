/* Random bytes: getentropy fills buffers that are not all zero and differ between two
 * calls (the chance of a false failure with 256 bytes is nil), a big request works in
 * pieces (getentropy's limit is 256 bytes per call), and a zero-length request succeeds.
 * WASI: random_get (through getentropy and directly under WASI). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifdef __wasi__
#include <wasi/api.h>
#endif

#include "common.h"

static int all_zero(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static int distinct_bytes(const unsigned char *p, size_t n) {
    int seen[256] = {0}, count = 0;
    for (size_t i = 0; i < n; i++)
        if (!seen[p[i]]++)
            count++;
    return count;
}

static unsigned char big[1 << 20];

int main(void) {
    unsigned char a[256], b[256];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    report("getentropy 256 bytes (a)", getentropy(a, sizeof a));
    report("getentropy 256 bytes (b)", getentropy(b, sizeof b));
    printf("a is all zero: %s\n", all_zero(a, sizeof a) ? "yes" : "no");
    printf("b is all zero: %s\n", all_zero(b, sizeof b) ? "yes" : "no");
    printf("a and b differ: %s\n", memcmp(a, b, sizeof a) ? "yes" : "no");
    printf("a has more than 64 distinct byte values: %s\n",
           distinct_bytes(a, sizeof a) > 64 ? "yes" : "no");
    report("getentropy 0 bytes", getentropy(a, 0));
    errno = 0;
    int rc = getentropy(big, 257);
    printf("getentropy 257 bytes: %s\n", rc < 0 ? errname(errno) : "ok");

    for (size_t off = 0; off < sizeof big; off += 256)
        getentropy(big + off, 256);
    size_t zero_chunks = 0;
    for (size_t off = 0; off < sizeof big; off += 256)
        zero_chunks += all_zero(big + off, 256);
    printf("1 MiB in 256-byte pieces, all-zero pieces: %zu\n", zero_chunks);

#ifdef __wasi__
    unsigned char c[4096] = {0};
    __wasi_errno_t e = __wasi_random_get(c, sizeof c);
    printf("random_get 4096 bytes: %s, all zero: %s\n", e == 0 ? "ok" : "error",
           all_zero(c, sizeof c) ? "yes" : "no");
#else
    /* Native builds print what the WASI build prints. */
    printf("random_get 4096 bytes: ok, all zero: no\n");
#endif
    return 0;
}
