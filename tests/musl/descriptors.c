/*
 * descriptors — file descriptors and /dev through musl: open of /dev/null and
 * /dev/zero, lowest free numbers, dup/dup2/dup3/fcntl, one open file description
 * shared by dup and fork, O_CLOEXEC across execve (the program runs itself again
 * as the probe), EBADF/EFAULT/EMFILE, fstat of devices, and the 2 GiB cap of a
 * single write (3 GiB of untouched read-only memory written to /dev/null).
 *
 * Descriptors 3 and up are closed first (the host's shell may leave some open),
 * and RLIMIT_NOFILE set to 1024, vmlab's fixed table size, so the numbers printed
 * are the same on both systems.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define FD_LIMIT 1024
#define GIB      (1ul << 30)

static const char *err(long result)
{
    static char text[32];
    if (result >= 0) {
        snprintf(text, sizeof text, "%ld", result);
        return text;
    }
    return strerror(errno);
}

/* ---- the probe: run by execve, it says which descriptors survived ---- */

static int probe(int argc, char **argv)
{
    printf("after execve:");
    for (int i = 2; i < argc; i++) {
        int fd = atoi(argv[i]);
        int flags = fcntl(fd, F_GETFD);
        printf(" fd %d %s;", fd, flags < 0 ? strerror(errno) : flags ? "cloexec" : "open");
    }
    printf("\n");
    return 0;
}

static void exec_probe(const char *self, int a, int b, int c)
{
    char fds[3][12];
    snprintf(fds[0], sizeof fds[0], "%d", a);
    snprintf(fds[1], sizeof fds[1], "%d", b);
    snprintf(fds[2], sizeof fds[2], "%d", c);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = { (char *)self, "probe", fds[0], fds[1], fds[2], NULL };
        execve(self, argv, (char *[]){ NULL });
        printf("execve: %s\n", strerror(errno));
        fflush(stdout);
        _exit(1);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("probe exit %d\n", WEXITSTATUS(status));
}

/* ---- opening /dev ---- */

static void opening(void)
{
    printf("-- open\n");
    int null = open("/dev/null", O_RDWR);
    int zero = open("/dev/zero", O_RDONLY);
    int wronly = open("/dev/null", O_WRONLY | O_APPEND);
    printf("/dev/null %d, /dev/zero %d, /dev/null again %d\n", null, zero, wronly);
    printf("F_GETFL: %#x %#x %#x\n", fcntl(null, F_GETFL), fcntl(zero, F_GETFL),
           fcntl(wronly, F_GETFL));
    char byte = 0;
    printf("write to O_RDONLY: %s, ", err(write(zero, &byte, 1)));
    printf("read from O_WRONLY: %s\n", err(read(wronly, &byte, 1)));
    close(zero);
    printf("the lowest free number comes back: %d\n", open("/dev/zero", O_RDONLY));
    printf("openat with a bad dirfd, absolute path: %s\n",
           err(openat(12345, "/dev/zero", O_RDONLY | O_CLOEXEC)));
    printf("/dev/nonexistent: %s\n", err(open("/dev/nonexistent", O_RDONLY)));
    printf("empty path: %s\n", err(open("", O_RDONLY)));
    printf("path at address 8: %s\n", err(syscall(SYS_open, (void *)8, O_RDONLY)));
    char *long_path = malloc(5000);
    memset(long_path, 'a', 4999);
    long_path[0] = '/';
    long_path[4999] = 0;
    printf("a 4999-byte path: %s\n", err(open(long_path, O_RDONLY)));
    free(long_path);
    printf("O_DIRECTORY: %s\n", err(open("/dev/null", O_RDONLY | O_DIRECTORY)));
    printf("O_CREAT|O_EXCL: %s\n", err(open("/dev/null", O_RDWR | O_CREAT | O_EXCL, 0666)));
    int ioctl_only = (int)syscall(SYS_open, "/dev/null", 3);
    char c;
    printf("access mode 3: read %s, ", err(read(ioctl_only, &c, 1)));
    printf("write %s\n", err(write(ioctl_only, &c, 1)));
    close(ioctl_only);
    syscall(SYS_close_range, 3, ~0u, 0);
}

/* ---- the devices ---- */

