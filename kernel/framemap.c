/*
 * framemap.c — classifying every physical frame, with a reverse map recomputed
 * from the page tables.
 *
 * Two passes:
 *   1. from the frame allocator alone: reserved frames split by what lies there
 *      (kernel image, boot modules, the kernel's own data, or nothing of ours),
 *      free frames, kernel frames, the zero page;
 *   2. from every address space (each once: a vfork child borrows its parent's):
 *      its page-table frames get its pid, each entry holding a frame adds a
 *      mapping and a pid; then each user frame's class follows from its mappings.
 */
#include "framemap.h"

#include "bootinfo.h"
#include "mm/as_walk.h"
#include "mm/fault.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "mm/object.h"
#include "mm/page_cache.h"
#include "mm/vma.h"
#include "proc.h"

extern char __kernel_phys_start[], __kernel_phys_end[];

#define KERNEL_PID 0 /* the owner of the kernel's own page tables */

static const struct {
    char letter;
    const char *name;
} classes[FRAME_CLASS_COUNT] = {
    [FRAME_CLASS_RESERVED] = { 'R', "reserved" },
    [FRAME_CLASS_KERNEL_IMAGE] = { 'I', "kernel image" },
    [FRAME_CLASS_BOOT_MODULE] = { 'M', "boot module" },
    [FRAME_CLASS_KERNEL] = { 'K', "kernel" },
    [FRAME_CLASS_PAGE_TABLE] = { 'P', "page table" },
    [FRAME_CLASS_ZERO_PAGE] = { 'Z', "zero page" },
    [FRAME_CLASS_USER] = { 'U', "user" },
    [FRAME_CLASS_COW_SHARED] = { 'C', "COW-shared" },
    [FRAME_CLASS_SHARED_MEMORY] = { 'S', "shared memory" },
    [FRAME_CLASS_FREE] = { 'F', "free" },
};

char frame_class_letter(enum frame_class class)
{
    return class < FRAME_CLASS_COUNT ? classes[class].letter : '?';
}

const char *frame_class_name(enum frame_class class)
{
    return class < FRAME_CLASS_COUNT ? classes[class].name : "?";
}

static bool frame_in(paddr_t frame, paddr_t start, paddr_t end)
{
    return frame + PAGE_SIZE > start && frame < end;
}

/* What a reserved frame holds: the allocator only knows it is not to be used. */
static enum frame_class reserved_class(paddr_t frame)
{
    if (frame_in(frame, (paddr_t)__kernel_phys_start, (paddr_t)__kernel_phys_end))
        return FRAME_CLASS_KERNEL_IMAGE;
    for (size_t i = 0; i < boot_info.module_count; i++) {
        if (frame_in(frame, boot_info.modules[i].start, boot_info.modules[i].end))
            return FRAME_CLASS_BOOT_MODULE;
    }
    paddr_t array = virt_to_phys(pmm_pages);
    if (frame_in(frame, array, array + pmm_page_count * sizeof(struct page)) ||
        frame_in(frame, boot_info.mbi_phys, boot_info.mbi_phys + boot_info.mbi_size))
        return FRAME_CLASS_KERNEL; /* the page array, the boot information */
    return FRAME_CLASS_RESERVED;
}

/* Pass 1: the class the allocator's record gives; user frames are decided in
 * pass 2, once their mappings are counted. */
static enum frame_class allocator_class(pfn_t pfn, paddr_t zero_page)
{
    const struct page *page = &pmm_pages[pfn];
    if (page->state == PAGE_FREE)
        return FRAME_CLASS_FREE;
    if (page->state != PAGE_IN_USE)
        return reserved_class(pfn_to_paddr(pfn));
    if (pfn_to_paddr(pfn) == zero_page)
        return FRAME_CLASS_ZERO_PAGE;
    switch (page->use) {
    case FRAME_PAGE_TABLE: return FRAME_CLASS_PAGE_TABLE;
    case FRAME_USER: return FRAME_CLASS_USER;
    default: return FRAME_CLASS_KERNEL;
    }
}

struct walk_state {
    struct framemap *map;
    int pid;
};

static struct frame_owner *owner_of(struct framemap *map, paddr_t frame)
{
    pfn_t pfn = paddr_to_pfn(frame);
    return pfn < map->frames ? &map->owners[pfn] : NULL;
}

/* Note that pid uses the frame: the first two different pids are kept. */
static void add_pid(struct frame_owner *o, int pid)
{
    if (o->pid == FRAME_NO_PID || o->pid == pid)
        o->pid = pid;
    else if (o->pid2 == FRAME_NO_PID || o->pid2 == pid)
        o->pid2 = pid;
    else
        o->flags |= FRAME_MORE_PIDS;
}

