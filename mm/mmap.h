/*
 * mmap.h — mapping and unmapping memory on request: mmap, munmap, mprotect,
 * madvise, msync, mincore, with Linux's rules (flags, alignment, errno values),
 * for anonymous memory and for objects (files, mm/object.h).
 */
#ifndef MM_MMAP_H
#define MM_MMAP_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct addr_space;

/* Linux's PROT_* and MAP_* values. */
#define PROT_NONE      0x0
#define PROT_READ      0x1
#define PROT_WRITE     0x2
#define PROT_EXEC      0x4
#define PROT_SEM       0x8 /* accepted by mprotect, as on Linux; means nothing on x86 */
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP   0x02000000

#define MAP_SHARED          0x01
#define MAP_PRIVATE         0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE            0x0f
#define MAP_FIXED           0x10
#define MAP_ANONYMOUS       0x20
#define MAP_LOCKED          0x2000 /* lock the pages (mm/mlock.h); implies populating */
#define MAP_POPULATE        0x8000
#define MAP_FIXED_NOREPLACE 0x100000

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC       4

#define MADV_NORMAL         0
#define MADV_WILLNEED       3
#define MADV_DONTNEED       4
#define MADV_FREE           8
#define MADV_REMOVE         9
#define MADV_COLD           20
#define MADV_PAGEOUT        21
#define MADV_POPULATE_WRITE 23 /* the highest advice Linux 6.1 takes from anyone */

/* mmap of anonymous memory: the start address, or -errno. MAP_POPULATE is left to
 * the caller (mm_populate), which can then let others run between steps. */
long mm_mmap(struct addr_space *as, vaddr_t addr, size_t length, int prot, int flags);

/* What a file mapping maps, as the caller (kernel/sys_mem.c) found it. */
struct mmap_source {
    struct mem_object *object; /* the file's object; the region takes its own user */
    uint64_t pgoff;            /* the file's page at the start of the mapping */
    int refuse;                /* -EACCES, -ENODEV...: the answer, at the point Linux checks it */
    bool no_write;             /* MAP_SHARED of a descriptor not open for writing: never writable */
};

/* mmap of an object (source NULL: anonymous memory, as mm_mmap). */
long mm_mmap_object(struct addr_space *as, vaddr_t addr, size_t length, int prot, int flags,
                    const struct mmap_source *source);

/* MAP_POPULATE: make the pages of [start, end) present now, as a first touch
 * would (a write for a writable region). 0, or where it stopped (the rest stays
 * lazy, as on Linux): -ENOMEM out of memory, or a page no longer mapped; -EFAULT
 * a page a touch could not bring in (PROT_NONE, or SIGBUS: beyond a file's end,
 * an I/O error, a lost page) -- Linux's faultin_page answers so. */
long mm_populate(struct addr_space *as, vaddr_t start, vaddr_t end);

long mm_munmap(struct addr_space *as, vaddr_t addr, size_t length);
long mm_mprotect(struct addr_space *as, vaddr_t addr, size_t length, int prot);
long mm_madvise(struct addr_space *as, vaddr_t addr, size_t length, int advice);

/* msync: write back the MAP_SHARED file pages of the range (MS_SYNC), with
 * Linux's rules (mm/msync.c). 0 or -errno. May sleep. */
long mm_msync(struct addr_space *as, vaddr_t addr, size_t length, int flags);

/* mincore: one byte per page of [addr, addr + length) into the user's vec, 1 for
 * a page in memory (mm/mincore.c). 0 or -errno. */
long mm_mincore(struct addr_space *as, vaddr_t addr, size_t length, vaddr_t vec);

/* mremap: shrink, grow in place, or move (MREMAP_MAYMOVE, MREMAP_FIXED,
 * MREMAP_DONTUNMAP); old_size 0 maps a shared region's pages a second time.
 * The new address or -errno, with Linux's errno values (mm/mremap.c). */
long mm_mremap(struct addr_space *as, vaddr_t addr, size_t old_size, size_t new_size, int flags,
               vaddr_t new_addr);

#endif
