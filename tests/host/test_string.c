/*
 * test_string.c — lib/string.c on the host, under ASan and UBSan.
 *
 * Where a test reads or writes a buffer right up to its end, the buffer is
 * malloc'd at its exact size, so that one byte too many is an ASan report rather
 * than a silent pass.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "check.h"
#include "lib/string.h"

/* A malloc'd copy of s, exactly strlen(s) + 1 bytes. */
static char *exact_copy(const char *s)
{
    size_t size = strlen(s) + 1;
    char *copy = malloc(size);
    memcpy(copy, s, size);
    return copy;
}

/* ---- memset ---- */

TEST(string_memset_fills_and_returns_dst)
{
    unsigned char *buf = malloc(5);
    CHECK(memset(buf, 'x', 5) == buf, "memset must return dst");
    CHECK(memcmp(buf, "xxxxx", 5) == 0, "got \"%.5s\"", (char *)buf);
    free(buf);
}

TEST(string_memset_uses_only_low_byte)
{
    unsigned char buf[3];
    memset(buf, 0x1ab, sizeof buf); /* C: the value is converted to unsigned char */
    CHECK_EQ(buf[0], 0xab);
    CHECK_EQ(buf[2], 0xab);
}

TEST(string_memset_zero_length_writes_nothing)
{
    char buf[4] = "abc";
    memset(buf, 'x', 0);
    CHECK_STR(buf, "abc");
}

/* ---- memcpy ---- */

TEST(string_memcpy_copies_exactly_n_bytes)
{
    char *src = exact_copy("hello");
    char *dst = malloc(6);
    CHECK(memcpy(dst, src, 6) == dst, "memcpy must return dst");
    CHECK_STR(dst, "hello");
    free(src);
    free(dst);
}

TEST(string_memcpy_zero_length_writes_nothing)
{
    char dst[4] = "abc";
    memcpy(dst, "xyz", 0);
    CHECK_STR(dst, "abc");
}

/* ---- memmove ---- */

TEST(string_memmove_overlap_dst_after_src)
{
    /* dst > src: a forward copy would read bytes it has already overwritten */
    char s[] = "abcdef";
    CHECK(memmove(s + 2, s, 4) == s + 2, "memmove must return dst");
    CHECK_STR(s, "ababcd");
}

TEST(string_memmove_overlap_dst_before_src)
{
    /* dst < src: a backward copy would read bytes it has already overwritten */
    char s[] = "abcdef";
    memmove(s, s + 2, 4);
    CHECK_STR(s, "cdefef");
}

TEST(string_memmove_same_region_unchanged)
{
    char s[] = "abcdef";
    memmove(s, s, 6);
    CHECK_STR(s, "abcdef");
}

TEST(string_memmove_disjoint_exact_buffers)
{
    char *src = exact_copy("0123456789");
    char *dst = malloc(11);
    memmove(dst, src, 11);
    CHECK_STR(dst, "0123456789");
    free(src);
    free(dst);
}

TEST(string_memmove_zero_length_writes_nothing)
{
    char s[] = "abcdef";
    memmove(s + 1, s, 0);
    CHECK_STR(s, "abcdef");
}

/* ---- every length and alignment, against byte-by-byte answers ---- */

/* Equal byte for byte? (Not memcmp: that is one of the functions under test.) */
static bool same_bytes(const unsigned char *x, const unsigned char *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return false;
    return true;
}

/* memset, memcpy and memcmp go eight bytes at a time: lengths 0-40 at each of 8
 * alignments of each buffer, checked byte for byte, including bytes just outside. */
TEST(string_word_loops_match_bytewise_at_all_lengths_and_alignments)
{
    unsigned char a[64], b[64], want[64];
    for (size_t da = 0; da < 8; da++)
        for (size_t sa = 0; sa < 8; sa++)
            for (size_t n = 0; n <= 40; n++) {
                for (size_t i = 0; i < sizeof a; i++) {
                    a[i] = (unsigned char)(i * 7 + 1);
                    b[i] = want[i] = (unsigned char)(200 - i);
                }
                for (size_t i = 0; i < n; i++)
                    want[da + i] = a[sa + i];
                memcpy(b + da, a + sa, n);
                if (!CHECK(same_bytes(b, want, sizeof b), "memcpy n %zu dst+%zu src+%zu", n, da,
                           sa))
                    return;
                memset(b + da, 0xab, n);
                for (size_t i = 0; i < n; i++)
                    want[da + i] = 0xab;
                if (!CHECK(same_bytes(b, want, sizeof b), "memset n %zu dst+%zu", n, da))
                    return;
                for (size_t at = 0; at <= n; at++) { /* a difference at each place, or none */
                    for (size_t i = 0; i < n; i++)
                        b[da + i] = a[sa + i];
                    if (at < n)
                        b[da + at] = (unsigned char)(a[sa + at] + 0x80);
                    int got = memcmp(a + sa, b + da, n);
                    int expect = at == n ? 0 : a[sa + at] < b[da + at] ? -1 : 1;
                    if (!CHECK_EQ(got, expect))
                        return;
                }
            }
}

