/*
 * fault_describe.c — putting a page fault into words.
 *
 * Which permission was violated follows from the access and whether a mapping was
 * present (Intel SDM vol. 3, 4.7):
 *   not present                -> nothing is mapped at the address
 *   present, write             -> the page is read-only
 *   present, instruction fetch -> the page is no-execute (or a user page: SMEP)
 *   present, read              -> a user page touched by the kernel (SMAP)
 * and the region from the kernel's address-space layout.
 */
#include "fault.h"

#include "kernel_pt.h"
#include "kvmap.h"
#include "lib/format.h"

#define NEVER_MAPPED_LOW 0x400000ul /* DESIGN: nothing below 4 MiB is ever mapped */

const char *mm_describe_address(vaddr_t va, char *buf, size_t size)
{
    const char *section = kernel_section_name(va);
    const char *guard = kvmap_guard_owner(va);
    const char *area = kvmap_area_name(va);
    if (va < NEVER_MAPPED_LOW)
        snprintf(buf, size, "the never-mapped lowest 4 MiB (a NULL or near-NULL pointer)");
    else if (va < USER_SPACE_END)
        snprintf(buf, size, "user space");
    else if (va < KERNEL_SPACE_BASE)
        snprintf(buf, size, "the non-canonical hole");
    else if (section != NULL)
        snprintf(buf, size, "%s", section);
    else if (guard != NULL)
        snprintf(buf, size, "the guard page below a %s", guard);
    else if (area != NULL)
        snprintf(buf, size, "the %s area", area);
    else if (va < KVMAP_BASE)
        snprintf(buf, size, "the direct map of physical memory");
    else
        snprintf(buf, size, "kernel space");
    return buf;
}

static const char *violation(const struct fault_info *f)
{
    if (f->reserved_bit)
        return "access through a page-table entry with a reserved bit set";
    if (!f->present) {
        switch (f->access) {
        case FAULT_WRITE: return "write to an unmapped page";
        case FAULT_EXECUTE: return "instruction fetch from an unmapped page";
        default: return "read of an unmapped page";
        }
    }
    bool kernel_on_user_page = !f->user_mode && f->address < USER_SPACE_END;
    switch (f->access) {
    case FAULT_WRITE: return "write to a read-only page";
    case FAULT_EXECUTE:
        return kernel_on_user_page ? "kernel instruction fetch from a user page (SMEP)"
                                   : "instruction fetch from a no-execute page";
    default:
        return kernel_on_user_page ? "kernel read of a user page (SMAP)"
                                   : "read of a page that does not allow it";
    }
}

const char *mm_describe_fault(const struct fault_info *f, char *buf, size_t size)
{
    char region[80];
    mm_describe_address(f->address, region, sizeof region);
    if (kvmap_guard_owner(f->address) != NULL)
        snprintf(buf, size, "access to %s (%s)", region,
                 kvmap_contains(KVMAP_STACKS, f->address) ? "stack overflow" : "overrun");
    else
        snprintf(buf, size, "%s in %s", violation(f), region);
    return buf;
}
