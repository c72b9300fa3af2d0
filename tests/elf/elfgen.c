/*
 * elfgen.c — ELF executables for the loader fuzzer (tests/boot/elf-fuzz.sh).
 *
 *   elfgen PROBE OUTDIR fixed          the named cases: odd but valid, and malformed
 *   elfgen PROBE OUTDIR SEED COUNT     COUNT random cases drawn from SEED
 *
 * PROBE is tests/elf/probe.asm assembled with `nasm -f bin`: every file carries it
 * as its code, followed by a table of addresses for it to probe. The files go to
 * OUTDIR; stdout gets one line per file: its name, its tags (or "-"), and what was
 * done to it. A tag marks a file on which vmlab deliberately differs from Linux:
 *   floor      a segment below vmlab's 4 MiB floor (Linux's is mmap_min_addr, 4 KiB)
 *   stackzone  a segment reaching into the room vmlab keeps free for the stack
 *   pasteof    a segment whose file bytes run past the end of the file (Linux maps
 *              them anyway; touching them is SIGBUS)
 * vmlab refuses such files with EINVAL; Linux may run them.
 *
 * A random case starts from a plain program and applies one to three mutations,
 * each drawing its values from short lists of interesting ones: page boundaries,
 * 0, -1, kernel-half and non-canonical addresses, sizes that wrap. The same seed
 * always gives the same files.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PAGE 0x1000ul
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
#define EXEC_BASE 0x400000ul
#define FILE_CAPACITY 0x8000ul
#define PLAIN_FILE_SIZE 0x5000ul
#define CODE_OFFSET 0x1000ul
#define PATTERN_OFFSET 0x2000ul
#define HEADERS_SEGMENT 0
#define CODE_SEGMENT 1
#define DATA_SEGMENT 2
#define RODATA_SEGMENT 3
#define MAX_PHDRS 80         /* more than Linux takes (73: one page of them) */
#define LINUX_MAX_PHDRS 73
#define MAX_PROBES 40
#define PROBE_ALIGN 16       /* probe.asm reads 16 bytes: never across a page */
#define TABLE_HEADER_WORDS 3 /* link address, exit status, probe count */
#define GIB (1ul << 30)
#define EXECUTABLE_MODE 0755

/* Addresses that no program may use. */
#define KERNEL_TEXT 0xffffffff80000000ul
#define KERNEL_HALF 0xffff800000000000ul
#define NON_CANONICAL 0x0000800000000000ul
#define TASK_SIZE 0x00007ffffffff000ul /* Linux's top of user space */

/* vmlab's limits for segments (kernel/exec.c), for the tags. */
#define VMLAB_FLOOR 0x400000ul
#define VMLAB_SEGMENT_END (0x00007ffffffff000ul - (8ul << 20) - (1ul << 20))

struct image {
    Elf64_Ehdr header;
    Elf64_Phdr phdrs[MAX_PHDRS];
    unsigned written;   /* program headers written to the file (header.e_phnum may lie) */
    uint8_t file[FILE_CAPACITY];
    size_t size;        /* the file's length */
    uint64_t code_vaddr;
    uint64_t exit_status;
    uint64_t probes[MAX_PROBES];
    unsigned probe_count;
};

static const uint8_t *probe_code;
static size_t probe_code_size;

/* ---- random numbers: splitmix64, so that a seed always gives the same files ---- */

static uint64_t rng_state;

static uint64_t next_random(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ul);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ul;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebul;
    return z ^ (z >> 31);
}

static uint64_t random_below(uint64_t n)
{
    return next_random() % n;
}

#define PICK(array) ((array)[random_below(sizeof(array) / sizeof((array)[0]))])

/* ---- the plain program ---- */

/* A byte that depends on its file offset, so that bytes loaded from the wrong
 * place show up in the probes. */
static uint8_t pattern_byte(size_t offset)
{
    return (uint8_t)(offset * 131 + (offset >> 8) * 7 + 0x5a);
}

static Elf64_Phdr load(uint32_t flags, uint64_t offset, uint64_t vaddr, uint64_t filesz,
                       uint64_t memsz)
{
    return (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = flags, .p_offset = offset,
                         .p_vaddr = vaddr, .p_paddr = vaddr, .p_filesz = filesz,
                         .p_memsz = memsz, .p_align = PAGE };
}

