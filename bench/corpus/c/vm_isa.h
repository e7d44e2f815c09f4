/* vm_isa.h: the guest instruction set of the corpus's two bytecode VMs (vm.c, a `switch`
 * loop, and tailvm.c, handlers that tail-call each other), its assembler, and the state
 * both VMs run on. Included once by each of them, before its `vm_run`; vm_guest.h, after
 * it, holds the guest programs and `run`. (Definitions in a header: each VM is one
 * translation unit, and sharing the guest code keeps the two running the same programs
 * with the same checksum.) */
#ifndef VM_ISA_H
#define VM_ISA_H
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

#endif
