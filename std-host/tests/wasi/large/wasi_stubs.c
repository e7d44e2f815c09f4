/*
 * Link-time stubs for three libc functions that wasi-libc (Debian's
 * 0.0~git20220510) declares or that SQLite's shell.c calls, but that WASI
 * preview 1 cannot provide: there is no process spawning (system), no
 * canonical-path resolution (realpath) and no permission bits (chmod).
 * They are only reached by shell features the workload never uses
 * (.system/.shell, .open --edit/edit(), realpath(), writefile() on a
 * directory). Each fails the way POSIX says an unsupported call fails.
 */
#include <errno.h>
#include <stddef.h>
#include <sys/types.h>

int system(const char *cmd) {
    if (cmd == NULL) return 0; /* "no command processor available" */
    errno = ENOSYS;
    return -1;
}

char *realpath(const char *restrict path, char *restrict resolved) {
    (void)path;
    (void)resolved;
    errno = ENOSYS;
    return NULL;
}

int chmod(const char *path, mode_t mode) {
    (void)path;
    (void)mode;
    errno = ENOSYS;
    return -1;
}
