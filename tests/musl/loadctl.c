/*
 * loadctl — working sets and load control, seen from user space (vmlab only).
 *
 *   loadctl        (as the first process, on 16 MiB with a swap disk:
 *                   tests/boot/loadctl.sh)
 *
 * 1. The knobs of /proc/sys/vm: ws_tau_ms, load_control,
 *    load_control_max_wait_ms, their values at boot and the values they refuse.
 * 2. The working-set estimate (VmWSS in /proc/PID/status, mm/workingset.h): a
 *    process that uses 1200 pages over and over has a working set of those 1200
 *    (plus the few pages of its code, stack and data); when it goes on with only
 *    100 of them, the estimate falls to about 100 one window later; a child that
 *    only sleeps never completes a window of its own time: 0 kB. Pages used
 *    in a window still count after mprotect rewrote their entries (Clock had
 *    taken their A bits: a local set of 32 frames, vmlab call 502, filled); a
 *    sampled window's pages stay Referenced in smaps.
 * 3. Load control (kernel/loadctl.h): four children each use 1200 pages, 4800
 *    in all, where about 3000 fit. With load control on, the two newest are
 *    suspended and the two oldest run; when one of those is killed the one
 *    suspended longest goes on, when the other is, the last one; a fifth is
 *    suspended at once, and SIGKILL still ends it; turning load control off
 *    lets everyone go on.
 * 4. Turns: two children of 2000 pages each never fit together; with a longest
 *    hold of 500 ms both must go on, taking turns.
 * 5. Idle: a child that used 2400 pages sleeps; a newer one of 1200 must go on
 *    (a process asleep for a second is not weighed), with a longest hold of ten
 *    minutes.
 * Each step prints one line; tests/boot/loadctl/expected.out holds them. A wait
 * that does not end in time prints which step it was and the children's states.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE        4096ul
#define BIG_SET     1200 /* pages: two such sets fit in 16 MiB, three do not */
#define SMALL_SET   100
#define SLACK       32 /* pages a process uses besides its set: code, stack, data */
#define CHILDREN    4
#define WAIT_MS     30000 /* the longest any step may take: only to end a hang */
#define POLL_MS     20
#define TAU_MS      "20" /* short windows: the test takes seconds, not minutes */
#define MAX_WAIT_MS "600000"

static pid_t children[CHILDREN + 1];

/* The text of a small file (a /proc file), in a static buffer; "" if unreadable. */
static const char *slurp(const char *path)
{
    static char text[4096];
    FILE *f = fopen(path, "r");
    size_t n = f != NULL ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f != NULL)
        fclose(f);
    text[n] = '\0';
    return text;
}

/* Write value to a /proc/sys/vm knob: 0, or the errno. */
static int set_knob(const char *name, const char *value)
{
    char path[96];
    snprintf(path, sizeof path, "/proc/sys/vm/%s", name);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return errno;
    setvbuf(f, NULL, _IONBF, 0); /* one write(2), whose error we see */
    int error = fputs(value, f) < 0 ? errno : 0;
    fclose(f);
    return error;
}

static const char *outcome(int error)
{
    return error == 0 ? "ok" : strerror(error);
}

static const char *knob(const char *name)
{
    char path[96];
    snprintf(path, sizeof path, "/proc/sys/vm/%s", name);
    static char value[64];
    const char *text = slurp(path);
    size_t n = strcspn(text, "\n");
    n = n < sizeof value - 1 ? n : sizeof value - 1;
    memcpy(value, text, n);
    value[n] = '\0';
    return value;
}

/* The number after name in pid's status (kB), or -1. */
static long status_number(pid_t pid, const char *name)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    const char *at = strstr(slurp(path), name);
    return at != NULL ? strtol(at + strlen(name), NULL, 10) : -1;
}

static bool suspended(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    return strstr(slurp(path), "LoadControl:\tsuspended") != NULL;
}

static long vmstat(const char *name)
{
    const char *text = slurp("/proc/vmstat");
    char key[64];
    snprintf(key, sizeof key, "\n%s ", name);
    const char *at = strstr(text, key);
    return at != NULL ? strtol(at + strlen(key), NULL, 10) : -1;
}

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void pause_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
    nanosleep(&t, NULL);
}

