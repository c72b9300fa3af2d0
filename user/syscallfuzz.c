/*
 * syscallfuzz — thousands of system calls with random numbers and arguments.
 *
 * Whatever a program passes, the kernel must answer (a result or -errno) and keep
 * running; the worst that may happen is that the program itself is killed by a
 * signal. A kernel that panics, hangs or corrupts memory here has a bug that a real
 * program could hit. Unknown numbers must give -ENOSYS.
 *
 *   syscallfuzz [-v] [SEED [N]]       run the child below, check how it ended
 *   syscallfuzz --child SEED N [-v]   make N random calls (default N = 5000); -v prints
 *                                     each call before making it (to find the culprit
 *                                     of a kernel crash), then exit 0
 *   syscallfuzz --skipped             list the numbers never called, and why
 *
 * Arguments are drawn from values kernels get wrong: 0, -1, small numbers, huge ones,
 * pointers to a buffer of random bytes, to our read-only code, and to unmapped,
 * kernel and non-canonical addresses. The same SEED gives the same calls.
 *
 * Some numbers are skipped (see `skipped` below): the calls that would end or
 * replace the process, wait forever, or — because the same binary also runs on a
 * real Linux, maybe as root — change the machine, its files, other processes, or the
 * console the results are printed on. A few are "tamed": made with arguments that
 * keep them harmless.
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/parse.h"
#include "lib/string.h"
#include "user/lib/check.h"
#include "user/lib/env.h"
#include "user/lib/errno_names.h"
#include "user/lib/image.h"
#include "user/lib/signal_names.h"
#include "user/lib/spawn.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define DEFAULT_SEED  1
#define DEFAULT_CALLS 5000
#define SCRATCH_SIZE  4096

/* Linux only (vmlab answers -ENOSYS): cap our address space, so that no random mmap
 * or brk can make a real machine hand us gigabytes. */
#define SYS_setrlimit   160
#define RLIMIT_AS       9
#define ADDRESS_SPACE_LIMIT (256UL << 20)

/* The numbers never called, in groups with the reason; the names in each comment are
 * in the same order as the numbers. */
struct skip_group {
    const char *why;
    const short *numbers;
    size_t count;
};
#define SKIP(why, ...) \
    { why, (const short[]){ __VA_ARGS__ }, sizeof((short[]){ __VA_ARGS__ }) / sizeof(short) }

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
    SKIP("could wait forever", 0, 17, 19, 295, 327, 34, 130, 128, 230, 7, 23, 270, 271, 232,
         281, 441, 202, 449, 73),
    /* pwrite64 pwritev pwritev2 close close_range lseek fcntl ftruncate fallocate fchmod
     * fchown fsetxattr fremovexattr sendfile splice tee vmsplice copy_file_range dup2
     * dup3 shutdown setsockopt sendto sendmsg sendmmsg recvfrom recvmsg recvmmsg setsid
     * setpgid */
    SKIP("reads, writes or changes fds 0-2 (where our output goes) or our terminal", 18, 296,
         328, 3, 436, 8, 72, 77, 285, 91, 93, 190, 199, 40, 275, 276, 278, 326, 33, 292, 48,
         54, 44, 46, 307, 45, 47, 299, 112, 109),
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
    SKIP("creates file descriptors or kernel objects that outlive the call", 2, 257, 437, 85,
         304, 32, 22, 293, 41, 53, 42, 43, 288, 49, 50, 284, 290, 282, 289, 283, 213, 291, 233,
         253, 294, 254, 319, 447, 323, 298, 300, 301, 425, 426, 427, 434, 438, 206, 207, 208,
         209, 210, 333, 29, 30, 31, 67, 64, 65, 66, 220, 68, 69, 70, 71, 240, 241, 242, 243,
         244, 245, 248, 249, 250, 321, 444, 445, 446),
    /* rename renameat renameat2 mkdir mkdirat rmdir link linkat unlink unlinkat symlink
     * symlinkat mknod mknodat chmod fchmodat chown lchown fchownat truncate utime utimes
     * futimesat utimensat setxattr lsetxattr removexattr lremovexattr uselib acct chroot
     * pivot_root mount umount2 open_tree move_mount fsopen fsconfig fsmount fspick
     * mount_setattr quotactl quotactl_fd */
    SKIP("changes the file system", 82, 264, 316, 83, 258, 84, 86, 265, 87, 263, 88, 266, 133,
         259, 90, 268, 92, 94, 260, 76, 132, 235, 261, 280, 188, 189, 197, 198, 134, 163, 161,
         155, 165, 166, 428, 429, 430, 431, 432, 433, 442, 179, 443),
    /* kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo pidfd_send_signal ptrace
     * process_vm_readv process_vm_writev kcmp migrate_pages move_pages process_madvise
     * process_mrelease prlimit64 setpriority sched_setparam sched_setscheduler
     * sched_setaffinity sched_setattr ioprio_set unshare setns setrlimit */
    SKIP("acts on other processes (or would lift our own limits)", 62, 200, 234, 129, 297, 424,
         101, 310, 311, 312, 256, 279, 440, 448, 302, 141, 142, 144, 203, 314, 251, 272, 308,
         160),
    /* reboot kexec_load kexec_file_load init_module finit_module delete_module swapon
     * swapoff sethostname setdomainname settimeofday clock_settime adjtimex
     * clock_adjtime syslog vhangup iopl ioperm */
    SKIP("changes the whole machine (on Linux, as root)", 169, 246, 320, 175, 313, 176, 167, 168,
         170, 171, 164, 227, 159, 305, 103, 153, 172, 173),
    /* alarm setitimer timer_create timer_settime timer_delete rseq */
    SKIP("acts later, at a time that depends on the machine's speed", 37, 38, 222, 223, 226,
         334),
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

