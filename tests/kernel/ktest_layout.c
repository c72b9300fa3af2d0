/*
 * ktest_layout.c — the kernel's own page tables, read back and checked against
 * the layout of mm/kernel_pt.h: nothing in the lower half (no identity map, no
 * page 0), no user bit on any kernel page, W^X on every kernel page, the image's
 * sections with their permissions, the direct map, and the CPU protections on.
 */
#include "kernel/bootinfo.h"
#include "kernel/ktest.h"
#include "kernel/multiboot2.h"
#include "kernel/x86.h"
#include "mm/kernel_pt.h"
#include "mm/kvmap.h"
#include "mm/pt.h"

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_end[];

struct leaf_census {
    uint64_t leaves, user, writable_and_executable, not_global;
    vaddr_t first_bad;
};

static vaddr_t sign_extend(vaddr_t va)
{
    return (va & (1ul << 47)) ? va | 0xffff000000000000ul : va;
}

/* Visit every present leaf under a table, counting rule breakers. */
static void census(paddr_t table, enum pt_level level, vaddr_t base, struct leaf_census *c)
{
    const pte_t *entries = phys_to_virt(table);
    for (unsigned i = 0; i < PT_ENTRIES; i++) {
        pte_t e = entries[i];
        vaddr_t va = sign_extend(base + i * pt_level_span(level));
        if (!pte_present(e))
            continue;
        if (level > PT_LEVEL_PT && !pte_huge(e)) {
            census(pte_frame(e), level - 1, va, c);
            continue;
        }
        bool bad = false;
        c->leaves++;
        if (pte_user(e))
            c->user++, bad = true;
        if (pte_writable(e) && pte_executable(e))
            c->writable_and_executable++, bad = true;
        if (!pte_global(e))
            c->not_global++, bad = true;
        if (bad && c->first_bad == 0)
            c->first_bad = va;
    }
}

KTEST(layout_lower_half_is_empty)
{
    /* no identity map left from boot, nothing at address 0, no user memory */
    const pte_t *pml4 = phys_to_virt(kernel_root());
    unsigned present = 0;
    for (unsigned i = 0; i < PT_ENTRIES / 2; i++)
        present += pte_present(pml4[i]);
    KEXPECT_EQ(present, 0);
    paddr_t pa;
    KEXPECT(!pt_translate(kernel_root(), 0, &pa), "address 0 is mapped");
    KEXPECT(!pt_translate(kernel_root(), 0x100000, &pa), "the boot identity map is still there");
}

KTEST(layout_every_kernel_page_is_supervisor_global_and_w_xor_x)
{
    struct leaf_census c = { 0 };
    census(kernel_root(), PT_LEVEL_PML4, 0, &c);
    KEXPECT(c.leaves > 0, "no kernel mappings found");
    KEXPECT(c.user == 0, "%lu kernel pages carry the user bit (first at 0x%lx)", c.user,
            c.first_bad);
    KEXPECT(c.writable_and_executable == 0, "%lu pages are writable and executable (first 0x%lx)",
            c.writable_and_executable, c.first_bad);
    KEXPECT(c.not_global == 0, "%lu kernel pages are not global (first 0x%lx)", c.not_global,
            c.first_bad);
}

/* Every page of [start, end) is mapped with exactly the wanted W and X. */
static void check_section(const char *name, const char *start, const char *end, bool writable,
                          bool executable)
{
    for (vaddr_t va = (vaddr_t)start; va < (vaddr_t)end; va += PAGE_SIZE) {
        struct pt_walk walk;
        if (!KEXPECT(pt_walk(kernel_root(), va, &walk) && walk.level == PT_LEVEL_PT,
                     "%s page 0x%lx is not mapped with a 4 KiB page", name, va))
            return;
        pte_t e = *walk.entry;
        if (!KEXPECT(pte_writable(e) == writable && pte_executable(e) == executable,
                     "%s page 0x%lx has flags 0x%lx", name, va, pte_flags(e)))
            return;
        paddr_t pa;
        pt_translate(kernel_root(), va, &pa);
        if (!KEXPECT(pa == va - KERNEL_VMA, "%s page 0x%lx maps 0x%lx", name, va, pa))
            return;
    }
}

KTEST(layout_image_sections_have_their_permissions)
{
    check_section("text", __text_start, __text_end, false, true);
    check_section("rodata", __rodata_start, __rodata_end, false, false);
    check_section("data/bss", __data_start, __bss_end, true, false);
}

/* The last byte of the highest usable region of the memory map. */
static paddr_t top_of_ram(void)
{
    paddr_t top = 0;
    for (size_t i = 0; i < boot_info.region_count; i++) {
        const struct boot_region *r = &boot_info.regions[i];
        if (r->type == MB2_MEMORY_AVAILABLE && r->start + r->length - 1 > top)
            top = r->start + r->length - 1;
    }
    return top;
}

KTEST(layout_direct_map_covers_ram_read_write_no_execute)
{
    /* VGA memory, the kernel image, its last byte, and the top of RAM */
    paddr_t samples[] = { 0xb8000, 0x100000, (paddr_t)__bss_end - KERNEL_VMA - 8,
                          align_down(top_of_ram(), 8) };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        paddr_t pa = 0;
        struct pt_walk walk;
        KEXPECT(pt_translate(kernel_root(), DIRECT_MAP_BASE + samples[i], &pa) && pa == samples[i],
                "direct map of 0x%lx gives 0x%lx", samples[i], pa);
        pt_walk(kernel_root(), DIRECT_MAP_BASE + samples[i], &walk);
        KEXPECT(pte_writable(*walk.entry) && !pte_executable(*walk.entry), "direct map entry 0x%lx",
                *walk.entry);
    }
}

KTEST(layout_cpu_enforces_the_protections)
{
    KEXPECT(read_cr0() & CR0_WP, "CR0.WP is off: the kernel could write read-only pages");
    KEXPECT(rdmsr(MSR_EFER) & EFER_NXE, "EFER.NXE is off: NX bits are ignored");
    KEXPECT(read_cr4() & CR4_PGE, "global pages are off");
    struct cpu_protections p = kernel_pt_protections();
    uint32_t features = cpuid(7, 0).ebx;
    KEXPECT(p.smep == !!(features & CPUID7_EBX_SMEP) && p.smap == !!(features & CPUID7_EBX_SMAP),
            "SMEP/SMAP not used as the CPU offers them");
    KEXPECT(!(features & CPUID7_EBX_SMEP) || (read_cr4() & CR4_SMEP), "SMEP offered but off");
    KEXPECT(!(features & CPUID7_EBX_SMAP) || (read_cr4() & CR4_SMAP), "SMAP offered but off");
    KEXPECT_EQ(pt_current_root(), kernel_root());
}

KTEST(layout_tests_run_on_a_guarded_kernel_stack)
{
    uint64_t rsp;
    __asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
    KEXPECT(kvmap_contains(KVMAP_STACKS, rsp), "rsp 0x%lx is not in the kernel stack area", rsp);
    vaddr_t page = align_down(rsp, PAGE_SIZE);
    int steps = 0;
    while (kvmap_guard_owner(page) == NULL && steps++ < KSTACK_PAGES)
        page -= PAGE_SIZE;
    paddr_t pa;
    KEXPECT(kvmap_guard_owner(page) != NULL, "no guard page within %d pages below rsp",
            KSTACK_PAGES);
    KEXPECT(!pt_translate(kernel_root(), page, &pa), "the guard page 0x%lx is mapped", page);
}
