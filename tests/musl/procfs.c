/*
 * procfs.c — /proc's formats and what its numbers do, the same on Linux and on
 * vmlab: every line printed is a fact that holds on both (no addresses, pids or
 * sizes that differ between them), so the two outputs must be equal.
 *
 *   maps      a fresh anonymous mapping's line and a file mapping's line, field
 *             by field (widths, rights, offset, device, inode, the path at
 *             column 73)
 *   status    VmSize grows by exactly a mapping's size, VmRSS by the pages touched
 *   smaps     the fields in Linux's order and layout; Rss and Pss of a private
 *             page shared with a child after fork (Pss halves) and after the
 *             child's write (copy-on-write: whole again); smaps_rollup's sums
 *   stat      52 fields; statm agrees with status
 *   links     exe equals argv[0]; execve through /proc/self/exe; cwd; fd/N
 *   cmdline   the exact bytes of an argv with empty and spaced arguments
 *   reads     1-byte reads, lseek and pread at odd offsets give the same text;
 *             SEEK_END is EINVAL; writes are EINVAL or EIO; a dead pid is ENOENT
 *   listing   getdents64 of /proc lists our pid, a child's and self
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE      4096
#define TEXT_MAX  (256 * 1024)
#define TEST_FILE "/tmp/procfs-test-file"

static char text[TEXT_MAX], again[TEXT_MAX]; /* touched before any measurement */

static const char *yes(int ok)
{
    return ok ? "yes" : "no";
}

/* The whole of a /proc file into buf (read in chunks of chunk bytes): its length,
 * or -errno. */
static long slurp(const char *path, char *buf, size_t chunk)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -errno;
    long n = 0, got;
    while (n + (long)chunk < TEXT_MAX && (got = read(fd, buf + n, chunk)) > 0)
        n += got;
    close(fd);
    buf[n] = '\0';
    return n;
}

/* The number after "Name:" in a status text (kB), or -1. */
static long status_field(const char *status, const char *name)
{
    const char *at = strstr(status, name);
    return at != NULL ? strtol(at + strlen(name), NULL, 10) : -1;
}

/* The maps line of the region starting at addr, into line (without "\n"). */
static int maps_line(void *addr, char *line, size_t size)
{
    char start[32];
    snprintf(start, sizeof start, "%08lx-", (unsigned long)addr);
    slurp("/proc/self/maps", text, PAGE);
    for (char *l = text; *l; l = strchr(l, '\n') + 1) {
        size_t len = strcspn(l, "\n");
        if (strncmp(l, start, strlen(start)) == 0 && len < size) {
            memcpy(line, l, len);
            line[len] = '\0';
            return 0;
        }
        if (l[len] == '\0')
            break;
    }
    return -1;
}

/* A maps line field by field: everything but the addresses is printed. */
static void print_maps_line(const char *label, const char *line, const char *want_path)
{
    char range[64], perms[8], offset[32], dev[16];
    unsigned long ino;
    int used = 0;
    if (sscanf(line, "%63s %7s %31s %15s %lu %n", range, perms, offset, dev, &ino, &used) < 5) {
        printf("%s: unreadable line\n", label);
        return;
    }
    char *dash = strchr(range, '-');
    size_t start_width = dash ? (size_t)(dash - range) : 0;
    printf("%s: address widths %zu and %zu (>= 8: %s), rights %s, offset %s\n", label, start_width,
           strlen(range) - start_width - 1, yes(start_width >= 8), perms, offset);
    unsigned major, minor;
    int dev_ok = sscanf(dev, "%x:%x", &major, &minor) == 2 && strlen(dev) >= 5;
    const char *path = strchr(line + strlen(range), '/');
    if (want_path == NULL) {
        printf("%s: device %s inode %lu, ends after the inode and one space: %s\n", label, dev, ino,
               yes(line[used - 1] == ' ' && line[used] == '\0'));
        return;
    }
    struct stat st;
    stat(want_path, &st);
    printf("%s: device as hex major:minor: %s, inode is the file's: %s\n", label, yes(dev_ok),
           yes(ino == (unsigned long)st.st_ino));
    printf("%s: path at column %ld: %s\n", label, path ? (long)(path - line) : -1L,
           path ? path : "(none)");
}