/* ---- memcmp ---- */

TEST(string_memcmp_equal_is_zero)
{
    CHECK_EQ(memcmp("abc", "abc", 3), 0);
}

TEST(string_memcmp_sign_follows_first_difference)
{
    int r = memcmp("abcx", "abdA", 4);
    CHECK(r < 0, "'c' < 'd' must give < 0, got %d", r);
    r = memcmp("abdA", "abcx", 4);
    CHECK(r > 0, "'d' > 'c' must give > 0, got %d", r);
}

TEST(string_memcmp_bytes_compare_unsigned)
{
    /* C: bytes compare as unsigned char, so 0x80 is greater than 0x7f */
    int r = memcmp("\x80", "\x7f", 1);
    CHECK(r > 0, "0x80 vs 0x7f: got %d, expected > 0", r);
    r = memcmp("\x01", "\xff", 1);
    CHECK(r < 0, "0x01 vs 0xff: got %d, expected < 0", r);
}

TEST(string_memcmp_ignores_bytes_past_n)
{
    CHECK_EQ(memcmp("abcX", "abcY", 3), 0);
}

TEST(string_memcmp_continues_past_nul)
{
    /* unlike strcmp, memcmp does not stop at a zero byte */
    int r = memcmp("a\0b", "a\0c", 3);
    CHECK(r < 0, "got %d, expected < 0", r);
}

TEST(string_memcmp_zero_length_is_zero)
{
    CHECK_EQ(memcmp("a", "b", 0), 0);
}

/* ---- memchr ---- */

TEST(string_memchr_finds_first_occurrence)
{
    const char *s = "abcabc";
    CHECK(memchr(s, 'c', 6) == s + 2, "got %p, expected %p", memchr(s, 'c', 6), (void *)(s + 2));
}

TEST(string_memchr_missing_is_null)
{
    char *buf = malloc(3);
    memcpy(buf, "abc", 3); /* no terminator: memchr must stop at n */
    CHECK(memchr(buf, 'z', 3) == NULL, "found a 'z' that is not there");
    free(buf);
}

TEST(string_memchr_searches_only_n_bytes)
{
    const char *s = "abcd";
    CHECK(memchr(s, 'd', 3) == NULL, "found 'd' beyond n");
}

TEST(string_memchr_finds_nul_and_high_bytes)
{
    const char s[] = "a\xe9"
                     "b";
    CHECK(memchr(s, '\0', sizeof s) == s + 3, "zero byte not found at its place");
    CHECK(memchr(s, 0xe9, 3) == s + 1, "byte 0xe9 not found");
    /* C: the value is converted to unsigned char, so 0x1e9 also finds 0xe9 */
    CHECK(memchr(s, 0x1e9, 3) == s + 1, "0x1e9 should match byte 0xe9");
}

TEST(string_memchr_zero_length_is_null)
{
    CHECK(memchr("a", 'a', 0) == NULL, "searched with n = 0");
}

/* ---- strlen, strnlen ---- */

TEST(string_strlen_counts_to_terminator)
{
    char *s = exact_copy("hello");
    CHECK_EQ(strlen(s), 5);
    CHECK_EQ(strlen(""), 0);
    CHECK_EQ(strlen("ab\0cd"), 2);
    free(s);
}

TEST(string_strnlen_stops_at_max)
{
    char *buf = malloc(4);
    memcpy(buf, "abcd", 4); /* not terminated: reading a 5th byte is an ASan error */
    CHECK_EQ(strnlen(buf, 4), 4);
    CHECK_EQ(strnlen(buf, 2), 2);
    free(buf);
}

TEST(string_strnlen_stops_at_terminator)
{
    CHECK_EQ(strnlen("abc", 10), 3);
    CHECK_EQ(strnlen("", 10), 0);
}

TEST(string_strnlen_zero_max_is_zero)
{
    CHECK_EQ(strnlen("abc", 0), 0);
}

/* ---- strcmp, strncmp ---- */

TEST(string_strcmp_equal_is_zero)
{
    char *a = exact_copy("kernel"), *b = exact_copy("kernel");
    CHECK_EQ(strcmp(a, b), 0);
    CHECK_EQ(strcmp("", ""), 0);
    free(a);
    free(b);
}

TEST(string_strcmp_orders_by_first_difference)
{
    int r = strcmp("abc", "abd");
    CHECK(r < 0, "\"abc\" vs \"abd\": got %d", r);
    r = strcmp("b", "abc");
    CHECK(r > 0, "\"b\" vs \"abc\": got %d", r);
}

TEST(string_strcmp_prefix_is_less)
{
    int r = strcmp("ab", "abc");
    CHECK(r < 0, "\"ab\" vs \"abc\": got %d", r);
    r = strcmp("abc", "ab");
    CHECK(r > 0, "\"abc\" vs \"ab\": got %d", r);
}

