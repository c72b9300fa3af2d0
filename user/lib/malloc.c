/*
 * malloc.c — the real memory source for the allocator core: brk for the heap,
 * mmap for large blocks, fd 2 for messages, SIGABRT for misuse. And the standard
 * names, all working on one heap, set up at the first call.
 */
#include "malloc.h"

#include "env.h"
#include "lib/string.h"
#include "malloc_heap.h"
#include "stdio.h"
#include "syscall.h"

#ifndef MALLOC_DEFAULT_POLICY
#define MALLOC_DEFAULT_POLICY POLICY_SEGREGATED /* build with -DMALLOC_DEFAULT_POLICY=... */
#endif

#define ERRNO_MAX 4095 /* results -4095..-1 are -errno */

/* sbrk on the raw brk system call. brk(addr) returns the new break, or the old one
 * if it refused; brk(0) just tells us the current break. Returns the old break, or
 * NULL if the kernel refused to move it. */
static void *brk_sbrk(void *context, long increment)
{
    static unsigned long current;
    (void)context;
    if (current == 0)
        current = (unsigned long)sys_brk(0);
    unsigned long old = current;
    if (increment != 0) {
        unsigned long wanted = old + (unsigned long)increment;
        if ((unsigned long)sys_brk(wanted) != wanted)
            return NULL;
        current = wanted;
    }
    return (void *)old;
}

static void *anonymous_map(void *context, size_t length)
{
    (void)context;
    long result =
        sys_mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return (result < 0 && result >= -ERRNO_MAX) ? NULL : (void *)result;
}

static void anonymous_unmap(void *context, void *start, size_t length)
{
    (void)context;
    sys_munmap(start, length);
}

static void *anonymous_remap(void *context, void *start, size_t old_length, size_t new_length)
{
    (void)context;
    long result = sys_mremap(start, old_length, new_length, MREMAP_MAYMOVE, NULL);
    return (result < 0 && result >= -ERRNO_MAX) ? NULL : (void *)result;
}

static void print_line(void *context, const char *line)
{
    (void)context;
    dprintf(STDERR, "%s\n", line);
}

/* Misuse: say what happened, then die the way C's abort() does. If SIGABRT is
 * caught or blocked, exit with 128 + SIGABRT instead. */
static void abort_program(void *context, const char *message)
{
    (void)context;
    dprintf(STDERR, "%s\n", message);
    sys_kill((int)sys_getpid(), SIGABRT);
    sys_exit_group(128 + SIGABRT);
}

static const struct heap_source brk_source = {
    .sbrk = brk_sbrk,
    .map = anonymous_map,
    .unmap = anonymous_unmap,
    .remap = anonymous_remap,
    .print = print_line,
    .abort = abort_program,
};

static struct heap *the_heap(void)
{
    static struct heap heap;
    static int ready;
    if (!ready) {
        heap_init(&heap, &brk_source,
                  heap_policy_from_name(getenv("MALLOC_POLICY"), MALLOC_DEFAULT_POLICY));
        /* MALLOC_SMALL=0: no runs, every request gets a heap block with tags (to
         * see what runs save). */
        const char *small = getenv("MALLOC_SMALL");
        if (small != NULL && strcmp(small, "0") == 0)
            heap.small_max = 0;
        ready = 1;
    }
    return &heap;
}

void *malloc(size_t n)
{
    return heap_malloc(the_heap(), n);
}
void free(void *p)
{
    heap_free(the_heap(), p);
}
void *calloc(size_t count, size_t size)
{
    return heap_calloc(the_heap(), count, size);
}
void *realloc(void *p, size_t n)
{
    return heap_realloc(the_heap(), p, n);
}
void *aligned_alloc(size_t alignment, size_t n)
{
    return heap_aligned_alloc(the_heap(), alignment, n);
}
size_t malloc_usable_size(void *p)
{
    return heap_usable_size(the_heap(), p);
}
int malloc_check(void)
{
    return heap_check(the_heap());
}
void malloc_stats(void)
{
    heap_stats(the_heap());
}

int posix_memalign(void **out, size_t alignment, size_t n)
{
    return heap_posix_memalign(the_heap(), out, alignment, n);
}
