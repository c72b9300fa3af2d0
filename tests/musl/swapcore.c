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
 */
#define _GNU_SOURCE /* mremap */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096ul
#define MIB  (1ul << 20)

static int failures;

static void check(int ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s: ", ok ? "ok" : "FAILED");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    failures += !ok;
}

/* The word at index i of region `tag`: different for every region and word. */
static uint64_t pattern(uint64_t tag, uint64_t i)
{
    uint64_t x = (tag << 40) ^ (i * 0x9e3779b97f4a7c15ul);
    return x ^ (x >> 29);
}

static void fill(uint64_t *p, size_t bytes, uint64_t tag)
{
    for (size_t i = 0; i < bytes / 8; i++)
        p[i] = pattern(tag, i);
}

/* Words of p that are not the pattern (0: all right). */
static size_t wrong_words(const uint64_t *p, size_t bytes, uint64_t tag)
{
    size_t wrong = 0;
    for (size_t i = 0; i < bytes / 8; i++)
        wrong += p[i] != pattern(tag, i);
    return wrong;
}

/* bytes of fresh memory, a region of its own: a PROT_NONE page on each side keeps
 * it from merging with a neighbour, so that smaps shows exactly its pages. */
static void *map(size_t bytes)
{
    char *p =
        mmap(NULL, bytes + 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED || mprotect(p, PAGE, PROT_NONE) != 0 ||
        mprotect(p + PAGE + bytes, PAGE, PROT_NONE) != 0) {
        printf("FAILED: mmap of %zu bytes\n", bytes);
        exit(1);
    }
    return p + PAGE;
}

static void unmap(void *p, size_t bytes)
{
    munmap((char *)p - PAGE, bytes + 2 * PAGE);
}

static size_t filler_bytes;

/* Touch more memory than there is, so that older pages go to swap; then let it go. */
static void push_out(void)
{
    uint64_t *f = map(filler_bytes);
    for (size_t i = 0; i < filler_bytes / 8; i += PAGE / 8)
        f[i] = i;
    unmap(f, filler_bytes);
}

/* Pages of [p, p + bytes) resident now. */
static size_t resident_pages(void *p, size_t bytes)
{
    static unsigned char vec[64 * MIB / PAGE];
    size_t pages = bytes / PAGE, resident = 0;
    if (pages > sizeof vec || mincore(p, bytes, vec) != 0)
        return (size_t)-1;
    for (size_t i = 0; i < pages; i++)
        resident += vec[i] & 1;
    return resident;
}

/* A "Name:   N kB" line of a /proc file, in kB, for the region starting at start
 * (smaps; start 0: the first such line, as in status). -1 if not found. */
static long proc_kb(const char *file, unsigned long start, const char *name)
{
    FILE *f = fopen(file, "r");
    if (f == NULL)
        return -1;
    char line[256];
    int in_region = start == 0;
    long value = -1;
    while (value < 0 && fgets(line, sizeof line, f) != NULL) {
        unsigned long from, to;
        if (start != 0 && sscanf(line, "%lx-%lx ", &from, &to) == 2)
            in_region = from == start;
        else if (in_region && strncmp(line, name, strlen(name)) == 0)
            value = strtol(line + strlen(name), NULL, 10);
    }
    fclose(f);
    return value;
}

static long vm_swap_kb(void)
{
    return proc_kb("/proc/self/status", 0, "VmSwap:");
}

static long major_faults(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_majflt;
}

/* Pages written just before and after the journey's page and never touched again:
 * reclaim takes pages in load order, so these take the slots around its slot, and
 * no other page's swap-in reads it early (read-ahead reads up to 7 following slots;
 * a page read back by a read keeps its slot, as a clean copy). */
#define JOURNEY_GUARD_PAGES 8

static uint64_t *written_guard(void)
{
    uint64_t *g = map(JOURNEY_GUARD_PAGES * PAGE);
    for (size_t i = 0; i < JOURNEY_GUARD_PAGES; i++)
        g[i * PAGE / 8] = i;
    return g;
}

