/*
 * as.h — address spaces: one per process, each with its own page tables.
 *
 * An address space is a PML4 whose lower half (user space) belongs to one
 * program and whose upper half is the kernel's, shared by all: the kernel-half
 * PML4 entries are copied from the kernel's own tables, so every address space
 * sees the same kernel, and a system call needs no CR3 switch.
 *
 * Every present user page-table entry holds one reference on its frame
 * (pmm_ref/pmm_unref); as_destroy drops them all.
 */
#ifndef MM_AS_H
#define MM_AS_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "limits.h"
#include "pte.h"
#include "workingset.h"
#include "lib/avl.h"

struct mem_object;

/* What /proc tells of the program an address space runs (execve sets it, fork
 * copies it): Linux keeps the same in its mm_struct (exe_file, arg_start...). */
struct program_path {
    uint32_t refs; /* address spaces sharing it: fork's copies take no copy of their own */
    char text[];
};
struct program_layout {
    struct program_path *path;  /* the absolute path it was run from (NULL: none) */
    vaddr_t arg_start, arg_end; /* argv's strings on the stack (/proc/PID/cmdline) */
    vaddr_t env_start, env_end; /* envp's */
    vaddr_t stack_start;        /* RSP at its first instruction */
};

struct addr_space {
    paddr_t root;         /* the PML4 */
    uint32_t refcount;    /* processes using it (a vfork child borrows its parent's) */
    struct avl_tree vmas; /* the regions (mm/vma.h) */
    uint32_t regions;     /* how many: at most VMA_MAX_COUNT */
    uint64_t total_vm;    /* bytes the regions cover (VmSize), kept by mm/vma.c */
    uint64_t peak_vm;     /* the most total_vm ever was (VmPeak) */
    vaddr_t brk_start;    /* the heap: [brk_start, brk), grown by brk() */
    vaddr_t brk;
    vaddr_t free_area_cache;      /* mmap placement: search down from here (0: MMAP_TOP) */
    size_t cached_hole_size;      /* the largest hole skipped above it */
    uint64_t placement_steps;     /* gaps placement has looked at, ever: its cost, counted */
    uint64_t rss;                 /* frames mapped (resident pages), the zero page not counted */
    uint64_t max_rss;             /* the most there ever were */
    uint64_t swap_pages;          /* entries naming a swap slot: pages swapped out (VmSwap) */
    bool lock_future;             /* mlockall(MCL_FUTURE): new mappings are locked */
    struct addr_space *next_all;  /* the list of every address space (as_of_root) */
    struct mem_object *program;   /* the file its program was mapped from (as_set_program) */
    struct as_limits limits;      /* RLIMIT_AS, _DATA, _STACK, set by the kernel (limits.h) */
    struct program_layout layout; /* its path and argument strings, for /proc */
    struct resident_limit *resident_limit; /* a range with frames of its own (NULL: none) */
    struct ws_estimate ws;                 /* its working set (mm/workingset.h) */
};

/* A new, empty address space (kernel half shared); NULL if out of memory. */
struct addr_space *as_create(void);

/* The address space runs the program mapped from object (execve): while it does,
 * the object counts it in exec_users (so the file cannot be opened for writing:
 * ETXTBSY), and holds a user of it. fork's copy runs it too. */
void as_set_program(struct addr_space *as, struct mem_object *object);

/* Remember path as the program's (a copy; nothing if memory is short). */
void as_set_program_path(struct addr_space *as, const char *path);

/* fork: the child's program is the parent's, with the same path and argument
 * strings (the path is shared, not copied: fork allocates nothing for it). */
void as_copy_layout(struct addr_space *child, const struct addr_space *parent);

/* Another user of the same address space (vfork). */
void as_get(struct addr_space *as);

/* Drop a user; the last one frees every user frame, every user page table and
 * the PML4. */
void as_put(struct addr_space *as);

/* Map frame at the page va with PTE flags (PTE_USER added); the mapping takes
 * over the caller's reference on the frame. 0, -ENOMEM, or -EEXIST. */
int as_map_frame(struct addr_space *as, vaddr_t va, paddr_t frame, uint64_t flags);

/* Put frame in place of the frame mapping the page va (it must have one), with PTE
 * flags, in one step: the mapping takes over the caller's reference on frame and
 * the old frame's reference is dropped. 0, or -ENOMEM if the reverse map could
 * not record it: then nothing changed and frame is still the caller's. */
int as_replace_frame(struct addr_space *as, vaddr_t va, paddr_t frame, uint64_t flags);

/* The address space whose PML4 is root (the reverse map records roots), or NULL. */
struct addr_space *as_of_root(paddr_t root);

/* Swap-out replaced a mapping of as by a swap entry / swap-in did the opposite:
 * keep rss and swap_pages right. */
void as_count_swapped_out(struct addr_space *as);
void as_count_swapped_in(struct addr_space *as);

/* Is as (a pointer that may be stale: its owner may have exited while the caller
 * slept) still an address space? Compares pointers only, never reads *as. */
bool as_is_live(const struct addr_space *as);

/* An address space with swapped-out pages (swapoff), or NULL. */
struct addr_space *as_first_with_swap(void);

/* The page-table entry of the page va (0 if there is none); changes nothing. */
pte_t as_entry(struct addr_space *as, vaddr_t va);

/* New PTE flags (PTE_USER added) for the page va, which must hold a frame (present
 * or PROT_NONE); it becomes present. False if it holds none. */
bool as_protect_page(struct addr_space *as, vaddr_t va, uint64_t flags);

/* Forget the TLB's cached translation of va (when as is the active space). */
void as_invalidate_page(struct addr_space *as, vaddr_t va);

/* Remove the mappings of [start, end) and drop their frame references (and the
 * slots of swapped-out pages). */
void as_unmap_range(struct addr_space *as, vaddr_t start, vaddr_t end);

/* The kernel address of the byte at user address va, giving its page a frame of
 * its own first if it has none; NULL if no region covers va, memory ran out, or
 * the page maps a frame of the page cache (a file's page: not to be written here).
 * (Used to fill a new program's memory, whatever the region's rights.) */
void *as_kernel_pointer(struct addr_space *as, vaddr_t va);

/* Frames of kernel memory the address space holds besides its pages (rss): its
 * page tables (mm/pt.h) and its region records. A program can make these large
 * without touching a page: one read every 2 MiB of a huge mapping costs a page
 * table each (and maps only the zero page). */
uint64_t as_kernel_frames(struct addr_space *as);

/* Make as the address space the CPU uses (loads CR3). */
void as_activate(struct addr_space *as);

/* Make the kernel's own tables the ones the CPU uses: no user space at all (before
 * an address space is freed, and in the idle process). */
void as_activate_kernel(void);

#endif
