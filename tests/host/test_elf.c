/*
 * test_elf.c — kernel/elf.c's checks, on hand-built ELF images: what a valid
 * static executable looks like, and each way a file can be malformed.
 */
#include <stdlib.h>

#include "check.h"
#include "kernel/elf.h"
#include "kernel/errno.h"
#include "kernel/program_source.h"
#include "lib/string.h"

#define USER_MIN  0x400000ul
#define USER_END  0x7fffff000000ul
#define FILE_SIZE 0x3000

/* A minimal valid executable: header, two program headers (text, data+bss). */
static uint8_t *make_image(void)
{
    uint8_t *f = calloc(1, FILE_SIZE);
    struct elf64_header *h = (struct elf64_header *)f;
    memcpy(h->ident,
           "\x7f"
           "ELF",
           4);
    h->ident[4] = 2; /* 64-bit */
    h->ident[5] = 1; /* little-endian */
    h->ident[6] = 1;
    h->type = ELF_ET_EXEC;
    h->machine = ELF_EM_X86_64;
    h->version = 1;
    h->entry = 0x401000;
    h->phoff = sizeof *h;
    h->ehsize = sizeof *h;
    h->phentsize = sizeof(struct elf64_phdr);
    h->phnum = 2;
    struct elf64_phdr *ph = (struct elf64_phdr *)(f + h->phoff);
    ph[0] = (struct elf64_phdr){
        ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, 0, 0x400000, 0x400000, 0x2000, 0x2000, 0x1000
    };
    ph[1] = (struct elf64_phdr){
        ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, 0x2000, 0x402000, 0x402000, 0x100, 0x5000, 0x1000
    };
    return f;
}

static struct elf64_header *header(uint8_t *f)
{
    return (struct elf64_header *)f;
}

static struct elf64_phdr *phdr(uint8_t *f, int i)
{
    return (struct elf64_phdr *)(f + header(f)->phoff) + i;
}

/* Both steps of the loader's check, on size bytes at f, as exec.c takes them (the
 * program headers stay in a static buffer, for elf_phdr afterwards). */
static int check(uint8_t *f, size_t size, struct elf_image *img)
{
    static struct program_source src;
    static struct elf64_phdr phdrs[ELF_MAX_PHDR_BYTES / sizeof(struct elf64_phdr)];
    program_source_from_memory(&src, f, size);
    int error = elf_read_header(&src, img);
    return error != 0 ? error : elf_check(img, phdrs, USER_MIN, USER_END);
}

TEST(elf_valid_static_executable)
{
    uint8_t *f = make_image();
    struct elf_image img;
    CHECK_EQ(check(f, FILE_SIZE, &img), 0);
    CHECK_EQ(img.entry, 0x401000);
    CHECK_EQ(img.bias, 0);
    CHECK_EQ(img.phdr_vaddr, 0x400000 + sizeof(struct elf64_header)); /* inside the text segment */
    free(f);
}

TEST(elf_static_pie_gets_the_load_base)
{
    uint8_t *f = make_image();
    header(f)->type = ELF_ET_DYN;
    header(f)->entry = 0x1000;
    phdr(f, 0)->vaddr = 0;
    phdr(f, 1)->vaddr = 0x2000;
    struct elf_image img;
    CHECK_EQ(check(f, FILE_SIZE, &img), 0);
    CHECK_EQ(img.bias, ELF_DYN_BASE);
    CHECK_EQ(img.entry, ELF_DYN_BASE + 0x1000);
    free(f);
}

TEST(elf_bad_magic_is_enoexec)
{
    uint8_t *f = make_image();
    f[1] = 'X';
    struct elf_image img;
    CHECK_EQ(check(f, FILE_SIZE, &img), (uint64_t)-ENOEXEC);
    free(f);
}

TEST(elf_class_and_byte_order_bytes_are_ignored_as_on_linux)
{
    /* Linux's loader checks magic, type and machine only: a 64-bit x86-64 layout
     * runs whatever the class and byte-order bytes say. */
    uint8_t *f = make_image();
    struct elf_image img;
    f[4] = 1; /* ELFCLASS32 */
    CHECK_EQ(check(f, FILE_SIZE, &img), 0);
    f[4] = 2;
    f[5] = 2; /* big-endian */
    CHECK_EQ(check(f, FILE_SIZE, &img), 0);
    free(f);
}

