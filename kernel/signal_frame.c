/*
 * signal_frame.c — building and reading back Linux's rt_sigframe (signal_frame.h).
 */
#include "signal_frame.h"

#include <stddef.h>

#include "cpu.h"
#include "errno.h"
#include "gdt.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "mm/pte.h"
#include "mm/uaccess.h"
#include "x86.h"

/* ---- the layout: Linux's structs for x86-64, field for field ---- */

/* uc_mcontext: the interrupted code's registers (asm/sigcontext.h). */
struct sigcontext {
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
    uint64_t rip, rflags;
    uint16_t cs, gs, fs, ss;
    uint64_t err, trapno, oldmask, cr2; /* the exception that led here, if any */
    uint64_t fpstate;                   /* address of the fxsave image (0: none) */
    uint64_t reserved[8];
};

/* The kernel's ucontext (libc's ucontext_t starts the same way). */
struct ucontext {
    uint64_t flags;
    uint64_t link;
    struct signal_stack stack; /* the alternate stack when the signal came */
    struct sigcontext mcontext;
    uint64_t sigmask; /* the mask to restore: the kernel's 64-bit sigset */
};

/* siginfo_t: 128 bytes, the fields after si_code depend on the signal. */
struct siginfo {
    int32_t signo, error, code, pad;
    union {
        struct {
            int32_t pid, uid; /* kill, tkill, tgkill, sigqueue */
            uint64_t value;   /* sigqueue's si_value */
        } kill;
        struct {
            int32_t pid, uid, status, pad;
            int64_t utime, stime; /* SIGCHLD */
        } child;
        struct {
            uint64_t addr; /* SIGSEGV, SIGBUS, SIGILL, SIGFPE */
        } fault;
        uint8_t bytes[112];
    };
};

struct rt_sigframe {
    uint64_t return_address; /* sa_restorer: the handler's `ret` goes there */
    struct ucontext uc;
    struct siginfo info;
};

_Static_assert(sizeof(struct sigcontext) == 256, "struct sigcontext is Linux's 256 bytes");
_Static_assert(offsetof(struct ucontext, mcontext) == 40, "uc_mcontext at Linux's offset");
_Static_assert(sizeof(struct ucontext) == 304, "struct ucontext is Linux's 304 bytes");
_Static_assert(sizeof(struct siginfo) == 128, "siginfo_t is 128 bytes");
_Static_assert(offsetof(struct rt_sigframe, info) == 312, "rt_sigframe.info at Linux's offset");

#define RED_ZONE         128 /* bytes below RSP that x86-64 code may use without moving RSP */
#define FXSAVE_SIZE      512
#define FXSAVE_ALIGN     64
#define FXSAVE_MXCSR     24 /* offsets in the fxsave image */
#define FXSAVE_MXCSR_MSK 28
#define FXSAVE_SW_BYTES  464 /* bytes 464..511: the CPU leaves them alone */

#define UC_SIGCONTEXT_SS     0x2 /* uc_mcontext.ss is meaningful */
#define UC_STRICT_RESTORE_SS 0x4 /* rt_sigreturn restores ss as it is */

/* The RFLAGS bits rt_sigreturn takes from the frame (Linux's FIX_EFLAGS); the
 * others (IF, IOPL, NT, VM...) stay what the kernel says. */
#define RFLAGS_USER_CHANGEABLE 0x40dd5ul /* CF PF AF ZF SF TF DF OF AC RF */
#define RFLAGS_TF              0x100ul
#define RFLAGS_DF              0x400ul
#define RFLAGS_RF              0x10000ul

/* ---- the alternate stack ---- */

bool signal_on_altstack(const struct proc *p, uint64_t sp)
{
    const struct signal_stack *s = &p->altstack;
    if (s->flags & SS_AUTODISARM)
        return false; /* disarmed while a handler uses it: never "on" it */
    return s->size != 0 && sp > s->sp && sp - s->sp <= s->size;
}

int32_t signal_altstack_flags(const struct proc *p, uint64_t sp)
{
    if (p->altstack.size == 0)
        return SS_DISABLE;
    return signal_on_altstack(p, sp) ? SS_ONSTACK : 0;
}

int signal_altstack_set(struct proc *p, const struct signal_stack *s, uint64_t sp)
{
    if (signal_on_altstack(p, sp))
        return -EPERM; /* a handler runs on it: it cannot move under its feet */
    uint32_t mode = (uint32_t)s->flags & ~SS_AUTODISARM;
    if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
        return -EINVAL;
    if (mode == SS_DISABLE) {
        p->altstack = (struct signal_stack){ 0, s->flags, 0, 0 };
        return 0;
    }
    if (s->size < MINSIGSTKSZ)
        return -ENOMEM;
    p->altstack = (struct signal_stack){ s->sp, s->flags, 0, s->size };
    return 0;
}

/* ---- building the frame ---- */

