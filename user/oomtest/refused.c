/*
 * refused.c — asking for address space, not memory: mmap and brk until refused,
 * nobody killed; then brk touching what it gets.
 */
#include "oomtest.h"

/* ---- asking for address space, not memory ---- */

static int mmap_until_refused(void *unused)
{
    (void)unused;
    long count = 0, result;
    while (!IS_ERROR(result = sys_mmap(NULL, ADDRESS_STEP, PROT_READ | PROT_WRITE,
                                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)))
        count++;
    printf("  %ld GiB mapped, then %s\n", count * (ADDRESS_STEP / GIB), errno_name(result));
    return result == -ENOMEM && count * ADDRESS_STEP > 100000 * GIB ? 0 : PAGES_WRONG;
}

static int brk_until_refused(void *unused)
{
    (void)unused;
    unsigned long start = (unsigned long)sys_brk(0), now = start;
    for (;;) {
        unsigned long asked = now + ADDRESS_STEP, got = (unsigned long)sys_brk(asked);
        if (got != asked)
            break;
        now = got;
    }
    printf("  the break grew by %lu GiB, then was refused\n", (now - start) / GIB);
    return now - start > 100000 * GIB ? 0 : PAGES_WRONG;
}

static int brk_touching(void *unused)
{
    (void)unused;
    unsigned long now = (unsigned long)sys_brk(0);
    for (;;) {
        unsigned long asked = now + (1ul << 20);
        if ((unsigned long)sys_brk(asked) != asked)
            return PAGES_WRONG; /* refused before memory ran out: wrong here */
        fill((char *)now, (1l << 20) / PAGE_SIZE, sys_getpid(), BY_CPU);
        now = asked;
    }
}

void until_refused(void)
{
    check_section("address space until refused: no frames needed, so no one is killed");
    EXPECT(exited_with(run_in_child(mmap_until_refused, NULL), 0),
           "a child mmaps 16 GiB at a time, untouched, until ENOMEM, and exits normally");
    EXPECT(
        exited_with(run_in_child(brk_until_refused, NULL), 0),
        "a child grows its break 16 GiB at a time, untouched, until refused, and exits normally");
    long status = run_in_child(brk_touching, NULL);
    killed_in_all += killed_by(status, SIGKILL);
    EXPECT(killed_by(status, SIGKILL),
           "a child growing its break and touching it is killed by SIGKILL");
}
