/*
 * serial.c — a polled driver for the 16550 UART at COM1.
 *
 * Polled output: before each byte we wait until the transmit register is empty.
 * Simple and safe to call from anywhere, including a panic.
 */
#include "serial.h"

#include "x86.h"

/* UART registers, as offsets from the base port. */
#define UART_DATA 0 /* transmit / receive; divisor low byte when DLAB=1 */
#define UART_IER  1 /* interrupt enable; divisor high byte when DLAB=1 */
#define UART_FCR  2 /* FIFO control */
#define UART_LCR  3 /* line control */
#define UART_MCR  4 /* modem control */
#define UART_LSR  5 /* line status */

#define LCR_8N1          0x03
#define LCR_DLAB         0x80 /* the next two registers are the baud divisor */
#define FCR_ENABLE_CLEAR 0xc7 /* enable and clear FIFOs, 14-byte threshold */
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_TX_EMPTY     0x20
#define LSR_DATA_READY   0x01
#define IER_RECEIVED     0x01

#define BAUD_DIVISOR_115200 1 /* 115200 / 115200 */

static void init_port(uint16_t port)
{
    outb(port + UART_IER, 0);
    outb(port + UART_LCR, LCR_DLAB);
    outb(port + UART_DATA, BAUD_DIVISOR_115200);
    outb(port + UART_IER, 0);
    outb(port + UART_LCR, LCR_8N1);
    outb(port + UART_FCR, FCR_ENABLE_CLEAR);
    outb(port + UART_MCR, MCR_DTR_RTS_OUT2);
}

static void put_byte(uint16_t port, char c)
{
    while ((inb(port + UART_LSR) & LSR_TX_EMPTY) == 0)
        ;
    outb(port + UART_DATA, (uint8_t)c);
}

void serial_init(void)
{
    init_port(COM1);
}

void serial_write(const char *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (bytes[i] == '\n')
            put_byte(COM1, '\r'); /* terminals expect CR LF */
        put_byte(COM1, bytes[i]);
    }
}

void serial_write_raw(const char *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_byte(COM1, bytes[i]);
}

void serial2_init(void)
{
    init_port(COM2);
}

void serial2_write(const char *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_byte(COM2, bytes[i]);
}

void serial_enable_receive_interrupt(void)
{
    outb(COM1 + UART_IER, IER_RECEIVED);
}

bool serial_read_byte(char *c)
{
    if (!(inb(COM1 + UART_LSR) & LSR_DATA_READY))
        return false;
    *c = (char)inb(COM1 + UART_DATA);
    return true;
}
