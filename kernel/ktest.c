/*
 * ktest.c — running the tests the linker collected.
 */
#include "ktest.h"

#include <stdarg.h>

#include "lib/string.h"
#include "printk.h"

extern const struct ktest __ktests_start[], __ktests_end[];

/* State of the test now running. */
static const struct ktest *current;
static int current_failures;
static const char *current_skip; /* why the running test was skipped, or NULL */

bool ktest_check(bool condition, const char *file, int line, const char *text, const char *fmt, ...)
{
    if (condition)
        return true;
    if (current_failures++ == 0) { /* the first failure names the test */
        kprintf("FAIL ktest/%s: %s:%d: `%s': ", current->name, file, line, text);
        va_list args;
        va_start(args, fmt);
        kvprintf(fmt, args);
        va_end(args);
        kprintf("\n");
    } else {
        kprintf("     (also %s:%d: `%s')\n", file, line, text);
    }
    return false;
}

void ktest_skip(const char *why)
{
    current_skip = why;
}

static bool selected(const struct ktest *t, const char *prefix)
{
    return strncmp(t->name, prefix, strlen(prefix)) == 0;
}

int ktest_run_all(const char *prefix)
{
    int total = 0, failed = 0, skipped = 0;
    for (const struct ktest *t = __ktests_start; t < __ktests_end; t++)
        total += selected(t, prefix);
    kprintf("ktest: running %d tests\n", total);

    for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
        if (!selected(t, prefix))
            continue;
        current = t;
        current_failures = 0;
        current_skip = NULL;
        t->run();
        if (current_failures != 0) {
            failed++;
        } else if (current_skip != NULL) {
            kprintf("SKIP ktest/%s: %s\n", t->name, current_skip);
            skipped++;
        } else {
            kprintf("PASS ktest/%s\n", t->name);
        }
    }
    kprintf("ktest: %d passed, %d failed, %d skipped\n", total - failed - skipped, failed, skipped);
    return failed;
}
