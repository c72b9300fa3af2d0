/*
 * swap_errors — what a failing swap disk costs, and what it must not:
 *
 *   swap_errors DEVICE MIB
 *
 * swapon(DEVICE) -- a disk tests/boot/swap-core.sh prepares with mkswap and
 * attaches through QEMU's blkdebug, which fails every read of slot 500 and every
 * write of slot 1000 -- then a child fills MIB MiB (more than RAM), each page with
 * its own pattern, and reads every page back, catching SIGBUS. A write that failed
 * must lose nothing (the page stays in memory); a read that failed loses exactly
 * the page in that slot: one SIGBUS page, every other page right. Prints
 *   swapon: 0
 *   pages: N, SIGBUS pages: 1, wrong pages: 0
 *   child: exit 0
 * (N the pages of MIB MiB). Without arguments: usage, exit 0.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE  4096ul
#define WORDS (PAGE / 8)

static sigjmp_buf lost;

static void on_sigbus(int sig)
{
    (void)sig;
    siglongjmp(lost, 1);
}

static uint64_t pattern(size_t page, size_t word)
{
    return (page << 20) ^ (word * 0x9e3779b97f4a7c15ul) ^ 0x5a5a;
}

/* Read page i back: 0 right, 1 wrong bytes, 2 lost (SIGBUS). */
static int check_page(volatile uint64_t *p, size_t i)
{
    if (sigsetjmp(lost, 1) != 0)
        return 2;
    for (size_t w = 0; w < WORDS; w++)
        if (p[i * WORDS + w] != pattern(i, w))
            return 1;
    return 0;
}

static int child(size_t pages)
{
    struct sigaction sa = { .sa_handler = on_sigbus };
    sigaction(SIGBUS, &sa, NULL);
    uint64_t *p =
        mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 3;
    for (size_t i = 0; i < pages; i++)
        for (size_t w = 0; w < WORDS; w++)
            p[i * WORDS + w] = pattern(i, w);
    size_t lost_pages = 0, wrong = 0;
    for (size_t i = 0; i < pages; i++) {
        int r = check_page(p, i);
        lost_pages += r == 2;
        wrong += r == 1;
    }
    printf("pages: %zu, SIGBUS pages: %zu, wrong pages: %zu\n", pages, lost_pages, wrong);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc != 3) {
        printf("usage: swap_errors DEVICE MIB (a swap disk whose slot 500 fails reads)\n");
        return 0;
    }
    alarm(300);
    printf("swapon: %ld\n", syscall(SYS_swapon, argv[1], 0));
    size_t pages = strtoul(argv[2], NULL, 10) * (1ul << 20) / PAGE;
    pid_t pid = fork();
    if (pid == 0)
        return child(pages);
    int status = -1;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status))
        printf("child: exit %d\n", WEXITSTATUS(status));
    else
        printf("child: signal %d\n", WTERMSIG(status));
    return 0;
}