TEST(elf_wrong_machine_or_type_is_enoexec)
{
    uint8_t *f = make_image();
    struct elf_image img;
    header(f)->machine = 183; /* AArch64 */
    CHECK_EQ(check(f, FILE_SIZE, &img), (uint64_t)-ENOEXEC);
    header(f)->machine = ELF_EM_X86_64;
    header(f)->type = 1; /* a relocatable object file */
    CHECK_EQ(check(f, FILE_SIZE, &img), (uint64_t)-ENOEXEC);
    free(f);
}

TEST(elf_truncated_files_are_enoexec)
{
    uint8_t *f = make_image();
    struct elf_image img;
    CHECK_EQ(check(f, 10, &img), (uint64_t)-ENOEXEC); /* shorter than the header */
    CHECK_EQ(check(f, sizeof(struct elf64_header) + 10, &img),
             (uint64_t)-ENOEXEC); /* half a phdr table */
    header(f)->phoff = FILE_SIZE - 8;
    CHECK_EQ(check(f, FILE_SIZE, &img), (uint64_t)-ENOEXEC);
    free(f);
}

TEST(elf_segment_in_kernel_half_is_einval)
{
    uint8_t *f = make_image();
    struct elf_image img;
    phdr(f, 1)->vaddr = 0xffffffff80000000ul;
    CHECK_EQ(check(f, FILE_SIZE, &img), (uint64_t)-EINVAL);
    free(f);
}

TEST(elf_entry_outside_user_space_is_einval)
{
    uint8_t *f = make_image();
    struct elf_image img;
    header(f)->entry = 0x0000800000000000ul; /* the first non-canonical address */
    CHECK_EQ(check(f, FILE_SIZE, &img), -EINVAL);
    header(f)->entry = 0xffffffff80000000ul; /* the kernel */
    CHECK_EQ(check(f, FILE_SIZE, &img), -EINVAL);
    header(f)->entry = 0x500000; /* outside every segment, but user space: Linux runs it */
    CHECK_EQ(check(f, FILE_SIZE, &img), 0);
    free(f);
}

TEST(elf_segment_below_4_mib_or_wrapping_is_einval)
{
    uint8_t *f = make_image();
    struct elf_image img;
    phdr(f, 0)->vaddr = 0x1000; /* the never-mapped low 4 MiB */
    CHECK_EQ(check(f, FILE_SIZE, &img), (uint64_t)-EINVAL);
    phdr(f, 0)->vaddr = 0x400000;
    phdr(f, 1)->memsz = ~0ul; /* vaddr + memsz wraps around */
    CHECK_EQ(check(f, FILE_SIZE, &img), (uint64_t)-EINVAL);
    free(f);
}

TEST(elf_segment_data_past_end_of_file_is_einval)
{
    uint8_t *f = make_image();
    struct elf_image img;
    phdr(f, 1)->filesz = 0x2000; /* 0x2000 + 0x2000 > the 0x3000-byte file */
    phdr(f, 1)->memsz = 0x5000;
    CHECK_EQ(check(f, FILE_SIZE, &img), (uint64_t)-EINVAL);
    phdr(f, 1)->filesz = 0x6000; /* more file bytes than memory */
    CHECK_EQ(check(f, 0x9000 > FILE_SIZE ? FILE_SIZE : 0x9000, &img), (uint64_t)-EINVAL);
    free(f);
}

TEST(elf_dynamic_program_needs_an_interpreter_enoent)
{
    uint8_t *f = make_image();
    struct elf_image img;
    phdr(f, 1)->type = ELF_PT_INTERP;
    CHECK_EQ(check(f, FILE_SIZE, &img), (uint64_t)-ENOENT);
    free(f);
}

TEST(elf_without_loadable_segment_is_enoexec)
{
    uint8_t *f = make_image();
    struct elf_image img;
    phdr(f, 0)->type = 4; /* PT_NOTE */
    phdr(f, 1)->type = 4;
    CHECK_EQ(check(f, FILE_SIZE, &img), (uint64_t)-ENOEXEC);
    free(f);
}

TEST(elf_program_header_count_limits_are_linux_s)
{
    /* Linux reads up to 64 KiB of program headers: 1170 of them, not 1171. */
    size_t size = 0x20000;
    uint8_t *f = calloc(1, size);
    uint8_t *small = make_image();
    memcpy(f, small, FILE_SIZE);
    free(small);
    struct elf_image img;
    header(f)->phnum = 1170; /* the rest are PT_NULL (zeros) */
    CHECK_EQ(check(f, size, &img), 0);
    header(f)->phnum = 1171;
    CHECK_EQ(check(f, size, &img), (uint64_t)-ENOEXEC);
    header(f)->phnum = 0;
    CHECK_EQ(check(f, size, &img), (uint64_t)-ENOEXEC);
    free(f);
}

