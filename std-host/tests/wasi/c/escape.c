/* Every way out of the sandbox we could think of; the sandbox must refuse each one.
 * argv[1] is the preopened directory (e.g. /sandbox); the environment variable OUTSIDE_HOST
 * is the host's absolute path of the directory `outside` next to it (the harness puts a
 * secret.txt, victim_a.txt .. victim_d.txt, victim_dir/ and link_out -> secret.txt there,
 * and plants planted_abs, planted_rel, planted_dir and planted_abs_dir symlinks in the
 * sandbox). Each attempt has its own victim so that, natively (no sandbox: almost all of
 * them succeed), one escape does not change what the next one finds.
 *
 * One line per attempt: `NAME: refused (ERRNO)` or `NAME: ESCAPED` (followed by what was
 * read, so a leak shows in the output too). Relative attempts go through openat & co. on a
 * directory fd of the preopen, so the path reaches the runtime unchanged; absolute ones go
 * through wasi-libc's preopen lookup.
 * WASI: path_open, path_filestat_get, path_filestat_set_times, path_symlink, path_link,
 * path_rename, path_create_directory, path_remove_directory, path_unlink_file,
 * path_readlink, fd_readdir, fd_read. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static int dir; /* the preopened directory, opened again with O_DIRECTORY */

/* Prints the attempt's outcome; on success, what it read (up to 40 bytes) from fd. */
static void outcome(const char *name, int rc, int fd) {
    if (rc < 0) {
        printf("%s: refused (%s)\n", name, errname(errno));
        return;
    }
    printf("%s: ESCAPED", name);
    if (fd >= 0) {
        char buf[41];
        ssize_t n = read(fd, buf, 40);
        if (n > 0) {
            for (ssize_t i = 0; i < n; i++)
                if (buf[i] == '\n')
                    buf[i] = ' ';
            printf(" (read \"%.*s\")", (int)n, buf);
        }
        close(fd);
    }
    putchar('\n');
}

static void open_at(const char *name, int base, const char *path) {
    errno = 0;
    int fd = openat(base, path, O_RDONLY);
    outcome(name, fd, fd);
}

static void open_abs(const char *name, const char *path) {
    errno = 0;
    int fd = open(path, O_RDONLY);
    outcome(name, fd, fd);
}

static void list_at(const char *name, const char *path) {
    errno = 0;
    int fd = openat(dir, path, O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        outcome(name, -1, -1);
        return;
    }
    DIR *d = fdopendir(fd);
    printf("%s: ESCAPED (lists", name);
    struct dirent *e;
    while (d && (e = readdir(d)))
        printf(" %s", e->d_name);
    puts(")");
    if (d)
        closedir(d);
}

/* Makes a symlink the guest is allowed to make (creation is not the escape), then opens
 * `path` through it. */
static void via_link(const char *name, const char *target, const char *link, const char *path) {
    errno = 0;
    if (symlinkat(target, dir, link) != 0) {
        outcome(name, -1, -1);
        return;
    }
    open_at(name, dir, path);
}