/* The plain program of type ET_EXEC or ET_DYN (at 0, placed by the kernel). */
static void make_plain(struct image *img, uint16_t type)
{
    memset(img, 0, sizeof *img);
    uint64_t base = type == ET_EXEC ? EXEC_BASE : 0;
    Elf64_Ehdr *h = &img->header;
    memcpy(h->e_ident, ELFMAG, SELFMAG);
    h->e_ident[EI_CLASS] = ELFCLASS64;
    h->e_ident[EI_DATA] = ELFDATA2LSB;
    h->e_ident[EI_VERSION] = EV_CURRENT;
    h->e_type = type;
    h->e_machine = EM_X86_64;
    h->e_version = EV_CURRENT;
    h->e_entry = base + CODE_OFFSET;
    h->e_phoff = sizeof(Elf64_Ehdr);
    h->e_ehsize = sizeof(Elf64_Ehdr);
    h->e_phentsize = sizeof(Elf64_Phdr);
    h->e_phnum = 4;
    img->written = 4;
    img->phdrs[HEADERS_SEGMENT] = load(PF_R, 0, base, PAGE, PAGE);
    img->phdrs[CODE_SEGMENT] = load(PF_R | PF_X, CODE_OFFSET, base + CODE_OFFSET, PAGE, PAGE);
    img->phdrs[DATA_SEGMENT] = load(PF_R | PF_W, 0x2010, base + 0x8010, 0x1800, 0x3000);
    img->phdrs[RODATA_SEGMENT] = load(PF_R, 0x4000, base + 0x6000, 0x900, 0x900);
    for (size_t i = PATTERN_OFFSET; i < FILE_CAPACITY; i++)
        img->file[i] = pattern_byte(i);
    img->size = PLAIN_FILE_SIZE;
    img->code_vaddr = base + CODE_OFFSET;
    img->exit_status = 7;
}

/* ---- what probe.asm looks at ---- */

static bool inside_code(const struct image *img, uint64_t address)
{
    uint64_t table_end = probe_code_size + 8 * (TABLE_HEADER_WORDS + MAX_PROBES);
    return address + PROBE_ALIGN > img->code_vaddr && address < img->code_vaddr + table_end;
}

static void add_probe(struct image *img, uint64_t address)
{
    address &= ~(uint64_t)(PROBE_ALIGN - 1);
    if (img->probe_count == MAX_PROBES || inside_code(img, address))
        return;
    for (unsigned i = 0; i < img->probe_count; i++) {
        if (img->probes[i] == address)
            return;
    }
    img->probes[img->probe_count++] = address;
}

/* The interesting places of a segment: its edges, where its file bytes end and
 * its bss begins, the bytes just outside it, and its middle. */
static void probe_segment(struct image *img, const Elf64_Phdr *ph)
{
    uint64_t v = ph->p_vaddr, file_end = v + ph->p_filesz, end = v + ph->p_memsz;
    uint64_t places[] = {
        PAGE_START(v), v, file_end - PROBE_ALIGN, file_end, PAGE_ALIGN(file_end) - PROBE_ALIGN,
        PAGE_ALIGN(file_end), PAGE_START(v + ph->p_memsz / 2), end - 1,
        PAGE_ALIGN(end) - PROBE_ALIGN, PAGE_ALIGN(end), PAGE_START(v) - PROBE_ALIGN,
    };
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++)
        add_probe(img, places[i]);
}

/* Whether address lies in the pages of some segment. */
static bool inside_a_segment(const struct image *img, uint64_t address)
{
    for (unsigned i = 0; i < img->written; i++) {
        const Elf64_Phdr *ph = &img->phdrs[i];
        if (ph->p_type == PT_LOAD && ph->p_memsz > 0 && address >= PAGE_START(ph->p_vaddr) &&
            address < PAGE_ALIGN(ph->p_vaddr + ph->p_memsz))
            return true;
    }
    return false;
}

/* Drop the probes outside the pages of the segments of a position-independent
 * program: Linux places it among other mappings, so what lies around it varies. */
static void keep_probes_inside(struct image *img)
{
    unsigned kept = 0;
    for (unsigned i = 0; i < img->probe_count; i++) {
        if (inside_a_segment(img, img->probes[i]))
            img->probes[kept++] = img->probes[i];
    }
    img->probe_count = kept;
}

