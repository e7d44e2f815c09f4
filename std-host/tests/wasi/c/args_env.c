/* argc, every argv[i] (bracketed, so empty and spaced arguments show), then the whole
 * environment sorted, then a few variables a host must not leak (HOME, PATH) unless it was
 * told to pass them. WASI: args_sizes_get, args_get, environ_sizes_get, environ_get. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int by_string(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=[%s] (%zu bytes)\n", i, argv[i], strlen(argv[i]));

    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **sorted = malloc((n + 1) * sizeof *sorted);
    if (!sorted)
        return 99;
    memcpy(sorted, environ, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, by_string);
    printf("environ: %zu entries\n", n);
    for (size_t i = 0; i < n; i++)
        printf("  [%s]\n", sorted[i]);
    free(sorted);

    const char *names[] = {"GREETING", "EMPTY", "HOME", "PATH"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const char *v = getenv(names[i]);
        if (v)
            printf("getenv(%s)=[%s]\n", names[i], v);
        else
            printf("getenv(%s) unset\n", names[i]);
    }
    return 0;
}
