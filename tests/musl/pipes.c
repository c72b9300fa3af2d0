/*
 * pipes — pipe and pipe2 through musl: bytes across fork (1 MiB checksummed, in
 * writes and reads of 1, 4095, 4096, 4097 and 65536 bytes, both ways), end of
 * file, EPIPE and SIGPIPE, O_NONBLOCK, the 64 KiB ring, and the errors. stdout is
 * flushed before every fork (and by a child before _exit), so no buffered line is printed twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <limits.h>
#include <unistd.h>

#define MIB            (1 << 20)
#define ONE_BYTE_TOTAL (8 << 10) /* a system call per byte: slow under emulation */

static const size_t sizes[] = { 1, 4095, 4096, 4097, 65536 };
static char buffer[65536];

static const char *err(long result)
{
    static char text[32];
    if (result >= 0) {
        snprintf(text, sizeof text, "%ld", result);
        return text;
    }
    return strerror(errno);
}

/* The stream: byte i is stream_bytes[i % PERIOD], a prime period, so that no
 * write or read size lines up with it and a lost, doubled or swapped chunk
 * changes the checksum. */
#define PERIOD 65521
static unsigned char stream_bytes[PERIOD + 65536]; /* a whole chunk past any start */

static void make_stream(void)
{
    for (size_t i = 0; i < sizeof stream_bytes; i++) {
        uint64_t x = (i % PERIOD) * 0x9e3779b97f4a7c15ull;
        stream_bytes[i] = (unsigned char)(x >> 56 ^ x >> 23);
    }
}

struct sum {
    uint64_t bytes, hash, reads;
};

/* FNV-1a over the stream. */
static void add(struct sum *s, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        s->hash = (s->hash ^ p[i]) * 0x100000001b3ull;
    s->bytes += n;
}

static struct sum expected(uint64_t total)
{
    struct sum s = { 0, 0xcbf29ce484222325ull, 0 };
    for (uint64_t done = 0; done < total;) {
        size_t n = total - done < PERIOD ? total - done : PERIOD;
        add(&s, stream_bytes, n);
        done += n;
    }
    return s;
}

/* Write total bytes of the pattern to fd in writes of chunk bytes. */
static void send_stream(int fd, uint64_t total, size_t chunk)
{
    for (uint64_t done = 0; done < total;) {
        size_t n = total - done < chunk ? total - done : chunk;
        ssize_t w = write(fd, stream_bytes + done % PERIOD, n);
        if (w <= 0) {
            printf("write failed: %s\n", strerror(errno));
            exit(1);
        }
        done += (uint64_t)w;
    }
}

/* Read fd to end of file in reads of chunk bytes; the sum of what came. */
static struct sum receive_stream(int fd, size_t chunk)
{
    struct sum s = { 0, 0xcbf29ce484222325ull, 0 };
    for (;;) {
        ssize_t r = read(fd, buffer, chunk);
        if (r < 0) {
            printf("read failed: %s\n", strerror(errno));
            exit(1);
        }
        if (r == 0)
            return s;
        add(&s, (unsigned char *)buffer, (size_t)r);
        s.reads++;
    }
}

/* One stream through a pipe between parent and child. With child_writes the
 * child writes and the parent reads, else the other way; the reader's sum goes
 * back through a second pipe when the child is the reader. */
static void stream_across_fork(uint64_t total, size_t write_size, size_t read_size,
                               int child_writes)
{
    int data[2], answer[2];
    if (pipe(data) != 0 || pipe(answer) != 0) {
        printf("pipe: %s\n", strerror(errno));
        exit(1);
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(answer[0]);
        if (child_writes) {
            close(data[0]);
            send_stream(data[1], total, write_size);
        } else {
            close(data[1]);
            struct sum s = receive_stream(data[0], read_size);
            write(answer[1], &s, sizeof s);
        }
        _exit(0);
    }
    close(answer[1]);
    struct sum got;
    if (child_writes) {
        close(data[1]);
        got = receive_stream(data[0], read_size);
    } else {
        close(data[0]);
        send_stream(data[1], total, write_size);
        close(data[1]); /* the child's reads end here */
        if (read(answer[0], &got, sizeof got) != sizeof got)
            printf("no answer from the child\n");
    }
    int status;
    waitpid(pid, &status, 0);
    close(data[0]);
    close(data[1]);
    close(answer[0]);
    static struct sum small, big; /* the checksums of the two totals, once */
    struct sum *want = total == MIB ? &big : &small;
    if (want->bytes == 0)
        *want = expected(total);
    printf("%s writes %6zu, reads %6zu: %7llu bytes, checksum %s, exit %d\n",
           child_writes ? "child " : "parent", write_size, read_size, (unsigned long long)got.bytes,
           got.hash == want->hash ? "ok" : "WRONG", WEXITSTATUS(status));
}

