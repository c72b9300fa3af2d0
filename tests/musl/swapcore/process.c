/*
 * process.c — swap seen from other processes and the kernel: a region's local
 * resident set (vmlab calls 502 and 503) across fork and munmap, and /proc/PID/
 * cmdline and environ of a process whose argument pages are out.
 */
#include "swapcore.h"

#define NR_vmlab_resident_limit 502 /* vmlab's own: local replacement, N frames */
#define NR_vmlab_resident_stat  503 /* and its counts (kernel/sys_resident.c) */

struct vmlab_resident {
    uint64_t start, end, limit, resident, faults, evictions;
};

/* A child that exits at once: its reaping runs the kernel's memory check
 * (tests/run-elf turns it on) while this process's local resident set is live. */
static void reap_one(void)
{
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, NULL, 0);
}

/* A region limited to 8 frames (mm/resident_limit.h) holds its own resident set;
 * the memory check recounts it (mm/check_swap.c) after each reap here: its pages
 * are mapped by this process inside the range, also while a child shares them;
 * the child reads them back after this process unmapped the range. */
void step_local_set(void)
{
    size_t pages = 64, frames = 8;
    uint64_t *r = map(pages * PAGE);
    long limited = syscall(NR_vmlab_resident_limit, r, pages * PAGE, frames);
    check(limited == 0, "local set: limit 64 pages to 8 frames: %ld", limited);
    fill(r, pages * PAGE, 9);
    check(resident_pages(r, pages * PAGE) == frames, "local set: 8 of 64 pages resident");
    reap_one();
    int hold[2];
    if (pipe(hold) != 0)
        return;
    pid_t sharer = fork();
    if (sharer == 0) {
        char byte;
        close(hold[1]);
        _exit(read(hold[0], &byte, 1) == 0 && wrong_words(r, pages * PAGE, 9) == 0 ? 0 : 1);
    }
    close(hold[0]);
    reap_one(); /* the set's pages mapped by both */
    unmap(r, pages * PAGE);
    /* the child alone maps them now: they leave this process's set */
    struct vmlab_resident stat = { 0 };
    long got = syscall(NR_vmlab_resident_stat, &stat);
    check(got == 0 && stat.resident == 0,
          "local set: after the owner unmapped its range, pages on its set: %lu (0)",
          got == 0 ? (unsigned long)stat.resident : 999ul);
    reap_one(); /* the check: no page of the set is mapped outside its owner's range */
    close(hold[1]);
    int status = -1;
    waitpid(sharer, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "local set: a child sharing the pages reads them back after the parent unmapped them");
}

/* The cmdline step's process: "swapcore sleep ARGS..." answers each byte read
 * on fd 3 with the number of its argument pages not resident (mincore; one byte
 * on fd 4), touching nothing of them, until fd 3 ends. */
int sleeper(int argc, char **argv)
{
    char *last = argv[argc - 1];
    uintptr_t start = (uintptr_t)argv[0] & ~(PAGE - 1);
    uintptr_t end = ((uintptr_t)last + strlen(last) + PAGE) & ~(PAGE - 1);
    static unsigned char vec[16];
    char request;
    while (read(3, &request, 1) == 1) {
        unsigned char out = 0;
        if (end - start > sizeof vec * PAGE || mincore((void *)start, end - start, vec) != 0)
            out = 255;
        for (size_t i = 0; out != 255 && i < (end - start) / PAGE; i++)
            out += !(vec[i] & 1);
        if (write(4, &out, 1) != 1)
            return 1;
    }
    return 0;
}

#define SLEEPER_ARG 3000 /* bytes of each long argument: they span pages */

/* Read all of /proc/PID/NAME into buf: its length (-1: not opened). */
static long read_proc_file(pid_t pid, const char *name, char *buf, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    size_t n = fread(buf, 1, size, f);
    fclose(f);
    return (long)n;
}

void step_cmdline(void)
{
    static char arg[3][SLEEPER_ARG], env[SLEEPER_ARG], expected[4 * SLEEPER_ARG + 64];
    static char got[4 * SLEEPER_ARG + 64];
    for (int a = 0; a < 3; a++) {
        memset(arg[a], 'a' + a, SLEEPER_ARG - 1);
        arg[a][SLEEPER_ARG - 1] = '\0';
    }
    memcpy(env, "SWAPCORE=", 9);
    memset(env + 9, 'e', SLEEPER_ARG - 10);
    env[SLEEPER_ARG - 1] = '\0';
    int request[2], answer[2];
    if (pipe(request) != 0 || pipe(answer) != 0) {
        check(0, "cmdline: pipes");
        return;
    }
    pid_t child = fork();
    if (child == 0) {
        dup2(request[0], 3);
        dup2(answer[1], 4);
        char *args[] = { "swapcore", "sleep", arg[0], arg[1], arg[2], NULL };
        char *envp[] = { env, NULL };
        execve("/proc/self/exe", args, envp);
        _exit(127);
    }
    close(request[0]);
    close(answer[1]);
    push_out();
    unsigned char swapped = 0;
    char byte = 1;
    if (write(request[1], &byte, 1) != 1 || read(answer[0], &swapped, 1) != 1)
        swapped = 0;
    check(swapped > 0 && swapped != 255, "cmdline: the process's argument pages swapped out");
    size_t length = 0;
    const char *strings[] = { "swapcore", "sleep", arg[0], arg[1], arg[2] };
    for (int i = 0; i < 5; i++) {
        memcpy(expected + length, strings[i], strlen(strings[i]) + 1);
        length += strlen(strings[i]) + 1;
    }
    long n = read_proc_file(child, "cmdline", got, sizeof got);
    check(n == (long)length && memcmp(got, expected, length) == 0,
          "cmdline: /proc/PID/cmdline gives every argument (%ld bytes of %zu)", n, length);
    n = read_proc_file(child, "environ", got, sizeof got);
    check(n == SLEEPER_ARG && memcmp(got, env, SLEEPER_ARG) == 0,
          "cmdline: /proc/PID/environ gives the environment (%ld bytes of %d)", n, SLEEPER_ARG);
    close(request[1]); /* the sleeper ends */
    int status = -1;
    waitpid(child, &status, 0);
    close(answer[0]);
}
