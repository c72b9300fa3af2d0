/*
 * tty.c — the line discipline: echo, editing, and handing out input, in the modes
 * a program chooses with termios.
 *
 *   canonical (ICANON, the default)   the kernel edits the line: typed characters
 *                                     are echoed and collected until Enter, and
 *                                     read() returns whole lines
 *   non-canonical (raw)               every byte is handed over as it arrives;
 *                                     VMIN and VTIME say when read() returns
 *
 * A shell with line editing (busybox's ash) switches to non-canonical mode with echo
 * off while it reads a command, draws the line itself, and switches back before it
 * runs the command, so the command sees an ordinary line-by-line terminal.
 */
#include "tty.h"

#include "clock.h"
#include "console.h"
#include "cpu.h"
#include "errno.h"
#include "irq.h"
#include "keyboard.h"
#include "mm/uaccess.h"
#include "pgrp.h"
#include "poll.h"
#include "printk.h"
#include "proc.h"
#include "sched.h"
#include "serial.h"
#include "signal_delivery.h"
#include "timer.h"
#include "x86.h"

#define LINE_MAX       256
#define INPUT_MAX      1024 /* bytes waiting for read(); more typed are dropped */
#define TCGETS         0x5401
#define TCSETS         0x5402 /* set now */
#define TCSETSW        0x5403 /* set once output has drained (ours never waits) */
#define TCSETSF        0x5404 /* the same, and throw away unread input */
#define TIOCGWINSZ     0x5413
#define TIOCSCTTY      0x540e /* job control (kernel/pgrp.h) */
#define TIOCGPGRP      0x540f
#define TIOCSPGRP      0x5410
#define TIOCNOTTY      0x5422
#define TIOCGSID       0x5429
#define CONSOLE_ROWS   25
#define CONSOLE_COLS   80
#define CTRL_C         3
#define CTRL_D         4
#define CTRL_U         0x15
#define CTRL_Z         0x1a
#define CTRL_BACKSLASH 0x1c
#define BACKSPACE      '\b'
#define DELETE         0x7f

/* Linux's struct termios as TCGETS and TCSETS pass it (the kernel's, 36 bytes: not
 * the C library's, which has speeds at the end), and the bits of it we honour. */
#define NCCS   19
#define VINTR  0 /* the c_cc[] slots: which key does what */
#define VQUIT  1
#define VERASE 2
#define VKILL  3
#define VEOF   4
#define VTIME  5
#define VMIN   6
#define VSUSP  10
#define INLCR  0000100 /* c_iflag: newline read as carriage return */
#define IGNCR  0000200 /*   carriage return ignored */
#define ICRNL  0000400 /*   carriage return read as newline */
#define OPOST  0000001 /* c_oflag: process output... */
#define ONLCR  0000004 /*   ...newline written as CR LF */
#define B38400 0000017 /* c_cflag */
#define CS8    0000060
#define CREAD  0000200
#define ISIG   0000001 /* c_lflag: Ctrl-C, Ctrl-\, Ctrl-Z are signal keys */
#define ICANON 0000002 /*   line by line */
#define ECHO   0000010 /*   typed characters are echoed */
#define ECHOE  0000020 /*   erase echoes as backspace, space, backspace */
#define ECHOK  0000040 /*   kill (Ctrl-U) erases the echoed line */
#define ECHONL 0000100 /*   newline echoed even without ECHO */

struct termios {
    uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
    uint8_t c_line;
    uint8_t c_cc[NCCS];
};

struct winsize {
    uint16_t rows, cols, xpixel, ypixel;
};

/* What the console starts as, and what TCGETS says until a program changes it:
 * carriage return read as newline; newline written as CR LF; line by line with echo
 * and visual erase; Delete (or Backspace) erases, Ctrl-U kills the line, Ctrl-D ends
 * input; Ctrl-C, Ctrl-\ and Ctrl-Z send SIGINT, SIGQUIT and SIGTSTP to the
 * foreground process group (ISIG). */
static struct termios settings = {
    .c_iflag = ICRNL,
    .c_oflag = OPOST | ONLCR,
    .c_cflag = B38400 | CS8 | CREAD,
    .c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK,
    .c_cc = { [VINTR] = CTRL_C,
              [VQUIT] = CTRL_BACKSLASH,
              [VERASE] = DELETE,
              [VKILL] = CTRL_U,
              [VEOF] = CTRL_D,
              [VTIME] = 0,
              [VMIN] = 1,
              [VSUSP] = CTRL_Z },
};

static char line[LINE_MAX]; /* canonical mode: the line being typed */
static size_t line_length;
static char ready[INPUT_MAX]; /* input waiting for read(): whole lines, or raw bytes */
static size_t ready_length, ready_start;
static bool end_of_input; /* Ctrl-D on an empty line */
static bool user_output_on_com2;

/* Job control: the session whose controlling terminal the console is, and which
 * of its process groups is in the foreground (0: none). kernel/pgrp.h. */
