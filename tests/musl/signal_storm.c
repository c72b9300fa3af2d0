/*
 * signal_storm — the kernel must survive what programs do with signals, and keep
 * its books (tests/boot/signals.sh: exit statuses, then vmlab's memory check).
 *
 *   signal_storm storm [CHILDREN ROUNDS]   CHILDREN processes (default 4) send each
 *       other SIGUSR1, SIGUSR2 and SIGRTMIN ROUNDS times each (default 2000), with
 *       handlers that count, nest (SA_NODEFER), block and unblock, fault on a
 *       read-only page and fix it, while making sleeping and quick system calls
 *       that signals interrupt. Every child must exit 0 with its counts in order.
 *   signal_storm pointers    bad pointers given to rt_sigaction, rt_sigprocmask,
 *       rt_sigpending, sigaltstack, rt_sigsuspend: EFAULT, never a crash; handlers,
 *       restorers and alternate stacks at addresses that cannot work: the child is
 *       killed by SIGSEGV.
 *   signal_storm sigreturn SEED...   for each seed, a child calls rt_sigreturn on a
 *       frame of random bytes (rip always outside the program, so no random code
 *       runs); each must be killed by a signal, none may hang.
 *   signal_storm disk FILE   rt_sigreturn reads a frame whose first 240 bytes are in
 *       an anonymous page and the rest in the first page of FILE, a file nobody has
 *       read yet (on vmlab, /bin/ls of the root disk): the copy sleeps on the disk
 *       part way, while another process takes signal after signal. The frame must
 *       still be the process's own: it returns where its rip says.
 *   signal_storm all         the four in one run: storm 4 2000, pointers, disk /bin/ls
 *       and sigreturn with seeds 1 to 300.
 *
 * It prints only counts and verdicts, the same on Linux and vmlab.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define PAGE         4096
#define MAX_CHILDREN 16

static const char *yes(int condition)
{
    return condition ? "yes" : "no";
}

static const char *signal_name(int sig)
{
    static char other[16];
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGUSR1: return "SIGUSR1";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    default: snprintf(other, sizeof other, "signal %d", sig); return other;
    }
}

static uint64_t random_state;

static uint64_t next_random(void)
{
    random_state ^= random_state << 13;
    random_state ^= random_state >> 7;
    random_state ^= random_state << 17;
    return random_state;
}

static void sleep_us(long us)
{
    struct timespec t = { 0, us * 1000 };
    nanosleep(&t, NULL);
}

/* ---- the storm ---- */

struct board { /* a MAP_SHARED page: what the children share */
    volatile int pids[MAX_CHILDREN];
    volatile int ready, finished;
    volatile long sent[MAX_CHILDREN];
};

static struct board *board;
static volatile long received[3], faults_fixed, deepest, depth;
static char *barrier_page;

static void counting(int sig)
{
    depth++;
    if (depth > deepest)
        deepest = depth;
    received[sig == SIGUSR1 ? 0 : sig == SIGUSR2 ? 1 : 2]++;
    /* a handler that faults: the write barrier inside a signal handler */
    if ((received[0] + received[1] + received[2]) % 64 == 0) {
        mprotect(barrier_page, PAGE, PROT_READ);
        barrier_page[8]++;
    }
    depth--;
}

static void fix_barrier(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)context;
    if ((char *)info->si_addr != barrier_page + 8)
        _exit(90); /* a fault we did not cause */
    faults_fixed++;
    mprotect(barrier_page, PAGE, PROT_READ | PROT_WRITE);
}

static void storm_handlers(void)
{
    struct sigaction sa = { 0 };
    sa.sa_handler = counting;
    sa.sa_flags = SA_NODEFER | SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR2, &sa, NULL);
    sa.sa_flags = 0;
    sigaction(SIGRTMIN, &sa, NULL);
    struct sigaction segv = { 0 };
    segv.sa_sigaction = fix_barrier;
    segv.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &segv, NULL);
}

/* One child of the storm: send ROUNDS signals to random siblings, doing system
 * calls in between; exit 0 if every send worked and the counts add up. */
