/*
 * model.c — the model of the window: for each page, is it mapped, with which
 * protection, private or shared (which page of which object), what it holds and
 * which region it belongs to; and the pattern each stamp writes into a page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "soak.h"

struct page_state model[WINDOW_PAGES];
struct object objects[MAX_OBJECTS];
uintptr_t window;
uintptr_t model_break;
uint32_t next_region, next_stamp;

uintptr_t page_address(int page)
{
    return window + (uintptr_t)page * PAGE;
}

bool model_readable(const struct page_state *s)
{
    return s->mapped && (s->prot & (PROT_READ | PROT_WRITE)); /* x86: writable is readable */
}

bool model_writable(const struct page_state *s)
{
    return s->mapped && (s->prot & PROT_WRITE);
}

uint32_t model_stamp(const struct page_state *s)
{
    return s->object >= 0 ? objects[s->object].stamp[s->index] : s->stamp;
}

/* A free object slot (dropping those no page of the window uses any more). */
int new_object(void)
{
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < MAX_OBJECTS; i++) {
            if (!objects[i].used) {
                memset(&objects[i], 0, sizeof(objects[i]));
                objects[i].used = true;
                return i;
            }
        }
        for (int i = 0; i < MAX_OBJECTS; i++)
            objects[i].used = false;
        for (int p = 0; p < WINDOW_PAGES; p++) {
            if (model[p].mapped && model[p].object >= 0)
                objects[model[p].object].used = true;
        }
    }
    fprintf(stderr, "vmsoak: out of object slots\n");
    exit(2);
}

/* Pages [first, first + count) become one new zero-filled region. */
void model_map(int first, int count, int prot, bool shared)
{
    int object = shared ? new_object() : -1;
    uint32_t region = ++next_region;
    for (int i = 0; i < count; i++)
        model[first + i] = (struct page_state){ true, prot, object, i, 0, region };
}

/* A region that a call cuts at page `at` becomes two regions (as a VMA is split). */
void model_split_at(int at)
{
    if (at <= 0 || at >= WINDOW_PAGES || !model[at].mapped || !model[at - 1].mapped ||
        model[at].region != model[at - 1].region)
        return;
    uint32_t old = model[at].region, region = ++next_region;
    for (int p = at; p < WINDOW_PAGES && model[p].mapped && model[p].region == old; p++)
        model[p].region = region;
}

void model_unmap(int first, int count)
{
    model_split_at(first);
    model_split_at(first + count);
    for (int i = 0; i < count; i++)
        model[first + i] = (struct page_state){ .object = -1 };
}

bool model_any_mapped(int first, int count)
{
    for (int i = 0; i < count; i++) {
        if (first + i < WINDOW_PAGES && model[first + i].mapped)
            return true;
    }
    return false;
}

/* ---- page contents: a stamp's pattern, word by word ---- */

uint64_t pattern_word(uint32_t stamp, size_t word)
{
    return stamp == 0 ? 0 : (stamp * 0x9e3779b97f4a7c15ULL) ^ word;
}

void fill_page(uintptr_t address, uint32_t stamp)
{
    uint64_t *words = (uint64_t *)address;
    for (size_t w = 0; w < PAGE / 8; w++)
        words[w] = pattern_word(stamp, w);
}

/* -1 if the page holds stamp's pattern, else the first byte offset that differs. */
long page_differs(uintptr_t address, uint32_t stamp)
{
    const volatile uint64_t *words = (const volatile uint64_t *)address;
    for (size_t w = 0; w < PAGE / 8; w++) {
        if (words[w] != pattern_word(stamp, w))
            return (long)(w * 8);
    }
    return -1;
}
