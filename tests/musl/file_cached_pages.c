/*
 * file_cached_pages — three ways a file's cached pages outlive or outwait their
 * users, each once a vmlab bug (one program, so one boot, for all three):
 *
 * 1. dirty and closed: a page stored to through MAP_SHARED, then unmapped and its
 *    file closed: the file has no user left, only its dirty page in the page cache.
 *    Write-back must still reach it: fsync of ANOTHER file and sync() each write
 *    back every dirty page (and so does vmlab at the end of a run, before its
 *    memory check). vmlab used to panic there (inode_ref of an inode kept only for
 *    its pages: "inode N has 0 references").
 * 2. busy while reaping: while one process sleeps on the disk holding a reference
 *    on a cached page (msync's write-back of it; a read() from it whose
 *    destination, a mapping of another file, faults in from the disk), another
 *    reaps children. vmlab recounts every frame's references after each reap; a
 *    reference held by a call in progress is a real one, and must not make that
 *    check fail ("refcount 3, but 2 references found" was printed for each page
 *    being written back).
 * 3. exit while the disk is busy: a process exits while another holds the disk
 *    (one long read): the exit drops the last reference to an unlinked file it
 *    still maps, which frees the file on the disk, so the exit waits for the disk
 *    (mount_lock, from as_put -> vma_destroy -> inode_put -> evict). vmlab's as_put
 *    had freed the page tables already, yet the process still pointed at its
 *    address space, and its remaining regions were still on their objects'
 *    reverse maps. Meanwhile a third process reaps children; vmlab's memory check
 *    after each reap walked the freed tables ("refcount 0, but 1 references
 *    found"), and the kernel died (run-elf status 125). Truncate and write-back
 *    walk such regions too.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

/* ---- 1. a dirty page whose file nobody uses ---- */

/* Make path one page of `fill`, store `mark` at byte 10 through a MAP_SHARED
 * mapping, unmap and close: the page is dirty and nobody uses the file. */
static int dirty_and_close(const char *path, char fill, char mark)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    char page[PAGE];
    memset(page, fill, sizeof page);
    if (fd < 0 || write(fd, page, sizeof page) != PAGE)
        return -1;
    char *m = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED)
        return -1;
    m[10] = mark;
    munmap(m, PAGE);
    return close(fd);
}

/* The byte at offset of path, read with pread ('?' if it cannot be read). */
static char byte_at(const char *path, long offset)
{
    int fd = open(path, O_RDONLY);
    char c = '?';
    pread(fd, &c, 1, offset);
    close(fd);
    return c;
}

