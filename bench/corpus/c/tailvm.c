/* A bytecode VM with vm.c's instruction set, assembler and guest programs (vm_isa.h,
 * vm_guest.h: recursive fib, a sieve, Collatz lengths, gcd sums; the same checksum),
 * dispatched as threaded code: every instruction has a handler function of its own, and
 * each handler ends by calling the next instruction's handler through a table of them,
 * a guaranteed tail call (`musttail`): the shape of CPython 3.14's tail-calling
 * interpreter, wasm3 and protobuf's upb parser. The machine's registers (instruction
 * pointer, stack pointer, locals) travel as arguments, the rest in a struct.
 *
 * For wasm with the tail-call feature (`-mtail-call`) clang compiles each dispatch to a
 * `return_call_indirect`; natively, gcc -O2 turns them into indirect jumps (sibling-call
 * optimisation, checked in the native build's disassembly: no handler calls another). */
#include "rt.h"
#include "vm_isa.h"

/* clang guarantees the tail call, or refuses to compile; gcc 12 has no `musttail`, and
 * its -O2 makes the calls jumps all the same. Without -mtail-call, clang cannot compile a
 * `musttail` call for wasm at all, so the macro is empty there too (and the program, a
 * call per guest instruction, then runs out of stack: see the corpus's README). */
#if defined(__clang__) && (!defined(__wasm__) || defined(__wasm_tail_call__))
#define MUSTTAIL __attribute__((musttail))
#else
#define MUSTTAIL
#endif

#define NOPS (OP_OUT + 1)

typedef struct {
    const int32_t *code;
    int64_t *stack_end;
    frame *frames;
    int depth;
    vm *m;
} tvm;

/* A handler: `ip` points after its opcode (at its operands), `sp` above the stack's top,
 * `locals` at the running guest function's locals. Returns what the guest program returns
 * (at OP_HALT or the outermost return), or a negative error as vm.c's `vm_run` does. */
typedef int64_t handler(const int32_t *ip, int64_t *sp, int64_t *locals, tvm *t);

#define HANDLER(name) static int64_t name(const int32_t *ip, int64_t *sp, int64_t *locals, tvm *t)

/* The end of every handler: the checks vm.c makes before each instruction (room on the
 * stack, a known opcode), then the next instruction's handler, in the caller's place. */
#define NEXT()                                                                              \
    do {                                                                                    \
        if (sp + 8 > t->stack_end)                                                          \
            return -2;                                                                      \
        uint32_t op_ = (uint32_t)*ip;                                                       \
        if (op_ >= NOPS)                                                                    \
            return -6;                                                                      \
        MUSTTAIL return handlers[op_](ip + 1, sp, locals, t);                               \
    } while (0)

#define HANDLERS(X)                                                                         \
    X(OP_HALT, op_halt)                                                                     \
    X(OP_PUSH, op_push)                                                                     \
    X(OP_POP, op_pop)                                                                       \
    X(OP_DUP, op_dup)                                                                       \
    X(OP_LOAD, op_load)                                                                     \
    X(OP_STORE, op_store)                                                                   \
    X(OP_INC, op_inc)                                                                       \
    X(OP_ADD, op_add)                                                                       \
    X(OP_SUB, op_sub)                                                                       \
    X(OP_MUL, op_mul)                                                                       \
    X(OP_DIV, op_div)                                                                       \
    X(OP_MOD, op_mod)                                                                       \
    X(OP_NEG, op_neg)                                                                       \
    X(OP_AND, op_and)                                                                       \
    X(OP_OR, op_or)                                                                         \
    X(OP_XOR, op_xor)                                                                       \
    X(OP_SHL, op_shl)                                                                       \
    X(OP_SHR, op_shr)                                                                       \
    X(OP_LT, op_lt)                                                                         \
    X(OP_LE, op_le)                                                                         \
    X(OP_GT, op_gt)                                                                         \
    X(OP_EQ, op_eq)                                                                         \
    X(OP_NE, op_ne)                                                                         \
    X(OP_NOT, op_not)                                                                       \
    X(OP_JMP, op_jmp)                                                                       \
    X(OP_JZ, op_jz)                                                                         \
    X(OP_JNZ, op_jnz)                                                                       \
    X(OP_CALL, op_call)                                                                     \
    X(OP_RET, op_ret)                                                                       \
    X(OP_ALOAD, op_aload)                                                                   \
    X(OP_ASTORE, op_astore)                                                                 \
    X(OP_OUT, op_out)

#define DECLARE(op, name) HANDLER(name);
HANDLERS(DECLARE)
#define ENTRY(op, name) [op] = name,
static handler *const handlers[NOPS] = {HANDLERS(ENTRY)};

