/*
 * registers.c — a handler may use every register; the interrupted code must not see
 * it. Two probes load known values into all general registers, xmm0-xmm15 and the
 * 128-byte red zone under the stack pointer, set the direction flag, then either make
 * the kill system call (the signal arrives on its way back) or spin until a handler
 * that interrupted the spin loop says stop (the signal arrives between two
 * instructions, from another process). The handler, in assembly, overwrites every
 * register before it returns. Afterwards each register, the red zone and DF must
 * hold what they held (the kernel saved them in the rt_sigframe and rt_sigreturn put
 * them back); inside the handler DF must be clear and the stack aligned as after a
 * call (the ABI a C handler relies on).
 */
#include "signals.h"

/* Register images: rax rbx rcx rdx rsi rdi rbp r8..r15 at 8 * i (i = 0..14), xmm0..15
 * at 128 + 16 * k, the red zone's 15 words at 384, rflags at 512. */
struct regs {
    uint64_t gpr[16];
    uint64_t xmm[32];
    uint64_t red_zone[15]; /* the 120 bytes under rsp - 8 (pushfq writes at rsp - 8) */
    uint64_t pad;
    uint64_t rflags;
};
struct regs regs_in, regs_out;
volatile int spin_stop;
uint64_t handler_rsp, handler_flags;
static volatile int handler_runs, interrupted_spin;
extern char spin_loop_start[], spin_loop_end[];
void regs_across_syscall(void);
void regs_across_interrupt(void);
void clobbering_handler(int sig, siginfo_t *info, void *context);
void handler_check(int sig, siginfo_t *info, void *context);

static const char *const gpr_names[15] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8",
                                           "r9",  "r10", "r11", "r12", "r13", "r14", "r15" };

#define FLAG_DF (1ul << 10)

__asm__(
    ".macro gprs op, image\n"
    " \\op rax, 0, \\image\n \\op rbx, 8, \\image\n \\op rcx, 16, \\image\n \\op rdx, 24, \\image\n"
    " \\op rsi, 32, \\image\n \\op rdi, 40, \\image\n \\op rbp, 48, \\image\n \\op r8, 56, "
    "\\image\n"
    " \\op r9, 64, \\image\n \\op r10, 72, \\image\n \\op r11, 80, \\image\n \\op r12, 88, "
    "\\image\n"
    " \\op r13, 96, \\image\n \\op r14, 104, \\image\n \\op r15, 112, \\image\n"
    ".endm\n"
    ".macro load_gpr reg, offset, image\n movq \\image+\\offset(%rip), %\\reg\n.endm\n"
    ".macro store_gpr reg, offset, image\n movq %\\reg, \\image+\\offset(%rip)\n.endm\n"
    ".macro load_xmms image\n"
    " .irp k, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
    "  movdqu \\image+128+16*\\k(%rip), %xmm\\k\n"
    " .endr\n"
    ".endm\n"
    ".macro store_xmms image\n"
    " .irp k, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
    "  movdqu %xmm\\k, \\image+128+16*\\k(%rip)\n"
    " .endr\n"
    ".endm\n"
    /* save the callee-saved registers, fill the red zone, load everything */
    ".macro probe_start\n"
    " pushq %rbx\n pushq %rbp\n pushq %r12\n pushq %r13\n pushq %r14\n pushq %r15\n"
    " leaq -128(%rsp), %rdi\n leaq regs_in+384(%rip), %rsi\n movl $15, %ecx\n rep movsq\n"
    " load_xmms regs_in\n gprs load_gpr, regs_in\n std\n"
    ".endm\n"
    /* store everything, rflags, then the red zone (DF cleared first), return */
    ".macro probe_end\n"
    " gprs store_gpr, regs_out\n store_xmms regs_out\n pushfq\n popq regs_out+512(%rip)\n cld\n"
    " leaq -128(%rsp), %rsi\n leaq regs_out+384(%rip), %rdi\n movl $15, %ecx\n rep movsq\n"
    " popq %r15\n popq %r14\n popq %r13\n popq %r12\n popq %rbp\n popq %rbx\n ret\n"
    ".endm\n"
    ".text\n"
    ".globl regs_across_syscall\n"
    "regs_across_syscall:\n probe_start\n syscall\n probe_end\n"
    ".globl regs_across_interrupt, spin_loop_start, spin_loop_end\n"
    "regs_across_interrupt:\n probe_start\n"
    "spin_loop_start:\n cmpl $0, spin_stop(%rip)\n je spin_loop_start\n"
    "spin_loop_end:\n probe_end\n"
    /* the handler: note rsp and rflags at entry, let C look, then clobber all */
    ".globl clobbering_handler\n"
    "clobbering_handler:\n movq %rsp, handler_rsp(%rip)\n pushfq\n popq handler_flags(%rip)\n"
    " subq $8, %rsp\n call handler_check\n addq $8, %rsp\n"
    " .irp r, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15\n"
    "  movabsq $0x5a5a5a5a5a5a5a5a, %\\r\n"
    " .endr\n"
    " .irp k, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
    "  pcmpeqb %xmm\\k, %xmm\\k\n"
    " .endr\n"
    " ret\n");