static void check_maps(void)
{
    char line[512];
    char *anon = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (maps_line(anon, line, sizeof line) == 0)
        print_maps_line("anonymous mapping", line, NULL);
    munmap(anon, 3 * PAGE);

    int fd = open(TEST_FILE, O_RDWR | O_CREAT | O_TRUNC, 0644);
    memset(again, 'f', 3 * PAGE);
    write(fd, again, 3 * PAGE);
    char *file = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
    if (maps_line(file, line, sizeof line) == 0)
        print_maps_line("file mapping", line, TEST_FILE);
    char *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (maps_line(shared, line, sizeof line) == 0)
        printf("shared file mapping: rights %.4s\n", strchr(line, ' ') + 1);
    munmap(shared, PAGE);
    munmap(file, 2 * PAGE);
    close(fd);
}

/* VmSize grows by the mapping, VmRSS (and RssAnon) by the pages written. */
static void check_status_deltas(void)
{
    static char before[8192], mapped[8192], touched[8192], rollup[2][4096];
    memset(mapped, 0, sizeof mapped);
    memset(touched, 0, sizeof touched);
    memset(rollup, 0, sizeof rollup);
    slurp("/proc/self/status", before, PAGE);
    slurp("/proc/self/status", before, PAGE); /* the same calls as below, once more */
    char *region =
        mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    slurp("/proc/self/status", mapped, PAGE);
    slurp("/proc/self/smaps_rollup", rollup[0], PAGE);
    for (int i = 0; i < 10; i++)
        region[i * PAGE * 3] = 1;
    slurp("/proc/self/status", touched, PAGE);
    slurp("/proc/self/smaps_rollup", rollup[1], PAGE);
    /* (Linux before 6.2 batches a process's RSS counts, 64 faults at a time: there
     * VmRSS lags, while smaps counts the page tables themselves.) */
    printf("smaps_rollup's Rss grew by %ld kB after writing 10 pages\n",
           status_field(rollup[1], "\nRss:") - status_field(rollup[0], "\nRss:"));
    printf("VmSize grew by %ld kB (a 256 kB mapping)\n",
           status_field(mapped, "VmSize:") - status_field(before, "VmSize:"));
    printf("VmRSS grew by %ld kB after writing 10 pages; RssAnon by %ld kB\n",
           status_field(touched, "VmRSS:") - status_field(mapped, "VmRSS:"),
           status_field(touched, "RssAnon:") - status_field(mapped, "RssAnon:"));
    printf("VmRSS = RssAnon + RssFile + RssShmem: %s\n",
           yes(status_field(touched, "VmRSS:") == status_field(touched, "RssAnon:") +
                                                      status_field(touched, "RssFile:") +
                                                      status_field(touched, "RssShmem:")));
    static const char *const names[] = {
        "Name:",     "State:",  "Tgid:",   "Pid:",    "PPid:",   "Uid:",     "Gid:",
        "VmPeak:",   "VmSize:", "VmLck:",  "VmHWM:",  "VmRSS:",  "RssAnon:", "RssFile:",
        "RssShmem:", "VmData:", "VmStk:",  "VmExe:",  "VmLib:",  "VmPTE:",   "VmSwap:",
        "Threads:",  "SigQ:",   "SigPnd:", "SigBlk:", "SigIgn:", "SigCgt:"
    };
    const char *at = touched;
    int in_order = 1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char want[32];
        snprintf(want, sizeof want, "\n%s\t", names[i]);
        const char *found =
            i == 0 ? (strncmp(touched, "Name:\t", 6) == 0 ? touched : NULL) : strstr(at, want);
        if (found == NULL) {
            printf("status: %s missing or out of order\n", names[i]);
            in_order = 0;
        } else {
            at = found + 1;
        }
    }
    printf("status fields in Linux's order: %s\n", yes(in_order));
    const char *lck = strstr(touched, "VmLck:");
    printf("VmLck line: \"%.*s\"\n", (int)strcspn(lck, "\n"), lck);
    long statm_size = -1, statm_rss = -1;
    slurp("/proc/self/statm", text, PAGE);
    slurp("/proc/self/status", touched, PAGE);
    sscanf(text, "%ld %ld", &statm_size, &statm_rss);
    printf("statm size = VmSize / 4: %s\n",
           yes(statm_size * 4 == status_field(touched, "VmSize:")));
    munmap(region, 64 * PAGE);
    slurp("/proc/self/status", touched, PAGE);
    printf("after munmap: VmSize back: %s, VmPeak still counts the mapping: %s\n",
           yes(status_field(touched, "VmSize:") == status_field(before, "VmSize:")),
           yes(status_field(touched, "VmPeak:") >= status_field(before, "VmSize:") + 256));
}

