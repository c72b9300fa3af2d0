/*
 * clone.h — clone(2): the flag sets C libraries use for fork and vfork.
 *
 * clone is Linux's general "new task" call; its flags say what parent and child
 * share (memory, descriptors, signal handlers, ...). A thread shares everything;
 * a process nothing. This kernel has processes only, so clone takes exactly the
 * two combinations that make a process, and refuses every other with EINVAL:
 *
 *   SIGCHLD [| CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CLONE_PARENT_SETTID]
 *       a fork: copy-on-write memory (glibc's fork passes the two CHILD_ flags
 *       with the address of the tid in its thread block)
 *   CLONE_VM | CLONE_VFORK | SIGCHLD [| the same tid flags]
 *       a vfork: the child borrows the parent's memory, usually on a stack of its
 *       own (musl's posix_spawn), and the parent sleeps until it execs or exits
 *
 * The tid flags: CLONE_PARENT_SETTID writes the child's tid into the parent's
 * memory before clone returns; CLONE_CHILD_SETTID writes it into the child's
 * memory as the child first runs; CLONE_CHILD_CLEARTID (like set_tid_address)
 * makes the child's exit or execve write 0 there, if its memory has another user
 * (Linux's mm_release: only then can anybody be waiting for it).
 */
#ifndef KERNEL_CLONE_H
#define KERNEL_CLONE_H

#include <stdint.h>

struct proc;

/* What a fork or vfork is asked to do besides copying the process. */
struct clone_request {
    uint64_t stack;           /* the child's stack pointer (0: the parent's) */
    uint64_t parent_set_tid;  /* CLONE_PARENT_SETTID: where (0: not asked) */
    uint64_t child_set_tid;   /* CLONE_CHILD_SETTID */
    uint64_t child_clear_tid; /* CLONE_CHILD_CLEARTID */
};

/* fork / vfork as clone asks (kernel/sys_proc.c): the child's pid, or -ENOMEM or
 * -EAGAIN. */
long clone_fork(const struct clone_request *request);
long clone_vfork(const struct clone_request *request);

/* The first thing a new process does, in its own memory, before its first return
 * to user mode (context_switch.asm's proc_first_return): CLONE_CHILD_SETTID. */
void clone_first_run(void);

/* p leaves its memory (exit, or execve: Linux's mm_release): the
 * CLONE_CHILD_CLEARTID / set_tid_address word becomes 0 if another process uses
 * the same memory (a vfork parent), and the robust futex list is forgotten. Call
 * while p's address space is still the active one. */
void clone_release_memory(struct proc *p);

#endif
