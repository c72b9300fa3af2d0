/*
 * file_dirty_close — a page stored to through MAP_SHARED, then unmapped and its
 * file closed: the file has no user left, only its dirty page in the page cache.
 * Write-back must still reach it: fsync of ANOTHER file and sync() each write
 * back every dirty page (and so does vmlab at the end of a run, before its memory
 * check). vmlab used to panic there (inode_ref of an inode kept
 * only for its pages: "inode N has 0 references").
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

static char dirty_path[64], other_path[64];

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

static char byte_at(const char *path, long offset)
{
    int fd = open(path, O_RDONLY);
    char c = '?';
    pread(fd, &c, 1, offset);
    close(fd);
    return c;
}

int main(void)
{
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
    /* and once more, removed while dirty and unused: the page just goes */
    printf("dirtied, closed and removed: %d %d\n", dirty_and_close(other_path, 'e', 'f'),
           unlink(other_path));
    unlink(dirty_path);
    return 0;
}
