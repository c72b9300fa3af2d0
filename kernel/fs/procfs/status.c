/*
 * status.c — /proc/PID/status, statm and stat: who a process is and what memory
 * it has, in the three layouts Linux has (one for people, two for programs:
 * ps and top read stat and statm).
 *
 *   VmSize   every region, touched or not           (address space: virtual)
 *   VmRSS    pages that have a frame now            (resident set)
 *            = RssAnon + RssFile + RssShmem
 *   VmHWM    the most VmRSS ever was                (high-water mark)
 *   VmData, VmStk, VmExe, VmLib                     VmSize split by region kind
 *   VmPTE    the page tables mapping it all
 */
#include "entries.h"
#include "kernel/fs/fdtable.h"
#include "kernel/timer.h"
#include "mm/as.h"
#include "mm/as_walk.h"
#include "mm/fault.h"
#include "mm/object.h"
#include "mm/pmm.h"
#include "mm/vma.h"
#include "mm/workingset.h"

#define KIB          1024
#define PF_RANDOMIZE 0x00400000 /* stat's flags: what Linux shows for a process */
#define SIGQUEUE_MAX 791        /* SigQ's limit (Linux's RLIMIT_SIGPENDING at 256 MiB) */

struct memory_figures {
    uint64_t total, data, stack, exe, lib;  /* bytes of regions, by kind */
    uint64_t rss_anon, rss_file, rss_shmem; /* bytes resident, by kind */
    uint64_t table_frames;                  /* page tables */
    uint64_t hwm_pages, peak;
    uint64_t swap;   /* bytes swapped out (VmSwap) */
    uint64_t wss;    /* bytes in its working set (VmWSS, vmlab's: mm/workingset.h) */
    uint64_t locked; /* bytes of locked regions (VmLck) */
};

/* Which of VmData, VmStk, VmExe, VmLib a region counts in (Linux's rules: data is
 * private writable memory, the stack grows down, exe is the program's code,
 * lib every other executable region). */
static void count_region(struct memory_figures *m, const struct addr_space *as,
                         const struct vma *vma)
{
    uint64_t size = vma->end - vma->start;
    m->total += size;
    if (vma->flags & VMA_GROWSDOWN)
        m->stack += size;
    else if ((vma->prot & VMA_WRITE) && !(vma->flags & VMA_SHARED))
        m->data += size;
    else if ((vma->prot & VMA_EXEC) && vma->object == as->program)
        m->exe += size;
    else if (vma->prot & VMA_EXEC)
        m->lib += size;
}

/* One resident page, by kind: anonymous (no object), shared anonymous memory
 * (Linux's shmem), or a file's page. The zero page is nobody's. */
static void count_resident(void *ctx, const struct mapping *mp)
{
    struct memory_figures *m = ctx;
    if (mp->frame == zero_page_frame())
        return;
    const struct mem_object *o = pmm_page(mp->frame)->object;
    uint64_t *kind = o == NULL ? &m->rss_anon : o->ops->keep_pages ? &m->rss_shmem : &m->rss_file;
    *kind += PAGE_SIZE;
}

static void count_table(void *ctx, paddr_t frame)
{
    (void)frame;
    ((struct memory_figures *)ctx)->table_frames++;
}

/* p's memory, walked without sleeping; all zero for a zombie. */
static struct memory_figures measure(struct proc *p)
{
    struct memory_figures m = { 0 };
    struct addr_space *as = p->as;
    if (as == NULL)
        return m;
    for (struct vma *vma = vma_find_after(as, 0); vma != NULL; vma = vma_next(vma)) {
        count_region(&m, as, vma);
        if (vma->flags & VMA_LOCKED)
            m.locked += vma->end - vma->start;
    }
    struct as_visitor visitor = { .page = count_resident, .table = count_table, .ctx = &m };
    as_walk(as, &visitor);
    m.hwm_pages = as->max_rss > as->rss ? as->max_rss : as->rss;
    m.peak = as->peak_vm > m.total ? as->peak_vm : m.total;
    m.swap = as->swap_pages * PAGE_SIZE;
    m.wss = workingset_pages(as) * PAGE_SIZE;
    return m;
}