static void show_children(void)
{
    for (int i = 1; i <= CHILDREN; i++)
        if (children[i] > 0)
            fprintf(stderr, "  child %d: %s, VmWSS %ld kB\n", i,
                    suspended(children[i]) ? "suspended" : "running",
                    status_number(children[i], "VmWSS:"));
    fprintf(stderr, "  vmlab_ws_demand %ld, vmlab_ws_memory %ld\n", vmstat("vmlab_ws_demand"),
            vmstat("vmlab_ws_memory"));
}

/* Wait until done() is true, at most WAIT_MS; else say which step, and exit. */
static void wait_until(bool (*done)(void), const char *step)
{
    for (long start = now_ms(); !done();) {
        if (now_ms() - start > WAIT_MS) {
            printf("timeout: %s\n", step);
            show_children();
            exit(1);
        }
        pause_ms(POLL_MS);
    }
}

/* ---- 1. the knobs ---- */

static void check_knobs(void)
{
    printf("knobs at boot: ws_tau_ms %s,", knob("ws_tau_ms"));
    printf(" load_control %s,", knob("load_control"));
    printf(" load_control_max_wait_ms %s\n", knob("load_control_max_wait_ms"));
    const char *refused[][2] = { { "ws_tau_ms", "0" },
                                 { "ws_tau_ms", "60001" },
                                 { "ws_tau_ms", "ten" },
                                 { "load_control", "2" },
                                 { "load_control", "-1" },
                                 { "load_control_max_wait_ms", "0" },
                                 { "load_control_max_wait_ms", "3600001" } };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        printf("write %s to %s: %s\n", refused[i][1], refused[i][0],
               outcome(set_knob(refused[i][0], refused[i][1])));
    printf("write %s to ws_tau_ms: %s\n", TAU_MS, outcome(set_knob("ws_tau_ms", TAU_MS)));
    printf("write %s to load_control_max_wait_ms: %s\n", MAX_WAIT_MS,
           outcome(set_knob("load_control_max_wait_ms", MAX_WAIT_MS)));
}

/* ---- 2. the estimate ---- */

static volatile uint8_t *region;
static unsigned long in_use; /* the pages used now: the first in_use of the region */

/* One use of each page in the set (a write to its first byte). */
static void use_set(void)
{
    for (unsigned long i = 0; i < in_use; i++)
        region[i * PAGE]++;
}

/* Is my working set in_use pages, give or take the SLACK of code, stack and data? */
static bool my_set_is_in_use(void)
{
    use_set();
    long pages = status_number(getpid(), "VmWSS:") / 4;
    return pages >= (long)in_use && pages <= (long)(in_use + SLACK);
}

static void check_estimate(void)
{
    region = mmap(NULL, BIG_SET * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) {
        printf("mmap: %s\n", strerror(errno));
        exit(1);
    }
    in_use = BIG_SET;
    wait_until(my_set_is_in_use, "VmWSS of a process using 1200 pages");
    printf("using %d pages: VmWSS within %d..%d pages\n", BIG_SET, BIG_SET, BIG_SET + SLACK);
    in_use = SMALL_SET;
    wait_until(my_set_is_in_use, "VmWSS of a process using 100 pages");
    printf("then only %d of them: VmWSS within %d..%d pages\n", SMALL_SET, SMALL_SET,
           SMALL_SET + SLACK);
    munmap((void *)region, BIG_SET * PAGE);

    pid_t sleeper = fork();
    if (sleeper == 0) {
        pause_ms(200 * 1000); /* killed long before */
        _exit(0);
    }
    pause_ms(300); /* fifteen windows of real time, none of its own */
    printf("a child that only sleeps: VmWSS %ld kB, LoadControl %s\n",
           status_number(sleeper, "VmWSS:"), suspended(sleeper) ? "suspended" : "running");
    kill(sleeper, SIGKILL);
    waitpid(sleeper, NULL, 0);
}

/* ---- 2b. the bits behind the estimate: mprotect keeps a use, smaps shows it ---- */

#define LOCAL_FRAMES            32 /* a local resident set (vmlab call 502) of this many frames */
#define NR_vmlab_resident_limit 502
#define SPIN_MS                 100 /* user time run before a forced sample: more than its tau */
/* The tau that ends the window at once. Only another 50 ms of user time before
 * the status is read (a host stopping QEMU that long) would end the next too. */
#define CLOSE_TAU_MS "50"
#define USED_PAGES   100

/* Run in user mode for ms of real time, touching no new page. */
static void spin_ms(long ms)
{
    volatile unsigned long n = 0;
    for (long start = now_ms(); now_ms() - start < ms;)
        for (int i = 0; i < 100000; i++)
            n++;
}

