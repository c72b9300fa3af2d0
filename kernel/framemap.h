/*
 * framemap.h — the map of physical memory: what every frame is used for, and by
 * whom.
 *
 * The frame allocator knows each frame's state (free, reserved, in use) and use
 * (kernel, page table, user), but not who maps a user frame: the kernel keeps no
 * reverse map. framemap_build recomputes one by walking every process's page
 * tables (mm/as_walk.h), and classifies each frame:
 *
 *   R reserved      not RAM the allocator manages: the first MiB, firmware, holes
 *   I kernel image  the kernel's text, data and bss
 *   M boot module   a program loaded by GRUB (/bin/...)
 *   K kernel        kernel memory: heap, stacks, the page array, boot information
 *   P page table    a PML4, PDPT, PD or PT (of a process, or the kernel's own: pid 0)
 *   Z zero page     the one frame of zeros every untouched page reads as
 *   U user          mapped by exactly one process
 *   C COW-shared    mapped by several entries of private regions (fork shared it
 *                   copy-on-write; the first write copies it)
 *   S shared memory a frame of a MAP_SHARED region (all its mappers see every write)
 *   F free          on the free list
 *
 * Two displays use it (the export over the serial port, kernel/framemap_export.c,
 * and the live view on the VGA console, kernel/framemap_view.c). Building it
 * reads page tables, so it runs only where they are consistent: in process
 * context, never in an interrupt handler.
 */
#ifndef KERNEL_FRAMEMAP_H
#define KERNEL_FRAMEMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/addr.h"

enum frame_class {
    FRAME_CLASS_RESERVED,
    FRAME_CLASS_KERNEL_IMAGE,
    FRAME_CLASS_BOOT_MODULE,
    FRAME_CLASS_KERNEL,
    FRAME_CLASS_PAGE_TABLE,
    FRAME_CLASS_ZERO_PAGE,
    FRAME_CLASS_USER,
    FRAME_CLASS_COW_SHARED,
    FRAME_CLASS_SHARED_MEMORY,
    FRAME_CLASS_FREE,
    FRAME_CLASS_COUNT,
};

#define FRAME_NO_PID (-1) /* a frame nobody maps (or kernel memory) */

/* flags of struct frame_owner */
#define FRAME_MORE_PIDS     0x1 /* more processes map it than pid and pid2 say */
#define FRAME_SHARED_REGION 0x2 /* mapped in a MAP_SHARED region, or held by its object */

/* One frame: its class, and for user frames and page tables, who. */
struct frame_owner {
    uint8_t class;     /* enum frame_class */
    uint8_t flags;     /* FRAME_MORE_PIDS | FRAME_SHARED_REGION */
    uint16_t mappings; /* page-table entries holding it (saturates at UINT16_MAX) */
    int32_t pid;       /* the first process mapping it (owning it, for a table) */
    int32_t pid2;      /* a second, different one, or FRAME_NO_PID */
};

struct framemap {
    pfn_t frames;               /* frames 0 .. frames-1: every frame with a record */
    struct frame_owner *owners; /* owners[pfn] */
    uint64_t counts[FRAME_CLASS_COUNT];
};

/* Build the map of every frame now, into map's memory if it has some from an
 * earlier build (start from FRAMEMAP_EMPTY), else into new memory from kmalloc.
 * False if there is no memory for it (the map is then empty). Process context
 * only. */
#define FRAMEMAP_EMPTY ((struct framemap){ 0 })
bool framemap_build(struct framemap *map);

/* Give back the memory of a built map. */
void framemap_release(struct framemap *map);

/* The class's letter in the export ('R', 'I', ...) and its name ("kernel image"). */
char frame_class_letter(enum frame_class class);
const char *frame_class_name(enum frame_class class);

#endif
