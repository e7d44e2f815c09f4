/* A small line-oriented key/value database kept in a preopened directory: stdio, malloc and
 * files together (one of the programs the WASI work is "done when" it runs).
 *
 *   textdb DIR COMMAND...      commands run left to right:
 *     put KEY VALUE   insert or replace        get KEY      print one record
 *     del KEY         delete                   list         print all, sorted
 *     import FILE     FILE (in DIR) has `key=value` lines; `#` comments and blank lines skipped
 *     find WORD       keys whose value contains WORD, ignoring case
 *     stats           record count, bytes, longest key
 *
 * DIR/db.txt holds `key<TAB>value` lines sorted by key; it is loaded first and, if anything
 * changed, written to DIR/db.txt.tmp and renamed over DIR/db.txt at the end. Every change
 * is also appended to DIR/journal.log (fopen mode "a").
 * WASI: path_open, fd_read, fd_write, fd_seek, fd_close, path_rename, fd_fdstat_get;
 * malloc/realloc/free grow memory. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "common.h"

struct record {
    char *key;
    char *value;
};

static struct record *records;
static size_t count, capacity;
static int dirty, loading;
static const char *dir;

static char *in_dir(const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p) {
        perror("malloc");
        exit(1);
    }
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static int by_key(const void *a, const void *b) {
    return strcmp(((const struct record *)a)->key, ((const struct record *)b)->key);
}

static struct record *find(const char *key) {
    struct record probe = {(char *)key, NULL};
    return count ? bsearch(&probe, records, count, sizeof *records, by_key) : NULL;
}

static void journal(const char *op, const char *key, const char *value) {
    char *path = in_dir("journal.log");
    FILE *f = fopen(path, "a");
    free(path);
    if (!f) {
        printf("journal: %s\n", errname(errno));
        return;
    }
    fprintf(f, "%s %s%s%s\n", op, key, value ? " " : "", value ? value : "");
    fclose(f);
}

/* Inserts or replaces; returns 1 when a record was replaced. */
static int put(const char *key, const char *value) {
    struct record *r = find(key);
    dirty = 1;
    if (!loading)
        journal("put", key, value);
    if (r) {
        free(r->value);
        r->value = strdup(value);
        return 1;
    }
    if (count == capacity) {
        capacity = capacity ? capacity * 2 : 4;
        struct record *grown = realloc(records, capacity * sizeof *records);
        if (!grown) {
            perror("realloc");
            exit(1);
        }
        records = grown;
    }
    /* Keep the array sorted: insert at the first key greater than this one. */
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(records[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(records + lo + 1, records + lo, (count - lo) * sizeof *records);
    records[lo].key = strdup(key);
    records[lo].value = strdup(value);
    count++;
    return 0;
}

static int del(const char *key) {
    struct record *r = find(key);
    if (!r)
        return 0;
    free(r->key);
    free(r->value);
    memmove(r, r + 1, (size_t)(records + count - (r + 1)) * sizeof *records);
    count--;
    dirty = 1;
    journal("del", key, NULL);
    return 1;
}

static void chomp(char *line) {
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = 0;
}

static void load(void) {
    char *path = in_dir("db.txt");
    FILE *f = fopen(path, "r");
    free(path);
    if (!f) {
        printf("new database (%s)\n", errname(errno));
        return;
    }
    char *line = NULL;
    size_t size = 0;
    loading = 1;
    while (getline(&line, &size, f) >= 0) {
        chomp(line);
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = 0;
        put(line, tab + 1);
    }
    free(line);
    fclose(f);
    loading = dirty = 0;
    printf("loaded %zu records\n", count);
}

static void save(void) {
    char *tmp = in_dir("db.txt.tmp"), *path = in_dir("db.txt");
    FILE *f = fopen(tmp, "w");
    if (!f) {
        printf("save: %s\n", errname(errno));
        exit(1);
    }
    for (size_t i = 0; i < count; i++)
        fprintf(f, "%s\t%s\n", records[i].key, records[i].value);
    long size = ftell(f);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        printf("save: %s\n", errname(errno));
        exit(1);
    }
    printf("saved %zu records (%ld bytes)\n", count, size);
    free(tmp);
    free(path);
}

static void import(const char *name) {
    char *path = in_dir(name);
    FILE *f = fopen(path, "r");
    free(path);
    if (!f) {
        printf("import %s: %s\n", name, errname(errno));
        return;
    }
    char line[512];
    size_t added = 0, replaced = 0, skipped = 0;
    while (fgets(line, sizeof line, f)) {
        chomp(line);
        char *eq = strchr(line, '=');
        if (line[0] == '#' || line[0] == 0)
            continue;
        if (!eq || eq == line) {
            skipped++;
            continue;
        }
        *eq = 0;
        if (put(line, eq + 1))
            replaced++;
        else
            added++;
    }
    fclose(f);
    printf("imported %s: %zu added, %zu replaced, %zu malformed\n", name, added, replaced, skipped);
}

static int contains_ignoring_case(const char *hay, const char *needle) {
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return n == 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: textdb DIR COMMAND...\n");
        return 64;
    }
    dir = argv[1];
    load();
    for (int i = 2; i < argc; i++) {
        const char *cmd = argv[i];
        int left = argc - i - 1;
        if (!strcmp(cmd, "put") && left >= 2) {
            printf("put %s: %s\n", argv[i + 1], put(argv[i + 1], argv[i + 2]) ? "replaced" : "added");
            i += 2;
        } else if (!strcmp(cmd, "get") && left >= 1) {
            struct record *r = find(argv[++i]);
            if (r)
                printf("%s = %s\n", r->key, r->value);
            else
                printf("%s: not found\n", argv[i]);
        } else if (!strcmp(cmd, "del") && left >= 1) {
            i++;
            printf("del %s: %s\n", argv[i], del(argv[i]) ? "deleted" : "not found");
        } else if (!strcmp(cmd, "import") && left >= 1) {
            import(argv[++i]);
        } else if (!strcmp(cmd, "find") && left >= 1) {
            const char *word = argv[++i];
            printf("find %s:", word);
            for (size_t k = 0; k < count; k++)
                if (contains_ignoring_case(records[k].value, word))
                    printf(" %s", records[k].key);
            putchar('\n');
        } else if (!strcmp(cmd, "list")) {
            printf("%zu records:\n", count);
            for (size_t k = 0; k < count; k++)
                printf("  %s = %s\n", records[k].key, records[k].value);
        } else if (!strcmp(cmd, "stats")) {
            size_t bytes = 0, longest = 0;
            const char *longest_key = "";
            for (size_t k = 0; k < count; k++) {
                size_t kl = strlen(records[k].key);
                bytes += kl + strlen(records[k].value);
                if (kl > longest) {
                    longest = kl;
                    longest_key = records[k].key;
                }
            }
            printf("stats: %zu records, %zu bytes, longest key %s\n", count, bytes, longest_key);
        } else {
            fprintf(stderr, "bad command %s\n", cmd);
            return 64;
        }
    }
    if (dirty)
        save();
    for (size_t k = 0; k < count; k++) {
        free(records[k].key);
        free(records[k].value);
    }
    free(records);
    return 0;
}
