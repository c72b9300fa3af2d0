/*
 * ids.c — who the process is: root's ids (the tests run as root on Linux too),
 * changing them to root's own, supplementary groups, and prctl's name.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

static void user_ids(void)
{
    printf("uid %d euid %d gid %d egid %d\n", (int)getuid(), (int)geteuid(), (int)getgid(),
           (int)getegid());
    uid_t r = 9, e = 9, s = 9;
    long result = getresuid(&r, &e, &s);
    printf("getresuid: %s: %d %d %d\n", outcome(result), (int)r, (int)e, (int)s);
    gid_t gr = 9, ge = 9, gs = 9;
    result = getresgid(&gr, &ge, &gs);
    printf("getresgid: %s: %d %d %d\n", outcome(result), (int)gr, (int)ge, (int)gs);
    printf("getresuid(bad pointer): %s\n", outcome(syscall(SYS_getresuid, (void *)16, &e, &s)));
    printf("setuid(0): %s, ", outcome(setuid(0)));
    printf("setgid(0): %s\n", outcome(setgid(0)));
    printf("setuid(-1): %s, ", outcome(syscall(SYS_setuid, -1)));
    printf("setgid(-1): %s\n", outcome(syscall(SYS_setgid, -1)));
    printf("setreuid(-1, -1): %s, ", outcome(setreuid(-1, -1)));
    printf("setreuid(0, 0): %s, ", outcome(setreuid(0, 0)));
    printf("setregid(0, -1): %s\n", outcome(setregid(0, -1)));
    printf("setresuid(0, 0, 0): %s, ", outcome(setresuid(0, 0, 0)));
    printf("setresgid(-1, -1, -1): %s\n", outcome(setresgid(-1, -1, -1)));
    printf("setfsuid(0): %ld, setfsgid(0): %ld\n", syscall(SYS_setfsuid, 0),
           syscall(SYS_setfsgid, 0));
}

static void groups(void)
{
    gid_t list[4] = { 7, 7, 7, 7 };
    printf("getgroups(0): %s\n", outcome(getgroups(0, NULL)));
    gid_t roots[2] = { 0, 0 };
    printf("setgroups(2, {0, 0}): %s, ", outcome(setgroups(2, roots)));
    printf("getgroups(0): %s, ", outcome(getgroups(0, NULL)));
    printf("getgroups(1): %s, ", outcome(getgroups(1, list)));
    long n = getgroups(4, list);
    printf("getgroups(4): %s: %d %d\n", outcome(n), (int)list[0], (int)list[1]);
    printf("getgroups(-1): %s\n", outcome(syscall(SYS_getgroups, -1, list)));
    printf("setgroups(-1): %s, ", outcome(syscall(SYS_setgroups, -1, list)));
    printf("setgroups(70000): %s, ", outcome(syscall(SYS_setgroups, 70000, list)));
    printf("setgroups(1, bad): %s\n", outcome(syscall(SYS_setgroups, 1, (void *)16)));
    printf("setgroups(0, NULL): %s, ", outcome(setgroups(0, NULL)));
    printf("getgroups(0): %s\n", outcome(getgroups(0, NULL)));
}

static void names(void)
{
    char name[32];
    memset(name, 'x', sizeof name);
    printf("PR_GET_NAME: %s: \"%s\"\n", outcome(prctl(PR_GET_NAME, name)), name);
    printf("PR_SET_NAME(\"renamed\"): %s, ", outcome(prctl(PR_SET_NAME, "renamed")));
    prctl(PR_GET_NAME, name);
    printf("now \"%s\"\n", name);
    printf("PR_SET_NAME(a long name): %s, ",
           outcome(prctl(PR_SET_NAME, "a-name-of-twenty-six-bytes")));
    memset(name, 'x', sizeof name);
    prctl(PR_GET_NAME, name);
    printf("now \"%s\", byte 15 is 0: %s, byte 16 untouched: %s\n", name,
           name[15] == 0 ? "yes" : "no", name[16] == 'x' ? "yes" : "no");
    printf("PR_SET_NAME(bad pointer): %s\n", outcome(prctl(PR_SET_NAME, (char *)16)));
    printf("PR_GET_NAME(bad pointer): %s\n", outcome(prctl(PR_GET_NAME, (char *)16)));
    printf("prctl(12345): %s\n", outcome(prctl(12345, 0, 0, 0, 0)));
    prctl(PR_SET_NAME, "procid");
}

void id_tests(void)
{
    user_ids();
    groups();
    names();
}
