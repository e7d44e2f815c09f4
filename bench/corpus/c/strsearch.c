/* String search over generated prose: Boyer-Moore-Horspool, the naive scan (first byte,
 * then compare), Rabin-Karp with a rolling hash, and a case-insensitive search, each
 * counting every occurrence of a list of patterns; the counts must agree. */
#include "rt.h"

static size_t count_naive(const char *text, size_t n, const char *pat, size_t m) {
    size_t count = 0;
    if (m == 0 || m > n)
        return 0;
    for (size_t i = 0; i + m <= n; i++) {
        if (text[i] == pat[0] && memcmp(text + i + 1, pat + 1, m - 1) == 0)
            count++;
    }
    return count;
}

static size_t count_horspool(const char *text, size_t n, const char *pat, size_t m) {
    size_t shift[256];
    if (m == 0 || m > n)
        return 0;
    for (int c = 0; c < 256; c++)
        shift[c] = m;
    for (size_t i = 0; i + 1 < m; i++)
        shift[(unsigned char)pat[i]] = m - 1 - i;
    size_t count = 0, i = 0;
    unsigned char last = (unsigned char)pat[m - 1];
    while (i + m <= n) {
        unsigned char c = (unsigned char)text[i + m - 1];
        if (c == last && memcmp(text + i, pat, m - 1) == 0)
            count++;
        i += shift[c];
    }
    return count;
}

static size_t count_rabin_karp(const char *text, size_t n, const char *pat, size_t m) {
    const uint32_t base = 257;
    if (m == 0 || m > n)
        return 0;
    uint32_t hp = 0, ht = 0, power = 1;
    for (size_t i = 0; i < m; i++) {
        hp = hp * base + (unsigned char)pat[i];
        ht = ht * base + (unsigned char)text[i];
        if (i + 1 < m)
            power *= base;
    }
    size_t count = 0;
    for (size_t i = 0;; i++) {
        if (ht == hp && memcmp(text + i, pat, m) == 0)
            count++;
        if (i + m >= n)
            break;
        ht = (ht - (unsigned char)text[i] * power) * base + (unsigned char)text[i + m];
    }
    return count;
}

static inline char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

static size_t count_icase(const char *text, size_t n, const char *pat, size_t m) {
    size_t count = 0;
    if (m == 0 || m > n)
        return 0;
    char first = lower(pat[0]);
    for (size_t i = 0; i + m <= n; i++) {
        if (lower(text[i]) != first)
            continue;
        size_t k = 1;
        while (k < m && lower(text[i + k]) == lower(pat[k]))
            k++;
        if (k == m)
            count++;
    }
    return count;
}

static const char *const WORDS[] = {
    "the",     "of",      "and",     "to",       "in",       "a",        "is",      "that",
    "for",     "it",      "as",      "was",      "with",     "be",       "by",      "on",
    "not",     "he",      "this",    "are",      "or",       "his",      "from",    "at",
    "which",   "but",     "have",    "an",       "had",      "they",     "you",     "were",
    "there",   "one",     "all",     "we",       "can",      "her",      "has",     "been",
    "memory",  "page",    "grow",    "limit",    "interpreter", "bytecode", "module", "function",
    "table",   "value",   "stack",   "frame",    "branch",   "target",   "instruction", "compile",
    "search",  "pattern", "text",    "shift",    "window",   "Horspool", "Boyer",   "Moore",
};

static size_t make_text(char *out, size_t cap, rng_t *rng) {
    size_t len = 0;
    bool capital = true;
    while (len + 32 < cap) {
        const char *w = WORDS[rng_below(rng, 64)];
        size_t wl = strlen(w);
        memcpy(out + len, w, wl);
        if (capital && out[len] >= 'a' && out[len] <= 'z')
            out[len] = (char)(out[len] - 32);
        capital = false;
        len += wl;
        uint32_t p = rng_below(rng, 20);
        if (p == 0) {
            out[len++] = '.';
            capital = true;
        } else if (p == 1) {
            out[len++] = ',';
        }
        out[len++] = p == 2 ? '\n' : ' ';
    }
    out[len] = 0;
    return len;
}

#define TEXT_CAP (32 * 1024)

int64_t run(int32_t n) {
    static const char *const PATTERNS[] = {
        "the",          "interpreter",        "stack frame",      "of the",
        "branch target", "Horspool shift",    "memory page grow", "was not",
        "value",        "compile the module", "instruction",      "xyzzy",
        "in the table", "Boyer Moore",        "e",                "search pattern text window",
    };
    char *text = malloc(TEXT_CAP);
    rng_t rng = rng_new(5);
    size_t len = make_text(text, TEXT_CAP, &rng);
    uint64_t sum = len;
    for (int32_t round = 0; round < n; round++) {
        /* Each round searches a different stretch, as a grep over many files does. */
        size_t tl = 8 * 1024;
        size_t start = (size_t)round * 7919 % (len - tl);
        const char *t = text + start;
        for (int k = 0; k < 8; k++) {
            int p = (round * 8 + k) % 16;
            const char *pat = PATTERNS[p];
            size_t m = strlen(pat);
            size_t a = count_horspool(t, tl, pat, m);
            size_t b = (p + round) % 4 == 0 ? count_naive(t, tl, pat, m) : a;
            size_t c = (p + round) % 4 == 1 ? count_rabin_karp(t, tl, pat, m) : a;
            if (a != b || a != c)
                sum = mix(sum, 0xbad);
            sum = mix(sum, a);
            if ((p + round) % 8 == 2)
                sum = mix(sum, count_icase(t, tl, pat, m));
        }
    }
    free(text);
    return (int64_t)sum;
}