static int storm_child(int me, int children, int rounds)
{
    barrier_page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    storm_handlers();
    board->pids[me] = getpid();
    __atomic_fetch_add(&board->ready, 1, __ATOMIC_SEQ_CST);
    while (board->ready < children)
        sched_yield();
    random_state = 0x9e3779b97f4a7c15ul * (me + 1);
    int pipefd[2];
    pipe(pipefd);
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    long failed = 0;
    for (int i = 0; i < rounds; i++) {
        int target = board->pids[next_random() % children];
        int sigs[] = { SIGUSR1, SIGUSR2, SIGRTMIN };
        if (kill(target, sigs[next_random() % 3]) != 0)
            failed++;
        board->sent[me]++;
        switch (next_random() % 6) {
        case 0: sigprocmask(SIG_BLOCK, &usr2, NULL); break;
        case 1: sigprocmask(SIG_UNBLOCK, &usr2, NULL); break;
        case 2: sleep_us(50); break; /* interrupted or not: both fine */
        case 3: getppid(); break;
        case 4: /* a write and a read that a handler may interrupt (SA_RESTART) */
            if (write(pipefd[1], "x", 1) != 1 && errno != EINTR)
                failed++;
            char c;
            if (read(pipefd[0], &c, 1) != 1 && errno != EINTR)
                failed++;
            break;
        case 5: sched_yield(); break;
        }
    }
    sigprocmask(SIG_UNBLOCK, &usr2, NULL);
    __atomic_fetch_add(&board->finished, 1, __ATOMIC_SEQ_CST);
    /* stay until everyone has sent everything, so that no kill finds us gone */
    while (board->finished < children)
        sleep_us(1000);
    long total = received[0] + received[1] + received[2];
    if (failed)
        return 1;
    if (total == 0 || deepest < 1)
        return 2;
    if (faults_fixed != total / 64)
        return 3;
    return 0;
}

static int storm(int children, int rounds)
{
    board = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid_t pids[MAX_CHILDREN];
    for (int i = 0; i < children; i++) {
        fflush(stdout);
        pids[i] = fork();
        if (pids[i] == 0)
            _exit(storm_child(i, children, rounds));
    }
    int all_zero = 1;
    for (int i = 0; i < children; i++) {
        int status;
        waitpid(pids[i], &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            all_zero = 0;
            printf("child %d: wait status 0x%x\n", i, status);
        }
    }
    long sent = 0;
    for (int i = 0; i < children; i++)
        sent += board->sent[i];
    printf("storm: %d children, %ld signals sent, every child exited 0: %s\n", children, sent,
           yes(all_zero));
    return all_zero ? 0 : 1;
}

/* ---- bad pointers ---- */

static const struct {
    const char *name;
    uintptr_t address;
} bad_addresses[] = {
    { "NULL", 0 },
    { "8", 8 },
    { "unmapped", 0x10000 },
    { "kernel", 0xffffffff80000000ul },
    { "direct map", 0xffff800000000000ul },
    { "non-canonical", 0x8000000000000000ul },
    { "last byte", 0xfffffffffffffffful },
};
#define BAD_COUNT (sizeof bad_addresses / sizeof bad_addresses[0])

static const char *result(long r)
{
    static char text[32];
    if (r == 0)
        return "0";
    snprintf(text, sizeof text, "-1 %s",
             errno == EFAULT   ? "EFAULT"
             : errno == EINVAL ? "EINVAL"
                               : "other");
    return text;
}

/* Every pointer argument of the signal calls, given each bad address (NULL means
 * "no set" for most of them, which is fine: 0). */
static void bad_syscall_pointers(void)
{
    for (unsigned i = 0; i < BAD_COUNT; i++) {
        void *p = (void *)bad_addresses[i].address;
        printf("%-13s rt_sigaction act %s,", bad_addresses[i].name,
               result(syscall(SYS_rt_sigaction, SIGUSR1, p, NULL, 8)));
        printf(" old %s;", result(syscall(SYS_rt_sigaction, SIGUSR1, NULL, p, 8)));
        printf(" rt_sigprocmask set %s,",
               result(syscall(SYS_rt_sigprocmask, SIG_BLOCK, p, NULL, 8)));
        printf(" old %s;", result(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, p, 8)));
        printf(" rt_sigpending %s;", result(syscall(SYS_rt_sigpending, p, 8)));
        printf(" sigaltstack ss %s,", result(syscall(SYS_sigaltstack, p, NULL)));
        printf(" old %s;", result(syscall(SYS_sigaltstack, NULL, p)));
        printf(" rt_sigsuspend %s\n", p ? result(syscall(SYS_rt_sigsuspend, p, 8)) : "-");
    }
    /* a struct that starts readable and runs into an unmapped page */
    char *two = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(two + PAGE, PAGE);
    char *edge = two + PAGE - 8;
    printf("straddling   rt_sigaction act %s, old %s; sigaltstack ss %s, old %s\n",
           result(syscall(SYS_rt_sigaction, SIGUSR1, edge, NULL, 8)),
           result(syscall(SYS_rt_sigaction, SIGUSR1, NULL, edge, 8)),
           result(syscall(SYS_sigaltstack, edge, NULL)),
           result(syscall(SYS_sigaltstack, NULL, edge)));
    struct sigaction now;
    sigaction(SIGUSR1, NULL, &now);
    printf("after all that SIGUSR1 is still SIG_DFL: %s\n", yes(now.sa_handler == SIG_DFL));
}

