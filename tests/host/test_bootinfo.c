/*
 * test_bootinfo.c — kernel/bootinfo.c's multiboot2 parser on the host, under ASan
 * and UBSan.
 *
 * Each test builds a boot-information structure by hand with the small builder
 * below, the way GRUB lays it out:
 *
 *   u32 total_size | u32 reserved | tag | pad to 8 | tag | pad to 8 | ... | end tag
 *
 * then copies it into a malloc'd buffer of exactly total_size bytes. The parser
 * may read only inside total_size, so any read beyond it is an ASan report, even
 * for the broken structures that must be rejected.
 */
#include <stdlib.h>

#include "check.h"
#include "kernel/bootinfo.h"
#include "kernel/multiboot2.h"
#include "lib/string.h"

#define MBI_PHYS           0x10000ull /* where the tests pretend the structure lies */
#define MIB                (1024ull * 1024)
#define ENTRY_SIZE_V0      24   /* sizeof(struct mb2_mmap_entry) today */
#define ENTRY_SIZE_BIG     32   /* a later, larger entry format */
#define TAG_TYPE_LOAD_BASE 21   /* a real multiboot2 tag type the parser does not use */
#define TAG_TYPE_MADE_UP   0x99 /* a tag type no specification defines */

/* ---- the builder ---- */

struct mbi_builder {
    _Alignas(8) uint8_t bytes[4096];
    uint32_t size; /* bytes so far; every tag starts 8-byte aligned */
};

static void mbi_begin(struct mbi_builder *b)
{
    memset(b->bytes, 0, sizeof b->bytes);
    b->size = sizeof(struct mb2_info_header); /* total_size is filled in by mbi_finish */
}

/* Append a tag whose size field says size_field while body_len bytes of body
 * follow the header (they differ only in the broken structures); pad to 8. */
static void mbi_add_raw_tag(struct mbi_builder *b, uint32_t type, uint32_t size_field,
                            const void *body, uint32_t body_len)
{
    struct mb2_tag header = { .type = type, .size = size_field };
    memcpy(b->bytes + b->size, &header, sizeof header);
    memcpy(b->bytes + b->size + sizeof header, body, body_len);
    b->size += (sizeof header + body_len + MB2_TAG_ALIGN - 1) & ~(uint32_t)(MB2_TAG_ALIGN - 1);
}

static void mbi_add_tag(struct mbi_builder *b, uint32_t type, const void *body, uint32_t body_len)
{
    mbi_add_raw_tag(b, type, sizeof(struct mb2_tag) + body_len, body, body_len);
}

/* A command-line or loader-name tag, with the string's terminating zero. */
static void mbi_add_string(struct mbi_builder *b, uint32_t type, const char *s)
{
    mbi_add_tag(b, type, s, (uint32_t)strlen(s) + 1);
}

static void mbi_add_module(struct mbi_builder *b, uint32_t start, uint32_t end, const char *name)
{
    uint8_t body[64];
    uint32_t name_size = (uint32_t)strlen(name) + 1;
    memcpy(body, &start, 4);
    memcpy(body + 4, &end, 4);
    memcpy(body + 8, name, name_size);
    mbi_add_tag(b, MB2_TAG_MODULE, body, 8 + name_size);
}

/* A memory map whose entries are entry_size bytes apart; bytes of an entry past
 * the ones we know (a newer format) are filled with 0xee. */
static void mbi_add_mmap(struct mbi_builder *b, uint32_t entry_size,
                         const struct mb2_mmap_entry *entries, uint32_t count)
{
    uint8_t body[2048];
    uint32_t fields[2] = { entry_size, 0 /* entry_version */ };
    memcpy(body, fields, sizeof fields);
    memset(body + sizeof fields, 0xee, entry_size * count);
    for (uint32_t i = 0; i < count; i++)
        memcpy(body + sizeof fields + i * entry_size, &entries[i], sizeof entries[i]);
    mbi_add_tag(b, MB2_TAG_MMAP, body, sizeof fields + entry_size * count);
}

static void mbi_add_end(struct mbi_builder *b)
{
    mbi_add_tag(b, MB2_TAG_END, NULL, 0);
}

/* Copy the structure into a malloc'd buffer of exactly total_size bytes (at least
 * the 8-byte header) and write total_size into the header. free() it when done. */
