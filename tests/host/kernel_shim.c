/*
 * kernel_shim.c — stand-ins for the kernel services mm/ code calls, so that its
 * pure logic runs in a host test program (see kernel_shim.h).
 */
#undef snprintf
#undef vsnprintf

#include "kernel_shim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "mm/addr.h"

uint8_t *shim_phys;
char shim_panic_message[512];
jmp_buf *shim_panic_target;

/* The fake physical memory, allocated before any test runs. */
__attribute__((constructor)) static void shim_init(void)
{
    shim_phys = aligned_alloc(PAGE_SIZE, SHIM_PHYS_SIZE);
    if (shim_phys == NULL)
        abort();
}

void *phys_to_virt(paddr_t pa)
{
    if (pa >= SHIM_PHYS_SIZE) {
        fprintf(stderr, "kernel_shim: phys_to_virt(0x%lx) beyond the fake memory\n", pa);
        abort();
    }
    return shim_phys + pa;
}

paddr_t virt_to_phys(const void *va)
{
    return (paddr_t)((const uint8_t *)va - shim_phys);
}

static void __attribute__((noreturn)) stop(const char *fmt, va_list args)
{
    vsnprintf(shim_panic_message, sizeof shim_panic_message, fmt, args);
    if (shim_panic_target != NULL)
        longjmp(*shim_panic_target, 1);
    fprintf(stderr, "unexpected panic: %s\n", shim_panic_message);
    abort();
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
    (void)file;
    (void)line;
    va_list args;
    va_start(args, fmt);
    stop(fmt, args);
}

void assert_failed(const char *file, int line, const char *condition, const char *fmt, ...)
{
    (void)file;
    (void)line;
    (void)condition;
    va_list args;
    va_start(args, fmt);
    stop(fmt, args);
}

char shim_kprintf_last[256];
unsigned long shim_kprintf_count;

/* Kernel output is not printed; the last line is kept for tests that check a
 * message (shim_kprintf_last). */
int kprintf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vsnprintf(shim_kprintf_last, sizeof shim_kprintf_last, fmt, args);
    va_end(args);
    shim_kprintf_count++;
    return 0;
}

int kinfo(const char *fmt, ...)
{
    (void)fmt;
    return 0;
}

const char *ksym_format(uint64_t address, char *buf, size_t size)
{
    snprintf(buf, size, "%p", (void *)address);
    return buf;
}
