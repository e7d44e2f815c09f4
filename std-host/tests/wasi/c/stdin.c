/* stdin: `count` reads all of stdin (in odd-sized reads) and prints its byte count, line
 * count and FNV-1a 64 checksum; `cat` copies stdin to stdout byte for byte; `lines` reads
 * with fgets and prints each line numbered (shows stdio buffering over fd_read).
 * WASI: fd_read on fd 0, fd_write on fd 1, fd_fdstat_get. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "count";
    static unsigned char buf[65536];
    if (strcmp(mode, "count") == 0) {
        uint64_t bytes = 0, lines = 0, hash = 0xcbf29ce484222325u;
        size_t reads = 0;
        for (;;) {
            ssize_t n = read(0, buf, 1000 + (reads++ % 7) * 1234);
            if (n < 0) {
                printf("read: %s\n", errname(errno));
                return 1;
            }
            if (n == 0)
                break;
            for (ssize_t i = 0; i < n; i++) {
                hash = (hash ^ buf[i]) * 0x100000001b3u;
                lines += buf[i] == '\n';
            }
            bytes += (uint64_t)n;
        }
        printf("bytes: %llu\nlines: %llu\nfnv1a64: %016llx\n", (unsigned long long)bytes,
               (unsigned long long)lines, (unsigned long long)hash);
        return 0;
    }
    if (strcmp(mode, "cat") == 0) {
        for (;;) {
            ssize_t n = read(0, buf, sizeof buf);
            if (n < 0)
                return 1;
            if (n == 0)
                return 0;
            for (ssize_t off = 0; off < n;) {
                ssize_t w = write(1, buf + off, (size_t)(n - off));
                if (w <= 0)
                    return 1;
                off += w;
            }
        }
    }
    if (strcmp(mode, "lines") == 0) {
        char line[256];
        int no = 0;
        while (fgets(line, sizeof line, stdin))
            printf("%d: %s", ++no, line);
        printf("(%d lines, eof: %s)\n", no, feof(stdin) ? "yes" : "no");
        return 0;
    }
    return 64;
}
