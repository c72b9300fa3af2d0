/*
 * elfgen_mutations.c — the random cases of the ELF loader fuzzer: a plain
 * program and one to three mutations, each drawing its values from short lists
 * of interesting ones (see elfgen.c).
 */
#include "elfgen.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef void mutation_fn(struct image *img);

/* ---- mutations of the layout (before assemble) ---- */

/* A random segment other than the code (whose pages must stay the code's). */
static Elf64_Phdr *some_data_segment(struct image *img)
{
    static const int choices[] = { HEADERS_SEGMENT, DATA_SEGMENT, RODATA_SEGMENT };
    return &img->phdrs[PICK(choices)];
}

static uint64_t base_of(const struct image *img)
{
    return img->header.e_type == ET_DYN ? 0 : EXEC_BASE;
}

/* A load with memsz 0: maps nothing, but on a page boundary it once crashed vmlab. */
static void zero_size_load(struct image *img)
{
    uint64_t base = base_of(img);
    uint64_t places[] = { base + 0x8000, base + 0x9000, base + 0xc000, base + 0x20000,
                          base + 0x8123, base + 0x6000, base + 0x5000, base + 0x6900 };
    Elf64_Phdr *ph = add_phdr(img);
    if (ph != NULL)
        *ph = load(random_below(8), 0, PICK(places), 0, 0);
}

/* A load inside an earlier one: on Linux it replaces those pages (MAP_FIXED). */
static void load_inside_load(struct image *img)
{
    static const uint64_t sizes[] = { 0x10, 0x800, 0x1000, 0x1234, 0x2000 };
    const Elf64_Phdr *outer = some_data_segment(img);
    uint64_t inner = PAGE_START(outer->p_vaddr) + random_below(3) * PAGE + random_below(PAGE);
    uint64_t offset = PATTERN_OFFSET + random_below(2) * PAGE + inner % PAGE; /* congruent */
    uint64_t filesz = random_below(3) == 0 ? 0 : PICK(sizes);
    if (offset + filesz > PLAIN_FILE_SIZE)
        filesz = PLAIN_FILE_SIZE - offset;
    Elf64_Phdr *ph = add_phdr(img);
    if (ph != NULL)
        *ph = load(random_below(8), offset, inner, filesz, filesz + PICK(sizes));
}

/* A big .bss: 1 GiB of demand-zero memory after the data. */
static void big_bss(struct image *img)
{
    img->phdrs[DATA_SEGMENT].p_memsz = random_below(2) ? GIB : GIB + 0x123;
}

/* Any rights at all, PROT_NONE included, on a segment other than the code. */
static void segment_rights(struct image *img)
{
    some_data_segment(img)->p_flags = random_below(8);
}

/* p_align means nothing to an ET_EXEC loader; odd values must not matter. */
static void odd_alignment(struct image *img)
{
    static const uint64_t aligns[] = { 0, 1, 3, 0x10, 0x200000, 1ul << 40, ~0ul };
    img->phdrs[random_below(img->written)].p_align = PICK(aligns);
}

/* The program headers in another order (they need not be sorted by address). */
void shuffle_phdrs(struct image *img)
{
    for (unsigned i = img->written - 1; i > 0; i--) {
        unsigned j = random_below(i + 1);
        Elf64_Phdr t = img->phdrs[i];
        img->phdrs[i] = img->phdrs[j];
        img->phdrs[j] = t;
    }
}

/* Segments the loader skips: notes, the stack's rights, OS- and CPU-specific. */
static void other_phdr(struct image *img)
{
    static const uint32_t types[] = { PT_NULL,         PT_NOTE,  PT_GNU_STACK, PT_GNU_RELRO,
                                      PT_GNU_EH_FRAME, PT_SHLIB, 0x70000001,   0x12345678,
                                      PT_PHDR,         PT_TLS };
    static const uint64_t values[] = { 0, 1, 0x400000, 0x1000, ~0ul, KERNEL_TEXT };
    Elf64_Phdr *ph = add_phdr(img);
    if (ph == NULL)
        return;
    ph->p_type = PICK(types);
    ph->p_flags = random_below(8);
    ph->p_offset = PICK(values);
    ph->p_vaddr = PICK(values);
    ph->p_filesz = PICK(values);
    ph->p_memsz = PICK(values);
}

/* The program headers somewhere else in the file: AT_PHDR must follow. */
static void move_phdrs(struct image *img)
{
    static const uint64_t places[] = { 0x40, 0x48, 0x100, 0x2010, 0x2800, 0x4000, 0x4100 };
    img->header.e_phoff = PICK(places);
}

