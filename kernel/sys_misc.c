/*
 * sys_misc.c — uname and arch_prctl.
 */
#include "cpu.h"
#include "errno.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "mm/uaccess.h"
#include "proc.h"
#include "syscall.h"
#include "x86.h"

#define UTS_FIELD 65

enum { ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004 };

struct utsname {
    char sysname[UTS_FIELD], nodename[UTS_FIELD], release[UTS_FIELD], version[UTS_FIELD],
        machine[UTS_FIELD], domainname[UTS_FIELD];
};

/* The release names the Linux ABI level followed, so that C libraries that check
 * the kernel's version accept this one; the system name says what it really is. */
long sys_uname(struct syscall_args a)
{
    struct utsname u;
    memset(&u, 0, sizeof u);
    strlcpy(u.sysname, "vmlab", UTS_FIELD);
    strlcpy(u.nodename, "vmlab", UTS_FIELD);
    strlcpy(u.release, "6.1.0-vmlab", UTS_FIELD);
    strlcpy(u.version, "#1 vmlab teaching kernel", UTS_FIELD);
    strlcpy(u.machine, "x86_64", UTS_FIELD);
    strlcpy(u.domainname, "(none)", UTS_FIELD);
    return copy_to_user(a.arg[0], &u, sizeof u) == 0 ? 0 : -EFAULT;
}

long sys_arch_prctl(struct syscall_args a)
{
    struct proc *p = current_proc();
    uint64_t addr = a.arg[1], value;
    switch ((int)a.arg[0]) {
    case ARCH_SET_FS:
        if (addr >= USER_SPACE_END)
            return -EPERM;
        p->fs_base = addr;
        wrmsr(MSR_FS_BASE, addr);
        return 0;
    case ARCH_GET_FS: return copy_to_user(addr, &p->fs_base, sizeof p->fs_base) == 0 ? 0 : -EFAULT;
    case ARCH_SET_GS:
        if (addr >= USER_SPACE_END)
            return -EPERM;
        p->gs_base = addr;
        wrmsr(MSR_KERNEL_GS_BASE, addr); /* swapgs puts it in place on the way out */
        return 0;
    case ARCH_GET_GS:
        value = p->gs_base;
        return copy_to_user(addr, &value, sizeof value) == 0 ? 0 : -EFAULT;
    default: return -EINVAL;
    }
}
