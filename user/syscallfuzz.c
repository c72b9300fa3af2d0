/*
 * syscallfuzz — random system calls from several processes at once.
 *
 * Whatever a program passes, the kernel must answer (a result or -errno) and keep
 * running; the worst that may happen is that the program itself is killed by a
 * signal. A kernel that panics, hangs or leaks memory here has a bug that a real
 * program could hit. Unknown numbers must give -ENOSYS.
 *
 *   syscallfuzz [-v] [-c] [-j PROCS] [SEED[-LAST] [N]]
 *       for each seed from SEED to LAST in turn (default: seed 1 only), PROCS processes
 *       (default 4) run at once and make N calls between them (default 5000); child i
 *       (1..PROCS) of seed S has the seed S*1000+i and prints it. Each must end with
 *       status 0 or be killed by a signal.
 *   syscallfuzz --child SEED N [-v] [-c]
 *       one process making N calls from SEED: what each child above runs, and how to
 *       replay a failing one alone. Exits 0, or 1 if an answer was impossible (a
 *       misplaced mmap, a brk that returned neither break, a fork or vfork child that
 *       ended wrongly...: each is printed as "WRONG").
 *   syscallfuzz --skipped
 *       list the numbers never called at random, and why.
 *
 *   -v  print each call before making it (to find the culprit of a kernel crash)
 *   -c  after each call, start a child that exits at once: the kernel's memory check
 *       (tests/run-elf) runs when it is reaped and names its pid, which -v prints
 *
 * Most calls are not uniformly random: they aim at the memory system calls (mmap,
 * munmap, mprotect, mremap, madvise, brk) with arguments kernels get wrong — 0, -1,
 * huge and wrapping lengths, unaligned addresses, the kernel half, non-canonical
 * addresses, addresses inside the mappings the process made itself and outside any,
 * valid and invalid flags, prot bits and fds — and at the calls that make the kernel
 * read or write user memory (clock_gettime, uname, rt_sigprocmask...) at such
 * addresses. Now and then the process forks a child that does a few of those calls
 * and touches memory itself before it exits, or vforks a child that exits at once.
 * The same SEED gives the same calls.
 *
 * Some numbers are skipped (see `skipped` below): the calls that would end or
 * replace the process, wait forever, or — because the same binary also runs on a
 * real Linux, maybe as root — change the machine, its files, other processes, or the
 * console the results are printed on. A few are "tamed": made with arguments that
 * keep them harmless (see tame()). Ending a process and forking happen only on
 * purpose, in the children's own children, never in the first process: under
 * tests/run-elf that one is pid 1, whose exit ends the run.
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/parse.h"
#include "lib/string.h"
#include "lib/xorshift.h"
#include "user/lib/check.h"
#include "user/lib/child.h"
#include "user/lib/env.h"
#include "user/lib/errno_names.h"
#include "user/lib/image.h"
#include "user/lib/signal_names.h"
#include "user/lib/spawn.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define DEFAULT_SEED   1
#define DEFAULT_CALLS  5000
#define DEFAULT_PROCS  4
#define MAX_PROCS      64
#define SEEDS_PER_SEED 1000 /* child i of seed S has seed S * SEEDS_PER_SEED + i */
#define SCRATCH_SIZE   4096

/* Linux only (vmlab answers -ENOSYS): cap our address space, so that no random mmap
 * or brk can make a real machine hand us gigabytes. */
#define SYS_setrlimit       160
#define RLIMIT_AS           9
#define ADDRESS_SPACE_LIMIT (256UL << 20)

/* The numbers never called, in groups with the reason; the names in each comment are
 * in the same order as the numbers. */
struct skip_group {
    const char *why;
    const short *numbers;
    size_t count;
};
#define SKIP(why, ...)                                                                             \
    {                                                                                              \
        why, (const short[]){ __VA_ARGS__ }, sizeof((short[]){ __VA_ARGS__ }) / sizeof(short)      \
    }

