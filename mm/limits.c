/*
 * limits.c — RLIMIT_AS, RLIMIT_DATA and RLIMIT_STACK, as Linux counts them.
 *
 * Linux asks "may this address space expand by n pages?" (may_expand_vm) before
 * every mmap, brk, mremap growth and stack growth: the regions' pages together
 * must stay within RLIMIT_AS, and those of private writable regions other than
 * the stack (the data: heap, .data/.bss, malloc's mappings) within RLIMIT_DATA.
 * A mapping that replaces others (MAP_FIXED) counts only what it adds.
 */
#include "limits.h"

#include "as.h"
#include "layout.h"
#include "vma.h"

/* Linux's is_data_mapping: writable, private, and not the stack. */
static bool region_is_data(const struct vma *vma)
{
    return (vma->prot & VMA_WRITE) && !(vma->flags & (VMA_SHARED | VMA_GROWSDOWN));
}

/* Bytes of [a_start, a_end) outside [b_start, b_end). */
static uint64_t bytes_outside(vaddr_t a_start, vaddr_t a_end, vaddr_t b_start, vaddr_t b_end)
{
    vaddr_t lo = a_start > b_start ? a_start : b_start;
    vaddr_t hi = a_end < b_end ? a_end : b_end;
    uint64_t overlap = hi > lo ? hi - lo : 0;
    return (a_end - a_start) - overlap;
}

/* The regions' sizes, all and data only, leaving out [skip_start, skip_end). */
static void count_regions(struct addr_space *as, vaddr_t skip_start, vaddr_t skip_end,
                          uint64_t *total, uint64_t *data)
{
    *total = *data = 0;
    for (struct avl_node *n = avl_first(&as->vmas); n != NULL; n = avl_next(n)) {
        const struct vma *vma = avl_entry(n, struct vma, node);
        uint64_t bytes = bytes_outside(vma->start, vma->end, skip_start, skip_end);
        *total += bytes;
        if (region_is_data(vma))
            *data += bytes;
    }
}

/* Would adding bytes to the counts pass a limit? */
static bool within(uint64_t counted, uint64_t bytes, uint64_t limit)
{
    return limit == AS_NO_LIMIT || (counted <= limit && bytes <= limit - counted);
}

/* The check itself: the regions outside [skip_start, skip_end) plus bytes. */
static bool may_add(struct addr_space *as, vaddr_t skip_start, vaddr_t skip_end, uint64_t bytes,
                    bool is_data)
{
    const struct as_limits *l = &as->limits;
    if (!l->enforced || (l->total_bytes == AS_NO_LIMIT && l->data_bytes == AS_NO_LIMIT))
        return true; /* nothing to count */
    uint64_t total, data;
    count_regions(as, skip_start, skip_end, &total, &data);
    if (!within(total, bytes, l->total_bytes))
        return false;
    return !is_data || within(data, bytes, l->data_bytes);
}

bool as_may_map(struct addr_space *as, vaddr_t start, vaddr_t end, bool is_data)
{
    return may_add(as, start, end, end - start, is_data);
}

bool as_may_grow(struct addr_space *as, uint64_t bytes, bool is_data)
{
    return may_add(as, 0, 0, bytes, is_data);
}

uint64_t as_stack_limit(const struct addr_space *as)
{
    if (!as->limits.enforced || as->limits.stack_bytes > USER_STACK_LIMIT)
        return USER_STACK_LIMIT;
    return as->limits.stack_bytes;
}
