/*
 * test_sysctl_parse.c — kernel/fs/procfs/sysctl_parse.c on the host: the rules
 * by which a write to a /proc/sys knob is read, as Linux 6.1 read the same
 * bytes (tests/boot/sysctl.sh compares whole transcripts with Linux; these
 * cases pin the rules one by one). Each write's bytes sit in a heap block of
 * exactly their size, so AddressSanitizer catches a read past the end.
 */
#include <stdlib.h>

#include "check.h"
#include "kernel/errno.h"
#include "kernel/fs/procfs/sysctl_parse.h"
#include "lib/string.h"

static int value;
static bool has_value;

/* A write of n bytes at pos to a knob of min..max: what the parse returned. */
static long write_int(const char *bytes, size_t n, uint64_t pos, int min, int max)
{
    char *copy = malloc(n + 1);
    memcpy(copy, bytes, n);
    struct sysctl_write w = { .bytes = copy, .n = n, .count = n, .pos = pos };
    value = -12345;
    long r = sysctl_parse_int(&w, min, max, &value, &has_value);
    free(copy);
    return r;
}

TEST(sysctl_int_takes_a_number_with_spaces_around_it)
{
    CHECK_EQ(write_int("250", 3, 0, 1, 60000), 3);
    CHECK(has_value && value == 250, "value %d", value);
    CHECK_EQ(write_int(" \t\n\v\f\r250 \t\n", 12, 0, 1, 60000), 12);
    CHECK_EQ(value, 250);
    CHECK_EQ(write_int("250 \r", 5, 0, 1, 60000), 5); /* \r: a space after the separator */
}

TEST(sysctl_int_refuses_junk_right_after_the_number)
{
    CHECK_EQ(write_int("250x", 4, 0, 1, 60000), -EINVAL);
    CHECK_EQ(write_int("250\r", 4, 0, 1, 60000), -EINVAL);
    CHECK_EQ(write_int("250\0x", 5, 0, 1, 60000), -EINVAL);
    CHECK_EQ(write_int("250\0", 4, 0, 1, 60000), -EINVAL);
    CHECK(!has_value, "a refused write gives no value");
}

TEST(sysctl_int_takes_the_number_and_leaves_the_rest)
{
    CHECK_EQ(write_int("250 x", 5, 0, 1, 60000), 4);
    CHECK_EQ(value, 250);
    CHECK_EQ(write_int("250 7", 5, 0, 1, 60000), 4);
    CHECK_EQ(write_int("250 \0x", 6, 0, 1, 60000), 4);
}

TEST(sysctl_int_reads_hex_and_octal_as_strtoul_does)
{
    CHECK_EQ(write_int("0x1F4", 5, 0, 1, 60000), 5);
    CHECK_EQ(value, 500);
    CHECK_EQ(write_int("0764", 4, 0, 1, 60000), 4);
    CHECK_EQ(value, 500);
    CHECK_EQ(write_int("09", 2, 0, 0, 100), -EINVAL);
    CHECK_EQ(write_int("0x", 2, 0, 0, 100), -EINVAL);
    CHECK_EQ(write_int("+5", 2, 0, 0, 100), -EINVAL);
}

TEST(sysctl_int_keeps_to_the_range)
{
    CHECK_EQ(write_int("0", 1, 0, 1, 60000), -EINVAL);
    CHECK_EQ(write_int("60001", 5, 0, 1, 60000), -EINVAL);
    CHECK_EQ(write_int("60000", 5, 0, 1, 60000), 5);
    CHECK_EQ(write_int("-0", 2, 0, 0, 1), 2);
    CHECK_EQ(value, 0);
    CHECK_EQ(write_int("-0", 2, 0, 1, 1), -EINVAL);
    CHECK_EQ(write_int("-1", 2, 0, 0, 1), -EINVAL);
    CHECK_EQ(write_int("-", 1, 0, 0, 1), -EINVAL);
    CHECK_EQ(write_int("-2147483648", 11, 0, -2147483647 - 1, 0), 11);
    CHECK_EQ(value, -2147483647 - 1);
    CHECK_EQ(write_int("2147483648", 10, 0, 0, 2147483647), -EINVAL);
    CHECK_EQ(write_int("18446744073709551616", 20, 0, 0, 1), -EINVAL);
}

