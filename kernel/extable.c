/*
 * extable.c — looking up the fix-up of a faulting instruction.
 *
 * The linker gathers every .extable entry between __extable_start and
 * __extable_end. There are only a handful, so a linear search is plenty.
 */
#include "extable.h"

#include <stddef.h>

extern const struct extable_entry __extable_start[], __extable_end[];

const struct extable_entry *extable_find(uint64_t rip)
{
    for (const struct extable_entry *e = __extable_start; e < __extable_end; e++) {
        if (e->fault_rip == rip)
            return e;
    }
    return NULL;
}
