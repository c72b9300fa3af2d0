/*
 * elf.h — reading ELF64 executables (the format of every Linux program).
 *
 * An executable starts with a header (what machine, where to start) and a table
 * of program headers; each PT_LOAD header says "map these file bytes at this
 * virtual address, with these permissions, and zero-fill up to memsz". That is
 * all a static program needs. elf_check validates everything before anything is
 * loaded, so a malformed file fails execve cleanly and leaves the caller intact.
 *
 * Linux checks the header, the program-header table and the interpreter before
 * its "point of no return" and the segments only after it, while mapping them:
 * a bad segment there kills the caller (SIGSEGV) because its old program is
 * already gone. vmlab checks the segments up front too and returns -EINVAL, so
 * its caller survives; the errors that come before Linux's point of no return
 * are Linux's, in Linux's order.
 */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_ET_EXEC   2 /* fixed addresses */
#define ELF_ET_DYN    3 /* position independent (static-pie), loaded at a base */
#define ELF_EM_X86_64 62
#define ELF_PT_LOAD   1
#define ELF_PT_INTERP 3
#define ELF_PT_PHDR   6
#define ELF_PF_X      1
#define ELF_PF_W      2
#define ELF_PF_R      4

#define ELF_MAX_PHDR_BYTES  65536 /* Linux reads at most 64 KiB of program headers */
#define ELF_INTERP_PATH_MAX 4096  /* Linux's PATH_MAX, for PT_INTERP */

struct elf64_header {
    uint8_t ident[16]; /* 0x7f 'E' 'L' 'F', class, data, version, ... */
    uint16_t type;
    uint16_t machine;
    uint32_t version;
    uint64_t entry;
    uint64_t phoff;
    uint64_t shoff;
    uint32_t flags;
    uint16_t ehsize;
    uint16_t phentsize;
    uint16_t phnum;
    uint16_t shentsize;
    uint16_t shnum;
    uint16_t shstrndx;
};

struct elf64_phdr {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t paddr;
    uint64_t filesz;
    uint64_t memsz;
    uint64_t align;
};

struct program_source;

/* What the loader needs, after checking. */
struct elf_image {
    const struct program_source *source; /* where the file's bytes are (program_source.h) */
    uint64_t size;
    struct elf64_header header;     /* a copy, read from the file */
    const struct elf64_phdr *phdrs; /* the program-header table, read from the file */
    uint64_t bias;       /* added to every address: 0 for ET_EXEC, the load base for ET_DYN */
    uint64_t entry;      /* with the bias */
    uint64_t phdr_vaddr; /* where the program headers are in memory (AT_PHDR) */
};

#define ELF_DYN_BASE 0x400000ul /* where a static-pie program is placed */

/* Checking a file, in Linux's order, is two steps, because the program-header
 * table has a size only the header tells: the caller gives it a buffer between them.
 *
 * Step 1: read the header and check it and the shape of the program-header table.
 * 0, or -ENOEXEC (not an x86-64 executable: magic, type, machine; the table's entry
 * size, its count, or its place not inside the file), or -EIO (unreadable). */
int elf_read_header(const struct program_source *src, struct elf_image *image);

/* The bytes of the program-header table of an image past step 1 (at most
 * ELF_MAX_PHDR_BYTES). */
static inline size_t elf_phdr_table_bytes(const struct elf_image *image)
{
    return (size_t)image->header.phnum * sizeof(struct elf64_phdr);
}

/* Step 2: read the table into phdrs (elf_phdr_table_bytes bytes, kept in use by the
 * image) and check the rest. 0, or
 *   -ENOEXEC  a bad PT_INTERP (shorter than 2 bytes, longer than PATH_MAX, not
 *             NUL-terminated); or no PT_LOAD at all
 *   -EIO      the PT_INTERP path runs past the end of the file; or a read failed
 *   -ENOENT   a well-formed PT_INTERP: a dynamic program, whose interpreter does
 *             not exist here
 *   -EINVAL   a PT_LOAD that cannot be loaded: outside [user_min, user_end), its
 *             end wrapping around, filesz > memsz, file bytes past the end of the
 *             file, or an offset not congruent with its address modulo the page;
 *             or an entry point outside user space */
int elf_check(struct elf_image *image, struct elf64_phdr *phdrs, uint64_t user_min,
              uint64_t user_end);

/* Program header i of a checked image (i < image->header.phnum), copied out of
 * the file. */
struct elf64_phdr elf_phdr(const struct elf_image *image, unsigned i);

#endif