static void transfers(void)
{
    printf("-- 1 MiB through a pipe across fork (8 KiB with 1-byte calls)\n");
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (size_t j = 0; j < sizeof sizes / sizeof sizes[0]; j += 2) {
            size_t w = sizes[i], r = sizes[j];
            uint64_t total = w == 1 || r == 1 ? ONE_BYTE_TOTAL : MIB;
            stream_across_fork(total, w, r, (int)((i + j) & 1));
            stream_across_fork(total, r, w, (int)(((i + j) & 1) ^ 1));
        }
    }
}

static void end_of_file(void)
{
    printf("-- end of file\n");
    int p[2];
    pipe(p);
    write(p[1], "abc", 3);
    close(p[1]);
    char c[8];
    printf("read after the writer closed: %s\n", err(read(p[0], c, sizeof c)));
    printf("then: %s (end of file)\n", err(read(p[0], c, sizeof c)));
    close(p[0]);

    /* a reader asleep in read wakes when the last writer (a child) exits */
    pipe(p);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        write(p[1], "x", 1);
        _exit(0); /* exit closes the write end */
    }
    close(p[1]);
    ssize_t first = read(p[0], c, sizeof c), second = read(p[0], c, sizeof c);
    printf("reads while the child lives and after it exited: %zd then %zd\n", first, second);
    waitpid(pid, NULL, 0);
    close(p[0]);
}

static void broken_pipes(void)
{
    printf("-- no reader left\n");
    int p[2];
    pipe(p);
    close(p[0]);
    signal(SIGPIPE, SIG_IGN);
    errno = 0;
    printf("write with SIGPIPE ignored: %s\n", err(write(p[1], "x", 1)));
    printf("write of 0 bytes: %s\n", err(write(p[1], "x", 0)));
    signal(SIGPIPE, SIG_DFL);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        write(p[1], "x", 1);
        _exit(0); /* not reached: SIGPIPE ends it */
    }
    int status;
    waitpid(pid, &status, 0);
    printf("a writer with the default action: %s %d\n",
           WIFSIGNALED(status) ? "killed by signal" : "exited",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    close(p[1]);

    /* the last reader goes while a writer sleeps on a full pipe */
    pipe(p);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        close(p[0]);
        signal(SIGPIPE, SIG_IGN);
        memset(buffer, 'w', sizeof buffer);
        ssize_t a = write(p[1], buffer, sizeof buffer); /* fills it */
        ssize_t b = write(p[1], buffer, sizeof buffer); /* sleeps, then EPIPE */
        printf("child: filled with %zd, then %s\n", a, err(b));
        fflush(stdout);
        _exit(0);
    }
    close(p[1]);
    /* wait until the ring is full, then go away */
    int waiting = 0;
    while (ioctl(p[0], FIONREAD, &waiting) == 0 && waiting < 65536)
        sched_yield();
    close(p[0]);
    waitpid(pid, &status, 0);
    printf("child exit %d\n", WEXITSTATUS(status));
}

static void non_blocking(void)
{
    printf("-- O_NONBLOCK\n");
    int p[2];
    pipe2(p, O_NONBLOCK);
    char c;
    printf("F_GETFL: read end %#x, write end %#x\n", fcntl(p[0], F_GETFL), fcntl(p[1], F_GETFL));
    printf("read of an empty pipe: %s\n", err(read(p[0], &c, 1)));
    /* 100-byte writes share pages (40 to a page: 64000 bytes fit); 1-byte ones
     * would fill all 65536 bytes, but at a system call per byte */
    static const size_t fill_sizes[] = { 100, 4095, 4096, 4097, 65536 };
    for (size_t i = 0; i < sizeof fill_sizes / sizeof fill_sizes[0]; i++) {
        size_t total = 0, calls = 0;
        ssize_t n;
        memset(buffer, 'n', sizeof buffer);
        while ((n = write(p[1], buffer, fill_sizes[i])) > 0) {
            total += (size_t)n;
            calls++;
        }
        printf("writes of %5zu fill it with %zu bytes in %zu calls, then %s\n", fill_sizes[i],
               total, calls, err(n));
        int waiting = 0;
        ioctl(p[0], FIONREAD, &waiting);
        size_t drained = 0;
        while ((n = read(p[0], buffer, sizeof buffer)) > 0)
            drained += (size_t)n;
        printf("  FIONREAD %d; drained %zu, then %s\n", waiting, drained, err(n));
    }
    /* a big write into a nearly full pipe takes what fits (one more page) */
    write(p[1], buffer, 60000);
    printf("60000 in, then a write of 10000: %s\n", err(write(p[1], buffer, 10000)));
    printf("a write of 100 (at most PIPE_BUF: all or nothing): %s\n",
           err(write(p[1], buffer, 100)));
    close(p[0]);
    close(p[1]);

    /* F_SETFL turns it on and off on a blocking pipe */
    pipe(p);
    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
    printf("after F_SETFL O_NONBLOCK: %s\n", err(read(p[0], &c, 1)));
    close(p[0]);
    close(p[1]);
}

