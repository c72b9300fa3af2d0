/*
 * exit_status — exits with the number given as its argument (0 if none), through the
 * C library's exit(), so the parent (or the test harness) can check the wait status.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int status = argc > 1 ? atoi(argv[1]) : 0;
    printf("exiting with status %d\n", status);
    return status; /* returning from main is exit(status) */
}
