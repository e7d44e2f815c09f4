/* Allocation-heavy code: binary trees built and torn down node by node (the classic
 * GC benchmark shape, with malloc/free), a chained hash table with malloc'd string keys
 * and resizing, and a doubly linked list of records edited in place. */
#include "rt.h"

/* ---- binary trees ---- */

typedef struct tree {
    struct tree *left, *right;
} tree;

static tree *tree_make(int depth) {
    tree *t = malloc(sizeof *t);
    if (depth > 0) {
        t->left = tree_make(depth - 1);
        t->right = tree_make(depth - 1);
    } else {
        t->left = t->right = NULL;
    }
    return t;
}

static uint32_t tree_check(const tree *t) {
    return 1 + (t->left ? tree_check(t->left) + tree_check(t->right) : 0);
}

static void tree_free(tree *t) {
    if (t->left) {
        tree_free(t->left);
        tree_free(t->right);
    }
    free(t);
}

/* ---- a string-keyed hash table ---- */

typedef struct entry {
    struct entry *next;
    uint32_t hash;
    int64_t value;
    char *key;
} entry;

typedef struct {
    entry **buckets;
    size_t nbuckets, count;
} table;

static uint32_t str_hash(const char *s) {
    uint32_t h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static char *str_dup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    memcpy(d, s, n);
    return d;
}

static void table_init(table *t) {
    t->nbuckets = 16;
    t->count = 0;
    t->buckets = calloc(t->nbuckets, sizeof(entry *));
}

static void table_grow(table *t) {
    size_t nb = t->nbuckets * 2;
    entry **buckets = calloc(nb, sizeof(entry *));
    for (size_t i = 0; i < t->nbuckets; i++) {
        entry *e = t->buckets[i];
        while (e) {
            entry *next = e->next;
            size_t b = e->hash & (nb - 1);
            e->next = buckets[b];
            buckets[b] = e;
            e = next;
        }
    }
    free(t->buckets);
    t->buckets = buckets;
    t->nbuckets = nb;
}

static entry *table_find(table *t, const char *key, uint32_t h) {
    for (entry *e = t->buckets[h & (t->nbuckets - 1)]; e; e = e->next)
        if (e->hash == h && strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

/* Adds `delta` to key's value, inserting the key with value `delta` if absent. */
static void table_add(table *t, const char *key, int64_t delta) {
    uint32_t h = str_hash(key);
    entry *e = table_find(t, key, h);
    if (e) {
        e->value += delta;
        return;
    }
    if (t->count >= t->nbuckets)
        table_grow(t);
    e = malloc(sizeof *e);
    e->hash = h;
    e->key = str_dup(key);
    e->value = delta;
    size_t b = h & (t->nbuckets - 1);
    e->next = t->buckets[b];
    t->buckets[b] = e;
    t->count++;
}

static bool table_remove(table *t, const char *key) {
    uint32_t h = str_hash(key);
    for (entry **link = &t->buckets[h & (t->nbuckets - 1)]; *link; link = &(*link)->next) {
        entry *e = *link;
        if (e->hash == h && strcmp(e->key, key) == 0) {
            *link = e->next;
            free(e->key);
            free(e);
            t->count--;
            return true;
        }
    }
    return false;
}

static void table_free(table *t) {
    for (size_t i = 0; i < t->nbuckets; i++) {
        entry *e = t->buckets[i];
        while (e) {
            entry *next = e->next;
            free(e->key);
            free(e);
            e = next;
        }
    }
    free(t->buckets);
}

static void make_key(char *buf, uint32_t v) {
    static const char *const prefixes[] = {"user:", "session:", "item/", "cache-", "k"};
    const char *p = prefixes[v % 5];
    size_t n = strlen(p);
    memcpy(buf, p, n);
    do {
        buf[n++] = (char)('a' + v % 26);
        v /= 26;
    } while (v);
    buf[n] = 0;
}

/* ---- a doubly linked list ---- */

typedef struct item {
    struct item *prev, *next;
    uint32_t id;
    int32_t qty;
    char label[20];
} item;

typedef struct {
    item head; /* sentinel */
    size_t len;
} list;

static void list_init(list *l) {
    l->head.prev = l->head.next = &l->head;
    l->len = 0;
}

static void list_push_back(list *l, item *it) {
    it->prev = l->head.prev;
    it->next = &l->head;
    l->head.prev->next = it;
    l->head.prev = it;
    l->len++;
}

static void list_unlink(list *l, item *it) {
    it->prev->next = it->next;
    it->next->prev = it->prev;
    l->len--;
}

int64_t run(int32_t n) {
    uint64_t sum = 0;
    rng_t rng = rng_new(77);
    char key[32];
    for (int32_t round = 0; round < n; round++) {
        /* Trees: one long-lived, many short-lived. */
        tree *keep = tree_make(8);
        for (int d = 4; d <= 8; d += 2) {
            int iterations = 1 << (10 - d);
            uint32_t check = 0;
            for (int i = 0; i < iterations; i++) {
                tree *t = tree_make(d);
                check += tree_check(t);
                tree_free(t);
            }
            sum = mix(sum, check);
        }
        sum = mix(sum, tree_check(keep));
        tree_free(keep);

        /* A table: counts, deletions, re-insertions. */
        table t;
        table_init(&t);
        for (int i = 0; i < 800; i++) {
            make_key(key, rng_below(&rng, 400));
            table_add(&t, key, i);
        }
        for (int i = 0; i < 400; i += 3) {
            make_key(key, (uint32_t)i);
            sum = mix(sum, table_remove(&t, key));
        }
        int64_t total = 0;
        for (int i = 0; i < 400; i++) {
            make_key(key, (uint32_t)i);
            entry *e = table_find(&t, key, str_hash(key));
            total += e ? e->value : -1;
        }
        sum = mix(sum, (uint64_t)total ^ (uint64_t)t.count << 32);
        table_free(&t);

        /* A list: append, drop every third, move small ones to the front, tally. */
        list l;
        list_init(&l);
        for (uint32_t i = 0; i < 500; i++) {
            item *it = malloc(sizeof *it);
            it->id = i;
            it->qty = (int32_t)rng_below(&rng, 100);
            make_key(it->label, i);
            list_push_back(&l, it);
        }
        uint32_t k = 0;
        for (item *it = l.head.next; it != &l.head;) {
            item *next = it->next;
            if (k++ % 3 == 0) {
                list_unlink(&l, it);
                free(it);
            } else if (it->qty < 10) {
                list_unlink(&l, it);
                it->next = l.head.next;
                it->prev = &l.head;
                l.head.next->prev = it;
                l.head.next = it;
                l.len++;
            }
            it = next;
        }
        uint64_t h = l.len;
        for (item *it = l.head.next; it != &l.head; it = it->next)
            h = h * 31 + it->id + (uint64_t)it->qty * 7 + (unsigned char)it->label[1];
        sum = mix(sum, h);
        for (item *it = l.head.next; it != &l.head;) {
            item *next = it->next;
            free(it);
            it = next;
        }
    }
    return (int64_t)sum;
}