/* The fields of one smaps region, from the line after its header. */
static void check_smaps_layout(void)
{
    static const char *const order[] = {
        "Size:",         "KernelPageSize:", "MMUPageSize:",   "Rss:",           "Pss:",
        "Shared_Clean:", "Shared_Dirty:",   "Private_Clean:", "Private_Dirty:", "Referenced:",
        "Anonymous:",    "Swap:",           "SwapPss:",       "Locked:",        "VmFlags:"
    };
    slurp("/proc/self/smaps", text, PAGE);
    const char *region = strchr(text, '\n') + 1, *at = region;
    int in_order = 1, layout_ok = 1;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        char want[32];
        snprintf(want, sizeof want, "%s%s", i == 0 ? "" : "\n", order[i]);
        const char *found =
            i == 0 ? (strncmp(at, want, strlen(want)) == 0 ? at : NULL) : strstr(at, want);
        in_order &= found != NULL;
        if (found != NULL)
            at = found + 1;
    }
    /* every "kB" line of the first region: the name in 16 columns, the value in 8 */
    for (const char *l = region; strncmp(l, "VmFlags:", 8) != 0; l = strchr(l, '\n') + 1) {
        const char *colon = strchr(l, ':'), *end = strchr(l, '\n');
        if (end - l >= 3 && strncmp(end - 3, " kB", 3) == 0 &&
            strncmp(l, "Private_Hugetlb", 15) != 0)
            layout_ok &= end - l == 27 && colon - l < 16;
    }
    printf("smaps fields in Linux's order: %s; \"Name: value kB\" lines 27 wide: %s\n",
           yes(in_order), yes(layout_ok));
    const char *flags = strstr(text, "VmFlags:");
    printf("VmFlags line ends with a space: %s\n", yes(flags && strchr(flags, '\n')[-1] == ' '));
}

/* The Rss, Pss, Shared_Dirty and Private_Dirty of the region at addr in smaps. */
static void print_page_costs(const char *who, void *addr)
{
    char start[32];
    snprintf(start, sizeof start, "%08lx-", (unsigned long)addr);
    slurp("/proc/self/smaps", text, PAGE);
    char *region = strstr(text, start);
    if (region == NULL) {
        printf("%s: region not in smaps\n", who);
        return;
    }
    printf(
        "%s: Rss %ld kB, Pss %ld kB, Shared_Dirty %ld kB, Private_Dirty %ld kB, Anonymous %ld kB\n",
        who, status_field(region, "\nRss:"), status_field(region, "\nPss:"),
        status_field(region, "\nShared_Dirty:"), status_field(region, "\nPrivate_Dirty:"),
        status_field(region, "\nAnonymous:"));
}

/* A private page written, then shared with a child by fork: each is charged half
 * (PSS); the child's write copies it, and each owns a whole page again. */
