/*
 * procfs.c — the names under /proc and their inodes (procfs.h, entries.h).
 */
#include "procfs.h"

#include "entries.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/fs/fdtable.h"
#include "kernel/fs/inode.h"
#include "lib/format.h"
#include "lib/string.h"

#define DT_DIR         4
#define DT_REG         8
#define DT_LNK         10
#define FIRST_PID_POS  1000 /* readdir of /proc: position FIRST_PID_POS + pid */
#define MODE_FILE      (S_IFREG | 0444)
#define MODE_PRIVATE   (S_IFREG | 0400) /* the owner's only, as Linux's environ */
#define MODE_WRITABLE  (S_IFREG | 0644)
#define MODE_LINK      (S_IFLNK | 0777)
#define MODE_DIR       (S_IFDIR | 0555)
#define MODE_FD_DIR    (S_IFDIR | 0500)
#define PROCFS_FD_BASE 2 /* readdir of fd/: position PROCFS_FD_BASE + N */

static long link_self(struct proc *p, int fd, char *buf, size_t size);
static long link_self_mounts(struct proc *p, int fd, char *buf, size_t size);

/* /proc's own names, in the order ls shows them unsorted. */
static const struct procfs_entry top_entries[] = {
    { "self", MODE_LINK, NULL, link_self, NULL },
    { "meminfo", MODE_FILE, show_meminfo, NULL, NULL },
    { "vmstat", MODE_FILE, show_vmstat, NULL, NULL },
    { "swaps", MODE_FILE, show_swaps, NULL, NULL },
    { "uptime", MODE_FILE, show_uptime, NULL, NULL },
    { "loadavg", MODE_FILE, show_loadavg, NULL, NULL },
    { "stat", MODE_FILE, show_system_stat, NULL, NULL },
    { "cpuinfo", MODE_FILE, show_cpuinfo, NULL, NULL },
    { "mounts", MODE_LINK, NULL, link_self_mounts, NULL }, /* -> self/mounts, as on Linux */
    { "filesystems", MODE_FILE, show_filesystems, NULL, NULL },
    { "version", MODE_FILE, show_version, NULL, NULL },
};

/* The names in each /proc/PID. */
static const struct procfs_entry pid_entries[] = {
    { "maps", MODE_FILE, show_maps, NULL, NULL },
    { "smaps", MODE_FILE, show_smaps, NULL, NULL },
    { "smaps_rollup", MODE_FILE, show_smaps_rollup, NULL, NULL },
    { "status", MODE_FILE, show_status, NULL, NULL },
    { "statm", MODE_FILE, show_statm, NULL, NULL },
    { "stat", MODE_FILE, show_stat, NULL, NULL },
    { "cmdline", MODE_FILE, show_cmdline, NULL, NULL },
    { "environ", MODE_PRIVATE, show_environ, NULL, NULL }, /* it may hold secrets */
    { "comm", MODE_WRITABLE, show_comm, NULL, write_comm },
    { "mounts", MODE_FILE, show_mounts, NULL, NULL },
    { "vmstat", MODE_FILE, show_process_vmstat, NULL, NULL }, /* vmlab's own */
    { "exe", MODE_LINK, NULL, link_exe, NULL },
    { "cwd", MODE_LINK, NULL, link_cwd, NULL },
    { "fd", MODE_FD_DIR, NULL, NULL, NULL },
};

/* Every descriptor's link in fd/ is alike. */
static const struct procfs_entry fd_entry = { "", MODE_LINK, NULL, link_fd, NULL };

#define COUNT(a)    ((int)(sizeof(a) / sizeof((a)[0])))
#define FD_DIR_SLOT (1 + COUNT(pid_entries) - 1) /* fd is the last name */

/* ---- inode numbers ---- */

static uint32_t pid_ino(int pid, uint32_t slot)
{
    return (uint32_t)pid << PROCFS_PID_SHIFT | slot;
}

static int ino_pid(uint32_t ino)
{
    return (int)(ino >> PROCFS_PID_SHIFT);
}

