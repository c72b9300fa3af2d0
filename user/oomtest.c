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
 */
#include <stdint.h>

#include "lib/string.h"
#include "user/lib/check.h"
#include "user/lib/child.h"
#include "user/lib/errno_names.h"
#include "user/lib/image.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"
#include "user/lib/vmstat.h"

#define MAX_GROUP         512 /* processes (and failed forks) one scenario tracks */
#define BOMB_FORKS        8   /* each bomb process forks up to this often: 2^8 */
#define MANY_CHILDREN     8
#define POLL_MS           10
#define PATIENCE_MS       30000 /* a flag not set by then: something is wrong */
#define NOT_KILLED        3     /* exit code of a child that expected to be killed */
#define PAGES_WRONG       1     /* exit code of a child whose pages did not read back */
#define GIB               (1ul << 30)
#define ADDRESS_STEP      (16 * GIB)  /* mmap and brk of untouched memory, per call */
#define HUGE_MAPPING      (1ul << 40) /* 1 TiB of address space: more than any RAM here */
#define PAGE_TABLE_SPAN   (2ul << 20) /* what one page table maps: 512 pages */
#define TEXT_FREE_LEFT    64          /* frames left free: half of reclaim's reserve */
#define TEXT_ROUNDS       200         /* init's rounds of reading /proc with them */
#define SYSCALL_FREE_LEFT 4           /* frames left free: fewer than a fork needs */
#define FORKED_EXIT       7           /* the exit code of the child the squeezed fork made */

/* What the processes of one scenario share (a MAP_SHARED page). */
struct shared {
    volatile int ready;              /* the holder has its memory */
    volatile int stop;               /* everyone waiting may end now */
    volatile long vfork_child;       /* the pid of the vfork child */
    volatile int count;              /* slots handed out in pids[] */
    volatile long pids[MAX_GROUP];   /* 0: not known yet; -1: its fork failed */
    volatile int settled[MAX_GROUP]; /* done growing, waiting for stop */
};

static struct shared *shared;
static int killed_in_all; /* processes this program reaped that SIGKILL ended */

enum toucher { BY_CPU, BY_KERNEL };

static void sleep_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
    sys_nanosleep(&t, NULL);
}

/* Wait (bounded) until *flag is non-zero; true if it became so. */
static bool wait_for_flag(volatile int *flag)
{
    for (long waited = 0; !*flag && waited < PATIENCE_MS; waited += POLL_MS)
        sleep_ms(POLL_MS);
    return *flag != 0;
}

static long free_pages(void)
{
    struct vmlab_vmstat s;
    vmstat_read(&s);
    return (long)s.free_frames;
}

/* The word page i of a pattern starts with: says whose and which page it is. */
static uint64_t pattern_word(long owner, long i)
{
    return ((uint64_t)owner << 32) ^ (uint64_t)i ^ 0x5a5a000000000000ul;
}

/* Write the pattern of `owner` into the first and last word of each page. By the
 * CPU, or by the kernel: clock_gettime stores a timespec at the page's start, so
 * the first write of an untouched page is a page fault inside copy_to_user. */
static void fill(char *area, long pages, long owner, enum toucher who)
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

static bool intact(const char *area, long pages, long owner, enum toucher who)
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

static char *map(unsigned long bytes)
{
    long area = sys_mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return IS_ERROR(area) ? NULL : (char *)area;
}

/* In a child: take `pages` of memory, then exit 0 if they read back intact. */
__attribute__((noreturn)) static void take_and_check(long pages, enum toucher who)
{
    char *area = map((unsigned long)pages * PAGE_SIZE);
    if (area == NULL)
        sys_exit_group(PAGES_WRONG);
    fill(area, pages, sys_getpid(), who);
    sys_exit_group(intact(area, pages, sys_getpid(), who) ? 0 : PAGES_WRONG);
}

/* In a child: take `pages`, say so, then sleep until killed. */
__attribute__((noreturn)) static void hold(long pages)
{
    char *area = map((unsigned long)pages * PAGE_SIZE);
    if (area != NULL)
        fill(area, pages, sys_getpid(), BY_CPU);
    shared->ready = 1;
    sleep_ms(PATIENCE_MS);
    sys_exit_group(NOT_KILLED);
}

/* In a child: touch without end (1 TiB of address space), until killed. */
__attribute__((noreturn)) static void hog(enum toucher who)
{
    char *area = map(HUGE_MAPPING);
    if (area != NULL)
        fill(area, HUGE_MAPPING / PAGE_SIZE, sys_getpid(), who);
    sys_exit_group(NOT_KILLED);
}

/* wait4 for pid; counts a SIGKILL. Returns the status (or -errno). */
static long reap(long pid)
{
    int status = 0;
    long result = sys_wait4((int)pid, &status, 0, NULL);
    if (result < 0)
        return result;
    killed_in_all += killed_by(status, SIGKILL);
    return status;
}

