/*
 * sysctl.c — /proc/sys/vm: the virtual-memory knobs a program or a shell can
 * read and set at run time, as on Linux (/proc/sys is Linux's sysctl tree).
 *
 *   /proc/sys/vm/page_replacement   the replacement policies, the one in force
 *                                   in brackets: "fifo [clock] aging wsclock";
 *                                   writing a name ("fifo", up to a newline or
 *                                   NUL) puts that policy in force; another
 *                                   name: EINVAL (mm/replace.h)
 *   /proc/sys/vm/wsclock_tau_ms     WSClock's window tau in milliseconds:
 *                                   1..60000 (mm/replace.h)
 *   /proc/sys/vm/ws_tau_ms          the working-set window tau, in milliseconds
 *                                   of user time (mm/workingset.h): 1..60000
 *   /proc/sys/vm/load_control       0 or 1: load control off or on
 *                                   (kernel/loadctl.h)
 *   /proc/sys/vm/load_control_max_wait_ms   the longest load control holds a
 *                                   process: 1..3600000
 *
 * Writes are read by Linux's rules (sysctl_parse.h): a number knob takes one
 * number in its range, spaces around it, and ignores a write at an offset
 * other than 0; a value out of range is EINVAL.
 *
 * (Linux has no page_replacement file: its one policy is built in. The
 * brackets are the style of /sys/block/DEV/queue/scheduler.) Inode numbers:
 * PROCFS_SYS_INO for /proc/sys, PROCFS_SYS_VM_INO for vm, then one per file.
 */
#include "entries.h"
#include "kernel/errno.h"
#include "kernel/fs/stat.h"
#include "kernel/loadctl.h"
#include "lib/string.h"
#include "mm/replace.h"
#include "mm/workingset.h"
#include "sysctl_parse.h"

#define NAME_SIZE 16 /* a policy name as written: 15 characters, as TCP_CA_NAME_MAX */

static int show_page_replacement(struct procfs_text *t, struct proc *p)
{
    (void)p;
    const struct replacement_policy *policy;
    for (unsigned i = 0; (policy = replace_policy_at(i)) != NULL; i++) {
        const char *format = policy == replace_policy() ? "%s[%s]" : "%s%s";
        text_printf(t, format, i == 0 ? "" : " ", policy->name);
    }
    text_printf(t, "\n");
    return 0;
}

/* A name written as Linux's proc_dostring reads it (sysctl_parse.h), going on
 * from the name in force as net.ipv4.tcp_congestion_control does: "fifo",
 * "fifo\n" and "fifo\0junk" select FIFO; a write at an offset continues the
 * name in force. */
static long write_page_replacement(struct proc *p, struct sysctl_write *w)
{
    (void)p;
    char name[NAME_SIZE];
    strlcpy(name, replace_policy()->name, sizeof name);
    bool changed;
    long taken = sysctl_parse_string(w, name, sizeof name, &changed);
    if (!changed)
        return taken;
    int error = replace_select(name);
    return error != 0 ? error : taken;
}

/* ---- the numeric knobs: each is a getter and a setter of a uint32_t ----
 *
 * Reading one shows its value and a newline; a write is read as Linux's
 * proc_dointvec_minmax reads it (sysctl_parse.h): one number in the knob's
 * range, else -EINVAL. The procfs callbacks get no pointer to their entry, so
 * each knob keeps its own two one-line functions, both through these. */

static int show_number(struct procfs_text *t, uint32_t value)
{
    text_printf(t, "%u\n", value);
    return 0;
}

static long write_number(struct sysctl_write *w, int min, int max, int (*set)(uint32_t value))
{
    int value;
    bool has_value;
    long taken = sysctl_parse_int(w, min, max, &value, &has_value);
    if (taken < 0 || !has_value)
        return taken;
    int error = set((uint32_t)value);
    return error != 0 ? error : taken;
}

static int set_load_control(uint32_t on)
{
    loadctl_set_enabled(on == 1);
    return 0;
}

static int show_wsclock_tau_ms(struct procfs_text *t, struct proc *p)
{
    (void)p;
    return show_number(t, replace_wsclock_tau_ms());
}

