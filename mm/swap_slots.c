/*
 * swap_slots.c — the swap area's slots, who uses each, and the swap cache.
 *
 * One array entry per slot of the area:
 *   users   page-table entries naming the slot (swap entries)
 *   cached  the frame holding the slot's page now (0: none) -- the swap cache
 * plus SLOT_BAD for slots never to be used (the header's bad pages, failed
 * writes). Allocation is next-fit from a cursor: pages reclaimed one after the
 * other land in neighbouring slots, so the disk sees sequential writes.
 */
#include "swap_slots.h"

#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kheap.h"
#include "lib/string.h"
#include "pmm.h"
#include "reclaim.h"
#include "resident.h"

#define SLOT_BAD 0xffffffffu /* users of a slot never handed out */

struct slot {
    uint32_t users;  /* entries naming it, or SLOT_BAD */
    uint32_t cached; /* pfn of the frame caching its page (0: none) */
};

static struct {
    bool active;
    bool disabling; /* swapoff under way: no new slots handed out */
    struct swap_io io;
    struct slot *slots; /* [pages] */
    bool *held;         /* [pages]: the slot's user is an object's record (shared
                           anonymous memory), not page-table entries, so only that
                           object's own fault reads it (swap_slot_alloc_held) */
    uint64_t pages;     /* slots, the header's included */
    uint64_t usable;    /* slots that may hold a page */
    uint64_t used;      /* of which named or cached */
    uint64_t cached;    /* of which cached */
    uint64_t cursor;    /* where the next search for a free slot starts */
    uint64_t pswpin, pswpout, read_errors, write_errors;
} area;

static bool in_use(const struct slot *s)
{
    return s->users != SLOT_BAD && (s->users > 0 || s->cached != 0);
}

static struct slot *slot_at(uint64_t slot)
{
    assert(area.active && slot != SWAP_NO_SLOT && slot < area.pages,
           "swap: slot %lu outside the area (%lu pages, %s)", slot, area.pages,
           area.active ? "active" : "none active");
    return &area.slots[slot];
}

/* Keep area.used right across a change of s (called with its state before). */
static void account(const struct slot *s, bool was_in_use)
{
    if (was_in_use && !in_use(s))
        area.used--;
    else if (!was_in_use && in_use(s))
        area.used++;
}

/* Bytes an array of the area's (n bytes) is given: at least a page, so that
 * kmalloc gives it whole frames of its own (never a slab object), which
 * swap_area_kernel_frames can count exactly. (A small area's array in a slab
 * took a fresh slab frame the memory check could not account for: a swapon of
 * a 512 KiB area by a program read as a leaked frame at the end of the run.) */
static uint64_t array_bytes(uint64_t n)
{
    return n > PAGE_SIZE ? n : PAGE_SIZE;
}

int swap_area_enable(const struct swap_io *io, uint64_t pages, const uint32_t *bad, uint32_t nbad)
{
    if (area.active)
        return -EBUSY;
    if (pages < 2 || pages > UINT32_MAX)
        return -EINVAL;
    struct slot *slots = kzalloc(array_bytes(pages * sizeof *slots));
    bool *held = kzalloc(array_bytes(pages * sizeof *held));
    if (slots == NULL || held == NULL) {
        kfree(slots);
        kfree(held);
        return -ENOMEM;
    }
    uint64_t usable = pages - 1;
    slots[SWAP_NO_SLOT].users = SLOT_BAD; /* the header */
    for (uint32_t i = 0; i < nbad; i++) {
        if (bad[i] == 0 || bad[i] >= pages || slots[bad[i]].users == SLOT_BAD)
            continue;
        slots[bad[i]].users = SLOT_BAD;
        usable--;
    }
    area = (typeof(area)){ .active = true,
                           .io = *io,
                           .slots = slots,
                           .held = held,
                           .pages = pages,
                           .usable = usable,
                           .cursor = 1,
                           /* the counters of earlier areas go on counting */
                           .pswpin = area.pswpin,
                           .pswpout = area.pswpout,
                           .read_errors = area.read_errors,
                           .write_errors = area.write_errors };
    return 0;
}

int swap_area_disable(void)
{
    if (!area.active || area.disabling)
        return -EINVAL;
    area.disabling = true;
    int error = swap_unuse_all(); /* reclaim.h: every swapped page back in memory */
    area.disabling = false;
    if (error != 0)
        return error;
    assert(area.used == 0, "swapoff: %lu slots still in use after bringing every page in",
           area.used);
    kfree(area.slots);
    kfree(area.held);
    area.slots = NULL;
    area.held = NULL;
    area.active = false;
    area.pages = area.usable = 0;
    return 0;
}

bool swap_area_active(void)
{
    return area.active;
}

struct swap_stats swap_stats(void)
{
    return (struct swap_stats){ .slots = area.usable,
                                .used = area.used,
                                .cached = area.cached,
                                .pswpin = area.pswpin,
                                .pswpout = area.pswpout,
                                .read_errors = area.read_errors,
                                .write_errors = area.write_errors };
}