static void *mbi_finish(const struct mbi_builder *b, uint32_t total_size)
{
    size_t buffer_size =
        total_size > sizeof(struct mb2_info_header) ? total_size : sizeof(struct mb2_info_header);
    uint8_t *mbi = malloc(buffer_size);
    memcpy(mbi, b->bytes, buffer_size < b->size ? buffer_size : b->size);
    if (buffer_size > b->size)
        memset(mbi + b->size, 0, buffer_size - b->size);
    struct mb2_info_header header = { .total_size = total_size };
    memcpy(mbi, &header, sizeof header);
    return mbi;
}

/* Finish with total_size covering exactly what was built, parse, free. */
static enum bootinfo_error parse_built(const struct mbi_builder *b, uint32_t total_size)
{
    struct boot_info info;
    void *mbi = mbi_finish(b, total_size);
    enum bootinfo_error error = bootinfo_parse(mbi, MBI_PHYS, &info);
    free(mbi);
    return error;
}

#define CHECK_ERROR(actual, expected)                                                              \
    CHECK((actual) == (expected), "got %d (%s), expected %d (%s)", (int)(actual),                  \
          bootinfo_error_string(actual), (int)(expected), bootinfo_error_string(expected))

/* ---- a complete, valid structure ---- */

static const struct mb2_mmap_entry full_map[] = {
    { .base_addr = 0, .length = 0x9fc00, .type = MB2_MEMORY_AVAILABLE },
    { .base_addr = 0xf0000, .length = 0x10000, .type = MB2_MEMORY_RESERVED },
    { .base_addr = 0x100000, .length = 127 * MIB, .type = MB2_MEMORY_AVAILABLE },
};

/* Command line, loader name, two modules and a three-entry memory map. */
static void build_full(struct mbi_builder *b, uint32_t entry_size)
{
    mbi_begin(b);
    mbi_add_string(b, MB2_TAG_CMDLINE, "test panic=poweroff");
    mbi_add_string(b, MB2_TAG_BOOTLOADER_NAME, "GRUB 2.12");
    mbi_add_module(b, 0x200000, 0x201234, "init");
    mbi_add_module(b, 0x300000, 0x300100, "data --flag");
    mbi_add_mmap(b, entry_size, full_map, 3);
    mbi_add_end(b);
}

TEST(bootinfo_full_mbi_parses_header_fields)
{
    struct mbi_builder b;
    struct boot_info info;
    build_full(&b, ENTRY_SIZE_V0);
    void *mbi = mbi_finish(&b, b.size);
    CHECK_ERROR(bootinfo_parse(mbi, MBI_PHYS, &info), BOOTINFO_OK);
    CHECK_EQ(info.mbi_phys, MBI_PHYS);
    CHECK_EQ(info.mbi_size, b.size);
    free(mbi);
}

TEST(bootinfo_full_mbi_parses_strings)
{
    struct mbi_builder b;
    struct boot_info info;
    build_full(&b, ENTRY_SIZE_V0);
    void *mbi = mbi_finish(&b, b.size);
    CHECK_ERROR(bootinfo_parse(mbi, MBI_PHYS, &info), BOOTINFO_OK);
    CHECK_STR(info.cmdline, "test panic=poweroff");
    CHECK_STR(info.loader_name, "GRUB 2.12");
    free(mbi);
}

TEST(bootinfo_full_mbi_parses_modules)
{
    struct mbi_builder b;
    struct boot_info info;
    build_full(&b, ENTRY_SIZE_V0);
    void *mbi = mbi_finish(&b, b.size);
    CHECK_ERROR(bootinfo_parse(mbi, MBI_PHYS, &info), BOOTINFO_OK);
    CHECK_EQ(info.module_count, 2);
    CHECK_EQ(info.modules_dropped, 0);
    CHECK_EQ(info.modules[0].start, 0x200000);
    CHECK_EQ(info.modules[0].end, 0x201234);
    CHECK_STR(info.modules[0].name, "init");
    CHECK_EQ(info.modules[1].start, 0x300000);
    CHECK_EQ(info.modules[1].end, 0x300100);
    CHECK_STR(info.modules[1].name, "data --flag");
    free(mbi);
}

