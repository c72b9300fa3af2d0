/*
 * virtio.h — the legacy ("transitional") virtio PCI interface and its virtqueues.
 *
 * A virtio device is a PCI function (vendor 0x1af4) whose BAR0 is a small range
 * of I/O ports (virtio spec 1.x, section 4.1.4.8, "Legacy Interfaces"):
 *
 *   +0x00 device features (32, R)   +0x0c queue size (16, R)
 *   +0x04 driver features (32, RW)  +0x0e queue select (16, RW)
 *   +0x08 queue address (32, RW:    +0x10 queue notify (16, RW)
 *         physical address / 4096)  +0x12 device status (8, RW)
 *                                   +0x13 ISR status (8, R; reading acknowledges)
 *   +0x14 the device's own configuration (virtio-blk: its capacity, ...)
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
 */
#ifndef KERNEL_DEV_VIRTIO_H
#define KERNEL_DEV_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/addr.h"
#include "pci.h"

#define VIRTIO_VENDOR 0x1af4

/* Device status bits: the handshake, in this order. */
#define VIRTIO_STATUS_ACKNOWLEDGE 1   /* the driver saw the device */
#define VIRTIO_STATUS_DRIVER      2   /* ... and knows how to drive it */
#define VIRTIO_STATUS_DRIVER_OK   4   /* queues set up: the device may start */
#define VIRTIO_STATUS_FAILED      128 /* the driver gave up on it */

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

struct virtio_device {
    const struct pci_device *pci;
    uint16_t io_base;  /* BAR0 */
    uint32_t features; /* what both sides agreed on */
};

/* Reset the device and start the handshake (ACKNOWLEDGE, DRIVER); enables its
 * I/O ports and bus mastering. False if BAR0 is not an I/O range. */
bool virtio_begin(struct virtio_device *vd, const struct pci_device *pci);

/* Feature negotiation: accept the features in wanted that the device offers.
 * Returns (and remembers) the accepted set. */
uint32_t virtio_negotiate(struct virtio_device *vd, uint32_t wanted);

/* Set up queue index in memory: VIRTQ_LEGACY_BYTES(VIRTQ_MAX_SIZE) bytes, aligned
 * to 4096, physically contiguous. 0, or -EINVAL if the device has no such queue
 * or one larger than VIRTQ_MAX_SIZE. */
int virtio_queue_setup(struct virtio_device *vd, struct virtqueue *q, uint16_t index, void *memory);

/* End the handshake: DRIVER_OK (the device may now use the queues), or FAILED. */
void virtio_ready(struct virtio_device *vd);
void virtio_fail(struct virtio_device *vd);

/* Read the device's own configuration (after the common registers). */
uint8_t virtio_config_read8(const struct virtio_device *vd, unsigned offset);
uint32_t virtio_config_read32(const struct virtio_device *vd, unsigned offset);
uint64_t virtio_config_read64(const struct virtio_device *vd, unsigned offset);

/* Read the ISR status, which acknowledges the interrupt (the line goes low).
 * Bit 0: a queue has news; bit 1: the configuration changed. */
uint8_t virtio_interrupt_status(const struct virtio_device *vd);

/* Take count free descriptors and link them into a chain (NEXT set on all but
 * the last). Returns the head, or -1 if fewer than count are free. */
int virtq_chain_alloc(struct virtqueue *q, unsigned count);

/* Give back the chain that starts at head. */
void virtq_chain_free(struct virtqueue *q, uint16_t head);

/* Offer the chain at head to the device (available ring), then notify it. */
void virtq_submit(struct virtio_device *vd, struct virtqueue *q, uint16_t head);

/* The next chain the device finished: true with its head and written length. */
bool virtq_next_used(struct virtqueue *q, uint16_t *head, uint32_t *len);

#endif
