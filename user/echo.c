/*
 * echo [-n] [WORD]... — print the words, one space between them, and a newline
 * (none with -n). The shell has echo built in and its built-in wins, as in sh;
 * /bin/echo is this program: run it as `/bin/echo` or from another program.
 * (Unlike coreutils' echo, no -e: backslashes are printed as they are.)
 */
#include "lib/string.h"
#include "user/lib/stdio.h"

int main(int argc, char **argv)
{
    int first = 1;
    int newline = 1;
    if (argc > 1 && strcmp(argv[1], "-n") == 0) {
        newline = 0;
        first = 2;
    }
    for (int i = first; i < argc; i++)
        printf(i > first ? " %s" : "%s", argv[i]);
    if (newline)
        printf("\n");
    return 0;
}
