/*
 * remote.c — reading another process's memory (remote.h).
 *
 *   for each page of [va, va + len):
 *     its entry holds a frame (present, or PROT_NONE)?  copy through the direct map
 *     its entry names a swap slot?  swap the page in for that address space (may
 *                                   sleep), then look at the entry again
 *     anything else (untouched, lost)?  stop: the bytes end here
 */
#include "remote.h"

#include "as.h"
#include "kernel/errno.h"
#include "lib/string.h"
#include "pt.h"
#include "pte.h"
#include "swap_in.h"

/* A swap-in that has to wait (another's I/O on the page, a changed entry) is
 * tried again, a few times: each try looks at the entry afresh. */
#define REMOTE_SWAP_IN_TRIES 8

/* Copy the bytes of [va, va + len) that lie in va's page, if that page holds a
 * frame: how many (0: it holds none). Does not sleep. */
static size_t copy_resident(struct addr_space *as, vaddr_t va, uint8_t *buf, size_t len)
{
    pte_t entry = as_entry(as, align_down(va, PAGE_SIZE));
    if (!pte_holds_frame(entry))
        return 0;
    size_t offset = va % PAGE_SIZE, n = PAGE_SIZE - offset;
    if (n > len)
        n = len;
    memcpy(buf, (const uint8_t *)phys_to_virt(pte_frame(entry)) + offset, n);
    return n;
}

/* va's page is not resident: bring it back if it is swapped out (get_user_pages'
 * fault for another address space). True if the entry may hold a frame now;
 * false if it cannot, or if as went away while this slept. */
static bool bring_in(struct addr_space *as, vaddr_t va)
{
    vaddr_t page = align_down(va, PAGE_SIZE);
    for (int tries = 0; tries < REMOTE_SWAP_IN_TRIES; tries++) {
        if (!pte_is_swap(as_entry(as, page)))
            return pte_holds_frame(as_entry(as, page));
        bool major = false;
        int error = swap_in_page(as, page, false, &major); /* may sleep */
        if (!as_is_live(as))
            return false; /* its owner exited meanwhile: nothing more to read */
        if (error != 0 && error != -EAGAIN)
            return false; /* -ENOMEM, or -EIO: the page is lost to us too */
    }
    return pte_holds_frame(as_entry(as, page));
}

size_t remote_read(struct addr_space *as, vaddr_t va, void *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        /* the copy follows the check at once: nothing sleeps between, so the
         * page brought in cannot be reclaimed again before it is read */
        size_t n = copy_resident(as, va + done, (uint8_t *)buf + done, len - done);
        if (n == 0 && !bring_in(as, va + done))
            break;
        done += n;
    }
    return done;
}
