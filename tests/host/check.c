/*
 * check.c — the runner behind check.h. It uses the C library's stdio, so it undoes
 * host_names.h's renames of snprintf/vsnprintf before including anything.
 */
#undef snprintf
#undef vsnprintf

#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

enum { MAX_TESTS = 1024 };

static struct {
    const char *name;
    test_fn fn;
} tests[MAX_TESTS];
static int test_count;
static const char *current_name;
static int current_failures;

void check_register(const char *name, test_fn fn)
{
    if (test_count == MAX_TESTS) {
        fprintf(stderr, "check.c: more than %d tests\n", MAX_TESTS);
        exit(2);
    }
    tests[test_count].name = name;
    tests[test_count].fn = fn;
    test_count++;
}

bool check_true(bool ok, const char *file, int line, const char *text, const char *fmt, ...)
{
    if (ok)
        return true;
    if (current_failures++ == 0)
        printf("FAIL host/%s: %s:%d: `%s': ", current_name, file, line, text);
    else
        printf("     (also %s:%d: `%s': ", file, line, text);
    va_list args;
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    printf(current_failures == 1 ? "\n" : ")\n");
    fflush(stdout);
    return false;
}

int real_snprintf(char *buf, unsigned long size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(buf, size, fmt, args);
    va_end(args);
    return n;
}

int main(void)
{
    int failed = 0;
    for (int i = 0; i < test_count; i++) {
        current_name = tests[i].name;
        current_failures = 0;
        tests[i].fn();
        if (current_failures == 0)
            printf("PASS host/%s\n", current_name);
        else
            failed++;
        fflush(stdout);
    }
    return failed == 0 ? 0 : 1;
}