/* A child installs a handler (and restorer, and alternate stack) at ADDRESS and
 * raises the signal. */
enum what_is_bad { BAD_HANDLER, BAD_RESTORER, BAD_ALTSTACK };

void restorer_ok(void);
__asm__(".text\n.globl restorer_ok\nrestorer_ok:\n movl $15, %eax\n syscall\n");

static void quiet_handler(int sig)
{
    (void)sig;
}

static void raise_with(enum what_is_bad what, uintptr_t address)
{
    struct {
        void *handler;
        unsigned long flags;
        void *restorer;
        uint64_t mask;
    } k = { (void *)quiet_handler, 0x04000000 /* SA_RESTORER */, (void *)restorer_ok, 0 };
    if (what == BAD_HANDLER)
        k.handler = (void *)address;
    if (what == BAD_RESTORER)
        k.restorer = (void *)address;
    if (what == BAD_ALTSTACK) {
        stack_t ss = { .ss_sp = (void *)address, .ss_size = 65536, .ss_flags = 0 };
        if (syscall(SYS_sigaltstack, &ss, NULL) != 0)
            _exit(20);
        k.flags |= SA_ONSTACK;
    }
    if (syscall(SYS_rt_sigaction, SIGUSR1, &k, NULL, 8) != 0)
        _exit(21);
    kill(getpid(), SIGUSR1);
    _exit(0);
}

static void bad_places(void)
{
    const char *names[] = { "handler", "restorer", "alternate stack" };
    for (int what = 0; what < 3; what++) {
        printf("%s at:", names[what]);
        for (unsigned i = 0; i < BAD_COUNT; i++) {
            fflush(stdout);
            pid_t child = fork();
            if (child == 0)
                raise_with(what, bad_addresses[i].address);
            int status;
            waitpid(child, &status, 0);
            if (WIFSIGNALED(status))
                printf(" %s %s;", bad_addresses[i].name, signal_name(WTERMSIG(status)));
            else
                printf(" %s exit %d;", bad_addresses[i].name, WEXITSTATUS(status));
        }
        printf("\n");
    }
    /* the alternate stack in read-only memory (the program's text) */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0)
        raise_with(BAD_ALTSTACK, ((uintptr_t)bad_places & ~0xffful) + PAGE);
    int status;
    waitpid(child, &status, 0);
    printf("alternate stack in the program's text: %s\n",
           WIFSIGNALED(status) ? signal_name(WTERMSIG(status)) : "exited");
}

/* ---- a frame read across a disk read ---- */

static ucontext_t good_context;
static volatile int i_am_b;
static char landing_stack[16384] __attribute__((aligned(16)));

static void keep_context(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)info;
    memcpy(&good_context, context, sizeof good_context);
}

static void nothing(int sig)
{
    (void)sig;
}

static void landed(void)
{
    _exit(0);
}

/* B: a signal after another, each a frame pushed and read back by the kernel. */
static void __attribute__((noreturn)) take_signals(void)
{
    i_am_b = 1;
    for (;;) {
        raise(SIGUSR1);
        if (!i_am_b)
            _exit(99); /* A runs here: it got B's registers */
    }
}

/* A: rt_sigreturn on a frame split between an anonymous page and FILE's first page. */
static void __attribute__((noreturn)) sigreturn_across_the_disk(const char *file)
{
    int fd = open(file, O_RDONLY);
    char *two = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (fd < 0 || mmap(two + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED)
        _exit(2);
    /* the return address, flags, link, stack and registers up to fpstate: 240 bytes */
    char *frame = two + PAGE - 240;
    ucontext_t uc = good_context;
    uc.uc_mcontext.gregs[REG_RIP] = (greg_t)landed;
    uc.uc_mcontext.gregs[REG_RSP] = (greg_t)(landing_stack + sizeof landing_stack - 8);
    uc.uc_mcontext.fpregs = NULL;
    memcpy(frame + 8, &uc, 240 - 8);
    __asm__ volatile("movq %0, %%rsp\n movl $15, %%eax\n syscall\n ud2" ::"r"(frame + 8)
                     : "memory");
    __builtin_unreachable();
}

static int frame_across_disk(const char *file)
{
    struct sigaction sa = { 0 };
    sa.sa_sigaction = keep_context;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    sa.sa_handler = nothing;
    sa.sa_flags = 0;
    sigaction(SIGUSR1, &sa, NULL);
    fflush(stdout);
    pid_t b = fork();
    if (b == 0)
        take_signals();
    sleep_us(20000);
    pid_t a = fork();
    if (a == 0)
        sigreturn_across_the_disk(file);
    int status = 0, waited = 0;
    for (int tries = 0; tries < 500 && !waited; tries++) { /* at most 5 s */
        if (waitpid(a, &status, WNOHANG) == a)
            waited = 1;
        else
            sleep_us(10000);
    }
    if (!waited) {
        kill(a, SIGKILL);
        waitpid(a, &status, 0);
    }
    kill(b, SIGKILL);
    waitpid(b, NULL, 0);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGUSR1, &sa, NULL);
    int ok = waited && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    printf("rt_sigreturn of a frame read across a disk read, another process taking signals: "
           "returned to its own rip %s\n",
           yes(ok));
    return !ok;
}

