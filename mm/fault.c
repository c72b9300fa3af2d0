/*
 * fault.c — the page-fault handler: making memory appear when it is touched.
 *
 * A user page fault means the page tables did not allow an access. That is either
 * a mistake (no region there, or the region forbids the access: the process gets
 * SIGSEGV) or the kernel's own laziness: it promised memory (a region) but did not
 * map it yet. Exactly one of these resolves the fault:
 *
 *   page not present, read    -> map the shared zero page, read-only   (demand-zero)
 *   page not present, write   -> map a fresh zeroed frame               (demand-zero)
 *   present, write, zero page -> replace it with a fresh zeroed frame
 *   present, write, shared    -> copy-on-write: copy the frame, or reuse it when
 *                                this was its last reference
 *   a MAP_SHARED region        -> the region's shared frame for that page
 *   just below the stack      -> extend the stack region, then as above
 */
#include "fault.h"

#include "as.h"
#include "kernel/panic.h"
#include "pmm.h"
#include "pt.h"
#include "shared_anon.h"
#include "page_ops.h"
#include "vma.h"


/* How far below the stack limit a fault still counts as the stack overflowing
 * (one big frame can jump that far); further down it is just "not mapped". */
#define STACK_SLACK (1ul << 20)

struct vm_counters vm_totals;

static paddr_t zero_frame;
static const char *last_reason = "";

paddr_t zero_page_frame(void)
{
    return zero_frame;
}

void zero_page_init(void)
{
    zero_frame = pmm_alloc(FRAME_KERNEL); /* zeroed; this reference is never dropped */
    assert(zero_frame != PMM_NO_FRAME, "no frame for the zero page");
}

const char *mm_fault_reason(void)
{
    return last_reason;
}

static enum fault_result refuse(enum fault_result result, const char *why)
{
    last_reason = why;
    return result;
}

#define COUNT(counters, field)       \
    do {                             \
        vm_totals.field++;           \
        if ((counters) != NULL)      \
            (counters)->field++;     \
    } while (0)

/* Stack growth: an address below the stack region, within USER_STACK_LIMIT of its top
 * and not within USER_STACK_GUARD_GAP of the region below, extends the stack. */
static struct vma *grow_stack(struct addr_space *as, vaddr_t va, struct vm_counters *counters)
{
    struct vma *stack = vma_find_after(as, va);
    if (stack == NULL || !(stack->flags & VMA_GROWSDOWN) || stack->end - align_down(va, PAGE_SIZE) > USER_STACK_LIMIT)
        return NULL;
    struct vma *below = vma_prev(stack);
    if (below != NULL && va < below->end + USER_STACK_GUARD_GAP)
        return NULL;
    vma_set_range(as, stack, align_down(va, PAGE_SIZE), stack->end);
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
    if (stack->end - va > USER_STACK_LIMIT + STACK_SLACK)
        return "address not mapped"; /* far below: not the stack's doing */
    if (stack->end - va > USER_STACK_LIMIT)
        return "stack overflow: beyond the 8 MiB stack limit";
    struct vma *below = vma_prev(stack);
    if (below != NULL && va >= below->end && va < below->end + USER_STACK_GUARD_GAP)
        return "stack overflow into the guard gap";
    return "address not mapped";
}

/* The access check, like the hardware's but on the region's rights. */
static const char *access_denied(const struct vma *vma, const struct fault_info *f)
{
    if (f->access == FAULT_WRITE && !(vma->prot & VMA_WRITE))
        return "write to read-only memory";
    if (f->access == FAULT_EXECUTE && !(vma->prot & VMA_EXEC))
        return "execute of no-execute memory";
    if (f->access == FAULT_READ && !(vma->prot & VMA_READ))
        return "read of inaccessible (PROT_NONE) memory";
    return NULL;
}

/* Demand-zero: the first touch of a page of the region. */
static enum fault_result map_untouched(struct addr_space *as, const struct vma *vma, vaddr_t page,
                                       const struct fault_info *f, struct vm_counters *counters)
{
    if (f->access != FAULT_WRITE) {
        /* a read gets the one frame of zeros, read-only: no memory spent yet */
        pmm_ref(zero_frame);
        if (as_map_frame(as, page, zero_frame, vma_pte_flags(vma) & ~PTE_WRITABLE) != 0) {
            pmm_unref(zero_frame);
            return refuse(FAULT_OUT_OF_MEMORY, "out of memory for page tables");
        }
        COUNT(counters, zero_page_maps);
        return FAULT_RESOLVED;
    }
    paddr_t frame = pmm_alloc(FRAME_USER); /* zeroed by the allocator */
    if (frame == PMM_NO_FRAME)
        return refuse(FAULT_OUT_OF_MEMORY, "out of memory");
    if (as_map_frame(as, page, frame, vma_pte_flags(vma)) != 0) {
        pmm_free(frame);
        return refuse(FAULT_OUT_OF_MEMORY, "out of memory for page tables");
    }
    COUNT(counters, zero_fills);
    return FAULT_RESOLVED;
}