static void save_registers(struct sigcontext *sc, const struct trap_frame *f)
{
    sc->r8 = f->r8, sc->r9 = f->r9, sc->r10 = f->r10, sc->r11 = f->r11;
    sc->r12 = f->r12, sc->r13 = f->r13, sc->r14 = f->r14, sc->r15 = f->r15;
    sc->rdi = f->rdi, sc->rsi = f->rsi, sc->rbp = f->rbp, sc->rbx = f->rbx;
    sc->rdx = f->rdx, sc->rax = f->rax, sc->rcx = f->rcx, sc->rsp = f->rsp;
    sc->rip = f->rip, sc->rflags = f->rflags;
    sc->cs = (uint16_t)f->cs, sc->ss = (uint16_t)f->ss;
    if (f->vector < 32) { /* the exception that raised the signal */
        sc->trapno = f->vector;
        sc->err = f->error_code;
        if (f->vector == 14)
            sc->cr2 = read_cr2();
    }
}

/* The siginfo_t a handler receives: which fields mean something depends on the
 * signal and on who sent it. */
static void fill_siginfo(struct siginfo *si, int sig, const struct signal_info *info)
{
    memset(si, 0, sizeof *si);
    si->signo = sig;
    si->code = info->code;
    bool is_fault = info->code > 0 && (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
                                       sig == SIGFPE || sig == SIGTRAP);
    if (sig == SIGCHLD && info->code > 0) {
        si->child.pid = info->pid;
        si->child.uid = info->uid;
        si->child.status = info->status;
        si->child.utime = info->utime;
        si->child.stime = info->stime;
    } else if (is_fault) {
        si->fault.addr = info->addr;
    } else if (info->code <= 0) { /* SI_USER, SI_TKILL, SI_QUEUE...: a process sent it */
        si->kill.pid = info->pid;
        si->kill.uid = info->uid;
        si->kill.value = info->value;
    }
}

int signal_siginfo_to_user(uint64_t at, int sig, const struct signal_info *info)
{
    struct siginfo si;
    fill_siginfo(&si, sig, info);
    return copy_to_user(at, &si, sizeof si);
}

/* Where the frame goes: below the red zone of the interrupted stack, or at the top
 * of the alternate stack when the action asks for it and it is not in use yet. */
static uint64_t frame_stack_top(const struct proc *p, const struct trap_frame *f,
                                const struct k_sigaction *action)
{
    uint64_t sp = f->rsp - RED_ZONE;
    if ((action->flags & SA_ONSTACK) && signal_altstack_flags(p, sp) == 0)
        sp = p->altstack.sp + p->altstack.size;
    return sp;
}

bool signal_frame_push(struct proc *p, struct trap_frame *f, int sig,
                       const struct signal_info *info, const struct k_sigaction *action,
                       uint64_t old_mask, char *why, size_t why_size)
{
    if (!(action->flags & SA_RESTORER)) {
        /* x86-64 Linux has no default return path: every libc passes its own */
        snprintf(why, why_size, "handler for %s has no SA_RESTORER", signal_name(sig));
        return false;
    }
    bool was_on_altstack = signal_on_altstack(p, f->rsp - RED_ZONE);
    uint64_t fpstate =
        (frame_stack_top(p, f, action) - FXSAVE_SIZE) & ~(uint64_t)(FXSAVE_ALIGN - 1);
    /* aligned so that RSP + 8 is a multiple of 16, as just after a call */
    uint64_t at = ((fpstate - sizeof(struct rt_sigframe)) & ~15ul) - 8;
    if (was_on_altstack && !signal_on_altstack(p, at)) {
        snprintf(why, why_size, "the alternate signal stack overflowed (rsp %p)", (void *)at);
        return false;
    }

    /* on this process's kernel stack: writing it out may sleep (a page fault that
     * reads a file), and meanwhile other processes build frames of their own */
    struct rt_sigframe frame;
    memset(&frame, 0, sizeof frame);
    frame.return_address = action->restorer;
    frame.uc.flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
    frame.uc.stack = p->altstack; /* as sigaltstack set it (flags as given) */
    if (p->altstack.size == 0)
        frame.uc.stack.flags = SS_DISABLE;
    save_registers(&frame.uc.mcontext, f);
    frame.uc.mcontext.oldmask = old_mask;
    frame.uc.mcontext.fpstate = fpstate;
    frame.uc.sigmask = old_mask;
    fill_siginfo(&frame.info, sig, info);

    uint8_t fpu[FXSAVE_SIZE] __attribute__((aligned(16)));
    __asm__ volatile("fxsave %0" : "=m"(fpu)); /* the program's live FPU/SSE registers */
    memset(fpu + FXSAVE_SW_BYTES, 0, FXSAVE_SIZE - FXSAVE_SW_BYTES);

    if (copy_to_user(fpstate, fpu, sizeof fpu) != 0 ||
        copy_to_user(at, &frame, sizeof frame) != 0) {
        snprintf(why, why_size, "cannot write the signal frame for %s at %p", signal_name(sig),
                 (void *)at);
        return false;
    }
    if (p->altstack.flags & SS_AUTODISARM)
        p->altstack = (struct signal_stack){ 0, SS_DISABLE, 0, 0 };

    /* "call" handler(sig, &info, &uc) with a fresh FPU, as Linux does */
    f->rdi = (uint64_t)sig;
    f->rsi = at + offsetof(struct rt_sigframe, info);
    f->rdx = at + offsetof(struct rt_sigframe, uc);
    f->rax = 0;
    f->rsp = at;
    f->rip = action->handler;
    f->rflags &= ~(RFLAGS_DF | RFLAGS_RF | RFLAGS_TF);
    f->cs = USER_CODE_SELECTOR;
    f->ss = USER_DATA_SELECTOR;
    __asm__ volatile("fxrstor %0" : : "m"(*(const uint8_t(*)[FXSAVE_SIZE])cpu_initial_fpu_state()));
    return true;
}

