/*
 * thrash [-l] [-t TAU_MS] [PROCS [PAGES [PASSES]]] — watch thrashing happen.
 *
 * PROCS processes (default 4) each use a working set of PAGES pages (default
 * 3072: 12 MiB) of their own, PASSES times over (default 10): a pass writes every
 * word of every page, in order. Once a second the parent draws a line per process:
 *
 *   9 s  proc 2 |                    |  21%     382 pages/s     385 majflt/s
 *
 * the bar is the pages used in that second, against a fair share (1/PROCS) of
 * full speed, measured first on a few pages that stay in memory; majflt/s counts the page faults
 * that had to wait for the swap disk (getrusage's ru_majflt). At the end it prints the total time
 * and faults.
 *
 * While the working sets together fit in memory, each process takes its faults
 * in the first pass and then runs at full speed. When they do not fit, every
 * process keeps taking pages from the others, and each page it needs was taken
 * from it a moment ago: the processes spend their time waiting for the disk,
 * the bars shrink to nothing and the fault rates climb. That is thrashing.
 * user/README.md says how to watch it with `make run SWAP=64M MEM=32M`.
 *
 * Each line also shows the worker's working set as the kernel estimates it
 * (VmWSS in /proc/PID/status, in pages: mm/workingset.h) and "suspended" while
 * load control holds it (kernel/loadctl.h). -l turns load control on for the
 * run (/proc/sys/vm/load_control; the old value is put back at the end) and -t
 * sets the working-set window tau (/proc/sys/vm/ws_tau_ms) for the run: with
 * load control, the kernel suspends workers until the working sets of the
 * others fit, and their turn comes when a worker is done. The last line counts
 * the suspensions.
 *
 * The processes write their counts into a page they share (MAP_SHARED), which
 * the parent reads; the parent's own memory is a few pages.
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/parse.h"
#include "lib/string.h"
#include "user/lib/errno_names.h"
#include "user/lib/procfile.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define DEFAULT_PROCS     4
#define MAX_PROCS         16
#define DEFAULT_PAGES     3072
#define MAX_PAGES         (1UL << 20)
#define DEFAULT_PASSES    10
#define MAX_TAU_MS        60000
#define MAX_PASSES        100000
#define PAGE_SIZE         4096UL
#define WORDS_PER_PAGE    (PAGE_SIZE / sizeof(uint64_t))
#define BAR_WIDTH         20
#define FAULTS_EVERY      16 /* pages between two getrusage calls of a worker */
#define NS_PER_SECOND     1000000000L
#define MS_PER_SECOND     1000L
#define NS_PER_MS         1000000L
#define TICKS_PER_SECOND  10
#define CALIBRATION_PAGES 64  /* a set that surely fits in memory */
#define CALIBRATION_MS    300 /* long enough for a clock that ticks every 10 ms */

/* What a worker tells the parent, in the shared page. */
struct progress {
    volatile long pages;  /* pages used so far (each pass counts them again) */
    volatile long majflt; /* its major faults so far */
    volatile long done;   /* 1 once it has finished */
};

struct setup {
    unsigned long procs, pages, passes;
    bool load_control;    /* -l */
    unsigned long tau_ms; /* -t (0: as it is) */
};

/* A /proc/sys/vm knob read into value (up to 31 bytes); false if it cannot be. */
static bool read_knob(const char *path, char *value, size_t size)
{
    long fd = sys_open(path, O_RDONLY, 0);
    if (fd < 0)
        return false;
    long n = sys_read((int)fd, value, size - 1);
    sys_close((int)fd);
    if (n <= 0)
        return false;
    value[n] = '\0';
    return true;
}

/* Write value into a /proc/sys/vm knob; false (with a line saying why) if it fails. */
static bool write_knob(const char *path, const char *value)
{
    long fd = sys_open(path, O_WRONLY, 0);
    long n = fd < 0 ? fd : sys_write((int)fd, value, strlen(value));
    if (fd >= 0)
        sys_close((int)fd);
    if (n < 0)
        printf("thrash: writing %s to %s: %s\n", value, path, errno_name(n));
    return n >= 0;
}

/* The text of the /proc file at path, in a static buffer ("" if unreadable). */
static const char *proc_text(const char *path)
{
    static char text[16384]; /* /proc/vmstat is about 5 KiB */
    if (!proc_file_read(path, text, sizeof text))
        text[0] = '\0';
    return text;
}

/* Worker pid's working set in pages (VmWSS), and whether load control holds it. */
static long working_set_of(long pid, bool *suspended)
{
    char path[32];
    snprintf(path, sizeof path, "/proc/%ld/status", pid);
    const char *status = proc_text(path);
    long kib = proc_field(status, "VmWSS");
    const char *state = proc_value(status, "LoadControl");
    *suspended = state != NULL && strncmp(state, "suspended", 9) == 0;
    return kib < 0 ? -1 : kib / (long)(PAGE_SIZE / 1024);
}

/* Milliseconds since boot (CLOCK_MONOTONIC). */
static long now_ms(void)
{
    struct timespec t;
    sys_clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * MS_PER_SECOND + t.tv_nsec / NS_PER_MS;
}

