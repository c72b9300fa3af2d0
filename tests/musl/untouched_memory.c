/*
 * untouched_memory.c — memory the program never wrote reads as zeros, however
 * much of it there is: a 64 MiB .bss costs nothing until touched (demand-zero).
 */
#include <stdio.h>

#define SIZE (64 * 1024 * 1024)

static unsigned char big[SIZE];

int main(void)
{
    unsigned long sum = 0;
    for (long i = 0; i < SIZE; i += 4096)
        sum += big[i];
    printf("read one byte of every page of a 64 MiB bss: sum %lu\n", sum);
    for (long i = 0; i < SIZE; i += 4096 * 16)
        big[i] = 1;
    sum = 0;
    for (long i = 0; i < SIZE; i += 4096)
        sum += big[i];
    printf("after writing every 16th page: sum %lu\n", sum);
    return 0;
}
