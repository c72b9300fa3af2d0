/*
 * vmstat.c — reading vmlab's memory counters, and showing how they changed.
 */
#include "vmstat.h"

#include "lib/string.h"
#include "check.h"
#include "stdio.h"
#include "syscall.h"

#define SYS_prctl          157 /* Linux's; vmlab has none (so we ask only on Linux) */
#define PR_SET_THP_DISABLE 41

enum availability { NOT_ASKED, AVAILABLE, MISSING };
static enum availability availability = NOT_ASKED;

long sys_vmlab_vmstat(struct vmlab_vmstat *out)
{
    return syscall1(SYS_vmlab_vmstat, (long)out);
}

bool vmstat_read(struct vmlab_vmstat *out)
{
    if (availability == MISSING) {
        memset(out, 0, sizeof(*out));
        return false;
    }
    bool ok = sys_vmlab_vmstat(out) == 0;
    availability = ok ? AVAILABLE : MISSING;
    if (!ok)
        memset(out, 0, sizeof(*out));
    return ok;
}

bool vmstat_available(void)
{
    if (availability == NOT_ASKED) {
        struct vmlab_vmstat probe;
        vmstat_read(&probe);
    }
    return availability == AVAILABLE;
}

struct vm_counters vm_counters_delta(const struct vm_counters *before,
                                     const struct vm_counters *after)
{
    return (struct vm_counters){
        .minor_faults = after->minor_faults - before->minor_faults,
        .zero_page_maps = after->zero_page_maps - before->zero_page_maps,
        .zero_fills = after->zero_fills - before->zero_fills,
        .cow_copies = after->cow_copies - before->cow_copies,
        .cow_reuses = after->cow_reuses - before->cow_reuses,
        .stack_growths = after->stack_growths - before->stack_growths,
        .kills = after->kills - before->kills,
        .major_faults = after->major_faults - before->major_faults,
        .object_maps = after->object_maps - before->object_maps,
    };
}

/* The program's image, from user/linker.ld. */
extern char __image_start[], _erodata[], _end[];

void program_pages_in(void)
{
    uintptr_t page = 4096;
    volatile char *p = (volatile char *)__image_start;
    for (; p < (volatile char *)_erodata; p += page)
        (void)*p; /* text, rodata: read, so mapped from the file */
    p = (volatile char *)(((uintptr_t)_erodata + page - 1) & ~(page - 1));
    for (; p < (volatile char *)_end; p += page)
        *p = *p; /* data and bss: written, so ours */
}

void measure_start(struct vm_measure *m)
{
    program_pages_in();
    memset(m, 0, sizeof(*m));
    vmstat_read(&m->before);
    sys_getrusage(RUSAGE_SELF, &m->usage_before);
}

void measure_end(struct vm_measure *m)
{
    sys_getrusage(RUSAGE_SELF, &m->usage_after);
    vmstat_read(&m->after);
    m->self = vm_counters_delta(&m->before.self, &m->after.self);
    m->minor_faults = m->usage_after.ru_minflt - m->usage_before.ru_minflt;
    m->rss_pages = (long)(m->after.self_rss_pages - m->before.self_rss_pages);
    m->user_frames = (long)(m->after.user_frames - m->before.user_frames);
    m->page_table_frames = (long)(m->after.page_table_frames - m->before.page_table_frames);
    m->free_frames = (long)(m->after.free_frames - m->before.free_frames);
}

__attribute__((noinline)) void stack_prefault(void)
{
    volatile char area[STACK_PREFAULT_SIZE];
    for (unsigned long i = 0; i < sizeof(area); i += 4096)
        area[i] = 0;
}

void vmstat_print_delta(const char *label, const struct vm_counters *d)
{
    if (!vmstat_available())
        return;
    printf("    [vmstat] %s: %lu faults (zero page %lu, zero fill %lu, cow copy %lu, "
           "cow reuse %lu, stack growth %lu)\n",
           label, (unsigned long)d->minor_faults, (unsigned long)d->zero_page_maps,
           (unsigned long)d->zero_fills, (unsigned long)d->cow_copies, (unsigned long)d->cow_reuses,
           (unsigned long)d->stack_growths);
}

void vmstat_note_if_missing(void)
{
    static bool noted;
    if (vmstat_available() || noted)
        return;
    noted = true;
    printf("  (this kernel has no vmlab_vmstat, system call 500 gives -ENOSYS: it is vmlab's "
           "own, so the counter checks are skipped; the behaviour checks all run)\n");
}

void use_small_pages_only(void)
{
    /* the other arguments must be 0; if Linux refuses, there is no better way */
    if (running_on_linux())
        syscall5(SYS_prctl, PR_SET_THP_DISABLE, 1, 0, 0, 0);
}
