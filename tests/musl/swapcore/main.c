/*
 * swapcore — the swap core's promises, checked from a program under memory pressure:
 *
 *   swapcore run FILLER_MIB SWAPDEV
 *
 * First one page's journey, the worked example of mm/README.md ("Reclaim: one
 * page's journey"; tests/boot/swap-core.sh checks the README shows these lines):
 *   journey: written 42: resident yes, smaps Swap 0 kB
 *   journey: after pressure: resident no, smaps Swap 4 kB
 *   journey: read back 42: resident yes, smaps Swap 0 kB, major faults +1
 * and the same for a page of shared anonymous memory ("journey: shared page ...").
 * Then each step pushes pages out to swap by touching FILLER_MIB of other memory (more
 * than RAM), then checks what came back:
 *   pushed     a region's pages leave memory (mincore) and read back byte for byte
 *   clean copy pages read back by reads are not written again when pushed out again
 *              (/proc/vmstat pswpout); a write to one lets its slot go
 *   readahead  read-ahead shrinks for strided touches, finds pages read in order
 *              (/proc/vmstat swap_ra, swap_ra_hit)
 *   mlock      a locked region's pages never leave (mincore, smaps Locked, VmLck);
 *              mlock's errors (ENOMEM, EINVAL) and MAP_LOCKED
 *   fork       pages fork shares, swapped out and in, stay shared until a write
 *              copies them: the child sees its own writes, the parent its bytes
 *   munmap     unmapping swapped pages gives their slots back: VmSwap falls by the
 *              region's smaps Swap, exactly
 *   mremap     a moved region keeps its swapped pages, and VmSwap stays
 *   PROT_NONE  a swapped page under PROT_NONE reads back after mprotect allows it
 *   mincore    swapped pages a forked child read in are resident for the parent
 *              too (in the swap cache); private copies of file pages in swap are
 *              not, though the file's own pages are cached
 *   mapped     meminfo's Mapped grows and drops by a shared region's pages
 *   swapoff, too big   with 1.5 times the memory on the area, the process calling
 *              swapoff is the OOM killer's victim, not the holder of the pages
 *   cold       madvise(MADV_COLD): the first cold page goes first under Clock,
 *              aging and WSClock (a region limited to 8 frames); FIFO ignores it
 *   pageout    madvise(MADV_PAGEOUT) sends a region's pages to swap at once (smaps
 *              Swap, mincore) and they read back; pages fork shares stay; a locked
 *              range: EINVAL
 *   local set  a region limited to 8 frames (vmlab call 502) keeps 8 resident,
 *              also shared with a child (the kernel's memory check, run at each
 *              reap, recounts the set: mm/check_swap.c); when the owner unmaps
 *              the range its set is empty (call 503), though the child still
 *              maps the pages, and the child reads them back
 *   cmdline    a process whose argument and environment pages are swapped out
 *              (its own mincore says so): another reads its /proc/PID/cmdline
 *              and environ in full (the kernel swaps them in to read them)
 *   shared     MAP_SHARED|MAP_ANONYMOUS memory twice the free memory, filled
 *              by a child, goes to swap (pswpout, smaps Swap, mincore); a second
 *              child reads every word back and the parent's store, and its own
 *              store comes back to the parent through swap; munmap frees every
 *              slot (SwapFree up by the region's Swap)
 *   readahead, shared  a private region's swap-in reads ahead only private
 *              pages, never the slots of shared anonymous memory written out
 *              between them (read by their own faults): every page it read ahead
 *              in order was used (swap_ra against swap_ra_hit; 82 of 960 were
 *              not, when it read those slots too)
 *   remove     MADV_REMOVE of shared anonymous pages that are out frees their
 *              slots (SwapFree up by the region's Swap, smaps Swap 0) and reads
 *              them as zeros, with no swap-in
 *   swapoff    swapoff(SWAPDEV) brings every page back (VmSwap 0, bytes right),
 *              shared anonymous ones too; without swap, a child filling shared
 *              memory twice the free memory is OOM-killed; then swapon(SWAPDEV)
 *              enables the area again
 * Lines are "ok: ..." or "FAILED: ..."; the last is "swapcore: PASS" (exit 0) or
 * "swapcore: FAIL (N)". Without arguments it prints this usage and exits 0 (the
 * host runs every musl program that way). tests/boot/swap-core.sh runs it.
 * One file per concept: journey.c, private.c (private pages), mincore.c (what
 * mincore says of swapped pages), pageout.c (MADV_PAGEOUT), cold.c (MADV_COLD),
 * process.c (local
 * sets, /proc of others), shared.c (shared anonymous memory), common.c
 * (helpers); swapoff is here.
 */
#include "swapcore.h"

