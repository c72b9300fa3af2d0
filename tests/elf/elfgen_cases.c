/*
 * elfgen_cases.c — the named cases of the ELF loader fuzzer, the same every run:
 * odd but valid files that must run as on Linux, and malformed ones that must be
 * refused (or, on Linux, kill the caller inside execve). See elfgen.c.
 */
#include "elfgen.h"

#include <string.h>

static Elf64_Phdr *data(struct image *img)
{
    return &img->phdrs[DATA_SEGMENT];
}
static Elf64_Phdr *rodata(struct image *img)
{
    return &img->phdrs[RODATA_SEGMENT];
}

static void add_load(struct image *img, Elf64_Phdr ph)
{
    *add_phdr(img) = ph;
}

static void add_other(struct image *img, uint32_t type, uint32_t flags, uint64_t vaddr)
{
    *add_phdr(img) = (Elf64_Phdr){
        .p_type = type, .p_flags = flags, .p_vaddr = vaddr, .p_paddr = vaddr, .p_align = 8
    };
}

/* Odd but valid: each must run exactly as on Linux. */
static void plain(struct image *img)
{
    (void)img;
}
static void zero_load_free_page(struct image *img)
{
    add_load(img, load(PF_R | PF_W, 0, 0x420000, 0, 0));
}
static void zero_load_data_page(struct image *img)
{
    add_load(img, load(PF_R | PF_W, 0, 0x409000, 0, 0));
}
static void zero_load_data_start(struct image *img)
{
    add_load(img, load(PF_R, 0, 0x408000, 0, 0));
}
static void zero_load_unaligned(struct image *img)
{
    add_load(img, load(PF_R | PF_X, 0, 0x409123, 0, 0));
}
static void zero_load_first(struct image *img)
{
    add_load(img, load(PF_R, 0, 0x409000, 0, 0));
    shuffle_phdrs(img);
}
static void zero_file_load_at_data(struct image *img)
{
    add_load(img, load(PF_R | PF_W, 0, 0x409000, 0, 0x10));
}
static void load_inside_data(struct image *img)
{
    add_load(img, load(PF_R, 0x4100, 0x409100, 0x200, 0x400));
}
static void load_inside_data_writable(struct image *img)
{
    add_load(img, load(PF_R | PF_W, 0x4100, 0x409100, 0x200, 0x1400));
}
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
static void load_covering_two(struct image *img)
{
    add_load(img, load(PF_R | PF_W, 0x2000, 0x406000, 0x2800, 0x4000));
}
static void bss_1gib(struct image *img)
{
    data(img)->p_memsz = GIB;
}
static void prot_none_file(struct image *img)
{
    rodata(img)->p_flags = 0;
}
static void prot_none_bss_only(struct image *img)
{
    add_load(img, load(0, 0, 0x430000, 0, 0x2000));
}
static void prot_none_with_bss(struct image *img)
{
    rodata(img)->p_flags = 0, rodata(img)->p_memsz = 0x2000;
}
static void read_only_bss(struct image *img)
{
    rodata(img)->p_memsz = 0x3000;
}
static void read_only_data_bss(struct image *img)
{
    data(img)->p_flags = PF_R;
}
static void write_only(struct image *img)
{
    data(img)->p_flags = PF_W;
}
static void exec_only(struct image *img)
{
    rodata(img)->p_flags = PF_X;
}
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
static void load_over_bss_page(struct image *img)
{
    rodata(img)->p_vaddr = 0x40a900, rodata(img)->p_offset = 0x4900,
    rodata(img)->p_filesz = rodata(img)->p_memsz = 0x300;
}
static void phnum_73(struct image *img)
{
    img->header.e_phoff = 0x2008;
    while (img->written < PAGE_OF_PHDRS)
        add_phdr(img)->p_type = PT_NOTE;
}
static void phdrs_in_data(struct image *img)
{
    img->header.e_phoff = 0x2100;
}
static void phdrs_in_two_loads(struct image *img)
{
    add_load(img, load(PF_R, 0, 0x500000, 0x100, 0x100));
}
static void phdrs_uncovered(struct image *img)
{
    img->header.e_phoff = 0x4a00;
}
static void phdrs_unaligned(struct image *img)
{
    img->header.e_phoff = 0x43;
}
static void pt_phdr_elsewhere(struct image *img)
{
    add_other(img, PT_PHDR, PF_R, 0x123456);
}
static void entry_unmapped(struct image *img)
{
    img->header.e_entry = 0x10000000;
}
static void entry_kernel(struct image *img)
{
    img->header.e_entry = KERNEL_TEXT;
}
static void entry_non_canonical(struct image *img)
{
    img->header.e_entry = NON_CANONICAL;
}
static void entry_in_bss(struct image *img)
{
    img->header.e_entry = 0x40b000;
    data(img)->p_flags |= PF_X;
}
static void static_pie(struct image *img)
{
    make_plain(img, ET_DYN);
}
static void static_pie_zero_load(struct image *img)
{
    make_plain(img, ET_DYN);
    add_load(img, load(PF_R, 0, 0x9000, 0, 0));
}
static void junk_header(struct image *img)
{
    seed_random(1);
    header_junk(img);
}
static void class_32(struct image *img)
{
    img->header.e_ident[EI_CLASS] = ELFCLASS32;
}
static void big_endian(struct image *img)
{
    img->header.e_ident[EI_DATA] = ELFDATA2MSB;
}
static void stack_executable(struct image *img)
{
    add_other(img, PT_GNU_STACK, PF_R | PF_W | PF_X, 0);
}
static void tls_segment(struct image *img)
{
    add_other(img, PT_TLS, PF_R, 0x409000);
}
static void no_loads(struct image *img)
{
    no_load(img);
}
static void below_floor(struct image *img)
{
    add_load(img, load(PF_R, 0x4000, 0x10000, 0x100, 0x100));
}
static void empty_load_at_zero(struct image *img)
{
    add_load(img, load(PF_R, 0, 0, 0, 0));
}