static void choose_probes(struct image *img)
{
    img->probe_count = 0;
    for (unsigned i = 0; i < img->written; i++) {
        if (img->phdrs[i].p_type == PT_LOAD)
            probe_segment(img, &img->phdrs[i]);
    }
    if (img->header.e_type == ET_DYN)
        keep_probes_inside(img);
}

/* ---- writing the file ---- */

/* Copy n bytes into the file at offset, as far as the buffer reaches. */
static void put(struct image *img, uint64_t offset, const void *bytes, size_t n)
{
    if (offset >= FILE_CAPACITY)
        return;
    if (n > FILE_CAPACITY - offset)
        n = FILE_CAPACITY - offset;
    memcpy(img->file + offset, bytes, n);
}

static void put_code_and_table(struct image *img)
{
    uint64_t table[TABLE_HEADER_WORDS + MAX_PROBES] = {
        img->code_vaddr + probe_code_size, img->exit_status, img->probe_count,
    };
    memcpy(&table[TABLE_HEADER_WORDS], img->probes, img->probe_count * sizeof(uint64_t));
    put(img, CODE_OFFSET, probe_code, probe_code_size);
    put(img, CODE_OFFSET + probe_code_size, table,
        (TABLE_HEADER_WORDS + img->probe_count) * sizeof(uint64_t));
}

/* Lay the image out in its file buffer. Mutations that cut or stomp on the file
 * itself come after this. */
static void assemble(struct image *img)
{
    choose_probes(img);
    put_code_and_table(img);
    put(img, img->header.e_phoff, img->phdrs, img->written * sizeof(Elf64_Phdr));
    put(img, 0, &img->header, sizeof img->header);
}

static bool write_file(const char *dir, const char *name, const struct image *img)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, EXECUTABLE_MODE);
    FILE *f = fd >= 0 && fchmod(fd, EXECUTABLE_MODE) == 0 ? fdopen(fd, "wb") : NULL;
    if (f == NULL || fwrite(img->file, 1, img->size, f) != img->size || fclose(f) != 0) {
        fprintf(stderr, "elfgen: cannot write %s: %s\n", path, strerror(errno));
        return false;
    }
    return true;
}

/* ---- the tags: where vmlab refuses on purpose what Linux may run ---- */

static void tags_of(const struct image *img, char *out, size_t size)
{
    bool floor = false, stackzone = false, pasteof = false;
    unsigned count = img->written < MAX_PHDRS ? img->written : MAX_PHDRS;
    uint64_t bias = img->header.e_type == ET_DYN ? VMLAB_FLOOR : 0;
    for (unsigned i = 0; i < count && i < img->header.e_phnum; i++) {
        const Elf64_Phdr *ph = &img->phdrs[i];
        if (ph->p_type != PT_LOAD)
            continue;
        uint64_t start = ph->p_vaddr + bias, end = start + ph->p_memsz;
        floor |= start < VMLAB_FLOOR;
        stackzone |= end > VMLAB_SEGMENT_END && end >= start && end <= TASK_SIZE;
        pasteof |= ph->p_filesz > 0 && (ph->p_offset > img->size ||
                                        ph->p_filesz > img->size - ph->p_offset);
    }
    snprintf(out, size, "%s%s%s", floor ? "floor," : "", stackzone ? "stackzone," : "",
             pasteof ? "pasteof," : "");
    size_t n = strlen(out);
    if (n == 0)
        snprintf(out, size, "-");
    else
        out[n - 1] = '\0';
}

/* ---- mutations of the layout (before assemble) ---- */

typedef void mutation_fn(struct image *img);

/* A new program header (PT_NULL first), or NULL if the table is full. */
static Elf64_Phdr *add_phdr(struct image *img)
{
    if (img->written == MAX_PHDRS)
        return NULL;
    img->header.e_phnum = (uint16_t)++img->written;
    Elf64_Phdr *ph = &img->phdrs[img->written - 1];
    memset(ph, 0, sizeof *ph);
    return ph;
}

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
static void shuffle_phdrs(struct image *img)
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
    static const uint32_t types[] = { PT_NULL, PT_NOTE, PT_GNU_STACK, PT_GNU_RELRO,
                                      PT_GNU_EH_FRAME, PT_SHLIB, 0x70000001, 0x12345678,
                                      PT_PHDR, PT_TLS };
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

