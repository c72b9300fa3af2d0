/*
 * faults.c — exceptions become signals: SIGSEGV (SEGV_MAPERR, SEGV_ACCERR, a #GP),
 * SIGBUS past a file's end, SIGFPE, SIGILL, SIGTRAP, with si_addr and the ucontext
 * (rip, trap number, error code, cr2) as Linux's sigcontext has them. A handler that
 * fixes the cause (mprotect) returns and the store runs again; one that moves rip
 * past the instruction skips it; one that siglongjmps leaves with the mask restored.
 */
#include "signals.h"

/* Each probe is one instruction that may fault, with a label on it and one after. */
__asm__(".text\n"
        ".globl probe_load, probe_load_at, probe_load_end\n"
        "probe_load:\nprobe_load_at:\n movb (%rdi), %al\nprobe_load_end:\n ret\n"
        ".globl probe_store, probe_store_at, probe_store_end\n"
        "probe_store:\nprobe_store_at:\n movb $1, (%rdi)\nprobe_store_end:\n ret\n"
        ".globl probe_ud2, probe_ud2_at, probe_ud2_end\n"
        "probe_ud2:\nprobe_ud2_at:\n ud2\nprobe_ud2_end:\n ret\n"
        ".globl probe_int3, probe_int3_at, probe_int3_end\n"
        "probe_int3:\nprobe_int3_at:\n int3\nprobe_int3_end:\n ret\n"
        ".globl probe_divide, probe_divide_at, probe_divide_end\n"
        "probe_divide:\n mov %rdi, %rax\n cqo\nprobe_divide_at:\n idivq %rsi\nprobe_divide_end:\n "
        "ret\n");

/* What the last handler saw. */
static volatile int faults;
static siginfo_t seen;
static greg_t seen_rip, seen_trapno, seen_err, seen_cr2;
static void *skip_to;  /* where a skipping handler sends rip (NULL: return as is) */
static void *fix_page; /* a page a fixing handler makes writable (NULL: none) */

static void on_fault(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    ucontext_t *uc = context;
    faults++;
    seen = *info;
    seen_rip = uc->uc_mcontext.gregs[REG_RIP];
    seen_trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
    seen_err = uc->uc_mcontext.gregs[REG_ERR];
    seen_cr2 = uc->uc_mcontext.gregs[REG_CR2];
    if (fix_page)
        mprotect(fix_page, PAGE, PROT_READ | PROT_WRITE);
    else if (skip_to)
        uc->uc_mcontext.gregs[REG_RIP] = (greg_t)skip_to;
}

static void catch_faults(void)
{
    int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP };
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        catch_with(sigs[i], on_fault, 0);
}

/* Print what one faulting probe delivered; the handler skipped the instruction. */
static void report(const char *what, void *address, char *at)
{
    printf(
        "%s: %d fault, %s %s, si_addr == %s: %s, rip == the instruction: %s, trapno %ld, err %ld",
        what, faults, signal_name(seen.si_signo), code_name(seen.si_signo, seen.si_code),
        address ? "the address" : "0", yes(seen.si_addr == address), yes(seen_rip == (greg_t)at),
        (long)seen_trapno, (long)seen_err);
    if (seen_trapno == 14)
        printf(", cr2 == si_addr: %s", yes(seen_cr2 == (greg_t)seen.si_addr));
    printf("\n");
    faults = 0;
}

static void load_at(const char *what, void *address)
{
    skip_to = probe_load_end;
    probe_load(address);
    report(what, address, probe_load_at);
}

static void store_at(const char *what, void *address)
{
    skip_to = probe_store_end;
    probe_store(address);
    report(what, address, probe_store_at);
}

