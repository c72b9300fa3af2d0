/*
 * sharedtext — two processes running one program share the frames of its text.
 *
 * A program's code is read-only, so there is no reason for two processes running
 * it to hold two copies: both map the same frames, the pages of the program file
 * in the page cache. How much memory does each process then use?
 *
 *   RSS  (resident set size)        every frame it maps, counted whole
 *   PSS  (proportional set size)    each frame divided by the number of mappings
 *                                   sharing it: two processes sharing 10 pages of
 *                                   text are charged 5 each
 *
 * so PSS < RSS as soon as something is shared, and adding up every process's PSS
 * gives the memory really used. vmlab's vmlab_vmstat (system call 500) counts
 * them by walking the caller's page tables; on Linux the same numbers come from
 * /proc/self/smaps.
 *
 * sharedtext shows three moments:
 *   alone            the program runs by itself (what it shares, if anything, is
 *                    shared with other programs' mappings of the same file)
 *   after fork       parent and child: fork shares every page, the text included
 *   after execve     a second process starts the program afresh (fork + execve
 *                    of the same file) while we run: nothing is inherited, yet its
 *                    text pages are ours -- unless the kernel copied the text in
 *
 * Checks: after fork, each side has shared text frames and PSS < RSS; the
 * execve'd copy has shared text frames. Exit status 0 if all hold, 1 otherwise.
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/parse.h"
#include "lib/string.h"
#include "user/lib/check.h"
#include "user/lib/errno_names.h"
#include "user/lib/image.h"
#include "user/lib/spawn.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"
#include "user/lib/vmstat.h"

#define EXEC_CHILD_ARG "--second-run"
#define MAX_POLLS      2000000 /* sched_yields while waiting for the other: seconds at worst */
#define SMAPS_SIZE     (64UL << 10)

/* What one process shares, in the units the lines print. */
struct sharing {
    unsigned long rss_kib, pss_kib;
    unsigned long shared_frames;           /* resident pages another mapping maps too */
    unsigned long text_pages, shared_text; /* resident pages of code, and those shared */
};

/* Where parent and child after fork take turns: a MAP_SHARED anonymous page. */
struct mailbox {
    volatile int child_measured, parent_measured;
};

/* ---- measuring: vmlab's counters, or Linux's /proc/self/smaps ---- */

static char smaps[SMAPS_SIZE];

/* The number after "Name:" at the start of line (kB in smaps), added to *sum if
 * the line is that field. */
static void add_field(const char *line, const char *name, unsigned long *sum)
{
    size_t n = strlen(name);
    if (strncmp(line, name, n) != 0)
        return;
    const char *p = line + n;
    while (*p == ' ')
        p++;
    unsigned long value = 0;
    while (*p >= '0' && *p <= '9')
        value = value * 10 + (unsigned long)(*p++ - '0');
    *sum += value;
}

/* A region's heading line ("00400000-00401000 r-xp ...") or a field ("Rss: ...");
 * for a heading, whether the region is executable. */
static bool is_heading(const char *line, bool *executable)
{
    const char *space = strchr(line, ' ');
    if (space == NULL || strchr(line, '-') == NULL || strchr(line, '-') > space)
        return false;
    *executable = space[3] == 'x';
    return true;
}

/* Linux: add up /proc/self/smaps. False if it cannot be read. */
static bool sharing_from_smaps(struct sharing *s)
{
    long fd = sys_open("/proc/self/smaps", O_RDONLY, 0);
    if (fd < 0)
        return false;
    long n = 0, got;
    while ((got = sys_read((int)fd, smaps + n, sizeof smaps - 1 - (size_t)n)) > 0)
        n += got;
    sys_close((int)fd);
    smaps[n] = '\0';
    unsigned long shared_kib = 0, text_kib = 0, shared_text_kib = 0;
    bool executable = false;
    for (char *line = smaps; line != NULL && *line != '\0';) {
        char *end = strchr(line, '\n');
        if (end != NULL)
            *end = '\0';
        if (!is_heading(line, &executable)) {
            unsigned long shared = 0, rss = 0;
            add_field(line, "Rss:", &rss);
            add_field(line, "Pss:", &s->pss_kib);
            add_field(line, "Shared_Clean:", &shared);
            add_field(line, "Shared_Dirty:", &shared);
            s->rss_kib += rss;
            shared_kib += shared;
            text_kib += executable ? rss : 0;
            shared_text_kib += executable ? shared : 0;
        }
        line = end != NULL ? end + 1 : NULL;
    }
    s->shared_frames = shared_kib / 4;
    s->text_pages = text_kib / 4;
    s->shared_text = shared_text_kib / 4;
    return true;
}