TEST(sysctl_int_refuses_numbers_of_21_characters)
{
    CHECK_EQ(write_int("0x000000000000000005", 20, 0, 0, 100), 20);
    CHECK_EQ(value, 5);
    CHECK_EQ(write_int("0x0000000000000000005", 21, 0, 0, 100), -EINVAL);
    CHECK_EQ(write_int("0x0000000000000000005 ", 22, 0, 0, 100), -EINVAL);
}

TEST(sysctl_int_ignores_a_write_at_an_offset)
{
    CHECK_EQ(write_int("junk", 4, 1, 0, 100), 4);
    CHECK(!has_value, "a write at offset 1 gives no value");
    CHECK_EQ(write_int("", 0, 0, 0, 100), 0);
    CHECK(!has_value, "an empty write gives no value");
    CHECK_EQ(write_int("   ", 3, 0, 0, 100), -EINVAL);
}

TEST(sysctl_int_reads_only_the_first_4095_bytes)
{
    static char bytes[5000];
    memset(bytes, ' ', sizeof bytes);
    bytes[0] = '7', bytes[4500] = 'x';
    struct sysctl_write w = { .bytes = bytes, .n = SYSCTL_WRITE_MAX, .count = sizeof bytes };
    CHECK_EQ(sysctl_parse_int(&w, 0, 100, &value, &has_value), 5000);
    CHECK_EQ(w.pos, 5000);
    bytes[100] = 'x';
    w.pos = 0;
    CHECK_EQ(sysctl_parse_int(&w, 0, 100, &value, &has_value), 5000 - (SYSCTL_WRITE_MAX - 100));
}

/* A write of text (n bytes) at pos to a name knob holding in_force: the name after it. */
static long write_name(const char *in_force, const char *bytes, size_t n, uint64_t pos,
                       char name[16], bool *changed)
{
    char *copy = malloc(n + 1);
    memcpy(copy, bytes, n);
    strlcpy(name, in_force, 16);
    struct sysctl_write w = { .bytes = copy, .n = n, .count = n, .pos = pos };
    long r = sysctl_parse_string(&w, name, 16, changed);
    free(copy);
    return r;
}

TEST(sysctl_string_stops_at_a_newline_or_NUL)
{
    char name[16];
    bool changed;
    CHECK_EQ(write_name("clock", "fifo\nx", 6, 0, name, &changed), 6);
    CHECK(changed, "changed");
    CHECK_STR(name, "fifo");
    CHECK_EQ(write_name("clock", "fifo\0x", 6, 0, name, &changed), 6);
    CHECK_STR(name, "fifo");
    CHECK_EQ(write_name("clock", " fifo ", 6, 0, name, &changed), 6);
    CHECK_STR(name, " fifo ");
    CHECK_EQ(write_name("clock", "wsclockwsclockwsclock", 21, 0, name, &changed), 21);
    CHECK_STR(name, "wsclockwsclockw"); /* cut at 15 */
}

TEST(sysctl_string_goes_on_from_its_offset)
{
    char name[16];
    bool changed;
    CHECK_EQ(write_name("fifo", "ock", 3, 2, name, &changed), 3);
    CHECK_STR(name, "fiock");
    CHECK_EQ(write_name("fifo", "x", 1, 4, name, &changed), 1);
    CHECK_STR(name, "fifox");
    CHECK_EQ(write_name("fifo", "clock", 5, 5, name, &changed), 5);
    CHECK(!changed, "past the end: unchanged");
    CHECK_STR(name, "fifo");
}