static const struct skip_group skipped[] = {
    /* exit exit_group execve execveat rt_sigreturn; seccomp (its strict mode kills us at
     * the next call); uretprobe and uprobe, which Linux (6.11 and later) answers with
     * SIGILL unless a probe made the call */
    SKIP("would end or replace this process", 60, 231, 59, 322, 15, 317, 335, 336),
    /* clone fork vfork clone3 */
    SKIP("would create a process", 56, 57, 58, 435),
    /* read pread64 readv preadv preadv2 pause rt_sigsuspend rt_sigtimedwait
     * clock_nanosleep poll select pselect6 ppoll epoll_wait epoll_pwait epoll_pwait2
     * futex futex_waitv flock */
    SKIP("could wait forever", 0, 17, 19, 295, 327, 34, 130, 128, 230, 7, 23, 270, 271, 232, 281,
         441, 202, 449, 73),
    /* pwrite64 pwritev pwritev2 close close_range lseek fcntl ftruncate fallocate fchmod
     * fchown fsetxattr fremovexattr sendfile splice tee vmsplice copy_file_range dup2
     * dup3 shutdown setsockopt sendto sendmsg sendmmsg recvfrom recvmsg recvmmsg setsid
     * setpgid */
    SKIP("reads, writes or changes fds 0-2 (where our output goes) or our terminal", 18, 296, 328,
         3, 436, 8, 72, 77, 285, 91, 93, 190, 199, 40, 275, 276, 278, 326, 33, 292, 48, 54, 44, 46,
         307, 45, 47, 299, 112, 109),
    /* open openat openat2 creat open_by_handle_at dup pipe pipe2 socket socketpair
     * connect accept accept4 bind listen eventfd eventfd2 signalfd signalfd4
     * timerfd_create epoll_create epoll_create1 epoll_ctl inotify_init inotify_init1
     * inotify_add_watch memfd_create memfd_secret userfaultfd perf_event_open
     * fanotify_init fanotify_mark io_uring_setup io_uring_enter io_uring_register
     * pidfd_open pidfd_getfd io_setup io_destroy io_getevents io_submit io_cancel
     * io_pgetevents shmget shmat shmctl shmdt semget semop semctl semtimedop msgget msgsnd
     * msgrcv msgctl mq_open mq_unlink mq_timedsend mq_timedreceive mq_notify
     * mq_getsetattr add_key request_key keyctl bpf landlock_create_ruleset
     * landlock_add_rule landlock_restrict_self */
    SKIP("creates file descriptors or kernel objects that outlive the call", 2, 257, 437, 85, 304,
         32, 22, 293, 41, 53, 42, 43, 288, 49, 50, 284, 290, 282, 289, 283, 213, 291, 233, 253, 294,
         254, 319, 447, 323, 298, 300, 301, 425, 426, 427, 434, 438, 206, 207, 208, 209, 210, 333,
         29, 30, 31, 67, 64, 65, 66, 220, 68, 69, 70, 71, 240, 241, 242, 243, 244, 245, 248, 249,
         250, 321, 444, 445, 446),
    /* rename renameat renameat2 mkdir mkdirat rmdir link linkat unlink unlinkat symlink
     * symlinkat mknod mknodat chmod fchmodat chown lchown fchownat truncate utime utimes
     * futimesat utimensat setxattr lsetxattr removexattr lremovexattr uselib acct chroot
     * pivot_root mount umount2 open_tree move_mount fsopen fsconfig fsmount fspick
     * mount_setattr quotactl quotactl_fd */
    SKIP("changes the file system", 82, 264, 316, 83, 258, 84, 86, 265, 87, 263, 88, 266, 133, 259,
         90, 268, 92, 94, 260, 76, 132, 235, 261, 280, 188, 189, 197, 198, 134, 163, 161, 155, 165,
         166, 428, 429, 430, 431, 432, 433, 442, 179, 443),
    /* kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo pidfd_send_signal ptrace
     * process_vm_readv process_vm_writev kcmp migrate_pages move_pages process_madvise
     * process_mrelease prlimit64 setpriority sched_setparam sched_setscheduler
     * sched_setaffinity sched_setattr ioprio_set unshare setns setrlimit */
    SKIP("acts on other processes (or would lift our own limits)", 62, 200, 234, 129, 297, 424, 101,
         310, 311, 312, 256, 279, 440, 448, 302, 141, 142, 144, 203, 314, 251, 272, 308, 160),
    /* reboot kexec_load kexec_file_load init_module finit_module delete_module swapon
     * swapoff sethostname setdomainname settimeofday clock_settime adjtimex
     * clock_adjtime syslog vhangup iopl ioperm */
    SKIP("changes the whole machine (on Linux, as root)", 169, 246, 320, 175, 313, 176, 167, 168,
         170, 171, 164, 227, 159, 305, 103, 153, 172, 173),
    /* alarm setitimer timer_create timer_settime timer_delete rseq */
    SKIP("acts later, at a time that depends on the machine's speed", 37, 38, 222, 223, 226, 334),
};

static bool is_skipped(long number)
{
    for (size_t g = 0; g < sizeof(skipped) / sizeof(skipped[0]); g++) {
        for (size_t i = 0; i < skipped[g].count; i++) {
            if (skipped[g].numbers[i] == number)
                return true;
        }
    }
    return false;
}

static void list_skipped(void)
{
    for (size_t g = 0; g < sizeof(skipped) / sizeof(skipped[0]); g++) {
        printf("%s:\n ", skipped[g].why);
        for (size_t i = 0; i < skipped[g].count; i++)
            printf(" %d", skipped[g].numbers[i]);
        printf("\n");
    }
}

/* ---- random numbers: xorshift64*, small and reproducible ---- */

/* The fuzzer's own state lives in .data, BELOW the bss where `scratch` is: a call
 * that writes far past the end of scratch (given a huge length) cannot reach it. */
#define SAFE_FROM_SCRATCH __attribute__((section(".data")))

static uint64_t random_state SAFE_FROM_SCRATCH;
static uint64_t fuzz_seed SAFE_FROM_SCRATCH; /* this process's seed, for messages */

static uint64_t random_next(void)
{
    return xorshift64star(&random_state);
}

static uint64_t random_below(uint64_t limit)
{
    return random_next() % limit;
}

/* One element of a constant array, at random. */
#define PICK(array) ((array)[random_below(sizeof(array) / sizeof((array)[0]))])

/* ---- Linux's numbers and flags that user/lib/syscall.h does not define ---- */

#define SYS_pkey_mprotect   329
#define PROT_SEM            0x8
#define PROT_GROWSDOWN      0x01000000
#define PROT_GROWSUP        0x02000000
#define MAP_SHARED_VALIDATE 0x03
#define MAP_32BIT           0x40
#define MAP_GROWSDOWN       0x100
#define MAP_LOCKED          0x2000
#define MAP_STACK           0x20000
#define MAP_HUGETLB         0x40000
#define MREMAP_FIXED        2
#define MREMAP_DONTUNMAP    4
#define MADV_POPULATE_READ  22
#define MADV_POPULATE_WRITE 23
#define INVALID_HOW         99 /* rt_sigprocmask: neither SIG_BLOCK, SIG_UNBLOCK nor SIG_SETMASK */

/* ---- where things are: our own image and stack, the break, our mappings ---- */

