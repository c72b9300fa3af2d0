/*
 * virtio.h — the legacy ("transitional") virtio PCI interface: registers and handshake.
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
 * The queues themselves are in virtq.h.
 */
#ifndef KERNEL_DEV_VIRTIO_H
#define KERNEL_DEV_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/addr.h"
#include "pci.h"
#include "virtq.h"

#define VIRTIO_VENDOR 0x1af4

/* Device status bits: the handshake, in this order. */
#define VIRTIO_STATUS_ACKNOWLEDGE 1   /* the driver saw the device */
#define VIRTIO_STATUS_DRIVER      2   /* ... and knows how to drive it */
#define VIRTIO_STATUS_DRIVER_OK   4   /* queues set up: the device may start */
#define VIRTIO_STATUS_FAILED      128 /* the driver gave up on it */

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

/* Offer the chain at head to the device (virtq_publish), then notify it. */
void virtio_submit(struct virtio_device *vd, struct virtqueue *q, uint16_t head);

#endif
