/*
 * sys_ident.c — who a process is: user and group ids, supplementary groups, and
 * its name (prctl PR_SET_NAME / PR_GET_NAME).
 *
 * This kernel has one user, root (uid 0, gid 0), and no permission checks to go
 * with others, so every id is 0 and stays 0. Calls that set ids accept 0 (and -1,
 * "unchanged", where Linux has it); any other id is refused with EPERM rather than
 * pretending to drop privileges the kernel never checks. Linux's own EINVAL for
 * an invalid id (-1 where it cannot mean "unchanged") comes first, as there.
 */
#include "cpu.h"
#include "errno.h"
#include "lib/string.h"
#include "mm/uaccess.h"
#include "proc.h"
#include "syscall.h"

#define ROOT          0
#define INVALID_ID    0xffffffffu /* (uid_t)-1 */
#define NGROUPS_MAX   65536
#define TASK_COMM_LEN 16 /* Linux's comm: 15 characters and a zero */
#define PR_SET_NAME   15
#define PR_GET_NAME   16

/* The getters: uid, euid, gid, egid are all root's. */
long sys_getuid(struct syscall_args a)
{
    (void)a;
    return ROOT;
}

long sys_getgid(struct syscall_args a)
{
    (void)a;
    return ROOT;
}

/* setuid/setgid(id): -EINVAL for -1, 0 for root, -EPERM for anyone else. */
static long set_one(uint64_t id)
{
    uint32_t value = (uint32_t)id;
    if (value == INVALID_ID)
        return -EINVAL;
    return value == ROOT ? 0 : -EPERM;
}

long sys_setuid(struct syscall_args a)
{
    return set_one(a.arg[0]);
}

long sys_setgid(struct syscall_args a)
{
    return set_one(a.arg[0]);
}

/* setreuid/setresuid (and gid): each id is -1 (unchanged) or must be root's. */
static long set_several(const struct syscall_args *a, int count)
{
    for (int i = 0; i < count; i++) {
        uint32_t value = (uint32_t)a->arg[i];
        if (value != INVALID_ID && value != ROOT)
            return -EPERM;
    }
    return 0;
}

long sys_setreuid(struct syscall_args a)
{
    return set_several(&a, 2);
}

long sys_setregid(struct syscall_args a)
{
    return set_several(&a, 2);
}

long sys_setresuid(struct syscall_args a)
{
    return set_several(&a, 3);
}

long sys_setresgid(struct syscall_args a)
{
    return set_several(&a, 3);
}

/* getresuid/getresgid(&real, &effective, &saved): three zeros. */
static long get_three(const struct syscall_args *a)
{
    uint32_t root = ROOT;
    for (int i = 0; i < 3; i++) {
        if (copy_to_user(a->arg[i], &root, sizeof root) != 0)
            return -EFAULT;
    }
    return 0;
}

long sys_getresuid(struct syscall_args a)
{
    return get_three(&a);
}

long sys_getresgid(struct syscall_args a)
{
    return get_three(&a);
}

/* setfsuid/setfsgid return the old id and never fail; the id stays root's. */
long sys_setfsuid(struct syscall_args a)
{
    (void)a;
    return ROOT;
}

/* getgroups(size, list): the count with size 0, -EINVAL if size is too small
 * (or negative), else the list (root's gid, as many times as setgroups said). */
long sys_getgroups(struct syscall_args a)
{
    int size = (int)a.arg[0];
    uint32_t count = current_proc()->supplementary_groups, root = ROOT;
    if (size < 0)
        return -EINVAL;
    if (size == 0)
        return count;
    if ((uint32_t)size < count)
        return -EINVAL;
    for (uint32_t i = 0; i < count; i++) {
        if (copy_to_user(a.arg[1] + i * sizeof root, &root, sizeof root) != 0)
            return -EFAULT;
    }
    return count;
}

/* setgroups(size, list): -EINVAL beyond NGROUPS_MAX, -EFAULT for a bad list,
 * -EPERM for a group other than root's. */
long sys_setgroups(struct syscall_args a)
{
    int size = (int)a.arg[0];
    if (size < 0 || size > NGROUPS_MAX)
        return -EINVAL;
    for (int i = 0; i < size; i++) {
        uint32_t group;
        if (copy_from_user(&group, a.arg[1] + i * sizeof group, sizeof group) != 0)
            return -EFAULT;
        if (group != ROOT)
            return -EPERM;
    }
    current_proc()->supplementary_groups = (uint32_t)size;
    return 0;
}

/* PR_SET_NAME: the name becomes the string at name_at, cut to 15 characters. */
static long set_name(vaddr_t name_at)
{
    char name[TASK_COMM_LEN];
    long length = copy_string_from_user(name, name_at, TASK_COMM_LEN - 1);
    if (length == -EFAULT)
        return -EFAULT;
    name[TASK_COMM_LEN - 1] = '\0'; /* too long: cut */
    strlcpy(current_proc()->name, name, sizeof current_proc()->name);
    return 0;
}

/* PR_GET_NAME: 16 bytes, the name's first 15 characters padded with zeros. */
static long get_name(vaddr_t name_at)
{
    char name[TASK_COMM_LEN];
    memset(name, 0, sizeof name);
    strlcpy(name, current_proc()->name, sizeof name);
    return copy_to_user(name_at, name, sizeof name) == 0 ? 0 : -EFAULT;
}

/* prctl(option, ...): the process's name; -EINVAL for any other option. */
long sys_prctl(struct syscall_args a)
{
    switch ((int)a.arg[0]) {
    case PR_SET_NAME: return set_name(a.arg[1]);
    case PR_GET_NAME: return get_name(a.arg[1]);
    default: return -EINVAL;
    }
}
