/*
 * sysctl.c — /proc/sys/vm: the virtual-memory knobs a program or a shell can
 * read and set at run time, as on Linux (/proc/sys is Linux's sysctl tree).
 *
 *   /proc/sys/vm/page_replacement   the replacement policies, the one in force
 *                                   in brackets: "fifo [clock] aging wsclock";
 *                                   writing a name ("fifo", a newline allowed
 *                                   after it) puts that policy in force;
 *                                   another name: EINVAL (mm/replace.h)
 *   /proc/sys/vm/wsclock_tau_ms     WSClock's window tau in milliseconds
 *   /proc/sys/vm/ws_tau_ms          the working-set window tau, in milliseconds
 *                                   of user time (mm/workingset.h): 1..60000
 *   /proc/sys/vm/load_control       0 or 1: load control off or on
 *                                   (kernel/loadctl.h)
 *   /proc/sys/vm/load_control_max_wait_ms   the longest load control holds a
 *                                   process: 1..3600000
 *
 * (Linux has no page_replacement file: its one policy is built in. The
 * brackets are the style of /sys/block/DEV/queue/scheduler.) Inode numbers:
 * PROCFS_SYS_INO for /proc/sys, PROCFS_SYS_VM_INO for vm, then one per file.
 */
#include "entries.h"
#include "kernel/errno.h"
#include "kernel/fs/stat.h"
#include "lib/parse.h"
#include "lib/string.h"
#include "kernel/loadctl.h"
#include "mm/replace.h"
#include "mm/workingset.h"

#define NAME_MAX_LEN 16 /* the longest policy name written, newline excluded */

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

/* bytes (n of them) without one trailing newline, into name: false if too long. */
static bool one_word(const char *bytes, size_t n, char *name, size_t size)
{
    if (n > 0 && bytes[n - 1] == '\n')
        n--;
    if (n == 0 || n >= size)
        return false;
    memcpy(name, bytes, n);
    name[n] = '\0';
    return true;
}

static long write_page_replacement(struct proc *p, const char *bytes, size_t n)
{
    (void)p;
    char name[NAME_MAX_LEN + 1];
    if (!one_word(bytes, n, name, sizeof name))
        return -EINVAL;
    int error = replace_select(name);
    return error != 0 ? error : (long)n;
}

/* text (n bytes, a newline allowed after it) as a number up to max. */
static bool one_number(const char *bytes, size_t n, uint64_t max, uint64_t *value)
{
    char text[12];
    return one_word(bytes, n, text, sizeof text) && parse_u64(text, value) && *value <= max;
}

/* ---- the numeric knobs: each is a getter and a setter of a uint32_t ----
 *
 * Reading one shows its value and a newline; writing takes a decimal number (a
 * newline allowed after it) up to max, and the setter may refuse it (-EINVAL
 * outside its own range). The procfs callbacks get no pointer to their entry,
 * so each knob keeps its own two one-line functions, both through these. */

static int show_number(struct procfs_text *t, uint32_t value)
{
    text_printf(t, "%u\n", value);
    return 0;
}

static long write_number(const char *bytes, size_t n, uint64_t max, int (*set)(uint32_t value))
{
    uint64_t value;
    if (!one_number(bytes, n, max, &value))
        return -EINVAL;
    int error = set((uint32_t)value);
    return error != 0 ? error : (long)n;
}

/* The setters that refuse nothing, in the shape write_number takes. */
static int set_wsclock_tau_ms(uint32_t ms)
{
    replace_set_wsclock_tau_ms(ms);
    return 0;
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

static long write_wsclock_tau_ms(struct proc *p, const char *bytes, size_t n)
{
    (void)p;
    return write_number(bytes, n, UINT32_MAX, set_wsclock_tau_ms);
}

static int show_ws_tau_ms(struct procfs_text *t, struct proc *p)
{
    (void)p;
    return show_number(t, workingset_tau_ms());
}

static long write_ws_tau_ms(struct proc *p, const char *bytes, size_t n)
{
    (void)p;
    return write_number(bytes, n, UINT32_MAX, workingset_set_tau_ms);
}

static int show_load_control(struct procfs_text *t, struct proc *p)
{
    (void)p;
    return show_number(t, loadctl_enabled() ? 1 : 0);
}

static long write_load_control(struct proc *p, const char *bytes, size_t n)
{
    (void)p;
    return write_number(bytes, n, 1, set_load_control);
}

static int show_load_control_max_wait_ms(struct procfs_text *t, struct proc *p)
{
    (void)p;
    return show_number(t, loadctl_max_wait_ms());
}

static long write_load_control_max_wait_ms(struct proc *p, const char *bytes, size_t n)
{
    (void)p;
    return write_number(bytes, n, UINT32_MAX, loadctl_set_max_wait_ms);
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
