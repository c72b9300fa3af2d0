/*
 * tty.c — the line discipline: echo, editing, and handing out whole lines.
 */
#include "tty.h"

#include "console.h"
#include "cpu.h"
#include "errno.h"
#include "irq.h"
#include "keyboard.h"
#include "printk.h"
#include "proc.h"
#include "sched.h"
#include "serial.h"
#include "x86.h"

#define LINE_MAX  256
#define CTRL_D    4
#define BACKSPACE '\b'
#define DELETE    0x7f

static char line[LINE_MAX]; /* the line being typed */
static size_t line_length;
static char ready[LINE_MAX]; /* finished input waiting for read() */
static size_t ready_length, ready_start;
static bool end_of_input; /* Ctrl-D on an empty line */
static bool user_output_on_com2;

static void echo(const char *s, size_t n)
{
    if (user_output_on_com2)
        serial2_write(s, n);
    else
        console_write(s, n);
}

/* The line is complete: move it where read() finds it and wake readers. */
static void finish_line(bool with_newline)
{
    if (ready_start == ready_length)
        ready_start = ready_length = 0;
    for (size_t i = 0; i < line_length && ready_length < LINE_MAX; i++)
        ready[ready_length++] = line[i];
    if (with_newline && ready_length < LINE_MAX)
        ready[ready_length++] = '\n';
    if (line_length == 0 && !with_newline)
        end_of_input = true;
    line_length = 0;
    wakeup(&ready_length);
}

void tty_input(char c)
{
    if (c == '\r')
        c = '\n';
    if (c == '\n') {
        echo("\n", 1);
        finish_line(true);
    } else if (c == CTRL_D) {
        finish_line(false);
    } else if (c == BACKSPACE || c == DELETE) {
        if (line_length > 0) {
            line_length--;
            echo("\b \b", 3);
        }
    } else if (line_length < LINE_MAX - 1 && (c >= ' ' || c == '\t')) {
        line[line_length++] = c;
        echo(&c, 1);
    }
}

static void serial_interrupt(struct trap_frame *frame)
{
    (void)frame;
    char c;
    while (serial_read_byte(&c))
        tty_input(c);
}

void tty_init(bool separate_user_output)
{
    user_output_on_com2 = separate_user_output;
    if (separate_user_output)
        serial2_init();
    serial_enable_receive_interrupt();
    irq_register(IRQ_COM1, serial_interrupt);
    keyboard_init();
    kprintf("Console: line input from COM1 and the keyboard\n"); /* tests wait for this */
}

void tty_write(const char *bytes, size_t n)
{
    uint64_t flags = irq_save(); /* no echo in the middle of a write */
    if (user_output_on_com2)
        serial2_write(bytes, n);
    else
        console_write(bytes, n);
    irq_restore(flags);
}

long tty_read(char *buf, size_t n)
{
    struct proc *self = current_proc();
    cli();
    while (ready_start == ready_length && !end_of_input) {
        if (self->pending_signals & ~self->blocked_signals)
            return -EINTR;
        sleep_on(&ready_length);
    }
    size_t count = 0;
    while (count < n && ready_start < ready_length) {
        char c = ready[ready_start++];
        buf[count++] = c;
        if (c == '\n')
            break; /* one line per read, like a terminal */
    }
    if (count == 0)
        end_of_input = false; /* the end of input is reported once */
    sti();
    return (long)count;
}
