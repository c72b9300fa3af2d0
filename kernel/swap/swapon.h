/*
 * swapon.h — turning a disk into swap space and back: swapon(2), swapoff(2),
 * `swap=vdb` on the kernel command line, and what /proc/swaps shows.
 *
 * The system calls themselves (167, 168) are declared with the others in
 * kernel/syscall.h. One area at a time (mm/swap.h).
 */
#ifndef KERNEL_SWAP_SWAPON_H
#define KERNEL_SWAP_SWAPON_H

#include <stdbool.h>
#include <stdint.h>

struct inode;

#define SWAP_DEVICE_NAME_MAX 8

/* The active area as /proc/swaps lists it. */
struct swap_device_info {
    char name[SWAP_DEVICE_NAME_MAX]; /* "vdb": the disk, /dev/vdb (a swap file's: its
                                      * file system's) */
    struct inode *file;              /* a swap file, with a reference for the caller
                                      * (inode_put); NULL: the whole disk is the area */
    int priority;                    /* -2 unless swapon asked (SWAP_FLAG_PREFER) */
};

/* `swap=vdX` on the command line: swapon of that disk, before the first program
 * runs (needs interrupts and the disks: after vfs_init). A failure is one kernel
 * line and no swap; the boot goes on. */
void swap_enable_at_boot(const char *cmdline);

/* The active area: true and *out filled, or false (no swap). */
bool swap_device_info(struct swap_device_info *out);

/* Frames the active area's map of extents takes (swap_map.h): kernel memory that
 * comes and goes with swapon and swapoff, which the memory check counts as free. */
uint64_t swap_map_frames(void);

/* Is the active area a swap file (whose inode it holds until swapoff)? */
bool swap_file_active(void);

#endif
