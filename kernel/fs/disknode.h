/*
 * disknode.h — the disks under /dev: /dev/vda, /dev/vdb, ... (block devices).
 *
 * Each disk the block layer found (kernel/dev/block.h) has a node in /dev, a
 * block device (S_IFBLK) with Linux's number for virtio disks: major 254, minor
 * 16 * n (Linux keeps the 15 minors after each for partitions). stat shows them;
 * reading and writing one moves the disk's bytes (dd if=/dev/vdb; busybox's
 * mkswap /dev/vdb), except that a disk with a mounted file system or active swap
 * refuses writes (-EBUSY). swapon(2) finds its disk through them
 * (kernel/swap/swapon.c).
 */
#ifndef KERNEL_FS_DISKNODE_H
#define KERNEL_FS_DISKNODE_H

#include "chardev.h"

struct block_device;

/* The node of the n-th disk (vda: 0), or NULL if there is no such disk. A node
 * is a struct chardev too (name, numbers, mode, operations): devfs lists both. */
const struct chardev *disknode_at(int n);

/* The disk a node names, or NULL (not a disk node). */
struct block_device *disknode_device(const struct chardev *node);

#endif
