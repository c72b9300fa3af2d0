/*
 * sigreturn.c — rt_sigreturn trusts nothing it reads: a child copies a real frame's
 * ucontext (taken in a handler), changes one field and calls rt_sigreturn on it
 * directly. A good copy returns to the rip it names; a kernel-half or non-canonical
 * rip, a null or out-of-range code segment, a bad fpstate pointer or an unreadable
 * frame kill only that child (SIGSEGV, as its wait status shows); rflags bits a
 * program may not set (IOPL, NT, VM, IF clear) are not taken.
 */
#include "signals.h"

static ucontext_t good;  /* a real frame's ucontext, copied in a handler */
static ucontext_t frame; /* what the child hands to rt_sigreturn */
static char landing_stack[16384] __attribute__((aligned(16)));

#define FLAG_IF   (1ul << 9)
#define FLAG_IOPL (3ul << 12)
#define FLAG_NT   (1ul << 14)
#define FLAG_VM   (1ul << 17)

/* A copy of the real frame's FPU image (the legacy 512-byte fxsave area). */
static unsigned char good_fpu[512] __attribute__((aligned(64)));
static unsigned char frame_fpu[4096] __attribute__((aligned(64)));
#define FXSAVE_XMM0 160 /* offset of xmm0 */
#define FXSAVE_SW   464 /* software-reserved bytes: Linux's xsave magic lives here */

static void keep_context(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)info;
    memcpy(&good, context, sizeof good);
    ucontext_t *uc = context;
    if (uc->uc_mcontext.fpregs)
        memcpy(good_fpu, uc->uc_mcontext.fpregs, sizeof good_fpu);
}

/* Where a frame with its own FPU image returns to: what is in xmm0 now? */
static void landed_with_xmm0(void)
{
    uint64_t low;
    __asm__ volatile("movq %%xmm0, %0" : "=r"(low));
    printf("landed: xmm0 from the frame's FPU image: %s\n", yes(low == 0x1122334455667788ul));
    fflush(stdout);
    _exit(0);
}

/* The FPU image: the real one, as legacy fxsave (no xsave magic), xmm0 changed. */
static void own_fpu(ucontext_t *uc)
{
    memcpy(frame_fpu, good_fpu, sizeof good_fpu);
    memset(frame_fpu + FXSAVE_SW, 0, 512 - FXSAVE_SW);
    uint64_t value = 0x1122334455667788ul;
    memcpy(frame_fpu + FXSAVE_XMM0, &value, sizeof value);
    uc->uc_mcontext.fpregs = (void *)frame_fpu;
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)landed_with_xmm0;
}

/* The FPU image straddles the end of the readable memory. */
static void fpu_at_the_edge(ucontext_t *uc)
{
    char *two = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(two + PAGE, PAGE);
    own_fpu(uc);
    memcpy(two + PAGE - 256, frame_fpu, 256);
    uc->uc_mcontext.fpregs = (void *)(two + PAGE - 256);
}

/* Where a good frame returns to: say what rflags holds now, and exit. */
static void landed(void)
{
    uint64_t flags;
    __asm__ volatile("pushfq\n popq %0" : "=r"(flags));
    printf("landed: IF set %s, IOPL 0 %s, NT clear %s, VM clear %s\n", yes(flags & FLAG_IF),
           yes(!(flags & FLAG_IOPL)), yes(!(flags & FLAG_NT)), yes(!(flags & FLAG_VM)));
    fflush(stdout);
    _exit(0);
}

/* rt_sigreturn with the stack pointer at UC (where the kernel looks for the frame). */
static void __attribute__((noreturn)) sigreturn_at(void *uc)
{
    __asm__ volatile("movq %0, %%rsp\n movl $15, %%eax\n syscall\n ud2" ::"r"(uc) : "memory");
    __builtin_unreachable();
}

typedef void change_fn(ucontext_t *uc);

/* A copy of the good frame that returns to landed() on a stack of its own. */
static void start_from_good(ucontext_t *uc)
{
    *uc = good;
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)landed;
    uc->uc_mcontext.gregs[REG_RSP] = (greg_t)(landing_stack + sizeof landing_stack - 8);
    uc->uc_mcontext.fpregs = NULL; /* no FPU image: the FPU starts afresh */
    sigemptyset(&uc->uc_sigmask);
}

static void run(const char *what, change_fn *change, void *at)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        catch_with(SIGILL, keep_context, 0);
        start_from_good(&frame);
        if (change)
            change(&frame);
        sigreturn_at(at ? at : &frame);
    }
    int status;
    waitpid(child, &status, 0);
    show_wait(what, status);
}

static void kernel_rip(ucontext_t *uc)
{
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)0xffffffff80100000ul;
}

static void noncanonical_rip(ucontext_t *uc)
{
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)0x0000800000000000ul;
}

static void noncanonical_rip_high(ucontext_t *uc)
{
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)0x8000000000401000ul;
}

