/*
 * power.c — leaving QEMU from inside the guest.
 */
#include "power.h"

#include <stddef.h>

#include "dev/pci.h"
#include "panic.h"
#include "printk.h"
#include "x86.h"

#define ISA_DEBUG_EXIT_PORT 0xf4   /* QEMU -device isa-debug-exit,iobase=0xf4 */
#define ACPI_SLP_EN_S5      0x2000 /* SLP_EN with QEMU's SLP_TYP for soft off (0) */

/* Where the ACPI power-management registers are: the firmware puts their I/O base
 * in the power-management function's PCI register 0x40 (PIIX4's PMBASE on QEMU's
 * default "pc" machine, ICH9's on "q35"). The control register PM1a_CNT is 4 past. */
#define PMBASE_REGISTER  0x40
#define PMBASE_MASK      0xffc0
#define PM1A_CNT_OFFSET  4
#define Q35_PM1A_CNT     0x604     /* where SeaBIOS puts it on q35, if no device is found */
#define ACPI_GRACE_SPINS 100000000 /* pause instructions: ample time under emulation */
static const struct {
    uint16_t vendor, device;
} pm_functions[] = { { 0x8086, 0x7113 } /* PIIX4 ACPI */, { 0x8086, 0x2918 } /* ICH9 LPC */ };

static uint16_t pm1a_control_port(void)
{
    for (unsigned i = 0; i < sizeof pm_functions / sizeof pm_functions[0]; i++) {
        const struct pci_device *d = pci_find(pm_functions[i].vendor, pm_functions[i].device, 0);
        uint16_t base = d != NULL ? pci_read16(d->where, PMBASE_REGISTER) & PMBASE_MASK : 0;
        if (base != 0)
            return base + PM1A_CNT_OFFSET;
    }
    return Q35_PM1A_CNT;
}

void power_off(enum exit_code code)
{
    kprintf("Powering off (status %d).\n", code);
    outl(ISA_DEBUG_EXIT_PORT, code);           /* the tests' QEMU exits here, with the status */
    outw(pm1a_control_port(), ACPI_SLP_EN_S5); /* make run's QEMU: an ACPI soft off */
    /* QEMU carries the soft off out a moment later, between two of its loops: give
     * it time before saying it did not happen. */
    for (unsigned long spin = 0; spin < ACPI_GRACE_SPINS; spin++)
        __asm__ volatile("pause");
    kprintf("power_off: no isa-debug-exit device and ACPI did not respond\n");
    halt_forever();
}