/* The three regions of full_map, exactly. */
static void check_full_regions(const struct boot_info *info)
{
    CHECK_EQ(info->region_count, 3);
    CHECK_EQ(info->regions_dropped, 0);
    for (size_t i = 0; i < 3 && i < info->region_count; i++) {
        CHECK(info->regions[i].start == full_map[i].base_addr &&
                  info->regions[i].length == full_map[i].length &&
                  info->regions[i].type == full_map[i].type,
              "region %zu: got start 0x%llx length 0x%llx type %u, expected 0x%llx 0x%llx %u", i,
              (unsigned long long)info->regions[i].start,
              (unsigned long long)info->regions[i].length, info->regions[i].type,
              (unsigned long long)full_map[i].base_addr, (unsigned long long)full_map[i].length,
              full_map[i].type);
    }
}

TEST(bootinfo_full_mbi_parses_memory_map)
{
    struct mbi_builder b;
    struct boot_info info;
    build_full(&b, ENTRY_SIZE_V0);
    void *mbi = mbi_finish(&b, b.size);
    CHECK_ERROR(bootinfo_parse(mbi, MBI_PHYS, &info), BOOTINFO_OK);
    check_full_regions(&info);
    free(mbi);
}

TEST(bootinfo_mmap_steps_by_larger_entry_size)
{
    /* a later format may add fields: the parser must step by entry_size, not 24 */
    struct mbi_builder b;
    struct boot_info info;
    build_full(&b, ENTRY_SIZE_BIG);
    void *mbi = mbi_finish(&b, b.size);
    CHECK_ERROR(bootinfo_parse(mbi, MBI_PHYS, &info), BOOTINFO_OK);
    check_full_regions(&info);
    free(mbi);
}

TEST(bootinfo_mmap_ignores_trailing_partial_entry)
{
    /* 1 whole entry and 8 stray bytes: the stray bytes are not an entry */
    struct mbi_builder b;
    struct boot_info info;
    uint8_t body[8 + ENTRY_SIZE_V0 + 8];
    uint32_t fields[2] = { ENTRY_SIZE_V0, 0 };
    memset(body, 0, sizeof body);
    memcpy(body, fields, sizeof fields);
    memcpy(body + 8, &full_map[2], sizeof full_map[2]);
    mbi_begin(&b);
    mbi_add_tag(&b, MB2_TAG_MMAP, body, sizeof body);
    mbi_add_end(&b);
    void *mbi = mbi_finish(&b, b.size);
    CHECK_ERROR(bootinfo_parse(mbi, MBI_PHYS, &info), BOOTINFO_OK);
    CHECK_EQ(info.region_count, 1);
    CHECK_EQ(info.regions[0].start, full_map[2].base_addr);
    free(mbi);
}

TEST(bootinfo_end_tag_only_gives_empty_info)
{
    struct mbi_builder b;
    struct boot_info info;
    mbi_begin(&b);
    mbi_add_end(&b);
    void *mbi = mbi_finish(&b, b.size);
    CHECK_ERROR(bootinfo_parse(mbi, MBI_PHYS, &info), BOOTINFO_OK);
    CHECK_STR(info.cmdline, ""); /* "" rather than NULL when the tag is absent */
    CHECK_STR(info.loader_name, "");
    CHECK_EQ(info.region_count, 0);
    CHECK_EQ(info.module_count, 0);
    free(mbi);
}

TEST(bootinfo_unknown_tags_skipped)
{
    struct mbi_builder b;
    struct boot_info info;
    uint32_t meminfo[2] = { 639, 130048 };
    uint32_t load_base = 0x200000; /* a 12-byte tag: the next one starts after 4 bytes of padding */
    mbi_begin(&b);
    mbi_add_tag(&b, MB2_TAG_BASIC_MEMINFO, meminfo, sizeof meminfo);
    mbi_add_tag(&b, TAG_TYPE_LOAD_BASE, &load_base, sizeof load_base);
    mbi_add_tag(&b, TAG_TYPE_MADE_UP, NULL, 0);
    mbi_add_string(&b, MB2_TAG_CMDLINE, "after");
    mbi_add_end(&b);
    void *mbi = mbi_finish(&b, b.size);
    CHECK_ERROR(bootinfo_parse(mbi, MBI_PHYS, &info), BOOTINFO_OK);
    CHECK_STR(info.cmdline, "after");
    free(mbi);
}

