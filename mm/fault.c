/*
 * fault.c — the page-fault handler: making memory appear when it is touched.
 *
 * A user page fault means the page tables did not allow an access. That is either
 * a mistake (no region there, or the region forbids the access: the process gets
 * SIGSEGV) or the kernel's own laziness: it promised memory (a region) but did not
 * map it yet. mm_handle_fault finds the region, checks the access against it, then
 * classifies the page's entry and takes exactly one step:
 *
 *   entry                   access   step
 *   untouched (no frame)    read     map the shared zero page, read-only   (demand-zero)
 *   untouched (no frame)    write    map a fresh zeroed frame               (demand-zero)
 *   untouched, object       any      the object's page from its page cache  (file page)
 *                                    (read from the file first: a major fault): mapped
 *                                    as it is (MAP_SHARED, or MAP_PRIVATE read), or
 *                                    copied (MAP_PRIVATE write); past the end of the
 *                                    file, or a shared anonymous page swapoff lost,
 *                                    or a shared store to an active swap file: SIGBUS
 *   swapped out (slot S)    any      the page from the swap cache, or read from S
 *                                    (a major fault); read-only while still shared
 *   lost (swapoff could     any      SIGBUS: the data is gone (mm/pte.h)
 *     not read its slot)
 *   PROT_NONE, frame kept   any      give the page its region's rights back
 *   the zero page           write    replace it with a fresh zeroed frame
 *   read-only, shared       write    copy-on-write: copy the frame, or reuse it when
 *                                    this was its last reference (MAP_SHARED: write
 *                                    access back, or SIGBUS for an active swap file)
 *   allows the access       any      a stale TLB entry: forget it and retry
 * Just below the stack, the stack region is extended first, then as above.
 * A fault that finds no free frame reclaims some (mm/reclaim.h) and tries again;
 * only when nothing could be freed is it out of memory.
 *
 * The answer is a result and a reason in words (struct fault_outcome); kernel/trap.c
 * decides what each result means for the process.
 */
#include "fault.h"

#include "as.h"
#include "cow.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "limits.h"
#include "page_ops.h"
#include "pmm.h"
#include "object.h"
#include "page_cache.h"
#include "reclaim.h"
#include "resident_limit.h"
#include "swap_in.h"
#include "swap_slots.h"
#include "vma.h"

/* How far below the stack limit a fault still counts as the stack overflowing
 * (one big frame can jump that far); further down it is just "not mapped". */
#define STACK_SLACK (1ul << 20)

/* Why a store through a shared mapping of an active swap file gives SIGBUS (as on
 * Linux 6.1): swap writes the file's blocks behind the page cache's back. */
#define SWAP_FILE_STORE_REASON "store to an active swap file through a shared mapping"

/* Why touching a lost page (a private one's entry, or a shared anonymous object's
 * mark: object_mark_lost) gives SIGBUS. */
#define PAGE_LOST_REASON "page lost: swapoff could not read it back from swap"

struct vm_counters vm_totals;

static paddr_t zero_frame;

paddr_t zero_page_frame(void)
{
    return zero_frame;
}

void zero_page_init(void)
{
    zero_frame = pmm_alloc(FRAME_KERNEL); /* zeroed; this reference is never dropped */
    assert(zero_frame != PMM_NO_FRAME, "no frame for the zero page");
}

static struct fault_outcome resolved(void)
{
    return (struct fault_outcome){ FAULT_RESOLVED, "" };
}

static struct fault_outcome refuse(enum fault_result result, const char *why)
{
    return (struct fault_outcome){ result, why };
}

#define COUNT(counters, field)                                                                     \
    do {                                                                                           \
        vm_totals.field++;                                                                         \
        if ((counters) != NULL)                                                                    \
            (counters)->field++;                                                                   \
    } while (0)

/* ---- finding the region ---- */

/* Stack growth: an address below the stack region, within the stack limit of its
 * top (RLIMIT_STACK, at most USER_STACK_LIMIT), not within USER_STACK_GUARD_GAP of the
 * region below, and allowed by RLIMIT_AS (mm/limits.h), extends the stack. */
