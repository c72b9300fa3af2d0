/*
 * crashtest — what happens when a program does something the CPU refuses.
 *
 * The CPU raises an exception; because it came from user mode, the kernel does not
 * panic but ends just that process with the signal Linux uses for it. The parent
 * sees the signal in the wait status (WIFSIGNALED, WTERMSIG):
 *
 *   exception                         example                          signal
 *   page fault, page not present      write to address 0               SIGSEGV
 *   page fault, protection            write to our own (R-X) code      SIGSEGV
 *   page fault, instruction fetch NX  jump into our data               SIGSEGV
 *   page fault, user touching kernel  read 0xffffffff80000000          SIGSEGV
 *   general protection (#GP)          non-canonical address, hlt       SIGSEGV
 *   invalid opcode (#UD)              ud2                              SIGILL
 *   divide error (#DE)                divide by zero                   SIGFPE
 *   breakpoint (#BP)                  int3                             SIGTRAP
 *
 * crashtest runs itself once per kind (crashtest KIND) and checks how each child
 * ended. With an argument it just commits that crash, which is also how to see one
 * from the shell: `crashtest ud2`.
 */
#include <stdint.h>

#include "lib/string.h"
#include "user/lib/bad_access.h"
#include "user/lib/check.h"
#include "user/lib/env.h"
#include "user/lib/image.h"
#include "user/lib/signal_names.h"
#include "user/lib/spawn.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define SURVIVED 100 /* exit status of a child whose crash did not happen */

static void invalid_opcode(void)
{
    __asm__ volatile("ud2");
}

static void divide_by_zero(void)
{
    long zero = 0;
    __asm__ volatile("cqto\n\tidivq %1" : : "a"(1L), "r"(zero) : "rdx");
}

static void breakpoint(void)
{
    __asm__ volatile("int3");
}

static const struct crash {
    const char *kind;
    void (*commit)(void);
    int signal;
    const char *what;
} crashes[] = {
    { "null-write", bad_null_write, SIGSEGV, "write to address 0 (nothing is mapped there)" },
    { "write-text", bad_write_text, SIGSEGV, "write to our own code (text is R-X)" },
    { "write-rodata", bad_write_rodata, SIGSEGV, "write to a constant (rodata is R--)" },
    { "exec-data", bad_exec_data, SIGSEGV, "call code placed in data (data is NX)" },
    { "exec-stack", bad_exec_stack, SIGSEGV, "call code placed on the stack (the stack is NX)" },
    { "kernel-read", bad_read_kernel, SIGSEGV, "read kernel memory at 0xffffffff80000000" },
    { "noncanonical", bad_read_noncanonical, SIGSEGV, "read 0x8000000000000000 (#GP)" },
    { "privileged", bad_privileged, SIGSEGV, "execute hlt, a ring-0 instruction (#GP)" },
    { "ud2", invalid_opcode, SIGILL, "execute ud2, an invalid opcode" },
    { "divide", divide_by_zero, SIGFPE, "divide by zero" },
    { "int3", breakpoint, SIGTRAP, "execute int3, a breakpoint" },
};
#define CRASH_KINDS (sizeof(crashes) / sizeof(crashes[0]))

static const struct crash *find_crash(const char *kind)
{
    for (size_t i = 0; i < CRASH_KINDS; i++) {
        if (strcmp(crashes[i].kind, kind) == 0)
            return &crashes[i];
    }
    return NULL;
}

static void usage(const char *self)
{
    dprintf(STDERR, "usage: %s [KIND]\nkinds:", self);
    for (size_t i = 0; i < CRASH_KINDS; i++)
        dprintf(STDERR, " %s", crashes[i].kind);
    dprintf(STDERR, "\n");
}

int main(int argc, char **argv)
{
    char *self = argv[0];
    if (argc == 2) {
        const struct crash *crash = find_crash(argv[1]);
        if (crash == NULL) {
            usage(self);
            return 2;
        }
        printf("crashtest: about to %s\n", crash->what);
        crash->commit();
        printf("crashtest: still alive after trying to %s!\n", crash->what);
        return SURVIVED;
    }
    if (argc != 1) {
        usage(self);
        return 2;
    }

    printf("crashtest: a program's exceptions end only that program, with a signal\n");
    for (size_t i = 0; i < CRASH_KINDS; i++) {
        const struct crash *crash = &crashes[i];
        char *child_argv[] = { self, (char *)crash->kind, NULL };
        long status = run(self, child_argv, environ);
        char text[60];
        describe_status(status, text, sizeof(text));
        /* WTERMSIG ignores the "core dumped" bit (0x80) that Linux may add. */
        EXPECT(status >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == crash->signal,
               "%s: %s (expected %s)", crash->kind, text, signal_name(crash->signal));
    }
    EXPECT_RESULT(sys_getpid() > 0, 1, "and the parent is still here");
    return check_summary("crashtest");
}
