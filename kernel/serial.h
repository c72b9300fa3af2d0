/*
 * serial.h — the COM1 serial port, the kernel's primary console.
 *
 * Under QEMU, COM1 is connected to the terminal (`make run`) or to a file (tests),
 * so everything printed here is what you see without a graphical window.
 */
#ifndef KERNEL_SERIAL_H
#define KERNEL_SERIAL_H

#include <stddef.h>

void serial_init(void);                            /* 115200 baud, 8N1, no interrupts */
void serial_write(const char *bytes, size_t n);    /* "\n" goes out as "\r\n" */

#endif
