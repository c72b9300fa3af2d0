/*
 * compat_mode.c — ways out of plain 64-bit code end the program, not the kernel.
 *
 * Each attempt runs in a child, and the parent prints how the child ended:
 *   - a far jump, or a far return, into 32-bit compatibility mode (to the code
 *     selector 16 below the 64-bit one, where sysret's layout puts it), then
 *     `syscall` there. What Linux does depends on the CPU: an AMD CPU enters the
 *     kernel, and the call returns into a 32-bit vDSO a 64-bit program does not
 *     have: SIGSEGV; an Intel CPU has no `syscall` in compatibility mode (#UD):
 *     SIGILL. So these lines print the two signals as one outcome. vmlab has no
 *     32-bit code segment, so the far jump faults: SIGSEGV. (It used to have one, and a `syscall`
 * from compatibility mode jumped to MSR CSTAR, which was 0: the kernel hung.) QEMU reads the stack
 * of a far return as the kernel would (an implicit supervisor access), which SMAP forbids on a user
 * page: that fault is SIGSEGV too. (It used to be "resolved" and repeated forever.)
 *   - `int N` for every vector but 0x80 (Linux's 32-bit system calls): an
 *     interrupt gate a program may not use is a general protection fault, SIGSEGV;
 *     `int 3` is a breakpoint, SIGTRAP.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define INT_OPCODE  0xcd
#define RET_OPCODE  0xc3
#define LINUX_INT80 0x80

/* Enter 32-bit compatibility mode by a far return (lret) and make a `syscall` there
 * (EAX = 20, getpid in Linux's 32-bit table). The far return pops from a stack
 * below 4 GiB, since 32-bit code only sees the low half of RSP. Does not return. */
void compat_syscall_by_far_return(void);
__asm__(".text\n"
        ".globl compat_syscall_by_far_return\n"
        "compat_syscall_by_far_return:\n\t"
        "lea low_stack+4096(%rip), %rsp\n\t"
        "mov %cs, %eax\n\t"
        "sub $16, %eax\n\t"
        "push %rax\n\t"
        "lea 1f(%rip), %rax\n\t"
        "push %rax\n\t"
        "lretq\n"
        ".code32\n"
        "1:\n\t"
        "mov $20, %eax\n\t"
        "syscall\n\t"
        "hlt\n" /* not reached; if it were, a privileged instruction: SIGSEGV */
        ".code64\n");
uint8_t low_stack[4096] __attribute__((aligned(16)));

/* The same by a far jump through memory (m16:32: a 32-bit offset, then the
 * selector), which touches no stack. */
void compat_syscall_by_far_jump(void);
__asm__(".text\n"
        ".globl compat_syscall_by_far_jump\n"
        "compat_syscall_by_far_jump:\n\t"
        "mov %cs, %eax\n\t"
        "sub $16, %eax\n\t"
        "lea far_pointer(%rip), %rdx\n\t"
        "movw %ax, 4(%rdx)\n\t"
        "lea 1f(%rip), %rax\n\t"
        "movl %eax, (%rdx)\n\t"
        "ljmpl *(%rdx)\n"
        ".code32\n"
        "1:\n\t"
        "mov $20, %eax\n\t"
        "syscall\n\t"
        "hlt\n"
        ".code64\n");
uint8_t far_pointer[6];

/* Run attempt(arg) in a child; print how the child ended. */
static void run(const char *what, void (*attempt)(unsigned), unsigned arg)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        attempt(arg);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGILL))
        printf("%s: killed by SIGSEGV or SIGILL (by CPU)\n", what);
    else if (WIFSIGNALED(status))
        printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else
        printf("%s: exit %d\n", what, WEXITSTATUS(status));
}

static void far_return_and_syscall(unsigned unused)
{
    (void)unused;
    compat_syscall_by_far_return();
}

static void far_jump_and_syscall(unsigned unused)
{
    (void)unused;
    compat_syscall_by_far_jump();
}

static uint8_t *code; /* an executable page for the instructions made up below */

static void execute_code(unsigned unused)
{
    (void)unused;
    ((void (*)(void))code)();
}

/* Make code hold `int vector; ret`. */
static void write_int(unsigned vector)
{
    code[0] = INT_OPCODE;
    code[1] = (uint8_t)vector;
    code[2] = RET_OPCODE;
}

int main(void)
{
    run("far jump to 32-bit mode, syscall", far_jump_and_syscall, 0);
    run("far return to 32-bit mode, syscall", far_return_and_syscall, 0);
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED)
        return 1;
    /* one line per outcome, with the vectors that had it */
    int last_signal = -1;
    for (unsigned vector = 0; vector < 256; vector++) {
        if (vector == LINUX_INT80)
            continue;
        write_int(vector);
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            execute_code(0);
            _exit(0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        int signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
        if (signal != last_signal)
            printf("%sint %u..: %s %d", last_signal < 0 ? "" : "\n", vector,
                   signal != 0 ? "killed by signal" : "exit",
                   signal != 0 ? signal : WEXITSTATUS(status));
        last_signal = signal;
    }
    printf("\n");
    return 0;
}
