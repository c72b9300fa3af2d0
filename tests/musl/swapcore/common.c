/*
 * common.c — swapcore's helpers: the checks' lines, patterns that tell every word
 * of every region apart, regions of their own, pressure (push_out), and what
 * mincore, /proc/self/smaps, status, /proc/meminfo and /proc/vmstat say.
 */
#include "swapcore.h"

int failures;

void check(int ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s: ", ok ? "ok" : "FAILED");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    failures += !ok;
}

/* The word at index i of region `tag`: different for every region and word. */
uint64_t pattern(uint64_t tag, uint64_t i)
{
    uint64_t x = (tag << 40) ^ (i * 0x9e3779b97f4a7c15ul);
    return x ^ (x >> 29);
}

void fill(uint64_t *p, size_t bytes, uint64_t tag)
{
    for (size_t i = 0; i < bytes / 8; i++)
        p[i] = pattern(tag, i);
}

/* Words of p that are not the pattern (0: all right). */
size_t wrong_words(const uint64_t *p, size_t bytes, uint64_t tag)
{
    size_t wrong = 0;
    for (size_t i = 0; i < bytes / 8; i++)
        wrong += p[i] != pattern(tag, i);
    return wrong;
}

/* bytes of fresh memory, a region of its own: a PROT_NONE page on each side keeps
 * it from merging with a neighbour, so that smaps shows exactly its pages. */
void *map(size_t bytes)
{
    char *p =
        mmap(NULL, bytes + 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED || mprotect(p, PAGE, PROT_NONE) != 0 ||
        mprotect(p + PAGE + bytes, PAGE, PROT_NONE) != 0) {
        printf("FAILED: mmap of %zu bytes\n", bytes);
        exit(1);
    }
    return p + PAGE;
}

void unmap(void *p, size_t bytes)
{
    munmap((char *)p - PAGE, bytes + 2 * PAGE);
}

size_t filler_bytes;

/* Touch more memory than there is, so that older pages go to swap; then let it go. */
void push_out(void)
{
    uint64_t *f = map(filler_bytes);
    for (size_t i = 0; i < filler_bytes / 8; i += PAGE / 8)
        f[i] = i;
    unmap(f, filler_bytes);
}

/* Pages of [p, p + bytes) resident now. */
size_t resident_pages(void *p, size_t bytes)
{
    static unsigned char vec[64 * MIB / PAGE];
    size_t pages = bytes / PAGE, resident = 0;
    if (pages > sizeof vec || mincore(p, bytes, vec) != 0)
        return (size_t)-1;
    for (size_t i = 0; i < pages; i++)
        resident += vec[i] & 1;
    return resident;
}

/* A "Name:   N kB" line of a /proc file, in kB, for the region starting at start
 * (smaps; start 0: the first such line, as in status). -1 if not found. */
long proc_kb(const char *file, unsigned long start, const char *name)
{
    FILE *f = fopen(file, "r");
    if (f == NULL)
        return -1;
    char line[256];
    int in_region = start == 0;
    long value = -1;
    while (value < 0 && fgets(line, sizeof line, f) != NULL) {
        unsigned long from, to;
        if (start != 0 && sscanf(line, "%lx-%lx ", &from, &to) == 2)
            in_region = from == start;
        else if (in_region && strncmp(line, name, strlen(name)) == 0)
            value = strtol(line + strlen(name), NULL, 10);
    }
    fclose(f);
    return value;
}

long vm_swap_kb(void)
{
    return proc_kb("/proc/self/status", 0, "VmSwap:");
}

long major_faults(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_majflt;
}

/* A counter of /proc/vmstat ("pswpout"), or -1. */
long vmstat_counter(const char *name)
{
    FILE *f = fopen("/proc/vmstat", "r");
    char key[64];
    long value, found = -1;
    while (f != NULL && found < 0 && fscanf(f, "%63s %ld", key, &value) == 2)
        if (strcmp(key, name) == 0)
            found = value;
    if (f != NULL)
        fclose(f);
    return found;
}

long meminfo_kb(const char *name)
{
    return proc_kb("/proc/meminfo", 0, name);
}

uint64_t *map_shared(size_t bytes)
{
    uint64_t *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        printf("FAILED: shared mmap of %zu bytes\n", bytes);
        exit(1);
    }
    return p;
}

/* Run fn(p, bytes, tag) in a child; its wait status. */
int in_child(size_t (*fn)(uint64_t *, size_t, uint64_t), uint64_t *p, size_t bytes, uint64_t tag)
{
    pid_t child = fork();
    if (child == 0)
        _exit(fn(p, bytes, tag) == 0 ? 0 : 1);
    int status = -1;
    waitpid(child, &status, 0);
    return status;
}