TEST(bootinfo_stops_at_end_tag)
{
    /* whatever lies after the end tag (here a tag of size 0) is not looked at */
    struct mbi_builder b;
    struct boot_info info;
    mbi_begin(&b);
    mbi_add_end(&b);
    mbi_add_raw_tag(&b, MB2_TAG_CMDLINE, 0, NULL, 0);
    void *mbi = mbi_finish(&b, b.size);
    CHECK_ERROR(bootinfo_parse(mbi, MBI_PHYS, &info), BOOTINFO_OK);
    CHECK_STR(info.cmdline, "");
    free(mbi);
}

/* ---- capacity ---- */

TEST(bootinfo_regions_capped_and_dropped_counted)
{
    enum { ENTRIES = BOOT_MAX_REGIONS + 6 };
    struct mb2_mmap_entry map[ENTRIES];
    for (int i = 0; i < ENTRIES; i++)
        map[i] = (struct mb2_mmap_entry){ .base_addr = (uint64_t)i * 0x1000,
                                          .length = 0x1000,
                                          .type = MB2_MEMORY_AVAILABLE };
    struct mbi_builder b;
    struct boot_info info;
    mbi_begin(&b);
    mbi_add_mmap(&b, ENTRY_SIZE_V0, map, ENTRIES);
    mbi_add_end(&b);
    void *mbi = mbi_finish(&b, b.size);
    CHECK_ERROR(bootinfo_parse(mbi, MBI_PHYS, &info), BOOTINFO_OK);
    CHECK_EQ(info.region_count, BOOT_MAX_REGIONS);
    CHECK_EQ(info.regions_dropped, 6);
    /* the first BOOT_MAX_REGIONS entries are the ones kept */
    CHECK_EQ(info.regions[BOOT_MAX_REGIONS - 1].start, (BOOT_MAX_REGIONS - 1) * 0x1000ull);
    free(mbi);
}

TEST(bootinfo_modules_capped_and_dropped_counted)
{
    struct mbi_builder b;
    struct boot_info info;
    mbi_begin(&b);
    for (uint32_t i = 0; i < BOOT_MAX_MODULES + 2; i++)
        mbi_add_module(&b, i * 0x1000, i * 0x1000 + 0x800, "m");
    mbi_add_end(&b);
    void *mbi = mbi_finish(&b, b.size);
    CHECK_ERROR(bootinfo_parse(mbi, MBI_PHYS, &info), BOOTINFO_OK);
    CHECK_EQ(info.module_count, BOOT_MAX_MODULES);
    CHECK_EQ(info.modules_dropped, 2);
    CHECK_EQ(info.modules[BOOT_MAX_MODULES - 1].start, (BOOT_MAX_MODULES - 1) * 0x1000ull);
    free(mbi);
}

/* ---- each error ---- */

TEST(bootinfo_error_total_size_too_small)
{
    /* the header plus an end tag (16 bytes) is the least a valid structure has */
    struct mbi_builder b;
    mbi_begin(&b);
    mbi_add_end(&b);
    CHECK_ERROR(parse_built(&b, 0), BOOTINFO_TOO_SMALL);
    CHECK_ERROR(parse_built(&b, 8), BOOTINFO_TOO_SMALL);
    CHECK_ERROR(parse_built(&b, 15), BOOTINFO_TOO_SMALL);
    CHECK_ERROR(parse_built(&b, 16), BOOTINFO_OK);
}

TEST(bootinfo_error_tag_overruns_total_size)
{
    /* a 20-byte command-line tag, but total_size leaves only 16 bytes for it */
    struct mbi_builder b;
    mbi_begin(&b);
    mbi_add_string(&b, MB2_TAG_CMDLINE, "hello world");
    mbi_add_end(&b);
    CHECK_ERROR(parse_built(&b, 8 + 16), BOOTINFO_TAG_OVERRUN);
}

TEST(bootinfo_error_end_tag_overruns_total_size)
{
    struct mbi_builder b;
    mbi_begin(&b);
    mbi_add_raw_tag(&b, MB2_TAG_END, 16, NULL, 0); /* claims 16 bytes, 8 are there */
    CHECK_ERROR(parse_built(&b, b.size), BOOTINFO_TAG_OVERRUN);
}

TEST(bootinfo_error_tag_size_below_header)
{
    struct mbi_builder b;
    mbi_begin(&b);
    mbi_add_raw_tag(&b, TAG_TYPE_MADE_UP, 4, NULL, 0);
    mbi_add_end(&b);
    CHECK_ERROR(parse_built(&b, b.size), BOOTINFO_TAG_TOO_SMALL);
}

