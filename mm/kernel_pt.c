/*
 * kernel_pt.c — building the kernel's page tables at boot.
 *
 * The boot tables (boot/entry32.asm) map 4 GiB three times with writable,
 * executable 2 MiB pages: enough to start, but with no protection at all. Here we
 * build the real ones with frames from the allocator, switch CR3 to them, and only
 * then ask the CPU to enforce the permissions (CR0.WP, SMEP, SMAP).
 */
#include "kernel_pt.h"

#include "kernel/multiboot2.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "pt.h"

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_end[];

static paddr_t root;
static struct cpu_protections protections;

paddr_t kernel_root(void)
{
    return root;
}

static bool is_ram(uint32_t type)
{
    return type == MB2_MEMORY_AVAILABLE || type == MB2_MEMORY_ACPI_RECLAIMABLE ||
           type == MB2_MEMORY_NVS;
}

static void map_direct_chunk(paddr_t chunk)
{
    paddr_t already;
    if (pt_translate(root, DIRECT_MAP_BASE + chunk, &already))
        return; /* two regions share this 2 MiB chunk */
    if (pt_map_large(root, DIRECT_MAP_BASE + chunk, chunk, PTE_WRITABLE | PTE_NX | PTE_GLOBAL) != 0)
        panic("kernel_pt: out of memory building the direct map at 0x%lx", chunk);
}

/* Every 2 MiB chunk that holds RAM, and the first one (BIOS data, VGA memory). */
static void map_direct(const struct boot_info *info)
{
    map_direct_chunk(0);
    for (size_t i = 0; i < info->region_count; i++) {
        const struct boot_region *r = &info->regions[i];
        if (!is_ram(r->type))
            continue;
        paddr_t end = align_up(r->start + r->length, LARGE_PAGE_SIZE);
        for (paddr_t c = align_down(r->start, LARGE_PAGE_SIZE); c < end; c += LARGE_PAGE_SIZE)
            map_direct_chunk(c);
    }
}

static void map_section(const char *start, const char *end, uint64_t flags)
{
    for (vaddr_t va = (vaddr_t)start; va < align_up((vaddr_t)end, PAGE_SIZE); va += PAGE_SIZE) {
        if (pt_map(root, va, va - KERNEL_VMA, flags | PTE_GLOBAL) != 0)
            panic("kernel_pt: cannot map the kernel image at 0x%lx", va);
    }
}

/* W^X: text is executable but not writable; everything else is no-execute. */
static void map_kernel_image(void)
{
    map_section(__text_start, __text_end, 0);
    map_section(__rodata_start, __rodata_end, PTE_NX);
    map_section(__data_start, __bss_end, PTE_WRITABLE | PTE_NX);
}

static void enable_protections(void)
{
    write_cr0(read_cr0() | CR0_WP); /* read-only pages bind the kernel too */
    uint64_t cr4 = read_cr4() | CR4_PGE;
    protections =
        (struct cpu_protections){ .nx = true, .write_protect = true, .global_pages = true };
    if (cpuid(0, 0).eax >= 7) {
        uint32_t features = cpuid(7, 0).ebx;
        protections.smep = features & CPUID7_EBX_SMEP;
        protections.smap = features & CPUID7_EBX_SMAP;
    }
    if (protections.smep)
        cr4 |= CR4_SMEP; /* the kernel may never execute user memory */
    if (protections.smap)
        cr4 |= CR4_SMAP; /* ...nor touch it except through mm/uaccess */
    write_cr4(cr4);
}

void kernel_pt_init(const struct boot_info *info)
{
    root = pt_create_root();
    assert(root != 0, "kernel_pt: no frame for the PML4");
    map_direct(info);
    map_kernel_image();
    pt_activate(root);
    enable_protections();
    kinfo(
        "Kernel page tables: PML4 at 0x%lx; NX %s, CR0.WP %s, global pages %s, SMEP %s, SMAP %s\n",
        root, protections.nx ? "on" : "off", protections.write_protect ? "on" : "off",
        protections.global_pages ? "on" : "off", protections.smep ? "on" : "off",
        protections.smap ? "on" : "off");
}

void *kernel_map_device(paddr_t start, uint64_t size)
{
    paddr_t end = align_up(start + size, LARGE_PAGE_SIZE);
    for (paddr_t c = align_down(start, LARGE_PAGE_SIZE); c < end; c += LARGE_PAGE_SIZE) {
        paddr_t already;
        if (pt_translate(root, DIRECT_MAP_BASE + c, &already))
            continue;
        /* the kernel-half tables are shared by every address space, so this
         * mapping appears in all of them at once */
        if (pt_map_large(root, DIRECT_MAP_BASE + c, c,
                         PTE_WRITABLE | PTE_NX | PTE_GLOBAL | PTE_NOCACHE) != 0)
            return NULL;
    }
    return phys_to_virt(start);
}

struct cpu_protections kernel_pt_protections(void)
{
    return protections;
}

const char *kernel_section_name(vaddr_t va)
{
    if (va >= (vaddr_t)__text_start && va < align_up((vaddr_t)__text_end, PAGE_SIZE))
        return "kernel text";
    if (va >= (vaddr_t)__rodata_start && va < align_up((vaddr_t)__rodata_end, PAGE_SIZE))
        return "kernel read-only data";
    if (va >= (vaddr_t)__data_start && va < align_up((vaddr_t)__bss_end, PAGE_SIZE))
        return "kernel data/bss";
    return NULL;
}