#define USER_SPACE_END   0x800000000000UL /* the first non-canonical address */
#define PLAYGROUND       0x200000000000UL /* 32 TiB: MAP_FIXED calls aim here; nothing else is */
#define PLAYGROUND_PAGES 256
#define FAR_AWAY         0x300000000000UL /* where calls that would hit us are sent instead */
#define STACK_MARGIN     (16UL << 20)
#define RECENT_SLOTS     16          /* mappings remembered, to aim calls inside them */
#define NEAR_PAGES       64          /* how far into a mapping or around the break calls aim */
#define POPULATE_LIMIT   (4UL << 20) /* the most a call may make present at once */

static unsigned long stack_address SAFE_FROM_SCRATCH; /* roughly where our stack is */
static unsigned long first_break SAFE_FROM_SCRATCH, current_break SAFE_FROM_SCRATCH;

struct mapping {
    unsigned long start, length; /* length 0: an empty slot */
};
static struct mapping recent[RECENT_SLOTS] SAFE_FROM_SCRATCH;
static unsigned recent_next SAFE_FROM_SCRATCH; /* the slot the next mapping replaces */

static bool overlaps(unsigned long start, unsigned long length, unsigned long from,
                     unsigned long to)
{
    unsigned long end = start + length;
    if (end < start)
        return true; /* wraps around: covers everything */
    return start < to && end > from;
}

/* Memory calls on a range that includes our own code, data or stack would kill us and
 * lose the rest of the run (Linux rightly obeys munmap(0, 1 GiB)), and the kernel
 * writing there would scramble our state: move such a range far away, where the
 * kernel still has to handle it. */
static void keep_off_ourselves(long *address, long *length)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        unsigned long start = (unsigned long)*address, size = (unsigned long)*length;
        if (!overlaps(start, size, (unsigned long)__image_start,
                      (unsigned long)image_unmapped_start()) &&
            !overlaps(start, size, stack_address - STACK_MARGIN, stack_address + STACK_MARGIN))
            return;
        if (attempt == 0)
            *address = (long)FAR_AWAY;
        else
            *length = (long)PAGE_SIZE;
    }
}

/* Forget the mapping in the next slot, unmapping it (so that a long run does not
 * pile up memory), and remember [start, start + length) there instead. */
static void remember_mapping(unsigned long start, unsigned long length)
{
    struct mapping *slot = &recent[recent_next];
    recent_next = (recent_next + 1) % RECENT_SLOTS;
    if (slot->length != 0) {
        long address = (long)slot->start, size = (long)slot->length;
        keep_off_ourselves(&address, &size);
        sys_munmap((void *)address, (size_t)size);
    }
    slot->start = start;
    slot->length = length;
}

/* ---- arguments ---- */

static unsigned char scratch[SCRATCH_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* A page in or just around one of our recent mappings (the playground if none). */
static unsigned long inside_recent_mapping(void)
{
    const struct mapping *m = &recent[random_below(RECENT_SLOTS)];
    if (m->length == 0)
        return PLAYGROUND + random_below(PLAYGROUND_PAGES) * PAGE_SIZE;
    unsigned long pages = m->length / PAGE_SIZE;
    switch (random_below(8)) {
    case 0: return m->start - PAGE_SIZE;             /* just below */
    case 1: return m->start + m->length;             /* just above */
    case 2: return m->start + m->length - PAGE_SIZE; /* its last page */
    default:
        return m->start + random_below(pages < NEAR_PAGES ? pages + 1 : NEAR_PAGES) * PAGE_SIZE;
    }
}

/* Addresses at the edges of the user half, in the kernel half and in the hole. */
static const unsigned long edge_addresses[] = {
    0,
    PAGE_SIZE,
    0x3ff000,
    0x7fffffffe000,
    0x7ffffffff000,
    USER_SPACE_END - 1,
    USER_SPACE_END,
    USER_SPACE_END - (1UL << 30),
    1UL << 46,
    0xffff800000000000, /* vmlab's direct map of physical memory */
    0xffffff8000000000, /* vmlab's kernel stacks */
    0xffffffff80000000, /* the kernel image */
    0x8000000000000000,
    0x0000ffff00000000,
    -PAGE_SIZE,
    -1UL,
};

/* An address for a memory call, or for the kernel to read or write at: inside or
 * around our own mappings, the playground, the break, an edge of the address space,
 * or anywhere; one in eight is not page-aligned. */
static unsigned long random_address(void)
{
    unsigned long address;
    switch (random_below(10)) {
    case 0:
    case 1:
    case 2: address = inside_recent_mapping(); break;
    case 3:
    case 4: address = PLAYGROUND + random_below(PLAYGROUND_PAGES) * PAGE_SIZE; break;
    case 5:
        address = current_break + (random_below(2 * NEAR_PAGES) - NEAR_PAGES) * PAGE_SIZE;
        break;
    case 6:
    case 7: return PICK(edge_addresses);
    case 8: address = random_below(USER_SPACE_END) & ~(PAGE_SIZE - 1); break;
    default: return random_next();
    }
    if (random_below(8) == 0)
        address += 1 + random_below(PAGE_SIZE - 1);
    return address;
}

/* A length for a memory call starting at address: mostly a few pages, sometimes
 * none, odd, huge, reaching exactly to (or one page past) the end of the user half,
 * or wrapping around past 2^64. */
static unsigned long random_length(unsigned long address)
{
    static const unsigned long odd[] = { 0, 1, PAGE_SIZE - 1, PAGE_SIZE + 1, 3 * PAGE_SIZE / 2 };
    static const unsigned long huge[] = { 1UL << 30,      1UL << 40,  1UL << 46, 1UL << 47,
                                          0x7ffffffff000, -PAGE_SIZE, -1UL,      1UL << 63 };
    switch (random_below(12)) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4: return (1 + random_below(16)) * PAGE_SIZE;
    case 5: return (1 + random_below(1024)) * PAGE_SIZE;
    case 6: return PICK(odd);
    case 7:
    case 8: return PICK(huge);
    case 9: return USER_SPACE_END - address + (random_below(2) ? 0 : PAGE_SIZE);
    case 10: return -address + random_below(3) * PAGE_SIZE; /* wraps to 0 or just past */
    default: return random_next();
    }
}