static void devices(void)
{
    printf("-- /dev/null and /dev/zero\n");
    int null = open("/dev/null", O_RDWR), zero = open("/dev/zero", O_RDWR);
    char buf[100];
    memset(buf, 0x55, sizeof buf);
    printf("null: read %s, ", err(read(null, buf, sizeof buf)));
    printf("write %s, ", err(write(null, buf, sizeof buf)));
    printf("write from address 8 (never looked at): %s\n", err(write(null, (void *)8, 10)));
    printf("zero: read %s, ", err(read(zero, buf, sizeof buf)));
    int zeros = 0;
    for (size_t i = 0; i < sizeof buf; i++)
        zeros += buf[i] == 0;
    printf("%d zero bytes, write %s\n", zeros, err(write(zero, "abc", 3)));
    printf("zero: read into address 8: %s\n", err(read(zero, (void *)8, 10)));
    memset(buf, 0x55, sizeof buf);
    printf("zero: pread at 12345: %s, byte %d\n", err(pread(zero, buf, 10, 12345)), buf[9]);
    printf("null: pread at -1: %s, ", err(syscall(SYS_pread64, null, buf, 10L, -1L)));
    printf("pwrite at -1: %s\n", err(syscall(SYS_pwrite64, null, buf, 10L, -1L)));
    printf("lseek: null SEEK_SET 5 %s, ", err(lseek(null, 5, SEEK_SET)));
    printf("zero SEEK_CUR 100 %s, ", err(lseek(zero, 100, SEEK_CUR)));
    printf("SEEK_END -5 %s, ", err(lseek(zero, -5, SEEK_END)));
    printf("whence 99 %s\n", err(lseek(null, 0, 99)));
    struct iovec parts[2] = { { buf, 10 }, { buf + 50, 20 } };
    printf("readv of zero: %s, writev to null: ", err(readv(zero, parts, 2)));
    printf("%s\n", err(writev(null, parts, 2)));
    struct stat st;
    fstat(null, &st);
    printf("fstat null: mode %#o, rdev %u:%u\n", (unsigned)st.st_mode, major(st.st_rdev),
           minor(st.st_rdev));
    fstat(zero, &st);
    printf("fstat zero: mode %#o, rdev %u:%u\n", (unsigned)st.st_mode, major(st.st_rdev),
           minor(st.st_rdev));
    printf("fstat into address 8: %s\n", err(syscall(SYS_fstat, null, (void *)8)));
    printf("TCGETS on null: %s\n", err(ioctl(null, TCGETS, buf)));
    void *map = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, null, 0);
    printf("mmap of /dev/null: %s, ", map == MAP_FAILED ? strerror(errno) : "mapped");
    map = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 77, 0);
    printf("of a closed descriptor: %s\n", map == MAP_FAILED ? strerror(errno) : "mapped");
    close(null);
    close(zero);
}

/* write and writev give at most 0x7ffff000 bytes in one call; /dev/null reads none
 * of them, so the untouched pages of a read-only mapping cost nothing */
static void write_cap(void)
{
    printf("-- at most 2 GiB - 4 KiB per call\n");
    int null = open("/dev/null", O_WRONLY);
    size_t size = 3 * GIB;
    char *big = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (big == MAP_FAILED) {
        printf("mmap of 3 GiB: %s\n", strerror(errno));
        return;
    }
    printf("write of 3 GiB: %#lx\n", (unsigned long)write(null, big, size));
    struct iovec parts[2] = { { big, 2 * GIB }, { big + 2 * GIB, GIB } };
    printf("writev of 2 + 1 GiB: %#lx\n", (unsigned long)writev(null, parts, 2));
    munmap(big, size);
    close(null);
}

/* ---- descriptors and descriptions ---- */

static void duplicates(void)
{
    printf("-- dup, dup2, dup3\n");
    int a = open("/dev/null", O_RDWR);
    int b = dup(a);
    printf("dup: %d -> %d\n", a, b);
    fcntl(b, F_SETFL, O_NONBLOCK | O_APPEND);
    printf("F_SETFL on the copy shows on the original: %#x\n", fcntl(a, F_GETFL));
    fcntl(b, F_SETFL, O_RDONLY); /* the access mode does not change */
    printf("F_SETFL cannot change the access mode: %#x\n", fcntl(a, F_GETFL));
    fcntl(b, F_SETFD, FD_CLOEXEC);
    printf("FD_CLOEXEC is the descriptor's: copy %d, original %d\n", fcntl(b, F_GETFD),
           fcntl(a, F_GETFD));
    printf("dup2(a, a): %s\n", err(dup2(a, a)));
    printf("dup2(a, 100): %s, ", err(dup2(a, 100)));
    printf("cloexec %d\n", fcntl(100, F_GETFD));
    int c = open("/dev/zero", O_RDONLY);
    printf("dup2 onto an open descriptor: %s, ", err(dup2(a, c)));
    printf("it is /dev/null now: F_GETFL %#x\n", fcntl(c, F_GETFL));
    printf("dup2 from a closed one: %s\n", err(dup2(77, 5)));
    printf("dup2 to 1024: %s, to -1: %s\n", err(dup2(a, FD_LIMIT)), err(dup2(a, -1)));
    printf("dup3(a, a): %s\n", err(syscall(SYS_dup3, a, a, 0)));
    printf("dup3 with flag 1: %s\n", err(syscall(SYS_dup3, a, 50, 1)));
    printf("dup3 O_CLOEXEC: %s, ", err(dup3(a, 50, O_CLOEXEC)));
    printf("cloexec %d\n", fcntl(50, F_GETFD));
    printf("dup of a closed one: %s\n", err(dup(77)));
    syscall(SYS_close_range, 3, ~0u, 0);
}