static void check_pss_after_fork(void)
{
    /* a region of its own: PROT_NONE pages on each side keep it from merging */
    char *area = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(area, PAGE, PROT_NONE);
    mprotect(area + 2 * PAGE, PAGE, PROT_NONE);
    char *page = area + PAGE;
    page[0] = 1;
    print_page_costs("before fork", page);
    fflush(stdout);
    int to_parent[2], to_child[2];
    pipe(to_parent);
    pipe(to_child);
    pid_t child = fork();
    char c;
    if (child == 0) {
        print_page_costs("child after fork", page);
        page[0] = 2; /* copy-on-write */
        print_page_costs("child after its write", page);
        fflush(stdout);
        write(to_parent[1], "x", 1);
        read(to_child[0], &c, 1); /* stay, so the parent sees its page alone while we live */
        _exit(0);
    }
    read(to_parent[0], &c, 1);
    print_page_costs("parent after the child's write", page);
    fflush(stdout);
    write(to_child[1], "y", 1);
    waitpid(child, NULL, 0);
    close(to_parent[0]);
    close(to_parent[1]);
    close(to_child[0]);
    close(to_child[1]);
    munmap(area, 3 * PAGE);

    long rss_sum = 0;
    slurp("/proc/self/smaps", text, PAGE);
    for (char *at = text; (at = strstr(at, "\nRss:")) != NULL; at++)
        rss_sum += strtol(at + 5, NULL, 10);
    slurp("/proc/self/smaps_rollup", again, PAGE);
    printf("smaps_rollup: [rollup] at column 73: %s, Rss is the sum over smaps: %s\n",
           yes(strstr(again, "[rollup]") - again == 73),
           yes(status_field(again, "\nRss:") == rss_sum));
}

/* A child asleep in read(): its status, stat and a dead pid's ENOENT. */
static void check_other_process(const char *argv0)
{
    int gate[2];
    pipe(gate);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char c;
        read(gate[0], &c, 1);
        _exit(0);
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", child);
    for (int tries = 0; tries < 1000; tries++) { /* until it sleeps in read() */
        slurp(path, text, PAGE);
        if (strstr(text, "State:\tS"))
            break;
        usleep(1000);
    }
    const char *base = strrchr(argv0, '/') ? strrchr(argv0, '/') + 1 : argv0;
    char name[64];
    sscanf(text, "Name:\t%63s", name);
    const char *state_line = strstr(text, "State:");
    printf("child's status: Name is ours: %s, %.*s, PPid is us: %s, Pid is its: %s\n",
           yes(strncmp(name, base, 15) == 0), (int)strcspn(state_line, "\n"), state_line,
           yes(status_field(text, "PPid:") == getpid()),
           yes(status_field(text, "\nPid:") == child));

    snprintf(path, sizeof path, "/proc/%d/stat", child);
    slurp(path, text, PAGE);
    int pid = 0, ppid = 0, pgrp = 0, session = 0, fields = 0;
    char state = '?';
    sscanf(text, "%d", &pid);
    sscanf(strrchr(text, ')') + 2, "%c %d %d %d", &state, &ppid, &pgrp, &session);
    printf("child's stat: pgrp is getpgid's: %s, session is getsid's: %s\n",
           yes(pgrp == getpgid(child)), yes(session == getsid(child)));
    for (char *t = strtok(strrchr(text, ')') + 1, " \n"); t; t = strtok(NULL, " \n"))
        fields++;
    printf("child's stat: %d fields, pid %s, state %c, ppid %s\n", fields + 2, yes(pid == child),
           state, yes(ppid == getpid()));

    /* listing /proc: our pid, the child's, self */
    int seen_us = 0, seen_child = 0, seen_self = 0;
    DIR *d = opendir("/proc");
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        seen_us |= atoi(e->d_name) == getpid();
        seen_child |= atoi(e->d_name) == child;
        seen_self |= strcmp(e->d_name, "self") == 0 && e->d_type == DT_LNK;
    }
    closedir(d);
    printf("getdents of /proc: us %s, the child %s, self (a link) %s\n", yes(seen_us),
           yes(seen_child), yes(seen_self));

    int status;
    kill(child, SIGSTOP);
    waitpid(child, &status, WUNTRACED);
    snprintf(path, sizeof path, "/proc/%d/status", child);
    slurp(path, text, PAGE);
    state_line = strstr(text, "State:");
    printf("stopped child: %.*s\n", (int)strcspn(state_line, "\n"), state_line);
    kill(child, SIGCONT);

    write(gate[1], "x", 1);
    waitpid(child, NULL, 0);
    printf("after wait: open %s gives %s\n", "/proc/CHILD/status",
           open(path, O_RDONLY) < 0 ? strerror(errno) : "a file");
    snprintf(path, sizeof path, "/proc/%d", child);
    struct stat st;
    printf("stat /proc/CHILD: %s\n", stat(path, &st) < 0 ? strerror(errno) : "exists");
    close(gate[0]);
    close(gate[1]);
}