TEST(elf_unaligned_program_header_table_is_read)
{
    uint8_t *f = make_image();
    struct elf_image img;
    memmove(f + 0x43, f + sizeof(struct elf64_header), 2 * sizeof(struct elf64_phdr));
    header(f)->phoff = 0x43;
    CHECK_EQ(check(f, FILE_SIZE, &img), 0);
    CHECK_EQ(elf_phdr(&img, 1).memsz, 0x5000);
    CHECK_EQ(img.phdr_vaddr, 0x400043);
    free(f);
}

/* Put a PT_INTERP of filesz bytes at offset in place of the data segment. */
static void make_interpreter(uint8_t *f, uint64_t offset, uint64_t filesz)
{
    memcpy(f + 0x2800, "/lib/ld.so", 11);
    *phdr(f, 1) = (struct elf64_phdr){ ELF_PT_INTERP, ELF_PF_R, offset, 0, 0, filesz, 0, 1 };
}

TEST(elf_interpreter_errors_are_linux_s)
{
    uint8_t *f = make_image();
    struct elf_image img;
    make_interpreter(f, 0x2800, 11);
    CHECK_EQ(check(f, FILE_SIZE, &img), (uint64_t)-ENOENT); /* no dynamic linker here */
    make_interpreter(f, 0x2800, 1);
    CHECK_EQ(check(f, FILE_SIZE, &img), (uint64_t)-ENOEXEC); /* shorter than 2 bytes */
    make_interpreter(f, 0x2800, 10);
    CHECK_EQ(check(f, FILE_SIZE, &img), (uint64_t)-ENOEXEC); /* no terminating NUL */
    make_interpreter(f, 0, 4097);
    CHECK_EQ(check(f, FILE_SIZE, &img), (uint64_t)-ENOEXEC); /* longer than PATH_MAX */
    make_interpreter(f, FILE_SIZE - 4, 11);
    CHECK_EQ(check(f, FILE_SIZE, &img), (uint64_t)-EIO); /* past the end of the file */
    free(f);
}

TEST(elf_interpreter_is_checked_before_the_segments)
{
    /* Linux looks for PT_INTERP before its point of no return, the segments after. */
    uint8_t *f = make_image();
    struct elf_image img;
    phdr(f, 0)->vaddr = 0xffffffff80000000ul;
    make_interpreter(f, 0x2800, 11);
    CHECK_EQ(check(f, FILE_SIZE, &img), (uint64_t)-ENOENT);
    free(f);
}

TEST(elf_offset_not_congruent_with_address_is_einval)
{
    uint8_t *f = make_image();
    struct elf_image img;
    phdr(f, 1)->offset = 0x2010; /* at 0x402000: the file cannot be mapped by pages */
    CHECK_EQ(check(f, FILE_SIZE, &img), (uint64_t)-EINVAL);
    phdr(f, 1)->filesz = 0; /* nothing from the file: no constraint */
    CHECK_EQ(check(f, FILE_SIZE, &img), 0);
    free(f);
}

TEST(elf_empty_segment_is_accepted)
{
    uint8_t *f = make_image();
    struct elf_image img;
    phdr(f, 1)->filesz = 0;
    phdr(f, 1)->memsz = 0;
    phdr(f, 1)->vaddr = 0x409000; /* on a page boundary */
    CHECK_EQ(check(f, FILE_SIZE, &img), 0);
    free(f);
}

TEST(elf_phdr_address_is_in_the_last_segment_holding_it)
{
    /* Linux: the last PT_LOAD whose file bytes hold the table; PT_PHDR is not read. */
    uint8_t *f = make_image();
    struct elf_image img;
    header(f)->phnum = 3;
    *phdr(f, 2) =
        (struct elf64_phdr){ ELF_PT_LOAD, ELF_PF_R, 0, 0x500000, 0x500000, 0x100, 0x100, 0x1000 };
    CHECK_EQ(check(f, FILE_SIZE, &img), 0);
    CHECK_EQ(img.phdr_vaddr, 0x500000 + sizeof(struct elf64_header));
    phdr(f, 2)->type = ELF_PT_PHDR;
    phdr(f, 0)->offset = 0x1000; /* no segment holds the table now */
    phdr(f, 0)->vaddr = 0x401000;
    CHECK_EQ(check(f, FILE_SIZE, &img), 0);
    CHECK_EQ(img.phdr_vaddr, 0);
    free(f);
}
