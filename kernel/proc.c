/*
 * proc.c — the process table: creating, finding, ending and reaping processes.
 */
#include "proc.h"
#include "kthread.h"

#include "clone.h"
#include "clock.h"
#include "cpu.h"
#include "dev/block.h"
#include "fs/fdtable.h"
#include "fs/inode.h"
#include "fs/mount.h"
#include "fs/umask.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/check.h"
#include "mm/check_swap.h"
#include "mm/pmm.h"
#include "mm/swap.h"
#include "mm/kvmap.h"
#include "swap/swapon.h"
#include "oom.h"
#include "panic.h"
#include "pgrp.h"
#include "power.h"
#include "printk.h"
#include "sched.h"
#include "signal_delivery.h"
#include "timer.h"
#include "x86.h"

#define INIT_PID 1

static struct proc *table[MAX_PROCS]; /* slot 0: the idle process */
static bool check_after_every_reap;   /* kernel option mmcheck */
static int next_pid = INIT_PID;

struct proc *proc_at(int slot)
{
    return table[slot];
}

struct proc *proc_find(int pid)
{
    for (int i = 0; i < MAX_PROCS; i++) {
        if (table[i] != NULL && table[i]->pid == pid)
            return table[i];
    }
    return NULL;
}

struct proc *proc_idle(void)
{
    return table[0];
}

void proc_set_name(struct proc *p, const char *path)
{
    const char *slash = strrchr(path, '/');
    strlcpy(p->name, slash != NULL ? slash + 1 : path, sizeof p->name);
}

/* The idle process is the thread that booted the kernel: it already has a stack
 * and is already running, so it only needs a record. */
void proc_init_idle(void)
{
    struct proc *idle = kzalloc(sizeof *idle);
    assert(idle != NULL, "no memory for the idle process");
    idle->pid = 0;
    idle->state = PROC_RUNNING;
    strlcpy(idle->name, "idle", sizeof idle->name);
    memcpy(idle->fpu_state, cpu_initial_fpu_state(), sizeof idle->fpu_state);
    table[0] = idle;
    the_cpu.current = idle;
}

/* Free a zombie: its kernel stack and record. With checks, the memory invariant
 * check follows -- unless the caller may hold an address space that no process has
 * yet (fork, between as_fork and the new process), which the check cannot see. */
static void reap(struct proc *p, bool check)
{
    int pid = p->pid;
    assert(p->state == PROC_ZOMBIE, "proc_reap: pid %d is not a zombie (state %d)", p->pid,
           p->state);
    for (int i = 0; i < MAX_PROCS; i++) {
        if (table[i] == p)
            table[i] = NULL;
    }
    kstack_destroy(p->kstack_top);
    kfree(p);
    if (check && check_after_every_reap && !proc_check_memory())
        kprintf("mm check: failed after reaping pid %d\n", pid);
}

void proc_reap(struct proc *p)
{
    reap(p, true);
}

/* Zombies whose parent asked for no zombies (SIGCHLD ignored, SA_NOCLDWAIT): freed
 * by whoever comes next here, since a process cannot free its own kernel stack. */
static void reap_detached(bool check)
{
    for (int i = 1; i < MAX_PROCS; i++) {
        if (table[i] != NULL && table[i]->state == PROC_ZOMBIE && table[i]->detached)
            reap(table[i], check);
    }
}

void proc_reap_detached(void)
{
    reap_detached(true);
}

static int free_slot(void)
{
    int slot = 1;
    while (slot < MAX_PROCS && table[slot] != NULL)
        slot++;
    return slot;
}

struct proc *proc_alloc(const char *name)
{
    int slot = free_slot();
    if (slot == MAX_PROCS) {
        reap_detached(false); /* their slots are needed now */
        slot = free_slot();
    }
    if (slot == MAX_PROCS)
        return NULL;
    struct proc *p = kzalloc(sizeof *p);
    if (p == NULL)
        return NULL;
    p->kstack_top = kstack_create();
    if (p->kstack_top == 0) {
        kfree(p);
        return NULL;
    }
    p->pid = next_pid++;
    p->state = PROC_SLEEPING; /* not runnable until its creator says so */
    proc_set_name(p, name);
    p->umask = UMASK_DEFAULT; /* init's; fork copies the parent's over it */
    rlimit_init(p);           /* init's too; fork copies the parent's over them */
    p->syscall_nr = -1;       /* not in a system call */
    memcpy(p->fpu_state, cpu_initial_fpu_state(), sizeof p->fpu_state);
    p->start_tick = timer_ticks();
    table[slot] = p;
    return p;
}

/* ---- the end of the first program, which ends the run ---- */

static bool init_has_exited;
static uint64_t baseline_free_frames;
static int baseline_inodes; /* the mounts' roots (kernel/fs/inode.h) */

