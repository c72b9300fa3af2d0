/*
 * power.c — leaving QEMU from inside the guest.
 */
#include "power.h"

#include "panic.h"
#include "printk.h"
#include "x86.h"

#define ISA_DEBUG_EXIT_PORT 0xf4   /* QEMU -device isa-debug-exit,iobase=0xf4 */
#define ACPI_SLP_EN_S5      0x2000 /* SLP_EN with QEMU's SLP_TYP for soft off (0) */

/* Where the ACPI control register PM1a_CNT is: on QEMU's q35 machine SeaBIOS puts
 * it here; on the default "pc" machine kernel/dev/acpi_pm.c finds it through PCI
 * at boot and says so (power_set_acpi_control). */
#define Q35_PM1A_CNT     0x604
#define ACPI_GRACE_SPINS 100000000 /* pause instructions: ample time under emulation */

static uint16_t pm1a_control = Q35_PM1A_CNT;

void power_set_acpi_control(uint16_t port)
{
    pm1a_control = port;
}

void power_off(enum exit_code code)
{
    kprintf("Powering off (status %d).\n", code);
    outl(ISA_DEBUG_EXIT_PORT, code);    /* the tests' QEMU exits here, with the status */
    outw(pm1a_control, ACPI_SLP_EN_S5); /* make run's QEMU: an ACPI soft off */
    /* QEMU carries the soft off out a moment later, between two of its loops: give
     * it time before saying it did not happen. */
    for (unsigned long spin = 0; spin < ACPI_GRACE_SPINS; spin++)
        __asm__ volatile("pause");
    kprintf("power_off: no isa-debug-exit device and ACPI did not respond\n");
    halt_forever();
}