static long random_prot(void)
{
    static const long prots[] = {
        PROT_NONE,
        PROT_READ,
        PROT_READ | PROT_WRITE,
        PROT_READ | PROT_WRITE,
        PROT_WRITE,
        PROT_EXEC,
        PROT_READ | PROT_EXEC,
        PROT_READ | PROT_WRITE | PROT_EXEC,
        PROT_READ | PROT_GROWSDOWN,
        PROT_READ | PROT_WRITE | PROT_GROWSUP,
        PROT_SEM,
        -1,
    };
    return random_below(16) == 0 ? (long)random_next() : PICK(prots);
}

static long random_map_flags(void)
{
    static const long kinds[] = { MAP_PRIVATE, MAP_PRIVATE,
                                  MAP_PRIVATE, MAP_SHARED,
                                  MAP_SHARED,  MAP_SHARED_VALIDATE,
                                  0,           MAP_SHARED | MAP_PRIVATE };
    static const long extras[] = { MAP_POPULATE, MAP_NORESERVE, MAP_GROWSDOWN, MAP_STACK,
                                   MAP_LOCKED,   MAP_32BIT,     MAP_HUGETLB };
    long flags = PICK(kinds);
    if (random_below(10) != 0)
        flags |= MAP_ANONYMOUS;
    unsigned long placement = random_below(10);
    if (placement < 3)
        flags |= MAP_FIXED;
    else if (placement == 3)
        flags |= MAP_FIXED_NOREPLACE;
    if (random_below(4) == 0)
        flags |= PICK(extras);
    if (random_below(16) == 0)
        flags |= 1L << random_below(32);
    return flags;
}

/* File descriptors: -1 as anonymous mappings pass it, and some that are not open.
 * Never 0-2: on Linux those may be files, which a mapping could change. */
static long random_fd(void)
{
    static const long fds[] = { -1, -1, -1, 3, 1000, -100, 0x7fffffff };
    return PICK(fds);
}

static long random_offset(void)
{
    static const long offsets[] = { 0, 0, 0, PAGE_SIZE, 1, -PAGE_SIZE, 1L << 40 };
    return random_below(8) == 0 ? (long)random_next() : PICK(offsets);
}

/* A pointer for the calls drawn at random: mostly ones the kernel must refuse,
 * sometimes our scratch buffer. */
static long random_pointer(void)
{
    switch (random_below(8)) {
    case 0: return (long)BAD_POINTER_NULL_PAGE;
    case 1: return (long)BAD_POINTER_UNMAPPED;
    case 2: return (long)BAD_POINTER_KERNEL;
    case 3: return (long)BAD_POINTER_NONCANONICAL;
    case 4: return (long)image_last_bytes(1 + random_below(IMAGE_TAIL_SIZE)); /* runs off */
    case 5: return (long)__image_start + (long)random_below(64); /* our read-only code */
    case 6: return 0;
    default: return (long)scratch + (long)random_below(SCRATCH_SIZE / 2);
    }
}

static long random_argument(void)
{
    static const long interesting[] = { 0, 1, 2, 3, 4, 5, 8, 16, 64, 255, 4096, -1, -100 };
    switch (random_below(5)) {
    case 0:
    case 1: return PICK(interesting);
    case 2: return (long)random_next();
    case 3: return (long)(uint32_t)random_next();
    default: return random_pointer();
    }
}

/* A pointer the kernel can never read. (Not BAD_POINTER_UNMAPPED: the random
 * mmaps may well have mapped that.) */
static long unreadable_pointer(void)
{
    return random_below(2) ? (long)BAD_POINTER_KERNEL : (long)BAD_POINTER_NONCANONICAL;
}

/* ---- the calls ---- */

struct call {
    long number;
    long args[6];
};

static void set_call(struct call *c, long number, long a0, long a1, long a2, long a3, long a4,
                     long a5)
{
    *c = (struct call){ number, { a0, a1, a2, a3, a4, a5 } };
}

static void random_mmap(struct call *c)
{
    long flags = random_map_flags();
    bool placed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) || random_below(2) == 0;
    unsigned long address = placed ? random_address() : 0; /* else a hint, or none */
    set_call(c, SYS_mmap, (long)address, (long)random_length(address), random_prot(), flags,
             random_fd(), random_offset());
}

static void random_mprotect(struct call *c)
{
    static const long keys[] = { -1, 0, 1, 15, 16 };
    unsigned long address = random_address();
    bool with_key = random_below(8) == 0;
    set_call(c, with_key ? SYS_pkey_mprotect : SYS_mprotect, (long)address,
             (long)random_length(address), random_prot(), PICK(keys), 0, 0);
}

static void random_madvise(struct call *c)
{
    /* Never 100 and 101 (MADV_HWPOISON, MADV_SOFT_OFFLINE): as root on Linux they
     * take real memory out of service. */
    static const long advice[] = { 0,
                                   1,
                                   2,
                                   3,
                                   4,
                                   4,
                                   4,
                                   8,
                                   9,
                                   10,
                                   11,
                                   12,
                                   13,
                                   14,
                                   15,
                                   16,
                                   17,
                                   18,
                                   19,
                                   20,
                                   21,
                                   MADV_POPULATE_READ,
                                   MADV_POPULATE_WRITE,
                                   25,
                                   -1,
                                   1000 };
    unsigned long address = random_address();
    set_call(c, SYS_madvise, (long)address, (long)random_length(address), PICK(advice), 0, 0, 0);
}

