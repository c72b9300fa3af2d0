/*
 * crash.c — deliberate kernel crashes, selected by `crash=KIND` on the command line.
 *
 * Each kind triggers one exception from inside a short chain of functions, so the
 * report shows the decoded exception and a backtrace that names them:
 *   crash=null     write through a NULL pointer            -> page fault
 *   crash=gp       read a non-canonical address            -> general protection
 *   crash=ud       execute an undefined instruction (ud2)  -> invalid opcode
 *   crash=div      divide by zero                          -> divide error
 *   crash=panic    call panic()
 *   crash=assert   fail an assert()
 *   crash=write-text      write into the kernel's own code     -> page fault (read-only)
 *   crash=exec-data       jump into the kernel's data          -> page fault (no-execute)
 *   crash=stack-overflow  recurse until the stack's guard page -> double fault
 *   crash=guard           read the guard page below the stack  -> page fault
 *   crash=kfree-twice     kfree the same object twice          -> panic naming the caller
 *   crash=kfree-middle    kfree a pointer into an object       -> panic
 *   crash=kfree-static    kfree memory kmalloc never returned  -> panic
 *   crash=frame-twice     pmm_free the same frame twice        -> panic naming the caller
 * noinline keeps each step a real frame; volatile keeps the compiler from proving
 * the access undefined and dropping it.
 */
#include "crash.h"

#include <stdint.h>

#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/kvmap.h"
#include "mm/pmm.h"
#include "panic.h"
#include "printk.h"
#include "x86.h"

#define NON_CANONICAL_ADDRESS 0x8000000000000000ull /* bits 63..47 not all equal */

static void __attribute__((noinline)) crash_null_write(void)
{
    volatile uint64_t *null = (volatile uint64_t *)0;
    *null = 0xdead;
}

static void __attribute__((noinline)) crash_non_canonical_read(void)
{
    volatile uint64_t *p = (volatile uint64_t *)NON_CANONICAL_ADDRESS;
    (void)*p;
}

static void __attribute__((noinline)) crash_invalid_opcode(void)
{
    __asm__ volatile("ud2");
}

static void __attribute__((noinline)) crash_divide_by_zero(void)
{
    /* both operands volatile: GCC rewrites a constant 1 / x as a comparison */
    volatile int dividend = 1, zero = 0;
    volatile int result = dividend / zero;
    (void)result;
}

static void __attribute__((noinline)) crash_assert(void)
{
    volatile int frames = 3;
    assert(frames == 4, "frames = %d, expected 4 (a deliberate assertion failure)", frames);
}

static void __attribute__((noinline)) crash_write_kernel_text(void)
{
    *(volatile uint8_t *)crash_run = 0xcc; /* an int3 over our own first byte */
}

/* A "ret" instruction placed in .data: executable bytes, but a no-execute page. */
static uint8_t ret_in_data[16] = { 0xc3 };

static void __attribute__((noinline)) crash_execute_kernel_data(void)
{
    void (*fn)(void) = (void (*)(void))(uintptr_t)ret_in_data;
    fn();
}

/* Each call takes a frame of a few hundred bytes; using `pad` after the recursive
 * call keeps the compiler from turning the recursion into a loop. The limit is
 * never reached (a 16 KiB stack holds about 60 frames); it only tells the
 * compiler that the recursion could end. */
static volatile int recursion_limit = 1 << 30;

static int __attribute__((noinline)) crash_recurse(int depth)
{
    volatile char pad[256];
    if (depth == recursion_limit)
        return 0;
    pad[0] = (char)depth;
    int below = crash_recurse(depth + 1);
    return below + pad[0];
}

static void __attribute__((noinline)) crash_read_guard_page(void)
{
    uint64_t rsp;
    __asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
    vaddr_t page = align_down(rsp, PAGE_SIZE);
    while (kvmap_guard_owner(page) == NULL && page >= KVMAP_BASE)
        page -= PAGE_SIZE; /* down to the guard page below this stack */
    (void)*(volatile uint64_t *)page;
}

static void __attribute__((noinline)) crash_kfree_twice(void)
{
    void *object = kmalloc(40);
    kfree(object);
    kfree(object);
}

static void __attribute__((noinline)) crash_kfree_middle(void)
{
    char *object = kmalloc(64);
    kfree(object + 8);
}

static void __attribute__((noinline)) crash_kfree_static(void)
{
    static char not_from_kmalloc[32];
    kfree(not_from_kmalloc);
}

static void __attribute__((noinline)) crash_free_frame_twice(void)
{
    paddr_t frame = pmm_alloc(FRAME_KERNEL);
    pmm_free(frame);
    pmm_free(frame);
}

static const struct {
    const char *kind;
    void (*crash)(void);
} crashes[] = {
    { "null", crash_null_write },
    { "gp", crash_non_canonical_read },
    { "ud", crash_invalid_opcode },
    { "div", crash_divide_by_zero },
    { "assert", crash_assert },
    { "write-text", crash_write_kernel_text },
    { "exec-data", crash_execute_kernel_data },
    { "guard", crash_read_guard_page },
    { "kfree-twice", crash_kfree_twice },
    { "kfree-middle", crash_kfree_middle },
    { "kfree-static", crash_kfree_static },
    { "frame-twice", crash_free_frame_twice },
};

static void __attribute__((noinline)) crash_dispatch(const char *kind)
{
    for (size_t i = 0; i < sizeof crashes / sizeof crashes[0]; i++) {
        if (strcmp(kind, crashes[i].kind) == 0)
            crashes[i].crash();
    }
    if (strcmp(kind, "stack-overflow") == 0)
        crash_recurse(0);
    if (strcmp(kind, "panic") == 0)
        panic("a deliberate panic (crash=panic)");
}

void crash_run(const char *kind)
{
    kprintf("crash: triggering \"%s\" on purpose\n", kind);
    crash_dispatch(kind);
    kprintf("crash: unknown kind \"%s\"; known: panic stack-overflow", kind);
    for (size_t i = 0; i < sizeof crashes / sizeof crashes[0]; i++)
        kprintf(" %s", crashes[i].kind);
    kprintf("\n");
}
