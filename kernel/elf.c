/*
 * elf.c — validating an ELF64 executable, field by field, in the order Linux's
 * loader (fs/binfmt_elf.c, load_elf_binary) checks them, so that a file gets the
 * same error here as there.
 */
#include "elf.h"

#include <stdbool.h>

#include "errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "program_source.h"

static const uint8_t elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

struct elf64_phdr elf_phdr(const struct elf_image *img, unsigned i)
{
    return img->phdrs[i];
}

/* The header: magic, type and machine. Like Linux's loader we do not look at the
 * class and byte-order bytes: a file laid out as 64-bit little-endian x86-64 runs
 * whatever they say. 0, -ENOEXEC, or -EIO if it cannot be read. */
static int check_header(const struct program_source *src, struct elf64_header *h)
{
    if (src->size < sizeof *h)
        return -ENOEXEC;
    int error = program_source_read(src, 0, h, sizeof *h);
    if (error != 0)
        return error;
    if (memcmp(h->ident, elf_magic, sizeof elf_magic) != 0)
        return -ENOEXEC;
    if (h->type != ELF_ET_EXEC && h->type != ELF_ET_DYN)
        return -ENOEXEC;
    if (h->machine != ELF_EM_X86_64)
        return -ENOEXEC;
    return 0;
}

/* The program-header table: entries of the size we know, at least one and at
 * most 64 KiB of them, all inside the file. 0 or -ENOEXEC. */
static int check_phdr_table(const struct elf64_header *h, uint64_t size)
{
    uint64_t bytes = (uint64_t)h->phnum * sizeof(struct elf64_phdr);
    if (h->phentsize != sizeof(struct elf64_phdr) || bytes == 0 || bytes > ELF_MAX_PHDR_BYTES)
        return -ENOEXEC;
    if (h->phoff > size || size - h->phoff < bytes)
        return -ENOEXEC; /* the table runs past the end of the file */
    return 0;
}

/* The first PT_INTERP, if any: the path of the dynamic linker a dynamically
 * linked program needs. -ENOEXEC for a malformed path, -EIO if it lies past the
 * end of the file, and otherwise -ENOENT: there is no dynamic linker here. 0 if
 * there is no PT_INTERP. */
static int check_interpreter(const struct elf_image *img)
{
    for (unsigned i = 0; i < img->header.phnum; i++) {
        struct elf64_phdr ph = elf_phdr(img, i);
        if (ph.type != ELF_PT_INTERP)
            continue;
        if (ph.filesz > ELF_INTERP_PATH_MAX || ph.filesz < 2)
            return -ENOEXEC;
        if (ph.offset > img->size || img->size - ph.offset < ph.filesz)
            return -EIO; /* Linux's short read of the path */
        char last;
        int error = program_source_read(img->source, ph.offset + ph.filesz - 1, &last, 1);
        if (error != 0)
            return error;
        return last != '\0' ? -ENOEXEC : -ENOENT;
    }
    return 0;
}

/* A loadable segment must fit the user range [user_min, user_end) without
 * wrapping around, and hold no more file bytes than memory. Its file bytes, if
 * any, must lie inside the file, at an offset congruent with its address modulo
 * the page size: the loader maps whole pages of the file, as mmap would. */
static bool segment_ok(const struct elf64_phdr *ph, uint64_t size, uint64_t bias, uint64_t user_min,
                       uint64_t user_end)
{
    uint64_t start = ph->vaddr + bias;
    if (start < bias || start < user_min || start > user_end || ph->memsz > user_end - start)
        return false;
    if (ph->filesz > ph->memsz)
        return false;
    if (ph->filesz == 0)
        return true;
    return ph->offset <= size && ph->filesz <= size - ph->offset &&
           ph->offset % PAGE_SIZE == ph->vaddr % PAGE_SIZE;
}

/* Where the program headers are in memory (AT_PHDR), as Linux computes it: in
 * the last PT_LOAD whose file bytes include them (PT_PHDR is not consulted);
 * just the bias if none does. */
static uint64_t phdr_address(const struct elf_image *img)
{
    uint64_t address = 0;
    uint64_t phoff = img->header.phoff;
    for (unsigned i = 0; i < img->header.phnum; i++) {
        struct elf64_phdr ph = elf_phdr(img, i);
        if (ph.type == ELF_PT_LOAD && ph.offset <= phoff && phoff - ph.offset < ph.filesz)
            address = phoff - ph.offset + ph.vaddr;
    }
    return address + img->bias;
}

int elf_read_header(const struct program_source *src, struct elf_image *img)
{
    *img = (struct elf_image){ .source = src, .size = src->size };
    int error = check_header(src, &img->header);
    return error != 0 ? error : check_phdr_table(&img->header, img->size);
}

int elf_check(struct elf_image *img, struct elf64_phdr *phdrs, uint64_t user_min, uint64_t user_end)
{
    int error =
        program_source_read(img->source, img->header.phoff, phdrs, elf_phdr_table_bytes(img));
    img->phdrs = phdrs;
    if (error == 0)
        error = check_interpreter(img);
    if (error != 0)
        return error;

    /* Linux's point of no return would be here. */
    img->bias = img->header.type == ELF_ET_DYN ? ELF_DYN_BASE : 0;
    unsigned loads = 0;
    for (unsigned i = 0; i < img->header.phnum; i++) {
        struct elf64_phdr ph = elf_phdr(img, i);
        if (ph.type != ELF_PT_LOAD)
            continue;
        if (!segment_ok(&ph, img->size, img->bias, user_min, user_end))
            return -EINVAL;
        loads++;
    }
    if (loads == 0)
        return -ENOEXEC;
    img->entry = img->header.entry + img->bias;
    if (img->entry >= user_end)
        return -EINVAL; /* a CPU cannot return to it: iretq to a non-canonical address
                           faults in the kernel (Linux kills the program there) */
    img->phdr_vaddr = phdr_address(img);
    return 0;
}