static int session, foreground;

static bool mode(uint32_t lflag_bit)
{
    return (settings.c_lflag & lflag_bit) != 0;
}

/* Bytes to the terminal, with the output processing c_oflag asks for. Tests' COM2
 * takes exact bytes, always (a file, no terminal). */
static void output(const char *s, size_t n)
{
    bool newline_to_crlf = (settings.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR);
    if (user_output_on_com2)
        serial2_write(s, n);
    else if (newline_to_crlf)
        console_write(s, n);
    else
        console_write_raw(s, n);
}

static void echo(const char *s, size_t n)
{
    if (mode(ECHO))
        output(s, n);
}

/* Append c to the input waiting for read(), making room by dropping what was
 * read already; a byte beyond INPUT_MAX unread ones is lost, as on Linux. */
static void ready_push(char c)
{
    if (ready_length == INPUT_MAX && ready_start > 0) {
        size_t unread = ready_length - ready_start;
        for (size_t i = 0; i < unread; i++)
            ready[i] = ready[ready_start + i];
        ready_start = 0, ready_length = unread;
    }
    if (ready_length < INPUT_MAX)
        ready[ready_length++] = c;
}

/* Forget all input: typed and unread (TCSETSF, a signal key). */
static void flush_input(void)
{
    line_length = ready_start = ready_length = 0;
    end_of_input = false;
}

/* The line is complete: move it where read() finds it and wake readers. */
static void finish_line(bool with_newline)
{
    for (size_t i = 0; i < line_length; i++)
        ready_push(line[i]);
    if (with_newline)
        ready_push('\n');
    if (line_length == 0 && !with_newline)
        end_of_input = true;
    line_length = 0;
    wakeup(&ready_length);
    poll_notify();
}

/* Erase the last typed character, on screen too (ECHOE). */
static void erase_one(void)
{
    if (line_length == 0)
        return;
    line_length--;
    if (mode(ECHOE))
        echo("\b \b", 3);
}

/* Canonical mode: the kernel edits the line; Enter or Ctrl-D hand it over. */
static void canonical_input(char c)
{
    if (c == '\n') {
        if (mode(ECHO) || mode(ECHONL))
            output("\n", 1);
        finish_line(true);
    } else if (c == (char)settings.c_cc[VEOF]) {
        finish_line(false);
    } else if (c == (char)settings.c_cc[VERASE] || c == BACKSPACE || c == DELETE) {
        erase_one();
    } else if (c == (char)settings.c_cc[VKILL]) {
        while (line_length > 0 && mode(ECHOK))
            erase_one();
        line_length = 0;
    } else if (line_length < LINE_MAX - 1 && ((unsigned char)c >= ' ' || c == '\t')) {
        line[line_length++] = c;
        echo(&c, 1);
    }
}

/* Non-canonical mode: every byte goes to the reader as it is. */
static void raw_input(char c)
{
    ready_push(c);
    echo(&c, 1);
    wakeup(&ready_length);
    poll_notify();
}

/* c is a signal key (ISIG): the signal it stands for, or 0. */
static int signal_key(char c)
{
    if (c == (char)settings.c_cc[VINTR])
        return SIGINT;
    if (c == (char)settings.c_cc[VQUIT])
        return SIGQUIT;
    if (c == (char)settings.c_cc[VSUSP])
        return SIGTSTP;
    return 0;
}

/* A signal key (ISIG), in an interrupt handler: as Linux's line discipline, echo
 * it as ^C (^\, ^Z), throw away the input not yet read, and send the signal to the
 * foreground process group, which decides what the key means (most programs die
 * of SIGINT). */
static void interrupt_key(char c, int sig)
{
    char shown[2] = { '^', (char)(c + '@') };
    echo(shown, sizeof shown);
    flush_input();
    if (foreground != 0)
        pgrp_signal(foreground, sig, NULL);
}

/* c_iflag's translations of carriage return and newline; -1 for a byte dropped. */
static int translate_input(char c)
{
    if (c == '\r' && (settings.c_iflag & IGNCR))
        return -1;
    if (c == '\r' && (settings.c_iflag & ICRNL))
        return '\n';
    if (c == '\n' && (settings.c_iflag & INLCR))
        return '\r';
    return (unsigned char)c;
}

void tty_input(char c)
{
    int translated = translate_input(c);
    if (translated < 0)
        return;
    c = (char)translated;
    if (mode(ISIG) && signal_key(c) != 0) {
        interrupt_key(c, signal_key(c));
        return;
    }
    if (mode(ICANON))
        canonical_input(c);
    else
        raw_input(c);
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
    output(bytes, n);
    irq_restore(flags);
}

bool tty_input_ready(void)
{
    return ready_start < ready_length || end_of_input;
}

/* Up to n waiting bytes into buf; canonical mode stops after a newline. */
static size_t take_input(char *buf, size_t n)
{
    size_t count = 0;
    while (count < n && ready_start < ready_length) {
        char c = ready[ready_start++];
        buf[count++] = c;
        if (c == '\n' && mode(ICANON))
            break; /* one line per read, like a terminal */
    }
    if (ready_start == ready_length)
        ready_start = ready_length = 0;
    return count;
}

