/* A bytecode VM: a stack machine with call frames, a heap array and a `switch` dispatch
 * loop (the shape of many embedded scripting engines), a small assembler with labels,
 * and guest programs for it: recursive fib, a sieve, Collatz lengths, gcd sums. */
#include "rt.h"

enum {
    OP_HALT, OP_PUSH, OP_POP, OP_DUP, OP_LOAD, OP_STORE, OP_INC,
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_NEG,
    OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR,
    OP_LT, OP_LE, OP_GT, OP_EQ, OP_NE, OP_NOT,
    OP_JMP, OP_JZ, OP_JNZ, OP_CALL, OP_RET,
    OP_ALOAD, OP_ASTORE, OP_OUT,
};

typedef struct {
    int32_t *code;
    size_t len, cap;
    int32_t labels[64];
    struct {
        size_t at;
        int label;
    } fixups[128];
    int nfixups;
} assembler;

static void emit(assembler *a, int32_t word) {
    if (a->len == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 256;
        a->code = realloc(a->code, a->cap * sizeof(int32_t));
    }
    a->code[a->len++] = word;
}

static void op0(assembler *a, int op) { emit(a, op); }
static void op1(assembler *a, int op, int32_t x) {
    emit(a, op);
    emit(a, x);
}
static void op2(assembler *a, int op, int32_t x, int32_t y) {
    emit(a, op);
    emit(a, x);
    emit(a, y);
}
static void label(assembler *a, int l) { a->labels[l] = (int32_t)a->len; }
static void jump(assembler *a, int op, int l) {
    emit(a, op);
    a->fixups[a->nfixups].at = a->len;
    a->fixups[a->nfixups++].label = l;
    emit(a, 0);
}
static void call(assembler *a, int l, int32_t nargs) {
    jump(a, OP_CALL, l);
    emit(a, nargs);
}
static void link(assembler *a) {
    for (int i = 0; i < a->nfixups; i++)
        a->code[a->fixups[i].at] = a->labels[a->fixups[i].label];
}

typedef struct {
    int64_t *stack;
    size_t stack_size;
    int64_t *heap;
    size_t heap_size;
    uint64_t out;
} vm;

typedef struct {
    const int32_t *ret;
    int64_t *locals;
} frame;

#define MAX_FRAMES 1024
#define NLOCALS 8

/* Runs from `entry` (a function of `nargs` arguments taken from args) to OP_HALT or the
 * outermost return; returns the value on top of the stack, or a negative error. */
static int64_t vm_run(vm *m, const int32_t *code, int32_t entry, const int64_t *args, int nargs) {
    frame *frames = malloc(MAX_FRAMES * sizeof *frames);
    int depth = 0;
    int64_t *sp = m->stack, *stack_end = m->stack + m->stack_size;
    int64_t *locals = sp;
    for (int i = 0; i < nargs; i++)
        *sp++ = args[i];
    sp = locals + NLOCALS;
    const int32_t *ip = code + entry;
    int64_t result = -1, a, b;
    for (;;) {
        if (sp + 8 > stack_end) {
            result = -2;
            goto done;
        }
        switch (*ip++) {
        case OP_HALT:
            result = sp[-1];
            goto done;
        case OP_PUSH: *sp++ = *ip++; break;
        case OP_POP: sp--; break;
        case OP_DUP: sp[0] = sp[-1]; sp++; break;
        case OP_LOAD: *sp++ = locals[*ip++]; break;
        case OP_STORE: locals[*ip++] = *--sp; break;
        case OP_INC: locals[ip[0]] += ip[1]; ip += 2; break;
        case OP_ADD: b = *--sp; sp[-1] += b; break;
        case OP_SUB: b = *--sp; sp[-1] -= b; break;
        case OP_MUL: b = *--sp; sp[-1] *= b; break;
        case OP_DIV:
        case OP_MOD:
            b = *--sp;
            a = sp[-1];
            if (b == 0) {
                result = -3;
                goto done;
            }
            sp[-1] = ip[-1] == OP_DIV ? a / b : a % b;
            break;
        case OP_NEG: sp[-1] = -sp[-1]; break;
        case OP_AND: b = *--sp; sp[-1] &= b; break;
        case OP_OR: b = *--sp; sp[-1] |= b; break;
        case OP_XOR: b = *--sp; sp[-1] ^= b; break;
        case OP_SHL: b = *--sp; sp[-1] = (int64_t)((uint64_t)sp[-1] << (b & 63)); break;
        case OP_SHR: b = *--sp; sp[-1] >>= (b & 63); break;
        case OP_LT: b = *--sp; sp[-1] = sp[-1] < b; break;
        case OP_LE: b = *--sp; sp[-1] = sp[-1] <= b; break;
        case OP_GT: b = *--sp; sp[-1] = sp[-1] > b; break;
        case OP_EQ: b = *--sp; sp[-1] = sp[-1] == b; break;
        case OP_NE: b = *--sp; sp[-1] = sp[-1] != b; break;
        case OP_NOT: sp[-1] = !sp[-1]; break;
        case OP_JMP: ip = code + *ip; break;
        case OP_JZ: ip = *--sp ? ip + 1 : code + *ip; break;
        case OP_JNZ: ip = *--sp ? code + *ip : ip + 1; break;
        case OP_CALL: {
            int32_t target = ip[0], argc = ip[1];
            if (depth == MAX_FRAMES) {
                result = -4;
                goto done;
            }
            frames[depth].ret = ip + 2;
            frames[depth].locals = locals;
            depth++;
            locals = sp - argc;
            sp = locals + NLOCALS;
            ip = code + target;
            break;
        }
        case OP_RET: {
            int64_t v = sp[-1];
            if (depth == 0) {
                result = v;
                goto done;
            }
            sp = locals;
            *sp++ = v;
            depth--;
            ip = frames[depth].ret;
            locals = frames[depth].locals;
            break;
        }
        case OP_ALOAD:
            a = sp[-1];
            if ((uint64_t)a >= m->heap_size) {
                result = -5;
                goto done;
            }
            sp[-1] = m->heap[a];
            break;
        case OP_ASTORE: /* heap[index] = value; stack: index value */
            b = *--sp;
            a = *--sp;
            if ((uint64_t)a >= m->heap_size) {
                result = -5;
                goto done;
            }
            m->heap[a] = b;
            break;
        case OP_OUT:
            m->out = mix(m->out, (uint64_t)*--sp);
            break;
        default:
            result = -6;
            goto done;
        }
    }
done:
    free(frames);
    return result;
}

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
