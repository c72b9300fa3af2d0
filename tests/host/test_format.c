/*
 * test_format.c — lib/format.c on the host, under ASan and UBSan.
 *
 * Explicit expected strings for each conversion, flag, width, precision and length,
 * including the corner cases C spells out. test_format_glibc.c compares the same
 * engine with glibc's snprintf.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "lib/format.h"
#include "lib/string.h"

/* Format with vmlab's snprintf into a roomy buffer and compare text and length. */
#define CHECK_FORMAT(expected, ...)                                                                \
    do {                                                                                           \
        char buf_[256];                                                                            \
        int n_ = snprintf(buf_, sizeof buf_, __VA_ARGS__);                                         \
        CHECK_STR(buf_, expected);                                                                 \
        CHECK_EQ(n_, strlen(expected));                                                            \
    } while (0)

/* ---- plain text and %% ---- */

TEST(format_plain_text_copied)
{
    CHECK_FORMAT("hello, world", "hello, world");
}

TEST(format_percent_percent)
{
    CHECK_FORMAT("100%", "100%%");
    CHECK_FORMAT("%d", "%%d");
}

/* ---- integer conversions ---- */

TEST(format_d_positive_negative_zero)
{
    CHECK_FORMAT("42", "%d", 42);
    CHECK_FORMAT("-42", "%d", -42);
    CHECK_FORMAT("0", "%d", 0);
}

TEST(format_i_same_as_d)
{
    CHECK_FORMAT("-7 7", "%i %i", -7, 7);
}

TEST(format_d_int_limits)
{
    CHECK_FORMAT("-2147483648", "%d", INT_MIN);
    CHECK_FORMAT("2147483647", "%d", INT_MAX);
}

TEST(format_lld_int64_limits)
{
    /* INT64_MIN has no positive counterpart: negating it must not overflow */
    CHECK_FORMAT("-9223372036854775808", "%lld", (long long)INT64_MIN);
    CHECK_FORMAT("9223372036854775807", "%lld", (long long)INT64_MAX);
    CHECK_FORMAT("-9223372036854775808", "%ld", (long)INT64_MIN);
}

TEST(format_u_limits)
{
    CHECK_FORMAT("4294967295", "%u", UINT_MAX);
    CHECK_FORMAT("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
    CHECK_FORMAT("18446744073709551615", "%lu", (unsigned long)UINT64_MAX);
}

TEST(format_u_of_negative_int_wraps)
{
    /* -1 passed for %u is read as the unsigned int with the same bits */
    CHECK_FORMAT("4294967295", "%u", (unsigned)-1);
}

TEST(format_x_lowercase)
{
    CHECK_FORMAT("deadbeef", "%x", 0xdeadbeefu);
    CHECK_FORMAT("0", "%x", 0u);
    CHECK_FORMAT("ffffffffffffffff", "%lx", (unsigned long)UINT64_MAX);
}

TEST(format_X_uppercase)
{
    CHECK_FORMAT("DEADBEEF", "%X", 0xdeadbeefu);
}

TEST(format_o_octal)
{
    CHECK_FORMAT("10", "%o", 8u);
    CHECK_FORMAT("777", "%o", 0777u);
    /* 2^64 - 1 in octal: 22 digits, the widest any conversion gets */
    CHECK_FORMAT("1777777777777777777777", "%llo", (unsigned long long)UINT64_MAX);
}

/* ---- %c, %s, %p ---- */

TEST(format_c_character)
{
    CHECK_FORMAT("a", "%c", 'a');
    CHECK_FORMAT("[x]", "[%c]", 'x');
}

TEST(format_c_nul_byte_is_output)
{
    /* a zero character is written and counted like any other */
    char buf[8];
    int n = snprintf(buf, sizeof buf, "a%cb", 0);
    CHECK_EQ(n, 3);
    CHECK(memcmp(buf, "a\0b\0", 4) == 0, "got bytes %02x %02x %02x %02x", buf[0], buf[1], buf[2],
          buf[3]);
}

TEST(format_s_string)
{
    CHECK_FORMAT("vmlab", "%s", "vmlab");
    CHECK_FORMAT("", "%s", "");
    CHECK_FORMAT("a-b", "%s-%s", "a", "b");
}

TEST(format_s_precision_reads_at_most_precision_bytes)
{
    /* not terminated: ASan proves %.3s looks at no more than 3 bytes */
    char *text = malloc(3);
    memcpy(text, "abc", 3);
    CHECK_FORMAT("abc", "%.3s", text);
    CHECK_FORMAT("ab", "%.2s", text);
    CHECK_FORMAT("", "%.0s", text);
    free(text);
}

TEST(format_p_is_0x_hex)
{
    CHECK_FORMAT("0xffffffff80001000", "%p", (void *)0xffffffff80001000ull);
    CHECK_FORMAT("0x1000", "%p", (void *)0x1000);
}

TEST(format_p_null_is_0x0)
{
    CHECK_FORMAT("0x0", "%p", (void *)0);
}

/* ---- width and the '-' and '0' flags ---- */

TEST(format_width_pads_left_with_spaces)
{
    CHECK_FORMAT("   42", "%5d", 42);
    CHECK_FORMAT("  -42", "%5d", -42);
    CHECK_FORMAT("  abc", "%5s", "abc");
    CHECK_FORMAT("    x", "%5c", 'x');
}

TEST(format_width_never_truncates)
{
    CHECK_FORMAT("12345", "%2d", 12345);
    CHECK_FORMAT("abcdef", "%3s", "abcdef");
}

TEST(format_minus_flag_left_justifies)
{
    CHECK_FORMAT("42   |", "%-5d|", 42);
    CHECK_FORMAT("abc  |", "%-5s|", "abc");
    CHECK_FORMAT("x  |", "%-3c|", 'x');
}

TEST(format_zero_flag_pads_after_sign_and_prefix)
{
    CHECK_FORMAT("00042", "%05d", 42);
    CHECK_FORMAT("-0042", "%05d", -42);
    CHECK_FORMAT("0x00ff", "%#06x", 0xffu);
    CHECK_FORMAT("00000000deadbeef", "%016lx", 0xdeadbeeful);
}

/*
 * Formats GCC warns about, on purpose: flags that C says are ignored in some
 * combination, an empty format and a NULL %s. The warnings are right for real
 * code; here the point is what our formatter does with them.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
#pragma GCC diagnostic ignored "-Wformat-overflow"

TEST(format_empty_format_gives_empty_string)
{
    CHECK_FORMAT("", "");
}

TEST(format_s_null_prints_null)
{
    const char *nothing = NULL;
    CHECK_FORMAT("(null)", "%s", nothing);
}

TEST(format_precision_turns_off_zero_flag)
{
    /* C: for d i o u x X, if a precision is given the '0' flag is ignored */
    CHECK_FORMAT("     005", "%08.3d", 5);
    CHECK_FORMAT("   -5", "%05.0d", -5);
}

