/*
 * alignment_check — a program may turn on x86's alignment checking for itself by
 * setting RFLAGS.AC (bit 18), which user mode is allowed to change. Linux keeps
 * CR0.AM on, so from then on a misaligned load in that program raises #AC, which
 * arrives as SIGBUS (BUS_ADRALN). The flag is the program's own: it survives
 * system calls and interrupts (the kernel clears AC for itself on every entry — in
 * ring 0, AC set means "SMAP lifted" — and the program's value comes back on the
 * way out).
 *
 * Each case runs in a child, which clears AC again before calling the C library
 * (printf may well read misaligned words).
 *
 * What this cannot show under QEMU: the SIGBUS itself. QEMU's software x86 (TCG)
 * does not emulate #AC, so a misaligned load with AC set passes there, whatever
 * the kernel does; on hardware, Linux (and vmlab, which sets CR0.AM too) kill the
 * program with SIGBUS. Only misaligned loads with AC clear are checked.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define RFLAGS_AC   (1UL << 18)
#define SPIN_ROUNDS 3000000 /* long enough for timer interrupts to arrive meanwhile */

static void set_ac(void)
{
    __asm__ volatile("pushfq; orq %0, (%%rsp); popfq" : : "i"(RFLAGS_AC) : "memory", "cc");
}

static void clear_ac(void)
{
    __asm__ volatile("pushfq; andq %0, (%%rsp); popfq" : : "i"(~RFLAGS_AC) : "memory", "cc");
}

static uint64_t rflags(void)
{
    uint64_t value;
    __asm__ volatile("pushfq; popq %0" : "=r"(value));
    return value;
}

/* getpid through the syscall instruction itself: no C library code runs with AC set. */
static long raw_getpid(void)
{
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"(39L) : "rcx", "r11", "memory");
    return result;
}

static volatile uint64_t words[4];
static volatile uint64_t sink;

/* Aligned loads while interrupts come and go, and a system call: AC must still be set
 * afterwards. Exits 0 if it is, 1 if not. */
static void aligned_work_keeps_ac(void)
{
    set_ac();
    for (long i = 0; i < SPIN_ROUNDS; i++)
        sink += words[i & 3];
    raw_getpid();
    int still_set = (rflags() & RFLAGS_AC) != 0;
    clear_ac();
    _exit(still_set ? 0 : 1);
}

/* The same load with AC clear: x86 allows it. */
static void misaligned_load_without_ac(void)
{
    volatile const char *bytes = (volatile const char *)words;
    sink = *(volatile const uint32_t *)(bytes + 1);
    _exit(0);
}

static void run(const char *what, void (*body)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        body();
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status))
        printf("%s: exited with status %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%s: killed by %s\n", what, strsignal(WTERMSIG(status)));
}

int main(void)
{
    run("aligned loads, interrupts and a system call with AC set (0: AC kept)",
        aligned_work_keeps_ac);
    run("a misaligned load with AC clear", misaligned_load_without_ac);
    return 0;
}