/* Many program headers: up to a page of them (Linux 6.18 takes up to 64 KiB). */
static void many_phdrs(struct image *img)
{
    img->header.e_phoff = 0x2008;
    unsigned target = random_below(2) ? PAGE_OF_PHDRS : 40 + random_below(30);
    while (img->written < target)
        add_phdr(img)->p_type = random_below(2) ? PT_NULL : PT_NOTE;
}

/* An entry point where no code is: the program dies at its first instruction. */
static void bad_entry(struct image *img)
{
    static const uint64_t entries[] = { 0,   0x10000000, KERNEL_TEXT, NON_CANONICAL, 0x7ffffffff000,
                                        ~0ul };
    img->header.e_entry = PICK(entries);
}

/* Header fields the loader ignores. */
void header_junk(struct image *img)
{
    Elf64_Ehdr *h = &img->header;
    h->e_ident[EI_VERSION] = (uint8_t)next_random();
    h->e_ident[EI_OSABI] = (uint8_t)next_random();
    h->e_ident[EI_ABIVERSION] = (uint8_t)next_random();
    h->e_version = (uint32_t)next_random();
    h->e_shoff = next_random();
    h->e_flags = (uint32_t)next_random();
    h->e_ehsize = (uint16_t)next_random();
    h->e_shentsize = (uint16_t)next_random();
    h->e_shnum = (uint16_t)next_random();
    h->e_shstrndx = (uint16_t)next_random();
}

/* ---- mutations that break a rule ---- */

static void bad_ident(struct image *img)
{
    static const int fields[] = { 0, 1, 2, 3, EI_CLASS, EI_DATA };
    static const uint8_t values[] = { 0, 1, 2, 3, 0x7f, 0xff };
    img->header.e_ident[PICK(fields)] = PICK(values);
}

static void bad_type_or_machine(struct image *img)
{
    static const uint16_t types[] = { ET_NONE, ET_REL, ET_CORE, 5, 0xfe00, 0xffff };
    static const uint16_t machines[] = { 0, EM_386, EM_AARCH64, EM_X86_64 + 1, 0xffff };
    if (random_below(2))
        img->header.e_type = PICK(types);
    else
        img->header.e_machine = PICK(machines);
}

static void bad_phdr_table(struct image *img)
{
    static const uint16_t entsizes[] = { 0, 1, 32, 55, 57, 64, 0xffff };
    static const uint16_t counts[] = { 0, PAGE_OF_PHDRS + 1, 100, 1171, 0xffff };
    static const uint64_t offsets[] = { PLAIN_FILE_SIZE,
                                        PLAIN_FILE_SIZE - 8,
                                        PLAIN_FILE_SIZE - sizeof(Elf64_Phdr) + 1,
                                        ~0ul,
                                        ~0ul - 0x40,
                                        1ul << 63 };
    switch (random_below(3)) {
    case 0: img->header.e_phentsize = PICK(entsizes); break;
    case 1: img->header.e_phnum = PICK(counts); break;
    default: img->header.e_phoff = PICK(offsets); break;
    }
}

/* Sizes and offsets that do not fit: filesz > memsz, file bytes past the end of
 * the file, an offset not congruent with the address modulo the page size. */
static void bad_sizes(struct image *img)
{
    static const uint64_t offsets[] = { PLAIN_FILE_SIZE, PLAIN_FILE_SIZE + PAGE, ~0ul,
                                        ~0ul - PAGE + 1, 1ul << 62 };
    Elf64_Phdr *ph = some_data_segment(img);
    switch (random_below(4)) {
    case 0: ph->p_filesz = ph->p_memsz + 1 + random_below(2) * PAGE; break;
    case 1: ph->p_offset = PICK(offsets); break;
    case 2:
        ph->p_filesz = PLAIN_FILE_SIZE - ph->p_offset + 1 + random_below(2) * PAGE;
        if (ph->p_memsz < ph->p_filesz)
            ph->p_memsz = ph->p_filesz;
        break;
    default: ph->p_offset += 1 + random_below(PAGE - 1); break;
    }
}

/* Addresses outside user space, or sizes that wrap around. */
static void bad_addresses(struct image *img)
{
    static const uint64_t vaddrs[] = { KERNEL_TEXT,
                                       KERNEL_HALF,
                                       NON_CANONICAL,
                                       NON_CANONICAL - PAGE,
                                       0x0000ffffffff0000ul,
                                       ~0ul - PAGE + 1,
                                       0,
                                       0x1000,
                                       0x10000,
                                       TASK_SIZE - PAGE,
                                       0x100000000000ul };
    static const uint64_t memszs[] = { ~0ul, ~0ul - 0x100, 1ul << 47, TASK_SIZE,
                                       NON_CANONICAL - EXEC_BASE };
    Elf64_Phdr *ph = some_data_segment(img);
    if (random_below(3) == 0) {
        ph->p_memsz = PICK(memszs);
        return;
    }
    uint64_t vaddr = PICK(vaddrs);
    ph->p_vaddr = vaddr + ph->p_offset % PAGE; /* still congruent with the offset */
}