/* Part 1: the dirty page reaches the file through fsync of another file and sync(). */
static void dirty_close(void)
{
    char dirty_path[64], other_path[64];
    snprintf(dirty_path, sizeof dirty_path, "/tmp/file_dirty_close-%d-a", (int)getpid());
    snprintf(other_path, sizeof other_path, "/tmp/file_dirty_close-%d-b", (int)getpid());
    printf("dirtied and closed: %d\n", dirty_and_close(dirty_path, 'a', 'b'));
    int other = open(other_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    printf("fsync of another file: %d\n", fsync(other));
    printf("the store is in the file: %c\n", byte_at(dirty_path, 10));
    printf("dirtied and closed again: %d\n", dirty_and_close(dirty_path, 'c', 'd'));
    sync();
    printf("after sync(): %c %c\n", byte_at(dirty_path, 0), byte_at(dirty_path, 10));
    close(other);
    unlink(other_path);
    /* and once more, removed while dirty and unused: the page just goes (two
     * statements: the order of a call's arguments is unspecified) */
    int dirtied = dirty_and_close(other_path, 'e', 'f');
    printf("dirtied, closed and removed: %d %d\n", dirtied, unlink(other_path));
    unlink(dirty_path);
}

/* ---- 2. pages held by a call asleep on the disk while another process reaps ---- */

#define BUSY_PAGES 128

/* A child that forks and reaps `children` children, one at a time; its pid. */
static pid_t start_reaper(int children)
{
    pid_t reaper = fork();
    if (reaper == 0) {
        for (int i = 0; children < 0 || i < children; i++) {
            pid_t k = fork();
            if (k == 0)
                _exit(0);
            waitpid(k, 0, 0);
        }
        _exit(0);
    }
    return reaper;
}

/* Part 2: msync write-back (mode_read 0) or read() into a mapping (mode_read 1) of
 * BUSY_PAGES pages, four rounds, while a reaper reaps 200 children. */
static void busy_while_reaping(int mode_read)
{
    char path[64], source[64];
    snprintf(path, sizeof path, "/tmp/file_busy_pages-%d", (int)getpid());
    snprintf(source, sizeof source, "/tmp/file_busy_pages-%d-src", (int)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    char piece[1000];
    memset(piece, 'x', sizeof piece);
    for (int i = 0; i < BUSY_PAGES * PAGE / 1000 + 1; i++) /* pieces: no page cached whole */
        write(fd, piece, sizeof piece);
    int src = open(source, O_RDWR | O_CREAT | O_TRUNC, 0600);
    char page[PAGE];
    memset(page, 's', PAGE);
    write(src, page, PAGE);
    pid_t reaper = start_reaper(200);
    char *m = mmap(0, BUSY_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    for (int round = 0; round < 4; round++) {
        if (mode_read) {
            for (int i = 0; i < BUSY_PAGES; i++)
                pread(src, m + i * PAGE, 100, 0); /* the copy faults: a disk read */
            madvise(m, BUSY_PAGES * PAGE, MADV_DONTNEED);
        } else {
            for (int i = 0; i < BUSY_PAGES; i++)
                m[i * PAGE] = (char)round;
            msync(m, BUSY_PAGES * PAGE, MS_SYNC);
        }
    }
    waitpid(reaper, 0, 0);
    munmap(m, BUSY_PAGES * PAGE);
    close(fd);
    close(src);
    unlink(path);
    unlink(source);
    printf("%s: done\n", mode_read ? "read() from a page into a mapping" : "msync write-back");
}

/* ---- 3. an exit that frees a file while the disk is busy ---- */

#define BIG_PAGES 2048

/* In a child: map an unlinked file (its last user), say so on ready, wait for go,
 * and exit, which frees the file on the disk. */
static void exit_freeing_a_file(const char *file_path, int ready, int go)
{
    static char page[PAGE];
    memset(page, 'b', PAGE);
    char *anon = mmap(0, 64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < 64; i++)
        anon[i * PAGE] = 1;
    int f = open(file_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    for (int i = 0; i < 16; i++)
        write(f, page, PAGE);
    volatile char *fm = mmap(0, 16 * PAGE, PROT_READ, MAP_SHARED, f, 0); /* below anon */
    (void)fm[0];
    unlink(file_path);
    close(f); /* the mapping is the file's last user now */
    char c = 'r';
    write(ready, &c, 1);
    read(go, &c, 1);
    _exit(0); /* frees the file on the disk, which the reader holds */
}

/* Part 3: the exiting child, a reader holding the disk with one long read, and a
 * reaper reaping children until killed. */
static void exit_sleep(void)
{
    char big_path[64], file_path[64];
    snprintf(big_path, sizeof big_path, "/tmp/file_exit_sleep-%d-big", (int)getpid());
    snprintf(file_path, sizeof file_path, "/tmp/file_exit_sleep-%d", (int)getpid());
    static char page[PAGE];
    memset(page, 'b', PAGE);
    int big = open(big_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    for (long i = 0; i < BIG_PAGES; i++) /* pieces straddling pages: none is cached */
        pwrite(big, page, PAGE, i * PAGE + 1);
    int ready[2], go[2];
    pipe(ready);
    pipe(go);
    fflush(stdout);
    pid_t reaper = start_reaper(-1);
    pid_t a = fork();
    if (a == 0)
        exit_freeing_a_file(file_path, ready[1], go[0]);
    char c;
    read(ready[0], &c, 1);
    pid_t reader = fork();
    if (reader == 0) {
        static char all[BIG_PAGES * PAGE];
        write(go[1], &c, 1);
        pread(big, all, sizeof all, 0);
        _exit(0);
    }
    waitpid(a, 0, 0);
    waitpid(reader, 0, 0);
    kill(reaper, SIGKILL);
    waitpid(reaper, 0, 0);
    close(big);
    unlink(big_path);
    printf("exit while the disk is busy: done\n");
}

int main(void)
{
    dirty_close();
    fflush(stdout); /* the children below must not print our buffer again */
    busy_while_reaping(0);
    busy_while_reaping(1);
    exit_sleep();
    return 0;
}
