/*
 * ktest_format.c — lib/format.c compiled into the kernel. A representative subset
 * of tests/host/test_format.c: the host tests cover every conversion and compare
 * against glibc; these show the formatter also works as built for the kernel
 * (varargs with -mgeneral-regs-only, no red zone, -mcmodel=kernel).
 */
#include <stdint.h>

#include "kernel/ktest.h"
#include "lib/format.h"
#include "lib/string.h"

/* Format into a local buffer and compare text and returned length. */
#define KEXPECT_FORMAT(expected, ...)                                                              \
    do {                                                                                           \
        char buf_[96];                                                                             \
        int n_ = snprintf(buf_, sizeof buf_, __VA_ARGS__);                                         \
        KEXPECT(strcmp(buf_, expected) == 0 && n_ == (int)strlen(expected),                        \
                "got \"%s\" (returns %d), expected \"%s\"", buf_, n_, expected);                   \
    } while (0)

KTEST(lib_format_signed_integers)
{
    KEXPECT_FORMAT("42 -42 0", "%d %i %d", 42, -42, 0);
    KEXPECT_FORMAT("-2147483648", "%d", INT32_MIN);
    /* INT64_MIN has no positive counterpart: negating it must not overflow */
    KEXPECT_FORMAT("-9223372036854775808", "%ld", (long)INT64_MIN);
}

KTEST(lib_format_unsigned_64_bit)
{
    KEXPECT_FORMAT("18446744073709551615", "%lu", (unsigned long)UINT64_MAX);
    KEXPECT_FORMAT("ffffffffffffffff", "%lx", (unsigned long)UINT64_MAX);
    KEXPECT_FORMAT("FFFFFFFF80000000", "%lX", 0xffffffff80000000ul);
    KEXPECT_FORMAT("1777777777777777777777", "%lo", (unsigned long)UINT64_MAX);
}

KTEST(lib_format_flags)
{
    KEXPECT_FORMAT("42   |", "%-5d|", 42);
    KEXPECT_FORMAT("-0042", "%05d", -42);
    KEXPECT_FORMAT("+5| 5", "%+d|% d", 5, 5);
    KEXPECT_FORMAT("0xff 0XFF 010", "%#x %#X %#o", 0xffu, 0xffu, 8u);
    KEXPECT_FORMAT("0x0000ff", "%#08x", 0xffu);
}

KTEST(lib_format_zero_corner_cases)
{
    KEXPECT_FORMAT("0", "%#x", 0u);    /* C: 0x is prefixed only to a nonzero value */
    KEXPECT_FORMAT("0", "%#o", 0u);    /* already starts with 0 */
    KEXPECT_FORMAT("[]", "[%.0d]", 0); /* C: precision 0 of value 0 is no characters */
}

KTEST(lib_format_width_and_precision)
{
    KEXPECT_FORMAT("     005", "%8.3d", 5);
    KEXPECT_FORMAT("42   |", "%*d|", -5, 42); /* negative '*' width means '-' */
    KEXPECT_FORMAT("abc", "%.*s", -1, "abc"); /* negative '*' precision means none */
    KEXPECT_FORMAT("  ab|", "%*.*s|", 4, 2, "abcdef");
}

KTEST(lib_format_length_modifiers)
{
    KEXPECT_FORMAT("-1 5", "%hhd %hhu", 255, 261); /* converted to char first */
    KEXPECT_FORMAT("-1 7", "%hd %hu", 65535, 65536 + 7);
    KEXPECT_FORMAT("4096 -3", "%zu %td", (size_t)4096, (ptrdiff_t)-3);
    KEXPECT_FORMAT("-9223372036854775808", "%jd", INTMAX_MIN);
    KEXPECT_FORMAT("1 2 3", "%d %lld %d", 1, 2ll, 3);
}

KTEST(lib_format_char_string_pointer)
{
    const char *nothing = NULL;
    KEXPECT_FORMAT("[x]", "[%c]", 'x');
    KEXPECT_FORMAT("  ab|", "%4s|", "ab");
    KEXPECT_FORMAT("0x0", "%p", (void *)0);
    KEXPECT_FORMAT("0xffffffff80000000", "%p", (void *)0xffffffff80000000ul);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-overflow" /* NULL %s on purpose */
    KEXPECT_FORMAT("(null)", "%s", nothing);
#pragma GCC diagnostic pop
}

KTEST(lib_format_snprintf_truncates)
{
    char buf[4];
    int n = snprintf(buf, sizeof buf, "%s", "hello");
    KEXPECT(n == 5 && strcmp(buf, "hel") == 0, "got \"%s\" (returns %d)", buf, n);

    char untouched[4] = "xyz";
    n = snprintf(untouched, 0, "%d", 12345);
    KEXPECT(n == 5 && strcmp(untouched, "xyz") == 0, "size 0: got \"%s\" (returns %d)", untouched,
            n);
}

KTEST(lib_format_unknown_conversion_verbatim)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat" /* deliberately invalid conversions */
    KEXPECT_FORMAT("%q 5", "%q %d", 5);
    KEXPECT_FORMAT("100%", "100%");
#pragma GCC diagnostic pop
}
