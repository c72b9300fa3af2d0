/*
 * test_parse.c — lib/parse.c's parse_u64 on the host, under ASan and UBSan.
 *
 * parse_u64 is strict: the whole string must be one number, decimal or "0x" hex,
 * and a value that does not fit in 64 bits is an error, never a wrapped result.
 */
#include <stdlib.h>

#include "check.h"
#include "lib/parse.h"
#include "lib/string.h"

/* The value a failed parse must leave untouched. */
#define UNTOUCHED 0x5a5a5a5a5a5a5a5aull

/* Parse a malloc'd exact copy of text, so ASan sees a read past its terminator. */
static bool parse_exact(const char *text, uint64_t *value)
{
    size_t size = strlen(text) + 1;
    char *copy = malloc(size);
    memcpy(copy, text, size);
    bool ok = parse_u64(copy, value);
    free(copy);
    return ok;
}

#define CHECK_PARSES(text, expected)                                                               \
    do {                                                                                           \
        uint64_t value_ = UNTOUCHED;                                                               \
        if (CHECK(parse_exact(text, &value_), "\"%s\" was rejected", text))                        \
            CHECK_EQ(value_, expected);                                                            \
    } while (0)

#define CHECK_REJECTS(text)                                                                        \
    do {                                                                                           \
        uint64_t value_ = UNTOUCHED;                                                               \
        CHECK(!parse_exact(text, &value_), "\"%s\" was accepted as %llu", text,                    \
              (unsigned long long)value_);                                                         \
        CHECK_EQ(value_, UNTOUCHED);                                                               \
    } while (0)

TEST(parse_decimal)
{
    CHECK_PARSES("0", 0);
    CHECK_PARSES("7", 7);
    CHECK_PARSES("42", 42);
    CHECK_PARSES("4096", 4096);
}

TEST(parse_decimal_leading_zeros)
{
    /* decimal, not octal as in C source: "010" is ten */
    CHECK_PARSES("010", 10);
    CHECK_PARSES("0000", 0);
}

TEST(parse_decimal_max)
{
    CHECK_PARSES("18446744073709551615", UINT64_MAX);
    CHECK_PARSES("18446744073709551610", UINT64_MAX - 5);
}

TEST(parse_decimal_overflow_rejected)
{
    CHECK_REJECTS("18446744073709551616"); /* UINT64_MAX + 1: the last digit overflows */
    CHECK_REJECTS("18446744073709551620"); /* overflows in the multiplication */
    CHECK_REJECTS("99999999999999999999");
    CHECK_REJECTS("100000000000000000000000000000");
}

TEST(parse_hex)
{
    CHECK_PARSES("0x0", 0);
    CHECK_PARSES("0x1f", 0x1f);
    CHECK_PARSES("0xdeadBEEF", 0xdeadbeef);
    CHECK_PARSES("0XFF", 0xff); /* the prefix may be upper case too */
    CHECK_PARSES("0x000010", 0x10);
}

TEST(parse_hex_max)
{
    CHECK_PARSES("0xffffffffffffffff", UINT64_MAX);
    CHECK_PARSES("0xffffffff80000000", 0xffffffff80000000ull);
}

TEST(parse_hex_overflow_rejected)
{
    CHECK_REJECTS("0x10000000000000000"); /* 17 digits */
    CHECK_REJECTS("0xfffffffffffffffff");
}

TEST(parse_empty_rejected)
{
    CHECK_REJECTS("");
}

TEST(parse_prefix_only_rejected)
{
    CHECK_REJECTS("0x");
    CHECK_REJECTS("0X");
}

TEST(parse_hex_digits_without_prefix_rejected)
{
    CHECK_REJECTS("ff");
    CHECK_REJECTS("1f");
    CHECK_REJECTS("x10");
}

TEST(parse_stray_characters_rejected)
{
    CHECK_REJECTS("12a");
    CHECK_REJECTS("1.5");
    CHECK_REJECTS("0xg");
    CHECK_REJECTS("0x1g");
    CHECK_REJECTS("00x10");
}

TEST(parse_signs_rejected)
{
    CHECK_REJECTS("-1");
    CHECK_REJECTS("+1");
    CHECK_REJECTS("0x-1");
}

TEST(parse_whitespace_rejected)
{
    /* the whole string must be the number: no surrounding blanks */
    CHECK_REJECTS(" 1");
    CHECK_REJECTS("1 ");
    CHECK_REJECTS("1\n");
    CHECK_REJECTS("0x 1");
}
