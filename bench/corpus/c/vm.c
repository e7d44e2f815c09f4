/* A bytecode VM: a stack machine with call frames, a heap array and a `switch` dispatch
 * loop (the shape of many embedded scripting engines), a small assembler with labels,
 * and guest programs for it: recursive fib, a sieve, Collatz lengths, gcd sums. The
 * instruction set, assembler and guest programs are in vm_isa.h and vm_guest.h, shared
 * with tailvm.c (the same VM as threaded code with tail calls). */
#include "rt.h"
#include "vm_isa.h"

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

#include "vm_guest.h"