/* One page, alone in its region: written, pushed out, read back. */
static void step_journey(void)
{
    uint64_t *guard_before = written_guard();
    volatile uint64_t *page = map(PAGE);
    page[0] = 42;
    uint64_t *guard_after = written_guard();
    printf("journey: written %lu: resident %s, smaps Swap %ld kB\n", (unsigned long)page[0],
           resident_pages((void *)page, PAGE) == 1 ? "yes" : "no",
           proc_kb("/proc/self/smaps", (unsigned long)page, "Swap:"));
    push_out();
    push_out(); /* twice: clock passes over a page once (its accessed bit), then takes it */
    printf("journey: after pressure: resident %s, smaps Swap %ld kB\n",
           resident_pages((void *)page, PAGE) == 1 ? "yes" : "no",
           proc_kb("/proc/self/smaps", (unsigned long)page, "Swap:"));
    long before = major_faults();
    uint64_t value = page[0];
    long faults = major_faults() - before;
    printf("journey: read back %lu: resident %s, smaps Swap %ld kB, major faults +%ld\n",
           (unsigned long)value, resident_pages((void *)page, PAGE) == 1 ? "yes" : "no",
           proc_kb("/proc/self/smaps", (unsigned long)page, "Swap:"), faults);
    check(value == 42, "journey: the page read back");
    unmap((void *)page, PAGE);
    unmap(guard_before, JOURNEY_GUARD_PAGES * PAGE);
    unmap(guard_after, JOURNEY_GUARD_PAGES * PAGE);
}

static void step_pushed(void)
{
    size_t bytes = 8 * MIB;
    uint64_t *a = map(bytes);
    fill(a, bytes, 1);
    push_out();
    size_t resident = resident_pages(a, bytes);
    check(resident < bytes / PAGE, "pushed: %s of 8 MiB left memory",
          resident < bytes / PAGE ? "some" : "none");
    check(vm_swap_kb() > 0, "pushed: VmSwap above 0");
    check(wrong_words(a, bytes, 1) == 0, "pushed: every word read back");
    unmap(a, bytes);
}

/* A counter of /proc/vmstat ("pswpout"), or -1. */
static long vmstat_counter(const char *name)
{
    FILE *f = fopen("/proc/vmstat", "r");
    char key[64];
    long value, found = -1;
    while (f != NULL && found < 0 && fscanf(f, "%63s %ld", key, &value) == 2)
        if (strcmp(key, name) == 0)
            found = value;
    if (f != NULL)
        fclose(f);
    return found;
}

/* Pages written out twice with push_out, as counted by pswpout. */
static long pages_written_by_pressure(void)
{
    long before = vmstat_counter("pswpout");
    push_out();
    push_out();
    return vmstat_counter("pswpout") - before;
}

/* Pages swapped in by reads stay in the swap cache as clean copies (Linux does the
 * same while swap is less than half full): pushed out again they are not written
 * again, so pswpout grows by far less than when the same pages were written just
 * before. The first write to a clean copy lets its slot go, so the new bytes are
 * what comes back. */
static void step_clean_copy(void)
{
    size_t bytes = 8 * MIB, pages = bytes / PAGE;
    uint64_t *a = map(bytes);
    fill(a, bytes, 7);
    push_out();
    push_out();
    check(wrong_words(a, bytes, 7) == 0, "clean copy: every word read back");
    long clean = pages_written_by_pressure();
    check(proc_kb("/proc/self/smaps", (unsigned long)a, "Swap:") > 0,
          "clean copy: pushed out again");
    check(wrong_words(a, bytes, 7) == 0, "clean copy: every word read back again");
    fill(a, bytes, 8); /* writes to pages mapped read-only as clean copies */
    long dirty = pages_written_by_pressure();
    check(wrong_words(a, bytes, 8) == 0, "clean copy: every rewritten word read back");
    check(clean >= 0 && dirty >= 0 && clean + (long)pages / 2 < dirty,
          "clean copy: pushing out %zu pages read back wrote %s after writing them", pages,
          clean + (long)pages / 2 < dirty ? "far fewer pages than" : "about as many pages as");
    printf("# clean copy: pswpout +%ld (clean), +%ld (written)\n", clean, dirty);
    unmap(a, bytes);
}