/* The state as one letter and as a word. */
static char state_letter(const struct proc *p)
{
    if (p->stopped && p->state != PROC_ZOMBIE)
        return 'T'; /* job control: stopped until SIGCONT */
    switch (p->state) {
    case PROC_RUNNABLE:
    case PROC_RUNNING: return 'R';
    case PROC_SLEEPING: return 'S';
    default: return 'Z';
    }
}

static const char *state_word(const struct proc *p)
{
    switch (state_letter(p)) {
    case 'R': return "running";
    case 'S': return "sleeping";
    case 'T': return "stopped";
    default: return "zombie";
    }
}

static int parent_pid(const struct proc *p)
{
    return p->parent != NULL ? p->parent->pid : 0;
}

/* Signals whose action is to ignore / a handler (SigIgn, SigCgt). */
static uint64_t signals_with(const struct proc *p, bool handled)
{
    uint64_t set = 0;
    for (int sig = 1; sig <= NSIG; sig++) {
        uint64_t handler = p->actions[sig - 1].handler;
        if (handled ? handler != SIG_DFL && handler != SIG_IGN : handler == SIG_IGN)
            set |= signal_bit(sig);
    }
    return set;
}

static void put_vm(struct procfs_text *t, const char *name, uint64_t bytes)
{
    text_printf(t, "%s\t%8lu kB\n", name, bytes / KIB);
}

/* The Vm* and Rss* lines (only for a process that has memory, as on Linux). */
static void put_memory(struct procfs_text *t, const struct memory_figures *m)
{
    put_vm(t, "VmPeak:", m->peak);
    put_vm(t, "VmSize:", m->total);
    put_vm(t, "VmLck:", m->locked);
    put_vm(t, "VmPin:", 0);
    put_vm(t, "VmHWM:", m->hwm_pages * PAGE_SIZE);
    put_vm(t, "VmRSS:", m->rss_anon + m->rss_file + m->rss_shmem);
    put_vm(t, "RssAnon:", m->rss_anon);
    put_vm(t, "RssFile:", m->rss_file);
    put_vm(t, "RssShmem:", m->rss_shmem);
    put_vm(t, "VmData:", m->data);
    put_vm(t, "VmStk:", m->stack);
    put_vm(t, "VmExe:", m->exe);
    put_vm(t, "VmLib:", m->lib);
    put_vm(t, "VmPTE:", m->table_frames * PAGE_SIZE);
    put_vm(t, "VmSwap:", m->swap);
    put_vm(t, "VmWSS:", m->wss); /* vmlab's: Linux has no working-set estimate */
    put_vm(t, "HugetlbPages:", 0);
}

/* The signal lines: pending, blocked, ignored, caught, as 64-bit masks. */
static void put_signals(struct procfs_text *t, const struct proc *p)
{
    int queued = 0;
    for (uint64_t set = p->pending_signals; set != 0; set &= set - 1)
        queued++;
    text_printf(t, "SigQ:\t%d/%d\n", queued, SIGQUEUE_MAX);
    text_printf(t, "SigPnd:\t%016lx\n", p->pending_signals);
    text_printf(t, "ShdPnd:\t%016lx\n", p->pending_signals);
    text_printf(t, "SigBlk:\t%016lx\n", p->blocked_signals);
    text_printf(t, "SigIgn:\t%016lx\n", signals_with(p, false));
    text_printf(t, "SigCgt:\t%016lx\n", signals_with(p, true));
}