static uint64_t random_next(void)
{
    random_state ^= random_state >> 12;
    random_state ^= random_state << 25;
    random_state ^= random_state >> 27;
    return random_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t random_below(uint64_t limit)
{
    return random_next() % limit;
}

/* ---- arguments ---- */

static unsigned char scratch[SCRATCH_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* A pointer: mostly ones the kernel must refuse, sometimes our scratch buffer. */
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
    case 1: return interesting[random_below(sizeof(interesting) / sizeof(interesting[0]))];
    case 2: return (long)random_next();
    case 3: return (long)(uint32_t)random_next();
    default: return random_pointer();
    }
}

/* A pointer the kernel can never read. */
static long unreadable_pointer(void)
{
    switch (random_below(3)) {
    case 0: return (long)BAD_POINTER_UNMAPPED;
    case 1: return (long)BAD_POINTER_KERNEL;
    default: return (long)BAD_POINTER_NONCANONICAL;
    }
}

/* ---- taming: arguments that keep a few useful calls harmless ---- */

#define SYS_mmap          9
#define SYS_mprotect      10
#define SYS_munmap        11
#define SYS_mremap        25
#define SYS_madvise       28
#define SYS_pkey_mprotect 329
#define MAP_FIXED         0x10
#define MREMAP_FIXED      2
#define FAR_AWAY          0x300000000000UL /* user space that nothing uses */
#define STACK_MARGIN      (16UL << 20)

static unsigned long stack_address SAFE_FROM_SCRATCH; /* roughly where our stack is */

static bool overlaps(unsigned long start, unsigned long length, unsigned long from,
                     unsigned long to)
{
    unsigned long end = start + length;
    if (end < start)
        return true; /* wraps around: covers everything */
    return start < to && end > from;
}

/* Memory calls on a range that includes our own code, data or stack would kill us and
 * lose the rest of the run (Linux rightly obeys munmap(0, 1 GiB)): move such a range
 * far away, where the kernel still has to handle it. */
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

static void tame(long number, long args[6])
{
    switch (number) {
    case SYS_munmap:
    case SYS_mprotect:
    case SYS_madvise:
    case SYS_pkey_mprotect:
        keep_off_ourselves(&args[0], &args[1]);
        break;
    case SYS_mmap:
        if (args[3] & MAP_FIXED)
            keep_off_ourselves(&args[0], &args[1]);
        break;
    case SYS_mremap:
        keep_off_ourselves(&args[0], &args[1]);
        if (args[3] & MREMAP_FIXED)
            keep_off_ourselves(&args[4], &args[2]);
        break;
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
    }
}

/* ---- the child: the random calls ---- */

struct tally {
    long calls, enosys, errors, successes, skipped;
};

static void make_call(long number, long args[6], bool verbose, long index, struct tally *t)
{
    if (verbose)
        printf("call %ld: syscall %ld (0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx)", index, number,
               args[0], args[1], args[2], args[3], args[4], args[5]);
    long result = syscall6(number, args[0], args[1], args[2], args[3], args[4], args[5]);
    if (verbose) {
        char text[RESULT_TEXT_SIZE];
        describe_result(result, text);
        printf(" = %s\n", text);
    }
    t->calls++;
    if (result == -ENOSYS)
        t->enosys++;
    else if (IS_ERROR(result))
        t->errors++;
    else
        t->successes++;
}