/* Swap read-ahead learns (mm/swap_in.c): touching every 8th page of a swapped-out
 * region reads ahead pages nobody uses, so the window shrinks to the page itself;
 * reading a region in order finds its pages read ahead. /proc/vmstat's swap_ra
 * counts pages read ahead, swap_ra_hit those a fault found. */
static void step_readahead(void)
{
    size_t bytes = 8 * MIB, pages = bytes / PAGE, stride = 8;
    uint64_t *a = map(bytes);
    fill(a, bytes, 9);
    push_out();
    push_out();
    long ra = vmstat_counter("swap_ra");
    size_t wrong = 0;
    for (size_t p = 0; p < pages; p += stride)
        wrong += a[p * PAGE / 8] != pattern(9, p * PAGE / 8);
    long strided = vmstat_counter("swap_ra") - ra;
    check(wrong == 0, "readahead: every 8th page read back");
    check(ra >= 0 && strided < (long)(pages / stride),
          "readahead: touching every 8th page read ahead fewer pages than it touched");
    printf("# readahead: every 8th page of %zu: swap_ra +%ld\n", pages, strided);
    long hits = vmstat_counter("swap_ra_hit");
    check(wrong_words(a, bytes, 9) == 0, "readahead: every word read back in order");
    long found = vmstat_counter("swap_ra_hit") - hits;
    check(hits >= 0 && found > (long)pages / 4,
          "readahead: reading in order found pages read ahead (over a quarter of them)");
    printf("# readahead: in order: swap_ra_hit +%ld\n", found);
    unmap(a, bytes);
}

static void step_mlock(void)
{
    size_t bytes = 2 * MIB;
    uint64_t *l = map(bytes);
    check(mlock(l, bytes) == 0, "mlock: 2 MiB locked");
    fill(l, bytes, 2);
    push_out();
    check(resident_pages(l, bytes) == bytes / PAGE, "mlock: every locked page stayed in memory");
    check(proc_kb("/proc/self/smaps", (unsigned long)l, "Locked:") == 2048,
          "mlock: smaps Locked 2048 kB");
    check(proc_kb("/proc/self/smaps", (unsigned long)l, "Swap:") == 0, "mlock: smaps Swap 0 kB");
    check(proc_kb("/proc/self/status", 0, "VmLck:") == 2048, "mlock: VmLck 2048 kB");
    check(wrong_words(l, bytes, 2) == 0, "mlock: every word right");
    check(munlock(l, bytes) == 0, "munlock");
    push_out();
    check(resident_pages(l, bytes) < bytes / PAGE, "munlock: unlocked pages may leave again");
    check(wrong_words(l, bytes, 2) == 0, "munlock: every word read back");
    unmap(l, bytes);
}

/* mlock's rules as Linux has them, and MAP_LOCKED: a locked mapping from the start. */
static void step_lock_rules(void)
{
    char *hole = map(PAGE);
    unmap(hole, PAGE); /* now nothing is mapped there */
    errno = 0;
    check(mlock(hole, PAGE) == -1 && errno == ENOMEM, "mlock of an unmapped page: ENOMEM");
    errno = 0;
    check(mlockall(0) == -1 && errno == EINVAL, "mlockall(0): EINVAL");
    errno = 0;
    check(syscall(SYS_mlock2, hole, PAGE, 2) == -1 && errno == EINVAL,
          "mlock2 with flag 2: EINVAL");
    size_t bytes = 1 * MIB;
    char *l =
        mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    check(l != MAP_FAILED, "MAP_LOCKED: mapped");
    if (l == MAP_FAILED)
        return;
    check(resident_pages(l, bytes) == bytes / PAGE, "MAP_LOCKED: every page present at once");
    check(proc_kb("/proc/self/smaps", (unsigned long)l, "Locked:") == 1024,
          "MAP_LOCKED: smaps Locked 1024 kB");
    push_out();
    check(resident_pages(l, bytes) == bytes / PAGE, "MAP_LOCKED: still in memory after pressure");
    munmap(l, bytes);
}

