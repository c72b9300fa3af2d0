/*
 * wbarrier — a write barrier built from page protection and a SIGSEGV handler.
 *
 * Garbage collectors, incremental checkpoints and distributed shared memory all need
 * to know which pages a program wrote since some moment, without slowing every
 * store down. The virtual-memory answer: make the pages read-only (mprotect) and let
 * the MMU watch. The first store to a page faults; the kernel finds the page present
 * but not writable (SEGV_ACCERR) and sends SIGSEGV with si_addr = the address; our
 * handler records the page as written, makes it writable, and returns. The kernel's
 * rt_sigreturn puts the registers back exactly as they were at the fault, so the
 * same store runs again and succeeds. Later stores to that page cost nothing: only
 * the FIRST write to each page is seen, which is all a "dirty page" set needs.
 *
 *   wbarrier [PAGES]   (default 8, at most 64) two rounds of stores under the
 *                      barrier; each prints the pages written and the counts
 *
 * What a round does:
 *   arm      mprotect(all pages, PROT_READ), forget the written set
 *   stores   the "program" stores to some pages, some many times
 *   reads    reading any page never faults (reads are allowed)
 *   report   the written pages, the number of faults (one per page written),
 *            and a "checkpoint" that copies only those pages
 *
 * A fault the barrier did not cause (an address outside the pages, or a page it
 * already opened) is a real bug: the handler puts the default action back and
 * returns, the store faults again, and the kernel kills the program as usual.
 */
#include <stdint.h>

#include "lib/parse.h"
#include "lib/string.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define PAGE_SIZE     4096
#define DEFAULT_PAGES 8
#define MAX_PAGES     64
#define SEGV_ACCERR   2 /* si_code: the page is mapped, the access is not allowed */

/* The start of Linux's siginfo_t on x86-64, as far as a fault handler needs it. */
struct fault_info {
    int signal;    /* si_signo */
    int error;     /* si_errno */
    int code;      /* si_code: SEGV_MAPERR or SEGV_ACCERR */
    int padding;   /* the union that follows is 8-byte aligned */
    void *address; /* si_addr: the address the store went to */
};

/* The barrier's state: the pages it watches and what it saw. */
static char *pages;
static int page_count;
static volatile int written[MAX_PAGES]; /* set by the handler: page i was written */
static volatile int faults;             /* handler runs this round */

/* Return from the handler into the kernel's rt_sigreturn (system call 15), which
 * restores the registers saved in the signal frame; the handler's `ret` lands here
 * because sigaction gave this address as the restorer (SA_RESTORER). */
void wbarrier_restorer(void);
__asm__(".text\n"
        ".globl wbarrier_restorer\n"
        "wbarrier_restorer:\n"
        "    movl $15, %eax\n" /* SYS_rt_sigreturn */
        "    syscall\n");

/* Which watched page holds ADDRESS, or -1. */
static int page_of(const void *address)
{
    uintptr_t a = (uintptr_t)address, start = (uintptr_t)pages;
    if (a < start || a >= start + (uintptr_t)page_count * PAGE_SIZE)
        return -1;
    return (int)((a - start) / PAGE_SIZE);
}

/* The SIGSEGV handler: the first write to a watched page. Record it, open the page
 * for writing, and return: the faulting store is executed again and now succeeds. */
static void first_write(int sig, struct fault_info *info, void *context)
{
    (void)sig;
    (void)context;
    int i = page_of(info->address);
    if (i < 0 || info->code != SEGV_ACCERR || written[i]) {
        /* not ours: let the default action kill us when the store faults again */
        struct k_sigaction default_action = { .handler = SIG_DFL };
        sys_rt_sigaction(SIGSEGV, &default_action, 0, SIGSET_SIZE);
        return;
    }
    written[i] = 1;
    faults++;
    sys_mprotect(pages + (long)i * PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE);
}

/* Install first_write for SIGSEGV (with siginfo, so it learns the address). */
static void install_handler(void)
{
    struct k_sigaction action = {
        .handler = (signal_handler_t)(void (*)(void))first_write,
        .flags = SA_SIGINFO | SA_RESTORER,
        .restorer = wbarrier_restorer,
    };
    if (sys_rt_sigaction(SIGSEGV, &action, 0, SIGSET_SIZE) != 0) {
        printf("wbarrier: rt_sigaction failed\n");
        sys_exit_group(1);
    }
}

/* Arm the barrier: every page read-only, nothing written yet. */
static void arm(void)
{
    for (int i = 0; i < page_count; i++)
        written[i] = 0;
    faults = 0;
    sys_mprotect(pages, (size_t)page_count * PAGE_SIZE, PROT_READ);
}

/* The program under the barrier: a plain store, as any code would write it. */
static void store(int page, int offset, char value)
{
    ((volatile char *)pages)[(long)page * PAGE_SIZE + offset] = value;
}

/* Reading every byte never faults: the barrier only watches writes. */
static long read_all(void)
{
    long sum = 0;
    for (long i = 0; i < (long)page_count * PAGE_SIZE; i++)
        sum += ((volatile char *)pages)[i];
    return sum;
}

/* Print the written set, the counts, and what a checkpoint would copy. */
static void report(long sum_expected)
{
    int faults_before_reads = faults;
    long sum = read_all();
    printf("reads of all %d pages: %d faults, sum %s\n", page_count, faults - faults_before_reads,
           sum == sum_expected ? "as stored" : "WRONG");
    printf("written pages:");
    int count = 0;
    for (int i = 0; i < page_count; i++)
        if (written[i]) {
            printf(" %d", i);
            count++;
        }
    printf("\nfirst writes caught: %d, faults taken: %d\n", count, faults);
    printf("checkpoint copies %d of %d pages\n", count, page_count);
}

/* Round 1: a few pages, one of them many times (only its first store faults). */
static void round_one(void)
{
    printf("== round 1: %d pages read-only\n", page_count);
    arm();
    long sum = 0;
    int targets[] = { 2, 5, 2, page_count - 1 };
    for (unsigned t = 0; t < sizeof targets / sizeof targets[0]; t++) {
        int page = targets[t] % page_count;
        store(page, 8 * (int)t, 1);
        sum += 1;
        printf("store to page %d: faults so far %d\n", page, faults);
    }
    for (int k = 0; k < 100; k++) {
        store(5 % page_count, 1000 + k, 2);
        sum += 2;
    }
    printf("100 more stores to page %d: faults so far %d\n", 5 % page_count, faults);
    report(sum);
}

/* Round 2: armed again, the barrier forgets round 1 and sees only new writes. */
static void round_two(long sum_before)
{
    printf("== round 2: armed again\n");
    arm();
    long sum = sum_before;
    for (int page = 0; page < page_count; page += 3) {
        store(page, PAGE_SIZE - 1, 3);
        sum += 3;
    }
    report(sum);
}

int main(int argc, char **argv)
{
    page_count = DEFAULT_PAGES;
    uint64_t n;
    if (argc > 1 && (!parse_u64(argv[1], &n) || n < 1 || n > MAX_PAGES)) {
        printf("usage: wbarrier [PAGES]   (1 to %d)\n", MAX_PAGES);
        return 2;
    }
    if (argc > 1)
        page_count = (int)n;
    long m = sys_mmap(0, (size_t)page_count * PAGE_SIZE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m < 0) {
        printf("wbarrier: mmap failed\n");
        return 1;
    }
    pages = (char *)m;
    install_handler();
    round_one();
    round_two(read_all());
    return 0;
}
