/* vm_guest.h: the guest programs of vm.c and tailvm.c (recursive fib, a sieve, Collatz
 * lengths, gcd sums), assembled with vm_isa.h's assembler, and the exported `run`, which
 * runs them through the including file's `vm_run`. Included once, after `vm_run`. */
#ifndef VM_GUEST_H
#define VM_GUEST_H
#include "vm_isa.h"

enum { FIB, SIEVE, COLLATZ, GCD, GCD_SUM, NFUNCS };
static int32_t entry_of[NFUNCS];

/* Label numbers: each function gets a block of 8 starting at 8 * (its index + 1). */
static assembler *build(void) {
    assembler *a = calloc(1, sizeof *a);
    /* fib(n): n < 2 ? n : fib(n-1) + fib(n-2) */
    label(a, FIB);
    op1(a, OP_LOAD, 0);
    op1(a, OP_PUSH, 2);
    op0(a, OP_LT);
    jump(a, OP_JZ, 8);
    op1(a, OP_LOAD, 0);
    op0(a, OP_RET);
    label(a, 8);
    op1(a, OP_LOAD, 0);
    op1(a, OP_PUSH, 1);
    op0(a, OP_SUB);
    call(a, FIB, 1);
    op1(a, OP_LOAD, 0);
    op1(a, OP_PUSH, 2);
    op0(a, OP_SUB);
    call(a, FIB, 1);
    op0(a, OP_ADD);
    op0(a, OP_RET);

    /* sieve(limit): count primes below limit, marking heap[0..limit) */
    label(a, SIEVE);
    op1(a, OP_PUSH, 0);
    op1(a, OP_STORE, 1); /* i = 0 */
    label(a, 16);        /* clear loop */
    op1(a, OP_LOAD, 1);
    op1(a, OP_LOAD, 0);
    op0(a, OP_LT);
    jump(a, OP_JZ, 17);
    op1(a, OP_LOAD, 1);
    op1(a, OP_PUSH, 1);
    op0(a, OP_ASTORE);
    op2(a, OP_INC, 1, 1);
    jump(a, OP_JMP, 16);
    label(a, 17);
    op1(a, OP_PUSH, 2);
    op1(a, OP_STORE, 1); /* i = 2 */
    op1(a, OP_PUSH, 0);
    op1(a, OP_STORE, 3); /* count = 0 */
    label(a, 18);        /* outer loop */
    op1(a, OP_LOAD, 1);
    op1(a, OP_LOAD, 0);
    op0(a, OP_LT);
    jump(a, OP_JZ, 21);
    op1(a, OP_LOAD, 1);
    op0(a, OP_ALOAD);
    jump(a, OP_JZ, 20);
    op2(a, OP_INC, 3, 1);
    op1(a, OP_LOAD, 1);
    op1(a, OP_LOAD, 1);
    op0(a, OP_MUL);
    op1(a, OP_STORE, 2); /* j = i * i */
    label(a, 19);
    op1(a, OP_LOAD, 2);
    op1(a, OP_LOAD, 0);
    op0(a, OP_LT);
    jump(a, OP_JZ, 20);
    op1(a, OP_LOAD, 2);
    op1(a, OP_PUSH, 0);
    op0(a, OP_ASTORE);
    op1(a, OP_LOAD, 2);
    op1(a, OP_LOAD, 1);
    op0(a, OP_ADD);
    op1(a, OP_STORE, 2);
    jump(a, OP_JMP, 19);
    label(a, 20);
    op2(a, OP_INC, 1, 1);
    jump(a, OP_JMP, 18);
    label(a, 21);
    op1(a, OP_LOAD, 3);
    op0(a, OP_RET);

    /* collatz(limit): sum over x in [1, limit) of the steps to reach 1; outputs maxima */
    label(a, COLLATZ);
    op1(a, OP_PUSH, 1);
    op1(a, OP_STORE, 1); /* x */
    op1(a, OP_PUSH, 0);
    op1(a, OP_STORE, 4); /* total */
    op1(a, OP_PUSH, 0);
    op1(a, OP_STORE, 5); /* best */
    label(a, 24);
    op1(a, OP_LOAD, 1);
    op1(a, OP_LOAD, 0);
    op0(a, OP_LT);
    jump(a, OP_JZ, 29);
    op1(a, OP_LOAD, 1);
    op1(a, OP_STORE, 2); /* v = x */
    op1(a, OP_PUSH, 0);
    op1(a, OP_STORE, 3); /* steps */
    label(a, 25);
    op1(a, OP_LOAD, 2);
    op1(a, OP_PUSH, 1);
    op0(a, OP_NE);
    jump(a, OP_JZ, 27);
    op1(a, OP_LOAD, 2);
    op1(a, OP_PUSH, 1);
    op0(a, OP_AND);
    jump(a, OP_JNZ, 26);
    op1(a, OP_LOAD, 2);
    op1(a, OP_PUSH, 1);
    op0(a, OP_SHR);
    op1(a, OP_STORE, 2);
    op2(a, OP_INC, 3, 1);
    jump(a, OP_JMP, 25);
    label(a, 26);
    op1(a, OP_LOAD, 2);
    op1(a, OP_PUSH, 3);
    op0(a, OP_MUL);
    op1(a, OP_PUSH, 1);
    op0(a, OP_ADD);
    op1(a, OP_STORE, 2);
    op2(a, OP_INC, 3, 1);
    jump(a, OP_JMP, 25);
    label(a, 27);
    op1(a, OP_LOAD, 4);
    op1(a, OP_LOAD, 3);
    op0(a, OP_ADD);
    op1(a, OP_STORE, 4);
    op1(a, OP_LOAD, 3);
    op1(a, OP_LOAD, 5);
    op0(a, OP_GT);
    jump(a, OP_JZ, 28);
    op1(a, OP_LOAD, 3);
    op1(a, OP_STORE, 5);
    op1(a, OP_LOAD, 1);
    op0(a, OP_OUT);
    label(a, 28);
    op2(a, OP_INC, 1, 1);
    jump(a, OP_JMP, 24);
    label(a, 29);
    op1(a, OP_LOAD, 4);
    op0(a, OP_RET);

    /* gcd(a, b): b == 0 ? a : gcd(b, a % b) -- recursive, as written in the guest */
    label(a, GCD);
    op1(a, OP_LOAD, 1);
    jump(a, OP_JNZ, 32);
    op1(a, OP_LOAD, 0);
    op0(a, OP_RET);
    label(a, 32);
    op1(a, OP_LOAD, 1);
    op1(a, OP_LOAD, 0);
    op1(a, OP_LOAD, 1);
    op0(a, OP_MOD);
    call(a, GCD, 2);
    op0(a, OP_RET);

    /* gcd_sum(n): sum of gcd(i, j) for 1 <= i, j < n */
    label(a, GCD_SUM);
    op1(a, OP_PUSH, 0);
    op1(a, OP_STORE, 3);
    op1(a, OP_PUSH, 1);
    op1(a, OP_STORE, 1);
    label(a, 40);
    op1(a, OP_LOAD, 1);
    op1(a, OP_LOAD, 0);
    op0(a, OP_LT);
    jump(a, OP_JZ, 43);
    op1(a, OP_PUSH, 1);
    op1(a, OP_STORE, 2);
    label(a, 41);
    op1(a, OP_LOAD, 2);
    op1(a, OP_LOAD, 0);
    op0(a, OP_LT);
    jump(a, OP_JZ, 42);
    op1(a, OP_LOAD, 3);
    op1(a, OP_LOAD, 1);
    op1(a, OP_LOAD, 2);
    call(a, GCD, 2);
    op0(a, OP_ADD);
    op1(a, OP_STORE, 3);
    op2(a, OP_INC, 2, 1);
    jump(a, OP_JMP, 41);
    label(a, 42);
    op2(a, OP_INC, 1, 1);
    jump(a, OP_JMP, 40);
    label(a, 43);
    op1(a, OP_LOAD, 3);
    op0(a, OP_RET);

    link(a);
    for (int f = 0; f < NFUNCS; f++)
        entry_of[f] = a->labels[f];
    return a;
}

