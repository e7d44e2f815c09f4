/* Clocks and sleeping, printed as yes/no checks (never raw times):
 * realtime is plausible and agrees with time()/gettimeofday(), clock_getres is sane, the
 * monotonic clock never goes back and advances across each kind of sleep by at least the
 * time asked for, and the process CPU-time clock advances with work.
 * WASI: clock_time_get (realtime, monotonic, process cputime), clock_res_get, poll_oneoff
 * with one clock subscription (relative, and absolute for TIMER_ABSTIME). */
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static int64_t ns(clockid_t id) {
    struct timespec t;
    if (clock_gettime(id, &t) != 0)
        return -1;
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static const char *yesno(int b) { return b ? "yes" : "no"; }

static void slept(const char *what, int64_t start, int64_t want_ns, int rc) {
    int64_t got = ns(CLOCK_MONOTONIC) - start;
    printf("%s: returned %s, slept at least %lld ms: %s\n", what, rc == 0 ? "0" : errname(errno),
           (long long)(want_ns / 1000000), yesno(got >= want_ns));
}

static void res(const char *name, clockid_t id) {
    struct timespec r;
    if (clock_getres(id, &r) != 0) {
        printf("clock_getres(%s): %s\n", name, errname(errno));
        return;
    }
    int64_t v = (int64_t)r.tv_sec * 1000000000 + r.tv_nsec;
    printf("clock_getres(%s): between 1 ns and 1 ms: %s\n", name, yesno(v >= 1 && v <= 1000000));
}

int main(void) {
    int64_t real = ns(CLOCK_REALTIME);
    printf("realtime after 2020-01-01: %s\n", yesno(real / 1000000000 > 1577836800));
    printf("realtime before 2100-01-01: %s\n", yesno(real / 1000000000 < 4102444800));
    time_t t = time(NULL);
    printf("time() within 2 s of realtime: %s\n", yesno(t - real / 1000000000 <= 2 && real / 1000000000 - t <= 2));
    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("gettimeofday within 2 s of realtime: %s\n",
           yesno(tv.tv_sec - real / 1000000000 <= 2 && real / 1000000000 - tv.tv_sec <= 2));

    res("realtime", CLOCK_REALTIME);
    res("monotonic", CLOCK_MONOTONIC);
    res("process cputime", CLOCK_PROCESS_CPUTIME_ID);

    int64_t prev = ns(CLOCK_MONOTONIC), backwards = 0;
    for (int i = 0; i < 1000; i++) {
        int64_t now = ns(CLOCK_MONOTONIC);
        backwards += now < prev;
        prev = now;
    }
    printf("monotonic never goes back over 1000 reads: %s\n", yesno(backwards == 0 && prev > 0));

    struct timespec req = {0, 0};
    printf("nanosleep 0: returned %s\n", nanosleep(&req, NULL) == 0 ? "0" : errname(errno));
    printf("poll(NULL, 0, 0): returned %d\n", poll(NULL, 0, 0));

    int64_t start = ns(CLOCK_MONOTONIC);
    req.tv_nsec = 50 * 1000000;
    slept("nanosleep 50 ms", start, 50000000, nanosleep(&req, NULL));

    start = ns(CLOCK_MONOTONIC);
    slept("usleep 20000 us", start, 20000000, usleep(20000));

    start = ns(CLOCK_MONOTONIC);
    int p = poll(NULL, 0, 30);
    slept("poll(NULL, 0, 30)", start, 30000000, p);

    start = ns(CLOCK_MONOTONIC);
    req.tv_nsec = 20 * 1000000;
    slept("clock_nanosleep monotonic relative 20 ms", start, 20000000,
          clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL));

    start = ns(CLOCK_MONOTONIC);
    req.tv_nsec = 20 * 1000000;
    slept("clock_nanosleep realtime relative 20 ms", start, 20000000,
          clock_nanosleep(CLOCK_REALTIME, 0, &req, NULL));

    start = ns(CLOCK_MONOTONIC);
    int64_t target = start + 30000000;
    struct timespec abs = {target / 1000000000, target % 1000000000};
    slept("clock_nanosleep monotonic absolute +30 ms", start, 30000000,
          clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL));

    /* Work for 30 ms of monotonic time; the process used CPU time meanwhile. */
    int64_t cpu0 = ns(CLOCK_PROCESS_CPUTIME_ID);
    if (cpu0 < 0) {
        printf("process cputime: %s\n", errname(errno));
    } else {
        volatile uint32_t x = 1;
        start = ns(CLOCK_MONOTONIC);
        while (ns(CLOCK_MONOTONIC) - start < 30000000)
            for (int i = 0; i < 1000; i++)
                x = x * 1664525u + 1013904223u;
        int64_t cpu1 = ns(CLOCK_PROCESS_CPUTIME_ID);
        printf("process cputime advances with work: %s\n", yesno(cpu1 > cpu0));
    }
    return 0;
}
