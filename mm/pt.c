/*
 * pt.c — the four-level page tables of x86-64.
 *
 * To translate a virtual address the CPU starts at the table whose physical
 * address is in CR3 (the PML4) and uses 9 bits of the address at each level to
 * pick an entry; each entry holds the physical address of the next table, and the
 * last one (a PT entry) the frame. Worked example for va = 0x0000000000603123:
 *
 *   PML4 index = bits 47..39 = 0      PDPT index = bits 38..30 = 0
 *   PD index   = bits 29..21 = 3      PT index   = bits 20..12 = 3
 *   offset     = bits 11..0  = 0x123
 *   CR3 -> PML4[0] -> PDPT[0] -> PD[3] -> PT[3] -> frame, + 0x123
 *
 * A PDPT or PD entry with the PS bit maps a 1 GiB or 2 MiB page itself and ends
 * the walk early (the kernel's direct map uses 2 MiB pages).
 *
 * Each table's struct page counts its present entries (table_used), so unmapping
 * can tell when a table became empty and give its frame back.
 */
#include "pt.h"

#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "lib/format.h"
#include "anon_rmap.h"
#include "page_cache.h"
#include "pmm.h"
#include "swap_slots.h"

static const char *const level_names[] = { "", "PT", "PD", "PDPT", "PML4" };

static pte_t *table_at(paddr_t table)
{
    return phys_to_virt(table);
}

/* The physical address of the table an entry pointer lies in. */
static paddr_t table_containing(const pte_t *entry)
{
    return virt_to_phys((const void *)align_down((uint64_t)entry, PAGE_SIZE));
}

static void count_entry(const pte_t *entry, int delta)
{
    struct page *table = pmm_page(table_containing(entry));
    assert(table != NULL && table->use == FRAME_PAGE_TABLE,
           "page table at 0x%lx is not a page-table frame", table_containing(entry));
    table->table_used += delta;
    assert(table->table_used <= PT_ENTRIES, "table 0x%lx: %u entries in use",
           table_containing(entry), table->table_used);
}

/* Flags of an entry pointing at a lower table: permissive, the leaf decides. */
static uint64_t table_entry_flags(vaddr_t va)
{
    return PTE_PRESENT | PTE_WRITABLE | (va < USER_SPACE_END ? PTE_USER : 0);
}

/* TLB: the CPU caches translations. After changing an entry, drop the cached copy
 * for va if the change can be visible: the address space is the current one, or va
 * is in the kernel half, which every address space shares. */
static void flush(paddr_t root, vaddr_t va)
{
    if (va >= KERNEL_SPACE_BASE || root == pt_current_root())
        invlpg(va);
}

paddr_t pt_current_root(void)
{
    return read_cr3() & PTE_FRAME_MASK;
}

void pt_activate(paddr_t root)
{
    write_cr3(root);
}

paddr_t pt_create_root(void)
{
    return pmm_alloc(FRAME_PAGE_TABLE); /* zeroed: no entry present */
}

void pt_share_kernel_half(paddr_t root, paddr_t kernel_root)
{
    pte_t *to = table_at(root);
    const pte_t *from = table_at(kernel_root);
    for (unsigned i = PT_ENTRIES / 2; i < PT_ENTRIES; i++)
        to[i] = from[i]; /* not counted in table_used: these tables are not ours */
}

/* A leaf entry of a table being destroyed lets go of what it holds: its frame
 * (and the frame's reverse-map record) or its swap slot; a lost page's holds
 * nothing. */
static void release_leaf(paddr_t root, vaddr_t va, pte_t e)
{
    if (pte_is_lost(e))
        return;
    if (pte_is_swap(e)) {
        swap_slot_put(pte_swap_slot(e));
        return;
    }
    anon_rmap_remove(pte_frame(e), root, va);
    page_cache_entry_gone(e); /* a store through it makes a file page dirty */
    pmm_unref(pte_frame(e));  /* the mapping's reference on the frame */
}

