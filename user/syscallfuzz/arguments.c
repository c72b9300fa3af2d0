/*
 * arguments.c — random arguments, each kind aimed at what kernels get wrong: 0, -1,
 * huge and wrapping lengths, unaligned addresses, the kernel half, non-canonical
 * addresses, addresses inside our own mappings and outside any.
 */
#include "fuzz.h"
#include "user/lib/check.h"
#include "user/lib/image.h"

/* Addresses at the edges of the user half, in the kernel half and in the hole. */
static const unsigned long edge_addresses[] = {
    0,
    PAGE_SIZE,
    0x3ff000,
    0x7fffffffe000,
    0x7ffffffff000,
    USER_SPACE_END - 1,
    USER_SPACE_END,
    USER_SPACE_END - (1UL << 30),
    1UL << 46,
    0xffff800000000000, /* vmlab's direct map of physical memory */
    0xffffff8000000000, /* vmlab's kernel stacks */
    0xffffffff80000000, /* the kernel image */
    0x8000000000000000,
    0x0000ffff00000000,
    -PAGE_SIZE,
    -1UL,
};

/* One of the addresses above, at random. */
unsigned long edge_address(void)
{
    return PICK(edge_addresses);
}

/* An address for a memory call, or for the kernel to read or write at: inside or
 * around our own mappings, the playground, the break, an edge of the address space,
 * or anywhere; one in eight is not page-aligned. */
unsigned long random_address(void)
{
    unsigned long address;
    switch (random_below(10)) {
    case 0:
    case 1:
    case 2: address = inside_recent_mapping(); break;
    case 3:
    case 4: address = PLAYGROUND + random_below(PLAYGROUND_PAGES) * PAGE_SIZE; break;
    case 5:
        address = current_break + (random_below(2 * NEAR_PAGES) - NEAR_PAGES) * PAGE_SIZE;
        break;
    case 6:
    case 7: return edge_address();
    case 8: address = random_below(USER_SPACE_END) & ~(PAGE_SIZE - 1); break;
    default: return random_next();
    }
    if (random_below(8) == 0)
        address += 1 + random_below(PAGE_SIZE - 1);
    return address;
}

/* A length for a memory call starting at address: mostly a few pages, sometimes
 * none, odd, huge, reaching exactly to (or one page past) the end of the user half,
 * or wrapping around past 2^64. */
unsigned long random_length(unsigned long address)
{
    static const unsigned long odd[] = { 0, 1, PAGE_SIZE - 1, PAGE_SIZE + 1, 3 * PAGE_SIZE / 2 };
    static const unsigned long huge[] = { 1UL << 30,      1UL << 40,  1UL << 46, 1UL << 47,
                                          0x7ffffffff000, -PAGE_SIZE, -1UL,      1UL << 63 };
    switch (random_below(12)) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4: return (1 + random_below(16)) * PAGE_SIZE;
    case 5: return (1 + random_below(1024)) * PAGE_SIZE;
    case 6: return PICK(odd);
    case 7:
    case 8: return PICK(huge);
    case 9: return USER_SPACE_END - address + (random_below(2) ? 0 : PAGE_SIZE);
    case 10: return -address + random_below(3) * PAGE_SIZE; /* wraps to 0 or just past */
    default: return random_next();
    }
}

long random_prot(void)
{
    static const long prots[] = {
        PROT_NONE,
        PROT_READ,
        PROT_READ | PROT_WRITE,
        PROT_READ | PROT_WRITE,
        PROT_WRITE,
        PROT_EXEC,
        PROT_READ | PROT_EXEC,
        PROT_READ | PROT_WRITE | PROT_EXEC,
        PROT_READ | PROT_GROWSDOWN,
        PROT_READ | PROT_WRITE | PROT_GROWSUP,
        PROT_SEM,
        -1,
    };
    return random_below(16) == 0 ? (long)random_next() : PICK(prots);
}

long random_map_flags(void)
{
    static const long kinds[] = { MAP_PRIVATE, MAP_PRIVATE,
                                  MAP_PRIVATE, MAP_SHARED,
                                  MAP_SHARED,  MAP_SHARED_VALIDATE,
                                  0,           MAP_SHARED | MAP_PRIVATE };
    static const long extras[] = { MAP_POPULATE, MAP_NORESERVE, MAP_GROWSDOWN, MAP_STACK,
                                   MAP_LOCKED,   MAP_32BIT,     MAP_HUGETLB };
    long flags = PICK(kinds);
    if (random_below(10) != 0)
        flags |= MAP_ANONYMOUS;
    unsigned long placement = random_below(10);
    if (placement < 3)
        flags |= MAP_FIXED;
    else if (placement == 3)
        flags |= MAP_FIXED_NOREPLACE;
    if (random_below(4) == 0)
        flags |= PICK(extras);
    if (random_below(16) == 0)
        flags |= 1L << random_below(32);
    return flags;
}

/* File descriptors: -1 as anonymous mappings pass it, and some that are not open.
 * Never 0-2: on Linux those may be files, which a mapping could change. */
long random_fd(void)
{
    static const long fds[] = { -1, -1, -1, 3, 1000, -100, 0x7fffffff };
    return PICK(fds);
}

long random_offset(void)
{
    static const long offsets[] = { 0, 0, 0, PAGE_SIZE, 1, -PAGE_SIZE, 1L << 40 };
    return random_below(8) == 0 ? (long)random_next() : PICK(offsets);
}

/* A pointer for the calls drawn at random: mostly ones the kernel must refuse,
 * sometimes our scratch buffer. */
long random_pointer(void)
{
    switch (random_below(8)) {
    case 0: return (long)BAD_POINTER_NULL_PAGE;
    case 1: return (long)BAD_POINTER_UNMAPPED;
    case 2: return (long)BAD_POINTER_KERNEL;
    case 3: return (long)BAD_POINTER_NONCANONICAL;
    case 4: return (long)image_last_bytes(1 + random_below(IMAGE_TAIL_SIZE)); /* runs off */
    case 5: return (long)__image_start + (long)random_below(64); /* our read-only code */
    case 6: return 0;
    default: return (long)scratch + (long)random_below(SCRATCH_SIZE / 2);
    }
}

long random_argument(void)
{
    static const long interesting[] = { 0, 1, 2, 3, 4, 5, 8, 16, 64, 255, 4096, -1, -100 };
    switch (random_below(5)) {
    case 0:
    case 1: return PICK(interesting);
    case 2: return (long)random_next();
    case 3: return (long)(uint32_t)random_next();
    default: return random_pointer();
    }
}

/* A pointer the kernel can never read. (Not BAD_POINTER_UNMAPPED: the random
 * mmaps may well have mapped that.) */
long unreadable_pointer(void)
{
    return random_below(2) ? (long)BAD_POINTER_KERNEL : (long)BAD_POINTER_NONCANONICAL;
}