static void random_mremap(struct call *c)
{
    static const long flags[] = {
        0,
        MREMAP_MAYMOVE,
        MREMAP_MAYMOVE,
        MREMAP_MAYMOVE | MREMAP_FIXED,
        MREMAP_FIXED,
        MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
        MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
        8,
    };
    unsigned long old = random_address();
    unsigned long old_size = random_below(10) == 0 ? 0 : random_length(old);
    long how = random_below(16) == 0 ? (long)random_next() : PICK(flags);
    set_call(c, SYS_mremap, (long)old, (long)old_size, (long)random_length(old), how,
             (long)random_address(), 0);
}

static void random_brk(struct call *c)
{
    unsigned long request;
    switch (random_below(8)) {
    case 0: request = PICK(edge_addresses); break;
    case 1: request = -100UL; break;
    case 2: request = first_break + random_below(NEAR_PAGES) * PAGE_SIZE; break;
    case 3: request = random_address(); break;
    default:
        request = current_break + (random_below(2 * NEAR_PAGES) - NEAR_PAGES) * PAGE_SIZE;
        if (random_below(4) == 0)
            request += random_below(PAGE_SIZE);
    }
    set_call(c, SYS_brk, (long)request, 0, 0, 0, 0, 0);
}

static void random_memory_call(struct call *c)
{
    switch (random_below(12)) {
    case 0:
    case 1:
    case 2: random_mmap(c); break;
    case 3:
    case 4: {
        unsigned long address = random_address();
        set_call(c, SYS_munmap, (long)address, (long)random_length(address), 0, 0, 0, 0);
        break;
    }
    case 5:
    case 6: random_mprotect(c); break;
    case 7:
    case 8: random_mremap(c); break;
    case 9: random_madvise(c); break;
    default: random_brk(c);
    }
}

/* A call that makes the kernel write (or read) user memory at one of our addresses:
 * it must fault pages in, copy on write, or answer -EFAULT, never touch another
 * page. */
static void random_user_access(struct call *c)
{
    long at = (long)random_address(), size = PAGE_SIZE;
    keep_off_ourselves(&at, &size);
    switch (random_below(8)) {
    case 0: set_call(c, SYS_clock_gettime, (long)random_below(2), at, 0, 0, 0, 0); break;
    case 1: set_call(c, SYS_uname, at, 0, 0, 0, 0, 0); break;
    case 2:
        set_call(c, SYS_getrusage, random_below(2) ? RUSAGE_SELF : RUSAGE_CHILDREN, at, 0, 0, 0, 0);
        break;
    case 3: set_call(c, SYS_rt_sigprocmask, SIG_BLOCK, 0, at, SIGSET_SIZE, 0, 0); break;
    case 4:
        set_call(c, SYS_rt_sigprocmask, INVALID_HOW, at, 0, SIGSET_SIZE, 0, 0);
        break; /* reads */
    case 5: set_call(c, SYS_wait4, -1, at, WNOHANG, at, 0, 0); break;
    case 6:
        set_call(c, SYS_arch_prctl, random_below(2) ? ARCH_GET_FS : ARCH_GET_GS, at, 0, 0, 0, 0);
        break;
    default: set_call(c, SYS_nanosleep, at, at, 0, 0, 0, 0); break; /* reads (tamed below) */
    }
}

/* The calls vmlab has, with random arguments. */
static void random_known_call(struct call *c)
{
    static const short known[] = {
        SYS_write,   SYS_writev,    SYS_ioctl,       SYS_nanosleep,       SYS_getpid,
        SYS_getppid, SYS_gettid,    SYS_sched_yield, SYS_rt_sigaction,    SYS_rt_sigprocmask,
        SYS_uname,   SYS_getrusage, SYS_arch_prctl,  SYS_set_tid_address, SYS_clock_gettime,
        SYS_wait4,   SYS_kill,      SYS_execve,
    };
    c->number = PICK(known);
    for (int a = 0; a < 6; a++)
        c->args[a] = random_argument();
}

/* Any number Linux had by 2023 (but the skipped ones), and now and then one no kernel
 * knows, with random arguments. */
static void random_any_call(struct call *c, long *skips)
{
    static const long unknown[] = { -1, 512, 1000, 4096, 100000 };
    if (random_below(50) == 0) {
        c->number = PICK(unknown);
    } else {
        do {
            c->number = (long)random_below(SYS_LAST_FUZZED + 1);
            *skips += is_skipped(c->number);
        } while (is_skipped(c->number));
    }
    for (int a = 0; a < 6; a++)
        c->args[a] = random_argument();
}

/* ---- taming: arguments that keep a few calls harmless ---- */

static void tame_memory_call(struct call *c)
{
    long *args = c->args;
    switch (c->number) {
    case SYS_munmap:
    case SYS_mprotect:
    case SYS_pkey_mprotect: keep_off_ourselves(&args[0], &args[1]); break;
    case SYS_madvise:
        keep_off_ourselves(&args[0], &args[1]);
        if ((args[2] == MADV_POPULATE_READ || args[2] == MADV_POPULATE_WRITE) &&
            (unsigned long)args[1] > POPULATE_LIMIT)
            args[1] = (long)POPULATE_LIMIT;
        break;
    case SYS_mmap:
        if (args[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE))
            keep_off_ourselves(&args[0], &args[1]);
        if ((unsigned long)args[1] > POPULATE_LIMIT)
            args[3] &= ~(long)(MAP_POPULATE | MAP_LOCKED);
        if (!(args[3] & MAP_ANONYMOUS) && args[4] >= 0 && args[4] <= 2)
            args[4] = -1; /* a file we print on: never map it */
        break;
    case SYS_mremap:
        keep_off_ourselves(&args[0], &args[1]);
        if (args[3] & MREMAP_FIXED)
            keep_off_ourselves(&args[4], &args[2]);
        break;
    }
}

