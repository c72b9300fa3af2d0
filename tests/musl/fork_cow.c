/*
 * fork_cow.c — fork copies an address space copy-on-write: after fork each side
 * sees its own private memory (a write by one is invisible to the other), while
 * MAP_SHARED memory stays shared, even pages neither side had touched before the
 * fork. 300 rounds of fork -> child writes 1 MiB -> exit -> wait leave the parent
 * intact (and vmlab checks that every frame came back).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sched.h>
#include <unistd.h>

#define MIB (1 << 20)

static int global = 1;
static char bss_page[4096];

int main(void)
{
    char *heap = malloc(MIB);
    memset(heap, 'p', MIB);
    char *shared = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    char *private_anon =
        mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    shared[0] = 's';
    private_anon[0] = 'a';
    pid_t parent = getpid();

    pid_t pid = fork();
    if (pid == 0) {
        int ok = getppid() == parent && getpid() != parent;
        global = 2;
        heap[0] = 'c';
        bss_page[0] = 'c';
        private_anon[0] = 'c';
        shared[0] = 'C';
        shared[4096] = 'T'; /* a page neither side touched before the fork */
        _exit(ok ? 42 : 1);
    }
    int status;
    printf("fork returned the child's pid: %s\n", pid > 0 ? "yes" : "no");
    printf("waitpid gave that pid: %s\n", waitpid(pid, &status, 0) == pid ? "yes" : "no");
    printf("child saw its parent and exited with %d\n", WEXITSTATUS(status));
    printf("private memory after the child wrote it: global %d, heap '%c', bss %d, anon '%c'\n",
           global, heap[0], bss_page[0], private_anon[0]);
    printf("shared memory: '%c' and the page first touched by the child: '%c'\n", shared[0],
           shared[4096]);

    /* the parent writes after fork: the child must still see the old contents */
    pid = fork();
    if (pid == 0) {
        for (volatile int spin = 0; spin < 1000000; spin++)
            ;
        _exit(heap[1] == 'p' ? 0 : 1);
    }
    heap[1] = 'P';
    waitpid(pid, &status, 0);
    printf("a parent's write after fork is not seen by the child: %s\n",
           WEXITSTATUS(status) == 0 ? "yes" : "no");

    /* mprotect read-only then read/write must not make a page the child still
     * shares writable: the parent's write after that must stay the parent's */
    char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    page[0] = 'o';
    volatile char *written =
        mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid = fork();
    if (pid == 0) {
        while (!*written)
            sched_yield(); /* until the parent has written */
        _exit(page[0] == 'o' ? 0 : 1);
    }
    mprotect(page, 4096, PROT_READ);
    mprotect(page, 4096, PROT_READ | PROT_WRITE);
    page[0] = 'n';
    *written = 1;
    waitpid(pid, &status, 0);
    printf("after mprotect RO then RW, the parent's write stays its own: %s\n",
           WEXITSTATUS(status) == 0 ? "yes" : "no");

    long statuses = 0;
    for (int round = 0; round < 300; round++) {
        pid = fork();
        if (pid == 0) {
            memset(heap, round & 0x7f, MIB);
            _exit(round & 0x7f);
        }
        waitpid(pid, &status, 0);
        statuses += WEXITSTATUS(status);
    }
    long intact = 0;
    for (int i = 2; i < MIB; i++)
        intact += heap[i] == 'p';
    printf(
        "300 forks whose children wrote 1 MiB: statuses add up to %ld; parent's heap intact: %s\n",
        statuses, intact == MIB - 2 ? "yes" : "no");
    return 0;
}