static struct vma *grow_stack(struct addr_space *as, vaddr_t va, struct vm_counters *counters)
{
    struct vma *stack = vma_find_after(as, va);
    vaddr_t page = align_down(va, PAGE_SIZE);
    if (stack == NULL || !(stack->flags & VMA_GROWSDOWN) || stack->end - page > as_stack_limit(as))
        return NULL;
    struct vma *below = vma_prev(stack);
    if (below != NULL && va < below->end + USER_STACK_GUARD_GAP)
        return NULL;
    if (!as_may_grow(as, stack->start - page, false))
        return NULL;
    vma_set_range(as, stack, page, stack->end);
    COUNT(counters, stack_growths);
    return stack;
}

/* Why an address outside every region is not memory: usually just that; but
 * just below the stack, the stack has run out. */
static const char *why_no_region(struct addr_space *as, vaddr_t va)
{
    struct vma *stack = vma_find_after(as, va);
    if (stack == NULL || !(stack->flags & VMA_GROWSDOWN))
        return "address not mapped";
    if (stack->end - va > as_stack_limit(as) + STACK_SLACK)
        return "address not mapped"; /* far below: not the stack's doing */
    if (stack->end - va > as_stack_limit(as) && as_stack_limit(as) == USER_STACK_LIMIT)
        return "stack overflow: beyond the 8 MiB stack limit";
    if (stack->end - va > as_stack_limit(as))
        return "stack overflow: beyond the stack limit (RLIMIT_STACK)";
    struct vma *below = vma_prev(stack);
    if (below != NULL && va >= below->end && va < below->end + USER_STACK_GUARD_GAP)
        return "stack overflow into the guard gap";
    return "address not mapped";
}

/* The access check, like the hardware's but on the region's rights. An x86 page
 * table cannot say "write only" or "execute only": a present user page is always
 * readable. So, as on Linux, a read needs only that the region allows some access
 * (PROT_WRITE or PROT_EXEC alone read fine); PROT_NONE forbids it. */
static const char *access_denied(const struct vma *vma, const struct fault_info *f)
{
    if (f->access == FAULT_WRITE && !(vma->prot & VMA_WRITE))
        return "write to read-only memory";
    if (f->access == FAULT_EXECUTE && !(vma->prot & VMA_EXEC))
        return "execute of no-execute memory";
    if (f->access == FAULT_READ && !(vma->prot & (VMA_READ | VMA_WRITE | VMA_EXEC)))
        return "read of inaccessible (PROT_NONE) memory";
    return NULL;
}

/* ---- what the page's entry says ---- */

enum entry_kind {
    ENTRY_UNTOUCHED, /* no frame yet: the first touch */
    ENTRY_SWAPPED,   /* a swap entry: the page is in a swap slot */
    ENTRY_LOST,      /* the mark of a page whose slot could not be read */
    ENTRY_PROT_NONE, /* a frame kept out of reach by PROT_NONE; the region allows it now */
    ENTRY_ZERO_PAGE, /* the shared frame of zeros, read-only, and this is a write */
    ENTRY_COW,       /* a read-only private frame, and this is a write */
    ENTRY_ALLOWS,    /* present, and it allows this access already */
};

static enum entry_kind classify(pte_t entry, const struct fault_info *f)
{
    if (pte_is_swap(entry))
        return ENTRY_SWAPPED;
    if (pte_is_lost(entry))
        return ENTRY_LOST;
    if (!pte_holds_frame(entry))
        return ENTRY_UNTOUCHED;
    if (!pte_present(entry))
        return ENTRY_PROT_NONE;
    if (f->access != FAULT_WRITE || pte_writable(entry))
        return ENTRY_ALLOWS;
    return pte_frame(entry) == zero_frame ? ENTRY_ZERO_PAGE : ENTRY_COW;
}

/* ---- the steps ---- */

/* Map frame at page, the mapping taking over the caller's reference; if a page
 * table cannot be had, drop that reference and refuse: nothing has changed. */
