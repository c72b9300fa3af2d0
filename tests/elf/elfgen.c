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
 * always gives the same files. This file builds, probes and writes the files;
 * elfgen_mutations.c and elfgen_cases.c say what goes in them.
 */
#include "elfgen.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const uint8_t *probe_code;
static size_t probe_code_size;

/* ---- random numbers: splitmix64, so that a seed always gives the same files ---- */

static uint64_t rng_state;

void seed_random(uint64_t seed)
{
    rng_state = seed;
}

uint64_t next_random(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ul);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ul;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebul;
    return z ^ (z >> 31);
}

uint64_t random_below(uint64_t n)
{
    return next_random() % n;
}

/* ---- the plain program ---- */

/* A byte that depends on its file offset, so that bytes loaded from the wrong
 * place show up in the probes. */
static uint8_t pattern_byte(size_t offset)
{
    return (uint8_t)(offset * 131 + (offset >> 8) * 7 + 0x5a);
}

Elf64_Phdr load(uint32_t flags, uint64_t offset, uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
    return (Elf64_Phdr){ .p_type = PT_LOAD,
                         .p_flags = flags,
                         .p_offset = offset,
                         .p_vaddr = vaddr,
                         .p_paddr = vaddr,
                         .p_filesz = filesz,
                         .p_memsz = memsz,
                         .p_align = PAGE };
}

/* The plain program of type ET_EXEC or ET_DYN (at 0, placed by the kernel). */
void make_plain(struct image *img, uint16_t type)
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

/* A new program header (PT_NULL first), or NULL if the table is full. */
Elf64_Phdr *add_phdr(struct image *img)
{
    if (img->written == MAX_PHDRS)
        return NULL;
    img->header.e_phnum = (uint16_t)++img->written;
    Elf64_Phdr *ph = &img->phdrs[img->written - 1];
    memset(ph, 0, sizeof *ph);
    return ph;
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
        PAGE_START(v),
        v,
        file_end - PROBE_ALIGN,
        file_end,
        PAGE_ALIGN(file_end) - PROBE_ALIGN,
        PAGE_ALIGN(file_end),
        PAGE_START(v + ph->p_memsz / 2),
        end - 1,
        PAGE_ALIGN(end) - PROBE_ALIGN,
        PAGE_ALIGN(end),
        PAGE_START(v) - PROBE_ALIGN,
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
void put(struct image *img, uint64_t offset, const void *bytes, size_t n)
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
        img->code_vaddr + probe_code_size,
        img->exit_status,
        img->probe_count,
    };
    memcpy(&table[TABLE_HEADER_WORDS], img->probes, img->probe_count * sizeof(uint64_t));
    put(img, CODE_OFFSET, probe_code, probe_code_size);
    put(img, CODE_OFFSET + probe_code_size, table,
        (TABLE_HEADER_WORDS + img->probe_count) * sizeof(uint64_t));
}

/* Lay the image out in its file buffer. Mutations that cut or stomp on the file
 * itself come after this. */
void assemble(struct image *img)
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
        pasteof |= ph->p_filesz > 0 &&
                   (ph->p_offset > img->size || ph->p_filesz > img->size - ph->p_offset);
    }
    snprintf(out, size, "%s%s%s", floor ? "floor," : "", stackzone ? "stackzone," : "",
             pasteof ? "pasteof," : "");
    size_t n = strlen(out);
    if (n == 0)
        snprintf(out, size, "-");
    else
        out[n - 1] = '\0';
}

/* ---- output ---- */

bool emit(const char *dir, const char *name, struct image *img, const char *what)
{
    char tags[64];
    tags_of(img, tags, sizeof tags);
    printf("%s %s %s\n", name, tags, what);
    return write_file(dir, name, img);
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
        return named_cases_write(argv[2]) ? 0 : 1;
    }
    uint64_t seed = strtoull(argv[3], NULL, 0);
    unsigned count = (unsigned)strtoul(argv[4], NULL, 0);
    seed_random(seed);
    for (unsigned i = 0; i < count; i++)
        ok &= random_case(argv[2], seed, i);
    return ok ? 0 : 1;
}
