/*
 * lru.c — Least Recently Used, exactly: the page whose last reference is the
 * oldest leaves.
 *
 * The frames sit on a list in order of their last reference, most recent at the
 * head; a reference moves its frame to the head, and the victim is the tail. Each
 * step is O(1). Hardware does not tell a kernel the order of references (only an
 * Accessed bit per page), so real kernels approximate this: Clock and aging are
 * such approximations. LRU is a stack algorithm (the pages in memory with N frames
 * are always among those with N+1), so more frames never mean more faults.
 */
#include <stdlib.h>

#include "policy.h"

#define NO_LINK UINT32_MAX

struct lru {
    uint32_t head, tail; /* most and least recently used frame */
    uint32_t *prev, *next;
};

static int lru_init(struct sim *sim)
{
    struct lru *lru = calloc(1, sizeof *lru);
    sim->state = lru;
    if (!lru)
        return -1;
    lru->head = lru->tail = NO_LINK;
    lru->prev = malloc(sim->params.frames * sizeof *lru->prev);
    lru->next = malloc(sim->params.frames * sizeof *lru->next);
    return lru->prev && lru->next ? 0 : -1;
}

/* Take `frame` off the list. */
static void lru_unlink(struct lru *lru, uint32_t frame)
{
    uint32_t prev = lru->prev[frame], next = lru->next[frame];
    if (prev != NO_LINK)
        lru->next[prev] = next;
    else
        lru->head = next;
    if (next != NO_LINK)
        lru->prev[next] = prev;
    else
        lru->tail = prev;
}

/* Put `frame` (not on the list) at the head: the most recently used. */
static void lru_push_front(struct lru *lru, uint32_t frame)
{
    lru->prev[frame] = NO_LINK;
    lru->next[frame] = lru->head;
    if (lru->head != NO_LINK)
        lru->prev[lru->head] = frame;
    else
        lru->tail = frame;
    lru->head = frame;
}

static void lru_hit(struct sim *sim, uint32_t frame)
{
    lru_unlink(sim->state, frame);
    lru_push_front(sim->state, frame);
}

/* The tail is the least recently used; it leaves the list. */
static uint32_t lru_victim(struct sim *sim)
{
    struct lru *lru = sim->state;
    uint32_t victim = lru->tail;
    lru_unlink(lru, victim);
    return victim;
}

static void lru_loaded(struct sim *sim, uint32_t frame)
{
    lru_push_front(sim->state, frame);
}

static void lru_fini(struct sim *sim)
{
    struct lru *lru = sim->state;
    if (lru) {
        free(lru->prev);
        free(lru->next);
    }
    free(lru);
}

const struct policy policy_lru = {
    .name = "lru",
    .init = lru_init,
    .hit = lru_hit,
    .victim = lru_victim,
    .loaded = lru_loaded,
    .fini = lru_fini,
};