TEST(format_star_negative_precision_keeps_zero_flag)
{
    /* a negative '*' precision means none, so the '0' flag pads again */
    CHECK_FORMAT("00042", "%0*.*d", 5, -1, 42);
}

TEST(format_minus_overrides_zero)
{
    /* C: if both '0' and '-' are given, '0' is ignored */
    CHECK_FORMAT("42   |", "%-05d|", 42);
}

TEST(format_plus_overrides_space)
{
    /* C: if both ' ' and '+' are given, ' ' is ignored */
    CHECK_FORMAT("+5", "%+ d", 5);
}

TEST(format_plus_and_space_ignored_for_unsigned)
{
    /* C: '+' and ' ' concern signed conversions only */
    CHECK_FORMAT("5 5 ff", "%+u % u %+x", 5u, 5u, 0xffu);
}

#pragma GCC diagnostic pop

/* ---- the '+', ' ' and '#' flags ---- */

TEST(format_plus_flag_shows_sign)
{
    CHECK_FORMAT("+5", "%+d", 5);
    CHECK_FORMAT("-5", "%+d", -5);
    CHECK_FORMAT("+0", "%+d", 0);
    CHECK_FORMAT("+0005", "%+05d", 5);
}

TEST(format_space_flag_reserves_sign_place)
{
    CHECK_FORMAT(" 5", "% d", 5);
    CHECK_FORMAT("-5", "% d", -5);
    CHECK_FORMAT(" 0005", "% 05d", 5);
}

TEST(format_hash_x_adds_prefix)
{
    CHECK_FORMAT("0xff", "%#x", 0xffu);
    CHECK_FORMAT("0XFF", "%#X", 0xffu);
    CHECK_FORMAT("  0xff", "%#6x", 0xffu);
}

TEST(format_hash_x_of_zero_has_no_prefix)
{
    /* C: "For x (or X) conversion, a nonzero result has 0x (or 0X) prefixed" */
    CHECK_FORMAT("0", "%#x", 0u);
    CHECK_FORMAT("   0", "%#4x", 0u);
}

TEST(format_hash_o_adds_leading_zero)
{
    /* C: '#' with o raises the precision just enough that the first digit is 0 */
    CHECK_FORMAT("010", "%#o", 8u);
    CHECK_FORMAT("0", "%#o", 0u); /* already starts with 0: no second one */
}

TEST(format_hash_o_with_precision)
{
    CHECK_FORMAT("010", "%#.3o", 8u); /* the precision's zero is the leading 0 */
    CHECK_FORMAT("0010", "%#.4o", 8u);
    CHECK_FORMAT("0", "%#.0o", 0u); /* nothing from %.0o of 0, then the 0 */
    CHECK_FORMAT("010", "%#.0o", 8u);
}