/* PT_INTERP: a dynamically linked program. Its interpreter path is checked
 * before anything is loaded: too short or long, unterminated, past the end of
 * the file, or naming a file that does not exist. */
static void interpreter(struct image *img)
{
    static const char path[] = "/nonexistent/ld-vmlab.so";
    static const uint64_t sizes[] = { 0, 1, 2, sizeof path, sizeof path - 1, 4097 };
    Elf64_Phdr *ph = add_phdr(img);
    if (ph == NULL)
        return;
    uint64_t offset = random_below(4) == 0 ? PLAIN_FILE_SIZE - 4 : 0x4800;
    put(img, 0x4800, path, sizeof path);
    *ph = (Elf64_Phdr){ .p_type = PT_INTERP,
                        .p_flags = PF_R,
                        .p_offset = offset,
                        .p_filesz = PICK(sizes),
                        .p_align = 1 };
}

/* No PT_LOAD at all. */
void no_load(struct image *img)
{
    for (unsigned i = 0; i < img->written; i++) {
        if (img->phdrs[i].p_type == PT_LOAD)
            img->phdrs[i].p_type = PT_NOTE;
    }
}

/* ---- mutations of the finished file ---- */

static void truncate_file(struct image *img)
{
    static const size_t lengths[] = { 0,
                                      1,
                                      4,
                                      5,
                                      16,
                                      52,
                                      63,
                                      64,
                                      64 + 56,
                                      64 + 2 * 56 - 1,
                                      64 + 4 * 56 - 1,
                                      0x1800,
                                      0x2100,
                                      0x4010,
                                      PLAIN_FILE_SIZE - 1 };
    size_t length = PICK(lengths);
    if (length < img->size)
        img->size = length;
}

struct mutation {
    const char *name;
    mutation_fn *apply;
    bool after_assembly; /* works on the bytes of the finished file */
};

static const struct mutation mutations[] = {
    { "zero-size-load", zero_size_load, false },
    { "load-inside-load", load_inside_load, false },
    { "big-bss", big_bss, false },
    { "segment-rights", segment_rights, false },
    { "odd-alignment", odd_alignment, false },
    { "shuffle-phdrs", shuffle_phdrs, false },
    { "other-phdr", other_phdr, false },
    { "move-phdrs", move_phdrs, false },
    { "many-phdrs", many_phdrs, false },
    { "bad-entry", bad_entry, false },
    { "header-junk", header_junk, false },
    { "bad-ident", bad_ident, false },
    { "bad-type-or-machine", bad_type_or_machine, false },
    { "bad-phdr-table", bad_phdr_table, false },
    { "bad-sizes", bad_sizes, false },
    { "bad-addresses", bad_addresses, false },
    { "interpreter", interpreter, false },
    { "no-load", no_load, false },
    { "truncate", truncate_file, true },
};
#define MUTATIONS (sizeof mutations / sizeof mutations[0])

/* One random case: a plain program (one in eight position independent) and one
 * to three mutations, those of the layout before assembly, those of the bytes after. */
bool random_case(const char *dir, uint64_t seed, unsigned number)
{
    static struct image img;
    bool pie = random_below(8) == 0;
    make_plain(&img, pie ? ET_DYN : ET_EXEC);
    const struct mutation *chosen[3];
    unsigned count = 1 + random_below(3);
    char what[256] = "";
    strcat(what, pie ? "static-pie+" : "");
    for (unsigned i = 0; i < count; i++) {
        chosen[i] = &mutations[random_below(MUTATIONS)];
        strcat(what, chosen[i]->name);
        strcat(what, i + 1 < count ? "+" : "");
    }
    for (unsigned i = 0; i < count; i++) {
        if (!chosen[i]->after_assembly)
            chosen[i]->apply(&img);
    }
    assemble(&img);
    for (unsigned i = 0; i < count; i++) {
        if (chosen[i]->after_assembly)
            chosen[i]->apply(&img);
    }
    char name[64];
    snprintf(name, sizeof name, "r%" PRIu64 "-%02u", seed, number);
    return emit(dir, name, &img, what);
}
