/*
 * ktest_parse_cmdline.c — lib/parse.c and kernel/cmdline.c compiled into the
 * kernel. A representative subset of tests/host/test_parse.c and test_cmdline.c.
 */
#include <stdint.h>

#include "kernel/cmdline.h"
#include "kernel/ktest.h"
#include "lib/parse.h"
#include "lib/string.h"

#define KEXPECT_STR(actual, expected)                                                              \
    KEXPECT(strcmp((actual), (expected)) == 0, "got \"%s\", expected \"%s\"", (actual), (expected))

/* parse_u64 must accept text and produce expected. */
#define KEXPECT_PARSES(text, expected)                                                             \
    do {                                                                                           \
        uint64_t value_ = 0;                                                                       \
        if (KEXPECT(parse_u64(text, &value_), "\"%s\" was rejected", text))                        \
            KEXPECT_EQ(value_, expected);                                                          \
    } while (0)

/* parse_u64 must reject text and leave the value alone. */
#define KEXPECT_REJECTS(text)                                                                      \
    do {                                                                                           \
        uint64_t value_ = 7;                                                                       \
        KEXPECT(!parse_u64(text, &value_) && value_ == 7, "\"%s\" was accepted (value 0x%lx)",     \
                text, value_);                                                                     \
    } while (0)

KTEST(lib_parse_decimal_and_hex)
{
    KEXPECT_PARSES("0", 0);
    KEXPECT_PARSES("4096", 4096);
    KEXPECT_PARSES("010", 10); /* decimal, not octal */
    KEXPECT_PARSES("0xdeadBEEF", 0xdeadbeef);
    KEXPECT_PARSES("0X10", 0x10);
}

KTEST(lib_parse_64_bit_limits)
{
    KEXPECT_PARSES("18446744073709551615", UINT64_MAX);
    KEXPECT_PARSES("0xffffffffffffffff", UINT64_MAX);
    KEXPECT_REJECTS("18446744073709551616");
    KEXPECT_REJECTS("0x10000000000000000");
}

KTEST(lib_parse_rejects_non_numbers)
{
    KEXPECT_REJECTS("");
    KEXPECT_REJECTS("0x");
    KEXPECT_REJECTS("12a");
    KEXPECT_REJECTS("ff");
    KEXPECT_REJECTS("-1");
    KEXPECT_REJECTS(" 1");
}

KTEST(cmdline_has_finds_words_anywhere)
{
    const char *line = "test panic=poweroff poweroff=5";
    KEXPECT(cmdline_has(line, "test"), "first word not found");
    KEXPECT(cmdline_has(line, "panic"), "middle word not found");
    KEXPECT(cmdline_has(line, "poweroff"), "last word not found");
    KEXPECT(!cmdline_has(line, "crash"), "absent word found");
    KEXPECT(!cmdline_has("", "test"), "found in an empty command line");
}

KTEST(cmdline_has_whole_names_only)
{
    KEXPECT(!cmdline_has("tests=1 testing", "test"), "matched a longer name");
    KEXPECT(!cmdline_has("crash=test", "test"), "matched a value");
    KEXPECT(cmdline_has("tests=1  test", "test"), "missed the word after a prefix word");
}

KTEST(cmdline_get_reads_values)
{
    char value[16];
    KEXPECT(cmdline_get("a=1  tests=2 test=lib_x", "test", value, sizeof value), "test not found");
    KEXPECT_STR(value, "lib_x");
    KEXPECT(cmdline_get("x test y", "test", value, sizeof value), "bare test not found");
    KEXPECT_STR(value, ""); /* `name` alone gives an empty value */
}

KTEST(cmdline_get_truncates_to_buffer)
{
    char value[8] = "guard!!";
    KEXPECT(cmdline_get("panic=poweroff", "panic", value, 6), "panic not found");
    KEXPECT_STR(value, "power");
    KEXPECT_EQ(value[6], '!'); /* nothing written past size */
}

KTEST(cmdline_get_missing_leaves_value)
{
    char value[4] = "abc";
    KEXPECT(!cmdline_get("tests=1", "test", value, sizeof value), "test wrongly found");
    KEXPECT_STR(value, "abc");
}