/* ---- reading it back (rt_sigreturn) ---- */

/* Would loading sc into the CPU be safe? iretq to a non-canonical RIP or another
 * code segment faults in the kernel itself, so these are refused here. */
static bool registers_loadable(const struct sigcontext *sc, char *why, size_t why_size)
{
    if (sc->rip >= USER_SPACE_END) {
        snprintf(why, why_size, "rip %p is not a user address", (void *)sc->rip);
        return false;
    }
    if (!is_canonical(sc->rsp)) {
        snprintf(why, why_size, "rsp %p is not canonical", (void *)sc->rsp);
        return false;
    }
    if ((sc->cs | 3) != USER_CODE_SELECTOR || (sc->ss | 3) != USER_DATA_SELECTOR) {
        snprintf(why, why_size, "segments cs %#x ss %#x are not the user's", sc->cs, sc->ss);
        return false;
    }
    return true;
}

static void load_registers(struct trap_frame *f, const struct sigcontext *sc)
{
    f->r8 = sc->r8, f->r9 = sc->r9, f->r10 = sc->r10, f->r11 = sc->r11;
    f->r12 = sc->r12, f->r13 = sc->r13, f->r14 = sc->r14, f->r15 = sc->r15;
    f->rdi = sc->rdi, f->rsi = sc->rsi, f->rbp = sc->rbp, f->rbx = sc->rbx;
    f->rdx = sc->rdx, f->rax = sc->rax, f->rcx = sc->rcx, f->rsp = sc->rsp;
    f->rip = sc->rip;
    f->rflags = (f->rflags & ~RFLAGS_USER_CHANGEABLE) | (sc->rflags & RFLAGS_USER_CHANGEABLE);
    f->cs = USER_CODE_SELECTOR;
    f->ss = USER_DATA_SELECTOR;
}

/* The FPU/SSE state saved at fpstate (0: the handler's caller had none: start
 * clean). MXCSR bits the CPU does not have would make fxrstor fault in the
 * kernel, so they are dropped (Linux refuses such a frame with SIGSEGV instead;
 * under QEMU TCG fxrstor takes them, so the difference cannot be seen there). */
static bool load_fpu(uint64_t fpstate)
{
    uint8_t fpu[FXSAVE_SIZE] __attribute__((aligned(16)));
    const uint8_t *initial = cpu_initial_fpu_state();
    if (fpstate == 0) {
        memcpy(fpu, initial, sizeof fpu);
    } else if (copy_from_user(fpu, fpstate, sizeof fpu) != 0) {
        return false;
    }
    uint32_t mxcsr, mask;
    memcpy(&mask, initial + FXSAVE_MXCSR_MSK, sizeof mask);
    if (mask == 0)
        mask = 0xffbf; /* the architectural default (SDM: MXCSR_MASK) */
    memcpy(&mxcsr, fpu + FXSAVE_MXCSR, sizeof mxcsr);
    mxcsr &= mask;
    memcpy(fpu + FXSAVE_MXCSR, &mxcsr, sizeof mxcsr);
    __asm__ volatile("fxrstor %0" : : "m"(fpu));
    return true;
}

bool signal_frame_restore(struct proc *p, struct trap_frame *f, char *why, size_t why_size)
{
    struct rt_sigframe frame; /* on the kernel stack: reading it may sleep */
    uint64_t at = f->rsp - 8;
    if (copy_from_user(&frame, at, sizeof frame) != 0) {
        snprintf(why, why_size, "no readable signal frame at %p", (void *)at);
        return false;
    }
    const struct sigcontext *sc = &frame.uc.mcontext;
    if (!registers_loadable(sc, why, why_size))
        return false;
    if (!load_fpu(sc->fpstate)) {
        snprintf(why, why_size, "no readable FPU state at %p", (void *)sc->fpstate);
        return false;
    }
    load_registers(f, sc);
    p->blocked_signals = frame.uc.sigmask & ~UNBLOCKABLE_SIGNALS;
    /* a handler may have changed the saved alternate stack: it applies as
     * sigaltstack would, from the restored RSP; errors are ignored (Linux's way) */
    (void)signal_altstack_set(p, &frame.uc.stack, f->rsp);
    return true;
}
