/*
 * image.c — the edge of the program's memory, from the linker's symbols.
 */
#include "image.h"

void *image_unmapped_start(void)
{
    uintptr_t end = (uintptr_t)_end;
    return (void *)((end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
}

/* linker.ld ends the bss with 64 bytes of its own (image_tail), so the last 64
 * bytes of the last mapped page never belong to a variable of the program. */
char *image_last_bytes(size_t n)
{
    if (n == 0 || n > IMAGE_TAIL_SIZE)
        n = IMAGE_TAIL_SIZE;
    return (char *)image_unmapped_start() - n;
}