/* Up to Linux's limit of program headers (one page of them). */
static void many_phdrs(struct image *img)
{
    img->header.e_phoff = 0x2008;
    unsigned target = random_below(2) ? LINUX_MAX_PHDRS : 40 + random_below(30);
    while (img->written < target)
        add_phdr(img)->p_type = random_below(2) ? PT_NULL : PT_NOTE;
}

/* An entry point where no code is: the program dies at its first instruction. */
static void bad_entry(struct image *img)
{
    static const uint64_t entries[] = { 0, 0x10000000, KERNEL_TEXT, NON_CANONICAL,
                                        0x7ffffffff000, ~0ul };
    img->header.e_entry = PICK(entries);
}

/* Header fields the loader ignores. */
static void header_junk(struct image *img)
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
    static const uint16_t counts[] = { 0, LINUX_MAX_PHDRS + 1, 100, 0xffff };
    static const uint64_t offsets[] = { PLAIN_FILE_SIZE, PLAIN_FILE_SIZE - 8,
                                        PLAIN_FILE_SIZE - sizeof(Elf64_Phdr) + 1, ~0ul,
                                        ~0ul - 0x40, 1ul << 63 };
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
    case 2: ph->p_filesz = PLAIN_FILE_SIZE - ph->p_offset + 1 + random_below(2) * PAGE;
            if (ph->p_memsz < ph->p_filesz) ph->p_memsz = ph->p_filesz;
            break;
    default: ph->p_offset += 1 + random_below(PAGE - 1); break;
    }
}

/* Addresses outside user space, or sizes that wrap around. */
static void bad_addresses(struct image *img)
{
    static const uint64_t vaddrs[] = { KERNEL_TEXT, KERNEL_HALF, NON_CANONICAL,
                                       NON_CANONICAL - PAGE, 0x0000ffffffff0000ul,
                                       ~0ul - PAGE + 1, 0, 0x1000, 0x10000,
                                       TASK_SIZE - PAGE, 0x100000000000ul };
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
    *ph = (Elf64_Phdr){ .p_type = PT_INTERP, .p_flags = PF_R, .p_offset = offset,
                        .p_filesz = PICK(sizes), .p_align = 1 };
}

/* No PT_LOAD at all. */
static void no_load(struct image *img)
{
    for (unsigned i = 0; i < img->written; i++) {
        if (img->phdrs[i].p_type == PT_LOAD)
            img->phdrs[i].p_type = PT_NOTE;
    }
}

/* ---- mutations of the finished file ---- */

static void truncate_file(struct image *img)
{
    static const size_t lengths[] = { 0, 1, 4, 5, 16, 52, 63, 64, 64 + 56, 64 + 2 * 56 - 1,
                                      64 + 4 * 56 - 1, 0x1800, 0x2100, 0x4010, PLAIN_FILE_SIZE - 1 };
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
    { "zero-size-load", zero_size_load, false },   { "load-inside-load", load_inside_load, false },
    { "big-bss", big_bss, false },                 { "segment-rights", segment_rights, false },
    { "odd-alignment", odd_alignment, false },     { "shuffle-phdrs", shuffle_phdrs, false },
    { "other-phdr", other_phdr, false },           { "move-phdrs", move_phdrs, false },
    { "many-phdrs", many_phdrs, false },           { "bad-entry", bad_entry, false },
    { "header-junk", header_junk, false },         { "bad-ident", bad_ident, false },
    { "bad-type-or-machine", bad_type_or_machine, false },
    { "bad-phdr-table", bad_phdr_table, false },   { "bad-sizes", bad_sizes, false },
    { "bad-addresses", bad_addresses, false },     { "interpreter", interpreter, false },
    { "no-load", no_load, false },                 { "truncate", truncate_file, true },
};
#define MUTATIONS (sizeof mutations / sizeof mutations[0])

/* ---- output ---- */

static bool emit(const char *dir, const char *name, struct image *img, const char *what)
{
    char tags[64];
    tags_of(img, tags, sizeof tags);
    printf("%s %s %s\n", name, tags, what);
    return write_file(dir, name, img);
}

