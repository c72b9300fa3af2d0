/*
 * reserve.c — memory held down to a few frames: program text stays resident, and
 * system calls that need frames get them (or ENOMEM, for init alone).
 */
#include "oomtest.h"

/* ---- memory held below reclaim's reserve, nobody asking for more ---- */

/* In a child: touch pages until at most free_left frames are free (fewer than
 * reclaim's reserve, mm/reclaim.h's RECLAIM_MIN_FRAMES, but more than none), say
 * so, and hold them until stop. */
__attribute__((noreturn)) static void fill_until_free(long free_left)
{
    long pages = free_pages(), touched = 0, left;
    char *area = map((unsigned long)pages * PAGE_SIZE);
    /* half the way each time: vmstat's count walks the whole address space */
    while (area != NULL && touched < pages && (left = free_pages() - free_left) > 0) {
        for (long step = left > 1 ? left / 2 : 1; step > 0 && touched < pages; step--, touched++)
            *(uint64_t *)(area + touched * PAGE_SIZE) = pattern_word(sys_getpid(), touched);
    }
    shared->ready = 1;
    wait_for_flag(&shared->stop);
    sys_exit_group(0);
}

/* Free frames stay below reclaim's reserve, and nothing is left to reclaim but
 * program text: a fault's reclaim must not take the pages the program is running
 * (they would only come back at its next fault, every fault, for ever -- the
 * fork bomb's step hung so: init polled /proc with 63 frames free, 600 text
 * faults a second, no frame ever short, so no one killed). Init's loop through
 * open, read, snprintf and close keeps its text, and nobody dies. */
void text_stays_resident(void)
{
    check_section("memory held below reclaim's reserve: init's text stays resident");
    shared->ready = 0;
    shared->stop = 0;
    long holder = sys_fork();
    if (holder == 0)
        fill_until_free(TEXT_FREE_LEFT);
    EXPECT(holder > 0 && wait_for_flag(&shared->ready),
           "a child holds memory until %d frames are free", TEXT_FREE_LEFT);
    struct vmlab_vmstat before, after;
    vmstat_read(&before);
    for (int round = 0; round < TEXT_ROUNDS; round++)
        (void)process_gone(holder); /* open, read, snprintf, strrchr, close */
    vmstat_read(&after);
    long major = (long)(after.self.major_faults - before.self.major_faults);
    EXPECT(major < TEXT_ROUNDS / 4,
           "%d rounds of reading /proc/PID/stat read text pages %ld "
           "times (fewer than %d)",
           TEXT_ROUNDS, major, TEXT_ROUNDS / 4);
    shared->stop = 1;
    EXPECT(exited_with(reap(holder), 0), "the child holding memory was spared");
}

/* A system call that needs frames when none are free: the kernel's allocation
 * fails inside the call, which undoes its work and would return ENOMEM; instead
 * the kernel frees memory at the end of the call (the killer ends the holder, the
 * largest) and runs the call again, as Linux's allocator retries inside the
 * allocation. Without that, this fork said ENOMEM and the holder lived. */
void system_call_needs_memory(void)
{
    check_section("a system call needs memory: the largest process dies, the call succeeds");
    shared->ready = 0;
    shared->stop = 0;
    long holder = sys_fork();
    if (holder == 0)
        fill_until_free(SYSCALL_FREE_LEFT);
    EXPECT(holder > 0 && wait_for_flag(&shared->ready),
           "a child holds memory until %d frames are free", SYSCALL_FREE_LEFT);
    long child = sys_fork();
    if (child == 0)
        sys_exit_group(FORKED_EXIT);
    EXPECT(child > 0, "fork with %d frames free succeeds (%s)", SYSCALL_FREE_LEFT,
           child > 0 ? "a child" : errno_name(child));
    if (child > 0)
        EXPECT(exited_with(reap(child), FORKED_EXIT), "the forked child ran and exited %d",
               FORKED_EXIT);
    shared->stop = 1;
    EXPECT(killed_by(reap(holder), SIGKILL), "the child holding memory was killed by SIGKILL");
}

/* The same squeeze with nobody to kill: init itself holds the memory. A page
 * fault would have to end init (its last resort); a system call has an answer,
 * ENOMEM (Linux would panic: it never kills init). Before, the killer ended init
 * for its own fork, and with it the machine. */
void system_call_alone(void)
{
    check_section("a system call needs memory, init holds it all: ENOMEM, init lives");
    long pages = free_pages(), touched = 0, left;
    char *area = map((unsigned long)pages * PAGE_SIZE);
    EXPECT(area != NULL, "mmap %ld pages", pages);
    if (area == NULL)
        return;
    while (touched < pages && (left = free_pages() - SYSCALL_FREE_LEFT) > 0) {
        for (long step = left > 1 ? left / 2 : 1; step > 0 && touched < pages; step--, touched++)
            *(uint64_t *)(area + touched * PAGE_SIZE) = pattern_word(1, touched);
    }
    long child = sys_fork();
    if (child == 0)
        sys_exit_group(FORKED_EXIT);
    EXPECT(child == -ENOMEM, "init holds memory until %d frames are free; its fork: %s (ENOMEM)",
           SYSCALL_FREE_LEFT, child > 0 ? "a child" : errno_name(child));
    if (child > 0)
        reap(child);
    sys_munmap(area, (unsigned long)pages * PAGE_SIZE);
}
