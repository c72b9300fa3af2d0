/*
 * ktest_string.c — lib/string.c compiled into the kernel (freestanding, no red
 * zone, -mcmodel=kernel). A representative subset of tests/host/test_string.c:
 * the host tests cover every edge case under ASan; these show the same code
 * also works as built for the kernel.
 */
#include "kernel/ktest.h"
#include "lib/string.h"

#define KEXPECT_STR(actual, expected)                                                              \
    KEXPECT(strcmp((actual), (expected)) == 0, "got \"%s\", expected \"%s\"", (actual), (expected))

KTEST(lib_string_memset_fills_low_byte)
{
    unsigned char buf[8] = { 0 };
    KEXPECT(memset(buf, 0x1ab, 7) == buf, "memset must return dst");
    KEXPECT_EQ(buf[0], 0xab); /* the value is converted to unsigned char */
    KEXPECT_EQ(buf[6], 0xab);
    KEXPECT_EQ(buf[7], 0); /* one past n is untouched */
}

KTEST(lib_string_memcpy_copies_n_bytes)
{
    char dst[8] = "xxxxxxx";
    KEXPECT(memcpy(dst, "abc", 3) == dst, "memcpy must return dst");
    KEXPECT_STR(dst, "abcxxxx");
}

KTEST(lib_string_memmove_overlap_dst_after_src)
{
    char s[] = "abcdef";
    memmove(s + 2, s, 4);
    KEXPECT_STR(s, "ababcd");
}

KTEST(lib_string_memmove_overlap_dst_before_src)
{
    char s[] = "abcdef";
    memmove(s, s + 2, 4);
    KEXPECT_STR(s, "cdefef");
}

KTEST(lib_string_compare_bytes_unsigned)
{
    /* C: bytes compare as unsigned char, so 0x80 sorts after 0x7f */
    KEXPECT(memcmp("\x80", "\x7f", 1) > 0, "memcmp treats bytes as signed");
    KEXPECT(strcmp("\xe9", "a") > 0, "strcmp treats bytes as signed");
    KEXPECT(strncmp("x\x80", "x\x7f", 2) > 0, "strncmp treats bytes as signed");
}

KTEST(lib_string_strncmp_stops_at_n_and_terminator)
{
    KEXPECT_EQ(strncmp("abcX", "abcY", 3), 0);
    KEXPECT_EQ(strncmp("ab\0X", "ab\0Y", 4), 0);
    KEXPECT(strncmp("ab", "abc", 5) < 0, "a prefix must sort first");
}

KTEST(lib_string_search_functions)
{
    const char *s = "a/b/c";
    KEXPECT(strchr(s, '/') == s + 1, "strchr: not the first '/'");
    KEXPECT(strrchr(s, '/') == s + 3, "strrchr: not the last '/'");
    KEXPECT(strchr(s, '\0') == s + 5, "strchr: the terminator counts as part of the string");
    KEXPECT(strchr(s, 'z') == NULL, "strchr: found a 'z'");
    KEXPECT(memchr(s, 'c', 4) == NULL, "memchr: searched past n");
    KEXPECT_EQ(strnlen(s, 3), 3);
    KEXPECT_EQ(strlen(s), 5);
}

KTEST(lib_string_strlcpy_truncates)
{
    char dst[4] = "zzz";
    KEXPECT_EQ(strlcpy(dst, "hello", sizeof dst), 5); /* strlen(src): >= size means truncated */
    KEXPECT_STR(dst, "hel");
    KEXPECT_EQ(strlcpy(dst, "hello", 0), 5);
    KEXPECT_STR(dst, "hel"); /* size 0 writes nothing */
}
