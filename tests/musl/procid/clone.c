/*
 * clone.c — clone(2) with the flag sets C libraries use: fork (SIGCHLD and the tid
 * flags) and vfork (CLONE_VM | CLONE_VFORK on a stack of the child's own, as
 * musl's posix_spawn does); combinations Linux itself refuses.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define STACK_SIZE (64 * 1024)

static char child_stack[STACK_SIZE] __attribute__((aligned(16)));
static volatile pid_t parent_word, child_word; /* the tid flags' targets */
static volatile int shared_value;              /* written by a vfork child */
static volatile pid_t seen_by_child;

static void *stack_top(void)
{
    return child_stack + STACK_SIZE;
}

/* A fork-like child: exit code bit 0 = CLONE_CHILD_SETTID wrote its tid; bit 1 =
 * CLONE_PARENT_SETTID's word is set in its own memory too. */
static int fork_child(void *arg)
{
    (void)arg;
    int code = child_word == getpid() ? 1 : 0;
    if (parent_word != 0)
        code |= 2;
    return code;
}

static void fork_via_clone(void)
{
    parent_word = child_word = 0;
    int flags = SIGCHLD | CLONE_CHILD_SETTID | CLONE_PARENT_SETTID;
    fflush(stdout);
    pid_t pid = clone(fork_child, stack_top(), flags, NULL, &parent_word, NULL, &child_word);
    int status = 0;
    pid_t waited = waitpid(pid, &status, 0);
    printf("clone(SIGCHLD|CHILD_SETTID|PARENT_SETTID): a child: %s, waited: %s\n",
           pid > 0 ? "yes" : "no", waited == pid ? "yes" : "no");
    printf("  child: its tid in its memory %s, parent's word in its memory %s\n",
           WEXITSTATUS(status) & 1 ? "yes" : "no", WEXITSTATUS(status) & 2 ? "set" : "not set");
    printf("  parent: PARENT_SETTID wrote the child's tid: %s, the child's word untouched: %s\n",
           parent_word == pid ? "yes" : "no", child_word == 0 ? "yes" : "no");
}

/* As glibc's fork: CHILD_SETTID | CHILD_CLEARTID on the same word, no new stack. */
static void glibc_style_fork(void)
{
    child_word = 0;
    fflush(stdout);
    long pid = syscall(SYS_clone, SIGCHLD | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID, 0, NULL,
                       &child_word, 0);
    if (pid == 0)
        _exit(child_word == getpid() ? 5 : 6);
    int status = 0;
    waitpid(pid, &status, 0);
    printf("clone as glibc's fork: child %s; the parent's word still 0: %s\n", status_text(status),
           child_word == 0 ? "yes" : "no");
}

/* A vfork-like child: writes into the parent's memory, which it shares. */
static int vfork_child(void *arg)
{
    seen_by_child = child_word;
    shared_value = (int)(intptr_t)arg;
    return 7;
}

static void vfork_via_clone(int extra_flags, const char *name)
{
    shared_value = 0;
    child_word = -1;
    seen_by_child = 0;
    fflush(stdout);
    int flags = CLONE_VM | CLONE_VFORK | SIGCHLD | extra_flags;
    pid_t pid = clone(vfork_child, stack_top(), flags, (void *)42, NULL, NULL, &child_word);
    /* CLONE_VFORK: the child has exited before clone returns here */
    int value_at_return = shared_value;
    int status = 0;
    waitpid(pid, &status, 0);
    printf("clone(CLONE_VM|CLONE_VFORK|SIGCHLD%s): child %s\n", name, status_text(status));
    printf("  its store was there when clone returned: %s\n", value_at_return == 42 ? "yes" : "no");
    if (extra_flags & CLONE_CHILD_SETTID)
        printf("  the child saw its tid in the word: %s\n", seen_by_child == pid ? "yes" : "no");
    if (extra_flags & CLONE_CHILD_CLEARTID)
        printf("  the word after it exited: %s\n", child_word == 0 ? "0 (cleared)" : "not 0");
    else
        printf("  the word after it exited: %s\n",
               child_word == pid ? "its tid" : (child_word == -1 ? "untouched" : "other"));
}

/* Flag sets Linux refuses with EINVAL (so no child is made on either system). */
static void refused_flag_sets(void)
{
    static const struct {
        unsigned long flags;
        const char *name;
    } sets[] = {
        { CLONE_SIGHAND | SIGCHLD, "CLONE_SIGHAND without CLONE_VM" },
        { CLONE_THREAD | SIGCHLD, "CLONE_THREAD without CLONE_SIGHAND" },
        { CLONE_NEWNS | CLONE_FS | SIGCHLD, "CLONE_NEWNS|CLONE_FS" },
        { CLONE_NEWUSER | CLONE_FS | SIGCHLD, "CLONE_NEWUSER|CLONE_FS" },
    };
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
        printf("clone(%s): %s\n", sets[i].name,
               outcome(syscall(SYS_clone, sets[i].flags, 0, NULL, NULL, 0)));
}

/* vmlab only ("refused" mode): flag sets Linux accepts but a kernel without
 * threads refuses, with EINVAL (a success would return twice here on Linux). */
int print_vmlab_refusals(void)
{
    static const struct {
        unsigned long flags;
        const char *name;
    } sets[] = {
        { CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
              CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
          "a thread, as pthread_create asks" },
        { CLONE_VM | SIGCHLD, "CLONE_VM without CLONE_VFORK" },
        { CLONE_VFORK | SIGCHLD, "CLONE_VFORK without CLONE_VM" },
        { CLONE_FILES | SIGCHLD, "CLONE_FILES" },
        { 0, "exit signal 0" },
        { SIGUSR1, "exit signal SIGUSR1" },
    };
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
        printf("clone(%s): %s\n", sets[i].name,
               outcome(syscall(SYS_clone, sets[i].flags, stack_top(), NULL, NULL, 0)));
    return 0;
}

static void spawn_self(const char *self)
{
    char *argv[] = { (char *)self, "exit", "9", NULL };
    pid_t pid = 0;
    fflush(stdout);
    int error = posix_spawn(&pid, self, NULL, NULL, argv, NULL);
    int status = 0;
    waitpid(pid, &status, 0);
    printf("posix_spawn (clone with CLONE_VM|CLONE_VFORK): %d, child %s\n", error,
           status_text(status));
}

void clone_tests(const char *self)
{
    fork_via_clone();
    glibc_style_fork();
    vfork_via_clone(0, "");
    vfork_via_clone(CLONE_CHILD_SETTID, "|CHILD_SETTID");
    vfork_via_clone(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID, "|CHILD_SETTID|CHILD_CLEARTID");
    refused_flag_sets();
    spawn_self(self);
    pid_t tid_word;
    printf("set_tid_address returns the tid: %s\n",
           syscall(SYS_set_tid_address, &tid_word) == getpid() ? "yes" : "no");
    static long head[3]; /* a robust_list_head: an empty list points at itself */
    head[0] = (long)head;
    printf("set_robust_list (24 bytes): %s\n", outcome(syscall(SYS_set_robust_list, head, 24)));
    printf("set_robust_list (23 bytes): %s\n", outcome(syscall(SYS_set_robust_list, head, 23)));
    void *got = NULL;
    size_t length = 0;
    long result = syscall(SYS_get_robust_list, 0, &got, &length);
    printf("get_robust_list: %s, the head set: %s, length %zu\n", outcome(result),
           got == head ? "yes" : "no", length);
}
