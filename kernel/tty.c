/*
 * tty.c — the line discipline: echo, editing, and handing out whole lines.
 */
#include "tty.h"

#include "console.h"
#include "cpu.h"
#include "errno.h"
#include "irq.h"
#include "keyboard.h"
#include "mm/uaccess.h"
#include "printk.h"
#include "proc.h"
#include "sched.h"
#include "serial.h"
#include "signal_delivery.h"
#include "x86.h"

#define LINE_MAX     256
#define TCGETS       0x5401
#define TIOCGWINSZ   0x5413
#define CONSOLE_ROWS 25
#define CONSOLE_COLS 80
#define CTRL_D       4
#define BACKSPACE    '\b'
#define DELETE       0x7f

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
        if (signal_pending(self))
            return -ERESTARTSYS; /* a handler runs: -EINTR, or read again (SA_RESTART) */
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

/* Linux's struct termios as TCGETS returns it (the kernel's, 36 bytes: not the C
 * library's, which has speeds at the end). The flags say what this discipline
 * does, no more: carriage return read as newline (ICRNL); newline written as
 * CR LF (OPOST, ONLCR); 8-bit characters at 38400 baud; line by line (ICANON)
 * with echo and visual erase (ECHO, ECHOE); Backspace/Delete erase, Ctrl-D ends
 * input. No signals from keys (no ISIG): Ctrl-C is not wired yet. */
#define NCCS   19
#define VERASE 2
#define VEOF   4
#define VTIME  5
#define VMIN   6
#define ICRNL  0000400
#define OPOST  0000001
#define ONLCR  0000004
#define B38400 0000017
#define CS8    0000060
#define CREAD  0000200
#define ICANON 0000002
#define ECHO   0000010
#define ECHOE  0000020

struct termios {
    uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
    uint8_t c_line;
    uint8_t c_cc[NCCS];
};

struct winsize {
    uint16_t rows, cols, xpixel, ypixel;
};

static long get_termios(vaddr_t arg)
{
    struct termios t = {
        .c_iflag = ICRNL,
        .c_oflag = OPOST | ONLCR,
        .c_cflag = B38400 | CS8 | CREAD,
        .c_lflag = ICANON | ECHO | ECHOE,
        .c_cc = { [VERASE] = DELETE, [VEOF] = CTRL_D, [VTIME] = 0, [VMIN] = 1 },
    };
    return copy_to_user(arg, &t, sizeof t) == 0 ? 0 : -EFAULT;
}

long tty_ioctl(uint32_t request, vaddr_t arg)
{
    struct winsize size = { CONSOLE_ROWS, CONSOLE_COLS, 0, 0 };
    switch (request) {
    case TCGETS: return get_termios(arg);
    case TIOCGWINSZ: return copy_to_user(arg, &size, sizeof size) == 0 ? 0 : -EFAULT;
    default: return -ENOTTY;
    }
}
