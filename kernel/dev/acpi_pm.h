/*
 * acpi_pm.h — where the machine's ACPI power-management registers are.
 */
#ifndef KERNEL_DEV_ACPI_PM_H
#define KERNEL_DEV_ACPI_PM_H

/* Find the power-management function on the PCI bus (after pci_init) and tell
 * power.c where its PM1a control register is, so power_off can switch QEMU off
 * without isa-debug-exit (make run). Nothing if there is none. */
void acpi_pm_init(void);

#endif