static struct fault_outcome install(struct addr_space *as, vaddr_t page, paddr_t frame,
                                    uint64_t flags)
{
    if (as_map_frame(as, page, frame, flags) != 0) {
        pmm_unref(frame);
        return refuse(FAULT_OUT_OF_MEMORY, "out of memory for page tables");
    }
    return resolved();
}

/* Demand-zero: the first touch of a private page. */
static struct fault_outcome map_untouched(struct addr_space *as, const struct vma *vma,
                                          vaddr_t page, const struct fault_info *f,
                                          struct vm_counters *counters)
{
    if (f->access != FAULT_WRITE) {
        /* a read gets the one frame of zeros, read-only: no memory spent yet */
        pmm_ref(zero_frame);
        struct fault_outcome done =
            install(as, page, zero_frame, vma_pte_flags(vma) & ~PTE_WRITABLE);
        if (done.result == FAULT_RESOLVED)
            COUNT(counters, zero_page_maps);
        return done;
    }
    paddr_t frame = pmm_alloc(FRAME_USER); /* zeroed by the allocator */
    if (frame == PMM_NO_FRAME)
        return refuse(FAULT_OUT_OF_MEMORY, "out of memory");
    struct fault_outcome done = install(as, page, frame, vma_pte_flags(vma));
    if (done.result == FAULT_RESOLVED)
        COUNT(counters, zero_fills);
    return done;
}

/* The index in the region's object of the page at va. */
static uint64_t object_index(const struct vma *vma, vaddr_t va)
{
    return vma->pgoff + (va - vma->start) / PAGE_SIZE;
}

/* A private write to an object's page: the region gets a copy of its own (the
 * page cache's frame stays as the file has it). Takes over the reference on
 * frame, which it drops. */
static struct fault_outcome map_private_copy(struct addr_space *as, const struct vma *vma,
                                             vaddr_t page, paddr_t frame,
                                             struct vm_counters *counters)
{
    paddr_t copy = pmm_alloc(FRAME_USER);
    if (copy != PMM_NO_FRAME)
        copy_page(phys_to_virt(copy), phys_to_virt(frame));
    pmm_unref(frame);
    if (copy == PMM_NO_FRAME)
        return refuse(FAULT_OUT_OF_MEMORY, "out of memory");
    struct fault_outcome done = install(as, page, copy, vma_pte_flags(vma));
    if (done.result == FAULT_RESOLVED)
        COUNT(counters, cow_copies);
    return done;
}

/* ASSIGNMENT(file-page): the first touch of a page of a region that maps an object
 * (a file, shared anonymous memory). The page comes from the object's page cache,
 * read from the file if missing (*major); every mapping of it shares that frame:
 * MAP_SHARED with the region's rights, MAP_PRIVATE read-only, so that a write
 * faults again and copies (copy_on_write). A private write copies at once. */
static struct fault_outcome map_object_page(struct addr_space *as, const struct vma *vma,
                                            vaddr_t page, const struct fault_info *f,
                                            struct vm_counters *counters, bool *major)
{
    struct mem_object *o = vma->object;
    uint64_t index = object_index(vma, page);
    if (index >= object_pages(o))
        return refuse(FAULT_BEYOND_END, "access beyond the end of the mapped file");
    paddr_t frame;
    int error = page_cache_get(o, index, &frame, major); /* may sleep, reading */
    if (error == -ENOMEM)
        return refuse(FAULT_OUT_OF_MEMORY, "out of memory");
    if (error != 0)
        return refuse(FAULT_IO_ERROR, object_page_lost(o, index)
                                          ? PAGE_LOST_REASON
                                          : "I/O error reading the mapped file");
    /* the read slept: the file may have been truncated, or the page mapped, since */
    if (index >= object_pages(o) || pte_holds_frame(as_entry(as, page))) {
        bool beyond = index >= object_pages(o);
        pmm_unref(frame);
        return beyond ? refuse(FAULT_BEYOND_END, "access beyond the end of the mapped file")
                      : resolved(); /* the instruction runs again and sees what is there */
    }
    COUNT(counters, object_maps);
    bool shared = vma->flags & VMA_SHARED;
    if (!shared && f->access == FAULT_WRITE)
        return map_private_copy(as, vma, page, frame, counters);
    if (shared && o->no_shared_stores && f->access == FAULT_WRITE) {
        pmm_unref(frame);
        return refuse(FAULT_IO_ERROR, SWAP_FILE_STORE_REASON);
    }
    uint64_t flags = vma_pte_flags(vma);
    if (!shared || o->no_shared_stores)
        flags &= ~PTE_WRITABLE; /* the file's frame: copied (or refused) before a write */
    return install(as, page, frame, flags);
}