/* One random case: a plain program (one in eight position independent) and one
 * to three mutations, those of the layout before assembly, those of the bytes after. */
static bool random_case(const char *dir, uint64_t seed, unsigned number)
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

/* ---- the named cases ---- */

static Elf64_Phdr *data(struct image *img) { return &img->phdrs[DATA_SEGMENT]; }
static Elf64_Phdr *rodata(struct image *img) { return &img->phdrs[RODATA_SEGMENT]; }

static void add_load(struct image *img, Elf64_Phdr ph)
{
    *add_phdr(img) = ph;
}

static void add_other(struct image *img, uint32_t type, uint32_t flags, uint64_t vaddr)
{
    *add_phdr(img) = (Elf64_Phdr){ .p_type = type, .p_flags = flags, .p_vaddr = vaddr,
                                   .p_paddr = vaddr, .p_align = 8 };
}

/* Odd but valid: each must run exactly as on Linux. */
static void plain(struct image *img) { (void)img; }
static void zero_load_free_page(struct image *img) { add_load(img, load(PF_R | PF_W, 0, 0x420000, 0, 0)); }
static void zero_load_data_page(struct image *img) { add_load(img, load(PF_R | PF_W, 0, 0x409000, 0, 0)); }
static void zero_load_data_start(struct image *img) { add_load(img, load(PF_R, 0, 0x408000, 0, 0)); }
static void zero_load_unaligned(struct image *img) { add_load(img, load(PF_R | PF_X, 0, 0x409123, 0, 0)); }
static void zero_load_first(struct image *img)
{
    add_load(img, load(PF_R, 0, 0x409000, 0, 0));
    shuffle_phdrs(img);
}
static void zero_file_load_at_data(struct image *img) { add_load(img, load(PF_R | PF_W, 0, 0x409000, 0, 0x10)); }
static void load_inside_data(struct image *img) { add_load(img, load(PF_R, 0x4100, 0x409100, 0x200, 0x400)); }
static void load_inside_data_writable(struct image *img) { add_load(img, load(PF_R | PF_W, 0x4100, 0x409100, 0x200, 0x1400)); }
static void load_inside_data_listed_first(struct image *img)
{
    load_inside_data(img);
    Elf64_Phdr inner = img->phdrs[img->written - 1];
    img->phdrs[img->written - 1] = *data(img);
    *data(img) = inner;
}
static void load_in_middle_of_load(struct image *img)
{
    add_load(img, load(PF_R | PF_W, 0x2000, 0x410000, 0x3000, 0x3000));
    add_load(img, load(PF_R, 0x3000, 0x411000, 0x100, 0x100));
}
static void load_covering_two(struct image *img) { add_load(img, load(PF_R | PF_W, 0x2000, 0x406000, 0x2800, 0x4000)); }
static void bss_1gib(struct image *img) { data(img)->p_memsz = GIB; }
static void prot_none_file(struct image *img) { rodata(img)->p_flags = 0; }
static void prot_none_bss_only(struct image *img) { add_load(img, load(0, 0, 0x430000, 0, 0x2000)); }
static void prot_none_with_bss(struct image *img) { rodata(img)->p_flags = 0, rodata(img)->p_memsz = 0x2000; }
static void read_only_bss(struct image *img) { rodata(img)->p_memsz = 0x3000; }
static void read_only_data_bss(struct image *img) { data(img)->p_flags = PF_R; }
static void write_only(struct image *img) { data(img)->p_flags = PF_W; }
static void exec_only(struct image *img) { rodata(img)->p_flags = PF_X; }
static void odd_alignments(struct image *img)
{
    img->phdrs[HEADERS_SEGMENT].p_align = ~0ul;
    img->phdrs[CODE_SEGMENT].p_align = 0;
    data(img)->p_align = 3;
    rodata(img)->p_align = 1ul << 40;
}
static void reversed_phdrs(struct image *img)
{
    for (unsigned i = 0; i < img->written / 2; i++) {
        Elf64_Phdr t = img->phdrs[i];
        img->phdrs[i] = img->phdrs[img->written - 1 - i];
        img->phdrs[img->written - 1 - i] = t;
    }
}
static void load_over_bss_page(struct image *img) { rodata(img)->p_vaddr = 0x40a900, rodata(img)->p_offset = 0x4900, rodata(img)->p_filesz = rodata(img)->p_memsz = 0x300; }
static void phnum_73(struct image *img)
{
    img->header.e_phoff = 0x2008;
    while (img->written < LINUX_MAX_PHDRS)
        add_phdr(img)->p_type = PT_NOTE;
}
static void phdrs_in_data(struct image *img) { img->header.e_phoff = 0x2100; }
static void phdrs_in_two_loads(struct image *img) { add_load(img, load(PF_R, 0, 0x500000, 0x100, 0x100)); }
static void phdrs_uncovered(struct image *img) { img->header.e_phoff = 0x4a00; }
static void phdrs_unaligned(struct image *img) { img->header.e_phoff = 0x43; }
static void pt_phdr_elsewhere(struct image *img) { add_other(img, PT_PHDR, PF_R, 0x123456); }
static void entry_unmapped(struct image *img) { img->header.e_entry = 0x10000000; }
static void entry_kernel(struct image *img) { img->header.e_entry = KERNEL_TEXT; }
static void entry_non_canonical(struct image *img) { img->header.e_entry = NON_CANONICAL; }
static void entry_in_bss(struct image *img) { img->header.e_entry = 0x40b000; data(img)->p_flags |= PF_X; }
static void static_pie(struct image *img) { make_plain(img, ET_DYN); }
static void static_pie_zero_load(struct image *img)
{
    make_plain(img, ET_DYN);
    add_load(img, load(PF_R, 0, 0x9000, 0, 0));
}
static void junk_header(struct image *img) { rng_state = 1; header_junk(img); }
static void class_32(struct image *img) { img->header.e_ident[EI_CLASS] = ELFCLASS32; }
static void big_endian(struct image *img) { img->header.e_ident[EI_DATA] = ELFDATA2MSB; }
static void stack_executable(struct image *img) { add_other(img, PT_GNU_STACK, PF_R | PF_W | PF_X, 0); }
static void tls_segment(struct image *img) { add_other(img, PT_TLS, PF_R, 0x409000); }
static void no_loads(struct image *img) { no_load(img); }
static void below_floor(struct image *img) { add_load(img, load(PF_R, 0x4000, 0x10000, 0x100, 0x100)); }
static void empty_load_at_zero(struct image *img) { add_load(img, load(PF_R, 0, 0, 0, 0)); }

