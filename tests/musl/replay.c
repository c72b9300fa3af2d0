/*
 * replay.c — a page-reference trace replayed in real memory with N frames.
 *
 *   replay --checks SWAPDEV
 *       the knobs and the system calls' errors, one line each (compared with
 *       tests/boot/replay/checks.out): /proc/sys/vm/page_replacement and
 *       wsclock_tau_ms read and written (busybox's echo too, through
 *       system()), vmlab_resident_limit's EINVAL, ENOMEM, EBUSY, ENOENT and,
 *       after swapoff(SWAPDEV), ENOSPC; and policies switched many times while
 *       a child replays in a limited region and checks every byte
 *   replay [--checks SWAPDEV] POLICIES FRAMES TRACE[:FRAMES]...
 *       POLICIES  comma-separated names for /proc/sys/vm/page_replacement
 *       FRAMES    comma-separated frame counts (a trace's own after a colon)
 *       TRACE     binary traces (tools/pagesim/replay-format.md: "PGTR",
 *                 version 1, count, page limit, then count uint32 page numbers,
 *                 little-endian)
 *
 * For each trace, frame count and policy: put the policy in force, map a fresh
 * anonymous region of `page limit` pages, limit it to N frames with vmlab's
 * vmlab_resident_limit (502: local replacement, mm/resident_limit.h), write one
 * byte to each page in trace order, and print the faults the region took --
 * vmlab_resident_stat (503) counts every page brought into the region's set,
 * first touches included, which is what tools/pagesim counts:
 *
 *   trace belady frames 3 fifo faults 9
 *
 * The policy in force before is put back at the end. Needs swap (the pages a
 * full set gives up are written there): tests/boot/replay.sh runs it with
 * tests/run-elf --swap. vmlab only: on Linux the calls are ENOSYS, and it says so
 * and exits 0.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NR_vmlab_resident_limit 502
#define NR_vmlab_resident_stat  503
#define PAGE                    4096
#define POLICY_FILE             "/proc/sys/vm/page_replacement"
#define HEADER_BYTES            16

struct vmlab_resident {
    uint64_t start, end, limit, resident, faults, evictions;
};

struct trace {
    const char *name; /* the file's name without folders or ".bin" */
    uint32_t count, limit;
    uint32_t *page;
};

static uint32_t le32(const unsigned char *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* The whole of path into a malloc'd buffer (*size bytes), or exit 1. */
static unsigned char *read_file(const char *path, size_t *size)
{
    int fd = open(path, O_RDONLY);
    size_t have = 0, room = 1 << 16;
    unsigned char *bytes = malloc(room);
    if (fd < 0 || bytes == NULL) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    for (;;) {
        if (have == room && (bytes = realloc(bytes, room *= 2)) == NULL)
            exit(1);
        ssize_t n = read(fd, bytes + have, room - have);
        if (n < 0) {
            fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
            exit(1);
        }
        if (n == 0)
            break;
        have += (size_t)n;
    }
    close(fd);
    *size = have;
    return bytes;
}

/* The trace in path, checked (magic, version, length, every page under the
 * limit); exit 1 if it is not one. */
static struct trace load_trace(const char *path)
{
    size_t size;
    unsigned char *bytes = read_file(path, &size);
    struct trace t = { 0 };
    const char *slash = strrchr(path, '/');
    char *name = strdup(slash != NULL ? slash + 1 : path);
    char *dot = strrchr(name, '.');
    if (dot != NULL)
        *dot = '\0';
    t.name = name;
    if (size < HEADER_BYTES || memcmp(bytes, "PGTR", 4) != 0 || le32(bytes + 4) != 1) {
        fprintf(stderr, "replay: %s: not a version 1 binary trace\n", path);
        exit(1);
    }
    t.count = le32(bytes + 8);
    t.limit = le32(bytes + 12);
    if (size != HEADER_BYTES + (size_t)t.count * 4) {
        fprintf(stderr, "replay: %s: %zu bytes for %u references\n", path, size, t.count);
        exit(1);
    }
    t.page = malloc((size_t)t.count * sizeof *t.page + 1);
    for (uint32_t i = 0; i < t.count; i++) {
        t.page[i] = le32(bytes + HEADER_BYTES + 4 * (size_t)i);
        if (t.page[i] >= t.limit) {
            fprintf(stderr, "replay: %s: page %u at %u, limit %u\n", path, t.page[i], i, t.limit);
            exit(1);
        }
    }
    free(bytes);
    return t;
}

/* Write text to the policy file; 0 or the errno. */
static int write_policy(const char *text)
{
    int fd = open(POLICY_FILE, O_WRONLY);
    if (fd < 0)
        return errno;
    ssize_t n = write(fd, text, strlen(text));
    int error = n < 0 ? errno : 0;
    close(fd);
    return error;
}

/* The name in brackets in the policy file, into name. */
static void policy_in_force(char *name, size_t size)
{
    char text[128] = { 0 };
    int fd = open(POLICY_FILE, O_RDONLY);
    if (fd < 0 || read(fd, text, sizeof text - 1) < 0) {
        fprintf(stderr, "replay: %s: %s\n", POLICY_FILE, strerror(errno));
        exit(1);
    }
    close(fd);
    char *open_bracket = strchr(text, '['), *close_bracket = strchr(text, ']');
    if (open_bracket == NULL || close_bracket == NULL ||
        close_bracket - open_bracket > (long)size) {
        fprintf(stderr, "replay: %s: no policy in brackets: %s", POLICY_FILE, text);
        exit(1);
    }
    *close_bracket = '\0';
    snprintf(name, size, "%s", open_bracket + 1);
}

/* One replay: the faults of t with frames frames, or exit 1. */
static uint64_t replay(const struct trace *t, unsigned long frames)
{
    size_t len = (size_t)t->limit * PAGE;
    volatile unsigned char *region =
        mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED || syscall(NR_vmlab_resident_limit, region, len, frames) != 0) {
        fprintf(stderr, "replay: %s: region of %u pages with %lu frames: %s\n", t->name, t->limit,
                frames, strerror(errno));
        exit(1);
    }
    for (uint32_t i = 0; i < t->count; i++)
        region[(size_t)t->page[i] * PAGE] = 1; /* a write: the page gets a frame of its own */
    struct vmlab_resident stat;
    if (syscall(NR_vmlab_resident_stat, &stat) != 0 || stat.resident > frames) {
        fprintf(stderr, "replay: %s: stat %s, %lu resident of %lu\n", t->name, strerror(errno),
                (unsigned long)stat.resident, frames);
        exit(1);
    }
    syscall(NR_vmlab_resident_limit, region, len, 0UL);
    munmap((void *)region, len);
    return stat.faults;
}