int64_t run(int32_t n) {
    assembler *a = build();
    vm m;
    m.stack_size = 1 << 14;
    m.stack = malloc(m.stack_size * sizeof(int64_t));
    m.heap_size = 1 << 13;
    m.heap = malloc(m.heap_size * sizeof(int64_t));
    m.out = 0;
    uint64_t sum = 0;
    for (int32_t round = 0; round < n; round++) {
        int64_t arg = 9 + round % 3;
        sum = mix(sum, (uint64_t)vm_run(&m, a->code, entry_of[FIB], &arg, 1));
        arg = 500 + round % 7;
        sum = mix(sum, (uint64_t)vm_run(&m, a->code, entry_of[SIEVE], &arg, 1));
        arg = 50 + round % 11;
        sum = mix(sum, (uint64_t)vm_run(&m, a->code, entry_of[COLLATZ], &arg, 1));
        arg = 7 + round % 5;
        sum = mix(sum, (uint64_t)vm_run(&m, a->code, entry_of[GCD_SUM], &arg, 1));
    }
    /* fib(10) = 55, primes below 100: 25. */
    int64_t arg = 10;
    if (vm_run(&m, a->code, entry_of[FIB], &arg, 1) != 55)
        sum = mix(sum, 0xbad);
    arg = 100;
    if (vm_run(&m, a->code, entry_of[SIEVE], &arg, 1) != 25)
        sum = mix(sum, 0xbad);
    sum = mix(sum, m.out);
    free(m.stack);
    free(m.heap);
    free(a->code);
    free(a);
    return (int64_t)sum;
}

#endif
