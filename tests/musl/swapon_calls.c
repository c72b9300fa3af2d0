/*
 * swapon_calls — swapon(2) and swapoff(2) with Linux's answers, /proc/swaps,
 * /proc/meminfo's Swap lines, sysinfo's swap and the disk nodes under /dev
 * (kernel/swap/swapon.c). Run by tests/boot/swapon.sh on vmlab:
 *
 *   swapon_calls SWAP CORRUPT    e.g. /dev/vdc /dev/vdb
 *
 * SWAP: a disk made by mkswap that the kernel enabled at boot (swap=vdc);
 * CORRUPT: one whose signature was overwritten. The root disk (vda, mounted at /)
 * must be there too. Each call prints its result and errno's name; the test
 * compares them with the values Linux gives (listed in kernel/swap/swapon.c).
 * Last, memory pressure: pages reclaim wrote out are found in their slots on the
 * disk, read back intact, and swapoff brings them in. It also writes the disk nodes (EBUSY for a
 * disk in use, ENOSPC at the end, a write across the signature read back), and busybox's mkswap
 * mends CORRUPT. Without arguments (on the host, or from musl-diff.sh) it only says how to use it:
 * swapon needs root and disks of its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define BAD_POINTER  ((const char *)1)
#define REGULAR_FILE "/tmp/swapon_calls.file"
#define PAGE         4096
#define PRESSURE_MIB 30 /* more than the 32 MiB the test boots with */

static const char *errno_name(int e)
{
    switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ENXIO: return "ENXIO";
    case EFAULT: return "EFAULT";
    case ENOTBLK: return "ENOTBLK";
    case EBUSY: return "EBUSY";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case ENOMEM: return "ENOMEM";
    case ENOSYS: return "ENOSYS";
    case ENOSPC: return "ENOSPC";
    default: return "another errno";
    }
}

static void result(const char *what, long r)
{
    printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? errno_name(errno) : "");
}

/* The raw system calls: musl's wrappers would do too, but bad pointers and odd
 * flags go to the kernel exactly as written. */
static long do_swapon(const char *path, long flags)
{
    return syscall(SYS_swapon, path, flags);
}

static long do_swapoff(const char *path)
{
    return syscall(SYS_swapoff, path);
}

/* /proc/swaps with tabs shown as \t, each line prefixed. */
static void show_swaps(const char *when)
{
    char text[1024];
    int fd = open("/proc/swaps", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
    if (fd >= 0)
        close(fd);
    text[n > 0 ? n : 0] = '\0';
    printf("/proc/swaps %s:\n", when);
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        printf("  ");
        for (char *c = line; *c; c++)
            printf(*c == '\t' ? "\\t" : "%c", *c);
        printf("\n");
    }
}

/* The Swap lines of /proc/meminfo, and what sysinfo says in KiB. */
static void show_meminfo(void)
{
    char line[128];
    FILE *f = fopen("/proc/meminfo", "r");
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "Swap", 4) == 0)
            printf("meminfo %s", line);
    }
    if (f != NULL)
        fclose(f);
    struct sysinfo info;
    if (sysinfo(&info) == 0)
        printf("sysinfo totalswap %llu KiB, freeswap %llu KiB\n",
               (unsigned long long)info.totalswap * info.mem_unit / 1024,
               (unsigned long long)info.freeswap * info.mem_unit / 1024);
}

/* stat of a disk node: its kind and numbers; and the signature its first page
 * ends with, read through the node. */
static void show_node(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        result("stat", -1);
        return;
    }
    printf("%s: %s %u:%u\n", path, S_ISBLK(st.st_mode) ? "block device" : "not a block device",
           major(st.st_rdev), minor(st.st_rdev));
    char page[PAGE] = "";
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? pread(fd, page, sizeof page, 0) : -1;
    printf("%s: read %zd bytes, signature \"%.10s\"\n", path, n, page + PAGE - 10);
    if (fd >= 0)
        close(fd);
}

