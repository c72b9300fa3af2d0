/*
 * virtq.h — a split virtqueue (virtio 1.x, 2.7), the memory a driver and a device share.
 *
 * The driver and the device talk through virtqueues in ordinary RAM that both
 * read and write (the device by DMA). A legacy "split" virtqueue of size N is one
 * physically contiguous block:
 *
 *   descriptor table  N x 16 bytes: { address, length, flags, next }, each one
 *                     buffer; NEXT chains them into one request
 *   available ring    flags, idx, ring[N]: the driver puts the head of each new
 *                     chain at ring[idx % N], then increments idx
 *   (padding to the next 4096 bytes)
 *   used ring         flags, idx, ring[N] of { id, len }: the device puts the
 *                     head of each finished chain there, then increments idx
 *
 * This file is the bookkeeping only (which descriptors are free, the two rings);
 * telling the device where the queue is and that it has work is virtio.c's job.
 * It builds on the host too: tests/host/test_virtq.c plays the device.
 */
#ifndef KERNEL_DEV_VIRTQ_H
#define KERNEL_DEV_VIRTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/addr.h"

/* Descriptor flags. */
#define VIRTQ_DESC_F_NEXT  1 /* the chain continues at .next */
#define VIRTQ_DESC_F_WRITE 2 /* the device writes this buffer (else reads it) */

#define VIRTQ_ALIGN    4096 /* the legacy layout: the used ring starts on a page */
#define VIRTQ_MAX_SIZE 256  /* the largest queue we set up (QEMU's virtio-blk: 256) */

/* Bytes of the legacy layout for a queue of size n (virtio 1.x, 2.7.2). */
#define VIRTQ_LEGACY_BYTES(n)                                                                      \
    (((16 * (n) + 2 * (3 + (n)) + VIRTQ_ALIGN - 1) & ~(VIRTQ_ALIGN - 1)) +                         \
     ((2 * 3 + 8 * (n) + VIRTQ_ALIGN - 1) & ~(VIRTQ_ALIGN - 1)))

struct virtq_desc {
    uint64_t addr; /* physical */
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct virtq_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[]; /* then used_event */
};

struct virtq_used_elem {
    uint32_t id;  /* the head of the chain that finished */
    uint32_t len; /* bytes the device wrote into it */
};

struct virtq_used {
    uint16_t flags;
    uint16_t idx;
    struct virtq_used_elem ring[]; /* then avail_event */
};

struct virtqueue {
    uint16_t index; /* the queue's number on its device */
    uint16_t size;  /* N, fixed by the device in the legacy interface */
    volatile struct virtq_desc *desc;
    volatile struct virtq_avail *avail;
    volatile struct virtq_used *used;
    paddr_t phys;       /* where the block starts (what the device is told) */
    uint16_t free_head; /* unused descriptors, linked through .next */
    uint16_t free_count;
    uint16_t last_used; /* used->idx up to which we have taken finished chains */
};

/* Lay out a queue of size (a power of two, at most VIRTQ_MAX_SIZE) in memory,
 * VIRTQ_LEGACY_BYTES(size) zeroed bytes aligned to VIRTQ_ALIGN, every descriptor
 * free. The caller sets q->phys. */
void virtq_init(struct virtqueue *q, uint16_t index, uint16_t size, void *memory);

/* Take count free descriptors and link them into a chain (NEXT set on all but
 * the last). Returns the head, or -1 if fewer than count are free. */
int virtq_chain_alloc(struct virtqueue *q, unsigned count);

/* Give back the chain that starts at head. */
void virtq_chain_free(struct virtqueue *q, uint16_t head);

/* Put the chain at head in the available ring: the device may now take it (once
 * notified). */
void virtq_publish(struct virtqueue *q, uint16_t head);

/* The next chain the device finished: true with its head and written length. */
bool virtq_next_used(struct virtqueue *q, uint16_t *head, uint32_t *len);

#endif