static void step_swapoff(const char *dev)
{
    size_t bytes = 8 * MIB;
    uint64_t *o = map(bytes), *shared = map_shared(bytes);
    fill(o, bytes, 8);
    fill(shared, bytes, 9);
    push_out();
    check(vm_swap_kb() > 0, "swapoff: pages swapped out before");
    check(proc_kb("/proc/self/smaps", (unsigned long)shared, "Swap:") > 0,
          "swapoff: shared anonymous pages swapped out before");
    check(syscall(SYS_swapoff, dev) == 0, "swapoff: %s", dev);
    check(vm_swap_kb() == 0, "swapoff: VmSwap 0 after");
    check(proc_kb("/proc/self/smaps", (unsigned long)shared, "Swap:") == 0,
          "swapoff: shared region's Swap 0 after");
    check(resident_pages(o, bytes) == bytes / PAGE, "swapoff: every page in memory");
    check(resident_pages(shared, bytes) == bytes / PAGE, "swapoff: every shared page in memory");
    check(wrong_words(o, bytes, 8) == 0, "swapoff: every word right");
    check(wrong_words(shared, bytes, 9) == 0, "swapoff: every shared word right");
    munmap(shared, bytes);
    step_shared_no_swap();
    check(syscall(SYS_swapon, dev, 0) == 0, "swapon: %s again", dev);
    unmap(o, bytes);
}

static const char *swap_device; /* SWAPDEV */

/* swapoff with more on the area than memory can take: as on Linux (oom_origin),
 * the process calling it is the one the OOM killer ends, not the holder of the
 * pages, whose words all read back; the area stays on. */
static void step_swapoff_too_big(void)
{
    size_t bytes = (size_t)meminfo_kb("MemTotal:") * 1024 * 3 / 2 / MIB * MIB;
    int ready[2], stop[2];
    if (pipe(ready) != 0 || pipe(stop) != 0) {
        check(0, "swapoff, too big: pipes");
        return;
    }
    pid_t holder = fork();
    if (holder == 0) {
        uint64_t *p = map(bytes);
        fill(p, bytes, 22);
        char byte;
        _exit(write(ready[1], "r", 1) == 1 && read(stop[0], &byte, 1) == 1 &&
                      wrong_words(p, bytes, 22) == 0
                  ? 0
                  : 1);
    }
    char byte;
    check(read(ready[0], &byte, 1) == 1, "swapoff, too big: a child holds 1.5 times the memory");
    pid_t caller = fork();
    if (caller == 0)
        _exit(syscall(SYS_swapoff, swap_device) == 0 ? 0 : 1);
    int status = -1;
    waitpid(caller, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
          "swapoff, too big: the process calling swapoff was killed by SIGKILL (status 0x%x)",
          status);
    check(meminfo_kb("SwapTotal:") > 0, "swapoff, too big: the area is still on");
    status = -1;
    int reaped = write(stop[1], "s", 1) == 1 && waitpid(holder, &status, 0) == holder;
    check(reaped && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "swapoff, too big: the holder was spared and read back every word (status 0x%x)", status);
    close(ready[0]), close(ready[1]), close(stop[0]), close(stop[1]);
}

static void step_swapoff_device(void)
{
    step_swapoff(swap_device);
}

/* The steps in order; each prints how long it took ("# journey: 812 ms") on
 * a comment line, so a slow one shows in the boot's log. */
static const struct {
    const char *name;
    void (*run)(void);
} steps[] = {
    /* clang-format off: one step a line */
    { "journey", step_journey },
    { "journey, shared", step_journey_shared },
    { "pushed", step_pushed },
    { "clean copy", step_clean_copy },
    { "readahead", step_readahead },
    { "mlock", step_mlock },
    { "lock rules", step_lock_rules },
    { "fork", step_fork },
    { "munmap", step_munmap },
    { "mremap", step_mremap },
    { "PROT_NONE", step_prot_none },
    { "mincore", step_mincore },
    { "pageout", step_pageout },
    { "cold", step_cold },
    { "local set", step_local_set },
    { "cmdline", step_cmdline },
    { "mapped", step_mapped },
    { "shared", step_shared },
    { "readahead, shared", step_readahead_shared },
    { "remove", step_remove_shared },
    { "swapoff, too big", step_swapoff_too_big },
    { "swapoff", step_swapoff_device },
    /* clang-format on */
};

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 2 && strcmp(argv[1], "sleep") == 0)
        return sleeper(argc, argv);
    if (argc != 4 || strcmp(argv[1], "run") != 0) {
        printf("usage: swapcore run FILLER_MIB SWAPDEV (on a kernel with swap enabled)\n");
        return 0;
    }
    alarm(600);
    filler_bytes = strtoul(argv[2], NULL, 10) * MIB;
    swap_device = argv[3];
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        long start = now_ms();
        steps[i].run();
        printf("# %s: %ld ms\n", steps[i].name, now_ms() - start);
    }
    if (failures == 0)
        printf("swapcore: PASS\n");
    else
        printf("swapcore: FAIL (%d)\n", failures);
    return failures == 0 ? 0 : 1;
}
