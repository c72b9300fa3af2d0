/*
 * ksyms.h — the kernel's own symbol table, for naming functions in backtraces.
 *
 * The build links the kernel twice: the first link has an empty table; its
 * function symbols (from `nm`) are then turned into kernel/ksyms table data
 * (kernel/mksyms.sh) and linked into the final kernel. The table lies after the
 * code, so adding it moves no function.
 */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include <stddef.h>
#include <stdint.h>

struct ksym {
    uint64_t address;
    const char *name;
};

/* The function containing address, with *offset = address - its start; NULL when
 * address is outside the kernel's code or the table is empty. */
const char *ksym_lookup(uint64_t address, uint64_t *offset);

/* "name+0xoffset" for address, or its hex value if unknown; returns buf. */
const char *ksym_format(uint64_t address, char *buf, size_t size);

#endif
