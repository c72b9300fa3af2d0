/*
 * answers.c — making a call, and checking its answer: what no kernel may answer
 * is printed as WRONG and counted.
 */
#include "fuzz.h"
#include "user/lib/check.h"
#include "user/lib/errno_names.h"
#include "user/lib/stdio.h"

static bool is_aligned_user_range(long start, unsigned long length)
{
    unsigned long s = (unsigned long)start;
    return s % PAGE_SIZE == 0 && s < USER_SPACE_END && length <= USER_SPACE_END - s;
}

/* Numbers no kernel knows (Linux stops below 512; 500 is vmlab's vmlab_vmstat). */
static bool is_unknown(long number)
{
    return number < 0 || number >= 512;
}

/* What no kernel may answer: NULL if the result is possible, else why not. */
static const char *impossible_result(const struct call *c, long result, unsigned long old_break)
{
    const long *args = c->args;
    if (c->number == SYS_brk)
        return result == args[0] || (unsigned long)result == old_break
                   ? NULL
                   : "brk returned neither the new break nor the old one";
    if (is_unknown(c->number))
        return result == -ENOSYS ? NULL : "an unknown number did not give -ENOSYS";
    if (IS_ERROR(result))
        return NULL;
    switch (c->number) {
    case SYS_mmap:
        if (!is_aligned_user_range(result, (unsigned long)args[1]))
            return "mmap returned a range that is not page-aligned user memory";
        if ((args[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && result != args[0])
            return "mmap with MAP_FIXED returned another address";
        return NULL;
    case SYS_mremap:
        return is_aligned_user_range(result, (unsigned long)args[2])
                   ? NULL
                   : "mremap returned a range that is not page-aligned user memory";
    case SYS_munmap:
    case SYS_mprotect:
    case SYS_madvise: return result == 0 ? NULL : "succeeded with a value other than 0";
    default: return NULL;
    }
}

static void print_call(const struct call *c, long index, long result, bool with_result)
{
    const long *a = c->args;
    printf("%lu: call %ld: syscall %ld (0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx)",
           (unsigned long)fuzz_seed, index, c->number, a[0], a[1], a[2], a[3], a[4], a[5]);
    if (with_result) {
        char text[RESULT_TEXT_SIZE];
        describe_result(result, text);
        printf(" = %s", text);
    }
}

void make_call(const struct call *c, bool verbose, long index, struct tally *t)
{
    if (verbose)
        print_call(c, index, 0, false);
    unsigned long old_break = current_break;
    const long *a = c->args;
    long result = syscall6(c->number, a[0], a[1], a[2], a[3], a[4], a[5]);
    if (verbose) {
        char text[RESULT_TEXT_SIZE];
        describe_result(result, text);
        printf(" = %s\n", text);
    }
    const char *wrong = impossible_result(c, result, old_break);
    if (wrong != NULL) {
        t->wrong++;
        printf("syscallfuzz: WRONG: ");
        print_call(c, index, result, true);
        printf(": %s\n", wrong);
    }
    learn_from(c, result);
    t->calls++;
    if (result == -ENOSYS)
        t->enosys++;
    else if (IS_ERROR(result))
        t->errors++;
    else
        t->successes++;
}