HANDLER(op_halt) {
    (void)ip, (void)locals, (void)t;
    return sp[-1];
}
HANDLER(op_push) {
    *sp++ = *ip++;
    NEXT();
}
HANDLER(op_pop) {
    sp--;
    NEXT();
}
HANDLER(op_dup) {
    sp[0] = sp[-1];
    sp++;
    NEXT();
}
HANDLER(op_load) {
    *sp++ = locals[*ip++];
    NEXT();
}
HANDLER(op_store) {
    locals[*ip++] = *--sp;
    NEXT();
}
HANDLER(op_inc) {
    locals[ip[0]] += ip[1];
    ip += 2;
    NEXT();
}

/* The two-operand instructions: pop b, replace the top a by `a OP b` (as vm.c does). */
#define BINARY(name, statement)                                                             \
    HANDLER(name) {                                                                         \
        int64_t b = *--sp;                                                                  \
        statement;                                                                          \
        NEXT();                                                                             \
    }
BINARY(op_add, sp[-1] += b)
BINARY(op_sub, sp[-1] -= b)
BINARY(op_mul, sp[-1] *= b)
BINARY(op_and, sp[-1] &= b)
BINARY(op_or, sp[-1] |= b)
BINARY(op_xor, sp[-1] ^= b)
BINARY(op_shl, sp[-1] = (int64_t)((uint64_t)sp[-1] << (b & 63)))
BINARY(op_shr, sp[-1] >>= (b & 63))
BINARY(op_lt, sp[-1] = sp[-1] < b)
BINARY(op_le, sp[-1] = sp[-1] <= b)
BINARY(op_gt, sp[-1] = sp[-1] > b)
BINARY(op_eq, sp[-1] = sp[-1] == b)
BINARY(op_ne, sp[-1] = sp[-1] != b)

HANDLER(op_div) {
    int64_t b = *--sp;
    if (b == 0)
        return -3;
    sp[-1] /= b;
    NEXT();
}
HANDLER(op_mod) {
    int64_t b = *--sp;
    if (b == 0)
        return -3;
    sp[-1] %= b;
    NEXT();
}
HANDLER(op_neg) {
    sp[-1] = -sp[-1];
    NEXT();
}
HANDLER(op_not) {
    sp[-1] = !sp[-1];
    NEXT();
}
HANDLER(op_jmp) {
    ip = t->code + *ip;
    NEXT();
}
HANDLER(op_jz) {
    ip = *--sp ? ip + 1 : t->code + *ip;
    NEXT();
}
HANDLER(op_jnz) {
    ip = *--sp ? t->code + *ip : ip + 1;
    NEXT();
}
HANDLER(op_call) {
    int32_t target = ip[0], argc = ip[1];
    if (t->depth == MAX_FRAMES)
        return -4;
    t->frames[t->depth].ret = ip + 2;
    t->frames[t->depth].locals = locals;
    t->depth++;
    locals = sp - argc;
    sp = locals + NLOCALS;
    ip = t->code + target;
    NEXT();
}
HANDLER(op_ret) {
    int64_t v = sp[-1];
    if (t->depth == 0)
        return v;
    sp = locals;
    *sp++ = v;
    t->depth--;
    ip = t->frames[t->depth].ret;
    locals = t->frames[t->depth].locals;
    NEXT();
}
HANDLER(op_aload) {
    int64_t a = sp[-1];
    if ((uint64_t)a >= t->m->heap_size)
        return -5;
    sp[-1] = t->m->heap[a];
    NEXT();
}
HANDLER(op_astore) { /* heap[index] = value; stack: index value */
    int64_t b = *--sp;
    int64_t a = *--sp;
    if ((uint64_t)a >= t->m->heap_size)
        return -5;
    t->m->heap[a] = b;
    NEXT();
}
HANDLER(op_out) {
    t->m->out = mix(t->m->out, (uint64_t)*--sp);
    NEXT();
}

/* The first dispatch, from `vm_run` (a handler without an instruction of its own). */
HANDLER(enter) { NEXT(); }

/* Runs from `entry` (a function of `nargs` arguments taken from args) to OP_HALT or the
 * outermost return; returns the value on top of the stack, or a negative error. */
static int64_t vm_run(vm *m, const int32_t *code, int32_t entry, const int64_t *args, int nargs) {
    tvm t = {code, m->stack + m->stack_size, malloc(MAX_FRAMES * sizeof(frame)), 0, m};
    int64_t *locals = m->stack, *sp = locals;
    for (int i = 0; i < nargs; i++)
        *sp++ = args[i];
    sp = locals + NLOCALS;
    int64_t result = enter(code + entry, sp, locals, &t);
    free(t.frames);
    return result;
}

#include "vm_guest.h"
