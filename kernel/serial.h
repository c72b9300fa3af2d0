/*
 * serial.h — the COM1 serial port, the kernel's primary console.
 *
 * Under QEMU, COM1 is connected to the terminal (`make run`) or to a file (tests),
 * so everything printed here is what you see without a graphical window.
 */
#ifndef KERNEL_SERIAL_H
#define KERNEL_SERIAL_H

#include <stddef.h>

#include <stdbool.h>

#define COM1 0x3f8
#define COM2 0x2f8

void serial_init(void);                             /* COM1: 115200 baud, 8N1 */
void serial_write(const char *bytes, size_t n);     /* to COM1; "\n" goes out as "\r\n" */
void serial_write_raw(const char *bytes, size_t n); /* to COM1, exact bytes */

/* COM2, used by tests/run-elf to carry user programs' output apart from the
 * kernel's messages (kernel option userout=com2). Exact bytes: no "\r" added. */
void serial2_init(void);
void serial2_write(const char *bytes, size_t n);

/* Input: ask COM1 to interrupt (IRQ 4) on each received byte, and read them. */
void serial_enable_receive_interrupt(void);
bool serial_read_byte(char *c); /* false if nothing is waiting */

#endif
