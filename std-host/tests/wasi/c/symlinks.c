/* Symbolic links inside a preopened directory (argv[1]): symlink, readlink (and a short
 * buffer), stat through a link vs lstat of the link, links to directories and through them,
 * links using `..` that stay inside, chains, a dangling link (ENOENT on open; O_CREAT
 * through one creates its target), loops (ELOOP), O_NOFOLLOW, unlink/rename of a link, a
 * link whose name exists, readdir's type of a link, and an absolute link (WASI runtimes
 * refuse to make one, even to a place inside the sandbox; natively it works).
 * WASI: path_symlink, path_readlink, path_filestat_get (with and without
 * SYMLINK_FOLLOW), path_open (lookupflags, O_CREAT), path_unlink_file, path_rename,
 * fd_readdir. */
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

static const char *kind(mode_t m) {
    return S_ISREG(m) ? "file" : S_ISDIR(m) ? "dir" : S_ISLNK(m) ? "symlink" : "other";
}

static void show_stat(const char *name, int follow) {
    struct stat st;
    int rc = follow ? stat(at(name), &st) : lstat(at(name), &st);
    if (rc != 0)
        printf("%s %s: %s\n", follow ? "stat" : "lstat", name, errname(errno));
    else if (S_ISDIR(st.st_mode)) /* a directory's size depends on the file system */
        printf("%s %s: %s\n", follow ? "stat" : "lstat", name, kind(st.st_mode));
    else
        printf("%s %s: %s, %lld bytes\n", follow ? "stat" : "lstat", name, kind(st.st_mode),
               (long long)st.st_size);
}

static void show_readlink(const char *name, size_t size) {
    char buf[256];
    ssize_t n = readlink(at(name), buf, size);
    if (n < 0)
        printf("readlink %s: %s\n", name, errname(errno));
    else
        printf("readlink %s (buffer %zu): %zd \"%.*s\"\n", name, size, n, (int)n, buf);
}

static void show_file(const char *name, int flags) {
    char buf[256];
    int fd = open(at(name), O_RDONLY | flags);
    if (fd < 0) {
        printf("open %s%s: %s\n", name, flags ? " O_NOFOLLOW" : "", errname(errno));
        return;
    }
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    if (n > 0 && buf[n - 1] == '\n')
        n--;
    printf("open %s: \"%.*s\"\n", name, (int)n, buf);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: symlinks DIR\n");
        return 64;
    }
    root = argv[1];
    touch("target.txt", "target contents\n");
    mkdir(at("d"), 0755);
    touch("d/inner.txt", "inner contents\n");

    puts("== a link to a file");
    report("symlink target.txt <- link", symlink("target.txt", at("link")));
    show_readlink("link", 256);
    show_readlink("link", 4);
    show_readlink("target.txt", 256);
    show_readlink("missing", 256);
    show_stat("link", 1);
    show_stat("link", 0);
    show_file("link", 0);
    show_file("link", O_NOFOLLOW);
    expect_errno("symlink over an existing name", symlink("target.txt", at("d/inner.txt")));

    puts("== links to directories, `..` inside");
    report("symlink d <- dlink", symlink("d", at("dlink")));
    show_stat("dlink", 1);
    show_stat("dlink", 0);
    show_file("dlink/inner.txt", 0);
    report("symlink ../target.txt <- d/up", symlink("../target.txt", at("d/up")));
    show_file("d/up", 0);
    show_file("dlink/up", 0);
    report("symlink .. <- d/parent", symlink("..", at("d/parent")));
    show_file("d/parent/target.txt", 0);
    show_file("d/parent/d/parent/d/inner.txt", 0);

    puts("== chains");
    report("symlink c2 <- c1", symlink("c2", at("c1")));
    report("symlink d/../c3 <- c2", symlink("d/../c3", at("c2")));
    report("symlink link <- c3", symlink("link", at("c3")));
    show_file("c1", 0);
    show_stat("c1", 1);
    show_readlink("c1", 256);

    puts("== dangling");
    report("symlink nowhere.txt <- dangling", symlink("nowhere.txt", at("dangling")));
    show_file("dangling", 0);
    show_stat("dangling", 1);
    show_stat("dangling", 0);
    show_readlink("dangling", 256);
    report("symlink made.txt <- dangling2", symlink("made.txt", at("dangling2")));
    int fd = report("open dangling2 O_CREAT", open(at("dangling2"), O_CREAT | O_WRONLY, 0644));
    if (fd >= 0) {
        write(fd, "made through a link\n", 20);
        close(fd);
    }
    show_stat("made.txt", 0);
    show_file("dangling2", 0);

    puts("== loops");
    report("symlink loop2 <- loop1", symlink("loop2", at("loop1")));
    report("symlink loop1 <- loop2", symlink("loop1", at("loop2")));
    report("symlink self <- self", symlink("self", at("self")));
    show_file("loop1", 0);
    show_file("self", 0);
    show_stat("loop1", 1);
    show_stat("loop1", 0);
    show_file("loop1/x", 0);
    expect_errno("mkdir through a loop", mkdir(at("self/x"), 0755));

    puts("== unlink and rename links");
    report("rename link -> renamed_link", rename(at("link"), at("renamed_link")));
    show_readlink("renamed_link", 256);
    show_file("renamed_link", 0);
    show_file("c1", 0);
    report("unlink renamed_link", unlink(at("renamed_link")));
    show_file("target.txt", 0);
    report("unlink dlink (a link to a directory)", unlink(at("dlink")));
    show_stat("d", 1);

    puts("== absolute link");
    char abs[1024];
    snprintf(abs, sizeof abs, "%s/target.txt", root);
    int rc = symlink(abs, at("abslink"));
    if (rc != 0) {
        printf("symlink to an absolute path: %s\n", errname(errno));
    } else {
        puts("symlink to an absolute path: ok");
        errno = 0;
        fd = open(at("abslink"), O_RDONLY);
        printf("open through it: %s\n", fd >= 0 ? "opened" : errname(errno));
        if (fd >= 0)
            close(fd);
    }

    puts("== readdir types");
    DIR *dir = opendir(root);
    char *lines[64];
    int n = 0;
    struct dirent *e;
    while (dir && (e = readdir(dir)) && n < 64) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        const char *t = e->d_type == DT_LNK ? "link" : e->d_type == DT_DIR ? "dir"
                        : e->d_type == DT_REG ? "file" : "other";
        char line[300];
        snprintf(line, sizeof line, "  %s %s", e->d_name, t);
        lines[n++] = strdup(line);
    }
    if (dir)
        closedir(dir);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (strcmp(lines[i], lines[j]) > 0) {
                char *t = lines[i];
                lines[i] = lines[j];
                lines[j] = t;
            }
    for (int i = 0; i < n; i++) {
        puts(lines[i]);
        free(lines[i]);
    }
    return 0;
}