/* ---- --checks ---- */

#define TAU_FILE "/proc/sys/vm/wsclock_tau_ms"

/* The contents of path (a short file) into text, or "(errno name)". */
static void read_text(const char *path, char *text, size_t size)
{
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, text, size - 1);
    if (n < 0)
        snprintf(text, size, "(%s)\n", strerror(errno));
    else
        text[n] = '\0';
    if (fd >= 0)
        close(fd);
}

/* Write text to path: "ok" or the error's name. */
static const char *write_result(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return strerror(errno);
    ssize_t n = write(fd, text, strlen(text));
    const char *result = n == (ssize_t)strlen(text) ? "ok" : n < 0 ? strerror(errno) : "short";
    close(fd);
    return result;
}

static void show(const char *what, const char *path)
{
    char text[128];
    read_text(path, text, sizeof text);
    printf("%s: %s", what, text);
}

/* The names in directory path, in readdir's order, on one line. */
static void list(const char *path)
{
    DIR *dir = opendir(path);
    printf("ls %s:", path);
    for (struct dirent *e; dir != NULL && (e = readdir(dir)) != NULL;)
        printf(" %s", e->d_name);
    printf(dir != NULL ? "\n" : " (%s)\n", strerror(errno));
    if (dir != NULL)
        closedir(dir);
}

static void knob_checks(void)
{
    list("/proc/sys");
    list("/proc/sys/vm");
    list("/proc/sys/vm/..");
    show("policies", POLICY_FILE);
    printf("write nosuch: %s\n", write_result(POLICY_FILE, "nosuch\n"));
    printf("write empty: %s\n", write_result(POLICY_FILE, "\n"));
    printf("write aging: %s\n", write_result(POLICY_FILE, "aging"));
    show("after aging", POLICY_FILE);
    printf("busybox echo: status %d\n", system("echo fifo > " POLICY_FILE));
    show("after echo fifo", POLICY_FILE);
    printf("write wsclock\\n: %s\n", write_result(POLICY_FILE, "wsclock\n"));
    show("after wsclock", POLICY_FILE);
    show("tau", TAU_FILE);
    printf("write tau 250: %s\n", write_result(TAU_FILE, "250\n"));
    show("tau now", TAU_FILE);
    printf("write tau abc: %s\n", write_result(TAU_FILE, "abc"));
    printf("write tau -1: %s\n", write_result(TAU_FILE, "-1"));
    write_result(TAU_FILE, "100");
    write_result(POLICY_FILE, "clock");
}

static const char *result_of(long r)
{
    return r == 0 ? "0" : strerror(errno);
}