static uint32_t ino_slot(uint32_t ino)
{
    return ino & PROCFS_SLOT_MASK;
}

const struct procfs_entry *procfs_entry_of(uint32_t ino, int *pid, int *fd)
{
    *pid = ino_pid(ino);
    *fd = -1;
    uint32_t slot = ino_slot(ino);
    if (*pid == 0)
        return ino >= 2 && ino < 2u + COUNT(top_entries) ? &top_entries[ino - 2]
                                                         : sysctl_entry_of(ino);
    if (slot >= PROCFS_FD_SLOT) {
        *fd = (int)(slot - PROCFS_FD_SLOT);
        return &fd_entry;
    }
    return slot >= 1 && slot <= (uint32_t)COUNT(pid_entries) ? &pid_entries[slot - 1] : NULL;
}

struct proc *procfs_process(int pid)
{
    if (pid <= 0 || pid > PROCFS_PID_MAX)
        return NULL; /* the idle process (pid 0) is no process of /proc, as on Linux */
    return proc_find(pid);
}

/* ---- lookup ---- */

/* name as a decimal number without sign or leading zero (a pid, a descriptor),
 * or -1. */
static long parse_number(const char *name, size_t len)
{
    if (len == 0 || len > 9 || (name[0] == '0' && len > 1))
        return -1;
    long n = 0;
    for (size_t i = 0; i < len; i++) {
        if (name[i] < '0' || name[i] > '9')
            return -1;
        n = n * 10 + (name[i] - '0');
    }
    return n;
}

/* The entry of table named name, its index in *index; NULL if none. */
static const struct procfs_entry *find_entry(const struct procfs_entry *table, int count,
                                             const char *name, size_t len, int *index)
{
    for (int i = 0; i < count; i++) {
        if (strlen(table[i].name) == len && memcmp(table[i].name, name, len) == 0) {
            *index = i;
            return &table[i];
        }
    }
    return NULL;
}

/* An inode of /proc with a reference: 0 and *out, or -ENOMEM. */
static int get_inode(struct inode *dir, uint32_t ino, uint32_t mode, struct inode **out)
{
    *out = inode_get(dir->mount, ino, mode);
    return *out != NULL ? 0 : -ENOMEM;
}

/* /proc: a fixed name, or a live process's pid. */
static int lookup_top(struct inode *dir, const char *name, size_t len, struct inode **out)
{
    int i;
    const struct procfs_entry *e = find_entry(top_entries, COUNT(top_entries), name, len, &i);
    if (e != NULL)
        return get_inode(dir, 2 + (uint32_t)i, e->mode, out);
    if (len == 3 && memcmp(name, "sys", 3) == 0)
        return get_inode(dir, PROCFS_SYS_INO, MODE_DIR, out);
    long pid = parse_number(name, len);
    if (procfs_process((int)pid) == NULL)
        return -ENOENT;
    return get_inode(dir, pid_ino((int)pid, 0), MODE_DIR, out);
}

/* /proc/PID/fd: an open descriptor's number. */
static int lookup_fd(struct inode *dir, const char *name, size_t len, struct inode **out)
{
    struct proc *p = procfs_process(ino_pid(dir->ino));
    long fd = parse_number(name, len);
    struct file *f =
        p != NULL && p->files != NULL && fd >= 0 && fd < FD_MAX ? fd_get(p->files, (int)fd) : NULL;
    if (f == NULL)
        return -ENOENT;
    file_put(f);
    return get_inode(dir, pid_ino(ino_pid(dir->ino), PROCFS_FD_SLOT + (uint32_t)fd), MODE_LINK,
                     out);
}

/* "..": /proc/PID/fd goes up to /proc/PID, /proc/PID to /proc (the walk itself
 * takes /proc's ".." out of the mount); /proc/sys/vm to /proc/sys. */
static int lookup_parent(struct inode *dir, struct inode **out)
{
    if (sysctl_is_dir(dir->ino) && sysctl_parent(dir->ino) != 0)
        return get_inode(dir, sysctl_parent(dir->ino), MODE_DIR, out);
    if (ino_slot(dir->ino) == FD_DIR_SLOT)
        return get_inode(dir, pid_ino(ino_pid(dir->ino), 0), MODE_DIR, out);
    *out = inode_ref(dir->mount->root);
    return 0;
}

