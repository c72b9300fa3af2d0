/*
 * sys_clone.c — clone (fork and vfork only), set_robust_list, get_robust_list,
 * and rseq. See clone.h for the flag sets.
 */
#include "clone.h"

#include "cpu.h"
#include "errno.h"
#include "mm/uaccess.h"
#include "proc.h"
#include "signal.h"
#include "syscall.h"

#define CSIGNAL              0x000000ff /* the low byte: the signal the parent gets at exit */
#define CLONE_VM             0x00000100
#define CLONE_VFORK          0x00004000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID   0x01000000
#define CLONE_TID_FLAGS      (CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)

#define ROBUST_LIST_HEAD_SIZE 24 /* struct robust_list_head: list, futex_offset, pending */

/* Which process-making combination the flags are, if any. */
enum clone_kind { CLONE_KIND_NONE, CLONE_KIND_FORK, CLONE_KIND_VFORK };

static enum clone_kind classify(uint64_t flags)
{
    if ((flags & CSIGNAL) != SIGCHLD)
        return CLONE_KIND_NONE;
    uint64_t rest = flags & ~(uint64_t)(CSIGNAL | CLONE_TID_FLAGS);
    if (rest == 0)
        return CLONE_KIND_FORK;
    if (rest == (CLONE_VM | CLONE_VFORK))
        return CLONE_KIND_VFORK;
    return CLONE_KIND_NONE;
}

/* clone(flags, stack, parent_tid, child_tid, tls): x86-64's argument order. */
long sys_clone(struct syscall_args a)
{
    uint64_t flags = a.arg[0];
    enum clone_kind kind = classify(flags);
    if (kind == CLONE_KIND_NONE)
        return -EINVAL; /* threads, namespaces, ...: not in this kernel */
    struct clone_request request = {
        .stack = a.arg[1],
        .parent_set_tid = (flags & CLONE_PARENT_SETTID) ? a.arg[2] : 0,
        .child_set_tid = (flags & CLONE_CHILD_SETTID) ? a.arg[3] : 0,
        .child_clear_tid = (flags & CLONE_CHILD_CLEARTID) ? a.arg[3] : 0,
    };
    return kind == CLONE_KIND_FORK ? clone_fork(&request) : clone_vfork(&request);
}

void clone_first_run(void)
{
    struct proc *p = current_proc();
    if (p->set_child_tid == 0)
        return;
    int tid = p->pid;
    /* as on Linux (schedule_tail), a bad address is simply not written */
    (void)copy_to_user(p->set_child_tid, &tid, sizeof tid);
    p->set_child_tid = 0;
}

void clone_release_memory(struct proc *p)
{
    if (p->clear_child_tid != 0 && p->as != NULL && p->as->refcount > 1) {
        int zero = 0;
        (void)copy_to_user(p->clear_child_tid, &zero, sizeof zero);
        /* Linux then wakes futex waiters on the word; there are no futexes here */
    }
    p->clear_child_tid = 0;
    p->robust_list = 0;
    p->robust_list_length = 0;
}

/* set_robust_list(head, len): remember where the C library keeps its list of
 * robust mutexes; Linux walks it at exit to release the ones the thread held.
 * With one thread per process and no futexes, nobody could wait on them: kept
 * only, as get_robust_list reports. EINVAL unless len is the header's size. */
long sys_set_robust_list(struct syscall_args a)
{
    if (a.arg[1] != ROBUST_LIST_HEAD_SIZE)
        return -EINVAL;
    struct proc *p = current_proc();
    p->robust_list = a.arg[0];
    p->robust_list_length = a.arg[1];
    return 0;
}

/* get_robust_list(pid, head_ptr, len_ptr): pid 0 is the caller. */
long sys_get_robust_list(struct syscall_args a)
{
    int pid = (int)a.arg[0];
    struct proc *p = pid == 0 ? current_proc() : (pid > 0 ? proc_find(pid) : NULL);
    if (p == NULL)
        return -ESRCH;
    if (copy_to_user(a.arg[1], &p->robust_list, sizeof p->robust_list) != 0 ||
        copy_to_user(a.arg[2], &p->robust_list_length, sizeof p->robust_list_length) != 0)
        return -EFAULT;
    return 0;
}

/* rseq: restartable sequences need the kernel to notice preemption inside a
 * marked critical section and to keep a CPU number current in user memory. This
 * kernel answers as Linux built without CONFIG_RSEQ does, -ENOSYS; glibc then
 * runs without (its __rseq_size is 0 and sched_getcpu asks getcpu), and musl
 * never registers one. */
long sys_rseq(struct syscall_args a)
{
    (void)a;
    return -ENOSYS;
}