uint64_t swap_slot_alloc(void)
{
    if (area.active && area.used >= area.usable && area.cached > 0)
        swap_cache_drop_unneeded_all(); /* full: clean copies give their slots back */
    if (!area.active || area.disabling || area.used >= area.usable)
        return SWAP_NO_SLOT;
    for (uint64_t n = 0; n < area.pages; n++) {
        uint64_t slot = area.cursor;
        area.cursor = area.cursor + 1 < area.pages ? area.cursor + 1 : 1;
        struct slot *s = &area.slots[slot];
        if (s->users != SLOT_BAD && !in_use(s)) {
            area.held[slot] = false; /* a private page's, unless swap_slot_alloc_held says */
            return slot;
        }
    }
    return SWAP_NO_SLOT;
}

/* Is swap more than half full? Then clean copies are not kept (Linux's
 * vm_swap_full): their slots are worth more to pages that have none. */
static bool swap_half_full(void)
{
    return area.used * 2 > area.usable;
}

bool swap_cache_may_keep_clean(paddr_t frame)
{
    return !area.disabling && !swap_half_full() && !(pmm_page(frame)->flags & PG_SWAP_ERROR);
}

/* A slot nobody names any more: its cached frame, if any, is not needed as its
 * copy -- unless I/O on it is under way (its owner looks again when done), or the
 * frame is mapped (read-only, so still what the slot holds) and may stay a clean
 * copy: evicting it again then costs no write. */
static void drop_unneeded_cache(struct slot *s)
{
    if (s->users != 0 || s->cached == 0)
        return;
    paddr_t frame = pfn_to_paddr(s->cached);
    struct page *page = &pmm_pages[s->cached];
    if (page->flags & PG_SWAP_IO)
        return;
    if (page->anon.maps != NULL && swap_cache_may_keep_clean(frame))
        return;
    swap_cache_remove(frame);
}

uint64_t swap_slot_alloc_held(void)
{
    uint64_t slot = swap_slot_alloc();
    if (slot == SWAP_NO_SLOT)
        return SWAP_NO_SLOT;
    struct slot *s = slot_at(slot);
    s->users = 1; /* the object's record of it: a user like an entry */
    area.held[slot] = true;
    account(s, false);
    return slot;
}

void swap_slot_dup(uint64_t slot)
{
    struct slot *s = slot_at(slot);
    assert(in_use(s), "swap_slot_dup: slot %lu is free", slot);
    s->users++;
}

void swap_slot_put(uint64_t slot)
{
    struct slot *s = slot_at(slot);
    assert(s->users != SLOT_BAD && s->users > 0, "swap_slot_put: slot %lu has no users (%u)", slot,
           s->users);
    s->users--;
    account(s, true);
    drop_unneeded_cache(s);
}

void swap_slot_put_failed(uint64_t slot)
{
    struct slot *s = slot_at(slot);
    swap_slot_put(slot);
    if (s->users == 0 && s->cached == 0) {
        s->users = SLOT_BAD; /* (free now: no longer counted as used) */
        area.usable--;
    }
}

/* Entries naming slot. */
uint32_t swap_slot_users(uint64_t slot)
{
    return slot_at(slot)->users;
}

paddr_t swap_cache_frame(uint64_t slot)
{
    uint32_t pfn = slot_at(slot)->cached;
    return pfn == 0 ? PMM_NO_FRAME : pfn_to_paddr(pfn);
}

void swap_cache_add(uint64_t slot, paddr_t frame)
{
    struct slot *s = slot_at(slot);
    struct page *page = pmm_page(frame);
    assert(s->cached == 0 && page->anon.swap_slot == SWAP_NO_SLOT,
           "swap_cache_add: slot %lu caches pfn %u, frame 0x%lx caches slot %u", slot, s->cached,
           frame, page->anon.swap_slot);
    bool was = in_use(s);
    pmm_ref(frame);
    s->cached = (uint32_t)paddr_to_pfn(frame);
    page->anon.swap_slot = (uint32_t)slot;
    area.cached++;
    account(s, was);
}

void swap_cache_remove(paddr_t frame)
{
    struct page *page = pmm_page(frame);
    uint64_t slot = page->anon.swap_slot;
    struct slot *s = slot_at(slot);
    assert(s->cached == paddr_to_pfn(frame), "swap_cache_remove: slot %lu caches pfn %u, not 0x%lx",
           slot, s->cached, frame);
    bool write_failed = page->flags & PG_SWAP_ERROR;
    s->cached = 0;
    page->anon.swap_slot = SWAP_NO_SLOT;
    page->flags &= ~(PG_SWAP_IO | PG_SWAP_ERROR | PG_SWAP_READAHEAD);
    area.cached--;
    account(s, true);
    if (page->anon.maps == NULL && page->refcount == 1)
        resident_remove(page); /* (a read-ahead page nobody mapped) it is freed below */
    if (write_failed && s->users == 0) {
        s->users = SLOT_BAD; /* the disk failed to hold it once: never again */
        area.usable--;
    }
    pmm_unref(frame); /* the cache's reference: frees the frame if it was the last */
}

