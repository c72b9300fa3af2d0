/*
 * fsbench — the storage benchmarks of `make bench`: one static musl program that
 * runs unchanged on vmlab and on Linux, over the same ext2 image on a virtio disk.
 *
 *   fsbench [--linux MODULE.ko...] DIR PHASE...
 *
 * DIR holds the file system under test and the file DIR/big (64 MiB, made by
 * mke2fs -d). PHASE is one of:
 *   read    read_64m_cold: read DIR/big with read() in 64 KiB chunks, the first
 *           read since the disk was mounted; read_64m_warm: the same again
 *   write   write_64m_fsync: write a new 64 MiB file in 64 KiB chunks, then fsync
 *   files   files_1000: create 1,000 small files (open O_CREAT, write 100 bytes,
 *           close), delete them all, then sync(); 2,000 operations
 * For each it prints a line run-bench reads (higher is better):
 *   metric read_64m_cold 95.3 MB/s
 * and where the time went, from getrusage: "time read_64m_cold: wall 672 ms, in the
 * kernel 610 ms, in the program 2 ms". A phase the kernel cannot do yet prints
 *   unavailable write_64m_fsync: open: Read-only file system
 * and the run goes on. On Linux it also prints the disk's counters for each phase
 * from /sys/block/vda/stat, in the words vmlab's kernel uses at power-off.
 *
 * --linux: the program is init's child under tests/bench's Linux run, whose
 * initramfs has no disk drivers. It loads the given kernel modules in order
 * (finit_module), waits for /dev/vda, and mounts it on /mnt (ext2): then DIR is
 * /mnt. (vmlab mounts its first disk on "/" by itself.)
 *
 * Exit status: 0, or 1 if a phase failed other than by being unavailable.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MIB          (1024L * 1024)
#define FILE_BYTES   (64 * MIB)
#define CHUNK        (64 * 1024)
#define SMALL_FILES  1000
#define SMALL_BYTES  100
#define DISK         "/dev/vda"
#define DISK_STAT    "/sys/block/vda/stat"
#define MOUNT_POINT  "/mnt"
#define DISK_WAIT_MS 10000

static char chunk[CHUNK];
static const char *dir;
static int failures;

struct clock {
    struct timespec wall;
    struct rusage usage;
};

static long long ns_of(struct timespec t)
{
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long us_of(struct timeval t)
{
    return t.tv_sec * 1000000LL + t.tv_usec;
}

static struct clock clock_now(void)
{
    struct clock c;
    clock_gettime(CLOCK_MONOTONIC, &c.wall);
    getrusage(RUSAGE_SELF, &c.usage);
    return c;
}

/* Linux's counters of the disk (reads, sectors read, writes, sectors written,
 * milliseconds waiting); all zero where there is no such file (vmlab). */
struct disk_counters {
    unsigned long long reads, read_sectors, read_ms, writes, write_sectors, write_ms, flushes;
};

static struct disk_counters disk_counters(void)
{
    struct disk_counters d = { 0 };
    unsigned long long skip;
    FILE *f = fopen(DISK_STAT, "r");
    if (f == NULL)
        return d;
    /* reads merges sectors ticks, writes merges sectors ticks, in-flight, io-ticks,
     * queue-time, 4 discard fields, flushes flush-ticks */
    if (fscanf(f, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
               &d.reads, &skip, &d.read_sectors, &d.read_ms, &d.writes, &skip, &d.write_sectors,
               &d.write_ms, &skip, &skip, &skip, &skip, &skip, &skip, &skip, &d.flushes) < 8)
        d = (struct disk_counters){ 0 };
    fclose(f);
    return d;
}

/* Print the metric (units per second), and where its time went. */
static void report(const char *name, double amount, const char *unit, struct clock start,
                   struct disk_counters disk_before)
{
    struct clock end = clock_now();
    long long ns = ns_of(end.wall) - ns_of(start.wall);
    printf("metric %s %.1f %s\n", name, amount * 1e9 / (double)ns, unit);
    printf("time %s: wall %lld ms, in the kernel %lld ms, in the program %lld ms\n", name,
           ns / 1000000, (us_of(end.usage.ru_stime) - us_of(start.usage.ru_stime)) / 1000,
           (us_of(end.usage.ru_utime) - us_of(start.usage.ru_utime)) / 1000);
    struct disk_counters d = disk_counters();
    if (d.reads + d.writes == 0)
        return;
    printf("disk %s: %llu requests, %llu sectors read, %llu sectors written, %llu flushes, "
           "%llu ms waiting\n",
           name, d.reads + d.writes - disk_before.reads - disk_before.writes,
           d.read_sectors - disk_before.read_sectors, d.write_sectors - disk_before.write_sectors,
           d.flushes - disk_before.flushes,
           d.read_ms + d.write_ms - disk_before.read_ms - disk_before.write_ms);
}

