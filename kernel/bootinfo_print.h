/*
 * bootinfo_print.h — printing the boot information as one readable table.
 */
#ifndef KERNEL_BOOTINFO_PRINT_H
#define KERNEL_BOOTINFO_PRINT_H

#include "bootinfo.h"

/* Boot loader, command line, the memory map with usable/reserved totals, modules. */
void bootinfo_print(const struct boot_info *info);

#endif