/* This process's sharing now. False if this kernel gives no way to see it. */
static bool measure(struct sharing *s)
{
    memset(s, 0, sizeof *s);
    struct vmlab_vmstat v;
    if (!vmstat_read(&v))
        return sharing_from_smaps(s);
    s->rss_kib = v.self_rss_pages * (PAGE_SIZE / 1024);
    s->pss_kib = v.self_pss_bytes / 1024;
    s->shared_frames = v.self_shared_frames;
    s->text_pages = v.self_text_pages;
    s->shared_text = v.self_shared_text_frames;
    return true;
}

static void print_sharing(const char *who, const struct sharing *s)
{
    char label[32];
    snprintf(label, sizeof label, "%s:", who);
    printf("  %-22s RSS %4lu KiB, PSS %4lu KiB, shared frames %3lu; text: %lu of %lu pages "
           "shared\n",
           label, s->rss_kib, s->pss_kib, s->shared_frames, s->shared_text, s->text_pages);
}

/* Measure, print, and check what must hold while another process shares our
 * text. Returns the number of failed checks. */
static int show_shared(const char *who)
{
    struct sharing s;
    if (!measure(&s)) {
        printf("  %s: (no way to measure on this kernel)\n", who);
        return 0;
    }
    print_sharing(who, &s);
    int failed = check_failures();
    EXPECT(s.shared_text > 0, "%s: its text frames are shared with the other process (%lu)", who,
           s.shared_text);
    EXPECT(s.pss_kib < s.rss_kib, "%s: PSS < RSS (%lu < %lu KiB): shared frames count in part", who,
           s.pss_kib, s.rss_kib);
    return check_failures() - failed;
}

/* ---- the three moments ---- */

/* Yield until *flag is set; false if that took more than MAX_POLLS looks or the
 * child (pid, when not 0) ended first. */
static bool wait_for_flag(volatile int *flag, long pid)
{
    for (long polls = 0; polls < MAX_POLLS && !*flag; polls++) {
        int status;
        if (pid != 0 && sys_wait4((int)pid, &status, WNOHANG, NULL) != 0)
            return false;
        sys_sched_yield();
    }
    return *flag;
}

/* The child after fork: measure while the parent waits, then let the parent
 * measure while we still map everything. Exits with its failed checks. */
static void forked_child(struct mailbox *box)
{
    int failed = show_shared("child, after fork");
    box->child_measured = 1;
    wait_for_flag(&box->parent_measured, 0);
    sys_exit_group(failed == 0 ? 0 : 1);
}

static void after_fork(void)
{
    check_section("after fork: parent and child map the same frames");
    long page =
        sys_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (IS_ERROR(page)) {
        EXPECT(false, "a MAP_SHARED page to take turns in: %s", errno_name(page));
        return;
    }
    struct mailbox *box = (struct mailbox *)page;
    long pid = sys_fork();
    if (pid < 0) {
        EXPECT(false, "fork: %s", errno_name(pid));
        return;
    }
    if (pid == 0)
        forked_child(box);
    EXPECT(wait_for_flag(&box->child_measured, pid), "the child measured itself");
    show_shared("parent, after fork");
    box->parent_measured = 1;
    int status = 0;
    sys_wait4((int)pid, &status, 0, NULL);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0,
           "the child's checks passed (wait status 0x%x)", (unsigned)status);
    sys_munmap(box, PAGE_SIZE);
}

/* The second run, started by fork + execve of our own file: it inherited
 * nothing, so shared text frames can only be the file's pages we map too. */
static int second_run(void)
{
    int failed = show_shared("second run, execve'd");
    return failed == 0 ? 0 : 1;
}

static void after_execve(const char *self, char **envp)
{
    check_section("after execve: a second run of the program, while this one runs");
    char *argv[] = { (char *)self, EXEC_CHILD_ARG, NULL };
    long status = run(self, argv, envp);
    EXPECT(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
           "the second run's checks passed (%s)", self);
}

int main(int argc, char **argv, char **envp)
{
    if (argc == 2 && strcmp(argv[1], EXEC_CHILD_ARG) == 0)
        return second_run();
    if (argc != 1) {
        dprintf(STDERR, "usage: sharedtext\n");
        return 2;
    }
    printf("sharedtext: processes running one program share the frames of its text "
           "(RSS counts a frame whole, PSS 1/n of it when n mappings share it)\n");
    struct sharing alone;
    if (measure(&alone))
        print_sharing("alone", &alone);
    else
        printf("  this kernel has neither vmlab_vmstat nor /proc/self/smaps: only the "
               "processes' exit statuses are checked\n");
    after_fork();
    after_execve(argv[0], envp);
    return check_summary("sharedtext");
}
