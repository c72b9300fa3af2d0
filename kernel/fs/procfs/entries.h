/*
 * entries.h — inside /proc: which names exist, how their inode numbers are made,
 * and the report functions behind them (one file per concept in this folder).
 *
 * An inode number says what a /proc inode is, so nothing else is stored:
 *
 *   1                      /proc
 *   2 + i                  the i-th name of /proc (meminfo, self, ...)
 *   PID << 12              /proc/PID
 *   PID << 12 | 1 + i      the i-th name of /proc/PID (maps, status, fd, ...)
 *   PID << 12 | 0x800 + N  /proc/PID/fd/N
 *   0x100, 0x101, 0x102+i  /proc/sys, /proc/sys/vm, its i-th file (sysctl.c)
 */
#ifndef KERNEL_FS_PROCFS_ENTRIES_H
#define KERNEL_FS_PROCFS_ENTRIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/proc.h"
#include "sysctl_parse.h"
#include "text.h"

#define PROCFS_PID_SHIFT 12
#define PROCFS_PID_MAX   ((1 << (32 - PROCFS_PID_SHIFT)) - 1) /* larger pids are not shown */
#define PROCFS_FD_SLOT   0x800                                /* fd/N: slot 0x800 + N */
#define PROCFS_SLOT_MASK ((1u << PROCFS_PID_SHIFT) - 1)

/* Print the report of a file into t. p: the process of a /proc/PID file (alive,
 * never the idle process), NULL for the others. 0 or -errno. Must not sleep
 * while it looks at p's memory: nothing holds p meanwhile. */
typedef int (*procfs_show_fn)(struct procfs_text *t, struct proc *p);

/* The target of a link of process p (fd: the descriptor, for fd/N) into buf:
 * its length, or -ENOENT, -ENAMETOOLONG. */
typedef long (*procfs_link_fn)(struct proc *p, int fd, char *buf, size_t size);

/* What a write to a file does: bytes taken, or -errno. w holds the write's
 * first bytes (all of them, up to SYSCTL_WRITE_MAX), its size and the file
 * offset, which the function advances as the file's rules say (kept only when
 * it returns more than 0, as Linux's vfs_write keeps ki_pos). */
typedef long (*procfs_write_fn)(struct proc *p, struct sysctl_write *w);

struct procfs_entry {
    const char *name;
    uint32_t mode; /* S_IFREG | 0444, S_IFLNK | 0777, S_IFDIR | 0555 */
    procfs_show_fn show;
    procfs_link_fn link;
    procfs_write_fn write; /* NULL: writes fail (-EINVAL per process, -EIO else, as Linux) */
};

/* sysctl.c: /proc/sys/vm */
#define PROCFS_SYS_INO      0x100
#define PROCFS_SYS_VM_INO   0x101
#define PROCFS_SYS_VM_FIRST 0x102
/* The file of ino (NULL: not one of /proc/sys). */
const struct procfs_entry *sysctl_entry_of(uint32_t ino);
/* Is ino /proc/sys or /proc/sys/vm? */
bool sysctl_is_dir(uint32_t ino);
/* name in the directory dir_ino (a sysctl_is_dir one): 0 and its ino, mode; -ENOENT. */
int sysctl_lookup(uint32_t dir_ino, const char *name, size_t len, uint32_t *ino, uint32_t *mode);
/* The directory holding dir_ino: PROCFS_SYS_INO, or 0 for /proc. */
uint32_t sysctl_parent(uint32_t dir_ino);
/* The i-th name of dir_ino for readdir: 0, or -ENOENT past the last. */
int sysctl_name_at(uint32_t dir_ino, uint64_t i, const char **name, uint32_t *ino, uint32_t *mode);

/* maps.c */
int show_maps(struct procfs_text *t, struct proc *p);
int show_smaps(struct procfs_text *t, struct proc *p);
int show_smaps_rollup(struct procfs_text *t, struct proc *p);

/* status.c */
int show_status(struct procfs_text *t, struct proc *p);
int show_statm(struct procfs_text *t, struct proc *p);
int show_stat(struct procfs_text *t, struct proc *p);

/* process.c */
int show_cmdline(struct procfs_text *t, struct proc *p);
int show_environ(struct procfs_text *t, struct proc *p);
int show_comm(struct procfs_text *t, struct proc *p);
long write_comm(struct proc *p, struct sysctl_write *w);
long link_exe(struct proc *p, int fd, char *buf, size_t size);
long link_cwd(struct proc *p, int fd, char *buf, size_t size);
long link_fd(struct proc *p, int fd, char *buf, size_t size);

/* meminfo.c */
int show_meminfo(struct procfs_text *t, struct proc *p);
int show_vmstat(struct procfs_text *t, struct proc *p);
int show_process_vmstat(struct procfs_text *t, struct proc *p);

/* swaps.c */
int show_swaps(struct procfs_text *t, struct proc *p);

/* system.c */
int show_uptime(struct procfs_text *t, struct proc *p);
int show_loadavg(struct procfs_text *t, struct proc *p);
int show_system_stat(struct procfs_text *t, struct proc *p);
int show_cpuinfo(struct procfs_text *t, struct proc *p);
int show_mounts(struct procfs_text *t, struct proc *p);
int show_filesystems(struct procfs_text *t, struct proc *p);
int show_version(struct procfs_text *t, struct proc *p);

/* The entry an inode number names, its process's pid (0: none) and, for fd/N, N
 * (else -1). NULL for the directories /proc, /proc/PID, and for numbers naming
 * nothing. */
const struct procfs_entry *procfs_entry_of(uint32_t ino, int *pid, int *fd);

/* The live process with this pid (not a zombie's, not idle's), or NULL. */
struct proc *procfs_process(int pid);

#endif