static void step_fork(void)
{
    size_t bytes = 4 * MIB;
    uint64_t *s = map(bytes);
    fill(s, bytes, 3);
    pid_t child = fork();
    if (child == 0) {
        push_out();
        size_t wrong = wrong_words(s, bytes, 3);
        fill(s, bytes / 2, 4); /* copy-on-write of swapped-in pages */
        push_out();
        wrong += wrong_words(s, bytes / 2, 4);
        for (size_t i = bytes / 16; i < bytes / 8; i++) /* the second half: still tag 3 */
            wrong += s[i] != pattern(3, i);
        _exit(wrong == 0 ? 0 : 1);
    }
    int status = -1;
    waitpid(child, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "fork: the child read the shared pages back and saw its own writes");
    push_out();
    check(wrong_words(s, bytes, 3) == 0, "fork: the parent's pages are its own bytes");
    unmap(s, bytes);
}

static void step_munmap(void)
{
    size_t bytes = 8 * MIB;
    uint64_t *m = map(bytes);
    fill(m, bytes, 5);
    push_out();
    long swap = proc_kb("/proc/self/smaps", (unsigned long)m, "Swap:");
    long before = vm_swap_kb();
    unmap(m, bytes);
    long after = vm_swap_kb();
    check(swap > 0 && before - after == swap, "munmap: VmSwap fell by the region's Swap (%s)",
          swap > 0 ? "above 0" : "none swapped");
    if (swap <= 0 || before - after != swap)
        printf("  (Swap %ld kB, VmSwap %ld kB before, %ld kB after)\n", swap, before, after);
}

static void step_mremap(void)
{
    size_t bytes = 4 * MIB;
    uint64_t *r = map(bytes);
    fill(r, bytes, 6);
    push_out();
    long swap = proc_kb("/proc/self/smaps", (unsigned long)r, "Swap:");
    /* VmSwap read twice the same way: reading cannot swap in a page of its own
     * the second time that it did not the first (a stdio buffer, say) */
    long before = vm_swap_kb();
    /* (the guard page above it is in the way: it moves) */
    uint64_t *moved = mremap(r, bytes, 2 * bytes, MREMAP_MAYMOVE);
    long after = vm_swap_kb();
    check(moved != MAP_FAILED, "mremap: moved");
    if (moved == MAP_FAILED)
        return;
    check(moved == r || proc_kb("/proc/self/smaps", (unsigned long)moved, "Swap:") == swap,
          "mremap: the moved region's Swap is the old one's");
    check(after == before, "mremap: VmSwap unchanged");
    if (after != before)
        printf("  (VmSwap %ld kB before, %ld kB after)\n", before, after);
    check(wrong_words(moved, bytes, 6) == 0, "mremap: every word read back at the new place");
    munmap(moved, 2 * bytes);
    unmap(r, 0); /* the guard pages left behind */
}

static void step_prot_none(void)
{
    size_t bytes = 4 * MIB;
    uint64_t *p = map(bytes);
    fill(p, bytes, 7);
    push_out();
    check(mprotect(p, bytes, PROT_NONE) == 0, "PROT_NONE: mprotect");
    push_out();
    check(mprotect(p, bytes, PROT_READ) == 0, "PROT_NONE: mprotect back to PROT_READ");
    check(wrong_words(p, bytes, 7) == 0, "PROT_NONE: every word read back");
    unmap(p, bytes);
}

#define NR_vmlab_resident_limit 502 /* vmlab's own: local replacement, N frames */
#define NR_vmlab_resident_stat  503 /* and its counts (kernel/sys_resident.c) */

struct vmlab_resident {
    uint64_t start, end, limit, resident, faults, evictions;
};

/* A child that exits at once: its reaping runs the kernel's memory check
 * (tests/run-elf turns it on) while this process's local resident set is live. */
static void reap_one(void)
{
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, NULL, 0);
}

/* A region limited to 8 frames (mm/resident_limit.h) holds its own resident set;
 * the memory check recounts it (mm/check_swap.c) after each reap here: its pages
 * are mapped by this process inside the range, also while a child shares them;
 * the child reads them back after this process unmapped the range. */
