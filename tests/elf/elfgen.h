/*
 * elfgen.h — the pieces shared by the ELF loader fuzzer's generator:
 * elfgen.c (the plain program, probes, writing files, main), elfgen_mutations.c
 * (random cases) and elfgen_cases.c (the named cases).
 */
#ifndef TESTS_ELF_ELFGEN_H
#define TESTS_ELF_ELFGEN_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE          0x1000ul
#define PAGE_START(x) ((x) & ~(PAGE - 1))
#define PAGE_ALIGN(x) (((x) + PAGE - 1) & ~(PAGE - 1))

/* The plain program, as a file and in memory (ET_EXEC at EXEC_BASE; an ET_DYN
 * file has the same layout at 0):
 *
 *   file offset   what                       segment    address
 *   0x0000        ELF header, program headers text R    base + 0x0000
 *   0x1000        the probe code and table    code R X   base + 0x1000
 *   0x2000        data (a byte pattern)       data R W   base + 0x8010 (+ bss to 0x3000)
 *   0x4000        read-only data (pattern)    rodata R   base + 0x6000
 *   0x5000        end of file
 */
#define EXEC_BASE          0x400000ul
#define FILE_CAPACITY      0x8000ul
#define PLAIN_FILE_SIZE    0x5000ul
#define CODE_OFFSET        0x1000ul
#define PATTERN_OFFSET     0x2000ul
#define HEADERS_SEGMENT    0
#define CODE_SEGMENT       1
#define DATA_SEGMENT       2
#define RODATA_SEGMENT     3
#define MAX_PHDRS          80 /* written to a file: more than one page of them */
#define PAGE_OF_PHDRS      73 /* a page of them: older Linux's limit (6.18: 64 KiB) */
#define MAX_PROBES         40
#define PROBE_ALIGN        16 /* probe.asm reads 16 bytes: never across a page */
#define TABLE_HEADER_WORDS 3  /* link address, exit status, probe count */
#define GIB                (1ul << 30)
#define EXECUTABLE_MODE    0755

/* Addresses that no program may use. */
#define KERNEL_TEXT   0xffffffff80000000ul
#define KERNEL_HALF   0xffff800000000000ul
#define NON_CANONICAL 0x0000800000000000ul
#define TASK_SIZE     0x00007ffffffff000ul /* Linux's top of user space */

/* vmlab's limits for segments (kernel/exec.c), for the tags. */
#define VMLAB_FLOOR       0x400000ul
#define VMLAB_SEGMENT_END (0x00007ffffffff000ul - (8ul << 20) - (1ul << 20))

struct image {
    Elf64_Ehdr header;
    Elf64_Phdr phdrs[MAX_PHDRS];
    unsigned written; /* program headers written to the file (header.e_phnum may lie) */
    uint8_t file[FILE_CAPACITY];
    size_t size; /* the file's length */
    uint64_t code_vaddr;
    uint64_t exit_status;
    uint64_t probes[MAX_PROBES];
    unsigned probe_count;
};

/* ---- random numbers (splitmix64: a seed always gives the same files) ---- */

void seed_random(uint64_t seed);
uint64_t next_random(void);
uint64_t random_below(uint64_t n);
#define PICK(array) ((array)[random_below(sizeof(array) / sizeof((array)[0]))])

/* ---- building a file ---- */

/* The plain program of type ET_EXEC or ET_DYN (at 0, placed by the kernel). */
void make_plain(struct image *img, uint16_t type);

/* A PT_LOAD header. */
Elf64_Phdr load(uint32_t flags, uint64_t offset, uint64_t vaddr, uint64_t filesz, uint64_t memsz);

/* A new program header (all zeros: PT_NULL), or NULL if the table is full. */
Elf64_Phdr *add_phdr(struct image *img);

/* Copy n bytes into the file at offset, as far as the buffer reaches. */
void put(struct image *img, uint64_t offset, const void *bytes, size_t n);

/* Lay the image out in its file buffer: the probes, the code and its table, the
 * program headers, the header. Mutations of the bytes themselves come after. */
void assemble(struct image *img);

/* Write the file OUTDIR/name and its line "name tags what" to stdout. */
bool emit(const char *dir, const char *name, struct image *img, const char *what);

/* ---- the cases ---- */

/* Mutations the named cases use too. */
void shuffle_phdrs(struct image *img);
void header_junk(struct image *img);
void no_load(struct image *img);

/* Random case number of seed (the generator seeded with it first). */
bool random_case(const char *dir, uint64_t seed, unsigned number);

/* Every named case. */
bool named_cases_write(const char *dir);

#endif
