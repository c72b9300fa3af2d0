/*
 * maps.c — /proc/PID/maps, smaps and smaps_rollup: a process's regions, one line
 * each, byte for byte as Linux prints them (fs/proc/task_mmu.c):
 *
 *   00400000-00401000 r--p 00000000 fe:00 12                                 /bin/hello
 *   start    end      rights offset dev   inode   (padded to column 73)      name
 *
 * rights: r w x, then p (private: copy-on-write) or s (shared). smaps adds, per
 * region, what its pages cost (regions.c counts them from the page tables).
 */
#include "entries.h"
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "mm/kheap.h"
#include "mm/vma.h"
#include "paths.h"
#include "regions.h"

#define MAPS_NAME_COLUMN 72 /* Linux: 25 + 6 * sizeof(void *) - 1, then one space */
#define KIB              1024

/* The name of region r after its padding: a path, [heap], [stack], or nothing. */
static void put_name(struct procfs_text *t, const struct regions *rs, const struct region *r)
{
    char *path = NULL;
    const char *name = NULL;
    switch (r->name) {
    case NAME_NONE: return;
    case NAME_HEAP: name = "[heap]"; break;
    case NAME_STACK: name = "[stack]"; break;
    case NAME_SHARED: name = "/dev/zero (deleted)"; break;
    case NAME_PROGRAM: name = rs->program_path; break;
    case NAME_FILE:
        path = kmalloc(PATH_MAX);
        if (path != NULL && procfs_path_of(r->file, path, PATH_MAX) > 0)
            name = path;
        break;
    }
    if (name != NULL) {
        text_pad(t, MAPS_NAME_COLUMN);
        text_printf(t, "%s", name);
    }
    kfree(path);
}

/* One line of maps: "start-end rwxp offset major:minor inode [padding name]". */
static void put_header(struct procfs_text *t, const struct regions *rs, const struct region *r)
{
    text_printf(t, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", r->start, r->end,
                r->prot & VMA_READ ? 'r' : '-', r->prot & VMA_WRITE ? 'w' : '-',
                r->prot & VMA_EXEC ? 'x' : '-', r->flags & VMA_SHARED ? 's' : 'p', r->offset,
                r->major, r->minor, r->ino);
    put_name(t, rs, r);
    text_printf(t, "\n");
}

int show_maps(struct procfs_text *t, struct proc *p)
{
    struct regions rs;
    int err = regions_collect(p, false, &rs);
    for (size_t i = 0; err == 0 && i < rs.count; i++)
        put_header(t, &rs, &rs.list[i]);
    regions_free(&rs);
    return err;
}

/* One "Name:   value kB" line: the name padded to 16 columns, the value to 8. */
static void put_kib(struct procfs_text *t, const char *name, uint64_t bytes)
{
    text_printf(t, "%-16s%8lu kB\n", name, bytes / KIB);
}

/* The counts smaps and smaps_rollup share, in Linux 6.1's order; the rollup adds
 * PSS split by kind. */
static void put_usage(struct procfs_text *t, const struct region_usage *u, bool rollup)
{
    put_kib(t, "Rss:", u->rss);
    put_kib(t, "Pss:", u->pss >> PSS_SHIFT);
    put_kib(t, "Pss_Dirty:", u->pss_dirty >> PSS_SHIFT);
    if (rollup) {
        put_kib(t, "Pss_Anon:", u->pss_anon >> PSS_SHIFT);
        put_kib(t, "Pss_File:", u->pss_file >> PSS_SHIFT);
        put_kib(t, "Pss_Shmem:", u->pss_shmem >> PSS_SHIFT);
    }
    put_kib(t, "Shared_Clean:", u->shared_clean);
    put_kib(t, "Shared_Dirty:", u->shared_dirty);
    put_kib(t, "Private_Clean:", u->private_clean);
    put_kib(t, "Private_Dirty:", u->private_dirty);
    put_kib(t, "Referenced:", u->referenced);
    put_kib(t, "Anonymous:", u->anonymous);
    put_kib(t, "LazyFree:", 0);
    put_kib(t, "AnonHugePages:", 0); /* vmlab maps 4 KiB pages only */
    put_kib(t, "ShmemPmdMapped:", 0);
    put_kib(t, "FilePmdMapped:", 0);
    put_kib(t, "Shared_Hugetlb:", 0);
    text_printf(t, "Private_Hugetlb: %7u kB\n", 0); /* Linux's one narrower column */
    put_kib(t, "Swap:", u->swap);
    put_kib(t, "SwapPss:", u->swap_pss >> PSS_SHIFT);
    put_kib(t, "Locked:", u->locked >> PSS_SHIFT);
}

/* VmFlags: Linux's two-letter names of the region's flags, in its order. */
static void put_vm_flags(struct procfs_text *t, const struct region *r)
{
    bool shared = r->flags & VMA_SHARED;
    text_printf(t, "VmFlags:");
    if (r->prot & VMA_READ)
        text_printf(t, " rd");
    if (r->prot & VMA_WRITE)
        text_printf(t, " wr");
    if (r->prot & VMA_EXEC)
        text_printf(t, " ex");
    if (shared)
        text_printf(t, " sh");
    text_printf(t, " mr");
    if (!(r->flags & VMA_NO_WRITE))
        text_printf(t, " mw");
    text_printf(t, " me");
    if (shared)
        text_printf(t, " ms");
    if (r->flags & VMA_GROWSDOWN)
        text_printf(t, " gd");
    if (r->flags & VMA_LOCKED)
        text_printf(t, " lo");
    if (!shared && (r->prot & VMA_WRITE))
        text_printf(t, " ac"); /* private writable memory is accounted (commit charge) */
    text_printf(t, " sd \n");
}

int show_smaps(struct procfs_text *t, struct proc *p)
{
    struct regions rs;
    int err = regions_collect(p, true, &rs);
    for (size_t i = 0; err == 0 && i < rs.count; i++) {
        const struct region *r = &rs.list[i];
        put_header(t, &rs, r);
        put_kib(t, "Size:", r->end - r->start);
        put_kib(t, "KernelPageSize:", PAGE_SIZE);
        put_kib(t, "MMUPageSize:", PAGE_SIZE);
        put_usage(t, &r->usage, false);
        text_printf(t, "THPeligible:    %d\n", 0);
        put_vm_flags(t, r);
    }
    regions_free(&rs);
    return err;
}

/* Add one region's counts into the sum. */
static void add_usage(struct region_usage *sum, const struct region_usage *u)
{
    const uint64_t *from = (const uint64_t *)u;
    uint64_t *to = (uint64_t *)sum;
    for (size_t i = 0; i < sizeof *u / sizeof(uint64_t); i++)
        to[i] += from[i];
}

/* smaps_rollup: every region's counts summed, under a header line spanning them
 * all, named [rollup]. */
int show_smaps_rollup(struct procfs_text *t, struct proc *p)
{
    struct regions rs;
    int err = regions_collect(p, true, &rs);
    if (err == 0 && rs.count > 0) {
        struct region_usage sum = { 0 };
        for (size_t i = 0; i < rs.count; i++)
            add_usage(&sum, &rs.list[i].usage);
        text_printf(t, "%08lx-%08lx ---p %08x 00:00 0 ", rs.list[0].start,
                    rs.list[rs.count - 1].end, 0);
        text_pad(t, MAPS_NAME_COLUMN);
        text_printf(t, "[rollup]\n");
        put_usage(t, &sum, true);
    }
    regions_free(&rs);
    return err;
}