static void step_local_set(void)
{
    size_t pages = 64, frames = 8;
    uint64_t *r = map(pages * PAGE);
    long limited = syscall(NR_vmlab_resident_limit, r, pages * PAGE, frames);
    check(limited == 0, "local set: limit 64 pages to 8 frames: %ld", limited);
    fill(r, pages * PAGE, 9);
    check(resident_pages(r, pages * PAGE) == frames, "local set: 8 of 64 pages resident");
    reap_one();
    int hold[2];
    if (pipe(hold) != 0)
        return;
    pid_t sharer = fork();
    if (sharer == 0) {
        char byte;
        close(hold[1]);
        _exit(read(hold[0], &byte, 1) == 0 && wrong_words(r, pages * PAGE, 9) == 0 ? 0 : 1);
    }
    close(hold[0]);
    reap_one(); /* the set's pages mapped by both */
    unmap(r, pages * PAGE);
    /* the child alone maps them now: they leave this process's set */
    struct vmlab_resident stat = { 0 };
    long got = syscall(NR_vmlab_resident_stat, &stat);
    check(got == 0 && stat.resident == 0,
          "local set: after the owner unmapped its range, pages on its set: %lu (0)",
          got == 0 ? (unsigned long)stat.resident : 999ul);
    reap_one(); /* the check: no page of the set is mapped outside its owner's range */
    close(hold[1]);
    int status = -1;
    waitpid(sharer, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "local set: a child sharing the pages reads them back after the parent unmapped them");
}

/* The cmdline step's process: "swapcore sleep ARGS..." answers each byte read
 * on fd 3 with the number of its argument pages not resident (mincore; one byte
 * on fd 4), touching nothing of them, until fd 3 ends. */
static int sleeper(int argc, char **argv)
{
    char *last = argv[argc - 1];
    uintptr_t start = (uintptr_t)argv[0] & ~(PAGE - 1);
    uintptr_t end = ((uintptr_t)last + strlen(last) + PAGE) & ~(PAGE - 1);
    static unsigned char vec[16];
    char request;
    while (read(3, &request, 1) == 1) {
        unsigned char out = 0;
        if (end - start > sizeof vec * PAGE || mincore((void *)start, end - start, vec) != 0)
            out = 255;
        for (size_t i = 0; out != 255 && i < (end - start) / PAGE; i++)
            out += !(vec[i] & 1);
        if (write(4, &out, 1) != 1)
            return 1;
    }
    return 0;
}

#define SLEEPER_ARG 3000 /* bytes of each long argument: they span pages */

/* Read all of /proc/PID/NAME into buf: its length (-1: not opened). */
static long read_proc_file(pid_t pid, const char *name, char *buf, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    size_t n = fread(buf, 1, size, f);
    fclose(f);
    return (long)n;
}

static void step_cmdline(void)
{
    static char arg[3][SLEEPER_ARG], env[SLEEPER_ARG], expected[4 * SLEEPER_ARG + 64];
    static char got[4 * SLEEPER_ARG + 64];
    for (int a = 0; a < 3; a++) {
        memset(arg[a], 'a' + a, SLEEPER_ARG - 1);
        arg[a][SLEEPER_ARG - 1] = '\0';
    }
    memcpy(env, "SWAPCORE=", 9);
    memset(env + 9, 'e', SLEEPER_ARG - 10);
    env[SLEEPER_ARG - 1] = '\0';
    int request[2], answer[2];
    if (pipe(request) != 0 || pipe(answer) != 0) {
        check(0, "cmdline: pipes");
        return;
    }
    pid_t child = fork();
    if (child == 0) {
        dup2(request[0], 3);
        dup2(answer[1], 4);
        char *args[] = { "swapcore", "sleep", arg[0], arg[1], arg[2], NULL };
        char *envp[] = { env, NULL };
        execve("/proc/self/exe", args, envp);
        _exit(127);
    }
    close(request[0]);
    close(answer[1]);
    push_out();
    unsigned char swapped = 0;
    char byte = 1;
    if (write(request[1], &byte, 1) != 1 || read(answer[0], &swapped, 1) != 1)
        swapped = 0;
    check(swapped > 0 && swapped != 255, "cmdline: the process's argument pages swapped out");
    size_t length = 0;
    const char *strings[] = { "swapcore", "sleep", arg[0], arg[1], arg[2] };
    for (int i = 0; i < 5; i++) {
        memcpy(expected + length, strings[i], strlen(strings[i]) + 1);
        length += strlen(strings[i]) + 1;
    }
    long n = read_proc_file(child, "cmdline", got, sizeof got);
    check(n == (long)length && memcmp(got, expected, length) == 0,
          "cmdline: /proc/PID/cmdline gives every argument (%ld bytes of %zu)", n, length);
    n = read_proc_file(child, "environ", got, sizeof got);
    check(n == SLEEPER_ARG && memcmp(got, env, SLEEPER_ARG) == 0,
          "cmdline: /proc/PID/environ gives the environment (%ld bytes of %d)", n, SLEEPER_ARG);
    close(request[1]); /* the sleeper ends */
    int status = -1;
    waitpid(child, &status, 0);
    close(answer[0]);
}

