// Hello world for WASI: build with clang and wasi-libc (see README.md), run with
// `folio run examples/hello-c.wasm NAME...`.
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        puts("Hello from C!");
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        printf("Hello, %s, from C!\n", argv[i]);
    }
    return 0;
}
