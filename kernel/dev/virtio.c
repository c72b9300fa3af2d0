/*
 * virtio.c — the legacy virtio PCI handshake and split virtqueues.
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
#define VIRTQ_NO_DESC              0xffff

/* The device reads the rings by DMA: our stores to them must be in memory, in
 * order, before the store that tells it to look. x86 keeps stores in order;
 * the barrier also stops the compiler from moving them. */
static inline void memory_barrier(void)
{
    __asm__ volatile("mfence" ::: "memory");
}

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

/* Where the three parts of a queue of q->size lie in the block at memory. */
static void lay_out_queue(struct virtqueue *q, uint8_t *memory)
{
    size_t desc_bytes = 16ul * q->size, avail_bytes = 2ul * (3 + q->size);
    q->desc = (volatile struct virtq_desc *)memory;
    q->avail = (volatile struct virtq_avail *)(memory + desc_bytes);
    q->used =
        (volatile struct virtq_used *)(memory + align_up(desc_bytes + avail_bytes, VIRTQ_ALIGN));
    q->phys = virt_to_phys(memory);
}

/* Every descriptor free, linked 0 -> 1 -> ... -> N-1. */
static void init_free_list(struct virtqueue *q)
{
    for (uint16_t i = 0; i < q->size; i++)
        q->desc[i].next = i + 1 < q->size ? i + 1 : VIRTQ_NO_DESC;
    q->free_head = 0;
    q->free_count = q->size;
    q->last_used = 0;
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
    *q = (struct virtqueue){ .index = index, .size = size };
    lay_out_queue(q, memory);
    init_free_list(q);
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

/* ---- descriptor chains ---- */

int virtq_chain_alloc(struct virtqueue *q, unsigned count)
{
    if (count == 0 || count > q->free_count)
        return -1;
    uint16_t head = q->free_head, last = head;
    for (unsigned i = 1; i < count; i++) {
        q->desc[last].flags = VIRTQ_DESC_F_NEXT;
        last = q->desc[last].next;
    }
    q->free_head = q->desc[last].next;
    q->desc[last].flags = 0;
    q->desc[last].next = VIRTQ_NO_DESC;
    q->free_count -= (uint16_t)count;
    return head;
}

void virtq_chain_free(struct virtqueue *q, uint16_t head)
{
    uint16_t last = head;
    unsigned count = 1;
    while (q->desc[last].flags & VIRTQ_DESC_F_NEXT) {
        last = q->desc[last].next;
        count++;
    }
    q->desc[last].next = q->free_head;
    q->free_head = head;
    q->free_count += (uint16_t)count;
}

void virtq_submit(struct virtio_device *vd, struct virtqueue *q, uint16_t head)
{
    q->avail->ring[q->avail->idx % q->size] = head;
    memory_barrier(); /* the ring entry before the index that publishes it */
    q->avail->idx++;  /* wraps at 65536, as the device expects */
    memory_barrier(); /* the index before the notification */
    outw(vd->io_base + VIRTIO_PCI_QUEUE_NOTIFY, q->index);
}

bool virtq_next_used(struct virtqueue *q, uint16_t *head, uint32_t *len)
{
    if (q->last_used == q->used->idx)
        return false;
    memory_barrier(); /* read the entry only after seeing the index that covers it */
    volatile struct virtq_used_elem *e = &q->used->ring[q->last_used % q->size];
    *head = (uint16_t)e->id;
    *len = e->len;
    q->last_used++;
    return true;
}
