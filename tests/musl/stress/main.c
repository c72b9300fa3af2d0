/*
 * stress — virtual-memory stress programs, one per file (tests/musl/stress/):
 *
 *   stress huge [MIB]                 a global array bigger than memory, touched and read back
 *   stress matmult [N [K]]            a matrix product whose sum is known in advance
 *   stress sort [MIB]                 quicksort of pseudo-random numbers, checked
 *   stress ctest [MIB]                a linked list chased across many pages
 *   stress parallelvm [PROCS [N]]     matrix products in several processes at once
 *   stress bigfork [MIB [CHILDREN]]   copy-on-write of a big region across many forks
 *   stress swapverify [--expect-swap] [MIB]
 *                                     every byte of a region 3x memory, across fork
 *                                     and munmap; swap counters moved (with the flag)
 *
 * Each ends with "NAME: PASS" (exit 0) or "NAME: FAIL (N checks failed)" (exit 1).
 * Without a program name it prints this list and exits 0 (make user-test-host runs
 * every musl program with two words of its own). tests/boot/swap-stress.sh runs
 * them on vmlab with 32 MiB of memory and a swap disk.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "stress.h"

#define ALARM_SECONDS 900 /* a program that hangs dies of SIGALRM, on any kernel */

static const struct {
    const char *name;
    int (*main)(int argc, char **argv);
} programs[] = {
    { "huge", huge_main },
    { "matmult", matmult_main },
    { "sort", sort_main },
    { "ctest", ctest_main },
    { "parallelvm", parallelvm_main },
    { "bigfork", bigfork_main },
    { "swapverify", swapverify_main },
};

/* The list of programs, for a call without a known name. */
static int usage(void)
{
    printf("usage: stress PROGRAM [ARGUMENTS]; the programs:");
    for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++)
        printf(" %s", programs[i].name);
    printf("\n");
    return 0;
}

/* Runs the program named by argv[1] with the rest of the arguments. */
int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0); /* lines in order across fork, none lost at exit */
    alarm(ALARM_SECONDS);
    if (argc < 2)
        return usage();
    for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++)
        if (strcmp(argv[1], programs[i].name) == 0)
            return programs[i].main(argc - 1, argv + 1);
    return usage();
}