uint64_t swap_cache_slot_of(paddr_t frame)
{
    struct page *page = pmm_page(frame);
    return page != NULL && page->state == PAGE_IN_USE && page->object == NULL ? page->anon.swap_slot
                                                                              : SWAP_NO_SLOT;
}

bool swap_cache_drop_if_unneeded(paddr_t frame)
{
    struct page *page = pmm_page(frame);
    uint64_t slot = swap_cache_slot_of(frame);
    if (slot == SWAP_NO_SLOT || (page->flags & PG_SWAP_IO) || area.slots[slot].users != 0)
        return false;
    swap_cache_remove(frame);
    return true;
}

void swap_cache_drop_unneeded_all(void)
{
    for (uint64_t slot = 1; area.active && slot < area.pages; slot++) {
        uint32_t pfn = area.slots[slot].cached;
        if (pfn != 0)
            swap_cache_drop_if_unneeded(pfn_to_paddr(pfn));
    }
}

paddr_t swap_cache_first_busy(void)
{
    for (uint64_t slot = 1; area.active && slot < area.pages; slot++) {
        uint32_t pfn = area.slots[slot].cached;
        if (pfn != 0 && (pmm_pages[pfn].flags & PG_SWAP_IO))
            return pfn_to_paddr(pfn);
    }
    return PMM_NO_FRAME;
}

/* One request for count pages, through a buffer they are copied to or from; NULL
 * (no memory for the buffer) means the caller goes page by page. */
static int move_run(uint64_t slot, uint32_t count, const paddr_t *frames, bool write)
{
    uint8_t *buffer = count > 1 ? kmalloc(count * PAGE_SIZE) : NULL;
    int error = 0;
    if (buffer == NULL) {
        for (uint32_t i = 0; i < count && error == 0; i++) {
            void *page = phys_to_virt(frames[i]);
            error = write ? area.io.write_pages(area.io.dev, slot + i, 1, page)
                          : area.io.read_pages(area.io.dev, slot + i, 1, page);
        }
        return error;
    }
    if (write)
        for (uint32_t i = 0; i < count; i++)
            memcpy(buffer + i * PAGE_SIZE, phys_to_virt(frames[i]), PAGE_SIZE);
    error = write ? area.io.write_pages(area.io.dev, slot, count, buffer)
                  : area.io.read_pages(area.io.dev, slot, count, buffer);
    if (!write && error == 0)
        for (uint32_t i = 0; i < count; i++)
            memcpy(phys_to_virt(frames[i]), buffer + i * PAGE_SIZE, PAGE_SIZE);
    kfree(buffer);
    return error;
}

int swap_read_slots(uint64_t slot, uint32_t count, const paddr_t *frames)
{
    int error = move_run(slot, count, frames, false);
    if (error == 0)
        area.pswpin += count;
    else
        area.read_errors++;
    return error;
}

int swap_write_slots(uint64_t slot, uint32_t count, const paddr_t *frames)
{
    int error = move_run(slot, count, frames, true);
    if (error == 0)
        area.pswpout += count;
    else
        area.write_errors++;
    return error;
}

void swap_write_batch(const uint64_t *slots, const paddr_t *frames, const bool *must_write,
                      unsigned count, bool *written)
{
    for (unsigned i = 0; i < count;) {
        if (must_write != NULL && !must_write[i]) {
            written[i++] = true;
            continue;
        }
        unsigned run = 1;
        while (i + run < count && (must_write == NULL || must_write[i + run]) &&
               slots[i + run] == slots[i] + run)
            run++;
        bool ok = swap_write_slots(slots[i], run, &frames[i]) == 0;
        for (unsigned k = 0; k < run; k++) /* a bad sector: the others may still go */
            written[i + k] =
                ok || (run > 1 && swap_write_slots(slots[i] + k, 1, &frames[i + k]) == 0);
        i += run;
    }
}

bool swap_slot_needs_reading(uint64_t slot)
{
    if (!area.active || slot == SWAP_NO_SLOT || slot >= area.pages)
        return false;
    const struct slot *s = &area.slots[slot];
    return s->users != SLOT_BAD && s->users > 0 && s->cached == 0 && !area.held[slot];
}

void swap_for_each_used(void (*visit)(void *ctx, uint64_t slot, uint32_t users, paddr_t cached),
                        void *ctx)
{
    for (uint64_t slot = 1; area.active && slot < area.pages; slot++) {
        const struct slot *s = &area.slots[slot];
        if (in_use(s))
            visit(ctx, slot, s->users, s->cached == 0 ? PMM_NO_FRAME : pfn_to_paddr(s->cached));
    }
}

uint64_t swap_slots_in_use(void)
{
    return area.used;
}

uint64_t swap_area_pages(void)
{
    return area.pages;
}

uint64_t swap_area_kernel_frames(void)
{
    if (!area.active)
        return 0;
    uint64_t slots = array_bytes(area.pages * sizeof *area.slots);
    uint64_t held = array_bytes(area.pages * sizeof *area.held);
    return (slots + PAGE_SIZE - 1) / PAGE_SIZE + (held + PAGE_SIZE - 1) / PAGE_SIZE;
}