/* /proc/sys and /proc/sys/vm: their fixed names. */
static int lookup_sysctl(struct inode *dir, const char *name, size_t len, struct inode **out)
{
    uint32_t ino, mode;
    int error = sysctl_lookup(dir->ino, name, len, &ino, &mode);
    return error != 0 ? error : get_inode(dir, ino, mode, out);
}

int procfs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
    if (len == 2 && name[0] == '.' && name[1] == '.')
        return lookup_parent(dir, out);
    if (dir->ino == PROCFS_ROOT_INO)
        return lookup_top(dir, name, len, out);
    if (sysctl_is_dir(dir->ino))
        return lookup_sysctl(dir, name, len, out);
    int pid = ino_pid(dir->ino);
    if (procfs_process(pid) == NULL)
        return -ENOENT; /* gone since its directory was looked up */
    if (ino_slot(dir->ino) == FD_DIR_SLOT)
        return lookup_fd(dir, name, len, out);
    int i;
    const struct procfs_entry *e = find_entry(pid_entries, COUNT(pid_entries), name, len, &i);
    if (e == NULL)
        return -ENOENT;
    return get_inode(dir, pid_ino(pid, 1 + (uint32_t)i), e->mode, out);
}

/* ---- listing ---- */

static uint8_t dirent_type(uint32_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFDIR: return DT_DIR;
    case S_IFLNK: return DT_LNK;
    default: return DT_REG;
    }
}

/* Emit table's entries from *pos (first at position base); 1 if emit stopped. */
static int emit_table(const struct procfs_entry *table, int count, uint64_t base,
                      uint32_t (*ino_of)(uint32_t dir_ino, int i), uint32_t dir_ino, uint64_t *pos,
                      fs_emit_fn emit, void *ctx)
{
    for (; *pos >= base && *pos < base + (uint64_t)count; (*pos)++) {
        const struct procfs_entry *e = &table[*pos - base];
        if (emit(ctx, e->name, strlen(e->name), ino_of(dir_ino, (int)(*pos - base)),
                 dirent_type(e->mode), *pos + 1) != 0)
            return 1;
    }
    return 0;
}

static uint32_t top_ino(uint32_t dir_ino, int i)
{
    (void)dir_ino;
    return 2 + (uint32_t)i;
}

static uint32_t pid_entry_ino(uint32_t dir_ino, int i)
{
    return pid_ino(ino_pid(dir_ino), 1 + (uint32_t)i);
}

/* The live process with the smallest pid at or above pid, or NULL. */
static struct proc *next_process(int pid)
{
    struct proc *best = NULL;
    for (int slot = 0; slot < MAX_PROCS; slot++) {
        struct proc *p = proc_at(slot);
        if (p != NULL && p->pid >= pid && p->pid > 0 && p->pid <= PROCFS_PID_MAX &&
            (best == NULL || p->pid < best->pid))
            best = p;
    }
    return best;
}

/* /proc's processes, in pid order from position FIRST_PID_POS + pid: a process
 * that comes or goes between two getdents calls moves no other. */
static void emit_processes(uint64_t *pos, fs_emit_fn emit, void *ctx)
{
    if (*pos < FIRST_PID_POS)
        *pos = FIRST_PID_POS;
    struct proc *p;
    while ((p = next_process((int)(*pos - FIRST_PID_POS))) != NULL) {
        char name[12];
        int len = snprintf(name, sizeof name, "%d", p->pid);
        *pos = FIRST_PID_POS + (uint64_t)p->pid;
        if (emit(ctx, name, (size_t)len, pid_ino(p->pid, 0), DT_DIR, *pos + 1) != 0)
            return;
        (*pos)++;
    }
}

