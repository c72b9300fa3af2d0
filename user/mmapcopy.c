/*
 * mmapcopy FILE — copy a file to standard output through a memory mapping
 * (CS:APP, practice problem 9.5).
 *
 *     fstat(fd)                        the size
 *     p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0)
 *     write(1, p, size)                one write, straight from the mapped pages
 *
 * No buffer of ours is filled by read(): write() copies from the file's pages,
 * and each page comes in by a page fault when write() first touches it (the
 * kernel's copy from user memory goes through the same fault handler).
 *
 * Two edge cases the textbook leaves out:
 *   - an empty file: mmap of length 0 is an error (EINVAL), so there is nothing to
 *     map and nothing to write;
 *   - a size that is not a multiple of 4 KiB: the last page is mapped whole, its
 *     tail past the end of the file reads as zeros, and only `size` bytes are
 *     written.
 *
 * Standard output gets exactly the file's bytes; the explanation goes to standard
 * error. Exit status 0 if every byte was written, 1 with a reason otherwise.
 */
#include "user/lib/errno_names.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

static int failed(const char *path, const char *step, long error)
{
    dprintf(STDERR, "mmapcopy: FAILED: %s: %s: %s\n", path, step, errno_text(error));
    return 1;
}

/* Write the n mapped bytes at p to standard output: one write() normally; a
 * terminal or pipe may take fewer bytes, so go on from where it stopped.
 * Returns 0 or -errno. */
static long write_mapping(const char *p, size_t n)
{
    while (n > 0) {
        long written = sys_write(STDOUT, p, n);
        if (written < 0)
            return written;
        p += written;
        n -= (size_t)written;
    }
    return 0;
}

/* Map the whole file read-only and write it out; size > 0. */
static int copy_through_mapping(const char *path, int fd, size_t size)
{
    long mapped = sys_mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (IS_ERROR(mapped))
        return failed(path, "mmap", mapped);
    long result = write_mapping((const char *)mapped, size);
    if (result < 0)
        return failed(path, "write", result);
    result = sys_munmap((void *)mapped, size);
    return result == 0 ? 0 : failed(path, "munmap", result);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        dprintf(STDERR, "usage: mmapcopy FILE\n");
        return 2;
    }
    const char *path = argv[1];
    long fd = sys_open(path, O_RDONLY, 0);
    if (fd < 0)
        return failed(path, "open", fd);
    struct stat st;
    long result = sys_fstat((int)fd, &st);
    if (result < 0)
        return failed(path, "fstat", result);
    if (st.st_size == 0) { /* nothing to map: mmap of 0 bytes would be EINVAL */
        dprintf(STDERR, "mmapcopy: %s is empty: nothing to map, nothing to write\n", path);
        return 0;
    }
    dprintf(STDERR, "mmapcopy: %s, %ld bytes, copied to standard output by mmap and one write\n",
            path, st.st_size);
    int status = copy_through_mapping(path, (int)fd, (size_t)st.st_size);
    sys_close((int)fd);
    return status;
}
