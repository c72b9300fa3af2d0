/*
 * places.c — where the calls aim: our own image and stack (which they must miss),
 * the break, and the mappings this process made, which the next calls aim inside.
 * The fuzzer's state lives here, in .data (see SAFE_FROM_SCRATCH).
 */
#include "fuzz.h"
#include "user/lib/image.h"

uint64_t random_state SAFE_FROM_SCRATCH;
uint64_t fuzz_seed SAFE_FROM_SCRATCH;
unsigned long stack_address SAFE_FROM_SCRATCH;
unsigned long first_break SAFE_FROM_SCRATCH, current_break SAFE_FROM_SCRATCH;

struct mapping {
    unsigned long start, length; /* length 0: an empty slot */
};
static struct mapping recent[RECENT_SLOTS] SAFE_FROM_SCRATCH;
static unsigned recent_next SAFE_FROM_SCRATCH; /* the slot the next mapping replaces */

static bool overlaps(unsigned long start, unsigned long length, unsigned long from,
                     unsigned long to)
{
    unsigned long end = start + length;
    if (end < start)
        return true; /* wraps around: covers everything */
    return start < to && end > from;
}

/* Memory calls on a range that includes our own code, data or stack would kill us and
 * lose the rest of the run (Linux rightly obeys munmap(0, 1 GiB)), and the kernel
 * writing there would scramble our state: move such a range far away, where the
 * kernel still has to handle it. */
void keep_off_ourselves(long *address, long *length)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        unsigned long start = (unsigned long)*address, size = (unsigned long)*length;
        if (!overlaps(start, size, (unsigned long)__image_start,
                      (unsigned long)image_unmapped_start()) &&
            !overlaps(start, size, stack_address - STACK_MARGIN, stack_address + STACK_MARGIN))
            return;
        if (attempt == 0)
            *address = (long)FAR_AWAY;
        else
            *length = (long)PAGE_SIZE;
    }
}

/* Forget the mapping in the next slot, unmapping it (so that a long run does not
 * pile up memory), and remember [start, start + length) there instead. */
static void remember_mapping(unsigned long start, unsigned long length)
{
    struct mapping *slot = &recent[recent_next];
    recent_next = (recent_next + 1) % RECENT_SLOTS;
    if (slot->length != 0) {
        long address = (long)slot->start, size = (long)slot->length;
        keep_off_ourselves(&address, &size);
        sys_munmap((void *)address, (size_t)size);
    }
    slot->start = start;
    slot->length = length;
}

unsigned char scratch[SCRATCH_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* A page in or just around one of our recent mappings (the playground if none). */
unsigned long inside_recent_mapping(void)
{
    const struct mapping *m = &recent[random_below(RECENT_SLOTS)];
    if (m->length == 0)
        return PLAYGROUND + random_below(PLAYGROUND_PAGES) * PAGE_SIZE;
    unsigned long pages = m->length / PAGE_SIZE;
    switch (random_below(8)) {
    case 0: return m->start - PAGE_SIZE;             /* just below */
    case 1: return m->start + m->length;             /* just above */
    case 2: return m->start + m->length - PAGE_SIZE; /* its last page */
    default:
        return m->start + random_below(pages < NEAR_PAGES ? pages + 1 : NEAR_PAGES) * PAGE_SIZE;
    }
}

/* Note what a memory call did to the places we aim at. */
void learn_from(const struct call *c, long result)
{
    if (c->number == SYS_brk)
        current_break = (unsigned long)result;
    else if (IS_ERROR(result))
        return;
    else if (c->number == SYS_mmap) /* anonymous, or a file's */
        remember_mapping((unsigned long)result, (unsigned long)c->args[1]);
    else if (c->number == SYS_mremap)
        remember_mapping((unsigned long)result, (unsigned long)c->args[2]);
}