/* /proc/sys and /proc/sys/vm: their names from position 2. */
static void emit_sysctl(struct inode *dir, uint64_t *pos, fs_emit_fn emit, void *ctx)
{
    const char *name;
    uint32_t ino, mode;
    for (; sysctl_name_at(dir->ino, *pos - 2, &name, &ino, &mode) == 0; (*pos)++) {
        if (emit(ctx, name, strlen(name), ino, dirent_type(mode), *pos + 1) != 0)
            return;
    }
}

/* fd/: the open descriptors, from position PROCFS_FD_BASE + N. */
static void emit_fds(struct inode *dir, uint64_t *pos, fs_emit_fn emit, void *ctx)
{
    struct proc *p = procfs_process(ino_pid(dir->ino));
    for (; p != NULL && p->files != NULL && *pos < PROCFS_FD_BASE + FD_MAX; (*pos)++) {
        int fd = (int)(*pos - PROCFS_FD_BASE);
        struct file *f = fd_get(p->files, fd);
        if (f == NULL)
            continue;
        file_put(f);
        char name[12];
        int len = snprintf(name, sizeof name, "%d", fd);
        if (emit(ctx, name, (size_t)len, pid_ino(p->pid, PROCFS_FD_SLOT + (uint32_t)fd), DT_LNK,
                 *pos + 1) != 0)
            return;
    }
}

int procfs_readdir(struct inode *dir, uint64_t *pos, fs_emit_fn emit, void *ctx)
{
    for (; *pos < 2; (*pos)++) {
        const char *name = *pos == 0 ? "." : "..";
        if (emit(ctx, name, (size_t)(*pos + 1), dir->ino, DT_DIR, *pos + 1) != 0)
            return 0;
    }
    if (dir->ino == PROCFS_ROOT_INO) {
        if (emit_table(top_entries, COUNT(top_entries), 2, top_ino, dir->ino, pos, emit, ctx) != 0)
            return 0;
        if (*pos == 2 + (uint64_t)COUNT(top_entries)) {
            if (emit(ctx, "sys", 3, PROCFS_SYS_INO, DT_DIR, *pos + 1) != 0)
                return 0;
            (*pos)++;
        }
        emit_processes(pos, emit, ctx);
    } else if (sysctl_is_dir(dir->ino)) {
        emit_sysctl(dir, pos, emit, ctx);
    } else if (ino_slot(dir->ino) == FD_DIR_SLOT) {
        emit_fds(dir, pos, emit, ctx);
    } else if (procfs_process(ino_pid(dir->ino)) != NULL) {
        emit_table(pid_entries, COUNT(pid_entries), 2, pid_entry_ino, dir->ino, pos, emit, ctx);
    }
    return 0;
}

/* ---- links ---- */

/* /proc/self: the pid of whoever looks. */
static long link_self(struct proc *p, int fd, char *buf, size_t size)
{
    (void)p, (void)fd;
    int len = snprintf(buf, size, "%d", current_proc()->pid);
    return (size_t)len < size ? len : -ENAMETOOLONG;
}

/* /proc/mounts: self/mounts (the mounts a process sees are per process on Linux). */
static long link_self_mounts(struct proc *p, int fd, char *buf, size_t size)
{
    (void)p, (void)fd;
    int len = snprintf(buf, size, "self/mounts");
    return (size_t)len < size ? len : -ENAMETOOLONG;
}

long procfs_readlink(struct inode *ip, char *buf, size_t size)
{
    int pid, fd;
    const struct procfs_entry *e = procfs_entry_of(ip->ino, &pid, &fd);
    if (e == NULL || (e->mode & S_IFMT) != S_IFLNK)
        return -EINVAL;
    struct proc *p = pid != 0 ? procfs_process(pid) : NULL;
    if (pid != 0 && p == NULL)
        return -ENOENT;
    return e->link(p, fd, buf, size);
}

bool procfs_is_exe_link(const struct inode *ip)
{
    int pid, fd;
    return ip->mount->kind == FS_PROC && procfs_entry_of(ip->ino, &pid, &fd) != NULL &&
           procfs_entry_of(ip->ino, &pid, &fd)->link == link_exe;
}