int show_status(struct procfs_text *t, struct proc *p)
{
    text_printf(t, "Name:\t%.15s\nUmask:\t%04o\n", p->name, p->umask);
    text_printf(t, "State:\t%c (%s)\n", state_letter(p), state_word(p));
    text_printf(t, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", p->pid, p->pid,
                parent_pid(p));
    text_printf(t, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n"); /* one user: root */
    text_printf(t, "FDSize:\t%d\nGroups:\t \n", p->files != NULL ? FD_MAX : 0);
    text_printf(t, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", p->pid, p->pid, p->pgid,
                p->sid);
    if (p->as != NULL) {
        struct memory_figures m = measure(p);
        put_memory(t, &m);
    }
    if (p->as != NULL) /* vmlab's: kernel/loadctl.h */
        text_printf(t, "LoadControl:\t%s\n", p->loadctl.suspended ? "suspended" : "running");
    text_printf(t, "CoreDumping:\t0\nTHP_enabled:\t0\nThreads:\t1\n");
    put_signals(t, p);
    text_printf(t, "CapInh:\t%016x\nCapPrm:\t%016lx\nCapEff:\t%016lx\n", 0, 0x1fffffffffful,
                0x1fffffffffful);
    text_printf(t, "CapBnd:\t%016lx\nCapAmb:\t%016x\n", 0x1fffffffffful, 0);
    text_printf(t, "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
    text_printf(t, "Cpus_allowed:\t1\nCpus_allowed_list:\t0\n");
    text_printf(t, "Mems_allowed:\t1\nMems_allowed_list:\t0\n");
    text_printf(t, "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
    return 0;
}

/* statm: sizes in pages: size resident shared text lib data dt. */
int show_statm(struct procfs_text *t, struct proc *p)
{
    struct memory_figures m = measure(p);
    text_printf(t, "%lu %lu %lu %lu 0 %lu 0\n", m.total / PAGE_SIZE,
                (m.rss_anon + m.rss_file + m.rss_shmem) / PAGE_SIZE,
                (m.rss_file + m.rss_shmem) / PAGE_SIZE, m.exe / PAGE_SIZE,
                (m.data + m.stack) / PAGE_SIZE);
    return 0;
}

/* The code's range for stat: the program's first and last executable bytes. */
static void code_range(const struct addr_space *as, vaddr_t *start, vaddr_t *end)
{
    *start = *end = 0;
    for (struct vma *vma = vma_find_after((struct addr_space *)as, 0); vma != NULL;
         vma = vma_next(vma)) {
        if (vma->object != as->program || !(vma->prot & VMA_EXEC))
            continue;
        if (*start == 0)
            *start = vma->start;
        *end = vma->end;
    }
}

/* stat: Linux's 52 fields on one line (man 5 proc lists them), in its order. */
int show_stat(struct procfs_text *t, struct proc *p)
{
    struct memory_figures m = measure(p);
    struct program_layout layout = { 0 };
    vaddr_t code_start = 0, code_end = 0, brk_start = 0;
    if (p->as != NULL) {
        layout = p->as->layout;
        code_range(p->as, &code_start, &code_end);
        brk_start = p->as->brk_start;
    }
    const struct proc_times *kids = &p->children_usage.times;
    /* 1-9: pid (comm) state ppid pgrp session tty_nr tpgid flags */
    text_printf(t, "%d (%.15s) %c %d %d %d 0 -1 %u ", p->pid, p->name, state_letter(p),
                parent_pid(p), p->pgid, p->sid, PF_RANDOMIZE);
    /* 10-17: minflt cminflt majflt cmajflt utime stime cutime cstime (ticks) */
    text_printf(t, "%lu %lu %lu %lu %lu %lu %lu %lu ", p->vm.minor_faults,
                p->children_usage.minor_faults, p->vm.major_faults, p->children_usage.major_faults,
                p->times.user_ticks, p->times.system_ticks, kids->user_ticks, kids->system_ticks);
    /* 18-25: priority nice num_threads itrealvalue starttime vsize rss rsslim */
    text_printf(t, "20 0 1 0 %lu %lu %lu %lu ", p->start_tick * 100 / TIMER_HZ, m.total,
                (m.rss_anon + m.rss_file + m.rss_shmem) / PAGE_SIZE, p->limits[RLIMIT_RSS].cur);
    /* 26-31: startcode endcode startstack kstkesp kstkeip signal */
    text_printf(t, "%lu %lu %lu 0 0 0 ", code_start, code_end, layout.stack_start);
    /* 32-44: blocked sigignore sigcatch wchan nswap cnswap exit_signal processor
     * rt_priority policy delayacct_blkio_ticks guest_time cguest_time */
    text_printf(t, "%lu %lu %lu 0 0 0 17 0 0 0 0 0 0 ", p->blocked_signals, signals_with(p, false),
                signals_with(p, true));
    /* 45-52: start_data end_data start_brk arg_start arg_end env_start env_end
     * exit_code */
    text_printf(t, "0 0 %lu %lu %lu %lu %lu %d\n", brk_start, layout.arg_start, layout.arg_end,
                layout.env_start, layout.env_end, p->state == PROC_ZOMBIE ? p->exit_status : 0);
    return 0;
}
