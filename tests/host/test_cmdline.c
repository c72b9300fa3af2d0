/*
 * test_cmdline.c — kernel/cmdline.c on the host, under ASan and UBSan.
 *
 * The command line is words separated by spaces, each `name` or `name=value`.
 * Command lines and value buffers are malloc'd at their exact size, so a read past
 * the terminator or a write past the buffer is an ASan report.
 */
#include <stdlib.h>

#include "check.h"
#include "kernel/cmdline.h"
#include "lib/string.h"

/* A malloc'd copy of s, exactly strlen(s) + 1 bytes; free it when done. */
static char *exact_copy(const char *s)
{
    size_t size = strlen(s) + 1;
    char *copy = malloc(size);
    memcpy(copy, s, size);
    return copy;
}

static bool has(const char *cmdline, const char *name)
{
    char *copy = exact_copy(cmdline);
    bool found = cmdline_has(copy, name);
    free(copy);
    return found;
}

#define CHECK_HAS(cmdline, name)                                                                   \
    CHECK(has(cmdline, name), "\"%s\" not found in \"%s\"", name, cmdline)
#define CHECK_HAS_NOT(cmdline, name)                                                               \
    CHECK(!has(cmdline, name), "\"%s\" wrongly found in \"%s\"", name, cmdline)

/* cmdline_get into an exact-size value buffer of `size` bytes. */
#define CHECK_GET(cmdline, name, size, expected)                                                   \
    do {                                                                                           \
        char *line_ = exact_copy(cmdline);                                                         \
        char *value_ = malloc(size);                                                               \
        if (CHECK(cmdline_get(line_, name, value_, size), "\"%s\" not found", name))               \
            CHECK_STR(value_, expected);                                                           \
        free(value_);                                                                              \
        free(line_);                                                                               \
    } while (0)

/* ---- cmdline_has ---- */

TEST(cmdline_has_first_middle_last_word)
{
    CHECK_HAS("test panic=poweroff poweroff=5", "test");
    CHECK_HAS("test panic=poweroff poweroff=5", "panic");
    CHECK_HAS("test panic=poweroff poweroff=5", "poweroff");
}

TEST(cmdline_has_only_word)
{
    CHECK_HAS("test", "test");
    CHECK_HAS("test=lib_", "test");
}

TEST(cmdline_has_absent_word)
{
    CHECK_HAS_NOT("test panic=poweroff", "crash");
}

TEST(cmdline_has_prefix_of_longer_name_does_not_match)
{
    /* "test" is only a prefix of these words' names */
    CHECK_HAS_NOT("tests=1", "test");
    CHECK_HAS_NOT("testing", "test");
    CHECK_HAS_NOT("tests=1 testing", "test");
}

TEST(cmdline_has_longer_name_than_word_does_not_match)
{
    CHECK_HAS_NOT("te", "test");
    CHECK_HAS_NOT("te=st", "test");
}

TEST(cmdline_has_value_is_not_a_name)
{
    /* "test" here is the value of crash, not an option of its own */
    CHECK_HAS_NOT("crash=test", "test");
    CHECK_HAS_NOT("crash=x=test", "test");
}

TEST(cmdline_has_word_after_prefix_word)
{
    CHECK_HAS("tests=1 test", "test");
}

TEST(cmdline_has_multiple_spaces)
{
    CHECK_HAS("   a   test   b   ", "test");
    CHECK_HAS("a  b", "b");
    CHECK_HAS_NOT("   ", "test");
}

TEST(cmdline_has_empty_cmdline)
{
    CHECK_HAS_NOT("", "test");
}

/* ---- cmdline_get ---- */

TEST(cmdline_get_value_first_middle_last)
{
    CHECK_GET("a=1 b=22 c=333", "a", 8, "1");
    CHECK_GET("a=1 b=22 c=333", "b", 8, "22");
    CHECK_GET("a=1 b=22 c=333", "c", 8, "333");
}

TEST(cmdline_get_name_without_value_gives_empty)
{
    CHECK_GET("x test y", "test", 8, "");
    CHECK_GET("test", "test", 1, "");
}

TEST(cmdline_get_empty_value)
{
    CHECK_GET("test= x", "test", 8, "");
}

TEST(cmdline_get_skips_prefix_words)
{
    CHECK_GET("tests=1 testing test=lib_format", "test", 16, "lib_format");
}

TEST(cmdline_get_value_keeps_later_equals)
{
    /* only the first '=' separates name from value */
    CHECK_GET("opt=a=b", "opt", 8, "a=b");
}

TEST(cmdline_get_last_occurrence_wins)
{
    /* as on Linux: a later option overrides an earlier one */
    CHECK_GET("x=1 x=2", "x", 8, "2");
    CHECK_GET("x=1 y x", "x", 8, "");
}

TEST(cmdline_get_multiple_spaces)
{
    CHECK_GET("   a=1    b=2   ", "b", 8, "2");
    CHECK_GET("   a=1    b=2   ", "a", 8, "1");
}

