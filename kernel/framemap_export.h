/*
 * framemap_export.h — the frame map as text on the serial port (COM1), for
 * tools/framemap.py to draw as a PNG or SVG on the host.
 *
 * Asked for by a program (vmlab_framemap, vmlab's system call 501) or by a key on
 * the VGA console (F4, kernel/framemap_view.c). The format is in framemap_export.c.
 */
#ifndef KERNEL_FRAMEMAP_EXPORT_H
#define KERNEL_FRAMEMAP_EXPORT_H

#include <stdint.h>

#include "mm/addr.h"

struct addr_space;

/* A range of one process's pages whose frames the dump also counts by class
 * (a program asks "what are my heap's frames now?"). */
struct framemap_range {
    struct addr_space *as;
    int pid;
    vaddr_t start, end; /* page-aligned, user space */
};

#define FRAMEMAP_RANGE_MAX_PAGES 65536ul /* a range of at most 256 MiB */

/* Build the map and write it to COM1, with the counts of range if not NULL. 0, or
 * -ENOMEM (one line says so). Process context only. reason says who asked (in
 * the first line), e.g. "pid 2". */
int framemap_export(const char *reason, const struct framemap_range *range);

#endif