/* Reads in pieces: 1 byte at a time, after lseek, pread at odd offsets. */
static void check_reads(void)
{
    long whole = slurp("/proc/self/maps", text, PAGE);
    long bytewise = slurp("/proc/self/maps", again, 1);
    printf("maps read 1 byte at a time equals one read: %s\n",
           yes(whole == bytewise && memcmp(text, again, (size_t)whole) == 0));
    whole = slurp("/proc/self/cmdline", text, PAGE);
    bytewise = slurp("/proc/self/cmdline", again, 3);
    printf("cmdline read 3 bytes at a time equals one read: %s\n",
           yes(whole == bytewise && memcmp(text, again, (size_t)whole) == 0));

    whole = slurp("/proc/self/maps", text, PAGE);
    int fd = open("/proc/self/maps", O_RDONLY);
    char piece[200];
    long got = pread(fd, piece, 37, 13);
    printf("pread 37 bytes at 13: %s\n", yes(got == 37 && memcmp(piece, text + 13, 37) == 0));
    long at = lseek(fd, 51, SEEK_SET);
    got = read(fd, piece, 101);
    printf("lseek to 51 then read 101: %s\n",
           yes(at == 51 && got == 101 && memcmp(piece, text + 51, 101) == 0));
    at = lseek(fd, 9, SEEK_CUR);
    got = read(fd, piece, 5);
    printf("lseek +9 from there: at %ld, the bytes match: %s\n", at,
           yes(got == 5 && memcmp(piece, text + 161, 5) == 0));
    long result = lseek(fd, 0, SEEK_END);
    printf("lseek SEEK_END: %ld (%s)\n", result, strerror(errno));
    lseek(fd, whole, SEEK_SET);
    printf("read at the end: %ld\n", (long)read(fd, piece, 10));
    lseek(fd, whole + 1000, SEEK_SET);
    printf("read past the end: %ld\n", (long)read(fd, piece, 10));
    result = write(fd, "x", 1);
    printf("write to maps: %ld (%s)\n", result, strerror(errno));
    close(fd);
    fd = open("/proc/self/maps", O_RDWR);
    result = write(fd, "x", 1);
    printf("open maps O_RDWR: %s; write: %ld (%s)\n", yes(fd >= 0), result, strerror(errno));
    close(fd);
    fd = open("/proc/meminfo", O_WRONLY);
    result = write(fd, "x", 1);
    printf("write to meminfo: %ld (%s)\n", result, strerror(errno));
    close(fd);
    result = open("/proc/self/nothing", O_RDONLY);
    printf("open /proc/self/nothing: %ld (%s)\n", result, strerror(errno));
    result = open("/proc/self/maps/", O_RDONLY);
    printf("open /proc/self/maps/: %ld (%s)\n", result, strerror(errno));
    result = open("/proc/self/maps", O_RDONLY | O_DIRECTORY);
    printf("open /proc/self/maps O_DIRECTORY: %ld (%s)\n", result, strerror(errno));
    result = open("/proc/self/fd/999", O_RDONLY);
    printf("open /proc/self/fd/999: %ld (%s)\n", result, strerror(errno));
    struct stat st;
    stat("/proc/self/maps", &st);
    printf("stat maps: mode %o, size %ld\n", st.st_mode, (long)st.st_size);
    stat("/proc/self/environ", &st); /* the owner's only: it may hold secrets */
    printf("stat environ: mode %o, size %ld\n", st.st_mode, (long)st.st_size);
    struct statfs sfs;
    printf("statfs /proc: PROC_SUPER_MAGIC: %s\n",
           yes(statfs("/proc", &sfs) == 0 && sfs.f_type == 0x9fa0));
    lstat("/proc/self", &st);
    printf("lstat /proc/self: a link: %s\n", yes(S_ISLNK(st.st_mode)));
    char cwd[256];
    printf("/proc/self/fd/../../meminfo opens: %s\n",
           yes(open("/proc/self/fd/../../meminfo", O_RDONLY) >= 0));
    chdir("/proc/self/fd");
    printf("getcwd in /proc/self/fd: /proc/<pid>/fd: %s\n",
           yes(getcwd(cwd, sizeof cwd) && strncmp(cwd, "/proc/", 6) == 0 &&
               atoi(cwd + 6) == getpid() && strcmp(strchr(cwd + 6, '/'), "/fd") == 0));
    chdir("/");
}

