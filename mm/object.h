/*
 * object.h — memory objects: what a region maps, at a page offset.
 *
 * A private anonymous region maps nothing: its pages come from nowhere (zeros) and
 * belong to its page tables. Every other region maps an *object* that answers "the
 * page at index i" for the fault handler, whoever touches it first:
 *
 *   kind               its pages come from            written back   dropped when short
 *   shared anonymous   zeros (MAP_SHARED|MAP_ANON)    never          to swap only
 *   file               the file, through its fs       to the file    when clean, unmapped
 *   program module     a boot module in memory        never          when unmapped
 *
 * The object keeps its pages in its page cache (mm/page_cache.h): one frame per
 * page index, shared by read(), write(), every MAP_SHARED mapping and every
 * MAP_PRIVATE mapping until it writes. It also knows every region mapping it (the
 * reverse map, mm/rmap.h), so truncate and write-back can find every page-table
 * entry that holds one of its pages. Linux splits this into struct address_space
 * and vm_operations; FreeBSD calls it a vm_object.
 */
#ifndef MM_OBJECT_H
#define MM_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "lib/avl.h"

struct mem_object;
struct vma;

/* What each kind does; the page cache calls these. */
struct object_ops {
    const char *kind; /* "shared anonymous", "file", "program module" (for reports) */
    /* Fill count pages from index on: pages[i] (a zeroed frame, through the direct
     * map) gets page index + i; bytes past the end of the object stay zero.
     * 0 or -EIO. It may sleep (disk I/O). */
    int (*read_pages)(struct mem_object *o, uint64_t index, size_t count, void *const pages[]);
    /* Write the first bytes of page index back from src. 0 or -errno. NULL: the
     * pages exist only in memory (shared anonymous), so they are never dropped. */
    int (*write_page)(struct mem_object *o, uint64_t index, const void *src, size_t bytes);
    /* One more / one less user (a region, an open file): the object lives while it
     * has users. A file's object counts them on its inode. */
    void (*get)(struct mem_object *o);
    void (*put)(struct mem_object *o);
    /* Reclaim dropped the object's last cached page (may be NULL): a file whose
     * inode nobody uses any more can now leave the inode cache. */
    void (*emptied)(struct mem_object *o);
    bool keep_pages; /* the pages exist nowhere else: never dropped (only swapped) */
    /* Swap-backed kinds (shared anonymous memory; NULL for the others): a page
     * that exists nowhere else may still leave memory for a swap slot, which the
     * object remembers by index -- a file whose blocks live in swap. slot_of: the
     * slot holding page index, or SWAP_NO_SLOT (0): in memory, or never touched
     * (zeros). set_slot: index is now out in slot (a slot from
     * swap_slot_alloc_held, whose user the object takes over), or with slot 0 back
     * in memory (the old slot is let go). 0, -ENOMEM (no memory to record it),
     * -EINVAL (index past the object's end: such a page stays). */
    uint64_t (*slot_of)(const struct mem_object *o, uint64_t index);
    int (*set_slot)(struct mem_object *o, uint64_t index, uint64_t slot);
};

struct mem_object {
    const struct object_ops *ops;
    void *owner;           /* the inode, or the boot module: for the ops */
    uint32_t refs;         /* users, for kinds that count their own (shared anonymous) */
    uint64_t size;         /* bytes; a page wholly at or past it is beyond the end (SIGBUS) */
    struct avl_tree pages; /* the page cache: cached struct pages by index */
    uint64_t cached;       /* how many */
    uint64_t dirty;        /* of which dirty (PG_DIRTY): to be written back */
    struct vma *mappers;   /* the reverse map: regions mapping it (vma->next_mapper) */
    int write_error;       /* the first failed write-back since fsync last reported one */
    int exec_users;        /* address spaces running the program mapped from it */
    bool no_shared_stores; /* a store through a shared mapping is SIGBUS: the file is
                            * an active swap area (kernel/fs/swapfile.h) */
};

/* The object's pages at or past its end: index >= object_pages(o). */
static inline uint64_t object_pages(const struct mem_object *o)
{
    return (o->size + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* Set up an object of a kind (no pages cached, no mappers). */
void object_init(struct mem_object *o, const struct object_ops *ops, void *owner, uint64_t size);

/* A shared anonymous object of size bytes (zero-filled pages, kept in memory),
 * with one user; NULL if out of memory. */
struct mem_object *object_create_shared_anon(uint64_t size);

/* Swap-backed objects' slots (mm/object.c keeps every such object on a list):
 * visit each slot some object holds a page in (the invariant check: each is one
 * user of its slot); the first object with pages out (swapoff), or NULL; the first
 * index at or after from that is out, or UINT64_MAX; pages of [first, first +
 * count) that are out (smaps' Swap of a MAP_SHARED|MAP_ANONYMOUS region). */
void object_for_each_swap_slot(void (*visit)(void *ctx, uint64_t slot), void *ctx);
struct mem_object *object_first_swapped(void);
uint64_t object_next_swapped(const struct mem_object *o, uint64_t from);
uint64_t object_swapped_in(const struct mem_object *o, uint64_t first, uint64_t count);

/* Is o swap-backed (shared anonymous memory: its pages exist nowhere else, and
 * it records the slots of those that are out)? */
static inline bool object_is_swap_backed(const struct mem_object *o)
{
    return o->ops->set_slot != NULL;
}

/* Let go of the slots of the pages of [first, end) of o that are out, and forget
 * the lost ones: their data is thrown away (a hole punched, MADV_REMOVE), so they
 * read as zeros again. */
void object_forget_swapped(struct mem_object *o, uint64_t first, uint64_t end);

/* Page index of o is out in slot, and slot cannot be read (swapoff): let the slot
 * go and mark the page lost -- a touch gives SIGBUS from now on, as for a private
 * page's lost mark (mm/pte.h), until a hole is punched there or o goes. False if
 * index is not out in slot (any more). */
bool object_mark_lost(struct mem_object *o, uint64_t index, uint64_t slot);

/* Is page index of o a lost one? */
bool object_page_lost(const struct mem_object *o, uint64_t index);

void object_get(struct mem_object *o);
void object_put(struct mem_object *o);

/* The reverse map: a region starts / stops mapping o (vma->object is o). */
void object_add_mapper(struct mem_object *o, struct vma *vma);
void object_remove_mapper(struct mem_object *o, struct vma *vma);

#endif
