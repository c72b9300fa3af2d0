/*
 * sys_vmstat.c — vmlab_vmstat: the memory counters, for the demo programs.
 *
 * This is vmlab's own system call (number 500, beyond Linux's), since there is
 * no /proc to read them from: on Linux the same program gets -ENOSYS.
 *
 *   long vmlab_vmstat(struct vmlab_vmstat *out);
 *
 * Besides the counters, it measures how much of the caller's resident set it
 * shares with other mappings, as Linux's /proc/PID/smaps does:
 *
 *   RSS  every frame mapped, counted whole              (self_rss_pages)
 *   PSS  every frame counted 1/n, where n mappings      (self_pss_bytes)
 *        share it: two processes sharing 10 pages of
 *        text are charged 5 pages each
 *   shared frames  those with n > 1                     (self_shared_frames)
 *
 * so PSS < RSS exactly when something is shared, and the PSS of every process
 * adds up to the memory really used.
 */
#include "cpu.h"
#include "errno.h"
#include "mm/as.h"
#include "mm/as_walk.h"
#include "mm/fault.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "mm/uaccess.h"
#include "mm/vma.h"
#include "proc.h"
#include "syscall.h"

/* The fault counters as user/lib/vmstat.h has them: the first nine of struct
 * vm_counters, fixed since this call was made (later counters -- swap -- are in
 * /proc/vmstat instead, so that no program built against it breaks). */
struct vmlab_fault_counters {
    uint64_t minor_faults, zero_page_maps, zero_fills, cow_copies, cow_reuses, stack_growths, kills,
        major_faults, object_maps;
};

struct vmlab_vmstat {
    uint64_t total_frames, free_frames, kernel_frames, page_table_frames, user_frames;
    struct vmlab_fault_counters machine; /* since boot */
    struct vmlab_fault_counters self;    /* the calling process */
    uint64_t self_rss_pages, self_max_rss_pages;
    /* appended for the sharing demo (user/sharedtext.c); the fields above stay put */
    uint64_t self_shared_frames;      /* resident pages whose frame another mapping maps too */
    uint64_t self_pss_bytes;          /* proportional set size: each frame PAGE_SIZE / mappers */
    uint64_t self_text_pages;         /* resident pages of executable regions */
    uint64_t self_shared_text_frames; /* ... of which shared with another mapping */
};

/* What the walk over the caller's pages adds up. */
struct sharing {
    uint64_t shared_frames, pss_bytes, text_pages, shared_text_frames;
};

/* How many page-table entries map m's frame. The reference count holds one per
 * mapping, plus one for the page cache when the frame is an object's page (a
 * file's, a program's, shared anonymous memory's): the cache keeps it whether or
 * not anyone maps it (mm/page_cache.h). */
static uint32_t frame_mappers(const struct mapping *m)
{
    const struct page *page = pmm_page(m->frame);
    bool cached = page->object != NULL;
    return cached && page->refcount > 1 ? page->refcount - 1 : page->refcount;
}

/* One resident page: its share of the frame, and whether the frame is shared. The
 * zero page is not ours (RSS leaves it out), so it is left out here too. */
static void count_sharing(void *ctx, const struct mapping *m)
{
    struct sharing *s = ctx;
    if (m->frame == zero_page_frame())
        return;
    uint32_t mappers = frame_mappers(m);
    bool shared = mappers > 1;
    bool text = (m->vma->prot & VMA_EXEC) != 0;
    s->pss_bytes += PAGE_SIZE / (mappers > 0 ? mappers : 1);
    s->shared_frames += shared;
    s->text_pages += text;
    s->shared_text_frames += text && shared;
}

/* Walk the address space and add up its sharing (reads the page tables only). */
static struct sharing measure_sharing(struct addr_space *as)
{
    struct sharing s = { 0 };
    struct as_visitor visitor = { .page = count_sharing, .ctx = &s };
    as_walk(as, &visitor);
    return s;
}

static struct vmlab_fault_counters fault_counters(const struct vm_counters *c)
{
    return (struct vmlab_fault_counters){ c->minor_faults, c->zero_page_maps, c->zero_fills,
                                          c->cow_copies,   c->cow_reuses,     c->stack_growths,
                                          c->kills,        c->major_faults,   c->object_maps };
}

long sys_vmlab_vmstat(struct syscall_args a)
{
    struct proc *p = current_proc();
    struct pmm_stats frames = pmm_stats();
    uint64_t empty_slabs = kheap_stats().empty_slabs;
    struct sharing sharing = measure_sharing(p->as);
    struct vmlab_vmstat out = {
        .total_frames = frames.total,
        /* kmalloc's empty slabs count as free, as in the end-of-run memory check:
         * whether the heap keeps a page of 32-byte records (the reverse map's, after
         * a fork tree died) cached is not memory anyone holds */
        .free_frames = frames.free + empty_slabs,
        .kernel_frames = frames.used[FRAME_KERNEL] - empty_slabs,
        .page_table_frames = frames.used[FRAME_PAGE_TABLE],
        .user_frames = frames.used[FRAME_USER],
        .machine = fault_counters(&vm_totals),
        .self = fault_counters(&p->vm),
        .self_rss_pages = p->as->rss,
        .self_max_rss_pages = p->as->max_rss > p->max_rss ? p->as->max_rss : p->max_rss,
        .self_shared_frames = sharing.shared_frames,
        .self_pss_bytes = sharing.pss_bytes,
        .self_text_pages = sharing.text_pages,
        .self_shared_text_frames = sharing.shared_text_frames,
    };
    return copy_to_user(a.arg[0], &out, sizeof out) == 0 ? 0 : -EFAULT;
}