/* ---- shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS): its pages go to swap
 * too, in slots its object records (mm/object.c) ---- */

static uint64_t *map_shared(size_t bytes)
{
    uint64_t *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        printf("FAILED: shared mmap of %zu bytes\n", bytes);
        exit(1);
    }
    return p;
}

/* Run fn(p, bytes, tag) in a child; its wait status. */
static int in_child(size_t (*fn)(uint64_t *, size_t, uint64_t), uint64_t *p, size_t bytes,
                    uint64_t tag)
{
    pid_t child = fork();
    if (child == 0)
        _exit(fn(p, bytes, tag) == 0 ? 0 : 1);
    int status = -1;
    waitpid(child, &status, 0);
    return status;
}

static size_t fill_shared(uint64_t *p, size_t bytes, uint64_t tag)
{
    fill(p, bytes, tag);
    return 0;
}

#define SHM_MARK  0x5eedf00dul /* the parent's store, read by the child */
#define SHM_REPLY 0xc0ffee00ul /* the child's store, read by the parent */

/* The child's part: it stores its reply in page 0 first, then checks every other
 * word -- the pattern, but the parent's mark in the middle page -- which pushes
 * page 0 out before the parent looks. Wrong words. */
static size_t check_shared(uint64_t *p, size_t bytes, uint64_t tag)
{
    size_t middle = bytes / 2 / 8, wrong = p[0] != pattern(tag, 0);
    p[0] = SHM_REPLY;
    for (size_t i = 1; i < bytes / 8; i++)
        wrong += p[i] != (i == middle ? SHM_MARK : pattern(tag, i));
    return wrong;
}

static long meminfo_kb(const char *name)
{
    return proc_kb("/proc/meminfo", 0, name);
}

/* A region of shared anonymous memory twice the free memory: a child fills it
 * (each page leaves memory for swap as the next ones come: pswpout grows by at
 * least the excess), the parent marks the middle page, a second child checks
 * every word and answers in page 0, which goes out and comes back before the
 * parent reads it; munmap lets every slot go (SwapFree up by the region's Swap). */
