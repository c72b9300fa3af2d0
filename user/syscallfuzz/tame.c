/*
 * tame.c — arguments that keep a few calls harmless: memory calls that would hit
 * our own image or stack are sent elsewhere, signals only to ourselves, writes only
 * from unreadable memory, sleeps only invalid ones.
 */
#include "fuzz.h"
#include "user/lib/check.h"

static void tame_memory_call(struct call *c)
{
    long *args = c->args;
    switch (c->number) {
    case SYS_munmap:
    case SYS_mprotect:
    case SYS_pkey_mprotect: keep_off_ourselves(&args[0], &args[1]); break;
    case SYS_madvise:
        keep_off_ourselves(&args[0], &args[1]);
        if ((args[2] == MADV_POPULATE_READ || args[2] == MADV_POPULATE_WRITE) &&
            (unsigned long)args[1] > POPULATE_LIMIT)
            args[1] = (long)POPULATE_LIMIT;
        break;
    case SYS_mmap:
        if (args[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE))
            keep_off_ourselves(&args[0], &args[1]);
        if ((unsigned long)args[1] > POPULATE_LIMIT)
            args[3] &= ~(long)(MAP_POPULATE | MAP_LOCKED);
        if (!(args[3] & MAP_ANONYMOUS) && args[4] >= 0 && args[4] <= 2)
            args[4] = -1; /* a file we print on: never map it */
        break;
    case SYS_mremap:
        keep_off_ourselves(&args[0], &args[1]);
        if (args[3] & MREMAP_FIXED)
            keep_off_ourselves(&args[4], &args[2]);
        break;
    }
}

static void tame_signal_call(struct call *c)
{
    long *args = c->args;
    switch (c->number) {
    case SYS_kill: { /* only ourselves, or no process at all; never a deadly signal */
        static const long pids[] = { 0x7fff0000, -0x7fff0000 };
        static const long harmless[] = { 0, SIGCHLD, SIGURG, SIGWINCH, SIGCONT, 65, -1 };
        args[0] = random_below(2) ? sys_getpid() : PICK(pids);
        args[1] = PICK(harmless);
        break;
    }
    case SYS_rt_sigaction: { /* a handler would run at random on Linux: keep the default */
        if (random_below(2) == 0 || (unsigned long)args[1] < PAGE_SIZE) {
            args[1] = args[1] == 0 ? 0 : unreadable_pointer();
        } else {
            struct k_sigaction *action = (void *)scratch;
            action->handler = random_below(2) && args[0] != SIGCHLD ? SIG_IGN : SIG_DFL;
            args[1] = (long)action;
        }
        break;
    }
    }
}

void tame(struct call *c)
{
    long *args = c->args;
    tame_memory_call(c);
    tame_signal_call(c);
    switch (c->number) {
    case SYS_write: /* to the console, but from memory the kernel cannot read */
        if (is_our_file(args[0]))
            break; /* (a write to one of our files, from files.c, may go ahead) */
        __attribute__((fallthrough));
    case SYS_writev: /* (so vmlab and Linux both answer -EFAULT and print nothing) */
        args[0] = 1 + (long)random_below(2);
        args[1] = unreadable_pointer();
        break;
    case SYS_ioctl: /* TIOCGWINSZ, or a request no device knows */
        args[1] = random_below(2) ? TIOCGWINSZ : (long)(0xdead0000UL | random_below(0x10000));
        break;
    case SYS_nanosleep: /* an invalid time or an unreadable one: never a real sleep */
        if (random_below(2)) {
            struct timespec *request = (void *)scratch;
            request->tv_sec = (long)random_below(1000);
            request->tv_nsec = 1000000000L + (long)random_below(1000);
            args[0] = (long)request;
        } else {
            args[0] = unreadable_pointer();
        }
        break;
    case SYS_execve: { /* a path that names nothing, or cannot be read: it must fail */
        static const char nowhere[] = "/no/such/program";
        args[0] = random_below(2) ? (long)nowhere : unreadable_pointer();
        break;
    }
    }
}
