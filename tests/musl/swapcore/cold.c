/*
 * cold.c — madvise(MADV_COLD) makes a range's pages look unused to the
 * replacement policy (mm/pageout.c, replace_forget_use), so they are the first to
 * go: with Clock, aging and WSClock, a region limited to 8 frames (local
 * replacement, vmlab call 502) whose pages were all just used evicts the first
 * cold page for the next one it brings in, not the page at the hand. FIFO never
 * looks at use: it evicts the page at the hand either way.
 */
#include "swapcore.h"

#define NR_vmlab_resident_limit 502
#define COLD_FRAMES             8
#define COLD_FIRST              4 /* pages 4 and 5 are advised cold */
#define COLD_PAGES              2
#define POLICY_KNOB             "/proc/sys/vm/page_replacement"

/* The policy in force: the name in brackets of "fifo [clock] aging wsclock". */
static void policy_in_force(char *name, size_t size)
{
    char line[128] = "";
    FILE *f = fopen(POLICY_KNOB, "r");
    if (f != NULL) {
        if (fgets(line, sizeof line, f) == NULL)
            line[0] = 0;
        fclose(f);
    }
    char *open = strchr(line, '['), *close = open != NULL ? strchr(open, ']') : NULL;
    size_t n = close != NULL ? (size_t)(close - open - 1) : 0;
    snprintf(name, size, "%.*s", (int)(n < size ? n : size - 1), open != NULL ? open + 1 : "");
}

static int select_policy(const char *name)
{
    int fd = open(POLICY_KNOB, O_WRONLY);
    int ok = fd >= 0 && write(fd, name, strlen(name)) == (ssize_t)strlen(name);
    if (fd >= 0)
        close(fd);
    return ok;
}

/* Under policy, with pages COLD_FIRST.. advised cold (or not): which page did the
 * region's 9th page evict? -1 if it cannot be told. */
static int evicted_for_the_ninth(const char *policy, int advise)
{
    size_t pages = COLD_FRAMES + 1;
    uint8_t *r = map(pages * PAGE);
    if (!select_policy(policy) ||
        syscall(NR_vmlab_resident_limit, r, pages * PAGE, COLD_FRAMES) != 0)
        return -1;
    for (size_t i = 0; i < COLD_FRAMES; i++)
        r[i * PAGE] = (uint8_t)(i + 1); /* all used: their A bits set */
    if (advise && madvise(r + COLD_FIRST * PAGE, COLD_PAGES * PAGE, MADV_COLD) != 0)
        return -1;
    r[COLD_FRAMES * PAGE] = 1; /* the 9th page: one of the 8 must go */
    unsigned char vec[COLD_FRAMES + 1];
    int evicted = -1, missing = 0;
    if (mincore(r, pages * PAGE, vec) == 0) {
        for (size_t i = 0; i < pages; i++) {
            if (!(vec[i] & 1)) {
                evicted = (int)i;
                missing++;
            }
        }
    }
    int right = 1;
    for (size_t i = 0; i < COLD_FRAMES; i++)
        right &= r[i * PAGE] == (uint8_t)(i + 1);
    syscall(NR_vmlab_resident_limit, r, pages * PAGE, 0); /* the limit off: its pages go global */
    unmap(r, pages * PAGE);
    return missing == 1 && right ? evicted : -1;
}

void step_cold(void)
{
    char before[32];
    policy_in_force(before, sizeof before);
    static const char *const users[] = { "clock", "aging", "wsclock" };
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        int plain = evicted_for_the_ninth(users[i], 0);
        int cold = evicted_for_the_ninth(users[i], 1);
        check(plain == 0 && cold == COLD_FIRST,
              "cold: %s evicts page %d (0: the hand's), and page %d after MADV_COLD on pages "
              "%d-%d (%d: the first cold one)",
              users[i], plain, cold, COLD_FIRST, COLD_FIRST + COLD_PAGES - 1, COLD_FIRST);
    }
    int fifo = evicted_for_the_ninth("fifo", 1);
    check(fifo == 0, "cold: fifo ignores use: page %d evicted after MADV_COLD (0)", fifo);
    check(select_policy(before), "cold: the policy in force again: %s", before);
}