static void limit_checks(const char *swapdev)
{
    size_t len = 16 * PAGE;
    char *region = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct vmlab_resident stat;
    printf("stat with no limit: %s\n", result_of(syscall(NR_vmlab_resident_stat, &stat)));
    printf("limit unaligned: %s\n",
           result_of(syscall(NR_vmlab_resident_limit, region + 1, len, 4UL)));
    printf("limit len 0: %s\n", result_of(syscall(NR_vmlab_resident_limit, region, 0UL, 4UL)));
    printf("limit kernel half: %s\n",
           result_of(syscall(NR_vmlab_resident_limit, (void *)0xffff800000000000ul, len, 4UL)));
    munmap(region + 8 * PAGE, PAGE);
    printf("limit over a hole: %s\n",
           result_of(syscall(NR_vmlab_resident_limit, region, len, 4UL)));
    printf("limit: %s\n", result_of(syscall(NR_vmlab_resident_limit, region, 8 * PAGE, 4UL)));
    printf("second limit: %s\n",
           result_of(syscall(NR_vmlab_resident_limit, region + 9 * PAGE, PAGE, 4UL)));
    for (int i = 0; i < 8; i++)
        region[i * PAGE] = (char)i;
    syscall(NR_vmlab_resident_stat, &stat);
    printf("8 pages through 4 frames: faults %llu evictions %llu resident %llu\n",
           (unsigned long long)stat.faults, (unsigned long long)stat.evictions,
           (unsigned long long)stat.resident);
    int intact = 1;
    for (int i = 0; i < 8; i++)
        intact &= region[i * PAGE] == (char)i;
    printf("bytes back from swap: %s\n", intact ? "intact" : "CHANGED");
    printf("limit removed: %s\n", result_of(syscall(NR_vmlab_resident_limit, region, len, 0UL)));
    printf("swapoff: %s\n", result_of(swapoff(swapdev)));
    printf("limit without swap: %s\n",
           result_of(syscall(NR_vmlab_resident_limit, region, 8 * PAGE, 4UL)));
    printf("swapon: %s\n", result_of(swapon(swapdev, 0)));
    munmap(region, len);
}

/* A child replaying random references in 64 pages with 8 frames while we switch
 * policies under it as fast as we can: every byte must come back. */
static void switching_check(void)
{
    pid_t child = fork();
    if (child == 0) {
        size_t pages = 64;
        unsigned char *region =
            mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (syscall(NR_vmlab_resident_limit, region, pages * PAGE, 8UL) != 0)
            _exit(2);
        uint64_t x = 88172645463325252ull;
        unsigned char written[64] = { 0 };
        for (int i = 0; i < 600; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            size_t page = x % pages;
            if (region[page * PAGE] != written[page])
                _exit(1);
            region[page * PAGE] = written[page] = (unsigned char)(i | 1);
        }
        _exit(0);
    }
    static const char *const names[] = { "fifo\n", "clock\n", "aging\n", "wsclock\n" };
    int status, switches = 0;
    while (waitpid(child, &status, WNOHANG) == 0) {
        write_result(POLICY_FILE, names[switches++ % 4]);
        struct timespec pause = { 0, 1000000 };
        nanosleep(&pause, NULL);
    }
    write_result(POLICY_FILE, "clock");
    printf("policies switched under a replay: %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0
                                                         ? "every byte intact"
                                                     : WIFEXITED(status) ? "a byte changed"
                                                                         : "child killed");
}

/* Every frame count of list (comma-separated), every policy of policies, on t. */
static void replay_all(const struct trace *t, const char *list, const char *policies)
{
    char frame_list[256];
    snprintf(frame_list, sizeof frame_list, "%s", list);
    char *saved_frames;
    for (char *f = strtok_r(frame_list, ",", &saved_frames); f != NULL;
         f = strtok_r(NULL, ",", &saved_frames)) {
        char names[256], *saved;
        snprintf(names, sizeof names, "%s", policies);
        for (char *p = strtok_r(names, ",", &saved); p != NULL; p = strtok_r(NULL, ",", &saved)) {
            int error = write_policy(p);
            if (error != 0) {
                fprintf(stderr, "replay: %s <- %s: %s\n", POLICY_FILE, p, strerror(error));
                exit(1);
            }
            unsigned long frames = strtoul(f, NULL, 10);
            printf("trace %s frames %lu %s faults %llu\n", t->name, frames, p,
                   (unsigned long long)replay(t, frames));
            fflush(stdout);
        }
    }
}

int main(int argc, char **argv)
{
    struct vmlab_resident probe;
    if (syscall(NR_vmlab_resident_stat, &probe) != 0 && errno == ENOSYS) {
        printf("replay: not vmlab (no vmlab_resident_stat): nothing to replay\n");
        return 0; /* run on Linux by user/run-host-tests: nothing is wrong */
    }
    int a = 1;
    if (argc >= 3 && strcmp(argv[1], "--checks") == 0) {
        knob_checks();
        limit_checks(argv[2]);
        switching_check();
        fflush(stdout);
        a = 3;
        if (a == argc)
            return 0;
    }
    if (argc - a < 3) {
        fprintf(stderr,
                "usage: replay [--checks SWAPDEV] POLICY,... FRAMES,... TRACE[:FRAMES,...]...\n");
        return 2;
    }
    char before[32];
    policy_in_force(before, sizeof before);
    for (int i = a + 2; i < argc; i++) {
        char *frames = strchr(argv[i], ':'); /* this trace's own frame counts */
        if (frames != NULL)
            *frames++ = '\0';
        struct trace t = load_trace(argv[i]);
        replay_all(&t, frames != NULL ? frames : argv[a + 1], argv[a]);
    }
    return write_policy(before) == 0 ? 0 : 1;
}