static void errors(void)
{
    printf("-- errors\n");
    int p[2];
    char c[16];
    printf("pipe2 with flag 0x1: %s\n", err(pipe2(p, 0x1)));
    printf("pipe to address 8: %s\n", err(syscall(SYS_pipe, (void *)8)));
    pipe(p);
    printf("read from the write end: %s\n", err(read(p[1], c, 1)));
    printf("write to the read end: %s\n", err(write(p[0], "x", 1)));
    printf("lseek: %s\n", err(lseek(p[0], 0, SEEK_SET)));
    printf("lseek with whence 99: %s\n", err(lseek(p[0], 0, 99)));
    printf("pread64: %s\n", err(pread(p[0], c, 1, 0)));
    printf("pwrite64: %s\n", err(pwrite(p[1], "x", 1, 0)));
    printf("write from address 8: %s\n", err(write(p[1], (void *)8, 10)));
    write(p[1], "hello", 5);
    printf("read into address 8: %s\n", err(read(p[0], (void *)8, 5)));
    ssize_t n = read(p[0], c, sizeof c);
    printf("then a good read: %zd \"%.*s\"\n", n, (int)(n > 0 ? n : 0), c);
    struct stat st;
    fstat(p[0], &st);
    printf("fstat: mode %#o, size %lld, nlink %ld, blksize %ld\n", (unsigned)st.st_mode,
           (long long)st.st_size, (long)st.st_nlink, (long)st.st_blksize);
    printf("TCGETS: %s\n", err(ioctl(p[0], TCGETS, c)));
    close(p[0]);
    close(p[1]);
}

static void killed_reader(void)
{
    printf("-- SIGKILL ends a read that waits\n");
    int p[2];
    pipe(p);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        read(p[0], &c, 1); /* nothing will come */
        _exit(0);
    }
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    printf("reader: killed by signal %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    close(p[0]);
    close(p[1]);
}

/* Three children write records of `size` bytes (at most PIPE_BUF: each write is
 * atomic) of their own letter into one pipe; every record must arrive whole. */
static void atomic_records(size_t size)
{
    enum { WRITERS = 3, RECORDS = 100 };
    int p[2];
    pipe(p);
    fflush(stdout);
    for (int w = 0; w < WRITERS; w++) {
        if (fork() == 0) {
            close(p[0]);
            char record[PIPE_BUF];
            memset(record, 'a' + w, size);
            for (int r = 0; r < RECORDS; r++)
                write(p[1], record, size);
            _exit(0);
        }
    }
    close(p[1]);
    static char all[WRITERS * RECORDS * PIPE_BUF];
    size_t total = 0;
    ssize_t n;
    while ((n = read(p[0], all + total, sizeof all - total)) > 0)
        total += (size_t)n;
    close(p[0]);
    while (wait(NULL) > 0)
        ;
    int whole = 0, counts[WRITERS] = { 0 };
    for (size_t at = 0; at + size <= total; at += size) {
        size_t same = 1;
        while (same < size && all[at + same] == all[at])
            same++;
        whole += same == size;
        if (all[at] >= 'a' && all[at] < 'a' + WRITERS)
            counts[all[at] - 'a']++;
    }
    printf("%d writers of %zu-byte records: %zu bytes, %d of %d records whole (%d %d %d)\n",
           WRITERS, size, total, whole, WRITERS * RECORDS, counts[0], counts[1], counts[2]);
}

int main(void)
{
    make_stream();
    end_of_file();
    broken_pipes();
    non_blocking();
    errors();
    killed_reader();
    printf("-- writes of at most PIPE_BUF bytes are never interleaved\n");
    atomic_records(1000);
    atomic_records(4096);
    transfers();
    return 0;
}
