/*
 * system.c — /proc's files about the machine: uptime, loadavg, stat, cpuinfo,
 * mounts, filesystems, version. What busybox's uptime, top, ps and mount read.
 */
#include "entries.h"
#include "kernel/clock.h"
#include "kernel/fs/mount.h"
#include "kernel/timer.h"
#include "kernel/x86.h"
#include "lib/string.h"

#define NS_PER_SEC    1000000000ul
#define USER_HZ       100 /* the clock ticks stat's times count (Linux's USER_HZ) */
#define CPUID_BRAND   0x80000002u
#define SOFTIRQ_KINDS 10

/* Ticks of every process alive, and of those they reaped (each reaped process
 * is summed into its parent's children_usage, so each tick is counted once). */
static void cpu_ticks(uint64_t *user, uint64_t *system)
{
    *user = *system = 0;
    for (int slot = 0; slot < MAX_PROCS; slot++) {
        struct proc *p = proc_at(slot);
        if (p == NULL)
            continue;
        *user += p->times.user_ticks + p->children_usage.times.user_ticks;
        *system += p->times.system_ticks + p->children_usage.times.system_ticks;
    }
}

/* Ticks no process ran: the idle loop's. */
static uint64_t idle_ticks(void)
{
    uint64_t user, system, now = timer_ticks();
    cpu_ticks(&user, &system);
    return now > user + system ? now - user - system : 0;
}

/* uptime: seconds since boot and seconds idle, to the hundredth. */
int show_uptime(struct procfs_text *t, struct proc *p)
{
    (void)p;
    uint64_t up = timer_ticks() * 100 / TIMER_HZ, idle = idle_ticks() * 100 / TIMER_HZ;
    text_printf(t, "%lu.%02lu %lu.%02lu\n", up / 100, up % 100, idle / 100, idle % 100);
    return 0;
}

/* Processes that are running or could (R), and all of them. */
static void count_processes(int *running, int *all, int *last_pid)
{
    *running = *all = *last_pid = 0;
    for (int slot = 1; slot < MAX_PROCS; slot++) {
        struct proc *p = proc_at(slot);
        if (p == NULL)
            continue;
        (*all)++;
        *running += p->state == PROC_RUNNABLE || p->state == PROC_RUNNING;
        if (p->pid > *last_pid)
            *last_pid = p->pid;
    }
}

/* loadavg: the 1, 5 and 15-minute load averages (vmlab keeps none yet: 0.00),
 * runnable/all processes, the newest pid. */
int show_loadavg(struct procfs_text *t, struct proc *p)
{
    (void)p;
    int running, all, last_pid;
    count_processes(&running, &all, &last_pid);
    text_printf(t, "0.00 0.00 0.00 %d/%d %d\n", running, all, last_pid);
    return 0;
}

/* stat: CPU time by kind (in USER_HZ ticks) for the machine and its one CPU,
 * then counts since boot. top computes CPU usage from two readings. */
int show_system_stat(struct procfs_text *t, struct proc *p)
{
    (void)p;
    uint64_t user, system, idle = idle_ticks();
    cpu_ticks(&user, &system);
    int running, all, last_pid;
    count_processes(&running, &all, &last_pid);
    for (int line = 0; line < 2; line++)
        text_printf(t, "%s %lu 0 %lu %lu 0 0 0 0 0 0\n", line == 0 ? "cpu " : "cpu0", user, system,
                    idle);
    uint64_t up_seconds = timer_ticks() / TIMER_HZ;
    text_printf(t, "intr 0\nctxt 0\nbtime %lu\n", clock_realtime_ns() / NS_PER_SEC - up_seconds);
    text_printf(t, "processes %d\nprocs_running %d\nprocs_blocked 0\nsoftirq 0", last_pid, running);
    for (int i = 0; i < SOFTIRQ_KINDS; i++)
        text_printf(t, " 0");
    text_printf(t, "\n");
    return 0;
}

/* The CPU's vendor (cpuid leaf 0) and brand string (leaves 0x80000002-4). */
static void cpu_names(char vendor[13], char brand[49])
{
    struct cpuid_regs r = cpuid(0, 0);
    memcpy(vendor, &r.ebx, 4);
    memcpy(vendor + 4, &r.edx, 4);
    memcpy(vendor + 8, &r.ecx, 4);
    vendor[12] = '\0';
    brand[0] = '\0';
    if (cpuid(0x80000000u, 0).eax < CPUID_BRAND + 2)
        return;
    for (uint32_t i = 0; i < 3; i++) {
        r = cpuid(CPUID_BRAND + i, 0);
        memcpy(brand + 16 * i, &r, 16);
    }
    brand[48] = '\0';
}

/* cpuinfo: the one CPU, with what cpuid says of it. */
int show_cpuinfo(struct procfs_text *t, struct proc *p)
{
    (void)p;
    char vendor[13], brand[49];
    cpu_names(vendor, brand);
    uint32_t signature = cpuid(1, 0).eax;
    uint32_t family = (signature >> 8) & 0xf, model = (signature >> 4) & 0xf;
    if (family == 0xf)
        family += (signature >> 20) & 0xff;
    if (family == 0x6 || family >= 0xf)
        model += ((signature >> 16) & 0xf) << 4;
    text_printf(t, "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n", vendor,
                family, model);
    text_printf(t, "model name\t: %s\nstepping\t: %u\n", brand, signature & 0xf);
    text_printf(t, "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\n");
    text_printf(t, "fpu\t\t: yes\nfpu_exception\t: yes\nwp\t\t: yes\n");
    text_printf(t, "flags\t\t: fpu pae pge sse sse2 syscall nx lm\n");
    text_printf(t, "address sizes\t: 40 bits physical, 48 bits virtual\n\n");
    return 0;
}

/* The type name of a mount, as mount(8) and /proc/filesystems call it. */
static const char *fs_type(const struct mount *m)
{
    switch (m->kind) {
    case FS_EXT2: return "ext2";
    case FS_DEVFS: return "devtmpfs";
    case FS_PROC: return "proc";
    default: return "rootfs";
    }
}

/* mounts (as /proc/PID/mounts): "device mountpoint type options 0 0". */
int show_mounts(struct procfs_text *t, struct proc *p)
{
    (void)p;
    for (int slot = 0; mount_at(slot) != NULL; slot++) {
        const struct mount *m = mount_at(slot);
        bool read_only = fs_read_only(m->root);
        const char *device = m->kind == FS_EXT2 ? "/dev/vda" : fs_type(m);
        text_printf(t, "%s /%s %s %s 0 0\n", device, m->name != NULL ? m->name : "", fs_type(m),
                    read_only ? "ro" : "rw");
    }
    return 0;
}

/* filesystems: the kinds the kernel knows; "nodev" marks those on no device. */
int show_filesystems(struct procfs_text *t, struct proc *p)
{
    (void)p;
    text_printf(t, "nodev\tdevtmpfs\nnodev\tproc\n\text2\n");
    return 0;
}

/* version: uname's release and version, in Linux's sentence. */
int show_version(struct procfs_text *t, struct proc *p)
{
    (void)p;
    text_printf(t, "Linux version 6.1.0-vmlab (vmlab) #1 vmlab teaching kernel\n");
    return 0;
}