static long start_holder(long pages)
{
    shared->ready = 0;
    long pid = sys_fork();
    if (pid == 0)
        hold(pages);
    EXPECT(pid > 0 && wait_for_flag(&shared->ready), "a child holds %ld pages", pages);
    return pid;
}

static const char *toucher_name(enum toucher who)
{
    return who == BY_CPU ? "the CPU" : "the kernel (a user copy)";
}

/* The holder has the most memory; a smaller child's fault must kill it. */
static void holder_dies_for_a_child(enum toucher who)
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
static void holder_dies_for_init(void)
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

static void hog_dies(enum toucher who)
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
static void page_table_hog_dies(enum toucher who)
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
static void vfork_holder_dies(void)
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

/* ---- groups of processes that grow, then wait for `stop` ---- */

/* The group's members block on the read end of this pipe until init closes the
 * write end, the only one left open (each member closes its copy first thing).
 * Waiting for `stop` by polling instead made 100 processes wake every 10 ms, which
 * took half the machine's time under QEMU. */
static int stop_pipe[2] = { -1, -1 };

static void group_reset(void)
{
    EXPECT(sys_pipe2(stop_pipe, O_CLOEXEC) == 0, "a pipe to say stop");
    shared->stop = 0;
    shared->count = 0;
    for (int i = 0; i < MAX_GROUP; i++)
        shared->pids[i] = 0, shared->settled[i] = 0;
}

/* A slot for a process about to be forked; -1 if the table is full. */
static int group_slot(void)
{
    int slot = __atomic_fetch_add(&shared->count, 1, __ATOMIC_SEQ_CST);
    return slot < MAX_GROUP ? slot : -1;
}

/* In a member just forked: only init may hold the write end of the stop pipe. */
static void group_joined(void)
{
    sys_close(stop_pipe[1]);
}

/* A member has grown: wait for stop (end of file on the stop pipe), then exit 0
 * if its pages are intact. */
__attribute__((noreturn)) static void settle(int slot, char *area, long pages, long owner)
{
    if (slot >= 0)
        shared->settled[slot] = 1;
    char byte;
    while (sys_read(stop_pipe[0], &byte, 1) == -EINTR)
        ;
    sys_exit_group(intact(area, pages, owner, BY_CPU) ? 0 : PAGES_WRONG);
}

/* Has pid ended: reaped (no /proc/PID), or a zombie (state Z in /proc/PID/stat,
 * after the name in parentheses)? kill(pid, 0) cannot tell: a zombie still
 * exists until its parent reaps it. */
static bool process_gone(long pid)
{
    char path[32], text[256];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    long fd = sys_open(path, O_RDONLY, 0);
    if (fd < 0)
        return true; /* -ENOENT, or -ENOMEM with memory full: cannot tell (see group_finish) */
    long n = sys_read((int)fd, text, sizeof text - 1);
    sys_close((int)fd);
    if (n <= 0)
        return true;
    text[n] = 0;
    const char *paren = strrchr(text, ')');
    return paren != NULL && paren[1] == ' ' && paren[2] == 'Z';
}

/* Every member known has settled or is gone. A slot still without a pid is not
 * waited for: its parent writes the pid before it settles, so with the others
 * settled or gone, that parent was killed between its fork and the write, and
 * the child too before it could write its own -- or it has yet to run, and then
 * sees `stop` and settles at once. Waiting for it hung the fork bomb's step (the
 * slot stays 0 for ever) until the patience ran out. */
static bool group_settled(void)
{
    int count = shared->count < MAX_GROUP ? shared->count : MAX_GROUP;
    for (int i = 0; i < count; i++) {
        long pid = shared->pids[i];
        if (pid <= 0 || shared->settled[i])
            continue;
        if (!process_gone(pid))
            return false;
    }
    return true;
}

/* Wait until the group has settled, tell it to stop, reap every child (those
 * orphaned come to init), and count how they ended. */
static void group_finish(const char *what, int *exited, int *killed, int *other)
{
    /* With memory full, opening /proc/PID/stat may fail (-ENOMEM) for a process
     * still growing, which then looks gone: stop may come early. That only makes
     * the group smaller: a member still growing sees `stop` and settles, and the
     * reaping below waits for everyone. So the verdict is the loop's own, not a
     * second look, which could see that member again. */
    bool settled = false;
    for (long waited = 0; !(settled = group_settled()) && waited < PATIENCE_MS; waited += POLL_MS)
        sleep_ms(POLL_MS);
    EXPECT(settled, "%s: every process has grown or is gone", what);
    shared->stop = 1;
    sys_close(stop_pipe[1]);
    *exited = *killed = *other = 0;
    for (;;) {
        long status = reap(-1);
        if (status == -ECHILD)
            break;
        if (exited_with(status, 0))
            ++*exited;
        else if (killed_by(status, SIGKILL))
            ++*killed;
        else
            ++*other;
    }
    sys_close(stop_pipe[0]);
}

/* A bomb process: its pages written (copy-on-write copies after a fork), then a
 * fork for each remaining generation; parent and child both go on forking. */
