/* Hello world through stdio: printf (formatted, buffered), puts, a write to stderr.
 * WASI: fd_write on fds 1 and 2, fd_fdstat_get (stdio asks whether fd 1 is a tty), proc_exit
 * or a plain return from _start. */
#include <stdio.h>

int main(void) {
    printf("Hello, %s! %d + %d = %d\n", "world", 2, 3, 2 + 3);
    puts("puts adds a newline");
    printf("%s|%5.2f|%-4x|%c\n", "formats", 3.14159, 255, 'z');
    fputs("this line goes to stderr\n", stderr);
    return 0;
}
