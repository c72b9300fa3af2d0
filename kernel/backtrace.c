/*
 * backtrace.c — walking the frame-pointer chain, carefully.
 *
 * A backtrace is printed when something already went wrong, so the chain may be
 * corrupt: each frame must be a canonical higher-half address, 8-byte aligned and
 * above the previous one (stacks grow down, so callers' frames are higher), and it
 * is read with read_u64_nofault so that a bad pointer ends the walk, not the kernel.
 */
#include "backtrace.h"

#include <stdbool.h>
#include <stddef.h>

#include "extable.h"
#include "ksyms.h"
#include "lib/string.h"
#include "printk.h"
#include "idt.h"
#include "mm/addr.h"
#include "x86.h"

#define BACKTRACE_MAX_FRAMES 32

void backtrace_print_address(uint64_t address)
{
    uint64_t offset;
    /* A return address points after the call; look up the call itself, so that
     * a call at the very end of a function is not attributed to the next one. */
    const char *name = ksym_lookup(address - 1, &offset);
    if (name != NULL)
        kprintf("%p %s+0x%lx", (void *)address, name, offset + 1);
    else
        kprintf("%p ?", (void *)address);
}

static bool plausible_frame(uint64_t rbp, uint64_t previous)
{
    return rbp >= DIRECT_MAP_BASE && (rbp & 7) == 0 && rbp > previous;
}

static void print_frame(int index, uint64_t return_address)
{
    kprintf("  #%-2d ", index);
    backtrace_print_address(return_address);
    kprintf("\n");
}

/* Walk the chain; a run of identical return addresses (deep recursion) is printed
 * once with its count. */
static void print_callers(uint64_t rbp, int first_index)
{
    if (!idt_loaded()) {
        kprintf("  (no backtrace before the IDT is installed)\n");
        return;
    }
    uint64_t previous = 0, last_address = 0;
    int repeats = 0, i;
    for (i = first_index; i < BACKTRACE_MAX_FRAMES && plausible_frame(rbp, previous); i++) {
        uint64_t next_rbp, return_address;
        if (!read_u64_nofault(rbp, &next_rbp) || !read_u64_nofault(rbp + 8, &return_address))
            break;
        if (return_address == 0)
            break;
        if (return_address == last_address) {
            repeats++;
        } else {
            if (repeats > 0)
                kprintf("      ... the same frame %d more times\n", repeats);
            repeats = 0;
            print_frame(i, return_address);
            last_address = return_address;
        }
        previous = rbp;
        rbp = next_rbp;
    }
    if (repeats > 0)
        kprintf("      ... the same frame %d more times\n", repeats);
    if (i == BACKTRACE_MAX_FRAMES)
        kprintf("      (stopped after %d frames)\n", BACKTRACE_MAX_FRAMES);
}

void backtrace_print_from(uint64_t rbp)
{
    kprintf("Backtrace:\n");
    print_callers(rbp, 0);
}

/* The standard prologue, "push %rbp; mov %rsp,%rbp", as bytes. */
static const uint8_t frame_prologue[4] = { 0x55, 0x48, 0x89, 0xe5 };

/* Where the interrupted function's return address is, when it has not (yet) set up
 * its own frame record. GCC leaves small leaf functions without a frame even with
 * -fno-omit-frame-pointer, and a fault can also hit between "push %rbp" and
 * "mov %rsp,%rbp". Returns 0 if the function has its frame and RBP is its own. */
static uint64_t frameless_return_slot(uint64_t rip, uint64_t rsp)
{
    uint64_t offset;
    if (ksym_lookup(rip, &offset) == NULL)
        return rsp; /* not kernel code: most likely a call through a bad pointer */
    uint64_t start = rip - offset, prologue;
    if (!read_u64_nofault(start, &prologue))
        return 0;
    bool has_frame = memcmp(&prologue, frame_prologue, sizeof frame_prologue) == 0;
    if (!has_frame || offset == 0)
        return rsp; /* nothing pushed yet (we assume a frameless leaf pushes nothing) */
    if (offset == 1)
        return rsp + 8; /* after "push %rbp" */
    return 0;
}

void backtrace_print_context(uint64_t rip, uint64_t rbp, uint64_t rsp)
{
    uint64_t offset;
    const char *name = ksym_lookup(rip, &offset); /* rip is the instruction itself */
    if (name != NULL)
        kprintf("Backtrace:\n  #0  %p %s+0x%lx\n", (void *)rip, name, offset);
    else
        kprintf("Backtrace:\n  #0  %p (not kernel code)\n", (void *)rip);

    int next = 1;
    uint64_t slot = frameless_return_slot(rip, rsp), caller;
    if (slot != 0 && read_u64_nofault(slot, &caller))
        print_frame(next++, caller);
    print_callers(rbp, next);
}