/* A write of 3 bytes at offset at of the disk node path: the result and errno. */
static void write_disk(const char *what, const char *path, off_t at)
{
    int fd = open(path, O_WRONLY);
    long r = fd >= 0 ? (long)pwrite(fd, "abc", 3, at) : -1;
    result(what, r);
    if (fd >= 0)
        close(fd);
}

/* The size of the disk node path, by lseek to its end. */
static off_t disk_size(const char *path)
{
    int fd = open(path, O_RDONLY);
    off_t size = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
    if (fd >= 0)
        close(fd);
    return size;
}

/* busybox sh -c script, its output ours. */
static void busybox_session(const char *script)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        execl("/bin/busybox", "sh", "-c", script, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("busybox: exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* A counter of /proc/vmstat (-1 if missing). */
static long vmstat(const char *name)
{
    char line[128];
    long value = -1;
    size_t length = strlen(name);
    FILE *f = fopen("/proc/vmstat", "r");
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, name, length) == 0 && line[length] == ' ')
            value = atol(line + length + 1);
    }
    if (f != NULL)
        fclose(f);
    return value;
}

#define PAGE_MARK "swapon_calls page "

/* Pages of region that still start with their own mark. */
static long intact_pages(const char *region, long pages)
{
    long good = 0;
    for (long i = 0; i < pages; i++) {
        char want[48];
        snprintf(want, sizeof want, PAGE_MARK "%ld.", i);
        good += strcmp(region + i * PAGE, want) == 0;
    }
    return good;
}

/* The disk read through its node, a page at a time: how many pages start with
 * a mark (the slots holding a swapped-out page), whether one is in page 0, and
 * whether page 0 still ends with the signature. */
static void scan_disk(const char *disk)
{
    static char buffer[16 * PAGE];
    long marked = 0, in_header = 0, header_ok = 0, n = 0;
    int fd = open(disk, O_RDONLY);
    ssize_t got;
    while (fd >= 0 && (got = read(fd, buffer, sizeof buffer)) >= PAGE) {
        for (char *page = buffer; page + PAGE <= buffer + got; page += PAGE, n++) {
            bool mark = strncmp(page, PAGE_MARK, strlen(PAGE_MARK)) == 0;
            marked += mark && n > 0;
            in_header += mark && n == 0;
            header_ok += n == 0 && memcmp(page + PAGE - 10, "SWAPSPACE2", 10) == 0;
        }
    }
    if (fd >= 0)
        close(fd);
    printf("on %s: marked pages in slots 1..: %s, in the header page: %s, signature intact: %s\n",
           disk, marked > 0 ? "yes" : "none", in_header > 0 ? "yes" : "no",
           header_ok ? "yes" : "no");
}

/* Memory pressure with swap on: MIB of pages, each starting with its own mark,
 * more than the RAM left (the test boots with 32 MiB). Reclaim writes some to
 * the disk, where they must sit at page boundaries past the header (slot N at
 * byte 4096 N) and from where they must come back intact; then swapoff brings
 * the rest in. */
static void pressure(const char *swap, long mib)
{
    long pages = mib * 256, written_before = vmstat("pswpout");
    char *region =
        mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) {
        result("mmap", -1);
        return;
    }
    for (long i = 0; i < pages; i++)
        snprintf(region + i * PAGE, 48, PAGE_MARK "%ld.", i);
    printf("pressure: %ld MiB written, pswpout grew: %s\n", mib,
           vmstat("pswpout") > written_before ? "yes" : "no");
    scan_disk(swap);
    printf("pages intact: %s\n", intact_pages(region, pages) == pages ? "all" : "NOT ALL");
    result("munmap of the second half", munmap(region + pages / 2 * PAGE, pages / 2 * PAGE));
    result("swapoff with pages out", do_swapoff(swap));
    printf("pages intact after swapoff: %s\n",
           intact_pages(region, pages / 2) == pages / 2 ? "all" : "NOT ALL");
    show_swaps("after swapoff with pages out");
    result("munmap", munmap(region, pages / 2 * PAGE));
}