/* Malformed: refused (vmlab), or refused or killed (Linux). */
static void phnum_0(struct image *img)
{
    img->header.e_phnum = 0;
}
static void phnum_74(struct image *img)
{
    phnum_73(img), img->header.e_phnum = PAGE_OF_PHDRS + 1;
}
static void phnum_max(struct image *img)
{
    img->header.e_phnum = 0xffff;
}
static void phentsize_57(struct image *img)
{
    img->header.e_phentsize = 57;
}
static void phentsize_0(struct image *img)
{
    img->header.e_phentsize = 0;
}
static void phoff_past_eof(struct image *img)
{
    img->header.e_phoff = PLAIN_FILE_SIZE - 8;
}
static void phoff_wraps(struct image *img)
{
    img->header.e_phoff = ~0ul - 0x40;
}
static void filesz_over_memsz(struct image *img)
{
    data(img)->p_filesz = data(img)->p_memsz + 1;
}
static void offset_past_eof(struct image *img)
{
    rodata(img)->p_offset = PLAIN_FILE_SIZE + PAGE;
}
static void offset_incongruent(struct image *img)
{
    rodata(img)->p_offset += 0x10;
}
static void offset_wraps(struct image *img)
{
    rodata(img)->p_offset = ~0ul - PAGE + 1;
}
static void vaddr_kernel(struct image *img)
{
    data(img)->p_vaddr = KERNEL_TEXT + 0x10;
}
static void vaddr_kernel_first(struct image *img)
{
    img->phdrs[HEADERS_SEGMENT].p_vaddr = KERNEL_HALF;
}
static void vaddr_non_canonical(struct image *img)
{
    data(img)->p_vaddr = NON_CANONICAL + 0x10;
}
static void vaddr_straddles_hole(struct image *img)
{
    data(img)->p_vaddr = NON_CANONICAL - PAGE + 0x10;
}
static void vaddr_wraps(struct image *img)
{
    data(img)->p_vaddr = ~0ul - PAGE + 0x11;
}
static void memsz_wraps(struct image *img)
{
    data(img)->p_memsz = ~0ul - 0x100;
}
static void memsz_past_user(struct image *img)
{
    data(img)->p_memsz = TASK_SIZE;
}
static void vaddr_zero(struct image *img)
{
    rodata(img)->p_vaddr = 0;
}
static void near_stack(struct image *img)
{
    rodata(img)->p_vaddr = TASK_SIZE - PAGE;
}
static void type_rel(struct image *img)
{
    img->header.e_type = ET_REL;
}
static void type_core(struct image *img)
{
    img->header.e_type = ET_CORE;
}
static void machine_i386(struct image *img)
{
    img->header.e_machine = EM_386;
}
static void magic_bad(struct image *img)
{
    img->header.e_ident[EI_MAG3] = 'f';
}
static void interp_with(struct image *img, uint64_t offset, uint64_t filesz)
{
    static const char path[] = "/nonexistent/ld-vmlab.so";
    put(img, 0x4800, path, sizeof path);
    *add_phdr(img) = (Elf64_Phdr){
        .p_type = PT_INTERP, .p_flags = PF_R, .p_offset = offset, .p_filesz = filesz, .p_align = 1
    };
}
static void interp_missing(struct image *img)
{
    interp_with(img, 0x4800, 25);
}
static void interp_short(struct image *img)
{
    interp_with(img, 0x4800, 1);
}
static void interp_unterminated(struct image *img)
{
    interp_with(img, 0x4800, 24);
}
static void interp_past_eof(struct image *img)
{
    interp_with(img, PLAIN_FILE_SIZE - 4, 25);
}
static void interp_too_long(struct image *img)
{
    interp_with(img, 0x100, 4097);
}
static void interp_after_bad_load(struct image *img)
{
    vaddr_kernel(img), interp_missing(img);
}

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

bool named_cases_write(const char *dir)
{
    bool ok = true;
    for (size_t i = 0; i < sizeof named_cases / sizeof named_cases[0]; i++)
        ok &= named_case(dir, &named_cases[i]);
    return ok;
}
