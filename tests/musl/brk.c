/*
 * brk.c — the program break, through the raw brk system call (musl's sbrk refuses
 * anything but 0 on purpose). Linux's rules: brk returns the new break, or the old
 * one when it refuses; it cannot go below the initial break; growing maps memory
 * lazily; shrinking gives the pages back, and growing again reads zeros.
 * Only offsets are printed: the initial break is at a random address on Linux.
 */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MIB (1024 * 1024)

static char *brk_call(void *to)
{
    return (char *)syscall(SYS_brk, to);
}

int main(void)
{
    char *start = brk_call(0);
    printf("brk(0) is the current break: %s\n", brk_call(0) == start ? "yes" : "no");
    printf("brk below the initial break is refused: %s\n",
           brk_call(start - 4096) == start ? "yes" : "no");

    char *grown = brk_call(start + MIB);
    printf("grow by 1 MiB: break moved by %ld bytes\n", (long)(grown - start));
    memset(start, 0xab, MIB);
    printf("wrote 1 MiB of 0xab; last byte reads 0x%02x\n", (unsigned char)start[MIB - 1]);

    char *shrunk = brk_call(start + 4096);
    printf("shrink to 1 page: break at +%ld\n", (long)(shrunk - start));
    printf("the first page keeps its data: 0x%02x\n", (unsigned char)start[100]);

    brk_call(start + MIB);
    long nonzero = 0;
    for (long i = 4096; i < MIB; i++)
        nonzero += start[i] != 0;
    printf("grow again: bytes not zero beyond the first page: %ld\n", nonzero);

    char *odd = brk_call(start + 100);
    printf("a break need not be page-aligned: +%ld\n", (long)(odd - start));
    printf("back to the start: %s\n", brk_call(start) == start ? "yes" : "no");
    return 0;
}