/* The system-wide files: the names and formats tools read. */
static void check_system_files(void)
{
    slurp("/proc/meminfo", text, PAGE);
    printf("meminfo begins MemTotal, MemFree, MemAvailable: %s\n",
           yes(strncmp(text, "MemTotal:", 9) == 0 && strstr(text, "\nMemFree:") &&
               strstr(text, "\nMemAvailable:") &&
               strstr(text, "\nMemFree:") < strstr(text, "\nMemAvailable:")));
    int layout_ok = 1;
    for (char *l = text; *l && strncmp(l, "HugePages", 9) != 0; l = strchr(l, '\n') + 1) {
        char *end = strchr(l, '\n');
        layout_ok &=
            (end - l == 27 || (end - l > 27 && l[15] == ' ')) && strncmp(end - 3, " kB", 3) == 0;
    }
    printf("meminfo lines \"Name: value kB\" 27 wide: %s; MemFree <= MemTotal: %s; "
           "SwapTotal, Cached, Buffers, Shmem there: %s\n",
           yes(layout_ok), yes(status_field(text, "MemFree:") <= status_field(text, "MemTotal:")),
           yes(strstr(text, "\nSwapTotal:") && strstr(text, "\nCached:") &&
               strstr(text, "\nBuffers:") && strstr(text, "\nShmem:")));
    slurp("/proc/vmstat", text, PAGE);
    printf("vmstat has nr_free_pages, pgfault, pgmajfault, pswpin, pswpout: %s\n",
           yes(strstr(text, "nr_free_pages ") && strstr(text, "\npgfault ") &&
               strstr(text, "\npgmajfault ") && strstr(text, "\npswpin ") &&
               strstr(text, "\npswpout ")));
    double up, idle;
    char end[8];
    slurp("/proc/uptime", text, PAGE);
    printf("uptime: two numbers to the hundredth: %s\n",
           yes(sscanf(text, "%lf %lf%1[\n]", &up, &idle, end) == 3 && strchr(text, '.')[3] == ' '));
    double l1, l5, l15;
    int running, all, last;
    slurp("/proc/loadavg", text, PAGE);
    printf("loadavg: %s\n",
           yes(sscanf(text, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &all, &last) == 6 &&
               running >= 1 && all >= running));
    slurp("/proc/stat", text, PAGE);
    unsigned long long cpu[4];
    printf("stat: cpu line with user nice system idle: %s; btime, processes, procs_running: %s\n",
           yes(sscanf(text, "cpu  %llu %llu %llu %llu", &cpu[0], &cpu[1], &cpu[2], &cpu[3]) == 4),
           yes(strstr(text, "\nbtime ") && strstr(text, "\nprocesses ") &&
               strstr(text, "\nprocs_running ")));
    slurp("/proc/cpuinfo", text, PAGE);
    printf("cpuinfo: processor 0 and a model name: %s\n",
           yes(strncmp(text, "processor\t: 0\n", 14) == 0 && strstr(text, "\nmodel name\t: ")));
    slurp("/proc/mounts", text, PAGE);
    printf("mounts: a proc line: %s\n", yes(strstr(text, "proc /proc proc r") != NULL));
    slurp("/proc/filesystems", text, PAGE);
    printf("filesystems: nodev\\tproc: %s\n", yes(strstr(text, "nodev\tproc\n") != NULL));
    slurp("/proc/version", text, PAGE);
    printf("version begins \"Linux version \": %s\n",
           yes(strncmp(text, "Linux version ", 14) == 0));
}

