/*
 * children.c — the processes a fuzzing process makes now and then: a forked child
 * that makes a few memory calls and touches memory by hand, a vforked child that
 * exits at once, and checkpoints (a child reaped at once, so the kernel's memory
 * check runs).
 */
#include "fuzz.h"
#include "user/lib/check.h"
#include "user/lib/child.h"
#include "user/lib/signal_names.h"
#include "user/lib/spawn.h"
#include "user/lib/stdio.h"

#define GRANDCHILD_STEPS 8

/* In a forked child: a few memory and file calls and touches of memory by hand, then
 * exit 0 (1 if an end-of-file probe was answered wrongly).
 * A touch of a page that is not there or forbidden kills it with SIGSEGV (or SIGBUS). */
static void play_and_exit(void)
{
    random_state ^= 0x5deece66dUL; /* not the calls the parent makes next */
    struct tally probes = { 0 };   /* a wrong end-of-file probe: exit 1, WRONG */
    for (int step = 0; step < GRANDCHILD_STEPS; step++) {
        if (random_below(2) == 0) {
            struct call c;
            if (random_below(3) != 0)
                random_memory_call(&c);
            else if (!random_file_call(&c, -1, &probes))
                continue; /* made already (a file replaced, an end-of-file probe) */
            tame(&c);
            long result = syscall6(c.number, c.args[0], c.args[1], c.args[2], c.args[3], c.args[4],
                                   c.args[5]);
            learn_from(&c, result);
            continue;
        }
        long at = (long)inside_recent_mapping() + (long)random_below(PAGE_SIZE), one = 1;
        keep_off_ourselves(&at, &one);
        volatile unsigned char *p = (volatile unsigned char *)at;
        if (random_below(2) == 0)
            (void)*p;
        else
            *p = (unsigned char)random_next();
    }
    sys_exit_group(probes.wrong == 0 ? 0 : 1);
}

void fork_and_play(long index, struct tally *t)
{
    long pid = sys_fork();
    if (pid == 0)
        play_and_exit();
    t->processes++;
    if (pid < 0)
        return; /* -ENOMEM or -EAGAIN: a kernel may refuse */
    long status = wait_for(pid);
    if (exited_with(status, 0) || killed_by(status, SIGSEGV) || killed_by(status, SIGBUS) ||
        killed_by(status, SIGKILL))
        return;
    char text[60];
    describe_status(status, text, sizeof(text));
    printf("syscallfuzz: WRONG: %lu: call %ld: a forked child that exits 0 or dies of a bad "
           "access ended otherwise: %s\n",
           (unsigned long)fuzz_seed, index, text);
    t->wrong++;
}

void vfork_and_exit(long index, struct tally *t)
{
    int code = (int)random_below(256);
    long pid = sys_vfork();
    if (pid == 0)
        sys_exit_group(code);
    t->processes++;
    if (pid < 0)
        return;
    long status = wait_for(pid);
    if (exited_with(status, code))
        return;
    char text[60];
    describe_status(status, text, sizeof(text));
    printf("syscallfuzz: WRONG: %lu: call %ld: a vforked child exiting with %d ended otherwise: "
           "%s\n",
           (unsigned long)fuzz_seed, index, code, text);
    t->wrong++;
}

/* A child that exits at once: under tests/run-elf the kernel recounts every frame's
 * references when it is reaped, and names its pid if the count is wrong; printed
 * with -v, the pid tells which call broke the count. */
void checkpoint(bool verbose)
{
    long pid = sys_vfork();
    if (pid == 0)
        sys_exit_group(0);
    if (pid > 0)
        wait_for(pid);
    if (verbose)
        printf("%lu: checkpoint: pid %ld\n", (unsigned long)fuzz_seed, pid);
}