/* Canonical read: sleep until a line (or Ctrl-D) is there. Interrupts are off. */
static long read_line(char *buf, size_t n)
{
    struct proc *self = current_proc();
    while (ready_start == ready_length && !end_of_input) {
        if (signal_pending(self))
            return -ERESTARTSYS; /* a handler runs: -EINTR, or read again (SA_RESTART) */
        sleep_on(&ready_length);
    }
    size_t count = take_input(buf, n);
    if (count == 0)
        end_of_input = false; /* the end of input is reported once */
    return (long)count;
}

#define NS_PER_DECISECOND 100000000ull

/* Sleep until input comes or the monotonic clock reaches deadline_ns (in timer
 * ticks; the TSC clock decides when the time is up, as nanosleep does). */
static void sleep_for_input_until(uint64_t deadline_ns)
{
    uint64_t now = clock_monotonic_ns();
    if (now >= deadline_ns)
        return;
    uint64_t ns_per_tick = 1000000000ull / TIMER_HZ;
    sleep_on_until(&ready_length,
                   timer_ticks() + (deadline_ns - now + ns_per_tick - 1) / ns_per_tick);
}

/* Non-canonical read, as POSIX defines VMIN and VTIME (Linux's n_tty):
 *   VMIN > 0, VTIME = 0   wait until VMIN bytes are there (or n, if fewer)
 *   VMIN = 0, VTIME = 0   return at once with what is there, maybe nothing
 *   VMIN = 0, VTIME > 0   wait at most VTIME tenths of a second for a first byte
 *   VMIN > 0, VTIME > 0   wait for a first byte; then until VMIN, or until VTIME
 *                         passes without a new byte (an inter-byte timer)
 * Returns every byte waiting, up to n. Interrupts are off. */
static long read_raw(char *buf, size_t n)
{
    struct proc *self = current_proc();
    size_t min = settings.c_cc[VMIN] < n ? settings.c_cc[VMIN] : n;
    uint64_t timeout = settings.c_cc[VTIME] * NS_PER_DECISECOND;
    bool timed = timeout > 0 && (min == 0 || ready_start < ready_length);
    uint64_t deadline = clock_monotonic_ns() + timeout;
    size_t wanted = min > 0 ? min : (timeout > 0 ? 1 : 0);
    while (ready_length - ready_start < wanted) {
        if (signal_pending(self)) /* what came so far, else as read_line */
            return ready_start < ready_length ? (long)take_input(buf, n) : -ERESTARTSYS;
        if (timed && clock_monotonic_ns() >= deadline)
            break;
        size_t before = ready_length - ready_start;
        if (timed)
            sleep_for_input_until(deadline);
        else
            sleep_on(&ready_length);
        if (timeout > 0 && ready_length - ready_start > before) {
            timed = true; /* a byte came: the inter-byte timer starts (again) */
            deadline = clock_monotonic_ns() + timeout;
        }
    }
    return (long)take_input(buf, n);
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
    cli();
    long refused = job_control_check(SIGTTIN);
    if (refused != 0) {
        sti();
        return refused;
    }
    long result = mode(ICANON) ? read_line(buf, n) : read_raw(buf, n);
    sti();
    return result;
}

/* TCSETS, TCSETSW, TCSETSF: the program's new settings. Leaving canonical mode hands
 * the half-typed line over as bytes; TCSETSF throws away unread input first. */
static long set_termios(vaddr_t arg, bool flush)
{
    struct termios t;
    if (copy_from_user(&t, arg, sizeof t) != 0)
        return -EFAULT;
    long refused = job_control_check(SIGTTOU); /* a background job may not */
    if (refused != 0)
        return refused;
    uint64_t flags = irq_save();
    if (flush)
        flush_input();
    if (mode(ICANON) && !(t.c_lflag & ICANON)) {
        for (size_t i = 0; i < line_length; i++)
            ready_push(line[i]);
        line_length = 0;
    }
    settings = t;
    wakeup(&ready_length); /* readers look again under the new rules */
    poll_notify();
    irq_restore(flags);
    return 0;
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
    case TCGETS: return copy_to_user(arg, &settings, sizeof settings) == 0 ? 0 : -EFAULT;
    case TCSETS:
    case TCSETSW: return set_termios(arg, false);
    case TCSETSF: return set_termios(arg, true);
    case TIOCGWINSZ: return copy_to_user(arg, &size, sizeof size) == 0 ? 0 : -EFAULT;
    case TIOCGPGRP: return put_id(arg, foreground);
    case TIOCSPGRP: return set_foreground(arg);
    case TIOCGSID: return put_id(arg, session);
    case TIOCSCTTY: return take_console(arg);
    case TIOCNOTTY: return give_up_console();
    default: return -ENOTTY;
    }
}
