/*
 * common.c — what every part of mmap_file uses: errno and signal names, lines of
 * output, the pattern files, and touching a page in a child.
 */
#include "mmap_file.h"

const char *errno_name(int e)
{
    switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case ENODEV: return "ENODEV";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case ETXTBSY: return "ETXTBSY";
    case ENOSPC: return "ENOSPC";
    case EIO: return "EIO";
    case EOVERFLOW: return "EOVERFLOW";
    case ENOSYS: return "ENOSYS";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    default: return "another error";
    }
}

/* "what: 0", "what: ok" for a result that is an address, or "what: -1 ENAME". */
void show(const char *what, long result)
{
    if (result == -1)
        printf("%s: -1 %s\n", what, errno_name(errno));
    else
        printf("%s: %ld\n", what, result);
}

void show_map(const char *what, void *p)
{
    if (p == MAP_FAILED)
        printf("%s: -1 %s\n", what, errno_name(errno));
    else
        printf("%s: ok\n", what);
}

void yes_no(const char *what, int yes)
{
    printf("%s: %s\n", what, yes ? "yes" : "no");
}

/* ---- files and patterns ---- */

/* The byte at offset i of every pattern file: never 0, changing within a page and
 * from page to page, so a page shown at the wrong offset is seen. */
unsigned char pattern(uint64_t i)
{
    return (unsigned char)(1 + (i * 7 + i / PAGE * 13) % 251);
}

/* Make (or remake) NAME holding SIZE bytes of the pattern, written with write(). */
void make_file(const char *name, long size)
{
    static unsigned char buf[16 * PAGE];
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    for (long done = 0; done < size;) {
        long n = size - done < (long)sizeof buf ? size - done : (long)sizeof buf;
        for (long i = 0; i < n; i++)
            buf[i] = pattern((uint64_t)(done + i));
        if (write(fd, buf, (size_t)n) != n) {
            printf("%s: short write\n", name);
            break;
        }
        done += n;
    }
    close(fd);
}

/* Does [p, p + len) hold the pattern of file offsets [offset, offset + len)? */
int holds_pattern(const unsigned char *p, long offset, long len)
{
    for (long i = 0; i < len; i++)
        if (p[i] != pattern((uint64_t)(offset + i)))
            return 0;
    return 1;
}

int all_zero(const unsigned char *p, long len)
{
    for (long i = 0; i < len; i++)
        if (p[i] != 0)
            return 0;
    return 1;
}

/* The byte at OFFSET of NAME read with pread (-1 if there is none). */
int byte_at(const char *name, long offset)
{
    unsigned char b;
    int fd = open(name, O_RDONLY);
    long n = pread(fd, &b, 1, offset);
    close(fd);
    return n == 1 ? b : -1;
}

long file_size(const char *name)
{
    struct stat st;
    return stat(name, &st) == 0 ? (long)st.st_size : -1;
}

/* mmap through the raw system call: musl's wrapper refuses unaligned offsets itself. */
void *raw_mmap(void *addr, size_t len, int prot, int flags, int fd, long offset)
{
    return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, offset);
}

/* ---- children ---- */

const char *signal_name(int s)
{
    switch (s) {
    case SIGBUS: return "SIGBUS";
    case SIGSEGV: return "SIGSEGV";
    case SIGKILL: return "SIGKILL";
    default: return "another signal";
    }
}

/* Run STEP(ARG) in a child and print how it ended, as its parent's wait status shows. */
void in_child(const char *what, void (*step)(volatile unsigned char *), volatile unsigned char *arg)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        step(arg);
        _exit(0);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        printf("%s: fork or wait failed\n", what);
    else if (WIFSIGNALED(status))
        printf("%s: killed by %s\n", what, signal_name(WTERMSIG(status)));
    else
        printf("%s: exit %d\n", what, WEXITSTATUS(status));
}

void touch_read(volatile unsigned char *p)
{
    (void)*p;
}

void touch_write(volatile unsigned char *p)
{
    *p = 0x55;
}

/* A number in /proc/vmstat (vmlab and Linux), -1 if absent. */
long vmstat_value(const char *key)
{
    FILE *f = fopen("/proc/vmstat", "r");
    char name[64];
    long value, found = -1;
    while (f != NULL && fscanf(f, "%63s %ld", name, &value) == 2)
        if (strcmp(name, key) == 0)
            found = value;
    if (f != NULL)
        fclose(f);
    return found;
}

/* A child that keeps memory short: all but spare_mib MiB of memory held, and a
 * further MiB mapped, touched and unmapped again and again, each of its faults
 * reclaiming (without swap: the file's dirty pages, written back first). It has
 * its memory when this returns; without a pipe or a fork this program ends. */
pid_t start_hog(long spare_mib)
{
    int ready[2];
    pid_t pid = pipe(ready) == 0 ? fork() : -1;
    if (pid < 0) { /* never a pid of -1 to the caller's kill(): that is everyone */
        printf("the hog: no pipe or no fork (%s)\n", errno_name(errno));
        exit(1);
    }
    if (pid != 0) {
        char byte;
        close(ready[1]);
        if (read(ready[0], &byte, 1) != 1) /* it holds its memory now */
            printf("the hog did not start\n");
        close(ready[0]);
        return pid;
    }
    close(ready[0]);
    size_t held = (size_t)sysconf(_SC_PHYS_PAGES) * PAGE - (size_t)spare_mib * MIB;
    char *p = mmap(NULL, held, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED)
        memset(p, 1, held);
    if (write(ready[1], "r", 1) != 1)
        _exit(1);
    close(ready[1]);
    for (;;) {
        char *c = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        for (long i = 0; c != MAP_FAILED && i < MIB; i += PAGE)
            c[i] = 1;
        munmap(c, MIB);
    }
}
