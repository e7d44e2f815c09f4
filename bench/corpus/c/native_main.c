/* Native driver for checking checksums: prints run(N) for each N on the command line. */
#include <stdio.h>
#include <stdlib.h>

long long run(int n);

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        printf("%lld\n", run(atoi(argv[i])));
    return 0;
}
