/*
 * bad_access.c — the forbidden accesses themselves. opaque_pointer (image.h)
 * hides each address from the compiler, which would otherwise remove accesses it
 * can prove undefined.
 */
#include "bad_access.h"

#include <stdint.h>

#include "image.h"

/* One byte of code, `ret`, kept in writable data (and, below, on the stack): the
 * pages are not executable, so calling it must fault. */
static unsigned char data_code[16] = { 0xc3 };
static const unsigned char rodata_bytes[16] = { 1 };

void bad_null_read(void)
{
    (void)*(volatile int *)opaque_pointer(0);
}

void bad_null_write(void)
{
    *(volatile int *)opaque_pointer(0) = 1;
}

void bad_write_text(void)
{
    *(volatile unsigned char *)opaque_pointer((void *)bad_null_read) = 0xcc;
}

void bad_write_rodata(void)
{
    *(volatile unsigned char *)opaque_pointer((void *)rodata_bytes) = 2;
}

void bad_exec_data(void)
{
    void (*function)(void) = opaque_pointer(data_code);
    function();
}

void bad_exec_stack(void)
{
    unsigned char stack_code[16] = { 0xc3 };
    void (*function)(void) = opaque_pointer(stack_code);
    function();
}

void bad_read_kernel(void)
{
    (void)*(volatile uint64_t *)BAD_POINTER_KERNEL;
}

void bad_read_noncanonical(void)
{
    (void)*(volatile uint64_t *)BAD_POINTER_NONCANONICAL;
}

void bad_privileged(void)
{
    __asm__ volatile("hlt"); /* only ring 0 may halt the CPU */
}