/* A count over INTERVAL_MS milliseconds as a rate per second. */
static long per_second_of(long count, long interval_ms)
{
    return interval_ms > 0 ? count * MS_PER_SECOND / interval_ms : count;
}

/* This process's major faults so far. */
static long major_faults(void)
{
    struct rusage usage;
    sys_getrusage(RUSAGE_SELF, &usage);
    return usage.ru_majflt;
}

/* "Uses" one page: a write to each of its words. */
static void use_page(uint64_t *page, unsigned long pass)
{
    for (unsigned long w = 0; w < WORDS_PER_PAGE; w++)
        page[w] += pass + w;
}

/* Pages per second at full speed: CALIBRATION_PAGES pages, resident after a first
 * pass, used over and over for CALIBRATION_MS and counted. 0 if the memory cannot
 * be had. */
static long full_speed(void)
{
    long map = sys_mmap(NULL, CALIBRATION_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (IS_ERROR(map))
        return 0;
    uint64_t *words = (uint64_t *)map;
    for (unsigned long page = 0; page < CALIBRATION_PAGES; page++)
        use_page(words + page * WORDS_PER_PAGE, 0); /* fault them in, not timed */
    long start = now_ms(), elapsed = 0, used = 0;
    for (unsigned long pass = 1; elapsed < CALIBRATION_MS; pass++) {
        for (unsigned long page = 0; page < CALIBRATION_PAGES; page++)
            use_page(words + page * WORDS_PER_PAGE, pass);
        used += CALIBRATION_PAGES;
        elapsed = now_ms() - start;
    }
    sys_munmap((void *)map, CALIBRATION_PAGES * PAGE_SIZE);
    return per_second_of(used, elapsed);
}

/* A worker: its own working set, used PASSES times, progress reported as it goes. */
static void worker(const struct setup *s, struct progress *me)
{
    long map = sys_mmap(NULL, s->pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (IS_ERROR(map)) {
        printf("thrash: mmap of %lu pages: %s\n", s->pages, errno_name(map));
        sys_exit(1);
    }
    uint64_t *words = (uint64_t *)map;
    for (unsigned long pass = 0; pass < s->passes; pass++)
        for (unsigned long page = 0; page < s->pages; page++) {
            use_page(words + page * WORDS_PER_PAGE, pass);
            me->pages++;
            if (page % FAULTS_EVERY == 0)
                me->majflt = major_faults();
        }
    me->majflt = major_faults();
    me->done = 1;
    sys_exit(0);
}

/* BAR_WIDTH characters: '#' for VALUE's share of FULL (at most all), spaces for
 * the rest. */
static void draw_bar(long value, long full)
{
    long filled = full > 0 ? value * BAR_WIDTH / full : 0;
    if (filled > BAR_WIDTH)
        filled = BAR_WIDTH;
    char bar[BAR_WIDTH + 1];
    for (long i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : ' ';
    bar[BAR_WIDTH] = '\0';
    printf("|%s|", bar);
}

/* One second's lines (the last may cover less): per process, the pages used and
 * faults taken per second since LAST, INTERVAL_MS ago; the bar against FULL; its
 * working set (pids[i] 0: it has ended). */
static void draw_second(const struct setup *s, const struct progress *now, struct progress *last,
                        const long *pids, long seconds, long interval_ms, long full)
{
    for (unsigned long i = 0; i < s->procs; i++) {
        long pages = per_second_of(now[i].pages - last[i].pages, interval_ms);
        long faults = per_second_of(now[i].majflt - last[i].majflt, interval_ms);
        long percent = now[i].pages * 100 / (long)(s->pages * s->passes);
        bool suspended = false;
        long ws = pids[i] > 0 ? working_set_of(pids[i], &suspended) : -1;
        printf("%3ld s  proc %lu ", seconds, i + 1);
        draw_bar(pages, full);
        printf(" %3ld%%  %6ld pages/s  %6ld majflt/s", percent, pages, faults);
        if (ws >= 0)
            printf("  ws %5ld", ws);
        printf("%s\n", now[i].done ? "  done" : suspended ? "  suspended" : "");
        last[i].pages = now[i].pages;
        last[i].majflt = now[i].majflt;
    }
}

/* Reads [-l] [-t TAU_MS] PROCS [PAGES [PASSES]]; false (after the usage line) on
 * a bad one. */
static bool read_arguments(int argc, char **argv, struct setup *s)
{
    uint64_t values[3] = { DEFAULT_PROCS, DEFAULT_PAGES, DEFAULT_PASSES }, tau = 0;
    const uint64_t max[3] = { MAX_PROCS, MAX_PAGES, MAX_PASSES };
    int i = 1;
    bool ok = true;
    s->load_control = false;
    for (; ok && i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-l") == 0)
            s->load_control = true;
        else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
            ok = parse_u64(argv[++i], &tau) && tau >= 1 && tau <= MAX_TAU_MS;
        else
            ok = false;
    }
    for (int k = 0; ok && i < argc; i++, k++)
        ok = k < 3 && parse_u64(argv[i], &values[k]) && values[k] >= 1 && values[k] <= max[k];
    if (!ok) {
        printf("usage: thrash [-l] [-t TAU_MS] [PROCS [PAGES [PASSES]]]  (PROCS 1..%d, "
               "PAGES 1..%lu, PASSES 1..%d, TAU_MS 1..%d; -l: load control on)\n",
               MAX_PROCS, MAX_PAGES, MAX_PASSES, MAX_TAU_MS);
        return false;
    }
    s->procs = values[0], s->pages = values[1], s->passes = values[2], s->tau_ms = tau;
    return true;
}

#define LOAD_CONTROL "/proc/sys/vm/load_control"
#define WS_TAU       "/proc/sys/vm/ws_tau_ms"

/* Put -l and -t in force, keeping the old values in old_load and old_tau to put
 * back after the run. False if a knob cannot be set. */
static bool set_knobs(const struct setup *s, char *old_load, char *old_tau, size_t size)
{
    old_load[0] = old_tau[0] = '\0';
    if (s->load_control &&
        (!read_knob(LOAD_CONTROL, old_load, size) || !write_knob(LOAD_CONTROL, "1")))
        return false;
    if (s->tau_ms != 0) {
        char tau[24];
        snprintf(tau, sizeof tau, "%lu", s->tau_ms);
        if (!read_knob(WS_TAU, old_tau, size) || !write_knob(WS_TAU, tau))
            return false;
    }
    return true;
}

static void restore_knobs(const char *old_load, const char *old_tau)
{
    if (old_load[0] != '\0')
        write_knob(LOAD_CONTROL, old_load);
    if (old_tau[0] != '\0')
        write_knob(WS_TAU, old_tau);
}

/* Reaps the workers that have ended (without waiting); true once all have.
 * A worker killed (by the OOM killer, without swap) counts as ended, not ok. */
static bool reap_ended(const struct setup *s, long *pids, unsigned long *ok)
{
    bool all = true;
    for (unsigned long i = 0; i < s->procs; i++) {
        int status = 0;
        if (pids[i] > 0 && sys_wait4((int)pids[i], &status, WNOHANG, NULL) == pids[i]) {
            pids[i] = 0;
            *ok += status == 0;
            if (status != 0)
                printf("thrash: proc %lu ended with wait status %#x\n", i + 1, status);
        }
        all = all && pids[i] <= 0;
    }
    return all;
}

int main(int argc, char **argv)
{
    struct setup s;
    if (!read_arguments(argc, argv, &s))
        return 2;
    char old_load[32], old_tau[32];
    if (!set_knobs(&s, old_load, old_tau, sizeof old_load)) {
        restore_knobs(old_load, old_tau);
        return 1;
    }
    long suspends = proc_field(proc_text("/proc/vmstat"), "vmlab_loadctl_suspends");
    long shared =
        sys_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (IS_ERROR(shared)) {
        printf("thrash: mmap of the shared page: %s\n", errno_name(shared));
        return 1;
    }
    struct progress *progress = (struct progress *)shared, last[MAX_PROCS] = { { 0, 0, 0 } };
    printf("thrash: %lu processes x %lu pages (%lu KiB each) x %lu passes\n", s.procs, s.pages,
           s.pages * PAGE_SIZE / 1024, s.passes);
    long full = full_speed(), start = now_ms(), drawn = start, pids[MAX_PROCS], seconds = 0;
    /* one CPU shared by PROCS workers: a full bar is a fair share of full speed */
    long fair_share = full / (long)s.procs;
    printf("thrash: full speed %ld pages/s; a full bar is a fair share, %ld\n", full, fair_share);
    unsigned long ok = 0;
    for (unsigned long i = 0; i < s.procs; i++) {
        pids[i] = sys_fork();
        if (pids[i] == 0)
            worker(&s, &progress[i]);
    }
    /* Look every tenth of a second; draw once a second and once at the end. */
    for (bool all_done = false; !all_done;) {
        struct timespec tick = { 0, NS_PER_SECOND / TICKS_PER_SECOND };
        sys_nanosleep(&tick, NULL);
        all_done = reap_ended(&s, pids, &ok);
        long now = now_ms();
        if (all_done || now - drawn >= MS_PER_SECOND) {
            draw_second(&s, progress, last, pids, ++seconds, now - drawn, fair_share);
            drawn = now;
        }
    }
    long elapsed = now_ms() - start, faults = 0;
    for (unsigned long i = 0; i < s.procs; i++)
        faults += progress[i].majflt;
    printf("thrash: %lu of %lu processes finished in %ld.%03ld s, %ld major faults in all\n", ok,
           s.procs, elapsed / MS_PER_SECOND, elapsed % MS_PER_SECOND, faults);
    char load[32];
    if (read_knob(LOAD_CONTROL, load, sizeof load))
        printf("thrash: load control %s, %ld suspensions\n", load[0] == '1' ? "on" : "off",
               proc_field(proc_text("/proc/vmstat"), "vmlab_loadctl_suspends") - suspends);
    restore_knobs(old_load, old_tau);
    return ok == s.procs ? 0 : 1;
}