static void note_table(void *ctx, paddr_t frame)
{
    struct walk_state *w = ctx;
    struct frame_owner *o = owner_of(w->map, frame);
    if (o != NULL)
        o->pid = w->pid; /* tables are never shared between address spaces */
}

static void note_page(void *ctx, const struct mapping *m)
{
    struct walk_state *w = ctx;
    struct frame_owner *o = owner_of(w->map, m->frame);
    if (o == NULL || o->class == FRAME_CLASS_ZERO_PAGE)
        return; /* the zero page is everyone's: its mappers are not listed */
    if (o->mappings < UINT16_MAX)
        o->mappings++;
    if (m->vma->flags & VMA_SHARED)
        o->flags |= FRAME_SHARED_REGION;
    add_pid(o, w->pid);
}

static void note_shared_frame(void *ctx, paddr_t frame)
{
    struct walk_state *w = ctx;
    struct frame_owner *o = owner_of(w->map, frame);
    if (o != NULL)
        o->flags |= FRAME_SHARED_REGION;
}

/* A shared anonymous region's object may hold frames no entry maps (yet, or any
 * more). (A file's cached pages are shown by how they are mapped.) */
static void note_object(void *ctx, const struct mem_object *object)
{
    if (object->ops->keep_pages)
        page_cache_for_each_of(object, note_shared_frame, ctx);
}

/* Pass 2 for one address space. */
static void walk_space(struct framemap *map, struct addr_space *as, int pid)
{
    struct walk_state w = { .map = map, .pid = pid };
    struct as_visitor visitor = {
        .page = note_page, .table = note_table, .object = note_object, .ctx = &w
    };
    as_walk(as, &visitor);
}

/* Every live address space once, with the pid of the first process using it. */
static void walk_processes(struct framemap *map)
{
    struct addr_space *seen[MAX_PROCS];
    size_t count = 0;
    for (int slot = 0; slot < MAX_PROCS; slot++) {
        struct proc *p = proc_at(slot);
        if (p == NULL || p->as == NULL)
            continue;
        bool walked = false;
        for (size_t i = 0; i < count; i++)
            walked |= seen[i] == p->as;
        if (walked)
            continue; /* a vfork child, borrowing its parent's memory */
        seen[count++] = p->as;
        walk_space(map, p->as, p->pid);
    }
}

/* A user frame's class from its mappings:
 *   in a MAP_SHARED region (or its object)   -> shared memory
 *   several entries of private regions       -> COW-shared (fork made them read-only)
 *   one entry, or none (being set up)        -> user */
static enum frame_class user_class(const struct frame_owner *o)
{
    if (o->flags & FRAME_SHARED_REGION)
        return FRAME_CLASS_SHARED_MEMORY;
    if (o->mappings > 1)
        return FRAME_CLASS_COW_SHARED;
    return FRAME_CLASS_USER;
}

/* The owners array: the one map already has if it is the right size (a map
 * rebuilt a few times a second by the view), else a new one. */
static bool get_memory(struct framemap *map)
{
    if (map->owners != NULL && map->frames == pmm_page_count)
        return true;
    framemap_release(map);
    map->owners = kmalloc(pmm_page_count * sizeof *map->owners);
    map->frames = map->owners != NULL ? pmm_page_count : 0;
    return map->owners != NULL;
}

bool framemap_build(struct framemap *map)
{
    if (!get_memory(map))
        return false;
    for (int c = 0; c < FRAME_CLASS_COUNT; c++)
        map->counts[c] = 0;
    paddr_t zero_page = zero_page_frame();
    for (pfn_t pfn = 0; pfn < map->frames; pfn++)
        map->owners[pfn] = (struct frame_owner){ .class = (uint8_t)allocator_class(pfn, zero_page),
                                                 .pid = FRAME_NO_PID,
                                                 .pid2 = FRAME_NO_PID };
    walk_processes(map);
    for (pfn_t pfn = 0; pfn < map->frames; pfn++) {
        struct frame_owner *o = &map->owners[pfn];
        if (o->class == FRAME_CLASS_USER)
            o->class = (uint8_t)user_class(o);
        else if (o->class == FRAME_CLASS_PAGE_TABLE && o->pid == FRAME_NO_PID)
            o->pid = KERNEL_PID; /* no process's: the kernel's own tables */
        map->counts[o->class]++;
    }
    return true;
}

void framemap_release(struct framemap *map)
{
    kfree(map->owners);
    *map = (struct framemap){ 0 };
}