/* Free frames, counting the empty slabs kmalloc keeps cached as free: whether a
 * cache page happens to be kept is not a leak. Nor is the swap area's slot array:
 * a program may have turned swap on or off (mm/swap.h; its map of extents,
 * kernel/swap/swapon.h), nor the check's recount
 * of its slots (mm/check_swap.h), nor the page tables the kernel's stacks and
 * large blocks needed farther up than before (mm/kvmap.h). */
static uint64_t free_frames(void)
{
    return pmm_stats().free + kheap_stats().empty_slabs + swap_area_kernel_frames() +
           swap_map_frames() + mm_check_swap_reserved_frames() + kvmap_table_frames();
}

void proc_record_memory_baseline(void)
{
    baseline_free_frames = free_frames();
    baseline_inodes = inode_cached();
}

bool proc_init_exited(void)
{
    return init_has_exited;
}

void proc_enable_memory_checks(void)
{
    check_after_every_reap = true;
    if (!mm_check_reserve())
        kprintf("mmcheck: no memory to reserve for the checks; each will try on its own\n");
}

/* The memory invariant check (mm/check.h) over every live address space. */
bool proc_check_memory(void)
{
    struct addr_space *spaces[MAX_PROCS];
    size_t count = 0;
    for (int i = 1; i < MAX_PROCS; i++) {
        struct addr_space *as = table[i] != NULL ? table[i]->as : NULL;
        bool seen = false;
        for (size_t j = 0; j < count; j++)
            seen |= spaces[j] == as;
        if (as != NULL && !seen)
            spaces[count++] = as; /* a vfork child shares its parent's */
    }
    return mm_check_references(spaces, count);
}

static int live_processes(void)
{
    int live = 0;
    for (int i = 1; i < MAX_PROCS; i++)
        live += table[i] != NULL && table[i]->state != PROC_ZOMBIE && !table[i]->kthread;
    return live;
}

static void reap_all_zombies(void)
{
    for (int i = 1; i < MAX_PROCS; i++) {
        if (table[i] != NULL && table[i]->state == PROC_ZOMBIE)
            proc_reap(table[i]);
    }
}

/* Every frame the run used must be free again: a leak is reported, not hidden. */
static void check_memory(void)
{
    int live = live_processes();
    if (live > 0) {
        kprintf("vmlab: memory check skipped: %d processes still running\n", live);
        return;
    }
    if (swap_file_active()) {
        /* the area holds the file's inode, whose record shares slab pages with
         * others: what it takes cannot be told from a leak (swapoff first; a
         * swap disk left on is counted exactly, free_frames) */
        kprintf("vmlab: memory check skipped: a swap file is still on\n");
        return;
    }
    bool references_ok = proc_check_memory(); /* the page cache's references too */
    /* the page cache keeps files' pages after their last user: written back and
     * dropped here, every one of them must come back free */
    vfs_drop_caches();
    uint64_t now = free_frames();
    if (inode_cached() != baseline_inodes) /* a few bytes each: the frames would not tell */
        kprintf("vmlab: memory check FAILED: %d inodes in use, %d before the first program\n",
                inode_cached(), baseline_inodes);
    else if (now == baseline_free_frames && references_ok)
        kprintf("vmlab: memory check: %lu free frames, as before the first program\n", now);
    else
        kprintf("vmlab: memory check FAILED: %lu free frames, %lu before the first program\n", now,
                baseline_free_frames);
}

void proc_finish_run(void)
{
    struct proc *init = proc_find(INIT_PID);
    assert(init != NULL && init->state == PROC_ZOMBIE, "proc_finish_run: init has not exited");
    int status = init->exit_status;
    char name[PROC_NAME_MAX];
    strlcpy(name, init->name, sizeof name);
    reap_all_zombies();
    kthreads_stop();
    check_memory();
    block_print_stats();
    if ((status & 0x7f) == 0)
        kprintf("vmlab: init (pid 1, %s) exited: exit %d\n", name, (status >> 8) & 0xff);
    else
        kprintf("vmlab: init (pid 1, %s) exited: signal %d\n", name, status & 0x7f);
    vfs_unmount_all(false); /* a clean power-off: what was written reaches the disk */
    power_off(EXIT_SUCCESS_CODE);
}

bool proc_pgrp_orphaned(const struct proc *p)
{
    return pgrp_orphaned(p->pgid); /* kernel/pgrp.c */
}

