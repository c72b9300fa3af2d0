/*
 * largest.c — one process holds or takes the most memory (its pages, or its page
 * tables) and is the one the killer ends; a vfork parent dies with its child.
 */
#include "oomtest.h"

/* The holder has the most memory; a smaller child's fault must kill it. */
void holder_dies_for_a_child(enum toucher who)
{
    long memory = free_pages();
    check_section("the largest process dies, not the one that needed a page");
    long holder = start_holder(memory * 6 / 10);
    long asker = sys_fork();
    if (asker == 0)
        take_and_check(memory / 2, who);
    EXPECT(exited_with(reap(asker), 0),
           "a child touching 50%% of memory (written by %s) ends "
           "normally with its pages intact",
           toucher_name(who));
    EXPECT(killed_by(reap(holder), SIGKILL), "the child holding 60%% was killed by SIGKILL");
}

/* Init itself needs the memory: the holder dies, init goes on. */
void holder_dies_for_init(void)
{
    long memory = free_pages();
    check_section("init needs memory: the largest child dies, init goes on");
    long holder = start_holder(memory * 6 / 10);
    long pages = memory / 2;
    char *area = map((unsigned long)pages * PAGE_SIZE);
    EXPECT(area != NULL, "mmap %ld pages", pages);
    if (area != NULL) {
        fill(area, pages, 1, BY_CPU);
        EXPECT(intact(area, pages, 1, BY_CPU), "init touched 50%% of memory, its pages intact");
        sys_munmap(area, (unsigned long)pages * PAGE_SIZE);
    }
    EXPECT(killed_by(reap(holder), SIGKILL), "the child holding 60%% was killed by SIGKILL");
}

void hog_dies(enum toucher who)
{
    check_section("a process touching without end is the largest: it dies");
    long pid = sys_fork();
    if (pid == 0)
        hog(who);
    EXPECT(killed_by(reap(pid), SIGKILL),
           "a child touching 1 TiB (written by %s) was killed by "
           "SIGKILL",
           toucher_name(who));
}

/* In a child: read one byte every 2 MiB of 1 TiB of address space, until killed.
 * Each read maps only the zero page (rss stays near zero) but needs a page table
 * of its own, so memory fills with page tables. By the CPU, or by the kernel:
 * nanosleep reads its timespec (zeros: no sleep) from each place. */
__attribute__((noreturn)) static void page_table_hog(enum toucher who)
{
    volatile char *area = (volatile char *)sys_mmap(
        NULL, HUGE_MAPPING, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (IS_ERROR(area))
        sys_exit_group(PAGES_WRONG);
    for (unsigned long offset = 0; offset < HUGE_MAPPING; offset += PAGE_TABLE_SPAN) {
        if (who == BY_KERNEL)
            sys_nanosleep((const struct timespec *)(area + offset), NULL);
        else
            (void)area[offset];
    }
    sys_exit_group(NOT_KILLED);
}

/* In a child: take `pages`, say so, wait for stop, exit 0 if they read back intact. */
__attribute__((noreturn)) static void hold_until_stopped(long pages)
{
    char *area = map((unsigned long)pages * PAGE_SIZE);
    if (area != NULL)
        fill(area, pages, sys_getpid(), BY_CPU);
    shared->ready = 1;
    wait_for_flag(&shared->stop);
    sys_exit_group(area != NULL && intact(area, pages, sys_getpid(), BY_CPU) ? 0 : PAGES_WRONG);
}

/* Page tables are memory too: a process whose memory is nearly all page tables
 * (rss near zero) is the largest, and dies -- not a holder with a big rss. */
void page_table_hog_dies(enum toucher who)
{
    long memory = free_pages();
    check_section("a process filling memory with page tables is the largest: it dies");
    shared->ready = 0;
    shared->stop = 0;
    long holder = sys_fork();
    if (holder == 0)
        hold_until_stopped(memory * 3 / 10);
    EXPECT(holder > 0 && wait_for_flag(&shared->ready), "a child holds 30%% of memory");
    long hog = sys_fork();
    if (hog == 0)
        page_table_hog(who);
    EXPECT(killed_by(reap(hog), SIGKILL),
           "a child reading every 2 MiB of 1 TiB (read by %s) "
           "was killed by SIGKILL",
           toucher_name(who));
    shared->stop = 1;
    EXPECT(exited_with(reap(holder), 0), "the child holding 30%% of memory was spared, its "
                                         "pages intact");
}

/* The holder is a vfork parent: its vfork child borrows its memory. Killing only
 * one of them would free nothing: both die. */
void vfork_holder_dies(void)
{
    long memory = free_pages();
    check_section("the largest process waits in vfork: it and its vfork child die");
    shared->ready = 0;
    shared->vfork_child = 0;
    long holder = sys_fork();
    if (holder == 0) {
        char *area = map((unsigned long)memory * 6 / 10 * PAGE_SIZE);
        if (area != NULL)
            fill(area, memory * 6 / 10, sys_getpid(), BY_CPU);
        long child = sys_vfork();
        if (child == 0) {
            shared->vfork_child = sys_getpid();
            shared->ready = 1;
            sleep_ms(PATIENCE_MS);
            sys_exit_group(NOT_KILLED);
        }
        sys_exit_group(NOT_KILLED); /* only after the vfork child ended */
    }
    EXPECT(wait_for_flag(&shared->ready), "the holder's vfork child runs");
    long pages = memory / 2;
    char *area = map((unsigned long)pages * PAGE_SIZE);
    if (area != NULL) {
        fill(area, pages, 1, BY_CPU);
        EXPECT(intact(area, pages, 1, BY_CPU), "init touched 50%% of memory, its pages intact");
        sys_munmap(area, (unsigned long)pages * PAGE_SIZE);
    }
    EXPECT(killed_by(reap(holder), SIGKILL), "the vfork parent holding 60%% was killed by SIGKILL");
    EXPECT(killed_by(reap(shared->vfork_child), SIGKILL), "its vfork child too");
}
