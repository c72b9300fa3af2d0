/*
 * regions.h — a process's regions, copied out for /proc/PID/maps and smaps.
 *
 * A report is printed in two steps. First, without sleeping, every region of
 * the address space is copied into a record (its range, rights, object) and,
 * for smaps, its pages are counted from the page tables and the frames'
 * reference counts. Then the records are printed, naming each file by its path
 * (paths.h), which may sleep reading directories: meanwhile the process may
 * unmap, exit and free its regions; the records do not care.
 */
#ifndef KERNEL_FS_PROCFS_REGIONS_H
#define KERNEL_FS_PROCFS_REGIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/addr.h"

struct proc;
struct inode;

/* What smaps counts for a region, in bytes. PSS values are in bytes << PSS_SHIFT
 * (Linux's fixed point), so 4096 shared three ways loses nothing. */
#define PSS_SHIFT 12
struct region_usage {
    uint64_t rss, pss, pss_dirty, pss_anon, pss_file, pss_shmem;
    uint64_t shared_clean, shared_dirty, private_clean, private_dirty;
    uint64_t referenced, anonymous;
    uint64_t swap, swap_pss; /* swapped-out pages; each shared by the entries naming its slot */
    uint64_t locked;         /* Pss of a locked region (mlock) */
};

/* How /proc names a region (after its inode number, padded to column 73). */
enum region_name {
    NAME_NONE,    /* private anonymous memory: nothing */
    NAME_FILE,    /* a file: its path */
    NAME_PROGRAM, /* the program's boot module: the path it was run by */
    NAME_SHARED,  /* shared anonymous memory: "/dev/zero (deleted)", as Linux's shmem */
    NAME_HEAP,    /* "[heap]" */
    NAME_STACK,   /* "[stack]" */
};

struct region {
    vaddr_t start, end;
    uint32_t prot, flags; /* mm/vma.h's VMA_* bits */
    uint64_t offset;      /* bytes into the object */
    uint32_t major, minor;
    uint64_t ino;
    enum region_name name;
    struct inode *file; /* NAME_FILE: a reference, dropped by regions_free */
    struct region_usage usage;
};

struct regions {
    struct region *list;
    size_t count;
    char *program_path; /* a copy of the program's path (NULL: none) */
};

/* Copy p's regions into r (and count their pages with count_pages). 0, or
 * -ENOMEM. A process without memory (a zombie) has none. Does not sleep. */
int regions_collect(struct proc *p, bool count_pages, struct regions *r);

/* Drop the records (and their inode references: may sleep). */
void regions_free(struct regions *r);

#endif
