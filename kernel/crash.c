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
 * noinline keeps each step a real frame; volatile keeps the compiler from proving
 * the access undefined and dropping it.
 */
#include "crash.h"

#include <stdint.h>

#include "lib/string.h"
#include "panic.h"
#include "printk.h"

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

static void __attribute__((noinline)) crash_dispatch(const char *kind)
{
    if (strcmp(kind, "null") == 0)
        crash_null_write();
    else if (strcmp(kind, "gp") == 0)
        crash_non_canonical_read();
    else if (strcmp(kind, "ud") == 0)
        crash_invalid_opcode();
    else if (strcmp(kind, "div") == 0)
        crash_divide_by_zero();
    else if (strcmp(kind, "panic") == 0)
        panic("a deliberate panic (crash=panic)");
    else if (strcmp(kind, "assert") == 0)
        crash_assert();
}

void crash_run(const char *kind)
{
    kprintf("crash: triggering \"%s\" on purpose\n", kind);
    crash_dispatch(kind);
    kprintf("crash: unknown kind \"%s\" (null, gp, ud, div, panic, assert)\n", kind);
}
