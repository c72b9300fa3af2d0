/*
 * signal_frame.h — the frame a signal handler runs on, as Linux builds it.
 *
 * To run a handler the kernel saves everything the interrupted code had (its
 * registers, FPU/SSE state, signal mask, alternate stack) in a frame on the user
 * stack, and makes the program look as if it had called handler(sig, info, uc)
 * with the frame's first word as the return address. That word is the libc's
 * restorer, which calls rt_sigreturn; rt_sigreturn reads the frame back. So the
 * frame is a contract with user code (libc reads ucontext_t, debuggers unwind
 * through it), and its layout is Linux's rt_sigframe, byte for byte:
 *
 *   higher addresses   ... the interrupted code's stack, then 128 bytes of red zone
 *                      fxsave image (512 bytes, 64-byte aligned)   <- uc.mcontext.fpstate
 *                      struct siginfo (128 bytes)                  <- handler's 2nd argument
 *                      struct ucontext (304 bytes)                 <- handler's 3rd argument
 *   RSP at entry ->    return address = sa_restorer
 *
 * kernel/README.md ("Running a signal handler") walks through one frame.
 */
#ifndef KERNEL_SIGNAL_FRAME_H
#define KERNEL_SIGNAL_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#include "proc.h"

/* Push the frame for sig's handler onto p's stack (or its alternate stack) and
 * point frame's registers at the handler. old_mask is the mask the frame saves
 * (rt_sigreturn restores it). False if the frame cannot be written: the stack is
 * not writable memory (the caller then forces SIGSEGV, as Linux does); `why` gets
 * the reason. */
bool signal_frame_push(struct proc *p, struct trap_frame *frame, int sig,
                       const struct signal_info *info, const struct k_sigaction *action,
                       uint64_t old_mask, char *why, size_t why_size);

/* rt_sigreturn: read back the frame at the user's RSP - 8 (the handler's `ret`
 * popped the return address) into frame, the FPU, the mask and the alternate
 * stack. False if the frame is unreadable or holds what a program may not load
 * (a kernel-half or non-canonical RIP, a non-canonical RSP, another code or stack
 * segment): `why` says which, and the caller kills the process with SIGSEGV. */
bool signal_frame_restore(struct proc *p, struct trap_frame *frame, char *why, size_t why_size);

/* Write sig's siginfo_t (128 bytes, Linux's layout) at user address at
 * (rt_sigtimedwait, waitid); 0, or -EFAULT. */
int signal_siginfo_to_user(uint64_t at, int sig, const struct signal_info *info);

/* Is sp on p's alternate signal stack? (Never while it is SS_AUTODISARM.) */
bool signal_on_altstack(const struct proc *p, uint64_t sp);

/* sigaltstack's ss_flags as seen from sp: SS_DISABLE, SS_ONSTACK or 0. */
int32_t signal_altstack_flags(const struct proc *p, uint64_t sp);

/* Set p's alternate stack to s (sigaltstack, and rt_sigreturn), with Linux's
 * rules: -EPERM while sp is on the current one, -EINVAL for unknown flags,
 * -ENOMEM below MINSIGSTKSZ. */
int signal_altstack_set(struct proc *p, const struct signal_stack *s, uint64_t sp);

#endif