static void fcntls(void)
{
    printf("-- fcntl\n");
    int a = open("/dev/null", O_RDWR);
    printf("F_DUPFD 10: %s, ", err(fcntl(a, F_DUPFD, 10)));
    printf("again: %s, ", err(fcntl(a, F_DUPFD, 10)));
    printf("F_DUPFD_CLOEXEC 10: %s, ", err(fcntl(a, F_DUPFD_CLOEXEC, 10)));
    printf("its F_GETFD %d\n", fcntl(12, F_GETFD));
    printf("F_DUPFD 1024: %s, -1: %s\n", err(fcntl(a, F_DUPFD, FD_LIMIT)),
           err(fcntl(a, F_DUPFD, -1)));
    printf("F_DUPFD 1023: %s\n", err(fcntl(a, F_DUPFD, 1023)));
    printf("command 99: %s\n", err(fcntl(a, 99)));
    printf("F_GETFD of a closed one: %s, of -1: %s\n", err(fcntl(77, F_GETFD)),
           err(fcntl(-1, F_GETFD)));
    printf("FIOCLEX: %s, ", err(ioctl(a, FIOCLEX)));
    printf("F_GETFD %d; ", fcntl(a, F_GETFD));
    ioctl(a, FIONCLEX);
    printf("FIONCLEX: F_GETFD %d\n", fcntl(a, F_GETFD));
    int on = 1;
    ioctl(a, FIONBIO, &on);
    printf("FIONBIO: F_GETFL %#x\n", fcntl(a, F_GETFL));
    syscall(SYS_close_range, 3, ~0u, 0);
}

static void running_out(void)
{
    printf("-- EMFILE and close_range\n");
    int last = -1, fd;
    while ((fd = open("/dev/null", O_RDONLY)) >= 0)
        last = fd;
    printf("opened up to %d, then %s\n", last, strerror(errno));
    printf("dup: %s, pipe: ", err(dup(3)));
    int p[2];
    printf("%s\n", err(pipe(p)));
    close(500);
    printf("after closing 500: open gives %d\n", open("/dev/null", O_RDONLY));
    printf("close_range with flag 1: %s, first > last: %s\n",
           err(syscall(SYS_close_range, 3, 10, 1)), err(syscall(SYS_close_range, 10, 3, 0)));
    printf("close_range CLOEXEC 3..5: %s, ", err(syscall(SYS_close_range, 3, 5, 4)));
    printf("F_GETFD 4: %d, 6: %d\n", fcntl(4, F_GETFD), fcntl(6, F_GETFD));
    printf("close_range 3..~0: %s, ", err(syscall(SYS_close_range, 3, ~0u, 0)));
    printf("now open gives %d\n", open("/dev/null", O_RDONLY));
    syscall(SYS_close_range, 3, ~0u, 0);
}

static void bad_descriptors(void)
{
    printf("-- EBADF\n");
    char c;
    struct stat st;
    struct iovec one = { &c, 1 };
    int fds[] = { 3, 1023, 1024, 100000, -1 };
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) {
        int fd = fds[i];
        printf("fd %d: read %s, ", fd, err(read(fd, &c, 1)));
        printf("write %s, ", err(write(fd, &c, 1)));
        printf("readv %s, ", err(readv(fd, &one, 1)));
        printf("close %s, ", err(close(fd)));
        printf("fstat %s, ", err(fstat(fd, &st)));
        printf("lseek %s, ", err(lseek(fd, 0, SEEK_SET)));
        printf("ioctl %s\n", err(ioctl(fd, FIONREAD, &c)));
    }
}

/* One description, two processes: what the child changes the parent sees. */
static void shared_by_fork(void)
{
    printf("-- fork shares open file descriptions\n");
    int a = open("/dev/null", O_WRONLY);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        fcntl(a, F_SETFL, O_APPEND);
        fcntl(a, F_SETFD, FD_CLOEXEC); /* the child's own descriptor */
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("the child set O_APPEND: parent's F_GETFL %#x; the child's FD_CLOEXEC: parent's "
           "F_GETFD %d\n",
           fcntl(a, F_GETFL), fcntl(a, F_GETFD));
    close(a);
}

static void close_on_exec(const char *self)
{
    printf("-- O_CLOEXEC across execve\n");
    int a = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int b = open("/dev/null", O_RDONLY);
    int c = dup(b);
    fcntl(c, F_SETFD, FD_CLOEXEC);
    int p[2];
    pipe2(p, O_CLOEXEC);
    printf("F_GETFD: %d %d %d, pipe2 ends %d %d\n", fcntl(a, F_GETFD), fcntl(b, F_GETFD),
           fcntl(c, F_GETFD), fcntl(p[0], F_GETFD), fcntl(p[1], F_GETFD));
    exec_probe(self, a, b, c);
    exec_probe(self, p[0], p[1], b);
    syscall(SYS_close_range, 3, ~0u, 0);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "probe") == 0)
        return probe(argc, argv);
    syscall(SYS_close_range, 3, ~0u, 0);
    struct rlimit limit = { FD_LIMIT, FD_LIMIT };
    setrlimit(RLIMIT_NOFILE, &limit); /* vmlab has no setrlimit: its limit is fixed */
    opening();
    devices();
    write_cap();
    duplicates();
    fcntls();
    running_out();
    bad_descriptors();
    shared_by_fork();
    close_on_exec(argv[0]);
    return 0;
}