/* A swapped-out page: back from its slot (mm/swap_in.c). */
static struct fault_outcome swap_in(struct addr_space *as, const struct vma *vma, vaddr_t page,
                                    const struct fault_info *f, struct vm_counters *counters,
                                    bool *major)
{
    (void)vma; /* swap_in_page looks the region up again once the page is read */
    int error = swap_in_page(as, page, f->access == FAULT_WRITE, major);
    if (error == -ENOMEM)
        return refuse(FAULT_OUT_OF_MEMORY, "out of memory");
    if (error == -EIO)
        return refuse(FAULT_IO_ERROR, "I/O error reading the page back from swap");
    if (error == 0 && *major)
        COUNT(counters, swap_ins);
    else if (error == 0)
        COUNT(counters, swap_cache_hits);
    return resolved(); /* -EAGAIN too: the instruction runs again and sees what is there */
}

/* A page holding a frame that the region allows more than its entry does (a
 * PROT_NONE page whose region is accessible again, a read-only MAP_SHARED page):
 * the entry gets the region's rights, read-only if it must still be copied first. */
static struct fault_outcome restore_access(struct addr_space *as, const struct vma *vma,
                                           vaddr_t page, pte_t entry)
{
    as_protect_page(as, page, cow_pte_flags(vma, pte_frame(entry)));
    return resolved();
}

/* A write to the zero page (read before): it gives way to a private zeroed frame. */
static struct fault_outcome replace_zero_page(struct addr_space *as, const struct vma *vma,
                                              vaddr_t page, struct vm_counters *counters)
{
    paddr_t frame = pmm_alloc(FRAME_USER); /* zeroed by the allocator */
    if (frame == PMM_NO_FRAME)
        return refuse(FAULT_OUT_OF_MEMORY, "out of memory");
    if (as_replace_frame(as, page, frame, vma_pte_flags(vma)) != 0) {
        pmm_unref(frame);
        return refuse(FAULT_OUT_OF_MEMORY, "out of memory");
    }
    COUNT(counters, zero_fills);
    return resolved();
}

/* ASSIGNMENT(cow): a write to a private page that fork left shared and read-only.
 * The copy replaces the old frame in one step, so if no frame can be had the old
 * mapping is still there, untouched. */
static struct fault_outcome copy_on_write(struct addr_space *as, const struct vma *vma,
                                          vaddr_t page, paddr_t old, struct vm_counters *counters)
{
    /* a clean copy the swap cache kept of the page is about to go stale: its
     * slot goes now (unless other entries still name it: then this copies) */
    swap_cache_drop_if_unneeded(old);
    if (cow_may_reuse(old)) {
        /* the last reference -- the other side has already copied or gone -- so
         * the frame is ours alone and can simply be made writable again */
        as_protect_page(as, page, vma_pte_flags(vma));
        COUNT(counters, cow_reuses);
        return resolved();
    }
    paddr_t copy = pmm_alloc(FRAME_USER);
    if (copy == PMM_NO_FRAME)
        return refuse(FAULT_OUT_OF_MEMORY, "out of memory");
    copy_page(phys_to_virt(copy), phys_to_virt(old));
    if (as_replace_frame(as, page, copy, vma_pte_flags(vma)) != 0) { /* drops our ref on old */
        pmm_unref(copy);
        return refuse(FAULT_OUT_OF_MEMORY, "out of memory");
    }
    COUNT(counters, cow_copies);
    return resolved();
}

/* The entry allows the access, so the CPU used a stale TLB entry: forget it and
 * let the instruction retry (Linux calls this a spurious fault). */