/* Free a user table and everything below it; level is the table's own level. */
static void destroy_table(paddr_t root, paddr_t table, enum pt_level level, vaddr_t base)
{
    pte_t *entries = table_at(table);
    for (unsigned i = 0; i < PT_ENTRIES; i++) {
        pte_t e = entries[i];
        vaddr_t va = base + i * pt_level_span(level);
        if (!pte_in_use(e))
            continue;
        if (level == PT_LEVEL_PT)
            release_leaf(root, va, e);
        else
            destroy_table(root, pte_frame(e), level - 1, va);
    }
    pmm_free(table);
}

void pt_destroy_user(paddr_t root)
{
    pte_t *pml4 = table_at(root);
    for (unsigned i = 0; i < PT_ENTRIES / 2; i++) {
        if (pte_present(pml4[i]))
            destroy_table(root, pte_frame(pml4[i]), PT_LEVEL_PDPT,
                          (vaddr_t)i * pt_level_span(PT_LEVEL_PML4));
    }
    pmm_free(root);
}

/* Call visit(frame, ctx) for the table at level and every table below it, in
 * address order (the table first, then its children). */
static void visit_tables(paddr_t table, enum pt_level level, void (*visit)(paddr_t, void *),
                         void *ctx)
{
    visit(table, ctx);
    if (level == PT_LEVEL_PT)
        return;
    const pte_t *entries = table_at(table);
    uint32_t left = pmm_page(table)->table_used;
    for (unsigned i = 0; i < PT_ENTRIES && left > 0; i++) {
        if (!pte_present(entries[i]))
            continue;
        left--;
        if (!pte_huge(entries[i]))
            visit_tables(pte_frame(entries[i]), level - 1, visit, ctx);
    }
}

void pt_for_each_user_table(paddr_t root, void (*visit)(paddr_t table, void *ctx), void *ctx)
{
    visit(root, ctx);
    const pte_t *pml4 = table_at(root);
    for (unsigned i = 0; i < PT_ENTRIES / 2; i++) {
        if (pte_present(pml4[i]))
            visit_tables(pte_frame(pml4[i]), PT_LEVEL_PDPT, visit, ctx);
    }
}

static void count_one_table(paddr_t table, void *ctx)
{
    (void)table;
    (*(uint64_t *)ctx)++;
}

uint64_t pt_count_user_tables(paddr_t root)
{
    uint64_t count = 0;
    pt_for_each_user_table(root, count_one_table, &count);
    return count;
}

/* ASSIGNMENT(pt-walk): the descent through the four levels, stopping at a
 * missing entry or a large page. Checked by tests/kernel/ktest_pt.c. */
bool pt_walk(paddr_t root, vaddr_t va, struct pt_walk *walk)
{
    paddr_t table = root;
    for (enum pt_level level = PT_LEVEL_PML4;; level--) {
        walk->level = level;
        walk->index[level] = pt_index(va, level);
        walk->entry = &table_at(table)[walk->index[level]];
        pte_t e = *walk->entry;
        if (!pte_present(e))
            return false;
        if (level == PT_LEVEL_PT || pte_huge(e))
            return true;
        table = pte_frame(e);
    }
}

/* The entry for va at target level, creating missing tables above it if asked.
 * NULL if a table is missing (and not created), or a large page is in the way. */
static pte_t *lookup(paddr_t root, vaddr_t va, enum pt_level target, bool create)
{
    paddr_t table = root;
    for (enum pt_level level = PT_LEVEL_PML4; level > target; level--) {
        pte_t *e = &table_at(table)[pt_index(va, level)];
        if (!pte_present(*e)) {
            if (!create)
                return NULL;
            paddr_t new_table = pmm_alloc(FRAME_PAGE_TABLE);
            if (new_table == PMM_NO_FRAME)
                return NULL;
            *e = pte_make(new_table, table_entry_flags(va));
            count_entry(e, +1);
        } else if (pte_huge(*e)) {
            return NULL;
        }
        table = pte_frame(*e);
    }
    return &table_at(table)[pt_index(va, target)];
}

pte_t *pt_lookup(paddr_t root, vaddr_t va)
{
    return lookup(root, va, PT_LEVEL_PT, false);
}

