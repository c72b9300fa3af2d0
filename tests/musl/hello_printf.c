/*
 * hello_printf — printf from a real C library (musl), with many formats, and the
 * arguments. argv[0] differs between systems (/bin/hello_printf on vmlab), so only
 * its last component is printed.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *slash = strrchr(argv[0], '/');
    printf("hello from musl's printf, program %s\n", slash ? slash + 1 : argv[0]);
    printf("integers: %d %i %u %ld %lld %+d % d\n", -42, 17, 4000000000u, -1234567890123L,
           9223372036854775807LL, 5, 6);
    printf("bases: %x %X %#x %o %#o\n", 48879, 48879, 255, 8, 8);
    printf("widths: [%5d] [%-5d] [%05d] [%.3d] [%*d]\n", 42, 42, 42, 7, 6, 9);
    printf("strings: [%s] [%10s] [%-10s] [%.3s] %c%c\n", "abc", "right", "left", "truncate", 'o',
           'k');
    printf("floating point: %f %.2f %e %g %g %.0f\n", 3.14159, 2.71828, 12345.678, 0.0001, 1e20,
           2.5);
    printf("size_t: %zu, percent: %%\n", sizeof(long));
    printf("%d argument%s:", argc - 1, argc == 2 ? "" : "s");
    for (int i = 1; i < argc; i++)
        printf(" [%s]", argv[i]);
    printf("\n");
    return 0;
}