/* ---- garbage frames for rt_sigreturn ---- */

static uint64_t garbage[1024] __attribute__((aligned(64)));

/* A random rip that no program code lives at: low memory, the kernel half or a
 * non-canonical address. */
static uint64_t bad_rip(void)
{
    switch (next_random() % 3) {
    case 0: return next_random() % 0x400000;
    case 1: return 0xffff800000000000ul | next_random();
    default: return (next_random() & 0x7fffffffffff0000ul) | 0x0000800000000000ul;
    }
}

static void __attribute__((noreturn)) garbage_sigreturn(uint64_t seed)
{
    random_state = seed * 0x2545f4914f6cdd1dul + 1;
    for (int i = 0; i < 1024; i++)
        garbage[i] = next_random();
    ucontext_t *uc = (ucontext_t *)&garbage[8];
    /* sometimes a plausible fpstate (inside the garbage) or none */
    switch (next_random() % 3) {
    case 0: uc->uc_mcontext.fpregs = NULL; break;
    case 1: uc->uc_mcontext.fpregs = (void *)&garbage[512]; break;
    }
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)bad_rip();
    if (next_random() % 2) /* sometimes the user's own code segment, 0x33 on Linux */
        uc->uc_mcontext.gregs[REG_CSGSFS] = 0x33;
    /* no signal may be blocked for good: SIGSEGV must kill */
    __asm__ volatile("movq %0, %%rsp\n movl $15, %%eax\n syscall\n ud2" ::"r"(uc) : "memory");
    __builtin_unreachable();
}

static int sigreturn_seeds(int argc, char **argv)
{
    int killed = 0, other = 0, hung = 0;
    for (int i = 0; i < argc; i++) {
        uint64_t seed = strtoull(argv[i], NULL, 10);
        fflush(stdout);
        pid_t child = fork();
        if (child == 0)
            garbage_sigreturn(seed);
        int status = 0, waited = 0;
        for (int tries = 0; tries < 2000 && !waited; tries++) { /* at most 2 s */
            if (waitpid(child, &status, WNOHANG) == child)
                waited = 1;
            else
                sleep_us(1000);
        }
        if (!waited) {
            hung++;
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
            printf("seed %s: still running after 2 s\n", argv[i]);
        } else if (WIFSIGNALED(status)) {
            killed++;
        } else {
            other++;
            printf("seed %s: exit %d\n", argv[i], WEXITSTATUS(status));
        }
    }
    printf("sigreturn garbage: %d seeds, killed by a signal %d, exited %d, hung %d\n", argc, killed,
           other, hung);
    return other || hung;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "storm") == 0) {
        int children = argc > 2 ? atoi(argv[2]) : 4, rounds = argc > 3 ? atoi(argv[3]) : 2000;
        if (children < 1 || children > MAX_CHILDREN)
            children = 4;
        return storm(children, rounds);
    }
    if (argc >= 2 && strcmp(argv[1], "pointers") == 0) {
        bad_syscall_pointers();
        bad_places();
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "disk") == 0)
        return frame_across_disk(argv[2]);
    if (argc >= 2 && strcmp(argv[1], "sigreturn") == 0)
        return sigreturn_seeds(argc - 2, argv + 2);
    if (argc == 2 && strcmp(argv[1], "all") == 0) {
        int failed = storm(4, 2000);
        bad_syscall_pointers();
        bad_places();
        failed |= frame_across_disk("/bin/ls");
        static char numbers[300][8];
        char *seeds[300];
        for (int i = 0; i < 300; i++) {
            snprintf(numbers[i], sizeof numbers[i], "%d", i + 1);
            seeds[i] = numbers[i];
        }
        return sigreturn_seeds(300, seeds) || failed;
    }
    printf("usage: signal_storm storm [CHILDREN ROUNDS] | pointers | disk FILE | sigreturn SEED... "
           "| all\n");
    return 0;
}
