/*
 * altstack.c — sigaltstack: its rules (SS_DISABLE, MINSIGSTKSZ, EPERM while on it,
 * EFAULT), SA_ONSTACK handlers running on it (SS_ONSTACK inside, a local's address
 * in it), and the reason it exists: a stack overflow's SIGSEGV handled on it.
 */
#include "signals.h"

static char *alt_base;
static size_t alt_size;
static volatile int on_alt, flags_inside, nested_change;
static volatile int runs;

static void where_am_i(int sig)
{
    (void)sig;
    char local;
    runs++;
    on_alt = &local >= alt_base && &local < alt_base + alt_size;
    stack_t now;
    sigaltstack(NULL, &now);
    flags_inside = now.ss_flags;
    /* changing it while on it is refused */
    stack_t other = { .ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0 };
    nested_change = sigaltstack(&other, NULL) == 0 ? 0 : errno;
}

/* sigaltstack itself: musl's wrapper checks the size and flags before the kernel does
 * (and reads through a bad pointer), and the kernel's rules are what is tested here. */
static long raw_sigaltstack(const void *ss, void *old)
{
    return syscall(SYS_sigaltstack, ss, old);
}

static const char *flags_name(int flags)
{
    switch (flags) {
    case 0: return "0";
    case SS_ONSTACK: return "SS_ONSTACK";
    case SS_DISABLE: return "SS_DISABLE";
    default: return "other";
    }
}

static void show_stack(const char *what)
{
    stack_t now;
    memset(&now, 0x55, sizeof now);
    int r = raw_sigaltstack(NULL, &now);
    printf("%s: %d, flags %s, size %zu, sp == my stack: %s, sp NULL: %s\n", what, r,
           flags_name(now.ss_flags), now.ss_size, yes(now.ss_sp == alt_base),
           yes(now.ss_sp == NULL));
}

