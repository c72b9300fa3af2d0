/*
 * syscallfuzz — random system calls from several processes at once.
 *
 * Whatever a program passes, the kernel must answer (a result or -errno) and keep
 * running; the worst that may happen is that the program itself is killed by a
 * signal. A kernel that panics, hangs or leaks memory here has a bug that a real
 * program could hit. Unknown numbers must give -ENOSYS.
 *
 *   syscallfuzz [-v] [-c] [-j PROCS] [SEED[-LAST] [N]]
 *       for each seed from SEED to LAST in turn (default: seed 1 only), PROCS processes
 *       (default 4) run at once and make N calls between them (default 5000); child i
 *       (1..PROCS) of seed S has the seed S*1000+i and prints it. Each must end with
 *       status 0 or be killed by a signal.
 *   syscallfuzz --child SEED N [-v] [-c]
 *       one process making N calls from SEED: what each child above runs, and how to
 *       replay a failing one alone. Exits 0, or 1 if an answer was impossible (a
 *       misplaced mmap, a brk that returned neither break, a fork or vfork child that
 *       ended wrongly...: each is printed as "WRONG").
 *   syscallfuzz --skipped
 *       list the numbers never called at random, and why.
 *
 *   -v  print each call before making it (to find the culprit of a kernel crash)
 *   -c  after each call, start a child that exits at once: the kernel's memory check
 *       (tests/run-elf) runs when it is reaped and names its pid, which -v prints
 *
 * Most calls are not uniformly random: they aim at the memory system calls (mmap,
 * munmap, mprotect, mremap, madvise, brk) with arguments kernels get wrong — 0, -1,
 * huge and wrapping lengths, unaligned addresses, the kernel half, non-canonical
 * addresses, addresses inside the mappings the process made itself and outside any,
 * valid and invalid flags, prot bits and fds — and at the calls that make the kernel
 * read or write user memory (clock_gettime, uname, rt_sigprocmask...) at such
 * addresses. Now and then the process forks a child that does a few of those calls
 * and touches memory itself before it exits, or vforks a child that exits at once.
 * The same SEED gives the same calls.
 *
 * Some numbers are skipped (see `skipped` below): the calls that would end or
 * replace the process, wait forever, or — because the same binary also runs on a
 * real Linux, maybe as root — change the machine, its files, other processes, or the
 * console the results are printed on. A few are "tamed": made with arguments that
 * keep them harmless (see tame()). Ending a process and forking happen only on
 * purpose, in the children's own children, never in the first process: under
 * tests/run-elf that one is pid 1, whose exit ends the run.
 */
#include "fuzz.h"
#include "lib/parse.h"
#include "lib/string.h"
#include "user/lib/check.h"
#include "user/lib/child.h"
#include "user/lib/env.h"
#include "user/lib/errno_names.h"
#include "user/lib/spawn.h"
#include "user/lib/stdio.h"

#define DEFAULT_SEED   1
#define DEFAULT_CALLS  5000
#define DEFAULT_PROCS  4
#define MAX_PROCS      64
#define SEEDS_PER_SEED 1000 /* child i of seed S has seed S * SEEDS_PER_SEED + i */

/* Linux only (vmlab answers -ENOSYS): cap our address space, so that no random mmap
 * or brk can make a real machine hand us gigabytes. */
#define SYS_setrlimit       160
#define RLIMIT_AS           9
#define ADDRESS_SPACE_LIMIT (256UL << 20)

/* ---- one fuzzing process ---- */

/* The next call: mostly memory calls and calls that access memory, some of vmlab's
 * other calls and any number at all, now and then a child process (made here, so
 * NULL is returned). */
static struct call *next_call(struct call *c, long index, struct tally *t)
{
    unsigned long kind = random_below(100);
    if (kind < 33)
        random_memory_call(c);
    else if (kind < 45) {
        if (!random_file_call(c, index, t))
            return NULL;
    } else if (kind < 60)
        random_user_access(c);
    else if (kind < 78)
        random_known_call(c);
    else if (kind < 98)
        random_any_call(c, &t->skipped);
    else if (kind < 99) {
        fork_and_play(index, t);
        return NULL;
    } else {
        vfork_and_exit(index, t);
        return NULL;
    }
    tame(c);
    return c;
}

static int child_mode(uint64_t seed, long calls, bool verbose, bool checkpoints)
{
    struct rlimit limit = { ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT };
    syscall2(SYS_setrlimit, RLIMIT_AS, (long)&limit); /* -ENOSYS on vmlab: fine */

    long on_the_stack = 0;
    stack_address = (unsigned long)&on_the_stack;
    first_break = current_break = (unsigned long)sys_brk(0);
    random_state = seed * 0x9e3779b97f4a7c15ULL + 1;
    fuzz_seed = seed;
    printf("syscallfuzz: seed %lu: %ld calls (alone: syscallfuzz --child %lu %ld -v)\n",
           (unsigned long)seed, calls, (unsigned long)seed, calls);
    files_create();
    struct tally t = { 0 };
    for (long i = 0; i < calls; i++) {
        /* Fresh random bytes each time: every call's input depends only on the seed. */
        for (size_t b = 0; b < SCRATCH_SIZE; b += 8) {
            uint64_t r = random_next();
            memcpy(scratch + b, &r, 8);
        }
        struct call c;
        if (next_call(&c, i, &t) != NULL)
            make_call(&c, verbose, i, &t);
        if (checkpoints)
            checkpoint(verbose);
    }
    files_remove();
    printf("syscallfuzz: seed %lu: %ld calls made: %ld returned -ENOSYS, %ld another error, "
           "%ld succeeded; %ld processes made; %ld wrong answers (%ld numbers drawn were "
           "skipped)\n",
           (unsigned long)seed, t.calls, t.enosys, t.errors, t.successes, t.processes, t.wrong,
           t.skipped);
    return t.wrong == 0 ? 0 : 1;
}