/* Malformed: refused (vmlab), or refused or killed (Linux). */
static void phnum_0(struct image *img) { img->header.e_phnum = 0; }
static void phnum_74(struct image *img) { phnum_73(img), img->header.e_phnum = LINUX_MAX_PHDRS + 1; }
static void phnum_max(struct image *img) { img->header.e_phnum = 0xffff; }
static void phentsize_57(struct image *img) { img->header.e_phentsize = 57; }
static void phentsize_0(struct image *img) { img->header.e_phentsize = 0; }
static void phoff_past_eof(struct image *img) { img->header.e_phoff = PLAIN_FILE_SIZE - 8; }
static void phoff_wraps(struct image *img) { img->header.e_phoff = ~0ul - 0x40; }
static void filesz_over_memsz(struct image *img) { data(img)->p_filesz = data(img)->p_memsz + 1; }
static void offset_past_eof(struct image *img) { rodata(img)->p_offset = PLAIN_FILE_SIZE + PAGE; }
static void offset_incongruent(struct image *img) { rodata(img)->p_offset += 0x10; }
static void offset_wraps(struct image *img) { rodata(img)->p_offset = ~0ul - PAGE + 1; }
static void vaddr_kernel(struct image *img) { data(img)->p_vaddr = KERNEL_TEXT + 0x10; }
static void vaddr_kernel_first(struct image *img) { img->phdrs[HEADERS_SEGMENT].p_vaddr = KERNEL_HALF; }
static void vaddr_non_canonical(struct image *img) { data(img)->p_vaddr = NON_CANONICAL + 0x10; }
static void vaddr_straddles_hole(struct image *img) { data(img)->p_vaddr = NON_CANONICAL - PAGE + 0x10; }
static void vaddr_wraps(struct image *img) { data(img)->p_vaddr = ~0ul - PAGE + 0x11; }
static void memsz_wraps(struct image *img) { data(img)->p_memsz = ~0ul - 0x100; }
static void memsz_past_user(struct image *img) { data(img)->p_memsz = TASK_SIZE; }
static void vaddr_zero(struct image *img) { rodata(img)->p_vaddr = 0; }
static void near_stack(struct image *img) { rodata(img)->p_vaddr = TASK_SIZE - PAGE; }
static void type_rel(struct image *img) { img->header.e_type = ET_REL; }
static void type_core(struct image *img) { img->header.e_type = ET_CORE; }
static void machine_i386(struct image *img) { img->header.e_machine = EM_386; }
static void magic_bad(struct image *img) { img->header.e_ident[EI_MAG3] = 'f'; }
static void interp_with(struct image *img, uint64_t offset, uint64_t filesz)
{
    static const char path[] = "/nonexistent/ld-vmlab.so";
    put(img, 0x4800, path, sizeof path);
    *add_phdr(img) = (Elf64_Phdr){ .p_type = PT_INTERP, .p_flags = PF_R, .p_offset = offset,
                                   .p_filesz = filesz, .p_align = 1 };
}
static void interp_missing(struct image *img) { interp_with(img, 0x4800, 25); }
static void interp_short(struct image *img) { interp_with(img, 0x4800, 1); }
static void interp_unterminated(struct image *img) { interp_with(img, 0x4800, 24); }
static void interp_past_eof(struct image *img) { interp_with(img, PLAIN_FILE_SIZE - 4, 25); }
static void interp_too_long(struct image *img) { interp_with(img, 0x100, 4097); }
static void interp_after_bad_load(struct image *img) { vaddr_kernel(img), interp_missing(img); }