/* What sigaltstack accepts and refuses. */
void altstack_rules(void)
{
    alt_size = 4 * SIGSTKSZ;
    alt_base = mmap(NULL, alt_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show_stack("at start");
    stack_t ss = { .ss_sp = alt_base, .ss_size = MINSIGSTKSZ - 1, .ss_flags = 0 };
    show("size MINSIGSTKSZ - 1", raw_sigaltstack(&ss, NULL));
    ss.ss_size = 0;
    show("size 0", raw_sigaltstack(&ss, NULL));
    ss.ss_size = alt_size;
    ss.ss_flags = 0x1234;
    show("flags 0x1234", raw_sigaltstack(&ss, NULL));
    ss.ss_flags = SS_DISABLE | SS_ONSTACK;
    show("flags SS_DISABLE|SS_ONSTACK", raw_sigaltstack(&ss, NULL));
    show_stack("after the refusals");
    ss.ss_flags = 0;
    ss.ss_size = MINSIGSTKSZ;
    show("size MINSIGSTKSZ", raw_sigaltstack(&ss, NULL));
    ss.ss_size = alt_size;
    show("size 4 * SIGSTKSZ", raw_sigaltstack(&ss, NULL));
    show_stack("set");
    ss.ss_flags = SS_ONSTACK;
    show("flags SS_ONSTACK (taken as 0)", raw_sigaltstack(&ss, NULL));
    show_stack("set again");
    stack_t old;
    ss.ss_flags = SS_DISABLE;
    ss.ss_size = 1; /* ignored with SS_DISABLE */
    show("SS_DISABLE with size 1", raw_sigaltstack(&ss, &old));
    printf("old: flags %s, size %zu\n", flags_name(old.ss_flags), old.ss_size);
    show_stack("disabled");
    show("ss = 8", raw_sigaltstack((void *)8, NULL));
    show("old = 8", raw_sigaltstack(NULL, (void *)8));
    show("old read-only", raw_sigaltstack(NULL, (void *)altstack_rules));
    show_stack("after EFAULTs");
    ss.ss_flags = 0;
    ss.ss_size = alt_size;
    ss.ss_sp = (void *)0x1000; /* never checked: any address is accepted */
    show("sp unmapped", raw_sigaltstack(&ss, NULL));
    ss.ss_sp = alt_base;
    raw_sigaltstack(&ss, NULL);
    /* kept across fork */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        show_stack("child after fork");
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
}

/* SA_ONSTACK handlers run on it; others do not; SS_DISABLE turns it off. */
void altstack_delivery(void)
{
    alt_size = 4 * SIGSTKSZ;
    alt_base = mmap(NULL, alt_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    stack_t ss = { .ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    catch_plain(SIGUSR1, where_am_i, SA_ONSTACK);
    catch_plain(SIGUSR2, where_am_i, 0);
    raise(SIGUSR1);
    printf("SA_ONSTACK handler: ran %d, on the alternate stack %s, ss_flags inside %s, change "
           "inside: %s\n",
           runs, yes(on_alt), flags_name(flags_inside), errno_name(nested_change));
    raise(SIGUSR2);
    printf("handler without SA_ONSTACK: on the alternate stack %s, ss_flags inside %s\n",
           yes(on_alt), flags_name(flags_inside));
    stack_t after;
    sigaltstack(NULL, &after);
    printf("after the handlers: flags %s\n", flags_name(after.ss_flags));
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    raise(SIGUSR1);
    printf("SA_ONSTACK with the stack disabled: on the alternate stack %s, flags inside %s\n",
           yes(on_alt), flags_name(flags_inside));
    /* the frame is below the top of the alternate stack: the handler's stack pointer
     * is 16-byte aligned minus 8, as after a call */
    ss.ss_flags = 0;
    sigaltstack(&ss, NULL);
    raise(SIGUSR1);
    printf("again enabled: on the alternate stack %s\n", yes(on_alt));
}

static sigjmp_buf out;
static volatile int overflow_runs, overflow_on_alt, overflow_code;

static void overflow_handler(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)context;
    char local;
    overflow_runs++;
    overflow_on_alt = &local >= alt_base && &local < alt_base + alt_size;
    overflow_code = info->si_code;
    siglongjmp(out, 1);
}

/* Each level touches a 4 KiB frame, so 8 MiB of stack runs out after ~2000 levels. */
static int recurse(int level)
{
    volatile char frame[4000];
    if (level > 100000) /* never: 400 MB of stack */
        return 0;
    frame[0] = (char)level;
    frame[3999] = (char)level;
    return recurse(level + 1) + frame[0] + frame[3999];
}

/* A stack overflow's SIGSEGV cannot run on the stack that overflowed: on the
 * alternate stack it can, and siglongjmp back to main's frame. */
void stack_overflow(void)
{
    alt_size = 4 * SIGSTKSZ;
    alt_base = mmap(NULL, alt_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    stack_t ss = { .ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    catch_with(SIGSEGV, overflow_handler, SA_ONSTACK);
    if (sigsetjmp(out, 1) == 0)
        recurse(0);
    printf("stack overflow: handler ran %d, on the alternate stack %s, si_code %s\n", overflow_runs,
           yes(overflow_on_alt), code_name(SIGSEGV, overflow_code));
    /* again: the grown stack stays, the overflow happens again at the limit */
    if (sigsetjmp(out, 1) == 0)
        recurse(0);
    printf("second overflow: handler ran %d times in all\n", overflow_runs);
    /* without an alternate stack the handler cannot be called: the kernel kills */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        ss.ss_flags = SS_DISABLE;
        sigaltstack(&ss, NULL);
        if (sigsetjmp(out, 1) == 0)
            recurse(0);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    show_wait("overflow with a handler but no alternate stack", status);
}

static volatile int nested_flags = -1, outer_flags = -1, autodisarm_inside = -1;

static void inner(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)info;
    nested_flags = ((ucontext_t *)context)->uc_stack.ss_flags;
}

static void outer(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)info;
    outer_flags = ((ucontext_t *)context)->uc_stack.ss_flags;
    raise(SIGUSR2); /* delivered here, on the alternate stack already */
}

static void leave(int sig)
{
    (void)sig;
    siglongjmp(out, 1);
}

static void disarmed(int sig)
{
    (void)sig;
    stack_t now;
    sigaltstack(NULL, &now);
    autodisarm_inside = now.ss_flags;
}

static void show_uc_stack_edit(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)info;
    ucontext_t *uc = context;
    uc->uc_stack.ss_size = alt_size / 2; /* rt_sigreturn installs what the frame says */
}

/* uc_stack as the handler sees it, a signal arriving on the alternate stack,
 * leaving it by siglongjmp, SS_AUTODISARM, and editing uc_stack. */
void altstack_nesting(void)
{
    alt_size = 4 * SIGSTKSZ;
    alt_base = mmap(NULL, alt_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    stack_t ss = { .ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    catch_with(SIGUSR1, outer, SA_ONSTACK);
    catch_with(SIGUSR2, inner, SA_ONSTACK);
    raise(SIGUSR1);
    printf("uc_stack.ss_flags: from the main stack %s, nested on the alternate stack %s\n",
           flags_name(outer_flags), flags_name(nested_flags));

    catch_plain(SIGUSR1, leave, SA_ONSTACK);
    if (sigsetjmp(out, 1) == 0)
        raise(SIGUSR1);
    stack_t now;
    sigaltstack(NULL, &now);
    printf("after siglongjmp out of it: flags %s, may be changed: %s\n", flags_name(now.ss_flags),
           yes(sigaltstack(&ss, NULL) == 0));

    ss.ss_flags = SS_AUTODISARM;
    show("SS_AUTODISARM", sigaltstack(&ss, NULL));
    catch_plain(SIGUSR1, disarmed, SA_ONSTACK);
    raise(SIGUSR1);
    sigaltstack(NULL, &now);
    printf("with SS_AUTODISARM: inside %s, after: flags %s, size kept %s\n",
           flags_name(autodisarm_inside),
           now.ss_flags == (int)SS_AUTODISARM ? "SS_AUTODISARM" : flags_name(now.ss_flags),
           yes(now.ss_size == alt_size));

    ss.ss_flags = 0;
    sigaltstack(&ss, NULL);
    catch_with(SIGUSR1, show_uc_stack_edit, 0);
    raise(SIGUSR1);
    sigaltstack(NULL, &now);
    printf("a handler halved uc_stack.ss_size: size now half %s\n",
           yes(now.ss_size == alt_size / 2));
}
