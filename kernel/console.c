/*
 * console.c — fans kernel output out to every console.
 *
 * Interrupts are disabled while one write is in progress so that a message from
 * an interrupt handler cannot land in the middle of another line.
 */
#include "console.h"

#include "serial.h"
#include "vga.h"
#include "x86.h"

void console_init(void)
{
    serial_init();
    vga_init();
}

void console_write(const char *bytes, size_t n)
{
    uint64_t flags = irq_save();
    serial_write(bytes, n);
    vga_write(bytes, n);
    irq_restore(flags);
}

void console_write_raw(const char *bytes, size_t n)
{
    uint64_t flags = irq_save();
    serial_write_raw(bytes, n);
    vga_write(bytes, n);
    irq_restore(flags);
}