void proc_notify_parent(struct proc *child, int code, int status)
{
    struct proc *parent = child->parent;
    if (parent == NULL)
        return;
    const struct k_sigaction *action = &parent->actions[SIGCHLD - 1];
    struct signal_info info = { .code = code, .pid = child->pid, .uid = 0, .status = status };
    info.utime = (uint32_t)child->times.user_ticks;
    info.stime = (uint32_t)child->times.system_ticks;
    bool stop_or_continue = code == CLD_STOPPED || code == CLD_CONTINUED;
    if (!(stop_or_continue && (action->flags & SA_NOCLDSTOP)))
        signal_send(parent, SIGCHLD, &info);
    wakeup(parent); /* a parent in wait4 sleeps on itself */
}

/* At exit: SIGCHLD to the parent, with the child's pid, status and times (Linux's
 * do_notify_parent). A parent that ignores SIGCHLD or set SA_NOCLDWAIT gets no
 * zombie: the child is detached, freed soon without a wait4. */
static void notify_parent_of_exit(struct proc *child)
{
    int status = child->exit_status;
    if ((status & 0x7f) == 0)
        proc_notify_parent(child, CLD_EXITED, (status >> 8) & 0xff);
    else
        proc_notify_parent(child, (status & 0x80) ? CLD_DUMPED : CLD_KILLED, status & 0x7f);
    const struct k_sigaction *action = &child->parent->actions[SIGCHLD - 1];
    if (action->handler == SIG_IGN || (action->flags & SA_NOCLDWAIT)) {
        child->detached = true;
        child->parent = NULL;
    }
}

/* Children of an exiting process are adopted by init, which reaps orphans. A child
 * that is already a zombie tells init, as if it exited now: SIGCHLD, or no zombie
 * at all if init ignores SIGCHLD (Linux's reparent_leader). */
static void reparent_children(struct proc *dying)
{
    struct proc *init = proc_find(INIT_PID);
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *q = table[i];
        if (q == NULL || q->parent != dying)
            continue;
        q->parent = init;
        if (q->state == PROC_ZOMBIE && init != NULL && init != dying)
            notify_parent_of_exit(q);
    }
}

/* init is ending the run: every other process is killed (Linux does the same to
 * a pid namespace whose init exits), so that the run can end, and the memory
 * check find everything back. */
static void kill_all_others(struct proc *init)
{
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *q = table[i];
        if (q != NULL && q != init && q->state != PROC_ZOMBIE)
            signal_raise(q, SIGKILL);
    }
}

bool proc_fatal_signal_pending(const struct proc *p)
{
    if (p->pending_signals & signal_bit(SIGKILL))
        return true;
    uint64_t deliverable = p->pending_signals & ~p->blocked_signals;
    for (int sig = 1; sig <= NSIG && deliverable != 0; sig++) {
        if ((deliverable & signal_bit(sig)) && p->actions[sig - 1].handler == SIG_DFL &&
            !signal_default_ignores(sig))
            return true;
    }
    return false;
}

bool proc_in_vfork(const struct proc *p)
{
    return p->parent != NULL && p->parent->vfork_child == p;
}

/* A vfork parent waits until its child has its own memory again (exec) or is gone. */
void proc_release_vfork_parent(struct proc *child)
{
    struct proc *parent = child->parent;
    if (parent != NULL && parent->vfork_child == child) {
        parent->vfork_child = NULL;
        wakeup(child);
    }
}

void proc_exit(int status)
{
    cli();
    struct proc *p = current_proc();
    assert(p->pid != 0, "the idle process tried to exit");

    clone_release_memory(p);   /* CLONE_CHILD_CLEARTID, while its memory is still active */
    pgrp_exit(p);              /* a session leader hangs up its terminal */
    fdtable_destroy(p->files); /* the last close of a pipe end wakes the other side */
    p->files = NULL;
    inode_put(p->cwd);
    p->cwd = NULL;
    as_activate_kernel(); /* stop using the address space before freeing it */
    struct addr_space *as = p->as;
    p->as = NULL; /* first: freeing it may sleep (a file's last user), and nobody may
                     find it half freed meanwhile (the memory check, the OOM killer) */
    as_put(as);
    p->vfork_child = NULL; /* a parent killed while it waited for its vfork child */
    oom_note_exit();       /* whoever waits for memory may find some now */
    proc_release_vfork_parent(p);
    reparent_children(p);

    p->exit_status = status;
    p->state = PROC_ZOMBIE;
    if (p->parent != NULL)
        notify_parent_of_exit(p);
    if (p->pid == INIT_PID) {
        kill_all_others(p);
        init_has_exited = true; /* the idle process finishes the run */
    }
    schedule();
    panic("zombie pid %d was scheduled", p->pid);
}

void proc_leave_user(struct proc *p)
{
    if (p->user_entered_ns == 0 || p->as == NULL)
        return; /* a new process's first entry: it came from proc_first_return */
    p->user_left_ns = clock_monotonic_ns();
    workingset_run(p->as, p->user_left_ns - p->user_entered_ns);
    p->user_entered_ns = 0;
}