/* Make this process's current window end now, and return its VmWSS in pages:
 * with tau at CLOSE_TAU_MS the write's return to user mode samples the window
 * (which began before open_window and has run SPIN_MS of user time since), and
 * the status is read long before another CLOSE_TAU_MS of user time has passed. */
static int tau_fd = -1, status_fd = -1;

static void open_window(void)
{
    tau_fd = open("/proc/sys/vm/ws_tau_ms", O_WRONLY);
    status_fd = open("/proc/self/status", O_RDONLY);
    set_knob("ws_tau_ms", "60000"); /* no window ends while we set things up */
    spin_ms(SPIN_MS);
}

static long close_window(void)
{
    static char text[4096];
    long n = -1;
    if (tau_fd >= 0 && status_fd >= 0 && write(tau_fd, CLOSE_TAU_MS, strlen(CLOSE_TAU_MS)) > 0)
        n = pread(status_fd, text, sizeof text - 1, 0);
    set_knob("ws_tau_ms", TAU_MS);
    close(tau_fd);
    close(status_fd);
    if (n <= 0)
        return -1;
    text[n] = '\0';
    const char *at = strstr(text, "VmWSS:");
    return at != NULL ? strtol(at + strlen("VmWSS:"), NULL, 10) / 4 : -1;
}

/* smaps' value of name (kB) for the region that starts at start, or -1. */
static long smaps_kb(const void *start, const char *name)
{
    char head[32];
    snprintf(head, sizeof head, "%lx-", (unsigned long)start);
    FILE *f = fopen("/proc/self/smaps", "r");
    if (f == NULL)
        return -1;
    static char line[256];
    long kb = -1;
    bool in_region = false;
    unsigned long from, to;
    while (kb < 0 && fgets(line, sizeof line, f) != NULL) {
        if (sscanf(line, "%lx-%lx ", &from, &to) == 2) /* a region's first line */
            in_region = strncmp(line, head, strlen(head)) == 0;
        else if (in_region && strncmp(line, name, strlen(name)) == 0)
            kb = strtol(line + strlen(name), NULL, 10);
    }
    fclose(f);
    return kb;
}

/* A page's use in the current window must survive mprotect: Clock took the A
 * bits of a local set's pages (leaving PTE_WS_USED) when the set filled, and
 * mprotect rewrote the entries. Then, after the sampler took the A bits of
 * pages used in a window, smaps still counts them Referenced (PG_REFERENCED,
 * as Linux counts PageReferenced). */
