/*
 * acpi_pm.c — finding ACPI's PM1a control register for power_off (acpi_pm.h).
 *
 * The firmware puts the I/O base of the power-management registers in PCI register
 * 0x40 of the chipset's power-management function (PMBASE: PIIX4's ACPI function on
 * QEMU's default "pc" machine, ICH9's LPC bridge on "q35"); PM1a_CNT is 4 past it.
 * A full ACPI driver would read this from the FADT table; the chipset register is
 * the same number, found with what the kernel already has (kernel/dev/pci.c).
 */
#include "acpi_pm.h"

#include <stddef.h>

#include "kernel/power.h"
#include "pci.h"

#define PMBASE_REGISTER 0x40
#define PMBASE_MASK     0xffc0 /* bits 15:6: the base; bit 0 says I/O space */
#define PM1A_CNT_OFFSET 4

static const struct {
    uint16_t vendor, device;
} pm_functions[] = { { 0x8086, 0x7113 } /* PIIX4 ACPI */, { 0x8086, 0x2918 } /* ICH9 LPC */ };

void acpi_pm_init(void)
{
    for (unsigned i = 0; i < sizeof pm_functions / sizeof pm_functions[0]; i++) {
        const struct pci_device *d = pci_find(pm_functions[i].vendor, pm_functions[i].device, 0);
        uint16_t base = d != NULL ? pci_read16(d->where, PMBASE_REGISTER) & PMBASE_MASK : 0;
        if (base != 0) {
            power_set_acpi_control(base + PM1A_CNT_OFFSET);
            return;
        }
    }
}