__attribute__((noreturn)) static void bomb(int slot, char *area, long pages, int forks_done)
{
    group_joined();
    long me = sys_getpid();
    if (slot >= 0)
        shared->pids[slot] = me;
    fill(area, pages, me, BY_CPU);
    for (int f = forks_done; f < BOMB_FORKS && !shared->stop; f++) {
        int child_slot = group_slot();
        long pid = sys_fork();
        if (pid == 0)
            bomb(child_slot, area, pages, f + 1);
        if (child_slot >= 0)
            shared->pids[child_slot] = pid > 0 ? pid : -1;
        if (pid < 0)
            break; /* no process slot (EAGAIN) or no memory (ENOMEM): stop growing */
    }
    settle(slot, area, pages, me);
}

static void fork_bomb(void)
{
    long total = free_pages();
    long pages = total / 64; /* 128 processes of these would need twice the memory */
    check_section("a fork bomb whose processes all write their pages");
    group_reset();
    char *area = map((unsigned long)pages * PAGE_SIZE);
    int slot = group_slot();
    long pid = sys_fork();
    if (pid == 0)
        bomb(slot, area, pages, 0);
    shared->pids[slot] = pid;
    int exited, killed, other;
    group_finish("fork bomb", &exited, &killed, &other);
    printf("  fork bomb: %d processes, %d ended normally, %d killed by SIGKILL\n",
           exited + killed + other, exited, killed);
    EXPECT(other == 0, "every bomb process ended normally (pages intact) or by SIGKILL: %d did not",
           other);
    EXPECT(killed > 0, "the out-of-memory killer ended some (%d)", killed);
    EXPECT(exited + killed >= 2, "the bomb grew");
    sys_munmap(area, (unsigned long)pages * PAGE_SIZE);
}

static void many_children(void)
{
    long pages = free_pages() / 6;
    check_section("8 children take 1/6 of memory each");
    group_reset();
    for (int i = 0; i < MANY_CHILDREN; i++) {
        int slot = group_slot();
        long pid = sys_fork();
        if (pid == 0) {
            group_joined();
            char *area = map((unsigned long)pages * PAGE_SIZE);
            fill(area, pages, sys_getpid(), BY_CPU);
            settle(slot, area, pages, sys_getpid());
        }
        shared->pids[slot] = pid > 0 ? pid : -1;
    }
    int exited, killed, other;
    group_finish("8 children", &exited, &killed, &other);
    EXPECT(exited + killed == MANY_CHILDREN && other == 0,
           "each ended normally (pages intact) or by SIGKILL: %d, %d, %d other", exited, killed,
           other);
    EXPECT(killed >= 1 && exited >= 4, "some were killed (%d), most finished (%d)", killed, exited);
}

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
static void text_stays_resident(void)
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
static void system_call_needs_memory(void)
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
static void system_call_alone(void)
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

/* ---- asking for address space, not memory ---- */

static int mmap_until_refused(void *unused)
{
    (void)unused;
    long count = 0, result;
    while (!IS_ERROR(result = sys_mmap(NULL, ADDRESS_STEP, PROT_READ | PROT_WRITE,
                                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)))
        count++;
    printf("  %ld GiB mapped, then %s\n", count * (ADDRESS_STEP / GIB), errno_name(result));
    return result == -ENOMEM && count * ADDRESS_STEP > 100000 * GIB ? 0 : PAGES_WRONG;
}

static int brk_until_refused(void *unused)
{
    (void)unused;
    unsigned long start = (unsigned long)sys_brk(0), now = start;
    for (;;) {
        unsigned long asked = now + ADDRESS_STEP, got = (unsigned long)sys_brk(asked);
        if (got != asked)
            break;
        now = got;
    }
    printf("  the break grew by %lu GiB, then was refused\n", (now - start) / GIB);
    return now - start > 100000 * GIB ? 0 : PAGES_WRONG;
}

static int brk_touching(void *unused)
{
    (void)unused;
    unsigned long now = (unsigned long)sys_brk(0);
    for (;;) {
        unsigned long asked = now + (1ul << 20);
        if ((unsigned long)sys_brk(asked) != asked)
            return PAGES_WRONG; /* refused before memory ran out: wrong here */
        fill((char *)now, (1l << 20) / PAGE_SIZE, sys_getpid(), BY_CPU);
        now = asked;
    }
}

static void until_refused(void)
{
    check_section("address space until refused: no frames needed, so no one is killed");
    EXPECT(exited_with(run_in_child(mmap_until_refused, NULL), 0),
           "a child mmaps 16 GiB at a time, untouched, until ENOMEM, and exits normally");
    EXPECT(
        exited_with(run_in_child(brk_until_refused, NULL), 0),
        "a child grows its break 16 GiB at a time, untouched, until refused, and exits normally");
    long status = run_in_child(brk_touching, NULL);
    killed_in_all += killed_by(status, SIGKILL);
    EXPECT(killed_by(status, SIGKILL),
           "a child growing its break and touching it is killed by SIGKILL");
}

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