/* Called by the handler: was the spin loop what the signal interrupted? */
void handler_check(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)info;
    ucontext_t *uc = context;
    char *rip = (char *)uc->uc_mcontext.gregs[REG_RIP];
    handler_runs++;
    if (rip >= spin_loop_start && rip <= spin_loop_end) {
        interrupted_spin = 1;
        spin_stop = 1;
    }
}

/* Distinct values for every register, xmm lane and red-zone word. */
static void fill_in(void)
{
    for (int i = 0; i < 16; i++)
        regs_in.gpr[i] = 0x1111111111111111ul * (i + 1) + 0x0102;
    for (int i = 0; i < 32; i++)
        regs_in.xmm[i] = 0x0f0e0d0c0b0a0900ul ^ ((uint64_t)i << 56) ^ ((uint64_t)i << 3);
    for (int i = 0; i < 15; i++)
        regs_in.red_zone[i] = 0x2468ace013579bdful + i;
    memset(&regs_out, 0, sizeof regs_out);
}

/* Which registers came back different ("none" when all did). */
static void compare(const char *what, int skip_syscall_clobbers)
{
    printf("%s: changed:", what);
    int changed = 0;
    for (int i = 0; i < 15; i++) {
        /* rax holds the result, rcx and r11 the syscall instruction's return address
         * and flags: the syscall itself changes those three */
        if (skip_syscall_clobbers && (i == 0 || i == 2 || i == 10))
            continue;
        if (regs_out.gpr[i] != regs_in.gpr[i]) {
            printf(" %s", gpr_names[i]);
            changed++;
        }
    }
    for (int k = 0; k < 16; k++)
        if (regs_out.xmm[2 * k] != regs_in.xmm[2 * k] ||
            regs_out.xmm[2 * k + 1] != regs_in.xmm[2 * k + 1]) {
            printf(" xmm%d", k);
            changed++;
        }
    if (memcmp(regs_out.red_zone, regs_in.red_zone, sizeof regs_in.red_zone) != 0) {
        printf(" red-zone");
        changed++;
    }
    if (!(regs_out.rflags & FLAG_DF)) {
        printf(" DF");
        changed++;
    }
    printf("%s\n", changed ? "" : " none");
    printf("%s: in the handler DF clear %s, rsp + 8 16-byte aligned %s\n", what,
           yes(!(handler_flags & FLAG_DF)), yes((handler_rsp + 8) % 16 == 0));
}

void registers_kept(void)
{
    catch_with(SIGUSR1, clobbering_handler, 0);
    fill_in();
    regs_in.gpr[0] = SYS_kill;
    regs_in.gpr[5] = getpid();
    regs_in.gpr[4] = SIGUSR1;
    regs_across_syscall();
    printf("kill from the probe: result %ld, handler ran %d\n", (long)regs_out.gpr[0],
           handler_runs);
    compare("across a signal at a system call", 1);

    /* another process sends signals until one lands inside the spin loop */
    volatile int *stop = shared_page();
    fill_in();
    handler_runs = 0;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        for (int round = 0; !*stop && round < 2000; round++) {
            kill(getppid(), SIGUSR1);
            sleep_ms(5);
        }
        _exit(0);
    }
    regs_across_interrupt();
    *stop = 1;
    int status;
    waitpid(child, &status, 0);
    printf("a signal interrupted the spin loop: %s\n", yes(interrupted_spin));
    compare("across a signal between two instructions", 0);
}