/* ---- precision on integers ---- */

TEST(format_precision_is_minimum_digits)
{
    CHECK_FORMAT("00042", "%.5d", 42);
    CHECK_FORMAT("-00042", "%.5d", -42);
    CHECK_FORMAT("+00042", "%+.5d", 42);
    CHECK_FORMAT("000ff", "%.5x", 0xffu);
    CHECK_FORMAT("12345", "%.2d", 12345);
}

TEST(format_precision_zero_of_zero_is_empty)
{
    /* C: "The result of converting a zero value with a precision of zero is no characters" */
    CHECK_FORMAT("", "%.0d", 0);
    CHECK_FORMAT("[]", "[%.0u]", 0u);
    CHECK_FORMAT("", "%.0x", 0u);
    CHECK_FORMAT("", "%#.0x", 0u);
    CHECK_FORMAT("", "%.d", 0); /* a lone '.' means precision 0 */
    CHECK_FORMAT("   ", "%3.0d", 0);
    CHECK_FORMAT("+", "%+.0d", 0);
}

TEST(format_precision_zero_of_nonzero_prints_digits)
{
    CHECK_FORMAT("7", "%.0d", 7);
}

TEST(format_width_and_precision_together)
{
    CHECK_FORMAT("     005", "%8.3d", 5);
    CHECK_FORMAT("    -005", "%8.3d", -5);
    CHECK_FORMAT("005     |", "%-8.3d|", 5);
    CHECK_FORMAT("  ab|", "%4.2s|", "abc");
    CHECK_FORMAT("ab  |", "%-4.2s|", "abc");
}

/* ---- '*' width and precision ---- */

TEST(format_star_width)
{
    CHECK_FORMAT("   42", "%*d", 5, 42);
    CHECK_FORMAT("00042", "%0*d", 5, 42);
}

TEST(format_star_negative_width_left_justifies)
{
    /* C: "A negative field width argument is taken as a - flag followed by a positive field width"
     */
    CHECK_FORMAT("42   |", "%*d|", -5, 42);
    CHECK_FORMAT("ab   |", "%*s|", -5, "ab");
}

TEST(format_star_precision)
{
    CHECK_FORMAT("00042", "%.*d", 5, 42);
    CHECK_FORMAT("ab", "%.*s", 2, "abcdef");
    CHECK_FORMAT("   ab", "%*.*s", 5, 2, "abcdef");
}

TEST(format_star_negative_precision_is_none)
{
    /* C: "A negative precision argument is taken as if the precision were omitted" */
    CHECK_FORMAT("abcdef", "%.*s", -1, "abcdef");
    CHECK_FORMAT("0", "%.*d", -3, 0);
}

/* ---- length modifiers ---- */

TEST(format_hh_converts_to_char)
{
    /* the int argument is converted to (signed or unsigned) char before printing */
    CHECK_FORMAT("-1", "%hhd", 255);
    CHECK_FORMAT("-128", "%hhd", 128);
    CHECK_FORMAT("5", "%hhu", 261);
    CHECK_FORMAT("ff", "%hhx", 0x1ff);
}

TEST(format_h_converts_to_short)
{
    CHECK_FORMAT("-1", "%hd", 65535);
    CHECK_FORMAT("-32768", "%hd", 32768);
    CHECK_FORMAT("7", "%hu", 65536 + 7);
    CHECK_FORMAT("ffff", "%hx", 0x1ffff);
}

TEST(format_l_reads_long)
{
    CHECK_FORMAT("-9223372036854775808", "%ld", LONG_MIN);
    CHECK_FORMAT("18446744073709551615", "%lu", ULONG_MAX);
    CHECK_FORMAT("123456789abc", "%lx", 0x123456789abcul);
}

TEST(format_ll_reads_long_long)
{
    CHECK_FORMAT("-9223372036854775808", "%lli", LLONG_MIN);
    CHECK_FORMAT("FFFFFFFFFFFFFFFF", "%llX", ULLONG_MAX);
}

TEST(format_z_reads_size_t)
{
    CHECK_FORMAT("18446744073709551615", "%zu", SIZE_MAX);
    CHECK_FORMAT("1000", "%zx", (size_t)0x1000);
    CHECK_FORMAT("-5", "%zd", (ptrdiff_t)-5); /* the signed type of size_t's width */
}

TEST(format_t_reads_ptrdiff_t)
{
    CHECK_FORMAT("-9223372036854775808", "%td", PTRDIFF_MIN);
    CHECK_FORMAT("9223372036854775807", "%td", PTRDIFF_MAX);
}

TEST(format_j_reads_intmax_t)
{
    CHECK_FORMAT("-9223372036854775808", "%jd", INTMAX_MIN);
    CHECK_FORMAT("18446744073709551615", "%ju", UINTMAX_MAX);
}

