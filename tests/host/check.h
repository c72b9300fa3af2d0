/*
 * check.h — a tiny unit-test harness for the host tests (tests/host/test_*.c).
 *
 *     TEST(format_zero_padding)
 *     {
 *         char buf[16];
 *         snprintf(buf, sizeof buf, "%05d", 42);
 *         CHECK_STR(buf, "00042");
 *     }
 *
 * Each TEST registers itself before main() runs (a constructor); check.c's main
 * runs them all and prints "PASS host/<test>" or "FAIL host/<test>: file:line: why"
 * per test, the format tests/run-tests counts. Calls to snprintf, memcpy, ... in a
 * test reach vmlab's own code (see host_names.h); use real_snprintf() for glibc's.
 */
#ifndef TESTS_HOST_CHECK_H
#define TESTS_HOST_CHECK_H

#include <stdbool.h>
#include <stdint.h>

typedef void (*test_fn)(void);

void check_register(const char *name, test_fn fn);
bool check_true(bool ok, const char *file, int line, const char *text, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* glibc's snprintf, for comparing our formatter against it. */
int real_snprintf(char *buf, unsigned long size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define TEST(name)                                                                                 \
    static void test_##name(void);                                                                 \
    __attribute__((constructor)) static void register_##name(void)                                 \
    {                                                                                              \
        check_register(#name, test_##name);                                                        \
    }                                                                                              \
    static void test_##name(void)

/* Record a failure (with a printf-style explanation) if cond is false; returns cond. */
#define CHECK(cond, ...) check_true((cond), __FILE__, __LINE__, #cond, __VA_ARGS__)

/* Each argument is evaluated exactly once. */
#define CHECK_EQ(actual, expected)                                                                 \
    ({                                                                                             \
        unsigned long long actual_ = (unsigned long long)(actual);                                 \
        unsigned long long expected_ = (unsigned long long)(expected);                             \
        check_true(actual_ == expected_, __FILE__, __LINE__, #actual " == " #expected,             \
                   "got %llu (0x%llx), expected %llu (0x%llx)", actual_, actual_, expected_,       \
                   expected_);                                                                     \
    })

#define CHECK_STR(actual, expected)                                                                \
    ({                                                                                             \
        const char *actual_ = (actual), *expected_ = (expected);                                   \
        check_true(vmlab_strcmp(actual_, expected_) == 0, __FILE__, __LINE__,                      \
                   #actual " == " #expected, "got \"%s\", expected \"%s\"", actual_, expected_);   \
    })

int vmlab_strcmp(const char *a, const char *b);

#endif
