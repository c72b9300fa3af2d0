/*
 * virtio_blk.c — block requests as virtqueue descriptor chains.
 *
 * One read of 8 sectors into a buffer that spans two pages is a chain of four
 * descriptors (virtio 1.x, 5.2.6):
 *
 *   [header: type IN, sector]  -> [data, page 1 part] -> [data, page 2 part] -> [status]
 *    device reads (16 bytes)      device writes          device writes          device writes 1
 * byte
 *
 * The chain's head is offered in the available ring and the device is notified;
 * when it is done it puts the head in the used ring and raises its interrupt.
 * The header and status byte of a request live in arrays indexed by the chain's
 * head, so nothing of a request has to be allocated.
 */
#include "virtio_blk.h"

#include "block.h"
#include "kernel/errno.h"
#include "kernel/irq.h"
#include "kernel/printk.h"
#include "mm/kernel_pt.h"
#include "mm/pt.h"
#include "virtio.h"

#define VIRTIO_BLK_DEVICE      0x1001 /* the transitional (legacy) virtio-blk id */
#define VIRTIO_BLK_MAX_DEVICES 4
#define VIRTIO_BLK_QUEUE       0 /* virtio-blk's one request queue */

/* Features (bits of the feature words) and where their values are in the config. */
#define VIRTIO_BLK_F_SEG_MAX    (1u << 2) /* at most seg_max data buffers per request */
#define VIRTIO_BLK_F_RO         (1u << 5) /* the disk is read-only */
#define VIRTIO_BLK_F_FLUSH      (1u << 9) /* the FLUSH request exists (a write cache) */
#define VIRTIO_BLK_CFG_CAPACITY 0         /* u64: size in 512-byte sectors */
#define VIRTIO_BLK_CFG_SEG_MAX  12        /* u32 */

#define VIRTIO_BLK_T_IN    0 /* read */
#define VIRTIO_BLK_T_OUT   1 /* write */
#define VIRTIO_BLK_T_FLUSH 4

#define VIRTIO_BLK_S_OK     0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2
#define STATUS_NOT_WRITTEN  0xff /* what we put there first: a device that skips it fails */

/* A request's data in physically contiguous pieces: at most one per page, plus one. */
#define MAX_REQUEST_SECTORS 256 /* 128 KiB */
#define MAX_DATA_SEGMENTS   (MAX_REQUEST_SECTORS * BLOCK_SECTOR_SIZE / PAGE_SIZE + 1)
#define SECTORS_PER_PAGE    (PAGE_SIZE / BLOCK_SECTOR_SIZE)
#define HEADER_AND_STATUS   2 /* descriptors of a request besides its data */
#define ISA_IRQS            16

