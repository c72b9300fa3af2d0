/*
 * groups.c — groups of processes that grow, then wait: many children, and a fork
 * bomb.
 */
#include "oomtest.h"

/* ---- groups of processes that grow, then wait for `stop` ---- */

/* The group's members block on the read end of this pipe until init closes the
 * write end, the only one left open (each member closes its copy first thing).
 * Waiting for `stop` by polling instead made 100 processes wake every 10 ms, which
 * took half the machine's time under QEMU. */
static int stop_pipe[2] = { -1, -1 };

static void group_reset(void)
{
    EXPECT(sys_pipe2(stop_pipe, O_CLOEXEC) == 0, "a pipe to say stop");
    shared->stop = 0;
    shared->count = 0;
    for (int i = 0; i < MAX_GROUP; i++)
        shared->pids[i] = 0, shared->settled[i] = 0;
}

/* A slot for a process about to be forked; -1 if the table is full. */
static int group_slot(void)
{
    int slot = __atomic_fetch_add(&shared->count, 1, __ATOMIC_SEQ_CST);
    return slot < MAX_GROUP ? slot : -1;
}

/* In a member just forked: only init may hold the write end of the stop pipe. */
static void group_joined(void)
{
    sys_close(stop_pipe[1]);
}

/* A member has grown: wait for stop (end of file on the stop pipe), then exit 0
 * if its pages are intact. */
__attribute__((noreturn)) static void settle(int slot, char *area, long pages, long owner)
{
    if (slot >= 0)
        shared->settled[slot] = 1;
    char byte;
    while (sys_read(stop_pipe[0], &byte, 1) == -EINTR)
        ;
    sys_exit_group(intact(area, pages, owner, BY_CPU) ? 0 : PAGES_WRONG);
}

/* Has pid ended: reaped (no /proc/PID), or a zombie (state Z in /proc/PID/stat,
 * after the name in parentheses)? kill(pid, 0) cannot tell: a zombie still
 * exists until its parent reaps it. */
bool process_gone(long pid)
{
    char path[32], text[256];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    long fd = sys_open(path, O_RDONLY, 0);
    if (fd < 0)
        return true; /* -ENOENT, or -ENOMEM with memory full: cannot tell (see group_finish) */
    long n = sys_read((int)fd, text, sizeof text - 1);
    sys_close((int)fd);
    if (n <= 0)
        return true;
    text[n] = 0;
    const char *paren = strrchr(text, ')');
    return paren != NULL && paren[1] == ' ' && paren[2] == 'Z';
}

/* Every member known has settled or is gone. A slot still without a pid is not
 * waited for: its parent writes the pid before it settles, so with the others
 * settled or gone, that parent was killed between its fork and the write, and
 * the child too before it could write its own -- or it has yet to run, and then
 * sees `stop` and settles at once. Waiting for it hung the fork bomb's step (the
 * slot stays 0 for ever) until the patience ran out. */
static bool group_settled(void)
{
    int count = shared->count < MAX_GROUP ? shared->count : MAX_GROUP;
    for (int i = 0; i < count; i++) {
        long pid = shared->pids[i];
        if (pid <= 0 || shared->settled[i])
            continue;
        if (!process_gone(pid))
            return false;
    }
    return true;
}

/* Wait until the group has settled, tell it to stop, reap every child (those
 * orphaned come to init), and count how they ended. */
static void group_finish(const char *what, int *exited, int *killed, int *other)
{
    /* With memory full, opening /proc/PID/stat may fail (-ENOMEM) for a process
     * still growing, which then looks gone: stop may come early. That only makes
     * the group smaller: a member still growing sees `stop` and settles, and the
     * reaping below waits for everyone. So the verdict is the loop's own, not a
     * second look, which could see that member again. */
    bool settled = false;
    for (long waited = 0; !(settled = group_settled()) && waited < PATIENCE_MS; waited += POLL_MS)
        sleep_ms(POLL_MS);
    EXPECT(settled, "%s: every process has grown or is gone", what);
    shared->stop = 1;
    sys_close(stop_pipe[1]);
    *exited = *killed = *other = 0;
    for (;;) {
        long status = reap(-1);
        if (status == -ECHILD)
            break;
        if (exited_with(status, 0))
            ++*exited;
        else if (killed_by(status, SIGKILL))
            ++*killed;
        else
            ++*other;
    }
    sys_close(stop_pipe[0]);
}

/* A bomb process: its pages written (copy-on-write copies after a fork), then a
 * fork for each remaining generation; parent and child both go on forking. */
__attribute__((noreturn)) static void bomb(int slot, char *area, long pages, int forks_done)
{
    group_joined();
    long me = sys_getpid();
    if (slot >= 0)
        shared->pids[slot] = me;
    fill(area, pages, me, BY_CPU);
    for (int f = forks_done; f < BOMB_FORKS && !shared->stop; f++) {
        int child_slot = group_slot();
        long pid = sys_fork();
        if (pid == 0)
            bomb(child_slot, area, pages, f + 1);
        if (child_slot >= 0)
            shared->pids[child_slot] = pid > 0 ? pid : -1;
        if (pid < 0)
            break; /* no process slot (EAGAIN) or no memory (ENOMEM): stop growing */
    }
    settle(slot, area, pages, me);
}

void fork_bomb(void)
{
    long total = free_pages();
    long pages = total / 64; /* 128 processes of these would need twice the memory */
    check_section("a fork bomb whose processes all write their pages");
    group_reset();
    char *area = map((unsigned long)pages * PAGE_SIZE);
    int slot = group_slot();
    long pid = sys_fork();
    if (pid == 0)
        bomb(slot, area, pages, 0);
    shared->pids[slot] = pid;
    int exited, killed, other;
    group_finish("fork bomb", &exited, &killed, &other);
    printf("  fork bomb: %d processes, %d ended normally, %d killed by SIGKILL\n",
           exited + killed + other, exited, killed);
    EXPECT(other == 0, "every bomb process ended normally (pages intact) or by SIGKILL: %d did not",
           other);
    EXPECT(killed > 0, "the out-of-memory killer ended some (%d)", killed);
    EXPECT(exited + killed >= 2, "the bomb grew");
    sys_munmap(area, (unsigned long)pages * PAGE_SIZE);
}

void many_children(void)
{
    long pages = free_pages() / 6;
    check_section("8 children take 1/6 of memory each");
    group_reset();
    for (int i = 0; i < MANY_CHILDREN; i++) {
        int slot = group_slot();
        long pid = sys_fork();
        if (pid == 0) {
            group_joined();
            char *area = map((unsigned long)pages * PAGE_SIZE);
            fill(area, pages, sys_getpid(), BY_CPU);
            settle(slot, area, pages, sys_getpid());
        }
        shared->pids[slot] = pid > 0 ? pid : -1;
    }
    int exited, killed, other;
    group_finish("8 children", &exited, &killed, &other);
    EXPECT(exited + killed == MANY_CHILDREN && other == 0,
           "each ended normally (pages intact) or by SIGKILL: %d, %d, %d other", exited, killed,
           other);
    EXPECT(killed >= 1 && exited >= 4, "some were killed (%d), most finished (%d)", killed, exited);
}
