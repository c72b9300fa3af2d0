/*
 * forkbomb — a bounded fork bomb: 40 processes at once, and every frame comes back.
 *
 * A real fork bomb forks without end until the machine runs out of processes or
 * memory. This one builds a tree three levels deep, every process forking three
 * children:
 *
 *   level 0: forkbomb                     1 process
 *   level 1: its children                 3
 *   level 2: their children               9
 *   level 3: leaves                      27      40 in all (vmlab allows 128)
 *
 * Each process writes a page of its own (a copy-on-write copy of the parent's),
 * signs its slot in a MAP_SHARED table, and the leaves wait until all 40 have
 * signed, so all 40 are alive at the same time. Then each process exits with the
 * size of its subtree (a leaf 1, level 2: 1 + 3 = 4, level 1: 1 + 3 * 4 = 13) once
 * wait4 has told it its children's sizes were right; the root expects 40.
 *
 * Each dead process's frames (its page tables, copied pages, kernel stack) go
 * back when its parent reaps it; vmlab's counters show that free memory ends
 * exactly where it began.
 */
#include <stdint.h>

#include "user/lib/check.h"
#include "user/lib/child.h"
#include "user/lib/errno_names.h"
#include "user/lib/image.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"
#include "user/lib/vmstat.h"

#define FANOUT    3
#define LEVELS    3                /* levels of children below the root */
#define PROCESSES (1 + 3 + 9 + 27) /* 1 + FANOUT + FANOUT^2 + FANOUT^3 */
#define WRONG     255              /* exit status: something below was wrong */

struct slot {
    long pid, parent; /* as the process itself saw them */
};

/* The MAP_SHARED page every process of the tree writes into. */
struct table {
    volatile int signed_in;   /* how many processes have signed their slot */
    volatile int fork_failed; /* set by anyone whose fork failed: stop waiting */
    struct slot slots[PROCESSES];
};

static struct table *table;
/* Each process writes it: a copy-on-write copy each. Volatile, or the compiler
 * would drop writes that nothing reads; aligned, so it has a page to itself. */
static volatile char own_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* The slot numbers of a breadth-first numbering: the root is 0, the children of
 * slot s are FANOUT * s + 1 .. FANOUT * s + FANOUT. */
static int child_slot(int slot, int j)
{
    return FANOUT * slot + 1 + j;
}

static int subtree_size(int level)
{
    return level == LEVELS ? 1 : 1 + FANOUT * subtree_size(level + 1);
}

static void sign_in(int slot)
{
    own_page[0] = (char)slot; /* copy-on-write: this process's own copy */
    table->slots[slot].pid = sys_getpid();
    table->slots[slot].parent = sys_getppid();
    __atomic_fetch_add(&table->signed_in, 1, __ATOMIC_SEQ_CST);
}

/* A leaf: wait (yielding the CPU) until the whole tree is alive. */
static void wait_for_everyone(void)
{
    while (table->signed_in < PROCESSES && !table->fork_failed)
        sys_sched_yield();
}

static int node(int slot, int level);

/* Fork the FANOUT children of slot, then reap them in whatever order they end.
 * Returns the number of processes in the subtree, or WRONG. */
static int grow_and_reap(int slot, int level)
{
    long pids[FANOUT];
    int forked = 0;
    for (int j = 0; j < FANOUT; j++) {
        pids[j] = sys_fork();
        if (pids[j] == 0)
            sys_exit_group(node(child_slot(slot, j), level + 1));
        if (pids[j] < 0) {
            table->fork_failed = 1;
            break;
        }
        forked++;
    }
    int size = 1;
    bool wrong = forked != FANOUT;
    for (int n = 0; n < forked; n++) {
        int status = -1;
        long pid = sys_wait4(-1, &status, 0, NULL);
        bool ours = false;
        for (int j = 0; j < forked; j++)
            ours |= pid == pids[j];
        if (!ours || !exited_with(status, subtree_size(level + 1)))
            wrong = true;
        size += WEXITSTATUS(status);
    }
    return wrong ? WRONG : size;
}

static int node(int slot, int level)
{
    sign_in(slot);
    if (level == LEVELS) {
        wait_for_everyone();
        return 1;
    }
    return grow_and_reap(slot, level);
}

/* Every slot signed by a distinct process whose parent signed the parent slot. */
static int check_table(void)
{
    int wrong = 0;
    for (int s = 1; s < PROCESSES; s++) {
        const struct slot *me = &table->slots[s], *parent = &table->slots[(s - 1) / FANOUT];
        if (me->pid <= 0 || me->parent != parent->pid)
            wrong++;
        for (int t = 0; t < s; t++)
            wrong += me->pid == table->slots[t].pid;
    }
    return wrong;
}

int main(void)
{
    printf("forkbomb: a tree of 40 processes, 3 levels deep, all alive at once\n");
    vmstat_note_if_missing();
    long shared = sys_mmap(NULL, sizeof(struct table), PROT_READ | PROT_WRITE,
                           MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (IS_ERROR(shared)) {
        EXPECT(false, "mmap a shared page for the table: %s", errno_name(shared));
        return check_summary("forkbomb");
    }
    table = (struct table *)shared;
    /* touch what the root itself uses, so the measurement holds only the tree */
    table->signed_in = 0;
    own_page[0] = 0;
    stack_prefault();

    struct vm_measure m;
    measure_start(&m);
    int size = node(0, 0);
    int status = 0;
    long leftover = sys_wait4(-1, &status, 0, NULL);
    measure_end(&m);

    check_section("the tree");
    EXPECT(!table->fork_failed, "every fork succeeded");
    EXPECT_RESULT(table->signed_in, PROCESSES, "40 processes signed the shared table");
    EXPECT_RESULT(check_table(), 0, "each with its own pid, each the child of the one above it");
    EXPECT_RESULT(size, PROCESSES,
                  "the subtree sizes (exit statuses 1, 4, 13) add up to 40: "
                  "every wait4 at every level saw the status it expected");
    EXPECT_RESULT(leftover, -ECHILD, "no child is left: wait4(-1) says -ECHILD");

    check_section("the memory came back");
    struct vm_counters machine = vm_counters_delta(&m.before.machine, &m.after.machine);
    vmstat_print_delta("the machine, while the tree lived", &machine);
    if (vmstat_available()) {
        EXPECT(machine.cow_copies >= PROCESSES - 1,
               "at least 39 copy-on-write copies: each "
               "child's own page (a stack page both sides write: one copies, one reuses)");
        EXPECT_RESULT(m.free_frames, 0, "free frames: %lu, exactly as before the first fork",
                      (unsigned long)m.after.free_frames);
        EXPECT_RESULT(m.page_table_frames, 0, "page-table frames as before");
        EXPECT_RESULT(m.user_frames, 0, "user frames as before");
    }
    sys_munmap(table, sizeof(struct table));
    return check_summary("forkbomb");
}
