/*
 * check.c — counting and printing the results of self-checks.
 */
#include "check.h"

#include <stdarg.h>

#include "errno_names.h"
#include "lib/string.h"
#include "stdio.h"
#include "syscall.h"

#define MESSAGE_SIZE 200

static int total, failed;

/* "proctest.c" rather than "user/proctest.c". */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void report(bool ok, const char *file, int line, const char *detail, const char *fmt,
                   va_list args)
{
    char what[MESSAGE_SIZE];
    vsnprintf(what, sizeof(what), fmt, args);
    total++;
    if (ok) {
        printf("  ok: %s\n", what);
        return;
    }
    failed++;
    printf("  FAILED: %s%s   [%s:%d]\n", what, detail, base_name(file), line);
}

bool check_true(bool ok, const char *file, int line, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    report(ok, file, line, "", fmt, args);
    va_end(args);
    return ok;
}

bool check_equal(long actual, long expected, const char *file, int line, const char *fmt, ...)
{
    char detail[MESSAGE_SIZE], got[RESULT_TEXT_SIZE], want[RESULT_TEXT_SIZE];
    describe_result(actual, got);
    describe_result(expected, want);
    snprintf(detail, sizeof(detail), ": got %s, expected %s", got, want);

    va_list args;
    va_start(args, fmt);
    report(actual == expected, file, line, detail, fmt, args);
    va_end(args);
    return actual == expected;
}

void describe_result(long value, char buf[RESULT_TEXT_SIZE])
{
    if (IS_ERROR(value))
        snprintf(buf, RESULT_TEXT_SIZE, "%ld (%s)", value, errno_name(value));
    else if (value > 0xffff || value < -0xffff)
        snprintf(buf, RESULT_TEXT_SIZE, "0x%lx", (unsigned long)value);
    else
        snprintf(buf, RESULT_TEXT_SIZE, "%ld", value);
}

void check_section(const char *title)
{
    printf("-- %s\n", title);
}

int check_failures(void)
{
    return failed;
}

int check_summary(const char *program)
{
    if (failed == 0)
        printf("%s: all %d checks passed\n", program, total);
    else
        printf("%s: %d of %d checks FAILED\n", program, failed, total);
    return failed == 0 ? 0 : 1;
}

bool running_on_linux(void)
{
    struct utsname name;
    return sys_uname(&name) == 0 && strcmp(name.sysname, "Linux") == 0;
}