static int set_leaf(paddr_t root, vaddr_t va, paddr_t pa, uint64_t flags, enum pt_level level)
{
    assert(is_canonical(va), "pt_map: non-canonical address 0x%lx", va);
    assert((va & (pt_level_span(level) - 1)) == 0 && (pa & (pt_level_span(level) - 1)) == 0,
           "pt_map: 0x%lx -> 0x%lx not aligned to %lu bytes", va, pa, pt_level_span(level));
    pte_t *e = lookup(root, va, level, true);
    if (e == NULL)
        return -ENOMEM;
    if (pte_in_use(*e))
        return -EEXIST; /* a frame, or a swap entry: swap-in replaces those itself */
    if (va < USER_SPACE_END && level == PT_LEVEL_PT && anon_rmap_add(pa, root, va) != 0)
        return -ENOMEM; /* (the tables made on the way stay: empty, reused later) */
    *e = pte_make(pa, flags | PTE_PRESENT | (level > PT_LEVEL_PT ? PTE_HUGE : 0));
    count_entry(e, +1);
    flush(root, va); /* a not-present entry may still be cached as "not present" */
    return 0;
}

int pt_map(paddr_t root, vaddr_t va, paddr_t pa, uint64_t flags)
{
    return set_leaf(root, va, pa, flags, PT_LEVEL_PT);
}

int pt_map_large(paddr_t root, vaddr_t va, paddr_t pa, uint64_t flags)
{
    return set_leaf(root, va, pa, flags, PT_LEVEL_PD);
}

/* Kernel-half PDPTs are shared by every address space (their PML4 entries are
 * copied into each new one), so they must outlive any emptiness. */
static bool table_may_be_freed(vaddr_t va, enum pt_level level)
{
    return level < PT_LEVEL_PML4 && !(level == PT_LEVEL_PDPT && va >= KERNEL_SPACE_BASE);
}

/* ASSIGNMENT(pt-unmap): clear the leaf, then free the tables it leaves empty,
 * bottom up, keeping table_used exact. ktest_pt.c counts the page-table frames. */
pte_t pt_unmap(paddr_t root, vaddr_t va)
{
    pte_t *path[5]; /* path[level]: the entry used at that level */
    paddr_t table = root;
    for (enum pt_level level = PT_LEVEL_PML4; level >= PT_LEVEL_PT; level--) {
        path[level] = &table_at(table)[pt_index(va, level)];
        if (level == PT_LEVEL_PT ? !pte_in_use(*path[level]) : !pte_present(*path[level]))
            return 0;
        assert(level == PT_LEVEL_PT || !pte_huge(*path[level]),
               "pt_unmap: 0x%lx lies in a large page (%s entry %lx)", va, level_names[level],
               *path[level]);
        table = pte_frame(*path[level]);
    }

    pte_t old = *path[PT_LEVEL_PT];
    *path[PT_LEVEL_PT] = 0;
    count_entry(path[PT_LEVEL_PT], -1);
    if (pte_holds_frame(old))
        anon_rmap_remove(pte_frame(old), root, va);

    /* Walk back up: a table left with no entries is unlinked from its parent
     * and its frame returned. */
    for (enum pt_level level = PT_LEVEL_PT; table_may_be_freed(va, level); level++) {
        paddr_t empty = table_containing(path[level]);
        if (pmm_page(empty)->table_used != 0)
            break;
        *path[level + 1] = 0;
        count_entry(path[level + 1], -1);
        pmm_free(empty);
    }
    flush(root, va); /* also drops cached upper-level entries for va */
    return old;
}

bool pt_protect(paddr_t root, vaddr_t va, uint64_t flags)
{
    pte_t *e = pt_lookup(root, va);
    if (e == NULL || !pte_holds_frame(*e))
        return false;
    /* keep the frame, what the CPU recorded (accessed, dirty), and a use in this
     * working-set window that a policy moved out of A: a page used and then
     * mprotected was still used */
    *e = pte_make(pte_frame(*e),
                  flags | PTE_PRESENT | (*e & (PTE_ACCESSED | PTE_DIRTY | PTE_WS_USED)));
    flush(root, va);
    return true;
}

int pt_replace(paddr_t root, vaddr_t va, paddr_t frame, uint64_t flags, pte_t *old)
{
    pte_t *e = pt_lookup(root, va);
    if (e == NULL || !pte_holds_frame(*e))
        return -ENOENT;
    if (anon_rmap_replace(pte_frame(*e), frame, root, va) != 0)
        return -ENOMEM;
    *old = *e;
    *e = pte_make(frame, flags | PTE_PRESENT); /* one store: never a moment unmapped */
    flush(root, va);
    return 0;
}

