/* poll_oneoff on stdin: wait for input with a timeout, then read it.
 *
 *   poll_stdin MS   waits up to MS milliseconds for stdin to become readable and prints
 *                   `ready` or `timeout`; then reads stdin to the end and prints how many
 *                   bytes came. Also checks that stdout is writable at once.
 * wasi-libc turns poll() into poll_oneoff with an fd_read subscription and a clock. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common.h"

int main(int argc, char **argv) {
    int ms = argc > 1 ? atoi(argv[1]) : 0;
    struct pollfd out = {.fd = 1, .events = POLLOUT};
    int n = poll(&out, 1, 0);
    printf("stdout writable: %s\n", n == 1 && (out.revents & POLLOUT) ? "yes" : "no");
    struct pollfd in = {.fd = 0, .events = POLLIN};
    n = poll(&in, 1, ms);
    if (n < 0) {
        printf("poll: %s\n", errname(errno));
        return 1;
    }
    printf("stdin: %s\n", n == 1 && (in.revents & (POLLIN | POLLHUP)) ? "ready" : "timeout");
    fflush(stdout);
    size_t total = 0;
    char buf[4096];
    ssize_t r;
    while ((r = read(0, buf, sizeof buf)) > 0)
        total += (size_t)r;
    if (r < 0) {
        printf("read: %s\n", errname(errno));
        return 1;
    }
    printf("read %zu bytes\n", total);
    return 0;
}