static struct fault_outcome forget_stale_translation(struct addr_space *as, vaddr_t page)
{
    as_invalidate_page(as, page);
    return resolved();
}

/* One step for the page, chosen by its entry. *major says whether it read a file. */
static struct fault_outcome resolve_page(struct addr_space *as, const struct vma *vma,
                                         const struct fault_info *f, struct vm_counters *counters,
                                         bool *major)
{
    vaddr_t page = align_down(f->address, PAGE_SIZE);
    pte_t entry = as_entry(as, page);
    switch (classify(entry, f)) {
    case ENTRY_UNTOUCHED:
        return vma->object != NULL ? map_object_page(as, vma, page, f, counters, major)
                                   : map_untouched(as, vma, page, f, counters);
    case ENTRY_SWAPPED: return swap_in(as, vma, page, f, counters, major);
    case ENTRY_LOST:
        /* Linux 6.1 too: VM_FAULT_SIGBUS for a "swapin error entry" */
        return refuse(FAULT_IO_ERROR, PAGE_LOST_REASON);
    case ENTRY_PROT_NONE: return restore_access(as, vma, page, entry);
    case ENTRY_ZERO_PAGE: return replace_zero_page(as, vma, page, counters);
    case ENTRY_COW:
        if (!(vma->flags & VMA_SHARED))
            return copy_on_write(as, vma, page, pte_frame(entry), counters);
        if (vma->object != NULL && vma->object->no_shared_stores)
            return refuse(FAULT_IO_ERROR, SWAP_FILE_STORE_REASON);
        /* a MAP_SHARED page is never copied: its frame is meant to be shared */
        return restore_access(as, vma, page, entry);
    case ENTRY_ALLOWS: return forget_stale_translation(as, page);
    }
    panic("resolve_page: entry 0x%lx of %p has no kind", entry, (void *)page);
}

/* A fault that found no free frame reclaims this many, then tries again (from
 * the start: the region may have changed while reclaim slept), a few times. */
#define RECLAIM_BATCH 32
#define OOM_RETRIES   8

struct fault_outcome mm_handle_fault(struct addr_space *as, const struct fault_info *f,
                                     struct vm_counters *counters)
{
    reclaim_before_fault(f->user_mode); /* the start of a fault: reclaim may run here */
    if (f->reserved_bit)
        return refuse(FAULT_BAD_ENTRY, "reserved bit set in a page-table entry");
    if (f->address >= USER_SPACE_END)
        return refuse(FAULT_NOT_ALLOWED, "user access to a kernel address");
    for (int round = 0;; round++) {
        struct vma *vma = vma_find(as, f->address);
        if (vma == NULL)
            vma = grow_stack(as, f->address, counters);
        if (vma == NULL)
            return refuse(FAULT_NO_REGION, why_no_region(as, f->address));
        const char *denied = access_denied(vma, f);
        if (denied != NULL)
            return refuse(FAULT_NOT_ALLOWED, denied);
        bool limited = resident_limit_applies(as, vma, f);
        if (limited && resident_limit_make_room(as))
            continue; /* a page of the limited range went out (slept): look again */
        bool major = false;
        struct fault_outcome outcome = resolve_page(as, vma, f, counters, &major);
        if (limited && outcome.result == FAULT_RESOLVED)
            resident_limit_took(as, f->address);
        if (outcome.result == FAULT_OUT_OF_MEMORY && round < OOM_RETRIES &&
            (reclaim_anon_pages(RECLAIM_BATCH) > 0 ||
             (f->user_mode && reclaim_dirty_file_pages(RECLAIM_BATCH) > 0)))
            continue; /* frames were freed (reclaim may have slept): look again */
        if (outcome.result == FAULT_RESOLVED)
            workingset_fault(as); /* a use of a page, counted before the window ends */
        if (outcome.result == FAULT_RESOLVED && major)
            COUNT(counters, major_faults);
        else if (outcome.result == FAULT_RESOLVED)
            COUNT(counters, minor_faults);
        return outcome;
    }
}
