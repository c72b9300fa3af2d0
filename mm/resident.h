/*
 * resident.h — resident sets: the pages reclaim may choose from, in a circle.
 *
 * Every anonymous page that some page-table entry maps is on one resident set:
 * the machine's (resident_global), or the set of a region that has a resident
 * limit of its own (a local set, for the replay of a trace with N frames). A set
 * is the classic clock of the textbooks: the pages in a circle in the order they
 * were loaded, and a hand pointing at one of them.
 *
 *        hand
 *         v
 *   ... -> A -> B -> C -> D -> (back to A)       A was loaded longest ago
 *
 * A new page goes in just behind the hand (between D and A here), so that while
 * the hand does not move it points at the oldest page: FIFO's victim. Clock moves
 * the hand past pages used since it last looked (mm/replace.h). The circle is
 * linked through struct page's lru_prev/lru_next, by frame number (0: none), so a
 * set costs no memory of its own.
 */
#ifndef MM_RESIDENT_H
#define MM_RESIDENT_H

#include <stdint.h>

#include "addr.h"

struct page;

struct resident_set {
    uint32_t hand;  /* the frame number the hand points at; 0 when the set is empty */
    uint64_t count; /* pages on it */
    uint64_t limit; /* most pages it may hold (0: no limit of its own) */
    paddr_t owner;  /* a local set's address space (its PML4); 0: resident_global */
};

/* The set of every anonymous page not on a local set. */
extern struct resident_set resident_global;

/* Put page on set, just behind the hand (the newest page). */
void resident_insert(struct resident_set *set, struct page *page);

/* Take page off its set (if on one); the hand moves on to the next page if it
 * pointed at this one. */
void resident_remove(struct page *page);

/* The page at the hand (NULL if the set is empty), and moving the hand one on. */
struct page *resident_at_hand(const struct resident_set *set);
void resident_advance(struct resident_set *set);

/* The page after page in the circle (page itself when it is alone). */
struct page *resident_next(const struct page *page);

#endif
