/*
 * multiboot2.h — the boot-information format a multiboot2 loader (GRUB) hands over.
 *
 * EBX at entry holds the physical address of this structure:
 *
 *   u32 total_size | u32 reserved | tag | tag | ... | end tag (type 0, size 8)
 *
 * Each tag starts with u32 type and u32 size (size counts the header, not the
 * padding); the next tag starts at the next 8-byte boundary.
 * See the Multiboot2 specification, section 3.6.
 */
#ifndef KERNEL_MULTIBOOT2_H
#define KERNEL_MULTIBOOT2_H

#include <stdint.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289 /* in EAX when a multiboot2 loader started us */
#define MB2_TAG_ALIGN        8

enum mb2_tag_type {
    MB2_TAG_END = 0,
    MB2_TAG_CMDLINE = 1,
    MB2_TAG_BOOTLOADER_NAME = 2,
    MB2_TAG_MODULE = 3,
    MB2_TAG_BASIC_MEMINFO = 4,
    MB2_TAG_MMAP = 6,
};

enum mb2_memory_type {
    MB2_MEMORY_AVAILABLE = 1,
    MB2_MEMORY_RESERVED = 2,
    MB2_MEMORY_ACPI_RECLAIMABLE = 3,
    MB2_MEMORY_NVS = 4,
    MB2_MEMORY_BADRAM = 5,
};

struct mb2_info_header {
    uint32_t total_size;
    uint32_t reserved;
};

struct mb2_tag {
    uint32_t type;
    uint32_t size;
};

struct mb2_tag_string { /* command line, boot loader name */
    uint32_t type;
    uint32_t size;
    char string[]; /* zero-terminated */
};

struct mb2_tag_module {
    uint32_t type;
    uint32_t size;
    uint32_t mod_start; /* physical, inclusive */
    uint32_t mod_end;   /* physical, exclusive */
    char string[];      /* the rest of the module's line in grub.cfg */
};

struct mb2_mmap_entry {
    uint64_t base_addr;
    uint64_t length;
    uint32_t type; /* enum mb2_memory_type */
    uint32_t reserved;
};

struct mb2_tag_mmap {
    uint32_t type;
    uint32_t size;
    uint32_t entry_size; /* may grow in later versions: step by this, not sizeof */
    uint32_t entry_version;
    /* entries follow */
};

#endif