static void step_shared(void)
{
    size_t free_bytes = (size_t)meminfo_kb("MemFree:") * 1024;
    size_t bytes = (free_bytes * 2 + MIB - 1) / MIB * MIB;
    uint64_t *p = map_shared(bytes);
    long out_before = vmstat_counter("pswpout");
    int status = in_child(fill_shared, p, bytes, 20);
    long written = vmstat_counter("pswpout") - out_before;
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "shared: a child filled twice the free memory (MAP_SHARED|MAP_ANONYMOUS)");
    if (!WIFEXITED(status))
        printf("  (the child was killed by signal %d)\n", WTERMSIG(status));
    long excess = (long)((bytes - free_bytes) / PAGE);
    check(written >= excess, "shared: pswpout grew by at least the excess over free memory");
    printf("# shared: %zu MiB filled with %zu MiB free: pswpout +%ld (excess %ld pages)\n",
           bytes / MIB, free_bytes / MIB, written, excess);
    if (written < excess)
        printf("  (pswpout +%ld, excess %ld pages)\n", written, excess);
    long swap_kb = proc_kb("/proc/self/smaps", (unsigned long)p, "Swap:");
    check(swap_kb > 0 && swap_kb <= (long)(bytes / 1024),
          "shared: smaps Swap of the region above 0");
    check(resident_pages(p, 8 * MIB) < 8 * MIB / PAGE,
          "shared: mincore says some of the first pages are out");
    p[bytes / 2 / 8] = SHM_MARK;
    long in_before = vmstat_counter("pswpin");
    status = in_child(check_shared, p, bytes, 20);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "shared: a forked child read every word back, and the parent's mark");
    long read = vmstat_counter("pswpin") - in_before;
    check(read >= excess, "shared: pswpin grew by the excess");
    printf("# shared: a child read it all back: pswpin +%ld\n", read);
    check(resident_pages(p, PAGE) == 0, "shared: the page the child answered in went out again");
    check(p[0] == SHM_REPLY, "shared: the child's store came back to the parent through swap");
    p[0] = pattern(20, 0);
    p[bytes / 2 / 8] = pattern(20, bytes / 2 / 8);
    swap_kb = proc_kb("/proc/self/smaps", (unsigned long)p, "Swap:");
    long free_before = meminfo_kb("SwapFree:");
    munmap(p, bytes);
    long freed = meminfo_kb("SwapFree:") - free_before;
    check(swap_kb > 0 && freed == swap_kb, "shared: munmap gave back every slot (SwapFree up by "
                                           "the region's Swap)");
    if (swap_kb <= 0 || freed != swap_kb)
        printf("  (Swap %ld kB, SwapFree +%ld kB)\n", swap_kb, freed);
}

/* The journey of one page of shared anonymous memory, alone in its object: it
 * leaves memory for a slot its object records, and a touch reads it back. */
static void step_journey_shared(void)
{
    volatile uint64_t *page = map_shared(PAGE);
    page[0] = 43;
    printf("journey: shared page written %lu: resident %s, smaps Swap %ld kB\n",
           (unsigned long)page[0], resident_pages((void *)page, PAGE) == 1 ? "yes" : "no",
           proc_kb("/proc/self/smaps", (unsigned long)page, "Swap:"));
    push_out();
    push_out(); /* twice: a second chance for its accessed bit, then it goes */
    printf("journey: shared page after pressure: resident %s, smaps Swap %ld kB\n",
           resident_pages((void *)page, PAGE) == 1 ? "yes" : "no",
           proc_kb("/proc/self/smaps", (unsigned long)page, "Swap:"));
    long before = major_faults();
    uint64_t value = page[0];
    long faults = major_faults() - before;
    printf("journey: shared page read back %lu: resident %s, smaps Swap %ld kB, major faults "
           "+%ld\n",
           (unsigned long)value, resident_pages((void *)page, PAGE) == 1 ? "yes" : "no",
           proc_kb("/proc/self/smaps", (unsigned long)page, "Swap:"), faults);
    check(value == 43, "journey: the shared page read back");
    munmap((void *)page, PAGE);
}

/* A private region and a shared one written page by page in turn, then pushed
 * out: their slots alternate in runs. Reading the private region in order, read-
 * ahead must take private pages only: the shared ones' slots are read when their
 * own object's page is touched (never through a page-table entry), so reading them
 * here is I/O thrown away. Every page read ahead is then found by a fault. */