TEST(format_length_does_not_consume_next_argument)
{
    /* after a 64-bit argument the next int must still be read from its own slot */
    CHECK_FORMAT("1 2 3", "%d %lld %d", 1, 2ll, 3);
    CHECK_FORMAT("a 2 b", "%c %hhd %s", 'a', 2, "b");
}

/* ---- unknown conversions ---- */

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat" /* these formats are deliberately invalid */

TEST(format_unknown_conversion_printed_verbatim)
{
    CHECK_FORMAT("%q", "%q");
    CHECK_FORMAT("a%-5qb", "a%-5qb");
    CHECK_FORMAT("%lw", "%lw");
}

TEST(format_unknown_conversion_consumes_no_argument)
{
    CHECK_FORMAT("%q 5", "%q %d", 5);
}

TEST(format_trailing_percent_printed)
{
    CHECK_FORMAT("100%", "100%");
}

#pragma GCC diagnostic pop

/* ---- snprintf's size and return value ---- */

TEST(format_snprintf_truncates_to_size_minus_one)
{
    char *buf = malloc(4); /* exact: ASan catches a write past the 4th byte */
    int n = snprintf(buf, 4, "hello");
    CHECK_EQ(n, 5); /* the length the whole output would have had */
    CHECK_STR(buf, "hel");
    free(buf);
}

TEST(format_snprintf_truncates_inside_conversion)
{
    char *buf = malloc(6);
    int n = snprintf(buf, 6, "%08d", 42);
    CHECK_EQ(n, 8);
    CHECK_STR(buf, "00000");
    free(buf);
}

TEST(format_snprintf_exact_fit)
{
    char *buf = malloc(6);
    int n = snprintf(buf, 6, "%s", "hello");
    CHECK_EQ(n, 5);
    CHECK_STR(buf, "hello");
    free(buf);
}

TEST(format_snprintf_size_one_gives_empty)
{
    char *buf = malloc(1);
    int n = snprintf(buf, 1, "%d", 12345);
    CHECK_EQ(n, 5);
    CHECK_EQ(buf[0], '\0');
    free(buf);
}

TEST(format_snprintf_size_zero_leaves_buffer)
{
    char buf[4] = "xyz";
    int n = snprintf(buf, 0, "%d", 12345);
    CHECK_EQ(n, 5);
    CHECK_STR(buf, "xyz");
    /* with size 0 the buffer may even be NULL: a way to measure the length */
    CHECK_EQ(snprintf(NULL, 0, "%s-%d", "abc", -1), 6);
}

static int call_vsnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(buf, size, fmt, args);
    va_end(args);
    return n;
}

TEST(format_vsnprintf_takes_va_list)
{
    char buf[32];
    int n = call_vsnprintf(buf, sizeof buf, "%s=%d", "x", 7);
    CHECK_EQ(n, 3);
    CHECK_STR(buf, "x=7");
}

/* A sink that records what it is given, to test format_v directly. */
struct recorder {
    char text[64];
    size_t used;
    int calls;
};

static void record(void *context, const char *bytes, size_t n)
{
    struct recorder *r = context;
    memcpy(r->text + r->used, bytes, n);
    r->used += n;
    r->calls++;
}

static int call_format_v(struct recorder *r, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = format_v(record, r, fmt, args);
    va_end(args);
    return n;
}

TEST(format_v_sends_every_byte_to_sink)
{
    struct recorder r = { .used = 0 };
    int n = call_format_v(&r, "[%5s|%-3d]", "ab", 7);
    CHECK_EQ(n, 11);
    CHECK_EQ(r.used, 11);
    CHECK(memcmp(r.text, "[   ab|7  ]", 11) == 0, "got \"%.*s\"", (int)r.used, r.text);
    CHECK(r.calls > 0, "the sink was never called");
}

/* ---- fields too large for C to define ---- */

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"
TEST(format_huge_width_saturates)
{
    /* 99999999999 would overflow an int; the engine caps fields at 4096 */
    char buf[8];
    int n = snprintf(buf, sizeof buf, "%99999999999d", 7);
    CHECK_EQ(n, 4096);
    CHECK_STR(buf, "       ");
}

TEST(format_int_min_star_width_does_not_overflow)
{
    char buf[8];
    int n = snprintf(buf, sizeof buf, "%*d", INT_MIN, 7); /* left-justified, capped */
    CHECK_EQ(n, 4096);
    CHECK_STR(buf, "7      ");
}

TEST(format_null_string_cut_by_precision_is_empty)
{
    /* glibc prints "(null)" only when the precision leaves room for all of it */
    const char *nothing = NULL;
    CHECK_FORMAT("", "%.3s", nothing);
    CHECK_FORMAT("(null)", "%.6s", nothing);
}
#pragma GCC diagnostic pop
