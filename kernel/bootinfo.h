/*
 * bootinfo.h — what the boot loader told us, checked and in plain C structures.
 *
 * bootinfo_parse() walks the multiboot2 tags once and validates every size and
 * offset, so that the rest of the kernel never reads the raw format. It does no
 * output and no allocation, so tests can feed it hand-made (and broken) input.
 */
#ifndef KERNEL_BOOTINFO_H
#define KERNEL_BOOTINFO_H

#include <stddef.h>
#include <stdint.h>

#define BOOT_MAX_REGIONS 64
#define BOOT_MAX_MODULES 32

struct boot_region {
    uint64_t start;  /* physical, inclusive */
    uint64_t length; /* bytes */
    uint32_t type;   /* enum mb2_memory_type */
};

struct boot_module {
    uint64_t start, end; /* physical, end exclusive */
    const char *name;    /* the text after the path in grub.cfg's module2 line */
};

struct boot_info {
    uint64_t mbi_phys; /* where the multiboot2 structure itself lies */
    uint32_t mbi_size;
    const char *cmdline;     /* "" if none */
    const char *loader_name; /* "" if none */
    size_t region_count;
    struct boot_region regions[BOOT_MAX_REGIONS];
    size_t module_count;
    struct boot_module modules[BOOT_MAX_MODULES];
    size_t regions_dropped; /* entries beyond BOOT_MAX_REGIONS, if any */
    size_t modules_dropped;
};

enum bootinfo_error {
    BOOTINFO_OK = 0,
    BOOTINFO_TOO_SMALL,      /* total_size below the header plus an end tag */
    BOOTINFO_TAG_OVERRUN,    /* a tag's size runs past total_size */
    BOOTINFO_TAG_TOO_SMALL,  /* a tag smaller than its fixed fields */
    BOOTINFO_NO_END_TAG,     /* the tags end without a type-0 tag */
    BOOTINFO_BAD_STRING,     /* a string not terminated inside its tag */
    BOOTINFO_BAD_MMAP_ENTRY, /* memory-map entry_size smaller than an entry */
};

/* What this boot's loader passed, parsed by kmain before anything else uses it. */
extern struct boot_info boot_info;

/* Parse the multiboot2 structure at mbi (readable memory), whose physical address
 * is mbi_phys, into *info. On error *info is partially filled and must not be used. */
enum bootinfo_error bootinfo_parse(const void *mbi, uint64_t mbi_phys, struct boot_info *info);

/* A short description of an error, for messages. */
const char *bootinfo_error_string(enum bootinfo_error error);

/* "usable", "reserved", "ACPI reclaimable", ... */
const char *bootinfo_region_type_name(uint32_t type);

/* Total bytes of regions of the given type. */
uint64_t bootinfo_total_of_type(const struct boot_info *info, uint32_t type);

#endif
