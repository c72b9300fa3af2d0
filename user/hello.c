/*
 * hello — the smallest program: it prints a greeting and the arguments it was given.
 *
 * The arguments arrive on the stack (see lib/crt0.asm): argv[0] is the program's own
 * path, "/bin/hello", and argv[argc] is NULL.
 */
#include "user/lib/stdio.h"

int main(int argc, char **argv)
{
    printf("hello, world\n");
    printf("I was started with %d argument%s:\n", argc, argc == 1 ? "" : "s");
    for (int i = 0; i < argc; i++)
        printf("  argv[%d] = \"%s\"\n", i, argv[i]);
    return 0;
}