struct named_case {
    const char *name;
    void (*build)(struct image *img);
    size_t truncate_to; /* 0: the whole file */
};

static const struct named_case named_cases[] = {
    { "plain", plain, 0 },
    { "zero-load-free-page", zero_load_free_page, 0 },
    { "zero-load-data-page", zero_load_data_page, 0 },
    { "zero-load-data-start", zero_load_data_start, 0 },
    { "zero-load-unaligned", zero_load_unaligned, 0 },
    { "zero-load-shuffled", zero_load_first, 0 },
    { "zero-file-load", zero_file_load_at_data, 0 },
    { "load-inside-data", load_inside_data, 0 },
    { "load-inside-data-rw", load_inside_data_writable, 0 },
    { "load-inside-listed-first", load_inside_data_listed_first, 0 },
    { "load-in-middle-of-load", load_in_middle_of_load, 0 },
    { "load-covering-two", load_covering_two, 0 },
    { "bss-1gib", bss_1gib, 0 },
    { "prot-none-file", prot_none_file, 0 },
    { "prot-none-bss-only", prot_none_bss_only, 0 },
    { "prot-none-with-bss", prot_none_with_bss, 0 },
    { "read-only-bss", read_only_bss, 0 },
    { "read-only-data", read_only_data_bss, 0 },
    { "write-only", write_only, 0 },
    { "exec-only", exec_only, 0 },
    { "odd-alignments", odd_alignments, 0 },
    { "reversed-phdrs", reversed_phdrs, 0 },
    { "load-over-bss-page", load_over_bss_page, 0 },
    { "phnum-73", phnum_73, 0 },
    { "phdrs-in-data", phdrs_in_data, 0 },
    { "phdrs-in-two-loads", phdrs_in_two_loads, 0 },
    { "phdrs-uncovered", phdrs_uncovered, 0 },
    { "phdrs-unaligned", phdrs_unaligned, 0 },
    { "pt-phdr-elsewhere", pt_phdr_elsewhere, 0 },
    { "entry-unmapped", entry_unmapped, 0 },
    { "entry-kernel", entry_kernel, 0 },
    { "entry-non-canonical", entry_non_canonical, 0 },
    { "entry-in-bss", entry_in_bss, 0 },
    { "static-pie", static_pie, 0 },
    { "static-pie-zero-load", static_pie_zero_load, 0 },
    { "header-junk", junk_header, 0 },
    { "class-32", class_32, 0 },
    { "big-endian", big_endian, 0 },
    { "stack-executable", stack_executable, 0 },
    { "tls-segment", tls_segment, 0 },
    { "no-loads", no_loads, 0 },
    { "below-floor", below_floor, 0 },
    { "empty-load-at-zero", empty_load_at_zero, 0 },
    { "empty-file", plain, 0 },
    { "truncated-40", plain, 40 },
    { "truncated-64", plain, 64 },
    { "truncated-phdrs", plain, 64 + 2 * sizeof(Elf64_Phdr) },
    { "truncated-data", plain, 0x2100 },
    { "phnum-0", phnum_0, 0 },
    { "phnum-74", phnum_74, 0 },
    { "phnum-65535", phnum_max, 0 },
    { "phentsize-57", phentsize_57, 0 },
    { "phentsize-0", phentsize_0, 0 },
    { "phoff-past-eof", phoff_past_eof, 0 },
    { "phoff-wraps", phoff_wraps, 0 },
    { "filesz-over-memsz", filesz_over_memsz, 0 },
    { "offset-past-eof", offset_past_eof, 0 },
    { "offset-incongruent", offset_incongruent, 0 },
    { "offset-wraps", offset_wraps, 0 },
    { "vaddr-kernel", vaddr_kernel, 0 },
    { "vaddr-kernel-first", vaddr_kernel_first, 0 },
    { "vaddr-non-canonical", vaddr_non_canonical, 0 },
    { "vaddr-straddles-hole", vaddr_straddles_hole, 0 },
    { "vaddr-wraps", vaddr_wraps, 0 },
    { "memsz-wraps", memsz_wraps, 0 },
    { "memsz-past-user", memsz_past_user, 0 },
    { "vaddr-zero", vaddr_zero, 0 },
    { "near-stack", near_stack, 0 },
    { "type-rel", type_rel, 0 },
    { "type-core", type_core, 0 },
    { "machine-i386", machine_i386, 0 },
    { "magic-bad", magic_bad, 0 },
    { "interp-missing", interp_missing, 0 },
    { "interp-short", interp_short, 0 },
    { "interp-unterminated", interp_unterminated, 0 },
    { "interp-past-eof", interp_past_eof, 0 },
    { "interp-too-long", interp_too_long, 0 },
    { "interp-after-bad-load", interp_after_bad_load, 0 },
};