/* A phase that could not run: unavailable (the kernel refuses to write, for now)
 * or failed (anything else, which makes the exit status 1). */
static void could_not(const char *name, const char *step)
{
    int e = errno;
    if (e == EROFS || e == ENOSYS) {
        printf("unavailable %s: %s: %s\n", name, step, strerror(e));
        return;
    }
    fprintf(stderr, "fsbench: %s: %s: %s\n", name, step, strerror(e));
    failures++;
}

/* Read DIR/big to its end in 64 KiB chunks and report MB/s under name. */
static void read_big(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/big", dir);
    struct disk_counters disk = disk_counters();
    struct clock start = clock_now();
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return could_not(name, "open big");
    long total = 0;
    ssize_t n;
    while ((n = read(fd, chunk, CHUNK)) > 0)
        total += n;
    close(fd);
    if (n < 0 || total != FILE_BYTES) {
        errno = n < 0 ? errno : EIO;
        return could_not(name, "read big");
    }
    report(name, (double)total / 1e6, "MB/s", start, disk);
}

static void phase_read(void)
{
    read_big("read_64m_cold");
    read_big("read_64m_warm");
}

/* Write a new 64 MiB file and fsync it: the time until it is on the disk. */
static void phase_write(void)
{
    const char *name = "write_64m_fsync";
    char path[256];
    snprintf(path, sizeof path, "%s/written", dir);
    memset(chunk, 0x5a, sizeof chunk);
    struct disk_counters disk = disk_counters();
    struct clock start = clock_now();
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return could_not(name, "open");
    for (long done = 0; done < FILE_BYTES; done += CHUNK)
        if (write(fd, chunk, CHUNK) != CHUNK) {
            close(fd);
            return could_not(name, "write");
        }
    if (fsync(fd) != 0) {
        close(fd);
        return could_not(name, "fsync");
    }
    close(fd);
    report(name, (double)FILE_BYTES / 1e6, "MB/s", start, disk);
}

/* Create 1,000 small files, delete them, sync: 2,000 operations. */
static void phase_files(void)
{
    const char *name = "files_1000";
    char path[256];
    struct disk_counters disk = disk_counters();
    struct clock start = clock_now();
    for (int i = 0; i < SMALL_FILES; i++) {
        snprintf(path, sizeof path, "%s/small-%04d", dir, i);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0)
            return could_not(name, "create");
        ssize_t n = write(fd, chunk, SMALL_BYTES);
        close(fd);
        if (n != SMALL_BYTES)
            return could_not(name, "write");
    }
    for (int i = 0; i < SMALL_FILES; i++) {
        snprintf(path, sizeof path, "%s/small-%04d", dir, i);
        if (unlink(path) != 0)
            return could_not(name, "unlink");
    }
    sync();
    report(name, 2.0 * SMALL_FILES, "ops/s", start, disk);
}

/* Linux only: load the disk and file system drivers, wait for the disk, mount it. */
static int linux_mount(char **modules, int count)
{
    for (int i = 0; i < count; i++) {
        int fd = open(modules[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0 || (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST)) {
            fprintf(stderr, "fsbench: loading %s: %s\n", modules[i], strerror(errno));
            return -1;
        }
        close(fd);
    }
    struct stat st;
    for (int waited = 0; stat(DISK, &st) != 0; waited += 10) {
        if (waited >= DISK_WAIT_MS) {
            fprintf(stderr, "fsbench: no %s after %d ms\n", DISK, DISK_WAIT_MS);
            return -1;
        }
        usleep(10000);
    }
    mkdir("/sys", 0555);
    mount("sysfs", "/sys", "sysfs", 0, NULL); /* for DISK_STAT; no counters without it */
    mkdir(MOUNT_POINT, 0755);
    if (mount(DISK, MOUNT_POINT, "ext2", 0, NULL) != 0) {
        fprintf(stderr, "fsbench: mount %s: %s\n", DISK, strerror(errno));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int arg = 1;
    if (arg < argc && strcmp(argv[arg], "--linux") == 0) {
        int first = ++arg;
        while (arg < argc && strstr(argv[arg], ".ko") != NULL)
            arg++;
        if (linux_mount(argv + first, arg - first) != 0)
            return 1;
    }
    if (argc - arg < 2) {
        fprintf(stderr, "usage: fsbench [--linux MODULE.ko...] DIR read|write|files...\n");
        return 1;
    }
    dir = argv[arg++];
    for (; arg < argc; arg++) {
        if (strcmp(argv[arg], "read") == 0)
            phase_read();
        else if (strcmp(argv[arg], "write") == 0)
            phase_write();
        else if (strcmp(argv[arg], "files") == 0)
            phase_files();
        else {
            fprintf(stderr, "fsbench: unknown phase %s\n", argv[arg]);
            return 1;
        }
        fflush(stdout);
    }
    return failures != 0;
}
