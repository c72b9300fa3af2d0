/*
 * elf.c — validating an ELF64 executable, field by field.
 */
#include "elf.h"

#include <stdbool.h>

#include "errno.h"
#include "lib/string.h"

static const uint8_t elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS64 2
#define ELFDATA2LSB 1

static int check_header(const uint8_t *file, size_t size)
{
    const struct elf64_header *h = (const void *)file;
    if (size < sizeof *h || memcmp(h->ident, elf_magic, sizeof elf_magic) != 0)
        return -ENOEXEC;
    if (h->ident[EI_CLASS] != ELFCLASS64 || h->ident[EI_DATA] != ELFDATA2LSB)
        return -ENOEXEC;
    if (h->machine != ELF_EM_X86_64 || (h->type != ELF_ET_EXEC && h->type != ELF_ET_DYN))
        return -ENOEXEC;
    if (h->phentsize != sizeof(struct elf64_phdr) || h->phnum == 0 || h->phnum > 64)
        return -ENOEXEC;
    if (h->phoff > size || (size - h->phoff) / sizeof(struct elf64_phdr) < h->phnum)
        return -ENOEXEC; /* the header table runs past the end of the file */
    return 0;
}

/* A loadable segment must fit the file and the user range [user_min, user_end). */
static bool segment_ok(const struct elf64_phdr *ph, size_t size, uint64_t bias, uint64_t user_min,
                       uint64_t user_end)
{
    uint64_t start = ph->vaddr + bias;
    return ph->filesz <= ph->memsz && ph->offset <= size && ph->filesz <= size - ph->offset &&
           start >= user_min && start <= user_end && ph->memsz <= user_end - start &&
           start >= bias; /* no wrap-around */
}

/* Where the program headers are in memory: a PT_PHDR says so; otherwise they lie
 * in the first page of a loaded segment that covers their file offset. */
static uint64_t phdr_address(const struct elf_image *img)
{
    const struct elf64_header *h = img->header;
    for (unsigned i = 0; i < h->phnum; i++) {
        if (img->phdrs[i].type == ELF_PT_PHDR)
            return img->phdrs[i].vaddr + img->bias;
    }
    for (unsigned i = 0; i < h->phnum; i++) {
        const struct elf64_phdr *ph = &img->phdrs[i];
        if (ph->type == ELF_PT_LOAD && h->phoff >= ph->offset && h->phoff < ph->offset + ph->filesz)
            return ph->vaddr + img->bias + (h->phoff - ph->offset);
    }
    return 0;
}

int elf_check(const uint8_t *file, size_t size, uint64_t user_min, uint64_t user_end,
              struct elf_image *img)
{
    int error = check_header(file, size);
    if (error != 0)
        return error;
    img->header = (const void *)file;
    img->phdrs = (const void *)(file + img->header->phoff);
    img->bias = img->header->type == ELF_ET_DYN ? ELF_DYN_BASE : 0;

    unsigned loads = 0;
    for (unsigned i = 0; i < img->header->phnum; i++) {
        const struct elf64_phdr *ph = &img->phdrs[i];
        if (ph->type == ELF_PT_INTERP)
            return -ENOENT; /* a dynamic program: its interpreter does not exist here */
        if (ph->type != ELF_PT_LOAD)
            continue;
        if (!segment_ok(ph, size, img->bias, user_min, user_end))
            return -EINVAL;
        loads++;
    }
    if (loads == 0)
        return -ENOEXEC;
    img->entry = img->header->entry + img->bias;
    img->phdr_vaddr = phdr_address(img);
    return 0;
}
