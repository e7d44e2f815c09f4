/* How a program ends: `exit N` calls exit(N) (after printing without a newline, so the
 * stdio buffer is flushed by exit), `return N` returns N from main, `abort` calls abort()
 * (a trap: wasi-libc's abort is `unreachable`), `trap-div` divides by zero (the wasm
 * `i32.div_s` trap), no argument returns 0.
 * WASI: proc_exit; fd_write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile int zero = 0;

int main(int argc, char **argv) {
    if (argc < 2) {
        puts("no arguments: returning 0");
        return 0;
    }
    const char *mode = argv[1];
    int n = argc > 2 ? atoi(argv[2]) : 0;
    if (strcmp(mode, "exit") == 0) {
        printf("calling exit(%d), this line has no newline", n);
        exit(n);
    }
    if (strcmp(mode, "return") == 0) {
        printf("returning %d from main\n", n);
        return n;
    }
    if (strcmp(mode, "abort") == 0) {
        puts("calling abort()");
        fflush(stdout);
        abort();
    }
    if (strcmp(mode, "trap-div") == 0) {
        puts("dividing by zero");
        fflush(stdout);
        printf("%d\n", (argc + 1000) / zero);
        return 0;
    }
    fprintf(stderr, "unknown mode %s\n", mode);
    return 64;
}
