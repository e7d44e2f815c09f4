/* Directories in a preopened directory (argv[1]): mkdir (nested, existing, missing parent),
 * rmdir of a non-empty directory, of a file, of an empty one, unlink of a directory,
 * recursive opendir/readdir listings (sorted, with types), renaming directories, a directory
 * of 300 entries (readdir must continue across several fd_readdir calls; rewinddir), and
 * opendir of what is not a directory.
 * WASI: path_create_directory, path_remove_directory, path_unlink_file, path_open
 * (O_DIRECTORY), fd_readdir (with cookies), path_rename, path_filestat_get, fd_close. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static const char *root;

static const char *at(const char *name) {
    static char buf[4][1024];
    static int which;
    which = (which + 1) % 4;
    snprintf(buf[which], sizeof buf[which], "%s/%s", root, name);
    return buf[which];
}

static void touch(const char *name, const char *text) {
    int fd = open(at(name), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0) {
        printf("create %s: %s\n", name, errname(errno));
        return;
    }
    write(fd, text, strlen(text));
    close(fd);
}

static void expect_errno(const char *what, long rc) {
    printf("%s: %s\n", what, rc < 0 ? errname(errno) : "succeeded");
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints the tree under `rel` (relative to root), sorted, one entry per line. */
static void tree(const char *rel, int depth) {
    DIR *d = opendir(at(rel));
    if (!d) {
        printf("%*sopendir %s: %s\n", depth * 2, "", rel, errname(errno));
        return;
    }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, by_name);
    for (int i = 0; i < n; i++) {
        char child[1024];
        snprintf(child, sizeof child, "%s/%s", rel, names[i]);
        struct stat st;
        if (lstat(at(child), &st) != 0) {
            printf("%*s%s: %s\n", depth * 2 + 2, "", names[i], errname(errno));
        } else if (S_ISDIR(st.st_mode)) {
            printf("%*s%s/\n", depth * 2 + 2, "", names[i]);
            tree(child, depth + 1);
        } else {
            printf("%*s%s (%lld bytes)\n", depth * 2 + 2, "", names[i], (long long)st.st_size);
        }
        free(names[i]);
    }
}

static void listing(void) {
    puts("tree:");
    tree(".", 0);
}

static int count_entries(DIR *d, int *dots) {
    int n = 0;
    struct dirent *e;
    *dots = 0;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            (*dots)++;
        else
            n++;
    }
    return n;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: dirs DIR\n");
        return 64;
    }
    root = argv[1];

    puts("== mkdir");
    report("mkdir a", mkdir(at("a"), 0755));
    expect_errno("mkdir a again", mkdir(at("a"), 0755));
    report("mkdir a/b", mkdir(at("a/b"), 0755));
    report("mkdir a/b/c", mkdir(at("a/b/c"), 0755));
    expect_errno("mkdir x/y (no x)", mkdir(at("x/y"), 0755));
    report("mkdir e (stays empty)", mkdir(at("e"), 0755));
    touch("a/f1.txt", "one\n");
    touch("a/b/f2.txt", "two!\n");
    touch("a/b/c/f3.txt", "three\n");
    expect_errno("mkdir over a file", mkdir(at("a/f1.txt"), 0755));
    expect_errno("mkdir under a file", mkdir(at("a/f1.txt/d"), 0755));
    listing();

    puts("== rmdir, unlink");
    expect_errno("rmdir a (not empty)", rmdir(at("a")));
    expect_errno("rmdir a/b/c (not empty)", rmdir(at("a/b/c")));
    expect_errno("rmdir a/f1.txt (a file)", rmdir(at("a/f1.txt")));
    expect_errno("rmdir missing", rmdir(at("missing")));
    expect_errno("unlink a/b (a directory)", unlink(at("a/b")));
    report("rmdir e", rmdir(at("e")));
    expect_errno("rmdir e again", rmdir(at("e")));

    puts("== opendir");
    errno = 0;
    printf("opendir a/f1.txt: %s\n", opendir(at("a/f1.txt")) ? "opened" : errname(errno));
    errno = 0;
    printf("opendir missing: %s\n", opendir(at("missing")) ? "opened" : errname(errno));
    report("mkdir empty", mkdir(at("empty"), 0755));
    DIR *d = opendir(at("empty"));
    int dots;
    printf("entries in empty: %d\n", d ? count_entries(d, &dots) : -1);
    if (d)
        closedir(d);

    puts("== rename directories");
    report("rename a/b -> a/moved", rename(at("a/b"), at("a/moved")));
    report("rename a/moved/c -> top", rename(at("a/moved/c"), at("top")));
    report("mkdir full, full/x", mkdir(at("full"), 0755) | mkdir(at("full/x"), 0755));
    expect_errno("rename empty onto full (not empty)", rename(at("empty"), at("full")));
    expect_errno("rename a directory onto a file", rename(at("empty"), at("a/f1.txt")));
    expect_errno("rename a file onto a directory", rename(at("a/f1.txt"), at("empty")));
    expect_errno("rename a directory into itself", rename(at("a"), at("a/moved/inside")));
    report("rename empty onto full/x (empty)", rename(at("empty"), at("full/x")));
    listing();

    puts("== 300 entries");
    report("mkdir many", mkdir(at("many"), 0755));
    for (int i = 0; i < 300; i++) {
        char name[64];
        snprintf(name, sizeof name, "many/entry-with-a-longish-name-%03d", i);
        touch(name, "");
    }
    d = opendir(at("many"));
    int n = d ? count_entries(d, &dots) : -1;
    printf("readdir many: %d entries\n", n);
    if (d) {
        rewinddir(d);
        printf("after rewinddir: %d entries\n", count_entries(d, &dots));
        closedir(d);
    }
    for (int i = 0; i < 300; i++) {
        char name[64];
        snprintf(name, sizeof name, "many/entry-with-a-longish-name-%03d", i);
        if (unlink(at(name)) != 0)
            printf("unlink %s: %s\n", name, errname(errno));
    }
    report("rmdir many", rmdir(at("many")));

    puts("== remove everything");
    const char *files[] = {"a/f1.txt", "a/moved/f2.txt", "top/f3.txt"};
    for (size_t i = 0; i < 3; i++)
        report(files[i], unlink(at(files[i])));
    const char *dirs[] = {"a/moved", "a", "top", "full/x", "full"};
    for (size_t i = 0; i < 5; i++)
        report(dirs[i], rmdir(at(dirs[i])));
    listing();
    d = opendir(root);
    printf("entries in the preopened dir: %d\n", d ? count_entries(d, &dots) : -1);
    if (d)
        closedir(d);
    return 0;
}
