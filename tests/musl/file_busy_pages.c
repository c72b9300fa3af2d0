/*
 * file_busy_pages — while one process sleeps on the disk holding a reference on a
 * cached page (msync's write-back of it; a read() from it whose destination, a
 * mapping of another file, faults in from the disk), another reaps children. vmlab
 * recounts every frame's references after each reap; a reference held by a call
 * in progress is a real one, and must not make that check fail ("refcount 3, but
 * 2 references found" was printed for each page being written back).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#define PG    4096
#define PAGES 128
static void busy_while_reaping(int mode_read)
{
    char path[64], source[64];
    snprintf(path, sizeof path, "/tmp/file_busy_pages-%d", (int)getpid());
    snprintf(source, sizeof source, "/tmp/file_busy_pages-%d-src", (int)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    char piece[1000];
    memset(piece, 'x', sizeof piece);
    for (int i = 0; i < PAGES * PG / 1000 + 1; i++) /* pieces: no page cached whole */
        write(fd, piece, sizeof piece);
    int src = open(source, O_RDWR | O_CREAT | O_TRUNC, 0600);
    char page[PG];
    memset(page, 's', PG);
    write(src, page, PG);
    pid_t reaper = fork();
    if (reaper == 0) {
        for (int i = 0; i < 200; i++) {
            pid_t k = fork();
            if (k == 0)
                _exit(0);
            waitpid(k, 0, 0);
        }
        _exit(0);
    }
    char *m = mmap(0, PAGES * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    for (int round = 0; round < 4; round++) {
        if (mode_read) {
            for (int i = 0; i < PAGES; i++)
                pread(src, m + i * PG, 100, 0); /* the copy faults: a disk read */
            madvise(m, PAGES * PG, MADV_DONTNEED);
        } else {
            for (int i = 0; i < PAGES; i++)
                m[i * PG] = (char)round;
            msync(m, PAGES * PG, MS_SYNC);
        }
    }
    waitpid(reaper, 0, 0);
    munmap(m, PAGES * PG);
    close(fd);
    close(src);
    unlink(path);
    unlink(source);
    printf("%s: done\n", mode_read ? "read() from a page into a mapping" : "msync write-back");
}

int main(void)
{
    busy_while_reaping(0);
    busy_while_reaping(1);
    return 0;
}
