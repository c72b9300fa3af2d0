/*
 * bootinfo_print.c — the boot-time table of what the boot loader told us.
 */
#include "bootinfo_print.h"

#include "multiboot2.h"
#include "lib/format.h"
#include "printk.h"

#define KIB ((uint64_t)1024)
#define MIB (1024 * KIB)
#define GIB (1024 * MIB)

/* "123 B", "639 KiB", "126.9 MiB", "3.0 GiB": one decimal from MiB up. */
static void print_size(uint64_t bytes, int width)
{
    char buf[32];
    if (bytes >= GIB)
        snprintf(buf, sizeof buf, "%lu.%lu GiB", bytes / GIB, (bytes % GIB) * 10 / GIB);
    else if (bytes >= MIB)
        snprintf(buf, sizeof buf, "%lu.%lu MiB", bytes / MIB, (bytes % MIB) * 10 / MIB);
    else if (bytes >= KIB)
        snprintf(buf, sizeof buf, "%lu KiB", bytes / KIB);
    else
        snprintf(buf, sizeof buf, "%lu B", bytes);
    kinfo("%*s", width, buf);
}

static void print_memory_map(const struct boot_info *info)
{
    kinfo("Memory map (%zu regions):\n", info->region_count);
    kinfo("  %-18s  %-18s  %10s  %s\n", "start", "end", "size", "type");
    for (size_t i = 0; i < info->region_count; i++) {
        const struct boot_region *r = &info->regions[i];
        kinfo("  0x%016lx  0x%016lx  ", r->start, r->start + r->length);
        print_size(r->length, 10);
        kinfo("  %s\n", bootinfo_region_type_name(r->type));
    }
    if (info->regions_dropped > 0)
        kinfo("  (%zu more regions not recorded)\n", info->regions_dropped);

    uint64_t usable = bootinfo_total_of_type(info, MB2_MEMORY_AVAILABLE);
    uint64_t all = 0;
    for (size_t i = 0; i < info->region_count; i++)
        all += info->regions[i].length;
    kinfo("  total usable:   ");
    print_size(usable, 10);
    kinfo("  (%lu bytes)\n", usable);
    kinfo("  total reserved: ");
    print_size(all - usable, 10);
    kinfo("  (%lu bytes)\n", all - usable);
}

static void print_modules(const struct boot_info *info)
{
    kinfo("Modules: %zu\n", info->module_count);
    for (size_t i = 0; i < info->module_count; i++) {
        const struct boot_module *m = &info->modules[i];
        kinfo("  0x%08lx-0x%08lx  %8lu bytes  %s\n", m->start, m->end, m->end - m->start, m->name);
    }
}

void bootinfo_print(const struct boot_info *info)
{
    kinfo("Boot loader:  %s\n", info->loader_name);
    kinfo("Command line: \"%s\"\n", info->cmdline);
    kinfo("Boot info:    %u bytes at physical 0x%lx\n", info->mbi_size, info->mbi_phys);
    print_memory_map(info);
    print_modules(info);
}