static bool named_case(const char *dir, const struct named_case *c)
{
    static struct image img;
    make_plain(&img, ET_EXEC);
    c->build(&img);
    assemble(&img);
    if (strcmp(c->name, "empty-file") == 0)
        img.size = 0;
    else if (c->truncate_to != 0)
        img.size = c->truncate_to;
    return emit(dir, c->name, &img, c->name);
}

/* ---- main ---- */

static bool read_probe_code(const char *path)
{
    static uint8_t buffer[PAGE];
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "elfgen: %s: %s\n", path, strerror(errno));
        return false;
    }
    probe_code_size = fread(buffer, 1, sizeof buffer, f);
    fclose(f);
    probe_code = buffer;
    size_t table_bytes = 8 * (TABLE_HEADER_WORDS + MAX_PROBES);
    if (probe_code_size == 0 || probe_code_size % 8 != 0 || probe_code_size + table_bytes > PAGE) {
        fprintf(stderr, "elfgen: %s: %zu bytes; the code and its table must fit a page\n", path,
                probe_code_size);
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    bool fixed = argc == 4 && strcmp(argv[3], "fixed") == 0;
    if (!fixed && argc != 5) {
        fprintf(stderr, "usage: elfgen PROBE OUTDIR fixed | elfgen PROBE OUTDIR SEED COUNT\n");
        return 2;
    }
    if (!read_probe_code(argv[1]))
        return 1;
    bool ok = true;
    if (fixed) {
        for (size_t i = 0; i < sizeof named_cases / sizeof named_cases[0]; i++)
            ok &= named_case(argv[2], &named_cases[i]);
        return ok ? 0 : 1;
    }
    uint64_t seed = strtoull(argv[3], NULL, 0);
    unsigned count = (unsigned)strtoul(argv[4], NULL, 0);
    rng_state = seed;
    for (unsigned i = 0; i < count; i++)
        ok &= random_case(argv[2], seed, i);
    return ok ? 0 : 1;
}
