/*
 * ktest.h — in-kernel tests.
 *
 * A test is a function declared with KTEST anywhere in the kernel image:
 *
 *     KTEST(string_memmove_overlap)
 *     {
 *         char s[] = "abcdef";
 *         memmove(s + 1, s, 4);
 *         KEXPECT(memcmp(s, "aabcdf", 6) == 0, "got \"%s\"", s);
 *     }
 *
 * KTEST puts a record in the .ktests section; the linker gathers them between
 * __ktests_start and __ktests_end (like Linux's initcalls), so there is no list to
 * maintain. Booting with `test` on the command line runs them all and prints one
 * line per test: "PASS ktest/<name>" or "FAIL ktest/<name>: file:line: message".
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <stdbool.h>
#include <stdint.h>

struct ktest {
    const char *name;
    const char *file;
    void (*run)(void);
};

#define KTEST(test_name)                                                                           \
    static void ktest_body_##test_name(void);                                                      \
    static const struct ktest ktest_record_##test_name                                             \
        __attribute__((used, section(".ktests"), aligned(8))) = { .name = #test_name,              \
                                                                  .file = __FILE__,                \
                                                                  .run = ktest_body_##test_name }; \
    static void ktest_body_##test_name(void)

/* Check a condition; on failure record it (with the formatted message) and go on. */
#define KEXPECT(condition, ...)                                                                    \
    ktest_check((condition), __FILE__, __LINE__, #condition, __VA_ARGS__)

/* Check two unsigned values for equality, printing both on failure. Each argument
 * is evaluated exactly once. */
#define KEXPECT_EQ(actual, expected)                                                               \
    ({                                                                                             \
        uint64_t actual_ = (uint64_t)(actual), expected_ = (uint64_t)(expected);                   \
        ktest_check(actual_ == expected_, __FILE__, __LINE__, #actual " == " #expected,            \
                    "got 0x%lx, expected 0x%lx", actual_, expected_);                              \
    })

/* Record one check; returns condition so a test can stop early: if (!KEXPECT(..)) return; */
bool ktest_check(bool condition, const char *file, int line, const char *text, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The running test cannot run on this machine (e.g. it needs the test disk, which
 * this boot does not have): it is reported "SKIP ktest/<name>: why", neither passed
 * nor failed. The test should return right after. */
void ktest_skip(const char *why);

/* Run every test whose name starts with prefix ("" for all). Returns the number
 * of failed tests. */
int ktest_run_all(const char *prefix);

#endif
