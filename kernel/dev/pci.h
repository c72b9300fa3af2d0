/*
 * pci.h — PCI configuration space, through the legacy ports 0xCF8/0xCFC.
 *
 * Every PCI function has 256 bytes of configuration registers: who made it
 * (vendor and device ids), what it is (class), and where its memory and ports
 * lie (the base address registers, BARs). The CPU reaches them by writing an
 * address (bus, device, function, register) to CONFIG_ADDRESS (0xCF8) and
 * reading or writing CONFIG_DATA (0xCFC), 32 bits at a time.
 */
#ifndef KERNEL_DEV_PCI_H
#define KERNEL_DEV_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/addr.h"

struct pci_function {
    uint8_t bus, device, function;
};

#define PCI_VENDOR_ID 0x00 /* 16 bits; 0xffff: no function here */
#define PCI_DEVICE_ID 0x02
#define PCI_HEADER    0x0e /* bit 7: the device has functions 1..7 too */
#define PCI_BAR0      0x10 /* the base address registers, 4 bytes each */
#define PCI_BAR_COUNT 6
#define PCI_NO_VENDOR 0xffff

/* The 32-bit register at offset (a multiple of 4) of a function. */
uint32_t pci_read32(struct pci_function f, uint8_t offset);
void pci_write32(struct pci_function f, uint8_t offset, uint32_t value);

/* The 16-bit register at offset (even). */
uint16_t pci_read16(struct pci_function f, uint8_t offset);

/* The first function with these ids, scanning every bus; false if there is none. */
bool pci_find(uint16_t vendor, uint16_t device, struct pci_function *found);

/* The physical address a memory BAR (0..5) decodes; 0 if it is an I/O BAR or unset. */
paddr_t pci_bar_address(struct pci_function f, unsigned bar);

#endif