static void quiet(const char *what, int rc) {
    if (rc < 0)
        printf("(setup %s failed: %s)\n", what, errname(errno));
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: escape DIR (and OUTSIDE_HOST in the environment)\n");
        return 64;
    }
    const char *root = argv[1];
    const char *host = getenv("OUTSIDE_HOST");
    if (!host) {
        fprintf(stderr, "OUTSIDE_HOST is not set\n");
        return 64;
    }
    char path[1024], path2[1024];
    dir = open(root, O_RDONLY | O_DIRECTORY);
    if (dir < 0) {
        printf("open %s: %s\n", root, errname(errno));
        return 1;
    }
    quiet("mkdir sub", mkdirat(dir, "sub", 0755));
    quiet("mkdir d", mkdirat(dir, "d", 0755));
    int fd = openat(dir, "mine.txt", O_CREAT | O_WRONLY, 0644);
    quiet("create mine.txt", fd);
    if (fd >= 0)
        close(fd);

    /* `..` in paths relative to the preopen. */
    open_at("open_dotdot", dir, "../outside/secret.txt");
    open_at("open_sub_dotdot", dir, "sub/../../outside/secret.txt");
    open_at("open_many_dotdot", dir, "../../../../../../../../../../etc/passwd");
    open_at("open_parent_dir", dir, "..");
    list_at("list_outside", "../outside");
    int sub = openat(dir, "sub", O_RDONLY | O_DIRECTORY);
    quiet("open sub", sub);
    open_at("openat_subdir_dotdot", sub, "../../outside/secret.txt");

    /* Absolute paths. */
    open_abs("open_abs_etc_passwd", "/etc/passwd");
    open_abs("open_abs_outside", "/outside/secret.txt");
    snprintf(path, sizeof path, "%s/../outside/secret.txt", root);
    open_abs("open_root_dotdot", path);
    snprintf(path, sizeof path, "%s/secret.txt", host);
    open_abs("open_abs_host_path", path);

    /* Symlinks the guest makes. */
    via_link("guest_symlink_dotdot", "..", "up", "up/outside/secret.txt");
    via_link("guest_symlink_outside_dir", "../outside", "out", "out/secret.txt");
    via_link("guest_symlink_to_file", "../outside/secret.txt", "file_link", "file_link");
    snprintf(path, sizeof path, "%s/secret.txt", host);
    via_link("guest_symlink_abs_host", path, "abs", "abs");
    via_link("guest_symlink_abs_etc", "/etc/passwd", "etc", "etc");
    via_link("guest_symlink_root", "/", "slash", "slash/etc/passwd");
    /* A chain where no single link points outside: d/in -> .. is the sandbox itself,
     * c1 -> d/in is too, and c2 -> c1/.. climbs one step more. */
    quiet("symlink d/in", symlinkat("..", dir, "d/in"));
    quiet("symlink c1", symlinkat("d/in", dir, "c1"));
    via_link("guest_symlink_chain", "c1/..", "c2", "c2/outside/secret.txt");
    quiet("symlink s1", symlinkat("sub/..", dir, "s1"));
    via_link("guest_symlink_climb", "s1/..", "s2", "s2/outside/secret.txt");

    /* Symlinks the host planted in the sandbox. */
    open_at("host_symlink_abs", dir, "planted_abs");
    open_at("host_symlink_rel", dir, "planted_rel");
    open_at("host_symlink_dir", dir, "planted_dir/secret.txt");
    open_at("host_symlink_abs_dir", dir, "planted_abs_dir/secret.txt");
    errno = 0;
    fd = openat(dir, "planted_dir/created.txt", O_CREAT | O_WRONLY, 0644);
    outcome("create_through_host_symlink_dir", fd, -1);
    if (fd >= 0)
        close(fd);
    struct stat st;
    errno = 0;
    outcome("stat_through_host_symlink", fstatat(dir, "planted_abs", &st, 0), -1);
    errno = 0;
    outcome("mkdir_through_host_symlink_dir", mkdirat(dir, "planted_dir/newdir_via_link", 0755), -1);

    /* Other calls that name a path outside. */
    errno = 0;
    outcome("hardlink_outside", linkat(dir, "../outside/secret.txt", dir, "hard", 0), -1);
    errno = 0;
    outcome("hardlink_follow_host_symlink",
            linkat(dir, "planted_abs", dir, "hard2", AT_SYMLINK_FOLLOW), -1);
    errno = 0;
    outcome("hardlink_into_outside", linkat(dir, "mine.txt", dir, "../outside/hard3", 0), -1);
    errno = 0;
    outcome("rename_to_outside", renameat(dir, "mine.txt", dir, "../outside/mine.txt"), -1);
    errno = 0;
    outcome("rename_from_outside", renameat(dir, "../outside/victim_a.txt", dir, "stolen.txt"), -1);
    errno = 0;
    outcome("rename_through_host_symlink_dir",
            renameat(dir, "planted_dir/victim_b.txt", dir, "stolen2.txt"), -1);
    errno = 0;
    outcome("mkdir_outside", mkdirat(dir, "../outside/newdir", 0755), -1);
    errno = 0;
    outcome("unlink_outside", unlinkat(dir, "../outside/victim_c.txt", 0), -1);
    errno = 0;
    outcome("unlink_through_host_symlink_dir", unlinkat(dir, "planted_dir/victim_d.txt", 0), -1);
    errno = 0;
    outcome("rmdir_outside", unlinkat(dir, "../outside/victim_dir", AT_REMOVEDIR), -1);
    errno = 0;
    ssize_t n = readlinkat(dir, "../outside/link_out", path2, sizeof path2);
    outcome("readlink_outside", n < 0 ? -1 : 0, -1);
    errno = 0;
    outcome("stat_outside", fstatat(dir, "../outside/secret.txt", &st, 0), -1);
    errno = 0;
    outcome("lstat_outside", fstatat(dir, "../outside/link_out", &st, AT_SYMLINK_NOFOLLOW), -1);
    errno = 0;
    fd = openat(dir, "../outside/created.txt", O_CREAT | O_WRONLY, 0644);
    outcome("create_outside", fd, -1);
    if (fd >= 0)
        close(fd);
    errno = 0;
    outcome("symlink_in_outside", symlinkat("secret.txt", dir, "../outside/newlink"), -1);
    struct timespec times[2] = {{1000000000, 0}, {1000000000, 0}};
    errno = 0;
    outcome("utimes_outside", utimensat(dir, "../outside/secret.txt", times, 0), -1);
    errno = 0;
    outcome("utimes_through_host_symlink", utimensat(dir, "planted_rel", times, 0), -1);
    errno = 0;
    fd = openat(dir, "planted_rel", O_WRONLY | O_TRUNC);
    outcome("truncate_through_host_symlink", fd, -1);
    if (fd >= 0)
        close(fd);

    /* The sandbox is still usable afterwards. */
    fd = openat(dir, "mine.txt", O_WRONLY);
    printf("mine.txt still opens: %s\n", fd >= 0 ? "yes" : errname(errno));
    return 0;
}