pte_t pt_set_swap(paddr_t root, vaddr_t va, paddr_t frame, uint64_t slot)
{
    pte_t *e = pt_lookup(root, va);
    if (e == NULL || !pte_holds_frame(*e) || pte_frame(*e) != frame)
        return 0;
    pte_t old = *e;
    *e = pte_make_swap(slot); /* still in use: table_used does not change */
    if (old & (PTE_ACCESSED | PTE_WS_USED))
        *e |= PTE_WS_USED; /* used in this working-set window: it still counts */
    anon_rmap_remove(frame, root, va);
    flush(root, va);
    return old;
}

int pt_swap_in(paddr_t root, vaddr_t va, uint64_t slot, paddr_t frame, uint64_t flags)
{
    pte_t *e = pt_lookup(root, va);
    if (e == NULL || !pte_is_swap(*e) || pte_swap_slot(*e) != slot)
        return -EAGAIN;
    if (anon_rmap_add(frame, root, va) != 0)
        return -ENOMEM;
    *e = pte_make(frame, flags | PTE_PRESENT) | (*e & PTE_WS_USED);
    flush(root, va); /* a not-present entry may be cached as "not present" */
    return 0;
}

pte_t pt_swap_lost(paddr_t root, vaddr_t va, uint64_t slot)
{
    pte_t *e = pt_lookup(root, va);
    if (e == NULL || !pte_is_swap(*e) || pte_swap_slot(*e) != slot)
        return 0; /* (a swap entry may carry PTE_WS_USED besides its slot) */
    pte_t old = *e;
    *e = pte_make_lost(); /* still in use: table_used does not change */
    return old;           /* not present before or after: no TLB entry to flush */
}

int pt_map_swap(paddr_t root, vaddr_t va, pte_t swap_entry)
{
    assert(pte_is_swap(swap_entry) || pte_is_lost(swap_entry),
           "pt_map_swap: 0x%lx is not a swap entry", swap_entry);
    pte_t *e = lookup(root, va, PT_LEVEL_PT, true);
    if (e == NULL)
        return -ENOMEM;
    if (pte_in_use(*e))
        return -EEXIST;
    *e = swap_entry;
    count_entry(e, +1);
    return 0;
}

/* Clear one of the bits the CPU sets in a present entry mapping frame (accessed,
 * dirty); true if it was set. */
static bool clear_cpu_bit(paddr_t root, vaddr_t va, paddr_t frame, pte_t bit)
{
    pte_t *e = pt_lookup(root, va);
    if (e == NULL || !pte_present(*e) || pte_frame(*e) != frame || !(*e & bit))
        return false;
    *e &= ~bit;
    if (bit == PTE_ACCESSED)
        *e |= PTE_WS_USED; /* the working-set sampler still counts this use */
    flush(root, va);       /* or the CPU would not set it again: its TLB entry has it */
    return true;
}

bool pt_clear_dirty(paddr_t root, vaddr_t va, paddr_t frame)
{
    return clear_cpu_bit(root, va, frame, PTE_DIRTY);
}

bool pt_clear_accessed(paddr_t root, vaddr_t va, paddr_t frame)
{
    return clear_cpu_bit(root, va, frame, PTE_ACCESSED);
}

void pt_invalidate(paddr_t root, vaddr_t va)
{
    flush(root, va);
}

