/*
 * check.h — self-checks for test programs: each check prints one line,
 *
 *     ok: getpid() returns a positive number
 *     FAILED: write to fd 5: got 3, expected -9 (EBADF)   [ttytest.c:41]
 *
 * and counts failures; check_summary() prints the totals and gives the exit status
 * (0 when everything passed). Values that look like errors are shown with their
 * names, so a failure says what happened without a debugger.
 */
#ifndef USER_LIB_CHECK_H
#define USER_LIB_CHECK_H

#include <stdbool.h>

/* EXPECT(condition, "what it means", ...): ok if the condition holds. */
#define EXPECT(condition, ...) check_true((condition), __FILE__, __LINE__, __VA_ARGS__)

/* EXPECT_RESULT(actual, expected, "what", ...): ok if the two are equal; a failure
 * shows both (with errno names for -1 .. -4095). For system-call results. */
#define EXPECT_RESULT(actual, expected, ...)                                                       \
    check_equal((long)(actual), (long)(expected), __FILE__, __LINE__, __VA_ARGS__)

bool check_true(bool ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
bool check_equal(long actual, long expected, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Print a heading for the next group of checks. */
void check_section(const char *title);

/* Number of failed checks so far. */
int check_failures(void);

/* Print "<program>: all N checks passed" or "<program>: F of N checks FAILED";
 * returns the exit status for main: 0 if all passed, 1 otherwise. */
int check_summary(const char *program);

/* "7", or "-9 (EBADF)" for values in the error range: at most 40 characters. */
#define RESULT_TEXT_SIZE 40
void describe_result(long value, char buf[RESULT_TEXT_SIZE]);

/* True when running on Linux rather than vmlab (uname's sysname is "Linux"). Only for
 * the few checks where Linux legitimately behaves differently from what vmlab
 * promises; each use says why. */
bool running_on_linux(void);

#endif
