/*
 * power.c — leaving QEMU from inside the guest.
 */
#include "power.h"

#include "panic.h"
#include "printk.h"
#include "x86.h"

#define ISA_DEBUG_EXIT_PORT 0xf4   /* QEMU -device isa-debug-exit,iobase=0xf4 */
#define QEMU_ACPI_PM1A_CNT  0x604  /* QEMU's PIIX4 / ICH9 ACPI power-management control */
#define ACPI_SLP_EN_S5      0x2000 /* SLP_TYP = S5 (soft off) with SLP_EN */

void power_off(enum exit_code code)
{
    kprintf("Powering off (status %d).\n", code);
    outl(ISA_DEBUG_EXIT_PORT, code);
    outw(QEMU_ACPI_PM1A_CNT, ACPI_SLP_EN_S5);
    kprintf("power_off: no isa-debug-exit device and ACPI did not respond\n");
    halt_forever();
}