/* A bad stack pointer, then ud2 with a SIGILL handler: the kernel cannot write the
 * handler's frame there, and kills with SIGSEGV (what the stack would do on hardware,
 * #SS or #GP, differs between CPUs and QEMU, so the stack is never used directly). */
static void noncanonical_rsp(ucontext_t *uc)
{
    uc->uc_mcontext.gregs[REG_RSP] = (greg_t)0x8000000000000000ul;
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)probe_ud2_at;
}

static void kernel_rsp(ucontext_t *uc)
{
    uc->uc_mcontext.gregs[REG_RSP] = (greg_t)0xffffffff80100000ul;
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)probe_ud2_at;
}

static void unmapped_rsp(ucontext_t *uc)
{
    uc->uc_mcontext.gregs[REG_RSP] = (greg_t)0x10000;
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)probe_ud2_at;
}

static void read_only_rsp(ucontext_t *uc)
{
    uc->uc_mcontext.gregs[REG_RSP] = (greg_t)((uintptr_t)bad_sigreturn & ~0xffful) + PAGE;
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)probe_ud2_at;
}

/* CS is the low 16 bits of REG_CSGSFS */
static void null_cs(ucontext_t *uc)
{
    uc->uc_mcontext.gregs[REG_CSGSFS] &= ~0xffffl;
}

static void cs_past_the_gdt(ucontext_t *uc)
{
    uc->uc_mcontext.gregs[REG_CSGSFS] = (uc->uc_mcontext.gregs[REG_CSGSFS] & ~0xffffl) | 0xfff8;
}

static void bad_fpstate(ucontext_t *uc)
{
    uc->uc_mcontext.fpregs = (void *)8;
}

static void kernel_fpstate(ucontext_t *uc)
{
    uc->uc_mcontext.fpregs = (void *)0xffff800000001000ul;
}

static void privileged_flags(ucontext_t *uc)
{
    greg_t flags = uc->uc_mcontext.gregs[REG_EFL];
    uc->uc_mcontext.gregs[REG_EFL] = (flags & ~(greg_t)FLAG_IF) | FLAG_IOPL | FLAG_NT | FLAG_VM;
}

static void blocked_segv(ucontext_t *uc)
{
    sigaddset(&uc->uc_sigmask, SIGSEGV);
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)0xffffffff80100000ul;
}

static void segv_after_bad_frame(int sig)
{
    (void)sig;
    printf("the SIGSEGV handler ran after the bad frame\n");
    fflush(stdout);
    _exit(5);
}

void bad_sigreturn(void)
{
    catch_with(SIGUSR1, keep_context, 0);
    raise(SIGUSR1);
    run("a copy of a good frame", NULL, NULL);
    run("rflags with IOPL 3, NT, VM, IF clear", privileged_flags, NULL);
    run("an FPU image of its own, xmm0 changed", own_fpu, NULL);
    run("an FPU image running off the end of memory", fpu_at_the_edge, NULL);
    run("rip in the kernel half", kernel_rip, NULL);
    run("rip just past the lower half (non-canonical)", noncanonical_rip, NULL);
    run("rip non-canonical, high bit set", noncanonical_rip_high, NULL);
    run("rsp non-canonical, then SIGILL handled", noncanonical_rsp, NULL);
    run("rsp in the kernel half, then SIGILL handled", kernel_rsp, NULL);
    run("rsp unmapped, then SIGILL handled", unmapped_rsp, NULL);
    run("rsp in the program's text, then SIGILL handled", read_only_rsp, NULL);
    run("cs null", null_cs, NULL);
    run("cs past the GDT", cs_past_the_gdt, NULL);
    run("fpstate pointer 8", bad_fpstate, NULL);
    run("fpstate pointer in the kernel", kernel_fpstate, NULL);
    run("rip in the kernel half with SIGSEGV blocked in the frame", blocked_segv, NULL);
    run("frame at an unmapped address", NULL, (void *)0x10000);
    run("frame at a kernel address", NULL, (void *)0xffff800000010000ul);
    run("frame at a non-canonical address", NULL, (void *)0x8000000000010000ul);
    /* a SIGSEGV handler installed: a frame that cannot be loaded (its FPU image is
     * unreadable, but the stack it names is fine) is a SIGSEGV it may handle */
    fflush(stdout);
    pid_t handled = fork();
    if (handled == 0) {
        start_from_good(&frame);
        bad_fpstate(&frame);
        catch_plain(SIGSEGV, segv_after_bad_frame, 0);
        sigreturn_at(&frame);
    }
    int handled_status;
    waitpid(handled, &handled_status, 0);
    show_wait("fpstate pointer 8, SIGSEGV handled", handled_status);
    /* a child that installed a SIGSEGV handler is killed all the same when the frame
     * is unreadable (the handler would need the same broken state) */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        catch_with(SIGSEGV, keep_context, 0);
        sigreturn_at((void *)0x10000);
    }
    int status;
    waitpid(child, &status, 0);
    show_wait("unmapped frame, SIGSEGV handled", status);
}
