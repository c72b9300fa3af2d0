/*
 * vma_layout.c — building address spaces from pictures and drawing them back
 * (see vma_layout.h).
 */
#include "vma_layout.h"

#include <stdio.h>
#include <stdlib.h>

#include "mm/as.h"
#include "mm/vma.h"

struct kind {
    char letter;
    uint32_t prot, flags;
};

static const struct kind kinds[] = {
    { 'w', VMA_READ | VMA_WRITE, 0 },          { 'r', VMA_READ, 0 },
    { 'x', VMA_READ | VMA_EXEC, 0 },           { 'n', 0, 0 },
    { 's', VMA_READ | VMA_WRITE, VMA_SHARED }, { 'g', VMA_READ | VMA_WRITE, VMA_GROWSDOWN },
};

#define KINDS (sizeof kinds / sizeof kinds[0])

static const struct kind *kind_of_letter(char letter)
{
    for (size_t i = 0; i < KINDS; i++)
        if (kinds[i].letter == letter)
            return &kinds[i];
    fprintf(stderr, "vma_layout: no region kind is drawn as '%c'\n", letter);
    abort();
}

static char letter_of(const struct vma *vma)
{
    for (size_t i = 0; i < KINDS; i++)
        if (kinds[i].prot == vma->prot && kinds[i].flags == vma->flags)
            return kinds[i].letter;
    return '?';
}

size_t layout_pages(const char *picture)
{
    size_t pages = 0;
    for (const char *c = picture; *c != '\0'; c++)
        pages += *c != '|';
    return pages;
}

vaddr_t layout_below_mmap_top(const char *picture)
{
    return MMAP_TOP - layout_pages(picture) * PAGE_SIZE;
}

/* One region per run of a letter, cut where the picture has a '|'. */
struct addr_space *layout_space(vaddr_t base, const char *picture)
{
    struct addr_space *as = calloc(1, sizeof *as);
    avl_init(&as->vmas);
    as->refcount = 1;
    vaddr_t va = base;
    for (const char *c = picture; *c != '\0';) {
        if (*c == '|' || *c == '.') {
            va += *c == '.' ? PAGE_SIZE : 0;
            c++;
            continue;
        }
        const char *run = c;
        while (*c == *run)
            c++;
        const struct kind *kind = kind_of_letter(*run);
        vaddr_t end = va + (vaddr_t)(c - run) * PAGE_SIZE;
        if (vma_create(as, va, end, kind->prot, kind->flags) == NULL) {
            fprintf(stderr, "vma_layout: could not create 0x%lx-0x%lx for \"%s\"\n", va, end,
                    picture);
            abort();
        }
        va = end;
    }
    return as;
}

const char *layout_draw(struct addr_space *as, vaddr_t base, size_t pages)
{
    static char picture[1024];
    size_t n = 0;
    const struct vma *before = NULL;
    for (size_t i = 0; i < pages && n + 2 < sizeof picture; i++) {
        const struct vma *vma = vma_find(as, base + i * PAGE_SIZE);
        if (vma != NULL && before != NULL && vma != before && letter_of(vma) == letter_of(before))
            picture[n++] = '|';
        picture[n++] = vma != NULL ? letter_of(vma) : '.';
        before = vma;
    }
    picture[n] = '\0';
    return picture;
}

void layout_free(struct addr_space *as)
{
    vma_destroy_all(as);
    free(as);
}
