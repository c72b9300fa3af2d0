/*
 * program_source.h — where execve reads a program from: one interface, two kinds.
 *
 *   a boot module   /bin/NAME that GRUB loaded into memory (bootfs.h)
 *   a file          any path of the VFS, read through its file system (fs/program_file.h)
 *
 * The loader (exec.c, elf.c) sees only this: a size, and "copy n bytes at offset
 * into this buffer". It reads the ELF header, the program headers, and each
 * segment's bytes straight into the frames of the new address space, a page at a
 * time: never the whole file into one kernel buffer. (A later step maps the file's
 * pages from the page cache instead of copying them.)
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

struct program_source {
    uint64_t size;           /* bytes in the file */
    program_read_fn read_at; /* how to read them */
    const uint8_t *bytes;    /* a boot module: its contents in memory */
    struct inode *inode;     /* a VFS file: its inode (one reference held) */
};

/* A source over n bytes already in memory (a boot module, a test's buffer). */
void program_source_from_memory(struct program_source *src, const uint8_t *bytes, size_t n);

/* Read n bytes at offset, refusing a range outside the file: 0 or -EIO. */
int program_source_read(const struct program_source *src, uint64_t offset, void *buf, size_t n);

#endif
