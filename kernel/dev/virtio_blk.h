/*
 * virtio_blk.h — the virtio block device (QEMU `-drive file=...,if=virtio`).
 *
 * A request is a chain of descriptors: a header the device reads (type and first
 * sector), the data buffers (the device writes them for a read, reads them for a
 * write), and one status byte the device writes last (0 = OK).
 */
#ifndef KERNEL_DEV_VIRTIO_BLK_H
#define KERNEL_DEV_VIRTIO_BLK_H

/* Find every virtio-blk PCI function (after pci_init), set it up and register it
 * with the block layer as vda, vdb, ... in PCI order; one line per disk. A
 * device that cannot be set up is reported and skipped; none at all is fine. */
void virtio_blk_init(void);

#endif
