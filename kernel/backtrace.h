/*
 * backtrace.h — which functions led here, by following saved frame pointers.
 *
 * Every C function compiled with -fno-omit-frame-pointer starts with
 *     push %rbp; mov %rsp, %rbp
 * so at any moment RBP points at a two-word record: [rbp] = the caller's RBP,
 * [rbp + 8] = the return address into the caller. Following the chain of saved
 * RBPs visits every active call until the zero that boot/entry64.asm put there.
 */
#ifndef KERNEL_BACKTRACE_H
#define KERNEL_BACKTRACE_H

#include <stdint.h>

/* Print the callers recorded in the frame chain starting at rbp. */
void backtrace_print_from(uint64_t rbp);

/* Print an interrupted context: rip first, then its callers (from rbp, and from
 * rsp when the interrupted function had no frame record of its own). */
void backtrace_print_context(uint64_t rip, uint64_t rbp, uint64_t rsp);

/* Print "0xffffffff80101234 kmain+0x1c" (or just the address if unknown). */
void backtrace_print_address(uint64_t address);

#endif