static int child_mode(uint64_t seed, long calls, bool verbose)
{
    struct { unsigned long current, maximum; } limit = { ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT };
    syscall2(SYS_setrlimit, RLIMIT_AS, (long)&limit); /* -ENOSYS on vmlab: fine */

    long on_the_stack = 0;
    stack_address = (unsigned long)&on_the_stack;
    random_state = seed * 0x9e3779b97f4a7c15ULL + 1;
    struct tally t = { 0 };
    for (long i = 0; i < calls; i++) {
        long number;
        do {
            number = (long)random_below(SYS_LAST_FUZZED + 1);
            t.skipped += is_skipped(number);
        } while (is_skipped(number));
        long args[6];
        for (int a = 0; a < 6; a++)
            args[a] = random_argument();
        /* Fresh random bytes each time: every call's input depends only on the seed. */
        for (size_t b = 0; b < SCRATCH_SIZE; b += 8) {
            uint64_t r = random_next();
            memcpy(scratch + b, &r, 8);
        }
        tame(number, args);
        make_call(number, args, verbose, i, &t);
    }
    printf("syscallfuzz: seed %lu: %ld calls made: %ld returned -ENOSYS, %ld another error, "
           "%ld succeeded (%ld numbers drawn were skipped)\n",
           (unsigned long)seed, t.calls, t.enosys, t.errors, t.successes, t.skipped);
    return 0;
}

/* ---- the parent ---- */

static void check_unknown_numbers(void)
{
    static const long unknown[] = { 511, 1000, 100000 }; /* (500 is vmlab_vmstat) */
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
        EXPECT_RESULT(syscall0(unknown[i]), -ENOSYS, "system call %ld does not exist: -ENOSYS",
                      unknown[i]);
}

static int parent_mode(char *self, const char *seed_text, const char *calls_text, bool verbose)
{
    printf("syscallfuzz: random system calls must not hurt the kernel\n");
    check_unknown_numbers();

    char *argv[] = { self, "--child", (char *)seed_text, (char *)calls_text,
                     verbose ? "-v" : NULL, NULL };
    long status = run(self, argv, environ);
    char text[60];
    describe_status(status, text, sizeof(text));
    /* A random call may legitimately kill its caller (munmap of its own code on
     * Linux, say); that is not a kernel bug. Exiting with another status would be. */
    EXPECT(status >= 0 && ((WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
                           WIFSIGNALED(status)),
           "%s --child %s %s ended normally or by a signal (%s)", self, seed_text, calls_text,
           text);

    check_unknown_numbers();
    char *again[] = { self, "--child", "2", "100", NULL };
    EXPECT_RESULT(run(self, again, environ), 0,
                  "afterwards a new process runs fine (a short run: seed 2, 100 calls)");
    return check_summary("syscallfuzz");
}

int main(int argc, char **argv)
{
    char *self = argv[0];
    bool verbose = false;
    char *words[3];
    int count = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            verbose = true;
        else if (count < 3)
            words[count++] = argv[i];
        else
            count = 4; /* too many */
    }

    uint64_t seed = DEFAULT_SEED, calls = DEFAULT_CALLS;
    if (count == 1 && strcmp(words[0], "--skipped") == 0) {
        list_skipped();
        return 0;
    }
    if (count >= 1 && strcmp(words[0], "--child") == 0) {
        if (count != 3 || !parse_u64(words[1], &seed) || !parse_u64(words[2], &calls)) {
            dprintf(STDERR, "usage: %s --child SEED N [-v]\n", self);
            return 2;
        }
        return child_mode(seed, (long)calls, verbose);
    }
    if (count > 2 || (count >= 1 && !parse_u64(words[0], &seed)) ||
        (count == 2 && !parse_u64(words[1], &calls))) {
        dprintf(STDERR, "usage: %s [-v] [SEED [N]]\n", self);
        return 2;
    }
    char seed_text[24], calls_text[24];
    snprintf(seed_text, sizeof(seed_text), "%lu", (unsigned long)seed);
    snprintf(calls_text, sizeof(calls_text), "%lu", (unsigned long)calls);
    return parent_mode(self, seed_text, calls_text, verbose);
}
