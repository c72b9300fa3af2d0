/*
 * fault.h — a page fault as mm/ sees it.
 *
 * The trap code (kernel/) reads CR2 and the CPU's error-code bits and turns them
 * into this small record; mm/ never looks at raw error bits.
 */
#ifndef MM_FAULT_H
#define MM_FAULT_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"

enum fault_access {
    FAULT_READ,
    FAULT_WRITE,
    FAULT_EXECUTE, /* an instruction fetch */
};

struct fault_info {
    vaddr_t address; /* CR2: the address that could not be accessed */
    enum fault_access access;
    bool user_mode;    /* the CPU was in ring 3 */
    bool present;      /* a mapping existed, but did not allow this access */
    bool reserved_bit; /* a page-table entry had a reserved bit set */
};

struct addr_space;

/* What the handler did, counted per process and in total (vmstat, getrusage).
 * System call 500 (vmlab_vmstat) copies out the first nine (kernel/sys_vmstat.c). */
struct vm_counters {
    uint64_t minor_faults;    /* faults resolved without I/O */
    uint64_t zero_page_maps;  /* reads of untouched memory: the shared zero page */
    uint64_t zero_fills;      /* writes of untouched memory: a fresh zeroed frame */
    uint64_t cow_copies;      /* copy-on-write: the frame was shared, so copied */
    uint64_t cow_reuses;      /* copy-on-write: the last reference, made writable */
    uint64_t stack_growths;   /* the stack region extended down */
    uint64_t kills;           /* faults that could not be resolved */
    uint64_t major_faults;    /* faults that read the page from a file (disk I/O) */
    uint64_t object_maps;     /* first touches served from an object's page cache (a
                                 file, shared anonymous memory): mapped, or copied */
    uint64_t swap_ins;        /* swapped-out pages read back from their slot (major) */
    uint64_t swap_cache_hits; /* swapped-out pages found still in the swap cache */
};

/* Machine-wide totals. */
extern struct vm_counters vm_totals;

/* What mm/ concluded; kernel/trap.c turns each into an action, in one table. */
enum fault_result {
    FAULT_RESOLVED,      /* the page is there now: retry the instruction */
    FAULT_NO_REGION,     /* no region covers the address (SIGSEGV, SEGV_MAPERR) */
    FAULT_NOT_ALLOWED,   /* the region forbids this access (SIGSEGV, SEGV_ACCERR) */
    FAULT_OUT_OF_MEMORY, /* no frame (or page table) to be had */
    FAULT_BAD_ENTRY,     /* a page-table entry is malformed: a kernel bug */
    FAULT_BEYOND_END,    /* a page of a file mapping past the end of the file (SIGBUS) */
    FAULT_IO_ERROR,      /* the file's page, or the swapped-out page, could not be read
                            (SIGBUS) */
};

/* The result and, unless resolved, the reason in words ("write to read-only
 * memory"), for the one line that reports a killed process. */
struct fault_outcome {
    enum fault_result result;
    const char *reason; /* a constant string; "" when resolved */
};

/* Resolve a page fault on a user address of as: the steps of fault.c's table.
 * Counts into counters if not NULL, and into vm_totals. */
struct fault_outcome mm_handle_fault(struct addr_space *as, const struct fault_info *fault,
                                     struct vm_counters *counters);

/* The one frame of zeros every untouched page reads as (mapped read-only). */
paddr_t zero_page_frame(void);
void zero_page_init(void);

/* One phrase naming the violated permission and the region, for reports:
 *   "write to a read-only page in kernel text"
 *   "instruction fetch from a no-execute page in kernel data/bss"
 *   "access to the guard page below a kernel stack (stack overflow)"         */
const char *mm_describe_fault(const struct fault_info *fault, char *buf, size_t size);

/* The region an address lies in, e.g. "kernel text", "the direct map". */
const char *mm_describe_address(vaddr_t va, char *buf, size_t size);

#endif