static void check_bits(void)
{
    size_t pages = LOCAL_FRAMES + 1;
    volatile uint8_t *set =
        mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (set == MAP_FAILED ||
        syscall(NR_vmlab_resident_limit, set, pages * PAGE, (unsigned long)LOCAL_FRAMES) != 0) {
        printf("local set: %s\n", strerror(errno));
        exit(1);
    }
    open_window();
    for (size_t i = 0; i < pages; i++)
        set[i * PAGE] = 1; /* the last one's fault makes Clock take every A bit */
    mprotect((void *)set, pages * PAGE, PROT_READ);
    long wss = close_window();
    long low = (long)pages, high = (long)pages + SLACK;
    if (wss >= low && wss <= high)
        printf("%zu pages used in %d frames, then mprotect: VmWSS within %ld..%ld pages\n", pages,
               LOCAL_FRAMES, low, high);
    else
        printf("%zu pages used in %d frames, then mprotect: VmWSS %ld pages, not %ld..%ld\n", pages,
               LOCAL_FRAMES, wss, low, high);
    syscall(NR_vmlab_resident_limit, set, pages * PAGE, 0ul);
    munmap((void *)set, pages * PAGE);

    /* a region of its own: PROT_NONE pages on both sides, so that it merges with
     * no neighbour and smaps shows exactly its pages */
    uint8_t *guarded =
        mmap(NULL, (USED_PAGES + 2) * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    volatile uint8_t *used = guarded + PAGE;
    if (guarded == MAP_FAILED ||
        mprotect((void *)used, USED_PAGES * PAGE, PROT_READ | PROT_WRITE) != 0) {
        printf("mmap: %s\n", strerror(errno));
        exit(1);
    }
    open_window();
    for (size_t i = 0; i < USED_PAGES; i++)
        used[i * PAGE] = 1;
    close_window(); /* the sampler takes their A bits */
    printf("%d pages used, then sampled: smaps Referenced %ld kB\n", USED_PAGES,
           smaps_kb((const void *)used, "Referenced:"));
    munmap(guarded, (USED_PAGES + 2) * PAGE);
}

/* ---- 3. load control ---- */

static void child_loop(void)
{
    volatile uint8_t *set =
        mmap(NULL, BIG_SET * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (set == MAP_FAILED)
        _exit(1);
    for (;;)
        for (unsigned long i = 0; i < BIG_SET; i++)
            set[i * PAGE]++;
}

static void start_child(int i)
{
    children[i] = fork();
    if (children[i] == 0)
        child_loop();
}

static void end_child(int i, const char *how)
{
    int status = 0;
    kill(children[i], SIGKILL);
    waitpid(children[i], &status, 0);
    children[i] = 0;
    printf("%s: %s by signal %d\n", how, WIFSIGNALED(status) ? "killed" : "ended",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

static bool three_and_four_held(void)
{
    return suspended(children[3]) && suspended(children[4]);
}

static bool three_running(void)
{
    return !suspended(children[3]);
}

static bool four_running(void)
{
    return !suspended(children[4]);
}

static bool fifth_held(void)
{
    return suspended(children[0]);
}

static bool nobody_held(void)
{
    return vmstat("vmlab_loadctl_suspended") == 0;
}

static const char *state(int i)
{
    return suspended(children[i]) ? "suspended" : "running";
}

static void check_load_control(void)
{
    long suspends = vmstat("vmlab_loadctl_suspends"), resumes = vmstat("vmlab_loadctl_resumes");
    printf("write 1 to load_control: %s\n", outcome(set_knob("load_control", "1")));
    for (int i = 1; i <= CHILDREN; i++)
        start_child(i);
    wait_until(three_and_four_held, "children 3 and 4 suspended");
    printf("4 children of %d pages: 1 %s, 2 %s, 3 %s, 4 %s\n", BIG_SET, state(1), state(2),
           state(3), state(4));
    end_child(1, "child 1");
    wait_until(three_running, "child 3 resumed after child 1 ended");
    printf("then: 3 %s, 4 %s\n", state(3), state(4));
    end_child(2, "child 2");
    wait_until(four_running, "child 4 resumed after child 2 ended");
    printf("then: 3 %s, 4 %s\n", state(3), state(4));
    start_child(0); /* a fifth, newest of all */
    wait_until(fifth_held, "a fifth child suspended");
    printf("a fifth child: suspended; 3 %s, 4 %s\n", state(3), state(4));
    end_child(0, "SIGKILL to the suspended child");
    start_child(0);
    wait_until(fifth_held, "another fifth child suspended");
    printf("write 0 to load_control: %s\n", outcome(set_knob("load_control", "0")));
    wait_until(nobody_held, "everyone resumed with load control off");
    printf("then: 3 %s, 4 %s, the fifth %s\n", state(3), state(4),
           suspended(children[0]) ? "suspended" : "running");
    for (int i = 0; i <= CHILDREN; i++)
        if (children[i] > 0)
            end_child(i, "the end");
    printf("suspensions: %s, resumptions: %s\n",
           vmstat("vmlab_loadctl_suspends") - suspends >= 4 ? "4 or more" : "too few",
           vmstat("vmlab_loadctl_resumes") - resumes >= 3 ? "3 or more" : "too few");
}

/* ---- 4. turns: two processes that do not fit together ---- */

#define TURN_SET     2000  /* pages: one such set fits in 16 MiB, two do not */
#define TURN_WAIT_MS "500" /* the longest hold, for this step */
#define TURN_RESUMES 2     /* resumptions before watching: each child has waited once */
#define TURN_WATCH   8000  /* ms: both must have gone on by then (it takes about 1 s) */
#define TURN_PASSES  100   /* passes over its set that show a child went on */

static volatile uint64_t *passes; /* per child, the passes over its set (shared) */

static void turn_loop(int i)
{
    volatile uint8_t *set =
        mmap(NULL, TURN_SET * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (set == MAP_FAILED)
        _exit(1);
    for (;;) {
        for (unsigned long p = 0; p < TURN_SET; p++)
            set[p * PAGE]++;
        passes[i]++;
    }
}

/* Two children that do not fit together, with a short longest hold: they must
 * take turns. Once each had waited the longest hold once, the balance used to
 * suspend the newer one again at the step after each resume, before it had its
 * pages back: it made no more progress at all. */
static void check_turns(void)
{
    passes = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (passes == MAP_FAILED) {
        printf("mmap: %s\n", strerror(errno));
        exit(1);
    }
    set_knob("load_control_max_wait_ms", TURN_WAIT_MS);
    long resumes = vmstat("vmlab_loadctl_resumes");
    printf("write 1 to load_control: %s\n", outcome(set_knob("load_control", "1")));
    for (int i = 1; i <= 2; i++) {
        children[i] = fork();
        if (children[i] == 0)
            turn_loop(i);
    }
    for (long start = now_ms(); vmstat("vmlab_loadctl_resumes") - resumes < TURN_RESUMES;) {
        if (now_ms() - start > WAIT_MS) {
            printf("timeout: two children taking turns (%ld resumptions)\n",
                   vmstat("vmlab_loadctl_resumes") - resumes);
            exit(1);
        }
        pause_ms(POLL_MS);
    }
    uint64_t before[3] = { 0, passes[1], passes[2] };
    for (long start = now_ms(); now_ms() - start < TURN_WATCH;) {
        if (passes[1] >= before[1] + TURN_PASSES && passes[2] >= before[2] + TURN_PASSES)
            break; /* both went on: no need to watch longer */
        pause_ms(POLL_MS);
    }
    printf("2 children of %d pages, longest hold %s ms: 1 %s, 2 %s\n", TURN_SET, TURN_WAIT_MS,
           passes[1] >= before[1] + TURN_PASSES ? "went on" : "stuck",
           passes[2] >= before[2] + TURN_PASSES ? "went on" : "stuck");
    printf("write 0 to load_control: %s\n", outcome(set_knob("load_control", "0")));
    for (int i = 1; i <= 2; i++)
        end_child(i, "the end");
}

/* ---- 5. an idle process: asleep, its working set is not weighed ---- */

#define IDLE_SET     2400 /* pages: with a running set of 1200, more than fits */
#define IDLE_PASSES  10   /* passes over its set that show the runner went on */
#define IDLE_WAIT_MS 6000 /* the runner must go on by then (the idle limit is 1 s) */

/* A child uses IDLE_SET pages, then sleeps; a newer child then runs over
 * BIG_SET. Both sets together do not fit, but the sleeper uses no page: the
 * runner must go on although the longest hold is ten minutes. It used to be
 * held for as long as the other slept (up to the longest hold). */
static void check_idle(void)
{
    set_knob("load_control_max_wait_ms", MAX_WAIT_MS);
    passes[0] = passes[1] = 0;
    pid_t sleeper = fork();
    if (sleeper == 0) {
        volatile uint8_t *set =
            mmap(NULL, IDLE_SET * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (set == MAP_FAILED)
            _exit(1);
        for (int pass = 0; pass < 20; pass++)
            for (unsigned long p = 0; p < IDLE_SET; p++)
                set[p * PAGE]++;
        passes[0] = 1;
        pause();
        _exit(0);
    }
    while (passes[0] == 0)
        pause_ms(POLL_MS);
    printf("write 1 to load_control: %s\n", outcome(set_knob("load_control", "1")));
    pid_t runner = fork();
    if (runner == 0) {
        volatile uint8_t *set =
            mmap(NULL, BIG_SET * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (set == MAP_FAILED)
            _exit(1);
        for (;;) {
            for (unsigned long p = 0; p < BIG_SET; p++)
                set[p * PAGE]++;
            passes[1]++;
        }
    }
    for (long start = now_ms(); passes[1] < IDLE_PASSES && now_ms() - start < IDLE_WAIT_MS;)
        pause_ms(POLL_MS);
    printf("a child of %d pages asleep, a newer one of %d running: the newer %s\n", IDLE_SET,
           BIG_SET, passes[1] >= IDLE_PASSES ? "went on" : "was held");
    printf("write 0 to load_control: %s\n", outcome(set_knob("load_control", "0")));
    kill(sleeper, SIGKILL);
    kill(runner, SIGKILL);
    waitpid(sleeper, NULL, 0);
    waitpid(runner, NULL, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (access("/proc/sys/vm/load_control", F_OK) != 0) {
        printf("loadctl: not vmlab (no /proc/sys/vm/load_control): nothing to check\n");
        return 0;
    }
    check_knobs();
    check_estimate();
    check_bits();
    check_load_control();
    check_turns();
    check_idle();
    return 0;
}