TEST(bootinfo_error_tag_size_zero)
{
    /* size 0 would never advance: it must be an error, not an endless loop */
    struct mbi_builder b;
    mbi_begin(&b);
    mbi_add_raw_tag(&b, TAG_TYPE_MADE_UP, 0, NULL, 0);
    mbi_add_end(&b);
    CHECK_ERROR(parse_built(&b, b.size), BOOTINFO_TAG_TOO_SMALL);
}

TEST(bootinfo_error_missing_end_tag)
{
    struct mbi_builder b;
    mbi_begin(&b);
    mbi_add_string(&b, MB2_TAG_CMDLINE, "test");
    mbi_add_tag(&b, TAG_TYPE_MADE_UP, NULL, 0);
    CHECK_ERROR(parse_built(&b, b.size), BOOTINFO_NO_END_TAG);
}

TEST(bootinfo_error_truncated_end_tag)
{
    /* total_size ends 4 bytes into the end tag: too short to be a tag at all */
    struct mbi_builder b;
    mbi_begin(&b);
    mbi_add_string(&b, MB2_TAG_CMDLINE, "test");
    mbi_add_end(&b);
    CHECK_ERROR(parse_built(&b, b.size - 4), BOOTINFO_NO_END_TAG);
}

TEST(bootinfo_error_last_tag_padding_past_end)
{
    /* a 12-byte tag that ends total_size: its padding (and any end tag) lies outside */
    struct mbi_builder b;
    uint32_t load_base = 0x200000;
    mbi_begin(&b);
    mbi_add_tag(&b, TAG_TYPE_LOAD_BASE, &load_base, sizeof load_base);
    mbi_add_end(&b);
    CHECK_ERROR(parse_built(&b, 8 + 12), BOOTINFO_NO_END_TAG);
}

TEST(bootinfo_error_unterminated_cmdline)
{
    struct mbi_builder b;
    mbi_begin(&b);
    mbi_add_tag(&b, MB2_TAG_CMDLINE, "test", 4); /* no zero byte */
    mbi_add_end(&b);
    CHECK_ERROR(parse_built(&b, b.size), BOOTINFO_BAD_STRING);
}

TEST(bootinfo_error_unterminated_loader_name)
{
    struct mbi_builder b;
    mbi_begin(&b);
    mbi_add_tag(&b, MB2_TAG_BOOTLOADER_NAME, "GRUB", 4);
    mbi_add_end(&b);
    CHECK_ERROR(parse_built(&b, b.size), BOOTINFO_BAD_STRING);
}

TEST(bootinfo_error_string_zero_in_padding_does_not_count)
{
    /* tag size 11 ("abc"): the zero after it is padding, outside the tag */
    struct mbi_builder b;
    mbi_begin(&b);
    mbi_add_tag(&b, MB2_TAG_CMDLINE, "abc", 3);
    mbi_add_end(&b);
    CHECK_ERROR(parse_built(&b, b.size), BOOTINFO_BAD_STRING);
}

TEST(bootinfo_error_string_tag_without_room_for_string)
{
    struct mbi_builder b;
    mbi_begin(&b);
    mbi_add_tag(&b, MB2_TAG_CMDLINE, NULL, 0); /* size 8: not even the zero byte */
    mbi_add_end(&b);
    CHECK_ERROR(parse_built(&b, b.size), BOOTINFO_BAD_STRING);
}

TEST(bootinfo_error_module_tag_too_small)
{
    /* 12 bytes: mod_start but no mod_end */
    struct mbi_builder b;
    uint32_t start = 0x200000;
    mbi_begin(&b);
    mbi_add_tag(&b, MB2_TAG_MODULE, &start, sizeof start);
    mbi_add_end(&b);
    CHECK_ERROR(parse_built(&b, b.size), BOOTINFO_TAG_TOO_SMALL);
}

TEST(bootinfo_error_module_without_name)
{
    /* 16 bytes: both addresses, but no room for the name's zero byte */
    struct mbi_builder b;
    uint32_t range[2] = { 0x200000, 0x201000 };
    mbi_begin(&b);
    mbi_add_tag(&b, MB2_TAG_MODULE, range, sizeof range);
    mbi_add_end(&b);
    CHECK_ERROR(parse_built(&b, b.size), BOOTINFO_BAD_STRING);
}

