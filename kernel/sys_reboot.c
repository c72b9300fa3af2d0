/*
 * sys_reboot.c — reboot(2): how a program ends the machine cleanly (user/poweroff,
 * busybox's poweroff). Without it the only way out of `make run` is QEMU's Ctrl-A X,
 * which pulls the plug: metadata still in the buffer cache never reaches the disk.
 *
 * Linux's interface: two magic numbers guard against a stray call, then a command.
 * Only LINUX_REBOOT_CMD_POWER_OFF is carried out: every file system is written back
 * and marked clean (vfs_unmount_all), then the machine powers off. Linux leaves
 * killing processes and unmounting to the program (and to its init); here there is
 * no unmount(2), so the kernel does the write-back itself. The other commands
 * (restart, halt, kexec, suspend, Ctrl-Alt-Del on/off) are -EINVAL: not done.
 */
#include "errno.h"
#include "fs/mount.h"
#include "cpu.h"
#include "dev/block.h"
#include "power.h"
#include "printk.h"
#include "proc.h"
#include "syscall.h"

#define REBOOT_MAGIC1        0xfee1deadu
#define REBOOT_CMD_POWER_OFF 0x4321fedcu
static const uint32_t magic2[] = { 672274793, 85072278, 369367448, 537993216 }; /* dates */

static bool magic2_ok(uint32_t m)
{
    for (unsigned i = 0; i < sizeof magic2 / sizeof magic2[0]; i++)
        if (magic2[i] == m)
            return true;
    return false;
}

/* reboot(magic1, magic2, cmd, arg): does not return for POWER_OFF. */
long sys_reboot(struct syscall_args a)
{
    if ((uint32_t)a.arg[0] != REBOOT_MAGIC1 || !magic2_ok((uint32_t)a.arg[1]))
        return -EINVAL;
    if ((uint32_t)a.arg[2] != REBOOT_CMD_POWER_OFF)
        return -EINVAL;
    kprintf("vmlab: %s (pid %d) powers off: reboot(2)\n", current_proc()->name,
            current_proc()->pid);
    block_print_stats();
    vfs_unmount_all(true); /* waits for calls in progress; then written back, marked clean */
    power_off(EXIT_SUCCESS_CODE);
}
