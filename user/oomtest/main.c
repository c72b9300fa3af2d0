/*
 * oomtest — running out of memory: the largest process dies, never init, and
 * every frame comes back.
 *
 * vmlab only (it exhausts the machine's memory on purpose; on Linux it does
 * nothing). Run it as the first process with little memory:
 *
 *     tests/run-elf --mem 32M build/user/oomtest
 *
 * Each scenario makes a page fault find no free frame. The kernel's out-of-memory
 * killer (kernel/oom.c) must then kill the process with the largest resident set
 * -- not necessarily the one that faulted, and never init (this program) -- wait
 * for its memory, and let the faulting process go on with its pages intact:
 *
 *   holder + asker     a child holds 60% of memory; another child (or init itself)
 *                      touches 50%: the holder dies, the asker finishes, pages intact
 *   kernel asks        the same, but the asker's pages are first written by the
 *                      kernel (clock_gettime into each): the fault is in a copy_to_user
 *   hog                a child touches without end: it is the largest, it dies
 *   vfork              the holder waits in vfork: it and its vfork child both die
 *   page tables        a child reads one byte every 2 MiB of a huge mapping: its
 *                      rss stays near zero, but its page tables fill memory; it is
 *                      the largest and dies, a child holding 30% is spared
 *   many children      8 children take 1/6 of memory each and wait: some die, the
 *                      rest end normally with their pages intact
 *   text stays         a child holds memory until only 64 frames are free (under
 *                      reclaim's reserve); init's loop reading /proc keeps its
 *                      program text resident (few major faults), nobody dies
 *   system call        a child holds memory until only 4 frames are free; init
 *                      forks, which needs more (a kernel stack, page tables): the
 *                      fork finds no frame, the killer ends the holder, and the
 *                      fork is run again and succeeds (as on Linux: not ENOMEM)
 *   system call alone  init itself holds memory until only 4 frames are free and
 *                      forks: nobody may be killed (not init), so the fork says
 *                      ENOMEM and init goes on
 *   fork bomb          a doubling fork bomb whose every process writes its pages
 *                      (copy-on-write copies): all end, killed or normally
 *   until refused      mmap and brk of untouched memory until the kernel says ENOMEM
 *                      (no frames needed); then brk touching each step: killed
 *
 * The last line counts the processes killed by SIGKILL; tests/boot/processes.sh
 * checks that the kernel printed exactly that many "out of memory" lines, and that
 * the memory check at the end is clean.
 *
 * One file per concept: largest.c (the largest dies), groups.c (many children,
 * the fork bomb), reserve.c (memory held down to a few frames), refused.c
 * (address space until refused), common.c (helpers), oomtest.h.
 */
#include "oomtest.h"

int main(void)
{
    if (!vmstat_available()) {
        printf("oomtest: runs on vmlab only (it exhausts the machine's memory on purpose)\n");
        return 0;
    }
    shared = (struct shared *)sys_mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE,
                                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (IS_ERROR(shared)) {
        EXPECT(false, "mmap a shared page: %s", errno_name((long)shared));
        return check_summary("oomtest");
    }
    printf("oomtest: %ld free pages (%ld KiB)\n", free_pages(), free_pages() * PAGE_SIZE / 1024);
    holder_dies_for_a_child(BY_CPU);
    holder_dies_for_a_child(BY_KERNEL);
    holder_dies_for_init();
    hog_dies(BY_CPU);
    hog_dies(BY_KERNEL);
    vfork_holder_dies();
    page_table_hog_dies(BY_CPU);
    page_table_hog_dies(BY_KERNEL);
    many_children();
    text_stays_resident();
    system_call_needs_memory();
    system_call_alone();
    fork_bomb();
    until_refused();
    printf("oomtest: %d processes killed by SIGKILL in all\n", killed_in_all);
    return check_summary("oomtest");
}
