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
#include "pgrp.h"
#include "printk.h"
#include "proc.h"
#include "sched.h"
#include "serial.h"
#include "signal_delivery.h"
#include "x86.h"

#define LINE_MAX     256
#define TCGETS       0x5401
#define TIOCGWINSZ   0x5413
#define TIOCSCTTY    0x540e
#define TIOCGPGRP    0x540f
#define TIOCSPGRP    0x5410
#define TIOCNOTTY    0x5422
#define TIOCGSID     0x5429
#define CONSOLE_ROWS 25
#define CONSOLE_COLS 80
#define CTRL_D       4
#define CTRL_C       3    /* VINTR: SIGINT to the foreground group */
#define CTRL_BSLASH  0x1c /* VQUIT: SIGQUIT */
#define BACKSPACE    '\b'
#define DELETE       0x7f

static char line[LINE_MAX]; /* the line being typed */
static size_t line_length;
static char ready[LINE_MAX]; /* finished input waiting for read() */
static size_t ready_length, ready_start;
static bool end_of_input; /* Ctrl-D on an empty line */
static bool user_output_on_com2;

/* Job control: the session whose controlling terminal the console is, and which
 * of its process groups is in the foreground (0: none). kernel/pgrp.h. */
static int session, foreground;

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

/* ISIG: do Ctrl-C and Ctrl-\ raise signals? (Always, until termios can turn it off.) */
static bool keys_raise_signals(void)
{
    return true;
}

/* Ctrl-C or Ctrl-\ (in an interrupt handler): as Linux's line discipline does,
 * echo it as ^C, throw away the input not yet read, and signal the foreground
 * group, which decides what the key means (most programs die of it). */
static void interrupt_key(char c, int sig)
{
    char shown[2] = { '^', (char)(c + '@') };
    echo(shown, sizeof shown);
    line_length = 0;
    ready_start = ready_length = 0;
    if (foreground != 0)
        pgrp_signal(foreground, sig, NULL);
}

void tty_input(char c)
{
    if ((c == CTRL_C || c == CTRL_BSLASH) && keys_raise_signals()) {
        interrupt_key(c, c == CTRL_C ? SIGINT : SIGQUIT);
        return;
    }
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

/* Is the console p's controlling terminal (it is its session's)? */
static bool controls(const struct proc *p)
{
    return session != 0 && p->sid == session;
}

/* Linux's tty_check_change: may the caller read the console (sig SIGTTIN) or change
 * it (SIGTTOU)? Yes if it is not its terminal, or it is in the foreground group.
 * A background group is stopped by the signal (-ERESTARTSYS: the call runs again
 * once it is continued); if the caller ignores or blocks the signal, a change is
 * allowed and a read fails with -EIO, as it does in an orphaned group. */
static long job_control_check(int sig)
{
    struct proc *self = current_proc();
    if (!controls(self) || foreground == 0 || self->pgid == foreground)
        return 0;
    bool ignored =
        (self->blocked_signals & signal_bit(sig)) || self->actions[sig - 1].handler == SIG_IGN;
    if (ignored)
        return sig == SIGTTIN ? -EIO : 0;
    if (pgrp_orphaned(self->pgid))
        return -EIO;
    pgrp_signal(self->pgid, sig, NULL);
    return -ERESTARTSYS;
}

long tty_read(char *buf, size_t n)
{
    struct proc *self = current_proc();
    cli();
    long refused = job_control_check(SIGTTIN);
    if (refused != 0)
        return refused;
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
 * input; Ctrl-C and Ctrl-\ raise SIGINT and SIGQUIT (ISIG). */
#define NCCS   19
#define VINTR  0
#define VQUIT  1
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
#define ISIG   0000001
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
        .c_lflag = ISIG | ICANON | ECHO | ECHOE,
        .c_cc = { [VINTR] = CTRL_C,
                  [VQUIT] = CTRL_BSLASH,
                  [VERASE] = DELETE,
                  [VEOF] = CTRL_D,
                  [VTIME] = 0,
                  [VMIN] = 1 },
    };
    return copy_to_user(arg, &t, sizeof t) == 0 ? 0 : -EFAULT;
}

void tty_set_session(int sid, int pgid)
{
    session = sid;
    foreground = pgid;
}

int tty_session(void)
{
    return session;
}

int tty_foreground(void)
{
    return foreground;
}

/* An int for TIOCGPGRP and TIOCGSID, if the console is the caller's terminal. */
static long put_id(vaddr_t arg, int id)
{
    if (!controls(current_proc()) || id == 0)
        return -ENOTTY;
    return copy_to_user(arg, &id, sizeof id) == 0 ? 0 : -EFAULT;
}

/* TIOCSPGRP (tcsetpgrp): the foreground becomes group *arg of the caller's
 * session. A caller in the background is stopped first by SIGTTOU, unless it
 * ignores or blocks it, as shells do (job_control_check). */
static long set_foreground(vaddr_t arg)
{
    struct proc *self = current_proc();
    int pgid;
    if (!controls(self))
        return -ENOTTY;
    long refused = job_control_check(SIGTTOU);
    if (refused != 0)
        return refused;
    if (copy_from_user(&pgid, arg, sizeof pgid) != 0)
        return -EFAULT;
    if (pgid < 0)
        return -EINVAL;
    uint64_t flags = irq_save(); /* the keyboard's interrupt reads foreground */
    long result = 0;
    if (!pgrp_exists(pgid, 0))
        result = -ESRCH;
    else if (!pgrp_exists(pgid, self->sid))
        result = -EPERM;
    else
        foreground = pgid;
    irq_restore(flags);
    return result;
}

/* TIOCSCTTY: a session leader without a terminal takes the console. If another
 * session has it, only with arg 1 (steal), which needs CAP_SYS_ADMIN (root). */
static long take_console(uint64_t arg)
{
    struct proc *self = current_proc();
    if (self->sid == self->pid && session == self->sid)
        return 0; /* already its terminal */
    if (self->sid != self->pid)
        return -EPERM; /* not a session leader */
    if (session != 0 && pgrp_exists(session, 0) && arg != 1)
        return -EPERM;
    uint64_t flags = irq_save();
    tty_set_session(self->sid, self->pgid);
    irq_restore(flags);
    return 0;
}

/* TIOCNOTTY: give the terminal up; when the session leader does, the console
 * is hung up for the session (kernel/pgrp.h). */
static long give_up_console(void)
{
    struct proc *self = current_proc();
    if (!controls(self))
        return -ENOTTY;
    uint64_t flags = irq_save();
    pgrp_exit(self);
    irq_restore(flags);
    return 0;
}

long tty_ioctl(uint32_t request, vaddr_t arg)
{
    struct winsize size = { CONSOLE_ROWS, CONSOLE_COLS, 0, 0 };
    switch (request) {
    case TCGETS: return get_termios(arg);
    case TIOCGWINSZ: return copy_to_user(arg, &size, sizeof size) == 0 ? 0 : -EFAULT;
    case TIOCGPGRP: return put_id(arg, foreground);
    case TIOCSPGRP: return set_foreground(arg);
    case TIOCGSID: return put_id(arg, session);
    case TIOCSCTTY: return take_console(arg);
    case TIOCNOTTY: return give_up_console();
    default: return -ENOTTY;
    }
}
