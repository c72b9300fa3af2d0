/*
 * common.c — the helpers of every scenario: the shared page, filling and checking
 * memory, children that hold or hog it, reaping.
 */
#include "oomtest.h"

struct shared *shared;
int killed_in_all;

void sleep_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
    sys_nanosleep(&t, NULL);
}

/* Wait (bounded) until *flag is non-zero; true if it became so. */
bool wait_for_flag(volatile int *flag)
{
    for (long waited = 0; !*flag && waited < PATIENCE_MS; waited += POLL_MS)
        sleep_ms(POLL_MS);
    return *flag != 0;
}

long free_pages(void)
{
    struct vmlab_vmstat s;
    vmstat_read(&s);
    return (long)s.free_frames;
}

/* The word page i of a pattern starts with: says whose and which page it is. */
uint64_t pattern_word(long owner, long i)
{
    return ((uint64_t)owner << 32) ^ (uint64_t)i ^ 0x5a5a000000000000ul;
}

/* Write the pattern of `owner` into the first and last word of each page. By the
 * CPU, or by the kernel: clock_gettime stores a timespec at the page's start, so
 * the first write of an untouched page is a page fault inside copy_to_user. */
void fill(char *area, long pages, long owner, enum toucher who)
{
    for (long i = 0; i < pages; i++) {
        uint64_t *page = (uint64_t *)(area + i * PAGE_SIZE);
        if (who == BY_KERNEL)
            sys_clock_gettime(CLOCK_MONOTONIC, (struct timespec *)page);
        else
            page[0] = pattern_word(owner, i);
        page[PAGE_SIZE / 8 - 1] = pattern_word(owner, i);
    }
}

bool intact(const char *area, long pages, long owner, enum toucher who)
{
    for (long i = 0; i < pages; i++) {
        const uint64_t *page = (const uint64_t *)(area + i * PAGE_SIZE);
        bool first_ok =
            who == BY_KERNEL ? page[1] < 1000000000ul : page[0] == pattern_word(owner, i);
        if (!first_ok || page[PAGE_SIZE / 8 - 1] != pattern_word(owner, i) || page[100] != 0)
            return false;
    }
    return true;
}

char *map(unsigned long bytes)
{
    long area = sys_mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return IS_ERROR(area) ? NULL : (char *)area;
}

/* In a child: take `pages` of memory, then exit 0 if they read back intact. */
__attribute__((noreturn)) void take_and_check(long pages, enum toucher who)
{
    char *area = map((unsigned long)pages * PAGE_SIZE);
    if (area == NULL)
        sys_exit_group(PAGES_WRONG);
    fill(area, pages, sys_getpid(), who);
    sys_exit_group(intact(area, pages, sys_getpid(), who) ? 0 : PAGES_WRONG);
}

/* In a child: take `pages`, say so, then sleep until killed. */
__attribute__((noreturn)) void hold(long pages)
{
    char *area = map((unsigned long)pages * PAGE_SIZE);
    if (area != NULL)
        fill(area, pages, sys_getpid(), BY_CPU);
    shared->ready = 1;
    sleep_ms(PATIENCE_MS);
    sys_exit_group(NOT_KILLED);
}

/* In a child: touch without end (1 TiB of address space), until killed. */
__attribute__((noreturn)) void hog(enum toucher who)
{
    char *area = map(HUGE_MAPPING);
    if (area != NULL)
        fill(area, HUGE_MAPPING / PAGE_SIZE, sys_getpid(), who);
    sys_exit_group(NOT_KILLED);
}

/* wait4 for pid; counts a SIGKILL. Returns the status (or -errno). */
long reap(long pid)
{
    int status = 0;
    long result = sys_wait4((int)pid, &status, 0, NULL);
    if (result < 0)
        return result;
    killed_in_all += killed_by(status, SIGKILL);
    return status;
}

long start_holder(long pages)
{
    shared->ready = 0;
    long pid = sys_fork();
    if (pid == 0)
        hold(pages);
    EXPECT(pid > 0 && wait_for_flag(&shared->ready), "a child holds %ld pages", pages);
    return pid;
}

const char *toucher_name(enum toucher who)
{
    return who == BY_CPU ? "the CPU" : "the kernel (a user copy)";
}
