/*
 * skipped.c — the system-call numbers never drawn at random, and why.
 */
#include "fuzz.h"
#include "user/lib/stdio.h"

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

bool is_skipped(long number)
{
    for (size_t g = 0; g < sizeof(skipped) / sizeof(skipped[0]); g++) {
        for (size_t i = 0; i < skipped[g].count; i++) {
            if (skipped[g].numbers[i] == number)
                return true;
        }
    }
    return false;
}

void list_skipped(void)
{
    for (size_t g = 0; g < sizeof(skipped) / sizeof(skipped[0]); g++) {
        printf("%s:\n ", skipped[g].why);
        for (size_t i = 0; i < skipped[g].count; i++)
            printf(" %d", skipped[g].numbers[i]);
        printf("\n");
    }
}
