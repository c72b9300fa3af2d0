/*
 * mmap_persist.c — stores through MAP_SHARED mappings reach the disk without
 * msync or fsync, written back by the kernel (at munmap's last reference, at exit,
 * at a clean power-off); and which first touches read the disk (major faults).
 *
 *   mmap_persist write DIR    two files written only through MAP_SHARED mappings:
 *                             DIR/unmapped.dat (munmap'ed before the end) and
 *                             DIR/at-exit.dat (still mapped when the program ends)
 *   mmap_persist check DIR    both files, read back with read(): the pattern
 *   mmap_persist majflt FILE  maps FILE (not read since boot): the first touch of
 *                             each page is a major fault, in a child; a second child
 *                             mapping it again finds every page cached: no major
 *                             fault (vmlab only: Linux's counts depend on its cache)
 *
 * The pattern: byte i of a file is (i * 7 + i / 4096) & 0xff, over SIZE bytes (three
 * pages and a tail, so the last page is partial).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define SIZE (3 * PAGE + 123)

static unsigned char pattern(size_t i)
{
    return (unsigned char)((i * 7 + i / PAGE) & 0xff);
}

static int fail(const char *what)
{
    perror(what);
    return 1;
}

/* A file of SIZE bytes (ftruncate: a hole) written through a shared mapping;
 * munmap'ed unless keep. */
static int write_through_mapping(const char *path, int keep)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ftruncate(fd, SIZE) != 0)
        return fail(path);
    unsigned char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        return fail("mmap");
    close(fd); /* the mapping keeps the file */
    for (size_t i = 0; i < SIZE; i++)
        p[i] = pattern(i);
    if (!keep && munmap(p, SIZE) != 0)
        return fail("munmap");
    printf("%s: %d bytes stored through MAP_SHARED, %s\n", path, SIZE,
           keep ? "still mapped at exit" : "munmap'ed");
    return 0;
}

static int check_file(const char *path)
{
    static unsigned char buf[SIZE + 1];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return fail(path);
    ssize_t got = read(fd, buf, sizeof buf);
    close(fd);
    size_t wrong = 0;
    for (size_t i = 0; i < SIZE && (ssize_t)i < got; i++)
        wrong += buf[i] != pattern(i);
    printf("%s: %zd bytes read back, %zu wrong\n", path, got, wrong);
    return got == SIZE && wrong == 0 ? 0 : 1;
}

/* In a child: map path, touch every page; print major and minor faults. */
static int touch_in_child(const char *path, const char *label)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(path, O_RDONLY);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0)
            _exit(2);
        volatile unsigned char *p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED)
            _exit(3);
        struct rusage before, after;
        getrusage(RUSAGE_SELF, &before);
        unsigned sum = 0;
        for (off_t at = 0; at < st.st_size; at += PAGE)
            sum += p[at];
        getrusage(RUSAGE_SELF, &after);
        printf("%s: %ld pages touched, major faults %ld, minor faults %ld\n", label,
               (long)((st.st_size + PAGE - 1) / PAGE), after.ru_majflt - before.ru_majflt,
               after.ru_minflt - before.ru_minflt);
        (void)sum;
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *mode = argc == 3 ? argv[1] : "", *where = argc == 3 ? argv[2] : "";
    char a[256], b[256];
    snprintf(a, sizeof a, "%s/unmapped.dat", where);
    snprintf(b, sizeof b, "%s/at-exit.dat", where);
    if (strcmp(mode, "write") == 0)
        return write_through_mapping(a, 0) || write_through_mapping(b, 1);
    if (strcmp(mode, "check") == 0)
        return check_file(a) | check_file(b);
    if (strcmp(mode, "majflt") == 0)
        return touch_in_child(where, "first mapping") | touch_in_child(where, "second mapping");
    /* anything else -- the host's run of every program passes "one" "two words" --
     * does nothing */
    printf("usage: mmap_persist write|check DIR | majflt FILE (nothing done)\n");
    return 0;
}