/* ---- the parent: children at once, seed after seed ---- */

static void check_unknown_numbers(void)
{
    static const long unknown[] = { 511, 1000, 100000 }; /* (500 is vmlab_vmstat) */
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
        EXPECT_RESULT(syscall0(unknown[i]), -ENOSYS, "system call %ld does not exist: -ENOSYS",
                      unknown[i]);
}

struct run_plan {
    char *self;
    uint64_t first_seed, last_seed, calls, procs;
    bool verbose, checkpoints;
};

/* Start child `child` (1..procs) of seed: its pid, or -errno. */
static long start_child(const struct run_plan *plan, uint64_t seed, uint64_t child,
                        uint64_t *child_seed, uint64_t *child_calls)
{
    *child_seed = seed * SEEDS_PER_SEED + child;
    *child_calls = plan->calls / plan->procs + (child <= plan->calls % plan->procs ? 1 : 0);
    char seed_text[24], calls_text[24];
    snprintf(seed_text, sizeof(seed_text), "%lu", (unsigned long)*child_seed);
    snprintf(calls_text, sizeof(calls_text), "%lu", (unsigned long)*child_calls);
    char *argv[] = { plan->self, "--child", seed_text, calls_text, NULL, NULL, NULL };
    int extra = 4;
    if (plan->verbose)
        argv[extra++] = "-v";
    if (plan->checkpoints)
        argv[extra++] = "-c";
    return spawn(plan->self, argv, environ);
}

/* All the children of one seed at once; each must exit 0 or be killed by a signal (a
 * random call may legitimately kill its caller). */
static void run_seed(const struct run_plan *plan, uint64_t seed)
{
    long pids[MAX_PROCS];
    uint64_t seeds[MAX_PROCS], calls[MAX_PROCS];
    for (uint64_t i = 0; i < plan->procs; i++)
        pids[i] = start_child(plan, seed, i + 1, &seeds[i], &calls[i]);
    for (uint64_t i = 0; i < plan->procs; i++) {
        long status = pids[i] < 0 ? pids[i] : wait_for(pids[i]);
        char text[60];
        describe_status(status, text, sizeof(text));
        EXPECT(status >= 0 && (exited_with(status, 0) || WIFSIGNALED(status)),
               "seed %lu: child seed %lu (%lu calls) ended with status 0 or by a signal (%s)",
               (unsigned long)seed, (unsigned long)seeds[i], (unsigned long)calls[i], text);
    }
}

static int parent_mode(const struct run_plan *plan)
{
    printf("syscallfuzz: random system calls must not hurt the kernel: seeds %lu to %lu, "
           "%lu calls each, by %lu processes at once\n",
           (unsigned long)plan->first_seed, (unsigned long)plan->last_seed,
           (unsigned long)plan->calls, (unsigned long)plan->procs);
    check_unknown_numbers();
    for (uint64_t seed = plan->first_seed; seed <= plan->last_seed; seed++)
        run_seed(plan, seed);
    check_unknown_numbers();
    char *again[] = { plan->self, "--child", "2", "100", NULL };
    EXPECT_RESULT(run(plan->self, again, environ), 0,
                  "afterwards a new process runs fine (a short run: seed 2, 100 calls)");
    return check_summary("syscallfuzz");
}

/* "7" or "1-8" into first and last. */
static bool parse_seeds(const char *text, uint64_t *first, uint64_t *last)
{
    char buffer[48];
    const char *dash = strchr(text, '-');
    if (dash == NULL) {
        bool ok = parse_u64(text, first);
        *last = *first;
        return ok;
    }
    size_t length = (size_t)(dash - text);
    if (length >= sizeof(buffer))
        return false;
    memcpy(buffer, text, length);
    buffer[length] = '\0';
    return parse_u64(buffer, first) && parse_u64(dash + 1, last) && *first <= *last;
}

static int usage(const char *self)
{
    dprintf(STDERR,
            "usage: %s [-v] [-c] [-j PROCS] [SEED[-LAST] [N]]\n"
            "       %s --child SEED N [-v] [-c]\n"
            "       %s --skipped\n",
            self, self, self);
    return 2;
}

int main(int argc, char **argv)
{
    struct run_plan plan = { argv[0],       DEFAULT_SEED, DEFAULT_SEED, DEFAULT_CALLS,
                             DEFAULT_PROCS, false,        false };
    char *words[3];
    int count = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            plan.verbose = true;
        else if (strcmp(argv[i], "-c") == 0)
            plan.checkpoints = true;
        else if (strcmp(argv[i], "-j") == 0 && i + 1 < argc) {
            if (!parse_u64(argv[++i], &plan.procs) || plan.procs < 1 || plan.procs > MAX_PROCS)
                return usage(argv[0]);
        } else if (count < 3)
            words[count++] = argv[i];
        else
            return usage(argv[0]);
    }

    if (count == 1 && strcmp(words[0], "--skipped") == 0) {
        list_skipped();
        return 0;
    }
    if (count >= 1 && strcmp(words[0], "--child") == 0) {
        uint64_t seed, calls;
        if (count != 3 || !parse_u64(words[1], &seed) || !parse_u64(words[2], &calls))
            return usage(argv[0]);
        return child_mode(seed, (long)calls, plan.verbose, plan.checkpoints);
    }
    if (count > 2 || (count >= 1 && !parse_seeds(words[0], &plan.first_seed, &plan.last_seed)) ||
        (count == 2 && !parse_u64(words[1], &plan.calls)))
        return usage(argv[0]);
    return parent_mode(&plan);
}