TEST(string_strcmp_bytes_compare_unsigned)
{
    /* C: characters compare as unsigned char; with signed char 0xe9 would be < 'a' */
    int r = strcmp("\xe9", "a");
    CHECK(r > 0, "0xe9 vs 'a': got %d, expected > 0", r);
}

TEST(string_strncmp_compares_only_n)
{
    CHECK_EQ(strncmp("abcX", "abcY", 3), 0);
    int r = strncmp("abcX", "abcY", 4);
    CHECK(r < 0, "got %d, expected < 0", r);
}

TEST(string_strncmp_stops_at_terminator)
{
    /* the bytes after the common terminator must not be compared */
    CHECK_EQ(strncmp("ab\0X", "ab\0Y", 4), 0);
    int r = strncmp("ab", "abc", 5);
    CHECK(r < 0, "\"ab\" vs \"abc\": got %d", r);
}

TEST(string_strncmp_zero_length_is_zero)
{
    CHECK_EQ(strncmp("a", "b", 0), 0);
}

TEST(string_strncmp_bytes_compare_unsigned)
{
    int r = strncmp("x\x80", "x\x7f", 2);
    CHECK(r > 0, "0x80 vs 0x7f: got %d, expected > 0", r);
}

TEST(string_strncmp_exact_buffers_no_overread)
{
    char *a = exact_copy("ab"), *b = exact_copy("ab");
    CHECK_EQ(strncmp(a, b, 100), 0);
    free(a);
    free(b);
}

/* ---- strchr, strrchr ---- */

TEST(string_strchr_finds_first)
{
    char *s = exact_copy("a/b/c");
    CHECK(strchr(s, '/') == s + 1, "got %p, expected %p", (void *)strchr(s, '/'), (void *)(s + 1));
    free(s);
}

TEST(string_strchr_missing_is_null)
{
    char *s = exact_copy("abc");
    CHECK(strchr(s, 'z') == NULL, "found a 'z' that is not there");
    free(s);
}

TEST(string_strchr_nul_finds_terminator)
{
    /* C: the terminating zero counts as part of the string */
    char *s = exact_copy("abc");
    CHECK(strchr(s, '\0') == s + 3, "got %p, expected %p", (void *)strchr(s, '\0'),
          (void *)(s + 3));
    free(s);
}

TEST(string_strchr_stops_at_embedded_nul)
{
    const char s[] = "ab\0c";
    CHECK(strchr(s, 'c') == NULL, "searched past the terminator");
}

TEST(string_strchr_high_byte)
{
    /* C: c is converted to char, so 0xe9 matches the byte 0xe9 */
    const char *s = "caf\xe9";
    CHECK(strchr(s, 0xe9) == s + 3, "byte 0xe9 not found");
}

TEST(string_strrchr_finds_last)
{
    char *s = exact_copy("a/b/c");
    CHECK(strrchr(s, '/') == s + 3, "got %p, expected %p", (void *)strrchr(s, '/'),
          (void *)(s + 3));
    CHECK(strrchr(s, 'a') == s, "a match at the first byte not found");
    free(s);
}

TEST(string_strrchr_missing_is_null)
{
    char *s = exact_copy("abc");
    CHECK(strrchr(s, 'z') == NULL, "found a 'z' that is not there");
    free(s);
}

TEST(string_strrchr_nul_finds_terminator)
{
    char *s = exact_copy("abc");
    CHECK(strrchr(s, '\0') == s + 3, "got %p, expected %p", (void *)strrchr(s, '\0'),
          (void *)(s + 3));
    free(s);
}

TEST(string_strrchr_stops_at_embedded_nul)
{
    const char s[] = "a/b\0/c";
    CHECK(strrchr(s, '/') == s + 1, "searched past the terminator");
}

/* ---- strlcpy ---- */

TEST(string_strlcpy_copies_when_it_fits)
{
    char *dst = malloc(6);
    CHECK_EQ(strlcpy(dst, "hello", 6), 5);
    CHECK_STR(dst, "hello");
    free(dst);
}

TEST(string_strlcpy_truncates_and_terminates)
{
    char *dst = malloc(4);
    /* returns strlen(src): a result >= size says the copy was truncated */
    CHECK_EQ(strlcpy(dst, "hello", 4), 5);
    CHECK_STR(dst, "hel");
    free(dst);
}

TEST(string_strlcpy_size_one_gives_empty)
{
    char *dst = malloc(1);
    CHECK_EQ(strlcpy(dst, "hello", 1), 5);
    CHECK_EQ(dst[0], '\0');
    free(dst);
}

TEST(string_strlcpy_size_zero_writes_nothing)
{
    char dst[4] = "abc";
    CHECK_EQ(strlcpy(dst, "hello", 0), 5);
    CHECK_STR(dst, "abc");
}

TEST(string_strlcpy_empty_source)
{
    char dst[4] = "abc";
    CHECK_EQ(strlcpy(dst, "", sizeof dst), 0);
    CHECK_STR(dst, "");
}
