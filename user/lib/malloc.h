/*
 * malloc.h — dynamic memory for user programs: C's malloc family on the brk heap.
 *
 * Small requests in runs of equal slots (malloc_small.h), others in blocks with
 * boundary tags on explicit free lists, coalesced on free, and large requests in
 * their own mmap: see malloc_block.h, malloc_heap.c and malloc_core.c.
 * The placement policy is MALLOC_DEFAULT_POLICY (segregated fit), or the environment
 * variable MALLOC_POLICY=first|next|best|segregated, read once at the first call;
 * MALLOC_SMALL=0 turns the runs off.
 * Misuse (a pointer malloc did not return, a double free, a corrupted header)
 * prints one line naming the pointer to fd 2 and aborts the program (SIGABRT).
 */
#ifndef USER_LIB_MALLOC_H
#define USER_LIB_MALLOC_H

#include <stddef.h>

/* n bytes, 16-byte aligned (n may be 0), or NULL if there is no memory. */
void *malloc(size_t n);
/* Give back a block from this family; NULL is ignored. */
void free(void *p);
/* count * size bytes of zeros; NULL if that product overflows or memory is short. */
void *calloc(size_t count, size_t size);
/* Resize p to n bytes, keeping the contents (in place when it can). NULL p acts as
 * malloc, n == 0 frees p and returns NULL; on failure p is left untouched. */
void *realloc(void *p, size_t n);
/* n bytes aligned to alignment (a power of two); NULL if it is not one. */
void *aligned_alloc(size_t alignment, size_t n);
/* aligned_alloc into *out: 0, EINVAL (alignment not a power-of-two multiple of
 * sizeof(void *)) or ENOMEM. */
int posix_memalign(void **out, size_t alignment, size_t n);
/* How many bytes p's block really holds (>= what was asked for). */
size_t malloc_usable_size(void *p);
/* 0 if every block and free list is consistent; else print the problem, return -1. */
int malloc_check(void);
/* Print heap size, bytes in use, free blocks, fragmentation (to fd 2). */
void malloc_stats(void);

#endif
