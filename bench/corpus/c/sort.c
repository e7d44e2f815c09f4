/* Sorting: an introsort-style quicksort on ints (median of three, insertion sort for
 * short runs), and a generic stable merge sort with the qsort interface (element size
 * and a comparator called through a function pointer) on records, by several keys,
 * followed by binary searches through the same comparators. */
#include "rt.h"

/* ---- ints ---- */

static void insertion_sort_int(int32_t *a, size_t n) {
    for (size_t i = 1; i < n; i++) {
        int32_t v = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

static inline void swap_int(int32_t *a, int32_t *b) {
    int32_t t = *a;
    *a = *b;
    *b = t;
}

static void quicksort_int(int32_t *a, size_t n) {
    while (n > 16) {
        size_t mid = n / 2;
        if (a[mid] < a[0])
            swap_int(&a[mid], &a[0]);
        if (a[n - 1] < a[0])
            swap_int(&a[n - 1], &a[0]);
        if (a[n - 1] < a[mid])
            swap_int(&a[n - 1], &a[mid]);
        int32_t pivot = a[mid];
        size_t i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            swap_int(&a[i], &a[j]);
            i++;
            j--;
        }
        /* Recurse into the smaller half, loop on the larger. */
        size_t left = j + 1;
        if (left < n - left) {
            quicksort_int(a, left);
            a += left;
            n -= left;
        } else {
            quicksort_int(a + left, n - left);
            n = left;
        }
    }
    insertion_sort_int(a, n);
}

/* ---- records, through a comparator ---- */

typedef int (*cmp_fn)(const void *, const void *);

static void merge_sort_rec(char *base, char *tmp, size_t n, size_t size, cmp_fn cmp) {
    if (n <= 8) {
        /* Insertion sort, moving whole records. */
        char *hold = tmp;
        for (size_t i = 1; i < n; i++) {
            size_t j = i;
            if (cmp(base + (j - 1) * size, base + j * size) <= 0)
                continue;
            memcpy(hold, base + i * size, size);
            while (j > 0 && cmp(base + (j - 1) * size, hold) > 0) {
                memcpy(base + j * size, base + (j - 1) * size, size);
                j--;
            }
            memcpy(base + j * size, hold, size);
        }
        return;
    }
    size_t half = n / 2;
    merge_sort_rec(base, tmp, half, size, cmp);
    merge_sort_rec(base + half * size, tmp, n - half, size, cmp);
    if (cmp(base + (half - 1) * size, base + half * size) <= 0)
        return; /* already in order */
    memcpy(tmp, base, half * size);
    char *a = tmp, *a_end = tmp + half * size;
    char *b = base + half * size, *b_end = base + n * size;
    char *out = base;
    while (a < a_end && b < b_end) {
        if (cmp(b, a) < 0) {
            memcpy(out, b, size);
            b += size;
        } else {
            memcpy(out, a, size);
            a += size;
        }
        out += size;
    }
    memcpy(out, a, (size_t)(a_end - a));
}

/* Stable sort with qsort's interface. */
static void merge_sort(void *base, size_t n, size_t size, cmp_fn cmp) {
    if (n < 2)
        return;
    char *tmp = malloc((n / 2 + 1) * size);
    merge_sort_rec(base, tmp, n, size, cmp);
    free(tmp);
}

static void *binary_search(const void *key, const void *base, size_t n, size_t size, cmp_fn cmp) {
    const char *lo = base;
    while (n > 0) {
        const char *mid = lo + (n / 2) * size;
        int c = cmp(key, mid);
        if (c == 0)
            return (void *)mid;
        if (c > 0) {
            lo = mid + size;
            n -= n / 2 + 1;
        } else {
            n /= 2;
        }
    }
    return NULL;
}

typedef struct {
    uint32_t id;
    char name[12];
    int32_t score;
    uint16_t dept;
    uint16_t flags;
    double weight;
} employee;

static int by_id(const void *a, const void *b) {
    const employee *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

static int by_name(const void *a, const void *b) {
    const employee *x = a, *y = b;
    for (int i = 0; i < 12; i++) {
        if (x->name[i] != y->name[i])
            return (unsigned char)x->name[i] - (unsigned char)y->name[i];
        if (!x->name[i])
            break;
    }
    return 0;
}

static int by_dept_then_score(const void *a, const void *b) {
    const employee *x = a, *y = b;
    if (x->dept != y->dept)
        return x->dept < y->dept ? -1 : 1;
    return (y->score > x->score) - (y->score < x->score); /* descending */
}

static int by_weight(const void *a, const void *b) {
    const employee *x = a, *y = b;
    return (x->weight > y->weight) - (x->weight < y->weight);
}

static void make_name(char *out, rng_t *rng) {
    static const char *syll[] = {"ka", "ri", "to", "mu", "sa", "le", "no", "vi", "da", "on"};
    int parts = 2 + (int)rng_below(rng, 4), len = 0;
    for (int i = 0; i < parts && len + 2 < 11; i++) {
        const char *s = syll[rng_below(rng, 10)];
        out[len++] = s[0];
        out[len++] = s[1];
    }
    while (len < 12)
        out[len++] = 0;
}

#define N_INTS 800
#define N_EMPLOYEES 160

int64_t run(int32_t n) {
    rng_t rng = rng_new(99);
    int32_t *ints = malloc(N_INTS * sizeof *ints);
    employee *staff = malloc(N_EMPLOYEES * sizeof *staff);
    uint64_t sum = 0;
    static const cmp_fn orders[] = {by_name, by_dept_then_score, by_weight, by_id};
    for (int32_t round = 0; round < n; round++) {
        /* Ints: random, then nearly sorted, then with many duplicates. */
        for (int i = 0; i < N_INTS; i++)
            ints[i] = (int32_t)rng_next(&rng);
        quicksort_int(ints, N_INTS);
        for (int i = 0; i < N_INTS; i += 97)
            swap_int(&ints[i], &ints[(i * 7 + 13) % N_INTS]);
        quicksort_int(ints, N_INTS);
        for (int i = 1; i < N_INTS; i++)
            if (ints[i - 1] > ints[i])
                sum = mix(sum, 0xbad);
        sum = mix(sum, (uint32_t)ints[N_INTS / 3]);
        for (int i = 0; i < N_INTS; i++)
            ints[i] = (int32_t)rng_below(&rng, 100);
        quicksort_int(ints, N_INTS);
        sum = mix(sum, (uint32_t)ints[N_INTS / 2]);

        /* Records, sorted one key after another (stable: earlier orders break ties). */
        for (int i = 0; i < N_EMPLOYEES; i++) {
            employee e;
            e.id = (uint32_t)(i * 2654435761u) % 1000003u;
            make_name(e.name, &rng);
            e.score = (int32_t)rng_below(&rng, 1000) - 500;
            e.dept = (uint16_t)rng_below(&rng, 12);
            e.flags = (uint16_t)(i & 7);
            e.weight = (double)rng_below(&rng, 100000) / 7.0;
            staff[i] = e;
        }
        for (int k = 0; k < 4; k++) {
            cmp_fn cmp = orders[(k + round) % 4];
            merge_sort(staff, N_EMPLOYEES, sizeof *staff, cmp);
            for (int i = 1; i < N_EMPLOYEES; i++)
                if (cmp(&staff[i - 1], &staff[i]) > 0)
                    sum = mix(sum, 0xbad);
            const employee *first = &staff[0], *last = &staff[N_EMPLOYEES - 1];
            sum = mix(sum, first->id ^ (uint64_t)last->id << 20);
            sum = mix(sum, (uint64_t)(int64_t)staff[N_EMPLOYEES / 2].score);
        }
        /* Look records up by id (the last sort was by_id for round % 4 == 1). */
        merge_sort(staff, N_EMPLOYEES, sizeof *staff, by_id);
        for (int i = 0; i < 80; i++) {
            employee key;
            key.id = (uint32_t)(rng_below(&rng, N_EMPLOYEES) * 2654435761u) % 1000003u;
            const employee *found = binary_search(&key, staff, N_EMPLOYEES, sizeof *staff, by_id);
            sum = mix(sum, found ? (uint64_t)(found - staff) : 0xffff);
        }
    }
    free(ints);
    free(staff);
    return (int64_t)sum;
}
