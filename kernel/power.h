/*
 * power.h — turning the (virtual) machine off.
 */
#ifndef KERNEL_POWER_H
#define KERNEL_POWER_H

#include <stdint.h>

/* Status codes reported to QEMU's isa-debug-exit device; the QEMU process then
 * exits with (code << 1) | 1, which is how tests/ learns how the run ended. */
enum exit_code {
    EXIT_SUCCESS_CODE = 0, /* QEMU exits with 1 */
    EXIT_TESTS_FAILED = 1, /* QEMU exits with 3 */
    EXIT_KERNEL_PANIC = 2, /* QEMU exits with 5 */
};

/* Power off: through isa-debug-exit when QEMU has it (the tests add it), else
 * through ACPI as on a real machine; halts if neither works. */
void power_off(enum exit_code code) __attribute__((noreturn));

/* The I/O port of ACPI's PM1a control register, where writing SLP_EN soft-offs
 * the machine (kernel/dev/acpi_pm.c finds it at boot). */
void power_set_acpi_control(uint16_t port);

#endif