/* Copy the entries of one page table (those for [va, end) within it). */
static long clone_table(pte_t *from, paddr_t to_root, vaddr_t va, vaddr_t end, bool private)
{
    long copied = 0;
    pte_t *to = NULL; /* the child's page table for these addresses, made on first use */
    bool out_of_memory = false;
    for (unsigned i = pt_index(va, PT_LEVEL_PT); i < PT_ENTRIES && va < end; i++, va += PAGE_SIZE) {
        pte_t e = from[i];
        if (!pte_in_use(e))
            continue;
        if (to == NULL) {
            pte_t *slot = lookup(to_root, va, PT_LEVEL_PT, true);
            if (slot == NULL)
                return -ENOMEM;
            to = slot - i;
        }
        if (pte_is_swap(e)) {
            swap_slot_dup(pte_swap_slot(e)); /* both name the slot now */
        } else if (pte_is_lost(e)) {
            /* the child's copy is lost too (and SIGBUS there), as on Linux */
        } else {
            if (anon_rmap_add(pte_frame(e), to_root, va) != 0) {
                out_of_memory = true; /* what was copied stays, counted below */
                break;
            }
            if (private && pte_writable(e))
                from[i] = e = e & ~PTE_WRITABLE; /* copy-on-write: read-only on both sides */
            pmm_ref(pte_frame(e));
        }
        to[i] = e;
        copied++;
    }
    if (to != NULL)
        count_entry(to, (int)copied); /* the child's table: one update for all */
    if (out_of_memory)
        return -ENOMEM;
    return copied;
}

long pt_clone_range(paddr_t from, paddr_t to, vaddr_t start, vaddr_t end, bool private)
{
    long copied = 0;
    vaddr_t va = start;
    while (va < end) {
        struct pt_walk walk;
        pt_walk(from, va, &walk);
        uint64_t span = pt_level_span(walk.level);
        vaddr_t table_end = align_down(va, pt_level_span(PT_LEVEL_PD)) + pt_level_span(PT_LEVEL_PD);
        if (walk.level != PT_LEVEL_PT) {
            va = align_down(va, span) + span; /* no page table here: nothing to copy */
            continue;
        }
        long n = clone_table(walk.entry - walk.index[PT_LEVEL_PT], to, va,
                             end < table_end ? end : table_end, private);
        if (n < 0)
            return n;
        copied += n;
        va = table_end;
    }
    if (private && from == pt_current_root())
        write_cr3(read_cr3()); /* one flush for every entry made read-only */
    return copied;
}

/* The first page in [from, end) whose entry passes keep (skipping missing tables). */
static bool next_entry(paddr_t root, vaddr_t from, vaddr_t end, bool (*keep)(pte_t),
                       vaddr_t *found);

bool pt_next_present(paddr_t root, vaddr_t from, vaddr_t end, vaddr_t *found)
{
    return next_entry(root, from, end, pte_holds_frame, found);
}

bool pt_next_used(paddr_t root, vaddr_t from, vaddr_t end, vaddr_t *found)
{
    return next_entry(root, from, end, pte_in_use, found);
}

static bool next_entry(paddr_t root, vaddr_t from, vaddr_t end, bool (*keep)(pte_t), vaddr_t *found)
{
    vaddr_t va = align_down(from, PAGE_SIZE);
    while (va < end) {
        struct pt_walk walk;
        pt_walk(root, va, &walk);
        if (walk.level == PT_LEVEL_PT) {
            /* in a page table: look along it, entry by entry, without new walks */
            const pte_t *e = walk.entry;
            for (unsigned i = walk.index[PT_LEVEL_PT]; i < PT_ENTRIES && va < end; i++, e++) {
                if (keep(*e)) {
                    *found = va;
                    return true;
                }
                va += PAGE_SIZE;
            }
            continue;
        }
        /* nothing at this level (or a large page, not a 4 KiB entry): jump past
         * everything this entry maps */
        uint64_t span = pt_level_span(walk.level);
        va = align_down(va, span) + span;
    }
    return false;
}

void pt_for_each_used(paddr_t root, vaddr_t from, vaddr_t end,
                      void (*visit)(void *ctx, vaddr_t va, pte_t entry), void *ctx)
{
    vaddr_t va = align_down(from, PAGE_SIZE);
    while (va < end) {
        struct pt_walk walk;
        pt_walk(root, va, &walk);
        if (walk.level != PT_LEVEL_PT) {
            /* nothing at this level, or a large page: past everything it maps */
            uint64_t span = pt_level_span(walk.level);
            va = align_down(va, span) + span;
            continue;
        }
        /* along the page table, entry by entry, to its end (or end) */
        const pte_t *e = walk.entry;
        for (unsigned i = walk.index[PT_LEVEL_PT]; i < PT_ENTRIES && va < end; i++, e++) {
            if (pte_in_use(*e))
                visit(ctx, va, *e);
            va += PAGE_SIZE;
        }
    }
}

