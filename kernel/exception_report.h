/*
 * exception_report.h — explaining an exception to a human.
 */
#ifndef KERNEL_EXCEPTION_REPORT_H
#define KERNEL_EXCEPTION_REPORT_H

#include <stdint.h>

#include "trap.h"

/* "page fault (#PF)", "general protection (#GP)", ... */
const char *exception_name(uint64_t vector);

/* The full report: name, decoded error code, CR2 for page faults, RIP with its
 * function, every general register, and a backtrace. */
void exception_report(const struct trap_frame *frame);

/* "0xffffffff80101234 <kmain+0x1c>" */
void exception_print_location(uint64_t rip);

#endif
