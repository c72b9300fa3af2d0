/*
 * parallelvm.c — matrix products in several processes at once (OS/161's
 * parallelvm, in our words).
 *
 *   stress parallelvm [PROCS [N]]     PROCS children (default 4), each computing
 *                                     matmult's C (N x N, default 1024: 8 MiB) = A B
 *
 * Each child has its own matrices (its own seed, so its own answer) in its own
 * address space, and they all run at the same time: together they need more
 * memory than the machine has, so the kernel must take pages from one process to
 * give to another and bring them back later, without mixing up whose page is
 * whose. A child checks its own C entry by entry, then sends (its number, its sum)
 * through a pipe and exits 0 if every check passed. The parent checks each exit
 * status and each sum against the closed form.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "stress.h"

#define PARALLEL_DEFAULT_PROCS 4
#define PARALLEL_MAX_PROCS     32
#define PARALLEL_DEFAULT_N     1024
#define PARALLEL_MAX_N         4096
#define PARALLEL_K             8

struct answer {
    uint64_t job; /* 1..PROCS: also the job's seed */
    uint64_t sum; /* the sum of its C */
};

/* The child's life: one job, the answer into the pipe, the verdict as status. */
static void run_job(uint64_t job, unsigned long n, int pipe_out)
{
    struct answer answer = { job, matmult_job(n, PARALLEL_K, job) };
    check(write(pipe_out, &answer, sizeof answer) == sizeof answer, "job %llu: write: %s",
          (unsigned long long)job, strerror(errno));
    _exit(failures() == 0 ? 0 : 1);
}

/* Reads the PROCS answers, in whatever order they come, and checks each sum. */
static void collect_answers(int pipe_in, unsigned long procs, unsigned long n)
{
    bool seen[PARALLEL_MAX_PROCS + 1] = { false };
    struct answer answer;
    for (unsigned long i = 0; i < procs; i++) {
        if (!check(read(pipe_in, &answer, sizeof answer) == sizeof answer,
                   "only %lu answers came back", i))
            return;
        if (!check(answer.job >= 1 && answer.job <= procs && !seen[answer.job],
                   "an answer from job %llu", (unsigned long long)answer.job))
            continue;
        seen[answer.job] = true;
        uint64_t want = matmult_expected_sum(n, PARALLEL_K, answer.job);
        check(answer.sum == want, "job %llu: sum %llu, expected %llu",
              (unsigned long long)answer.job, (unsigned long long)answer.sum,
              (unsigned long long)want);
    }
}

/* stress parallelvm [PROCS [N]] */
int parallelvm_main(int argc, char **argv)
{
    unsigned long procs, n;
    const char *usage = "stress parallelvm [PROCS [N]]";
    if (!number_argument(argc, argv, 1, 1, PARALLEL_MAX_PROCS, PARALLEL_DEFAULT_PROCS, &procs,
                         usage) ||
        !number_argument(argc, argv, 2, 1, PARALLEL_MAX_N, PARALLEL_DEFAULT_N, &n, usage))
        return 0;
    printf("parallelvm: %lu processes, each C (%lu x %lu, %lu MiB) = A (%lu x %d) times B\n", procs,
           n, n, n * n * 8 / MIB, n, PARALLEL_K);
    int fds[2];
    if (!check(pipe(fds) == 0, "pipe: %s", strerror(errno)))
        return verdict("parallelvm");
    int pids[PARALLEL_MAX_PROCS];
    for (unsigned long i = 0; i < procs; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            close(fds[0]);
            run_job(i + 1, n, fds[1]);
        }
        check(pids[i] > 0, "fork %lu: %s", i + 1, strerror(errno));
    }
    close(fds[1]);
    collect_answers(fds[0], procs, n);
    unsigned long passed = 0;
    for (unsigned long i = 0; i < procs; i++)
        passed += pids[i] > 0 && child_passed(pids[i], "a job");
    printf("parallelvm: %lu of %lu jobs exited 0; every sum as expected: %s\n", passed, procs,
           failures() == 0 ? "yes" : "no");
    return verdict("parallelvm");
}
