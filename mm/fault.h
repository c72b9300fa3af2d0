/*
 * fault.h — a page fault as mm/ sees it.
 *
 * The trap code (kernel/) reads CR2 and the CPU's error-code bits and turns them
 * into this small record; mm/ never looks at raw error bits.
 */
#ifndef MM_FAULT_H
#define MM_FAULT_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"

enum fault_access {
    FAULT_READ,
    FAULT_WRITE,
    FAULT_EXECUTE, /* an instruction fetch */
};

struct fault_info {
    vaddr_t address;          /* CR2: the address that could not be accessed */
    enum fault_access access;
    bool user_mode;           /* the CPU was in ring 3 */
    bool present;             /* a mapping existed, but did not allow this access */
    bool reserved_bit;        /* a page-table entry had a reserved bit set */
};

/* One phrase naming the violated permission and the region, for reports:
 *   "write to a read-only page in kernel text"
 *   "instruction fetch from a no-execute page in kernel data/bss"
 *   "access to the guard page below a kernel stack (stack overflow)"         */
const char *mm_describe_fault(const struct fault_info *fault, char *buf, size_t size);

/* The region an address lies in, e.g. "kernel text", "the direct map". */
const char *mm_describe_address(vaddr_t va, char *buf, size_t size);

#endif
