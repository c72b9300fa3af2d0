/*
 * ktest_bootinfo.c — the multiboot2 parser in the kernel: first what GRUB really
 * passed on this boot (tests/ boots QEMU with -m 128M and `test` on the command
 * line), then hand-built structures, one valid and some malformed, as in
 * tests/host/test_bootinfo.c.
 */
#include <stdint.h>

#include "kernel/bootinfo.h"
#include "kernel/cmdline.h"
#include "kernel/ktest.h"
#include "kernel/multiboot2.h"
#include "lib/string.h"

#define MIB      (1024ul * 1024)
#define MBI_PHYS 0x10000ull /* where the hand-built structures pretend to lie */

/* ---- this boot ---- */

KTEST(bootinfo_boot_loader_is_grub)
{
    KEXPECT(strncmp(boot_info.loader_name, "GRUB", 4) == 0, "loader name \"%s\"",
            boot_info.loader_name);
}

KTEST(bootinfo_boot_cmdline_has_test)
{
    /* we are running, so the kernel saw `test`; the parsed string must say so too */
    KEXPECT(cmdline_has(boot_info.cmdline, "test"), "cmdline \"%s\"", boot_info.cmdline);
}

KTEST(bootinfo_boot_structure_recorded)
{
    KEXPECT(boot_info.mbi_size >= sizeof(struct mb2_info_header) + sizeof(struct mb2_tag),
            "mbi_size %u", boot_info.mbi_size);
    KEXPECT(boot_info.mbi_phys != 0 && boot_info.mbi_phys % MB2_TAG_ALIGN == 0, "mbi_phys 0x%lx",
            boot_info.mbi_phys);
}

KTEST(bootinfo_boot_has_usable_region)
{
    size_t usable = 0;
    for (size_t i = 0; i < boot_info.region_count; i++)
        usable += boot_info.regions[i].type == MB2_MEMORY_AVAILABLE;
    KEXPECT(usable >= 1, "%zu regions, none usable", boot_info.region_count);
}

KTEST(bootinfo_boot_usable_total_fits_128m)
{
    /* QEMU -m 128M: the firmware keeps a little below 1 MiB and at the top */
    uint64_t usable = bootinfo_total_of_type(&boot_info, MB2_MEMORY_AVAILABLE);
    KEXPECT(usable >= 100 * MIB && usable <= 128 * MIB, "usable total 0x%lx bytes (%lu MiB)",
            usable, usable / MIB);
}

/* ---- hand-built structures ---- */

/* One structure at a time, 8-byte aligned, in static memory (not the 16 KiB stack). */
static struct {
    _Alignas(8) uint8_t bytes[512];
    uint32_t size;
} mbi;
static struct boot_info parsed; /* about 2.4 KiB: too big for the stack */

static void mbi_begin(void)
{
    memset(mbi.bytes, 0, sizeof mbi.bytes);
    mbi.size = sizeof(struct mb2_info_header);
}

/* Append a tag of header plus body_len bytes, padded to the next 8-byte boundary. */
static void mbi_add_tag(uint32_t type, const void *body, uint32_t body_len)
{
    struct mb2_tag header = { .type = type, .size = sizeof header + body_len };
    memcpy(mbi.bytes + mbi.size, &header, sizeof header);
    memcpy(mbi.bytes + mbi.size + sizeof header, body, body_len);
    mbi.size += (header.size + MB2_TAG_ALIGN - 1) & ~(uint32_t)(MB2_TAG_ALIGN - 1);
}

/* Add the end tag, write total_size and parse into `parsed`. */
static enum bootinfo_error mbi_end_and_parse(void)
{
    mbi_add_tag(MB2_TAG_END, NULL, 0);
    struct mb2_info_header header = { .total_size = mbi.size };
    memcpy(mbi.bytes, &header, sizeof header);
    return bootinfo_parse(mbi.bytes, MBI_PHYS, &parsed);
}

#define KEXPECT_ERROR(actual, expected)                                                            \
    KEXPECT((actual) == (expected), "got %d (%s), expected %d (%s)", (int)(actual),                \
            bootinfo_error_string(actual), (int)(expected), bootinfo_error_string(expected))

KTEST(bootinfo_handmade_valid_structure)
{
    struct {
        uint32_t entry_size, entry_version;
        struct {
            struct mb2_mmap_entry entry;
            uint64_t newer_field;
        } entries[2];
    } map = { .entry_size = 32 }; /* a larger, future entry format: step by entry_size */
    map.entries[0].entry = (struct mb2_mmap_entry){ 0, 0x9fc00, MB2_MEMORY_AVAILABLE, 0 };
    map.entries[1].entry = (struct mb2_mmap_entry){ 0x100000, 127 * MIB, MB2_MEMORY_AVAILABLE, 0 };
    struct {
        uint32_t start, end;
        char name[8];
    } module = { 0x200000, 0x201000, "init" };

    mbi_begin();
    mbi_add_tag(MB2_TAG_CMDLINE, "test x=1", 9);
    mbi_add_tag(MB2_TAG_MODULE, &module, sizeof module);
    mbi_add_tag(0x99, "??", 2); /* an unknown tag type is skipped */
    mbi_add_tag(MB2_TAG_MMAP, &map, sizeof map);
    if (!KEXPECT_ERROR(mbi_end_and_parse(), BOOTINFO_OK))
        return;
    KEXPECT(strcmp(parsed.cmdline, "test x=1") == 0, "cmdline \"%s\"", parsed.cmdline);
    KEXPECT(strcmp(parsed.loader_name, "") == 0, "loader name \"%s\"", parsed.loader_name);
    KEXPECT_EQ(parsed.module_count, 1);
    KEXPECT_EQ(parsed.modules[0].end, 0x201000);
    KEXPECT(strcmp(parsed.modules[0].name, "init") == 0, "module \"%s\"", parsed.modules[0].name);
    KEXPECT_EQ(parsed.region_count, 2);
    KEXPECT_EQ(parsed.regions[1].start, 0x100000);
    KEXPECT_EQ(bootinfo_total_of_type(&parsed, MB2_MEMORY_AVAILABLE), 0x9fc00 + 127 * MIB);
}

KTEST(bootinfo_handmade_unterminated_string)
{
    mbi_begin();
    mbi_add_tag(MB2_TAG_CMDLINE, "test", 4); /* no zero byte inside the tag */
    KEXPECT_ERROR(mbi_end_and_parse(), BOOTINFO_BAD_STRING);
}

KTEST(bootinfo_handmade_small_mmap_entry)
{
    uint32_t fields[2] = { 20, 0 }; /* entry_size below the 24 bytes of an entry */
    mbi_begin();
    mbi_add_tag(MB2_TAG_MMAP, fields, sizeof fields);
    KEXPECT_ERROR(mbi_end_and_parse(), BOOTINFO_BAD_MMAP_ENTRY);
}

KTEST(bootinfo_handmade_tag_overrun)
{
    /* total_size cut 8 bytes short: the end tag's size runs past it */
    mbi_begin();
    mbi_add_tag(MB2_TAG_END, NULL, 0);
    mbi_add_tag(MB2_TAG_END, NULL, 0);
    struct mb2_tag *first = (struct mb2_tag *)(mbi.bytes + sizeof(struct mb2_info_header));
    first->size = 16;
    struct mb2_info_header header = { .total_size = 16 };
    memcpy(mbi.bytes, &header, sizeof header);
    KEXPECT_ERROR(bootinfo_parse(mbi.bytes, MBI_PHYS, &parsed), BOOTINFO_TAG_OVERRUN);
}
