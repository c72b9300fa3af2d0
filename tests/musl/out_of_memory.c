/*
 * out_of_memory.c — memory exhaustion is the process's problem, not the kernel's.
 * A child touches far more memory than the machine has and is killed (on vmlab
 * with SIGKILL and a line saying it ran out of memory); an mmap larger than the
 * address space fails with ENOMEM; and the parent carries on, able to fork and
 * allocate again. Run with 128 MiB of RAM (run-elf's default) and a 256 MiB child.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILD_BYTES (1ul << 40) /* 1 TiB of address space: no machine has that much RAM */

int main(void)
{
    void *huge = mmap(NULL, 1ul << 47, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap of 128 TiB: %s\n", huge == MAP_FAILED && errno == ENOMEM ? "ENOMEM" : "mapped?");

    pid_t pid = fork();
    if (pid == 0) {
        /* Linux would need overcommit to let this through; cap the address space so
         * that Linux, like vmlab, ends the child when memory runs out */
        struct rlimit limit = { 256ul << 20, 256ul << 20 };
        setrlimit(RLIMIT_AS, &limit);
        char *p = mmap(NULL, CHILD_BYTES, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED)
            p = mmap(NULL, 1ul << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            _exit(3); /* refused outright: also a clean outcome */
        for (unsigned long i = 0;; i += 4096)
            p[i] = 1; /* until something gives */
    }
    int status;
    waitpid(pid, &status, 0);
    int clean =
        (WIFSIGNALED(status) && (WTERMSIG(status) == SIGKILL || WTERMSIG(status) == SIGSEGV)) ||
        (WIFEXITED(status) && WEXITSTATUS(status) == 3);
    printf("a child touching more memory than there is ended cleanly: %s\n", clean ? "yes" : "no");

    pid = fork();
    if (pid == 0) {
        char buffer[1 << 16];
        memset(buffer, 1, sizeof buffer);
        _exit(buffer[100]);
    }
    waitpid(pid, &status, 0);
    printf("afterwards the parent can still fork: child exited %d\n", WEXITSTATUS(status));
    return 0;
}