/* Jump into ADDRESS; the handler returns to the probe_load_end's ret, which goes back here. */
static void execute_at(const char *what, void *address)
{
    skip_to = probe_load_end;
    __asm__ volatile("call *%0" ::"r"(address)
                     : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory");
    printf("%s: %d fault, %s %s, si_addr == the address: %s, rip == the address: %s, trapno %ld, "
           "err %ld\n",
           what, faults, signal_name(seen.si_signo), code_name(seen.si_signo, seen.si_code),
           yes(seen.si_addr == address), yes(seen_rip == (greg_t)address), (long)seen_trapno,
           (long)seen_err);
    faults = 0;
}

/* SEGV_MAPERR where nothing is mapped, SEGV_ACCERR where the mapping forbids it. */
void page_faults(void)
{
    catch_faults();
    char *p = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p + 2 * PAGE, PAGE);
    mprotect(p + PAGE, PAGE, PROT_NONE);
    load_at("load from an unmapped page", p + 2 * PAGE + 123);
    store_at("store to an unmapped page", p + 2 * PAGE + 5);
    load_at("load from NULL", NULL);
    store_at("store to a read-only page", p + 77);
    load_at("load from a PROT_NONE page", p + PAGE + 8);
    store_at("store to a PROT_NONE page", p + PAGE + 9);
    store_at("store to the program's text", (void *)page_faults);
    load_at("load from a kernel address", (void *)0xffffffff80001000ul);
    /* read first, so the page is present on both kernels (the shared zero page): the
     * error code's P bit then says "present, but not executable" */
    probe_load(p);
    execute_at("jump to a readable, not executable page", p);
    execute_at("jump to an unmapped page", p + 2 * PAGE);

    /* a non-canonical address is a #GP, not a page fault: no address is known */
    skip_to = probe_load_end;
    probe_load((void *)0x8000000000000000ul);
    printf("load from a non-canonical address: %d fault, %s %s, si_addr == 0: %s, rip == the "
           "instruction: %s, "
           "trapno %ld, err %ld\n",
           faults, signal_name(seen.si_signo), code_name(seen.si_signo, seen.si_code),
           yes(seen.si_addr == 0), yes(seen_rip == (greg_t)probe_load_at), (long)seen_trapno,
           (long)seen_err);
    faults = 0;

    /* SIGBUS: a one-page file mapped over two pages, touched in the second */
    char name[] = "/tmp/signals-bus-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0) {
        printf("mkstemp: %s\n", errno_name(errno));
        return;
    }
    unlink(name);
    char block[PAGE];
    memset(block, 'b', sizeof block);
    write(fd, block, sizeof block);
    char *f = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    faults = 0;
    probe_load(f + 10);
    printf("load from a file page inside the file: %d faults\n", faults);
    load_at("load past the file's end", f + PAGE + 16);
    store_at("store past the file's end", f + PAGE + 17);
    close(fd);
}

/* The other exceptions: #DE, #UD, #BP, with their si_code and rip. */
void other_exceptions(void)
{
    catch_faults();
    skip_to = probe_divide_end;
    probe_divide(7, 0);
    report("divide by zero", probe_divide_at, probe_divide_at);
    skip_to = probe_divide_end;
    probe_divide(INT64_MIN, -1);
    report("INT64_MIN / -1", probe_divide_at, probe_divide_at);
    skip_to = probe_ud2_end;
    probe_ud2();
    report("ud2", probe_ud2_at, probe_ud2_at);
    /* int3 is a trap: rip is already past it, and there is nothing to skip */
    skip_to = NULL;
    probe_int3();
    printf("int3: %d fault, %s %s, si_addr == 0: %s, rip after the int3: %s, trapno %ld, err %ld\n",
           faults, signal_name(seen.si_signo), code_name(seen.si_signo, seen.si_code),
           yes(seen.si_addr == 0), yes(seen_rip == (greg_t)probe_int3_end), (long)seen_trapno,
           (long)seen_err);
    faults = 0;
    /* a fault with no handler, blocked: it kills all the same (in a child) */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        catch_plain(SIGILL, SIG_DFL, 0);
        sigset_t ill;
        sigemptyset(&ill);
        sigaddset(&ill, SIGILL);
        sigprocmask(SIG_BLOCK, &ill, NULL);
        probe_ud2();
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    show_wait("ud2 with SIGILL blocked and no handler", status);
    /* a fault while its own signal is blocked with a handler: Linux kills with it */
    fflush(stdout);
    child = fork();
    if (child == 0) {
        sigset_t segv;
        sigemptyset(&segv);
        sigaddset(&segv, SIGSEGV);
        sigprocmask(SIG_BLOCK, &segv, NULL);
        probe_store(NULL);
        _exit(0);
    }
    waitpid(child, &status, 0);
    show_wait("store to NULL with SIGSEGV blocked (handler installed)", status);
    catch_plain(SIGSEGV, SIG_IGN, 0);
    fflush(stdout);
    child = fork();
    if (child == 0) {
        probe_store(NULL);
        _exit(0);
    }
    waitpid(child, &status, 0);
    show_wait("store to NULL with SIGSEGV ignored", status);
}

