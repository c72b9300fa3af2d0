/*
 * virtio.c — the legacy virtio PCI transport: handshake, queue setup, notification.
 *
 * Bringing a device up (virtio 1.x, 3.1.1, with the legacy interface's order):
 *   reset (status 0) -> ACKNOWLEDGE -> DRIVER -> read device features, write the
 *   ones we accept -> set up each queue (select, read its size, write its page
 *   number) -> DRIVER_OK.
 */
#include "virtio.h"

#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "lib/string.h"

#define VIRTIO_PCI_DEVICE_FEATURES 0x00
#define VIRTIO_PCI_DRIVER_FEATURES 0x04
#define VIRTIO_PCI_QUEUE_PFN       0x08
#define VIRTIO_PCI_QUEUE_SIZE      0x0c
#define VIRTIO_PCI_QUEUE_SELECT    0x0e
#define VIRTIO_PCI_QUEUE_NOTIFY    0x10
#define VIRTIO_PCI_STATUS          0x12
#define VIRTIO_PCI_ISR             0x13
#define VIRTIO_PCI_CONFIG          0x14 /* without MSI-X, which we do not enable */

static void set_status(struct virtio_device *vd, uint8_t status)
{
    outb(vd->io_base + VIRTIO_PCI_STATUS, status);
}

static uint8_t get_status(const struct virtio_device *vd)
{
    return inb(vd->io_base + VIRTIO_PCI_STATUS);
}

bool virtio_begin(struct virtio_device *vd, const struct pci_device *pci)
{
    const struct pci_bar *bar0 = &pci->bar[0];
    if (!bar0->is_io || bar0->base == 0)
        return false;
    *vd = (struct virtio_device){ .pci = pci, .io_base = (uint16_t)bar0->base };
    pci_enable(pci, PCI_COMMAND_IO | PCI_COMMAND_BUS_MASTER);
    set_status(vd, 0); /* reset: the device forgets any earlier driver */
    set_status(vd, VIRTIO_STATUS_ACKNOWLEDGE);
    set_status(vd, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    return true;
}

uint32_t virtio_negotiate(struct virtio_device *vd, uint32_t wanted)
{
    uint32_t offered = inl(vd->io_base + VIRTIO_PCI_DEVICE_FEATURES);
    vd->features = offered & wanted;
    outl(vd->io_base + VIRTIO_PCI_DRIVER_FEATURES, vd->features);
    return vd->features;
}

int virtio_queue_setup(struct virtio_device *vd, struct virtqueue *q, uint16_t index, void *memory)
{
    outw(vd->io_base + VIRTIO_PCI_QUEUE_SELECT, index);
    uint16_t size = inw(vd->io_base + VIRTIO_PCI_QUEUE_SIZE);
    if (size == 0 || size > VIRTQ_MAX_SIZE || (size & (size - 1)) != 0)
        return -EINVAL;
    if (inl(vd->io_base + VIRTIO_PCI_QUEUE_PFN) != 0)
        return -EINVAL; /* already in use: the reset did not take */
    memset(memory, 0, VIRTQ_LEGACY_BYTES(size));
    virtq_init(q, index, size, memory);
    q->phys = virt_to_phys(memory);
    /* the legacy interface takes the page number: the block must be page aligned */
    outl(vd->io_base + VIRTIO_PCI_QUEUE_PFN, (uint32_t)(q->phys / VIRTQ_ALIGN));
    return 0;
}

void virtio_ready(struct virtio_device *vd)
{
    set_status(vd, get_status(vd) | VIRTIO_STATUS_DRIVER_OK);
}

void virtio_fail(struct virtio_device *vd)
{
    set_status(vd, get_status(vd) | VIRTIO_STATUS_FAILED);
}

uint8_t virtio_config_read8(const struct virtio_device *vd, unsigned offset)
{
    return inb((uint16_t)(vd->io_base + VIRTIO_PCI_CONFIG + offset));
}

uint32_t virtio_config_read32(const struct virtio_device *vd, unsigned offset)
{
    return inl((uint16_t)(vd->io_base + VIRTIO_PCI_CONFIG + offset));
}

/* Two 32-bit reads: the legacy interface has no 64-bit port access. */
uint64_t virtio_config_read64(const struct virtio_device *vd, unsigned offset)
{
    uint64_t low = virtio_config_read32(vd, offset), high = virtio_config_read32(vd, offset + 4);
    return high << 32 | low;
}

uint8_t virtio_interrupt_status(const struct virtio_device *vd)
{
    return inb(vd->io_base + VIRTIO_PCI_ISR);
}

void virtio_submit(struct virtio_device *vd, struct virtqueue *q, uint16_t head)
{
    virtq_publish(q, head);
    outw(vd->io_base + VIRTIO_PCI_QUEUE_NOTIFY, q->index);
}