static void tame_signal_call(struct call *c)
{
    long *args = c->args;
    switch (c->number) {
    case SYS_kill: { /* only ourselves, or no process at all; never a deadly signal */
        static const long pids[] = { 0x7fff0000, -0x7fff0000 };
        static const long harmless[] = { 0, SIGCHLD, SIGURG, SIGWINCH, SIGCONT, 65, -1 };
        args[0] = random_below(2) ? sys_getpid() : PICK(pids);
        args[1] = PICK(harmless);
        break;
    }
    case SYS_rt_sigaction: { /* a handler would run at random on Linux: keep the default */
        if (random_below(2) == 0 || (unsigned long)args[1] < PAGE_SIZE) {
            args[1] = args[1] == 0 ? 0 : unreadable_pointer();
        } else {
            struct k_sigaction *action = (void *)scratch;
            action->handler = random_below(2) && args[0] != SIGCHLD ? SIG_IGN : SIG_DFL;
            args[1] = (long)action;
        }
        break;
    }
    }
}

static void tame(struct call *c)
{
    long *args = c->args;
    tame_memory_call(c);
    tame_signal_call(c);
    switch (c->number) {
    case SYS_write:  /* to the console, but from memory the kernel cannot read */
    case SYS_writev: /* (so vmlab and Linux both answer -EFAULT and print nothing) */
        args[0] = 1 + (long)random_below(2);
        args[1] = unreadable_pointer();
        break;
    case SYS_ioctl: /* TIOCGWINSZ, or a request no device knows */
        args[1] = random_below(2) ? TIOCGWINSZ : (long)(0xdead0000UL | random_below(0x10000));
        break;
    case SYS_nanosleep: /* an invalid time or an unreadable one: never a real sleep */
        if (random_below(2)) {
            struct timespec *request = (void *)scratch;
            request->tv_sec = (long)random_below(1000);
            request->tv_nsec = 1000000000L + (long)random_below(1000);
            args[0] = (long)request;
        } else {
            args[0] = unreadable_pointer();
        }
        break;
    case SYS_execve: { /* a path that names nothing, or cannot be read: it must fail */
        static const char nowhere[] = "/no/such/program";
        args[0] = random_below(2) ? (long)nowhere : unreadable_pointer();
        break;
    }
    }
}

/* ---- checking the answers ---- */

struct tally {
    long calls, enosys, errors, successes, skipped, processes, wrong;
};

static bool is_aligned_user_range(long start, unsigned long length)
{
    unsigned long s = (unsigned long)start;
    return s % PAGE_SIZE == 0 && s < USER_SPACE_END && length <= USER_SPACE_END - s;
}

/* Numbers no kernel knows (Linux stops below 512; 500 is vmlab's vmlab_vmstat). */
static bool is_unknown(long number)
{
    return number < 0 || number >= 512;
}