static long write_wsclock_tau_ms(struct proc *p, struct sysctl_write *w)
{
    (void)p;
    return write_number(w, 1, REPLACE_WSCLOCK_TAU_MS_MAX, replace_set_wsclock_tau_ms);
}

static int show_ws_tau_ms(struct procfs_text *t, struct proc *p)
{
    (void)p;
    return show_number(t, workingset_tau_ms());
}

static long write_ws_tau_ms(struct proc *p, struct sysctl_write *w)
{
    (void)p;
    return write_number(w, 1, WORKINGSET_TAU_MS_MAX, workingset_set_tau_ms);
}

static int show_load_control(struct procfs_text *t, struct proc *p)
{
    (void)p;
    return show_number(t, loadctl_enabled() ? 1 : 0);
}

static long write_load_control(struct proc *p, struct sysctl_write *w)
{
    (void)p;
    return write_number(w, 0, 1, set_load_control);
}

static int show_load_control_max_wait_ms(struct procfs_text *t, struct proc *p)
{
    (void)p;
    return show_number(t, loadctl_max_wait_ms());
}

static long write_load_control_max_wait_ms(struct proc *p, struct sysctl_write *w)
{
    (void)p;
    return write_number(w, 1, LOADCTL_MAX_WAIT_MS_MAX, loadctl_set_max_wait_ms);
}

static const struct procfs_entry vm_entries[] = {
    { "page_replacement", S_IFREG | 0644, show_page_replacement, NULL, write_page_replacement },
    { "wsclock_tau_ms", S_IFREG | 0644, show_wsclock_tau_ms, NULL, write_wsclock_tau_ms },
    { "ws_tau_ms", S_IFREG | 0644, show_ws_tau_ms, NULL, write_ws_tau_ms },
    { "load_control", S_IFREG | 0644, show_load_control, NULL, write_load_control },
    { "load_control_max_wait_ms", S_IFREG | 0644, show_load_control_max_wait_ms, NULL,
      write_load_control_max_wait_ms },
};

#define VM_COUNT ((uint32_t)(sizeof vm_entries / sizeof vm_entries[0]))

const struct procfs_entry *sysctl_entry_of(uint32_t ino)
{
    return ino >= PROCFS_SYS_VM_FIRST && ino < PROCFS_SYS_VM_FIRST + VM_COUNT
               ? &vm_entries[ino - PROCFS_SYS_VM_FIRST]
               : NULL;
}

bool sysctl_is_dir(uint32_t ino)
{
    return ino == PROCFS_SYS_INO || ino == PROCFS_SYS_VM_INO;
}

int sysctl_lookup(uint32_t dir_ino, const char *name, size_t len, uint32_t *ino, uint32_t *mode)
{
    if (dir_ino == PROCFS_SYS_INO) {
        if (len != 2 || memcmp(name, "vm", 2) != 0)
            return -ENOENT;
        *ino = PROCFS_SYS_VM_INO;
        *mode = S_IFDIR | 0555;
        return 0;
    }
    for (uint32_t i = 0; i < VM_COUNT; i++) {
        if (strlen(vm_entries[i].name) == len && memcmp(vm_entries[i].name, name, len) == 0) {
            *ino = PROCFS_SYS_VM_FIRST + i;
            *mode = vm_entries[i].mode;
            return 0;
        }
    }
    return -ENOENT;
}

uint32_t sysctl_parent(uint32_t dir_ino)
{
    return dir_ino == PROCFS_SYS_VM_INO ? PROCFS_SYS_INO : 0; /* 0: /proc itself */
}

int sysctl_name_at(uint32_t dir_ino, uint64_t i, const char **name, uint32_t *ino, uint32_t *mode)
{
    if (dir_ino == PROCFS_SYS_INO) {
        if (i != 0)
            return -ENOENT;
        *name = "vm", *ino = PROCFS_SYS_VM_INO, *mode = S_IFDIR | 0555;
        return 0;
    }
    if (i >= VM_COUNT)
        return -ENOENT;
    *name = vm_entries[i].name, *ino = PROCFS_SYS_VM_FIRST + (uint32_t)i,
    *mode = vm_entries[i].mode;
    return 0;
}