struct virtio_blk_header {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

struct segment {
    paddr_t addr;
    uint32_t len;
};

struct virtio_blk {
    /* first, so that the page alignment costs no padding */
    uint8_t queue_memory[VIRTQ_LEGACY_BYTES(VIRTQ_MAX_SIZE)] __attribute__((aligned(VIRTQ_ALIGN)));
    struct virtio_device vio;
    struct virtqueue queue;
    struct block_device *block;
    uint32_t max_segments;
    bool read_only; /* said at boot; the block layer refuses writes (-EROFS) */
    /* per request in flight, by the head of its chain */
    struct virtio_blk_header headers[VIRTQ_MAX_SIZE];
    uint8_t status[VIRTQ_MAX_SIZE];
    struct block_request *in_flight[VIRTQ_MAX_SIZE];
};

/* In the kernel image (.bss), whose frames are contiguous: the frame allocator
 * hands out single frames only, and a legacy queue must be contiguous. */
static struct virtio_blk disks[VIRTIO_BLK_MAX_DEVICES];
static unsigned disk_count;
static uint16_t irqs_registered; /* bit n: our handler is on IRQ n */

/* ---- building a request ---- */

/* Cut [buf, buf + len) into physically contiguous pieces (a kmalloc'd buffer is
 * contiguous only in virtual memory), at most MAX_DATA_SEGMENTS of them. Returns
 * the number, -EFAULT if some page of it is not mapped, or -EINVAL if there would
 * be more pieces. */
static int data_segments(void *buf, uint32_t len, struct segment *out)
{
    int n = 0;
    vaddr_t va = (vaddr_t)buf, end = va + len;
    while (va < end) {
        paddr_t pa;
        if (!pt_translate(kernel_root(), va, &pa))
            return -EFAULT;
        uint32_t piece = (uint32_t)(align_down(va, PAGE_SIZE) + PAGE_SIZE - va);
        if (piece > end - va)
            piece = (uint32_t)(end - va);
        if (n > 0 && out[n - 1].addr + out[n - 1].len == pa)
            out[n - 1].len += piece; /* the next page follows in RAM too: one piece */
        else if (n < (int)MAX_DATA_SEGMENTS)
            out[n++] = (struct segment){ pa, piece };
        else
            return -EINVAL;
        va += piece;
    }
    return n;
}

static uint32_t request_type(enum block_op op)
{
    return op == BLOCK_OP_READ    ? VIRTIO_BLK_T_IN
           : op == BLOCK_OP_WRITE ? VIRTIO_BLK_T_OUT
                                  : VIRTIO_BLK_T_FLUSH;
}

/* Fill the chain at head: header, the data segments, the status byte. */
static void fill_chain(struct virtio_blk *d, uint16_t head, const struct block_request *r,
                       const struct segment *segments, int count)
{
    volatile struct virtq_desc *desc = d->queue.desc;
    d->headers[head] =
        (struct virtio_blk_header){ .type = request_type(r->op), .sector = r->sector };
    d->status[head] = STATUS_NOT_WRITTEN;
    uint16_t at = head;
    desc[at].addr = virt_to_phys(&d->headers[head]);
    desc[at].len = sizeof d->headers[head];
    uint16_t device_writes = r->op == BLOCK_OP_READ ? VIRTQ_DESC_F_WRITE : 0;
    for (int i = 0; i < count; i++) {
        at = desc[at].next;
        desc[at].addr = segments[i].addr;
        desc[at].len = segments[i].len;
        desc[at].flags |= device_writes;
    }
    at = desc[at].next;
    desc[at].addr = virt_to_phys(&d->status[head]);
    desc[at].len = 1;
    desc[at].flags |= VIRTQ_DESC_F_WRITE;
}

/* block_driver.submit: see block.h. */
static int virtio_blk_submit(void *driver_data, struct block_request *r)
{
    struct virtio_blk *d = driver_data;
    struct segment segments[MAX_DATA_SEGMENTS];
    if (r->op == BLOCK_OP_FLUSH && !(d->vio.features & VIRTIO_BLK_F_FLUSH)) {
        block_complete(r, 0); /* no write cache: every write is already stable */
        return 0;
    }
    int count =
        r->op == BLOCK_OP_FLUSH ? 0 : data_segments(r->buf, r->count * BLOCK_SECTOR_SIZE, segments);
    if (count < 0)
        return count;
    if ((unsigned)count > d->max_segments || count + HEADER_AND_STATUS > d->queue.size)
        return -EINVAL; /* block.c cuts requests so that this cannot happen */
    int head = virtq_chain_alloc(&d->queue, (unsigned)count + HEADER_AND_STATUS);
    if (head < 0)
        return -EAGAIN; /* the queue is full: wait for a completion */
    fill_chain(d, (uint16_t)head, r, segments, count);
    d->in_flight[head] = r;
    virtio_submit(&d->vio, &d->queue, (uint16_t)head);
    return 0;
}

static const struct block_driver virtio_blk_driver = { .submit = virtio_blk_submit };

/* ---- completions ---- */

static const char *status_name(uint8_t status)
{
    return status == VIRTIO_BLK_S_IOERR    ? "I/O error"
           : status == VIRTIO_BLK_S_UNSUPP ? "unsupported request"
           : status == STATUS_NOT_WRITTEN  ? "no status written"
                                           : "unknown status";
}

/* The one log line of a failed request; its result becomes -EIO. */
static int report_failure(const struct virtio_blk *d, const struct block_request *r, uint8_t status)
{
    static const char *const op_names[] = { "read", "write", "flush" };
    kprintf("%s: %s of %u sectors at sector %lu failed: virtio-blk status %u (%s)\n",
            block_device_name(d->block), op_names[r->op], r->count, r->sector, status,
            status_name(status));
    return -EIO;
}

/* Take every chain the device has finished and complete its request. A head the
 * device should not have returned is reported and ignored: a bad device must not
 * make us touch memory that is not a request of ours. */
static void collect_finished(struct virtio_blk *d)
{
    uint16_t head;
    uint32_t written;
    while (virtq_next_used(&d->queue, &head, &written)) {
        struct block_request *r = head < d->queue.size ? d->in_flight[head] : NULL;
        if (r == NULL) {
            kprintf("%s: the device returned descriptor %u, which is not a request\n",
                    block_device_name(d->block), head);
            continue;
        }
        d->in_flight[head] = NULL;
        uint8_t status = d->status[head];
        virtq_chain_free(&d->queue, head);
        block_complete(r, status == VIRTIO_BLK_S_OK ? 0 : report_failure(d, r, status));
    }
}

/* The interrupt of one or more disks (PCI interrupt lines are shared): reading
 * each disk's ISR status acknowledges its interrupt; then its finished requests
 * are collected. */
static void virtio_blk_interrupt(struct trap_frame *frame)
{
    (void)frame;
    for (unsigned i = 0; i < disk_count; i++) {
        virtio_interrupt_status(&disks[i].vio);
        collect_finished(&disks[i]);
    }
}

/* ---- setting a disk up ---- */

/* The largest request whose data fits in the device's seg_max pieces even when
 * no two pages are contiguous: n pages of data touch at most n + 1 pages. */
static uint32_t max_request_sectors(const struct virtio_blk *d)
{
    uint32_t sectors = (d->max_segments - 1) * SECTORS_PER_PAGE;
    return sectors < MAX_REQUEST_SECTORS ? sectors : MAX_REQUEST_SECTORS;
}

static void read_limits(struct virtio_blk *d)
{
    d->max_segments = MAX_DATA_SEGMENTS;
    if (d->vio.features & VIRTIO_BLK_F_SEG_MAX) {
        uint32_t seg_max = virtio_config_read32(&d->vio, VIRTIO_BLK_CFG_SEG_MAX);
        if (seg_max >= 2 && seg_max < d->max_segments)
            d->max_segments = seg_max;
    }
    if (d->max_segments + HEADER_AND_STATUS > d->queue.size)
        d->max_segments = d->queue.size - HEADER_AND_STATUS;
    d->read_only = d->vio.features & VIRTIO_BLK_F_RO;
}

static void use_interrupt_line(unsigned irq)
{
    if (irqs_registered & (1u << irq))
        return;
    irqs_registered |= (uint16_t)(1u << irq);
    irq_register(irq, virtio_blk_interrupt);
}

/* The handshake up to the queue; NULL, or why the disk cannot be used. */
static const char *bring_up(struct virtio_blk *d, const struct pci_device *pci)
{
    if (pci->irq_pin == 0 || pci->irq_line >= ISA_IRQS)
        return "no legacy interrupt line";
    if (!virtio_begin(&d->vio, pci))
        return "BAR0 is not an I/O port range";
    virtio_negotiate(&d->vio, VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_RO | VIRTIO_BLK_F_FLUSH);
    if (virtio_queue_setup(&d->vio, &d->queue, VIRTIO_BLK_QUEUE, d->queue_memory) != 0) {
        virtio_fail(&d->vio);
        return "its request queue is missing or larger than we support";
    }
    return NULL;
}

/* Set up the disk at pci as disks[disk_count]; false (said why) if it cannot be. */
static bool setup_disk(const struct pci_device *pci)
{
    struct virtio_blk *d = &disks[disk_count];
    const char *why = bring_up(d, pci);
    if (why != NULL) {
        kprintf("virtio-blk %02x:%02x.%x: not used: %s\n", pci->where.bus, pci->where.device,
                pci->where.function, why);
        return false;
    }
    read_limits(d);
    uint64_t sectors = virtio_config_read64(&d->vio, VIRTIO_BLK_CFG_CAPACITY);
    d->block = block_register(&virtio_blk_driver, d, sectors, max_request_sectors(d), d->read_only);
    disk_count++;
    use_interrupt_line(pci->irq_line);
    virtio_ready(&d->vio);
    kinfo("%s: virtio-blk at %02x:%02x.%x, %lu sectors (%lu MiB), irq %u, queue %u%s\n",
          block_device_name(d->block), pci->where.bus, pci->where.device, pci->where.function,
          sectors, sectors * BLOCK_SECTOR_SIZE >> 20, pci->irq_line, d->queue.size,
          d->read_only ? ", read-only" : "");
    return true;
}

void virtio_blk_init(void)
{
    const struct pci_device *pci;
    for (unsigned i = 0; (pci = pci_find(VIRTIO_VENDOR, VIRTIO_BLK_DEVICE, i)) != NULL; i++) {
        if (disk_count == VIRTIO_BLK_MAX_DEVICES) {
            kprintf("virtio-blk: more than %d disks; the others are not used\n",
                    VIRTIO_BLK_MAX_DEVICES);
            return;
        }
        setup_disk(pci);
    }
}