/* A page of a MAP_SHARED region: every mapping of the region uses the same frame,
 * kept by the region's object, whoever touches it first. */
static enum fault_result map_shared(struct addr_space *as, const struct vma *vma, vaddr_t page,
                                    struct vm_counters *counters)
{
    paddr_t frame = shared_anon_frame(vma->shared, vma->shared_first + (page - vma->start) / PAGE_SIZE);
    if (frame == PMM_NO_FRAME)
        return refuse(FAULT_OUT_OF_MEMORY, "out of memory");
    pmm_ref(frame); /* the mapping's reference; the object keeps its own */
    if (as_map_frame(as, page, frame, vma_pte_flags(vma)) != 0) {
        pmm_unref(frame);
        return refuse(FAULT_OUT_OF_MEMORY, "out of memory for page tables");
    }
    COUNT(counters, zero_fills);
    return FAULT_RESOLVED;
}

/* ASSIGNMENT(cow): a write to a page fork left shared and read-only. */
static enum fault_result copy_on_write(struct addr_space *as, const struct vma *vma, vaddr_t page,
                                       paddr_t old, struct vm_counters *counters)
{
    if (pmm_page(old)->refcount == 1) {
        /* copy-on-write: the last reference -- the other side has already copied or
         * gone -- so the frame is ours alone and can simply be made writable again */
        pt_protect(as->root, page, vma_pte_flags(vma));
        COUNT(counters, cow_reuses);
        return FAULT_RESOLVED;
    }
    paddr_t copy = pmm_alloc(FRAME_USER);
    if (copy == PMM_NO_FRAME)
        return refuse(FAULT_OUT_OF_MEMORY, "out of memory");
    copy_page(phys_to_virt(copy), phys_to_virt(old));
    as_unmap_range(as, page, page + PAGE_SIZE); /* drops our reference on the old frame */
    if (as_map_frame(as, page, copy, vma_pte_flags(vma)) != 0) {
        pmm_free(copy);
        return refuse(FAULT_OUT_OF_MEMORY, "out of memory for page tables");
    }
    COUNT(counters, cow_copies);
    return FAULT_RESOLVED;
}

/* A write to a present read-only page of a writable region. */
static enum fault_result write_protected(struct addr_space *as, const struct vma *vma, vaddr_t page,
                                         pte_t entry, struct vm_counters *counters)
{
    if (pte_frame(entry) == zero_frame) {
        /* written after being read: the zero page gives way to a private frame */
        as_unmap_range(as, page, page + PAGE_SIZE);
        return map_untouched(as, vma, page, &(struct fault_info){ .access = FAULT_WRITE }, counters);
    }
    return copy_on_write(as, vma, page, pte_frame(entry), counters);
}

enum fault_result mm_handle_fault(struct addr_space *as, const struct fault_info *f,
                                  struct vm_counters *counters)
{
    if (f->address >= USER_SPACE_END)
        return refuse(FAULT_NOT_ALLOWED, "user access to a kernel address");
    if (f->reserved_bit)
        return refuse(FAULT_NOT_ALLOWED, "reserved bit set in a page-table entry");
    struct vma *vma = vma_find(as, f->address);
    if (vma == NULL)
        vma = grow_stack(as, f->address, counters);
    if (vma == NULL)
        return refuse(FAULT_NO_REGION, why_no_region(as, f->address));
    const char *denied = access_denied(vma, f);
    if (denied != NULL)
        return refuse(FAULT_NOT_ALLOWED, denied);

    vaddr_t page = align_down(f->address, PAGE_SIZE);
    pte_t *entry = pt_lookup(as->root, page);
    enum fault_result result;
    if (entry != NULL && !pte_present(*entry) && pte_holds_frame(*entry))
        result = pt_protect(as->root, page, vma_pte_flags(vma)) ? FAULT_RESOLVED : FAULT_NO_REGION;
    else if ((entry == NULL || !pte_present(*entry)) && vma->shared != NULL)
        result = map_shared(as, vma, page, counters);
    else if (entry == NULL || !pte_present(*entry))
        result = map_untouched(as, vma, page, f, counters);
    else if (f->access == FAULT_WRITE && !pte_writable(*entry))
        result = write_protected(as, vma, page, *entry, counters);
    else /* the page already allows this access: resolving it would loop forever */
        return refuse(FAULT_NOT_ALLOWED, "fault on a page that allows the access");
    if (result == FAULT_RESOLVED)
        COUNT(counters, minor_faults);
    return result;
}
