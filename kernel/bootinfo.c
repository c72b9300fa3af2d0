/*
 * bootinfo.c — a careful reader for multiboot2 boot information.
 *
 * Nothing the boot loader wrote is trusted: every tag must fit inside total_size,
 * be at least as large as its fixed fields, and hold its strings terminated.
 */
#include "bootinfo.h"

#include <stdbool.h>

#include "lib/string.h"
#include "multiboot2.h"

static uint32_t align_up8(uint32_t n)
{
    return (n + MB2_TAG_ALIGN - 1) & ~(uint32_t)(MB2_TAG_ALIGN - 1);
}

/* A string field from offset `at` to the end of the tag must contain its zero. */
static bool string_fits(const struct mb2_tag *tag, uint32_t at)
{
    const char *s = (const char *)tag + at;
    return at < tag->size && memchr(s, '\0', tag->size - at) != NULL;
}

static enum bootinfo_error parse_string(const struct mb2_tag *tag, const char **out)
{
    if (!string_fits(tag, sizeof(struct mb2_tag_string)))
        return BOOTINFO_BAD_STRING;
    *out = ((const struct mb2_tag_string *)tag)->string;
    return BOOTINFO_OK;
}

static enum bootinfo_error parse_module(const struct mb2_tag *tag, struct boot_info *info)
{
    const struct mb2_tag_module *m = (const struct mb2_tag_module *)tag;
    if (tag->size < sizeof *m)
        return BOOTINFO_TAG_TOO_SMALL;
    if (!string_fits(tag, sizeof *m))
        return BOOTINFO_BAD_STRING;
    if (info->module_count == BOOT_MAX_MODULES) {
        info->modules_dropped++;
        return BOOTINFO_OK;
    }
    info->modules[info->module_count++] =
        (struct boot_module){ .start = m->mod_start, .end = m->mod_end, .name = m->string };
    return BOOTINFO_OK;
}

static enum bootinfo_error parse_mmap(const struct mb2_tag *tag, struct boot_info *info)
{
    const struct mb2_tag_mmap *map = (const struct mb2_tag_mmap *)tag;
    if (tag->size < sizeof *map)
        return BOOTINFO_TAG_TOO_SMALL;
    if (map->entry_size < sizeof(struct mb2_mmap_entry))
        return BOOTINFO_BAD_MMAP_ENTRY;

    const uint8_t *p = (const uint8_t *)map + sizeof *map;
    const uint8_t *end = (const uint8_t *)map + map->size;
    for (; (size_t)(end - p) >= map->entry_size; p += map->entry_size) {
        struct mb2_mmap_entry e;
        memcpy(&e, p, sizeof e); /* entries need not be 8-byte aligned */
        if (info->region_count == BOOT_MAX_REGIONS) {
            info->regions_dropped++;
            continue;
        }
        info->regions[info->region_count++] =
            (struct boot_region){ .start = e.base_addr, .length = e.length, .type = e.type };
    }
    return BOOTINFO_OK;
}

static enum bootinfo_error parse_tag(const struct mb2_tag *tag, struct boot_info *info)
{
    switch (tag->type) {
    case MB2_TAG_CMDLINE: return parse_string(tag, &info->cmdline);
    case MB2_TAG_BOOTLOADER_NAME: return parse_string(tag, &info->loader_name);
    case MB2_TAG_MODULE: return parse_module(tag, info);
    case MB2_TAG_MMAP: return parse_mmap(tag, info);
    default: return BOOTINFO_OK; /* tags we do not need are skipped */
    }
}

enum bootinfo_error bootinfo_parse(const void *mbi, uint64_t mbi_phys, struct boot_info *info)
{
    const struct mb2_info_header *header = mbi;
    *info = (struct boot_info){ .mbi_phys = mbi_phys, .cmdline = "", .loader_name = "" };
    if (header->total_size < sizeof *header + sizeof(struct mb2_tag))
        return BOOTINFO_TOO_SMALL;
    info->mbi_size = header->total_size;

    uint32_t offset = sizeof *header;
    while (header->total_size - offset >= sizeof(struct mb2_tag)) {
        const struct mb2_tag *tag = (const struct mb2_tag *)((const uint8_t *)mbi + offset);
        if (tag->size < sizeof *tag)
            return BOOTINFO_TAG_TOO_SMALL;
        if (tag->size > header->total_size - offset)
            return BOOTINFO_TAG_OVERRUN;
        if (tag->type == MB2_TAG_END)
            return BOOTINFO_OK;
        enum bootinfo_error error = parse_tag(tag, info);
        if (error != BOOTINFO_OK)
            return error;
        if (align_up8(tag->size) > header->total_size - offset)
            break; /* padding would step past the end: no end tag */
        offset += align_up8(tag->size);
    }
    return BOOTINFO_NO_END_TAG;
}

const char *bootinfo_error_string(enum bootinfo_error error)
{
    switch (error) {
    case BOOTINFO_OK: return "ok";
    case BOOTINFO_TOO_SMALL: return "total size too small";
    case BOOTINFO_TAG_OVERRUN: return "a tag runs past the end";
    case BOOTINFO_TAG_TOO_SMALL: return "a tag is smaller than its fields";
    case BOOTINFO_NO_END_TAG: return "no end tag";
    case BOOTINFO_BAD_STRING: return "a string is not terminated inside its tag";
    case BOOTINFO_BAD_MMAP_ENTRY: return "memory-map entry size too small";
    }
    return "unknown error";
}

const char *bootinfo_region_type_name(uint32_t type)
{
    switch (type) {
    case MB2_MEMORY_AVAILABLE: return "usable";
    case MB2_MEMORY_RESERVED: return "reserved";
    case MB2_MEMORY_ACPI_RECLAIMABLE: return "ACPI reclaimable";
    case MB2_MEMORY_NVS: return "ACPI NVS";
    case MB2_MEMORY_BADRAM: return "defective";
    default: return "unknown";
    }
}

uint64_t bootinfo_total_of_type(const struct boot_info *info, uint32_t type)
{
    uint64_t total = 0;
    for (size_t i = 0; i < info->region_count; i++) {
        if (info->regions[i].type == type)
            total += info->regions[i].length;
    }
    return total;
}
