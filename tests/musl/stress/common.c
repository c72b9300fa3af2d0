/*
 * common.c — checks, arguments, patterns and counters for the stress programs.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stress.h"

#define FAILURES_SHOWN 10 /* then only counted: a lost page makes thousands */
#define LINE_SIZE      256
#define WORD_STEP      0x9e3779b97f4a7c15ULL /* odd, 2^64 / golden ratio */

static unsigned long failed_checks;

/* Counts and (the first few) prints a failed check; returns OK. The line goes
 * out in one write, so lines of processes failing at once do not mix. */
bool check(bool ok, const char *fmt, ...)
{
    if (ok)
        return true;
    if (++failed_checks <= FAILURES_SHOWN) {
        char line[LINE_SIZE];
        va_list args;
        va_start(args, fmt);
        int length = snprintf(line, sizeof line, "FAILED: ");
        length += vsnprintf(line + length, sizeof line - (size_t)length - 1, fmt, args);
        va_end(args);
        if (length > (int)sizeof line - 2)
            length = (int)sizeof line - 2;
        line[length++] = '\n';
        fflush(stdout);
        write(1, line, (size_t)length);
    }
    return false;
}

/* The number of failed checks so far. */
unsigned long failures(void)
{
    return failed_checks;
}

/* The last line: PASS or FAIL with the count; the exit status to go with it. */
int verdict(const char *name)
{
    if (failed_checks == 0) {
        printf("%s: PASS\n", name);
        return 0;
    }
    printf("%s: FAIL (%lu checks failed)\n", name, failed_checks);
    return 1;
}

/* ARGV[INDEX] as a number in MIN..MAX, FALLBACK when absent; false on a bad one. */
bool number_argument(int argc, char **argv, int index, unsigned long min, unsigned long max,
                     unsigned long fallback, unsigned long *out, const char *usage)
{
    if (index >= argc) {
        *out = fallback;
        return true;
    }
    char *end;
    errno = 0;
    unsigned long value = strtoul(argv[index], &end, 10);
    if (errno || end == argv[index] || *end || value < min || value > max) {
        printf("usage: %s (numbers from %lu to %lu)\n", usage, min, max);
        return false;
    }
    *out = value;
    return true;
}

/* splitmix64's output function: every input bit changes about half the output. */
uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* Per page a mixed key; per word an odd step, so the words of a page all differ. */
uint64_t page_pattern(uint64_t gen, size_t page, size_t word)
{
    return mix64(gen << 40 ^ page) + word * WORD_STEP;
}

/* Marsaglia's xorshift64: a full-period sequence of nonzero 64-bit values. */
uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* Fresh anonymous memory. On Linux, MADV_NOHUGEPAGE keeps it in 4 KiB pages, so
 * both kernels page the same units (vmlab has no huge pages and accepts it). */
void *map_anonymous(size_t length)
{
    void *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!check(p != MAP_FAILED, "mmap of %zu MiB: %s", length / MIB, strerror(errno)))
        return NULL;
    madvise(p, length, MADV_NOHUGEPAGE);
    return p;
}

/* Reaps child PID; true only for a plain exit with status 0. */
bool child_passed(int pid, const char *what)
{
    int status;
    if (!check(waitpid(pid, &status, 0) == pid, "waitpid for %s: %s", what, strerror(errno)))
        return false;
    if (WIFSIGNALED(status))
        return check(false, "%s killed by signal %d", what, WTERMSIG(status));
    return check(WEXITSTATUS(status) == 0, "%s exited with status %d", what, WEXITSTATUS(status));
}

/* Finds "NAME<separator>VALUE" at the start of a line of FILE; the value or -1. */
static long field_of(const char *file, const char *name, char separator)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return -1;
    char line[256];
    size_t length = strlen(name);
    long value = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, name, length) == 0 && line[length] == separator) {
            value = strtol(line + length + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return value;
}

/* A counter of /proc/vmstat ("pswpout 1234"). */
long vmstat_counter(const char *name)
{
    return field_of("/proc/vmstat", name, ' ');
}

/* A kB field of a status-like file ("VmSwap:\t  1234 kB"). */
long kb_field(const char *file, const char *name)
{
    return field_of(file, name, ':');
}
