/*
 * file_pressure — files bigger than memory, checked byte by byte.
 *
 *   file_pressure DIR read MIB     write a MIB-MiB file, read it all back with read(),
 *                                  then through a MAP_PRIVATE mapping (and a few
 *                                  private copies), then read() again
 *   file_pressure DIR shared MIB   dirty all of a MIB-MiB file through MAP_SHARED while
 *                                  three children allocate 12 MiB three times each
 *                                  (some may be killed: memory is short), then msync,
 *                                  read() back, munmap, read() back
 *
 * tests/boot/fuzz.sh runs both under vmlab at --mem 32M (read 48, shared 16): clean
 * file pages must be dropped and re-read when frames run out, the kernel must not
 * panic and every frame must come back. Without arguments it says so and exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#define PG    4096
#define CHUNK 65536
static uint8_t pattern(uint64_t i, unsigned gen)
{
    uint64_t x = i / 8 * 0x9e3779b97f4a7c15ULL + gen;
    return (uint8_t)(x >> (8 * (i % 8)));
}
static char buf[CHUNK];
static int make(const char *path, uint64_t size, unsigned gen)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        printf("open: %s\n", strerror(errno));
        exit(1);
    }
    for (uint64_t at = 0; at < size; at += CHUNK) {
        for (int i = 0; i < CHUNK; i++)
            buf[i] = pattern(at + i, gen);
        if (write(fd, buf, CHUNK) != CHUNK) {
            printf("write at %llu: %s\n", (unsigned long long)at, strerror(errno));
            exit(1);
        }
    }
    return fd;
}
static uint64_t check_read(int fd, uint64_t size, unsigned gen)
{
    uint64_t bad = 0;
    for (uint64_t at = 0; at < size; at += CHUNK) {
        ssize_t n = pread(fd, buf, CHUNK, at);
        if (n != CHUNK) {
            printf("pread at %llu: %zd\n", (unsigned long long)at, n);
            return 1;
        }
        for (int i = 0; i < CHUNK; i++)
            bad += (uint8_t)buf[i] != pattern(at + i, gen);
    }
    return bad;
}
int main(int argc, char **argv)
{
    if (argc < 4) {
        printf("usage: file_pressure DIR read|shared MIB\n");
        return 0;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/file_pressure.dat", argv[1]);
    uint64_t size = strtoull(argv[3], 0, 0) << 20;
    if (strcmp(argv[2], "read") == 0) {
        int fd = make(path, size, 1);
        printf("written %llu MiB\n", (unsigned long long)(size >> 20));
        printf("read(): %llu bad bytes\n", (unsigned long long)check_read(fd, size, 1));
        uint8_t *m = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            printf("mmap: %s\n", strerror(errno));
            return 1;
        }
        uint64_t bad = 0;
        for (uint64_t i = 0; i < size; i++)
            bad += m[i] != pattern(i, 1);
        printf("MAP_PRIVATE: %llu bad bytes\n", (unsigned long long)bad);
        for (uint64_t i = 0; i < size; i += 64 * PG)
            m[i] ^= 0xff; /* a few private copies */
        bad = 0;
        for (uint64_t i = 0; i < size; i += PG)
            bad += m[i] != (uint8_t)(pattern(i, 1) ^ (i % (64 * PG) == 0 ? 0xff : 0));
        printf("MAP_PRIVATE again: %llu bad bytes\n", (unsigned long long)bad);
        printf("read() again: %llu bad bytes\n", (unsigned long long)check_read(fd, size, 1));
        munmap(m, size);
        close(fd);
        unlink(path);
        return 0;
    }
    int fd = make(path, size, 1);
    uint8_t *m = mmap(0, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) {
        printf("mmap: %s\n", strerror(errno));
        return 1;
    }
    for (uint64_t i = 0; i < size; i++)
        m[i] = pattern(i, 2);
    printf("dirtied %llu MiB through MAP_SHARED\n", (unsigned long long)(size >> 20));
    fflush(stdout);
    int kids = 3;
    for (int k = 0; k < kids; k++) {
        if (fork() == 0) {
            size_t want = 12u << 20;
            for (int round = 0; round < 3; round++) {
                uint8_t *a =
                    mmap(0, want, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                if (a == MAP_FAILED)
                    _exit(2);
                for (size_t i = 0; i < want; i += PG)
                    a[i] = (uint8_t)i;
                munmap(a, want);
            }
            _exit(0);
        }
    }
    for (int k = 0; k < kids; k++)
        wait(NULL); /* each exits 0, or is killed: memory is short */
    uint64_t bad = 0;
    for (uint64_t i = 0; i < size; i++)
        bad += m[i] != pattern(i, 2);
    printf("mapping after: %llu bad bytes\n", (unsigned long long)bad);
    printf("msync: %d\n", msync(m, size, MS_SYNC));
    printf("read() after msync: %llu bad bytes\n", (unsigned long long)check_read(fd, size, 2));
    munmap(m, size);
    printf("read() after munmap: %llu bad bytes\n", (unsigned long long)check_read(fd, size, 2));
    close(fd);
    unlink(path);
    return 0;
}