bool pt_protect_none(paddr_t root, vaddr_t va)
{
    pte_t *e = pt_lookup(root, va);
    if (e == NULL || !pte_holds_frame(*e))
        return false;
    page_cache_entry_gone(*e); /* a store made through it is still to be written back */
    *e = pte_make(pte_frame(*e), PTE_PROTNONE); /* every access faults; the frame stays */
    flush(root, va);
    return true;
}

bool pt_translate(paddr_t root, vaddr_t va, paddr_t *pa)
{
    struct pt_walk walk;
    if (!pt_walk(root, va, &walk))
        return false;
    uint64_t span = pt_level_span(walk.level);
    *pa = (pte_frame(*walk.entry) & ~(span - 1)) + (va & (span - 1));
    return true;
}

const char *pte_flags_string(pte_t e, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s%s%s%s%s%s%s", pte_present(e) ? "P" : "-",
             pte_writable(e) ? " W" : "", pte_user(e) ? " U" : "", pte_executable(e) ? "" : " NX",
             pte_accessed(e) ? " A" : "", pte_dirty(e) ? " D" : "", pte_global(e) ? " G" : "",
             pte_huge(e) ? " PS" : "", pte_ws_used(e) ? " ws_used" : "");
    return buf;
}

void pt_dump(paddr_t root, vaddr_t va)
{
    struct pt_walk walk;
    bool mapped = pt_walk(root, va, &walk);
    kprintf("0x%016lx: ", va);
    for (enum pt_level level = PT_LEVEL_PML4; level >= walk.level; level--)
        kprintf("%s%s[%u]", level == PT_LEVEL_PML4 ? "" : " -> ", level_names[level],
                walk.index[level]);
    if (!mapped) {
        kprintf(" -> not present\n");
        return;
    }
    char flags[40];
    pte_t e = *walk.entry;
    if (walk.level == PT_LEVEL_PT)
        kprintf(" -> frame 0x%lx", pte_frame(e));
    else
        kprintf(" -> %lu MiB page at 0x%lx", pt_level_span(walk.level) >> 20,
                pte_frame(e) & ~(pt_level_span(walk.level) - 1));
    kprintf(", flags %s\n", pte_flags_string(e, flags, sizeof flags));
}

/* The working-set sample of table (at level): count
 * the entries used since the last sample (A or PTE_WS_USED; a swap entry keeps
 * PTE_WS_USED if its page was used before reclaim took it) and clear both; an A
 * bit taken here goes to note_used. *cleared is set if an A bit was. */
static uint64_t sample_table(paddr_t table, enum pt_level level, void (*note_used)(paddr_t frame),
                             bool *cleared)
{
    pte_t *entries = table_at(table);
    uint64_t used = 0;
    uint32_t left = pmm_page(table)->table_used;
    unsigned end = level == PT_LEVEL_PML4 ? PT_ENTRIES / 2 : PT_ENTRIES; /* the user half */
    for (unsigned i = 0; i < end && left > 0; i++) {
        pte_t e = entries[i];
        if (!pte_in_use(e))
            continue;
        left--;
        if (!pte_present(e) && !pte_is_swap(e))
            continue; /* PROT_NONE: the CPU cannot use it */
        if (level != PT_LEVEL_PT) {
            if (!pte_huge(e))
                used += sample_table(pte_frame(e), level - 1, note_used, cleared);
            continue;
        }
        if (!(e & (PTE_ACCESSED | PTE_WS_USED)))
            continue;
        used++;
        entries[i] = e & ~(PTE_ACCESSED | PTE_WS_USED);
        if (e & PTE_ACCESSED) {
            note_used(pte_frame(e));
            *cleared = true;
        }
    }
    return used;
}

uint64_t pt_sample_used(paddr_t root, void (*note_used)(paddr_t frame))
{
    bool cleared = false;
    uint64_t used = sample_table(root, PT_LEVEL_PML4, note_used, &cleared);
    if (cleared && root == pt_current_root())
        pt_activate(root); /* one reload flushes the TLB's copies of every A bit cleared */
    return used;
}