TEST(bootinfo_error_module_name_unterminated)
{
    struct mbi_builder b;
    uint8_t body[12];
    uint32_t range[2] = { 0x200000, 0x201000 };
    memcpy(body, range, sizeof range);
    memcpy(body + 8, "init", 4);
    mbi_begin(&b);
    mbi_add_tag(&b, MB2_TAG_MODULE, body, sizeof body);
    mbi_add_end(&b);
    CHECK_ERROR(parse_built(&b, b.size), BOOTINFO_BAD_STRING);
}

TEST(bootinfo_error_mmap_tag_too_small)
{
    /* 12 bytes: entry_size but no entry_version */
    struct mbi_builder b;
    uint32_t entry_size = ENTRY_SIZE_V0;
    mbi_begin(&b);
    mbi_add_tag(&b, MB2_TAG_MMAP, &entry_size, sizeof entry_size);
    mbi_add_end(&b);
    CHECK_ERROR(parse_built(&b, b.size), BOOTINFO_TAG_TOO_SMALL);
}

TEST(bootinfo_error_mmap_entry_size_too_small)
{
    struct mbi_builder b;
    mbi_begin(&b);
    mbi_add_mmap(&b, 20, full_map, 1); /* 4 bytes short of base, length, type, reserved */
    mbi_add_end(&b);
    CHECK_ERROR(parse_built(&b, b.size), BOOTINFO_BAD_MMAP_ENTRY);
}

TEST(bootinfo_error_mmap_entry_size_zero)
{
    /* entry_size 0 would never advance: it must be an error, not an endless loop */
    struct mbi_builder b;
    uint32_t fields[2] = { 0, 0 };
    mbi_begin(&b);
    mbi_add_tag(&b, MB2_TAG_MMAP, fields, sizeof fields);
    mbi_add_end(&b);
    CHECK_ERROR(parse_built(&b, b.size), BOOTINFO_BAD_MMAP_ENTRY);
}

/* ---- the helpers around the parser ---- */

TEST(bootinfo_total_of_type_sums_lengths)
{
    struct mbi_builder b;
    struct boot_info info;
    build_full(&b, ENTRY_SIZE_V0);
    void *mbi = mbi_finish(&b, b.size);
    CHECK_ERROR(bootinfo_parse(mbi, MBI_PHYS, &info), BOOTINFO_OK);
    CHECK_EQ(bootinfo_total_of_type(&info, MB2_MEMORY_AVAILABLE), 0x9fc00 + 127 * MIB);
    CHECK_EQ(bootinfo_total_of_type(&info, MB2_MEMORY_RESERVED), 0x10000);
    CHECK_EQ(bootinfo_total_of_type(&info, MB2_MEMORY_BADRAM), 0);
    free(mbi);
}

TEST(bootinfo_region_type_names)
{
    CHECK_STR(bootinfo_region_type_name(MB2_MEMORY_AVAILABLE), "usable");
    CHECK_STR(bootinfo_region_type_name(MB2_MEMORY_RESERVED), "reserved");
    CHECK_STR(bootinfo_region_type_name(MB2_MEMORY_ACPI_RECLAIMABLE), "ACPI reclaimable");
    CHECK_STR(bootinfo_region_type_name(MB2_MEMORY_NVS), "ACPI NVS");
    CHECK_STR(bootinfo_region_type_name(MB2_MEMORY_BADRAM), "defective");
    CHECK_STR(bootinfo_region_type_name(0), "unknown");
    CHECK_STR(bootinfo_region_type_name(77), "unknown");
}

TEST(bootinfo_error_strings_distinct)
{
    /* every error has its own message, so a panic line says which check failed */
    for (int a = BOOTINFO_OK; a <= BOOTINFO_BAD_MMAP_ENTRY; a++) {
        const char *text = bootinfo_error_string((enum bootinfo_error)a);
        CHECK(strcmp(text, "unknown error") != 0, "error %d has no message", a);
        for (int c = a + 1; c <= BOOTINFO_BAD_MMAP_ENTRY; c++)
            CHECK(strcmp(text, bootinfo_error_string((enum bootinfo_error)c)) != 0,
                  "errors %d and %d share the message \"%s\"", a, c, text);
    }
    CHECK_STR(bootinfo_error_string(BOOTINFO_OK), "ok");
    CHECK_STR(bootinfo_error_string((enum bootinfo_error)99), "unknown error");
}