/* The handler fixes the cause and returns: the same store runs again and succeeds. */
void fixing_faults(void)
{
    catch_faults();
    char *p = mmap(NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    skip_to = NULL;
    for (int i = 0; i < 4; i++) {
        fix_page = p + i * PAGE;
        probe_store(p + i * PAGE + 100);
    }
    fix_page = NULL;
    printf("stores to 4 read-only pages made writable by the handler: %d faults, bytes stored "
           "%d%d%d%d\n",
           faults, p[100], p[PAGE + 100], p[2 * PAGE + 100], p[3 * PAGE + 100]);
    faults = 0;
    probe_store(p + 200);
    printf("a second store to a fixed page: %d faults\n", faults);
    printf("si_code of the last fix: %s, rip == the store: %s\n", code_name(SIGSEGV, seen.si_code),
           yes(seen_rip == (greg_t)probe_store_at));

    /* moving rip skips the instruction: the store never happens */
    mprotect(p, PAGE, PROT_READ);
    faults = 0;
    skip_to = probe_store_end;
    probe_store(p + 300);
    printf("rip moved past the store: %d fault, byte still %d\n", faults, p[300]);
}

static sigjmp_buf out;
static volatile int jumps;

static void jump_out(int sig)
{
    (void)sig;
    jumps++;
    siglongjmp(out, 1);
}

/* siglongjmp out of a handler: the signal's mask is undone with sigsetjmp(.., 1). */
void jumping_out(void)
{
    catch_plain(SIGSEGV, jump_out, 0);
    for (int i = 0; i < 3; i++) {
        if (sigsetjmp(out, 1) == 0)
            probe_store(NULL);
    }
    sigset_t now;
    sigprocmask(SIG_SETMASK, NULL, &now);
    printf("3 faults left by siglongjmp: %d jumps, SIGSEGV blocked after: %s\n", jumps,
           yes(sigismember(&now, SIGSEGV)));
    /* with sigsetjmp(.., 0) the mask stays as it was inside the handler */
    jumps = 0;
    if (sigsetjmp(out, 0) == 0)
        probe_store(NULL);
    sigprocmask(SIG_SETMASK, NULL, &now);
    printf("left with sigsetjmp(.., 0): %d jump, SIGSEGV blocked after: %s\n", jumps,
           yes(sigismember(&now, SIGSEGV)));
}

static volatile int nest_depth, nest_deepest;

static void fault_again(int sig)
{
    (void)sig;
    nest_depth++;
    if (nest_depth > nest_deepest)
        nest_deepest = nest_depth;
    if (nest_depth == 1)
        probe_store(NULL); /* a second fault inside the handler */
    nest_depth--;
    if (nest_depth == 0)
        siglongjmp(out, 1);
    siglongjmp(out, 2); /* the nested one leaves for both */
}

static volatile int deep_runs;

static void count_deep(int sig)
{
    (void)sig;
    deep_runs++;
}

/* A handler frame far below the stack's used part: writing it grows the stack. */
static void __attribute__((noinline)) raise_deep(void)
{
    volatile char big[1 << 20];
    big[0] = 1; /* the top of the 1 MiB array; the rest, below, is never touched */
    raise(SIGUSR1);
    big[1] = big[0];
}

/* A fault inside a handler: with the signal blocked (no SA_NODEFER) it kills; with
 * SA_NODEFER the handler runs again, nested. A signal whose frame must grow the
 * stack by a megabyte. */
void faults_in_handlers(void)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        catch_plain(SIGSEGV, fault_again, 0);
        if (sigsetjmp(out, 1) == 0)
            probe_store(NULL);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    show_wait("a fault inside its own handler (SIGSEGV blocked there)", status);
    catch_plain(SIGSEGV, fault_again, SA_NODEFER);
    nest_depth = nest_deepest = 0;
    int how = sigsetjmp(out, 1);
    if (how == 0)
        probe_store(NULL);
    printf("with SA_NODEFER: nested %d deep, left by siglongjmp %d\n", nest_deepest, how);

    catch_plain(SIGUSR1, count_deep, 0);
    raise_deep();
    printf("a signal 1 MiB below the used stack: handler ran %d\n", deep_runs);
}

static volatile int steps, step_code;

static void on_step(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    ucontext_t *uc = context;
    if (steps++ == 0)
        step_code = info->si_code;
    if (steps == 3)
        uc->uc_mcontext.gregs[REG_EFL] &= ~0x100l; /* TF off: stop stepping */
}

/* The trap flag, set by the program itself (popf): a SIGTRAP after each
 * instruction until the handler clears TF in the saved rflags. */
void single_step(void)
{
    catch_with(SIGTRAP, on_step, 0);
    __asm__ volatile("pushfq\n orq $0x100, (%%rsp)\n popfq\n nop\n nop\n nop\n nop\n nop\n"
                     "pushfq\n andq $~0x100, (%%rsp)\n popfq" ::
                         : "memory");
    printf("single steps: %d traps, si_code %s\n", steps,
           step_code == 2 ? "TRAP_TRACE" : code_name(SIGTRAP, step_code));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        catch_plain(SIGTRAP, SIG_DFL, 0);
        __asm__ volatile("pushfq\n orq $0x100, (%%rsp)\n popfq\n nop\n nop" ::: "memory");
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    show_wait("TF set with no handler", status);
}