static void make_regular_file(void)
{
    static char zeros[16 * PAGE];
    int fd = open(REGULAR_FILE, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    if (fd < 0 || write(fd, zeros, sizeof zeros) != sizeof zeros)
        printf("cannot make %s\n", REGULAR_FILE);
    if (fd >= 0)
        close(fd);
}

/* The calls that need no swap disk: their answers are Linux's (a regular file
 * with no swap signature: EINVAL). */
static void calls_without_a_disk(const char *swap)
{
    result("swapon of a missing path", do_swapon("/dev/nothing", 0));
    result("swapon of \"\"", do_swapon("", 0));
    make_regular_file();
    result("swapon of a regular file", do_swapon(REGULAR_FILE, 0));
    result("swapoff of a regular file", do_swapoff(REGULAR_FILE));
    unlink(REGULAR_FILE);
    result("swapon of a directory", do_swapon("/dev", 0));
    result("swapon of /dev/null", do_swapon("/dev/null", 0));
    result("swapoff of /dev/null", do_swapoff("/dev/null"));
    result("swapon with flags 0x80000", do_swapon(swap, 0x80000));
    result("swapon of a bad pointer", do_swapon(BAD_POINTER, 0));
    result("swapoff of a bad pointer", do_swapoff(BAD_POINTER));
    result("swapoff of a missing path", do_swapoff("/dev/nothing"));
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "errors") == 0) {
        mkdir("/tmp", 0777); /* Linux's initramfs (linux-ref) may have none */
        calls_without_a_disk("/dev/null");
        return 0;
    }
    if (argc != 3) {
        printf(
            "usage: swapon_calls SWAP-DISK CORRUPT-DISK | errors (vmlab: tests/boot/swapon.sh)\n");
        return 0;
    }
    const char *swap = argv[1], *corrupt = argv[2];
    show_swaps("at the start (swap= on the command line)");
    result("swapon again (already active)", do_swapon(swap, 0));
    result("swapon of the corrupt disk while one is active", do_swapon(corrupt, 0));
    show_meminfo();
    result("swapoff", do_swapoff(swap));
    show_swaps("after swapoff");
    show_meminfo();
    result("swapoff again", do_swapoff(swap));
    result("swapon", do_swapon(swap, 0));
    show_swaps("after swapon");
    result("swapoff", do_swapoff(swap));
    result("swapon with SWAP_FLAG_PREFER | 5", do_swapon(swap, SWAP_FLAG_PREFER | 5));
    show_swaps("with priority 5");
    result("swapoff", do_swapoff(swap));
    result("swapon of the corrupt disk", do_swapon(corrupt, 0));
    result("swapon of the root disk (mounted)", do_swapon("/dev/vda", 0));
    calls_without_a_disk(swap);
    show_node(swap);
    show_node(corrupt);
    write_disk("write to the mounted root disk", "/dev/vda", 0);
    result("swapon", do_swapon(swap, 0));
    write_disk("write to the active swap disk", swap, 0);
    result("swapoff", do_swapoff(swap));
    off_t size = disk_size(corrupt);
    printf("%s: %lld bytes by lseek\n", corrupt, (long long)size);
    write_disk("write at the end of the corrupt disk", corrupt, size);
    write_disk("write across the corrupt disk's signature", corrupt, PAGE - 11);
    show_node(corrupt);

    /* busybox's swapon, free and swapoff; then its mkswap mends the corrupt disk */
    char script[256];
    snprintf(script, sizeof script,
             "swapon %s && echo swapon ok; free | grep Swap; swapoff %s && echo swapoff ok", swap,
             swap);
    busybox_session(script);
    snprintf(script, sizeof script,
             "mkswap %s >/dev/null && echo mkswap ok; swapon %s && grep SwapTotal /proc/meminfo; "
             "swapoff %s && echo swapoff ok",
             corrupt, corrupt, corrupt);
    busybox_session(script);
    result("swapon", do_swapon(swap, 0));
    pressure(swap, PRESSURE_MIB);
    result("swapon at the end (as at the start)", do_swapon(swap, 0));
    show_swaps("at the end");
    return 0;
}
