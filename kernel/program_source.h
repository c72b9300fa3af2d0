/*
 * program_source.h — where execve reads a program from: one interface, two kinds.
 *
 *   a boot module   /bin/NAME that GRUB loaded into memory (bootfs.h)
 *   a file          any path of the VFS, read through its file system (fs/program_file.h)
 *
 * The loader (exec.c, elf.c) sees only this: a size, "copy n bytes at offset into
 * this buffer" for the ELF header and the program headers, and the memory object
 * (mm/object.h) holding the file's pages, which it *maps*: a segment is a private
 * mapping of the file's pages, which come in from the page cache on first touch,
 * shared by every process running the program. Nothing of the segments is read
 * at exec time.
 */
#ifndef KERNEL_PROGRAM_SOURCE_H
#define KERNEL_PROGRAM_SOURCE_H

#include <stddef.h>
#include <stdint.h>

struct program_source;

/* Copy exactly n bytes at offset (offset + n <= size) into buf: 0, or -EIO when
 * the bytes cannot be read (a device error, or a file that shrank). */
typedef int (*program_read_fn)(const struct program_source *src, uint64_t offset, void *buf,
                               size_t n);

struct mem_object;

struct program_source {
    uint64_t size;             /* bytes in the file */
    program_read_fn read_at;   /* how to read them */
    struct mem_object *object; /* its pages, for the loader to map (NULL: none, a test's) */
    const uint8_t *bytes;      /* a boot module: its contents in memory */
    struct inode *inode;       /* a VFS file: its inode (one reference held) */
};

/* A source over n bytes already in memory (a boot module, a test's buffer). */
void program_source_from_memory(struct program_source *src, const uint8_t *bytes, size_t n);

/* Read n bytes at offset, refusing a range outside the file: 0 or -EIO. */
int program_source_read(const struct program_source *src, uint64_t offset, void *buf, size_t n);

#endif