TEST(cmdline_get_truncates_to_buffer)
{
    /* the exact-size buffer lets ASan prove nothing is written past size bytes */
    CHECK_GET("panic=poweroff", "panic", 6, "power");
    CHECK_GET("panic=poweroff", "panic", 9, "poweroff"); /* exact fit */
    CHECK_GET("panic=poweroff", "panic", 2, "p");
    CHECK_GET("panic=poweroff", "panic", 1, "");
}

TEST(cmdline_get_size_zero_writes_nothing)
{
    char value[4] = "abc";
    CHECK(cmdline_get("a=xyz", "a", value, 0), "a not found");
    CHECK_STR(value, "abc");
}

TEST(cmdline_get_missing_returns_false_and_leaves_value)
{
    char value[4] = "abc";
    CHECK(!cmdline_get("tests=1 testing", "test", value, sizeof value), "test wrongly found");
    CHECK_STR(value, "abc");
    CHECK(!cmdline_get("", "test", value, sizeof value), "test found in an empty cmdline");
    CHECK_STR(value, "abc");
}

/* ---- the end of the options: `--` ---- */

TEST(cmdline_options_end_at_double_dash)
{
    /* tests/run-elf ./prog test must not run the in-kernel tests */
    CHECK_HAS_NOT("init=/bin/prog -- test", "test");
    CHECK_HAS_NOT("init=/bin/prog -- init=/bin/x", "crash");
    CHECK_GET("init=/bin/prog -- init=/bin/x", "init", 16, "/bin/prog");
    CHECK_HAS_NOT("-- test", "test");
    CHECK_HAS("test --", "test");
}

TEST(cmdline_double_dash_only_as_a_word_of_its_own)
{
    CHECK_HAS("--x test", "test");
    CHECK_HAS("x-- test", "test");
    CHECK_HAS("a=-- test", "test");
    CHECK_HAS("---- test", "test");
}

TEST(cmdline_arguments_after_double_dash)
{
    CHECK(cmdline_arguments("init=/bin/a b c") == NULL, "no -- but arguments found");
    CHECK(cmdline_arguments("") == NULL, "arguments in an empty line");
    CHECK(cmdline_arguments("--x") == NULL, "--x taken for --");
    const char *line = "init=/bin/a -- one -- two";
    CHECK_STR(cmdline_arguments(line), " one -- two");
    CHECK_STR(cmdline_arguments("x --"), "");
    CHECK_STR(cmdline_arguments("--"), "");
}

/* Split text with an exact-size buffer of `size` bytes and room for `max` words;
 * compare with the words expected ("|"-separated in `joined`, "" for none). */
static void check_split(const char *text, size_t size, int max, int expected_count,
                        const char *joined)
{
    char *line = exact_copy(text);
    char *buffer = malloc(size > 0 ? size : 1);
    const char **words = malloc(sizeof(char *) * (size_t)(max > 0 ? max : 1));
    int count = cmdline_split_arguments(line, buffer, size, words, max);
    if (CHECK(count == expected_count, "\"%s\": %d words, expected %d", text, count,
              expected_count) &&
        count > 0) {
        char got[256] = "";
        size_t at = 0;
        for (int i = 0; i < count; i++)
            at += (size_t)real_snprintf(got + at, sizeof got - at, i ? "|%s" : "%s", words[i]);
        CHECK_STR(got, joined);
    }
    free(words);
    free(buffer);
    free(line);
}

TEST(cmdline_split_plain_words)
{
    check_split(" one  two three ", 64, 8, 3, "one|two|three");
    check_split("", 64, 8, 0, "");
    check_split("    ", 64, 8, 0, "");
    check_split("test init=/bin/x --", 64, 8, 3, "test|init=/bin/x|--");
}

TEST(cmdline_split_undoes_grubs_quoting)
{
    /* what GRUB 2.06 writes for grub.cfg's  'b c' 'd"e' 'f\g' "h'i" ' lead' */
    check_split("a \"b c\" d\\\"e f\\\\g h\\'i \" lead\"", 64, 8, 6, "a|b c|d\"e|f\\g|h'i| lead");
    check_split("\" lead\"", 64, 8, 1, " lead");
    check_split("\"\" x", 64, 8, 2, "|x");           /* "" is an empty word */
    check_split("tab\there", 64, 8, 1, "tab\there"); /* only spaces separate */
}

TEST(cmdline_split_odd_endings)
{
    check_split("\"open quote runs to the end", 64, 8, 1, "open quote runs to the end");
    check_split("back\\", 64, 8, 1, "back\\"); /* a final backslash stays */
    check_split("a\"b\"c", 64, 8, 1, "abc");
}

TEST(cmdline_split_refuses_what_does_not_fit)
{
    check_split("a b c", 64, 2, -1, "");
    check_split("a b", 64, 2, 2, "a|b");
    check_split("abc de", 7, 8, 2, "abc|de"); /* exactly 4 + 3 bytes */
    check_split("abc de", 6, 8, -1, "");
    check_split("abc", 3, 8, -1, "");
    check_split("a", 0, 8, -1, "");
    check_split("", 0, 0, 0, "");
}