static void step_readahead_shared(void)
{
    size_t bytes = 4 * MIB, pages = bytes / PAGE;
    uint64_t *a = map(bytes), *s = map_shared(bytes);
    for (size_t i = 0; i < pages; i++) {
        fill(a + i * PAGE / 8, PAGE, 1000 + i);
        fill(s + i * PAGE / 8, PAGE, 5000 + i);
    }
    push_out();
    push_out();
    vmstat_counter("swap_ra"); /* (bring the reader's own pages in first) */
    long ra = vmstat_counter("swap_ra"), hits = vmstat_counter("swap_ra_hit");
    size_t wrong = 0;
    for (size_t i = 0; i < pages; i++)
        wrong += a[i * PAGE / 8] != pattern(1000 + i, 0);
    long read_ahead = vmstat_counter("swap_ra") - ra, found = vmstat_counter("swap_ra_hit") - hits;
    check(wrong == 0, "readahead, shared: the private pages read back in order");
    /* (but for one window past the region's end, at most 7 pages of someone else) */
    check(read_ahead > 0 && read_ahead - found <= 7,
          "readahead, shared: every page read ahead was used (swap_ra +%ld, swap_ra_hit +%ld)",
          read_ahead, found);
    for (size_t i = 0; i < pages; i++)
        wrong += s[i * PAGE / 8] != pattern(5000 + i, 0);
    check(wrong == 0, "readahead, shared: the shared pages read back");
    munmap(s, bytes);
    unmap(a, bytes);
}

/* MADV_REMOVE (punch a hole) in shared anonymous memory that went out to swap:
 * its slots are freed, and the pages read as zeros without reading the disk. */
static void step_remove_shared(void)
{
    size_t bytes = 4 * PAGE;
    uint64_t *p = map_shared(bytes);
    fill(p, bytes, 22);
    push_out();
    push_out(); /* twice: a second chance for their accessed bits, then they go */
    /* the readers' own pages (stack, stdio's buffers) may be out too: a first
     * round brings them in, so the numbers below move only by what madvise did */
    proc_kb("/proc/self/smaps", (unsigned long)p, "Swap:");
    meminfo_kb("SwapFree:");
    vmstat_counter("pswpin");
    long swap_kb = proc_kb("/proc/self/smaps", (unsigned long)p, "Swap:");
    long free_before = meminfo_kb("SwapFree:"), in_before = vmstat_counter("pswpin");
    int removed = madvise(p, bytes, MADV_REMOVE);
    long freed = meminfo_kb("SwapFree:") - free_before;
    size_t nonzero = 0;
    for (size_t i = 0; i < bytes / 8; i++)
        nonzero += p[i] != 0;
    long read = vmstat_counter("pswpin") - in_before;
    check(removed == 0, "remove: MADV_REMOVE of shared pages out in swap");
    check(swap_kb > 0 && freed == swap_kb,
          "remove: their slots are free (SwapFree up by the region's Swap)");
    if (swap_kb <= 0 || freed != swap_kb)
        printf("  (Swap %ld kB, SwapFree +%ld kB)\n", swap_kb, freed);
    check(proc_kb("/proc/self/smaps", (unsigned long)p, "Swap:") == 0, "remove: smaps Swap 0");
    check(nonzero == 0, "remove: the pages read as zeros");
    check(read == 0, "remove: nothing read from swap (pswpin +%ld)", read);
    munmap(p, bytes);
}

static size_t fill_shared_until_killed(uint64_t *p, size_t bytes, uint64_t tag)
{
    (void)p;
    uint64_t *q = map_shared(bytes);
    fill(q, bytes, tag);
    return 0;
}

/* Without swap, shared anonymous memory has nowhere to go: a child filling twice
 * the free memory is killed by the OOM killer (SIGKILL), as before. */
static void step_shared_no_swap(void)
{
    size_t bytes = (size_t)meminfo_kb("MemFree:") * 1024 * 2 / MIB * MIB;
    int status = in_child(fill_shared_until_killed, NULL, bytes, 21);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
          "shared, no swap: the child filling twice the free memory was OOM-killed");
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
        printf("  (wait status 0x%x)\n", status);
}

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
    step_journey();
    step_journey_shared();
    step_pushed();
    step_clean_copy();
    step_readahead();
    step_mlock();
    step_lock_rules();
    step_fork();
    step_munmap();
    step_mremap();
    step_prot_none();
    step_local_set();
    step_cmdline();
    step_shared();
    step_readahead_shared();
    step_remove_shared();
    step_swapoff(argv[3]);
    if (failures == 0)
        printf("swapcore: PASS\n");
    else
        printf("swapcore: FAIL (%d)\n", failures);
    return failures == 0 ? 0 : 1;
}
