/*
 * sigframe — the frame a signal handler runs on, read from inside the handler.
 *
 * A store to an address with no mapping is a page fault the kernel cannot
 * resolve, so it sends SIGSEGV. With a handler installed (SA_SIGINFO), the kernel
 * does not kill the process: it saves the interrupted state on the user stack in
 * Linux's rt_sigframe and "calls" handler(sig, info, uc):
 *
 *   rsp + 0     return address: our restorer, which calls rt_sigreturn (15)
 *   rsp + 8     ucontext: flags, link, the alternate stack (24 bytes), then
 *   rsp + 48      uc_mcontext: every register at the fault, trapno/err/cr2, fpstate
 *   rsp + 304     uc_sigmask: the mask to restore
 *   rsp + 312   siginfo: si_signo, si_code (SEGV_MAPERR), si_addr
 *   above       the FPU/SSE registers (fxsave, 512 bytes, 64-byte aligned),
 *               then 128 bytes of red zone, then the interrupted stack
 *
 * The handler maps the missing page (MAP_FIXED) and returns; rt_sigreturn loads
 * the saved registers, so the faulting store runs again, and this time succeeds.
 * That is how a program uses page protection itself: a garbage collector's write
 * barrier, a guard page, distributed shared memory.
 */
#include <stdint.h>

#include "user/lib/image.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define TARGET ((volatile int *)0x10000000) /* nothing is mapped there */
#define ANSWER 42

/* The restorer: where the handler's `ret` goes. It asks the kernel to load the
 * frame back (rt_sigreturn), with RSP just above the popped return address. */
void sigframe_restorer(void);
__asm__(".globl sigframe_restorer\n"
        "sigframe_restorer:\n"
        "    mov $15, %eax\n" /* rt_sigreturn */
        "    syscall\n");

/* Linux's layout (kernel/signal_frame.c), the offsets above. */
struct frame_view {
    uint64_t return_address;
    uint64_t uc_flags, uc_link, ss_sp;
    int32_t ss_flags, pad;
    uint64_t ss_size;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
    uint64_t rip, rflags;
    uint16_t cs, gs, fs, ss;
    uint64_t err, trapno, oldmask, cr2, fpstate, reserved[8];
    uint64_t uc_sigmask;
    int32_t si_signo, si_errno, si_code, si_pad;
    uint64_t si_addr;
};
_Static_assert(__builtin_offsetof(struct frame_view, r8) == 48, "uc_mcontext at rsp + 48");
_Static_assert(__builtin_offsetof(struct frame_view, uc_sigmask) == 304, "mask at rsp + 304");
_Static_assert(__builtin_offsetof(struct frame_view, si_signo) == 312, "siginfo at rsp + 312");

static int handled;

static void on_segv(int sig, void *info, void *uc)
{
    const struct frame_view *f = (const void *)((uintptr_t)uc - 8); /* RSP at entry */
    printf("handler: sig %d, info = rsp + %lu, uc = rsp + %lu\n", sig,
           (unsigned long)((uintptr_t)info - (uintptr_t)f),
           (unsigned long)((uintptr_t)uc - (uintptr_t)f));
    printf("  rsp + 0    return address = restorer: %s\n",
           f->return_address == (uintptr_t)sigframe_restorer ? "yes" : "NO");
    printf("  rsp + 8    uc_flags %#lx, alternate stack flags %d (SS_DISABLE)\n",
           (unsigned long)f->uc_flags, f->ss_flags);
    printf("  rsp + 48   registers at the fault: rip %p, rsp %p, trapno %lu (#PF), err %#lx, "
           "cr2 %p\n",
           (void *)f->rip, (void *)f->rsp, (unsigned long)f->trapno, (unsigned long)f->err,
           (void *)f->cr2);
    printf("  rsp + 304  mask to restore %#lx\n", (unsigned long)f->uc_sigmask);
    printf("  rsp + 312  siginfo: si_signo %d, si_code %d (SEGV_MAPERR), si_addr %p\n", f->si_signo,
           f->si_code, (void *)f->si_addr);
    printf("  fpstate    %lu bytes above rsp, 64-byte aligned: %s; red zone + fxsave below the "
           "interrupted rsp: %s\n",
           (unsigned long)(f->fpstate - (uintptr_t)f), f->fpstate % 64 == 0 ? "yes" : "NO",
           f->rsp - f->fpstate >= 128 + 512 ? "yes" : "NO");
    printf("  (rsp + 8) %% 16 == 0, as just after a call: %s\n",
           ((uintptr_t)f + 8) % 16 == 0 ? "yes" : "NO");
    long mapped = sys_mmap((void *)TARGET, PAGE_SIZE, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("handler: mapped the page at %p; returning, so the store runs again\n", (void *)mapped);
    handled++;
}

int main(void)
{
    struct k_sigaction action = {
        .handler = (signal_handler_t)(void (*)(void))on_segv,
        .flags = SA_SIGINFO | SA_RESTORER,
        .restorer = sigframe_restorer,
    };
    if (sys_rt_sigaction(SIGSEGV, &action, 0, SIGSET_SIZE) != 0) {
        printf("sigframe: rt_sigaction failed\n");
        return 1;
    }
    printf("storing %d at %p, where nothing is mapped\n", ANSWER, (void *)TARGET);
    *TARGET = ANSWER;
    printf("after the handler: the store ran again; %p holds %d; handler ran %d time(s)\n",
           (void *)TARGET, *TARGET, handled);
    return *TARGET == ANSWER && handled == 1 ? 0 : 1;
}