/* What no kernel may answer: NULL if the result is possible, else why not. */
static const char *impossible_result(const struct call *c, long result, unsigned long old_break)
{
    const long *args = c->args;
    if (c->number == SYS_brk)
        return result == args[0] || (unsigned long)result == old_break
                   ? NULL
                   : "brk returned neither the new break nor the old one";
    if (is_unknown(c->number))
        return result == -ENOSYS ? NULL : "an unknown number did not give -ENOSYS";
    if (IS_ERROR(result))
        return NULL;
    switch (c->number) {
    case SYS_mmap:
        if (!is_aligned_user_range(result, (unsigned long)args[1]))
            return "mmap returned a range that is not page-aligned user memory";
        if ((args[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && result != args[0])
            return "mmap with MAP_FIXED returned another address";
        return NULL;
    case SYS_mremap:
        return is_aligned_user_range(result, (unsigned long)args[2])
                   ? NULL
                   : "mremap returned a range that is not page-aligned user memory";
    case SYS_munmap:
    case SYS_mprotect:
    case SYS_madvise: return result == 0 ? NULL : "succeeded with a value other than 0";
    default: return NULL;
    }
}

static void print_call(const struct call *c, long index, long result, bool with_result)
{
    const long *a = c->args;
    printf("%lu: call %ld: syscall %ld (0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx)",
           (unsigned long)fuzz_seed, index, c->number, a[0], a[1], a[2], a[3], a[4], a[5]);
    if (with_result) {
        char text[RESULT_TEXT_SIZE];
        describe_result(result, text);
        printf(" = %s", text);
    }
}

/* Note what a memory call did to the places we aim at. */
static void learn_from(const struct call *c, long result)
{
    if (c->number == SYS_brk)
        current_break = (unsigned long)result;
    else if (IS_ERROR(result))
        return;
    else if (c->number == SYS_mmap && (c->args[3] & MAP_ANONYMOUS))
        remember_mapping((unsigned long)result, (unsigned long)c->args[1]);
    else if (c->number == SYS_mremap)
        remember_mapping((unsigned long)result, (unsigned long)c->args[2]);
}

static void make_call(const struct call *c, bool verbose, long index, struct tally *t)
{
    if (verbose)
        print_call(c, index, 0, false);
    unsigned long old_break = current_break;
    const long *a = c->args;
    long result = syscall6(c->number, a[0], a[1], a[2], a[3], a[4], a[5]);
    if (verbose) {
        char text[RESULT_TEXT_SIZE];
        describe_result(result, text);
        printf(" = %s\n", text);
    }
    const char *wrong = impossible_result(c, result, old_break);
    if (wrong != NULL) {
        t->wrong++;
        printf("syscallfuzz: WRONG: ");
        print_call(c, index, result, true);
        printf(": %s\n", wrong);
    }
    learn_from(c, result);
    t->calls++;
    if (result == -ENOSYS)
        t->enosys++;
    else if (IS_ERROR(result))
        t->errors++;
    else
        t->successes++;
}

/* ---- processes: children of the fuzzing process ---- */

#define GRANDCHILD_STEPS 8

/* In a forked child: a few memory calls and touches of memory by hand, then exit 0.
 * A touch of a page that is not there or forbidden kills it with SIGSEGV (or SIGBUS). */
static void play_and_exit(void)
{
    random_state ^= 0x5deece66dUL; /* not the calls the parent makes next */
    for (int step = 0; step < GRANDCHILD_STEPS; step++) {
        if (random_below(2) == 0) {
            struct call c;
            random_memory_call(&c);
            tame(&c);
            long result = syscall6(c.number, c.args[0], c.args[1], c.args[2], c.args[3], c.args[4],
                                   c.args[5]);
            learn_from(&c, result);
            continue;
        }
        long at = (long)inside_recent_mapping() + (long)random_below(PAGE_SIZE), one = 1;
        keep_off_ourselves(&at, &one);
        volatile unsigned char *p = (volatile unsigned char *)at;
        if (random_below(2) == 0)
            (void)*p;
        else
            *p = (unsigned char)random_next();
    }
    sys_exit_group(0);
}

static void fork_and_play(long index, struct tally *t)
{
    long pid = sys_fork();
    if (pid == 0)
        play_and_exit();
    t->processes++;
    if (pid < 0)
        return; /* -ENOMEM or -EAGAIN: a kernel may refuse */
    long status = wait_for(pid);
    if (exited_with(status, 0) || killed_by(status, SIGSEGV) || killed_by(status, SIGBUS) ||
        killed_by(status, SIGKILL))
        return;
    char text[60];
    describe_status(status, text, sizeof(text));
    printf("syscallfuzz: WRONG: %lu: call %ld: a forked child that exits 0 or dies of a bad "
           "access ended otherwise: %s\n",
           (unsigned long)fuzz_seed, index, text);
    t->wrong++;
}

static void vfork_and_exit(long index, struct tally *t)
{
    int code = (int)random_below(256);
    long pid = sys_vfork();
    if (pid == 0)
        sys_exit_group(code);
    t->processes++;
    if (pid < 0)
        return;
    long status = wait_for(pid);
    if (exited_with(status, code))
        return;
    char text[60];
    describe_status(status, text, sizeof(text));
    printf("syscallfuzz: WRONG: %lu: call %ld: a vforked child exiting with %d ended otherwise: "
           "%s\n",
           (unsigned long)fuzz_seed, index, code, text);
    t->wrong++;
}

/* ---- one fuzzing process ---- */

/* The next call: mostly memory calls and calls that access memory, some of vmlab's
 * other calls and any number at all, now and then a child process (made here, so
 * NULL is returned). */
static struct call *next_call(struct call *c, long index, struct tally *t)
{
    unsigned long kind = random_below(100);
    if (kind < 45)
        random_memory_call(c);
    else if (kind < 60)
        random_user_access(c);
    else if (kind < 78)
        random_known_call(c);
    else if (kind < 98)
        random_any_call(c, &t->skipped);
    else if (kind < 99) {
        fork_and_play(index, t);
        return NULL;
    } else {
        vfork_and_exit(index, t);
        return NULL;
    }
    tame(c);
    return c;
}

/* A child that exits at once: under tests/run-elf the kernel recounts every frame's
 * references when it is reaped, and names its pid if the count is wrong; printed
 * with -v, the pid tells which call broke the count. */
static void checkpoint(bool verbose)
{
    long pid = sys_vfork();
    if (pid == 0)
        sys_exit_group(0);
    if (pid > 0)
        wait_for(pid);
    if (verbose)
        printf("%lu: checkpoint: pid %ld\n", (unsigned long)fuzz_seed, pid);
}

static int child_mode(uint64_t seed, long calls, bool verbose, bool checkpoints)
{
    struct rlimit limit = { ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT };
    syscall2(SYS_setrlimit, RLIMIT_AS, (long)&limit); /* -ENOSYS on vmlab: fine */

    long on_the_stack = 0;
    stack_address = (unsigned long)&on_the_stack;
    first_break = current_break = (unsigned long)sys_brk(0);
    random_state = seed * 0x9e3779b97f4a7c15ULL + 1;
    fuzz_seed = seed;
    printf("syscallfuzz: seed %lu: %ld calls (alone: syscallfuzz --child %lu %ld -v)\n",
           (unsigned long)seed, calls, (unsigned long)seed, calls);
    struct tally t = { 0 };
    for (long i = 0; i < calls; i++) {
        /* Fresh random bytes each time: every call's input depends only on the seed. */
        for (size_t b = 0; b < SCRATCH_SIZE; b += 8) {
            uint64_t r = random_next();
            memcpy(scratch + b, &r, 8);
        }
        struct call c;
        if (next_call(&c, i, &t) != NULL)
            make_call(&c, verbose, i, &t);
        if (checkpoints)
            checkpoint(verbose);
    }
    printf("syscallfuzz: seed %lu: %ld calls made: %ld returned -ENOSYS, %ld another error, "
           "%ld succeeded; %ld processes made; %ld wrong answers (%ld numbers drawn were "
           "skipped)\n",
           (unsigned long)seed, t.calls, t.enosys, t.errors, t.successes, t.processes, t.wrong,
           t.skipped);
    return t.wrong == 0 ? 0 : 1;
}

/* ---- the parent: children at once, seed after seed ---- */

static void check_unknown_numbers(void)
{
    static const long unknown[] = { 511, 1000, 100000 }; /* (500 is vmlab_vmstat) */
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
        EXPECT_RESULT(syscall0(unknown[i]), -ENOSYS, "system call %ld does not exist: -ENOSYS",
                      unknown[i]);
}

struct run_plan {
    char *self;
    uint64_t first_seed, last_seed, calls, procs;
    bool verbose, checkpoints;
};

/* Start child `child` (1..procs) of seed: its pid, or -errno. */
static long start_child(const struct run_plan *plan, uint64_t seed, uint64_t child,
                        uint64_t *child_seed, uint64_t *child_calls)
{
    *child_seed = seed * SEEDS_PER_SEED + child;
    *child_calls = plan->calls / plan->procs + (child <= plan->calls % plan->procs ? 1 : 0);
    char seed_text[24], calls_text[24];
    snprintf(seed_text, sizeof(seed_text), "%lu", (unsigned long)*child_seed);
    snprintf(calls_text, sizeof(calls_text), "%lu", (unsigned long)*child_calls);
    char *argv[] = { plan->self, "--child", seed_text, calls_text, NULL, NULL, NULL };
    int extra = 4;
    if (plan->verbose)
        argv[extra++] = "-v";
    if (plan->checkpoints)
        argv[extra++] = "-c";
    return spawn(plan->self, argv, environ);
}

/* All the children of one seed at once; each must exit 0 or be killed by a signal (a
 * random call may legitimately kill its caller). */
static void run_seed(const struct run_plan *plan, uint64_t seed)
{
    long pids[MAX_PROCS];
    uint64_t seeds[MAX_PROCS], calls[MAX_PROCS];
    for (uint64_t i = 0; i < plan->procs; i++)
        pids[i] = start_child(plan, seed, i + 1, &seeds[i], &calls[i]);
    for (uint64_t i = 0; i < plan->procs; i++) {
        long status = pids[i] < 0 ? pids[i] : wait_for(pids[i]);
        char text[60];
        describe_status(status, text, sizeof(text));
        EXPECT(status >= 0 && (exited_with(status, 0) || WIFSIGNALED(status)),
               "seed %lu: child seed %lu (%lu calls) ended with status 0 or by a signal (%s)",
               (unsigned long)seed, (unsigned long)seeds[i], (unsigned long)calls[i], text);
    }
}

static int parent_mode(const struct run_plan *plan)
{
    printf("syscallfuzz: random system calls must not hurt the kernel: seeds %lu to %lu, "
           "%lu calls each, by %lu processes at once\n",
           (unsigned long)plan->first_seed, (unsigned long)plan->last_seed,
           (unsigned long)plan->calls, (unsigned long)plan->procs);
    check_unknown_numbers();
    for (uint64_t seed = plan->first_seed; seed <= plan->last_seed; seed++)
        run_seed(plan, seed);
    check_unknown_numbers();
    char *again[] = { plan->self, "--child", "2", "100", NULL };
    EXPECT_RESULT(run(plan->self, again, environ), 0,
                  "afterwards a new process runs fine (a short run: seed 2, 100 calls)");
    return check_summary("syscallfuzz");
}

/* "7" or "1-8" into first and last. */
static bool parse_seeds(const char *text, uint64_t *first, uint64_t *last)
{
    char buffer[48];
    const char *dash = strchr(text, '-');
    if (dash == NULL) {
        bool ok = parse_u64(text, first);
        *last = *first;
        return ok;
    }
    size_t length = (size_t)(dash - text);
    if (length >= sizeof(buffer))
        return false;
    memcpy(buffer, text, length);
    buffer[length] = '\0';
    return parse_u64(buffer, first) && parse_u64(dash + 1, last) && *first <= *last;
}

static int usage(const char *self)
{
    dprintf(STDERR,
            "usage: %s [-v] [-c] [-j PROCS] [SEED[-LAST] [N]]\n"
            "       %s --child SEED N [-v] [-c]\n"
            "       %s --skipped\n",
            self, self, self);
    return 2;
}

int main(int argc, char **argv)
{
    struct run_plan plan = { argv[0],       DEFAULT_SEED, DEFAULT_SEED, DEFAULT_CALLS,
                             DEFAULT_PROCS, false,        false };
    char *words[3];
    int count = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            plan.verbose = true;
        else if (strcmp(argv[i], "-c") == 0)
            plan.checkpoints = true;
        else if (strcmp(argv[i], "-j") == 0 && i + 1 < argc) {
            if (!parse_u64(argv[++i], &plan.procs) || plan.procs < 1 || plan.procs > MAX_PROCS)
                return usage(argv[0]);
        } else if (count < 3)
            words[count++] = argv[i];
        else
            return usage(argv[0]);
    }

    if (count == 1 && strcmp(words[0], "--skipped") == 0) {
        list_skipped();
        return 0;
    }
    if (count >= 1 && strcmp(words[0], "--child") == 0) {
        uint64_t seed, calls;
        if (count != 3 || !parse_u64(words[1], &seed) || !parse_u64(words[2], &calls))
            return usage(argv[0]);
        return child_mode(seed, (long)calls, plan.verbose, plan.checkpoints);
    }
    if (count > 2 || (count >= 1 && !parse_seeds(words[0], &plan.first_seed, &plan.last_seed)) ||
        (count == 2 && !parse_u64(words[1], &plan.calls)))
        return usage(argv[0]);
    return parent_mode(&plan);
}
