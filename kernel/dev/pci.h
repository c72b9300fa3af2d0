/*
 * pci.h — PCI configuration space, through the legacy ports 0xCF8/0xCFC.
 *
 * Every PCI function has 256 bytes of configuration registers: who made it
 * (vendor and device ids), what it is (class), where its registers lie (the base
 * address registers, BARs: a range of I/O ports or of physical memory) and which
 * interrupt line it raises. The CPU reaches them by writing an address (bus,
 * device, function, register) to CONFIG_ADDRESS (0xCF8) and then reading or
 * writing CONFIG_DATA (0xCFC), 32 bits at a time.
 *
 * pci_init walks every bus/device/function once at boot, records what it finds
 * and prints a line per function; drivers then look their device up with pci_find.
 */
#ifndef KERNEL_DEV_PCI_H
#define KERNEL_DEV_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/addr.h"

/* Where a function sits: its configuration-space address. */
struct pci_function {
    uint8_t bus, device, function;
};

/* Registers of the type-0 header (an ordinary device, not a bridge). */
#define PCI_VENDOR_ID      0x00 /* 16 bits; 0xffff: no function here */
#define PCI_DEVICE_ID      0x02
#define PCI_COMMAND        0x04 /* 16 bits: what the function may do (below) */
#define PCI_REVISION_CLASS 0x08 /* revision, programming interface, subclass, class */
#define PCI_HEADER         0x0e /* bits 6..0 header type; bit 7: functions 1..7 exist */
#define PCI_BAR0           0x10 /* the base address registers, 4 bytes each */
#define PCI_INTERRUPT      0x3c /* byte 0 line (the PIC input), byte 1 pin (1 = INTA#) */
#define PCI_BAR_COUNT      6
#define PCI_NO_VENDOR      0xffff

#define PCI_COMMAND_IO           (1u << 0) /* answer to accesses of its I/O BARs */
#define PCI_COMMAND_MEMORY       (1u << 1) /* ... of its memory BARs */
#define PCI_COMMAND_BUS_MASTER   (1u << 2) /* may itself read and write RAM (DMA) */
#define PCI_COMMAND_INTX_DISABLE (1u << 10)

#define PCI_NO_IRQ 0xff /* interrupt line value: not connected */

struct pci_bar {
    uint64_t base; /* a port number (I/O) or a physical address (memory); 0: unused */
    uint64_t size; /* bytes (or ports) it decodes, from the write-ones probe */
    bool is_io;
    bool is_64bit; /* a memory BAR that takes this slot and the next */
    bool prefetchable;
};

/* One function found at boot. */
struct pci_device {
    struct pci_function where;
    uint16_t vendor, device;
    uint8_t class_code, subclass, prog_if, header_type;
    uint8_t irq_line; /* the legacy PIC input the firmware routed INTx to, or PCI_NO_IRQ */
    uint8_t irq_pin;  /* 0 none, 1..4 INTA#..INTD# */
    struct pci_bar bar[PCI_BAR_COUNT];
};

/* The 32-bit register at offset (a multiple of 4) of a function. */
uint32_t pci_read32(struct pci_function f, uint8_t offset);
void pci_write32(struct pci_function f, uint8_t offset, uint32_t value);

/* The 16-bit register at offset (even); the write keeps the other half. */
uint16_t pci_read16(struct pci_function f, uint8_t offset);
void pci_write16(struct pci_function f, uint8_t offset, uint16_t value);

/* Walk every bus, device and function; record each one present (vendor, class,
 * BARs with sizes, interrupt) and print a line for it. Called once at boot. */
void pci_init(void);

/* The index-th function (0 first, in bus/device/function order) with these ids,
 * or NULL. */
const struct pci_device *pci_find(uint16_t vendor, uint16_t device, unsigned index);

/* The number of functions found, and the i-th of them (i < pci_device_count()). */
unsigned pci_device_count(void);
const struct pci_device *pci_device_at(unsigned i);

/* Turn on the command bits given (PCI_COMMAND_IO, _MEMORY, _BUS_MASTER) and make
 * sure legacy INTx interrupts are not disabled. */
void pci_enable(const struct pci_device *dev, uint16_t command_bits);

/* The physical address a memory BAR (0..5) decodes; 0 if it is an I/O BAR or unset. */
paddr_t pci_bar_address(struct pci_function f, unsigned bar);

#endif
