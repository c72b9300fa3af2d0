/*
 * extable.c — looking up the fix-up of a faulting instruction.
 *
 * The linker gathers every .extable entry between __extable_start and
 * __extable_end. There are only a handful, so a linear search is plenty.
 */
#include "extable.h"

extern const struct extable_entry __extable_start[], __extable_end[];

uint64_t extable_find_fixup(uint64_t rip)
{
    for (const struct extable_entry *e = __extable_start; e < __extable_end; e++) {
        if (e->fault_rip == rip)
            return e->fixup_rip;
    }
    return 0;
}