/* exe, cwd and fd/N, and running ourselves again through /proc/self/exe with an
 * argv whose bytes cmdline must give back. */
static void check_links(const char *argv0)
{
    char link[4096], cwd[4096];
    long n = readlink("/proc/self/exe", link, sizeof link - 1);
    link[n > 0 ? n : 0] = '\0';
    printf("exe is argv[0]: %s\n", yes(strcmp(link, argv0) == 0));
    chdir("/tmp");
    n = readlink("/proc/self/cwd", link, sizeof link - 1);
    link[n > 0 ? n : 0] = '\0';
    printf("cwd is getcwd(): %s\n", yes(strcmp(link, getcwd(cwd, sizeof cwd)) == 0));
    int fd = open("/dev/null", O_RDONLY);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    n = readlink(path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = '\0';
    printf("fd/N of /dev/null: %s\n", link);
    int tfd = open(TEST_FILE, O_RDONLY);
    snprintf(path, sizeof path, "/proc/self/fd/%d", tfd);
    n = readlink(path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = '\0';
    printf("fd/N of a file: %s\n", link);
    snprintf(path, sizeof path, "/proc/self/fd/%d", tfd);
    int again_fd = open(path, O_RDONLY);
    char c = 0;
    printf("open fd/N reads the file: %s\n",
           yes(again_fd >= 0 && read(again_fd, &c, 1) == 1 && c == 'f'));
    close(again_fd);
    close(tfd);
    close(fd);
    unlink(TEST_FILE);

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char *args[] = { "procfs-again", "cmdline", "", "two words", "x", NULL };
        execv("/proc/self/exe", args);
        printf("execv /proc/self/exe: %s\n", strerror(errno));
        _exit(1);
    }
    int status;
    waitpid(child, &status, 0);
    printf("the child run through /proc/self/exe exited %d\n", WEXITSTATUS(status));
}

/* Run again through /proc/self/exe: our cmdline's bytes. */
static int print_cmdline(const char *parent_exe)
{
    long n = slurp("/proc/self/cmdline", text, PAGE);
    printf("cmdline: %ld bytes:", n);
    for (long i = 0; i < n; i++)
        printf(text[i] ? "%c" : "\\0", text[i]);
    printf("\n");
    char link[4096];
    n = readlink("/proc/self/exe", link, sizeof link - 1);
    link[n > 0 ? n : 0] = '\0';
    printf("exe after execve through /proc/self/exe: the program's path again: %s\n",
           yes(strcmp(link, parent_exe) == 0));
    slurp("/proc/self/comm", text, PAGE);
    printf("comm: %s", text);
    return 0;
}

/* argv[0] as an absolute path without "." components (the exe link is one). */
static const char *absolute(const char *path)
{
    static char full[4096];
    full[0] = '\0';
    if (path[0] != '/')
        getcwd(full, sizeof full);
    snprintf(full + strlen(full), sizeof full - strlen(full), "/%s", path);
    char *dot;
    while ((dot = strstr(full, "/./")) != NULL)
        memmove(dot, dot + 2, strlen(dot + 2) + 1);
    while ((dot = strstr(full, "//")) != NULL)
        memmove(dot, dot + 1, strlen(dot + 1) + 1);
    return full;
}

int main(int argc, char **argv)
{
    prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0); /* 4 KiB pages on Linux too: one fault, one page */
    memset(text, 0, sizeof text);
    memset(again, 0, sizeof again);
    if (argc >= 2 && strcmp(argv[1], "cmdline") == 0)
        return print_cmdline(getenv("PROCFS_EXE") ? getenv("PROCFS_EXE") : "");
    printf("procfs\n");
    const char *exe = absolute(argv[0]);
    setenv("PROCFS_EXE", exe, 1);
    check_maps();
    check_status_deltas();
    check_smaps_layout();
    check_pss_after_fork();
    check_other_process(argv[0]);
    check_reads();
    check_system_files();
    check_links(exe);
    return 0;
}
