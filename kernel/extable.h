/*
 * extable.h — exception fix-ups: instructions that are allowed to fault.
 *
 * Some kernel instructions may fault by design: reading memory that might not be
 * mapped (a backtrace following a corrupt frame pointer, later copy_from_user with
 * a bad user pointer). Each such instruction gets an entry in the .extable section
 * saying where to resume. When an exception hits in kernel mode, the trap handler
 * looks the faulting RIP up here; if found, it resumes at the fix-up instead of
 * panicking. This is the mechanism Linux calls the "exception table".
 */
#ifndef KERNEL_EXTABLE_H
#define KERNEL_EXTABLE_H

#include <stdbool.h>
#include <stdint.h>

struct extable_entry {
    uint64_t fault_rip; /* the RIP the exception reports */
    uint64_t fixup_rip; /* where execution continues instead */
    uint64_t flags;     /* EXTABLE_QUIET: recover without a message */
};

#define EXTABLE_REPORT       0 /* say on the console that a fault was recovered */
#define EXTABLE_QUIET        1 /* an expected probe (e.g. inside a backtrace): no message */
#define EXTABLE_ERROR_IN_RAX 2 /* also: RAX gets the exception's error code */

/* The entry for an exception at rip, or NULL if that instruction has none. */
const struct extable_entry *extable_find(uint64_t rip);

/* Read 8 bytes at addr without risking a kernel panic: returns false (and leaves
 * *value alone) if the read faults, quietly. Needs the IDT to be installed. */
static inline bool read_u64_nofault(uint64_t addr, uint64_t *value)
{
    uint64_t v;
    int ok = 0;
    __asm__ volatile("1: movq (%[addr]), %[v]\n"
                     "   movl $1, %[ok]\n"
                     "2:\n"
                     ".pushsection .extable, \"a\"\n"
                     ".balign 8\n"
                     ".quad 1b, 2b, 1\n" /* a fault at 1: resumes at 2:, ok stays 0 */
                     ".popsection\n"
                     : [v] "=r"(v), [ok] "+r"(ok)
                     : [addr] "r"(addr)
                     : "memory");
    if (ok)
        *value = v;
    return ok;
}

#endif
