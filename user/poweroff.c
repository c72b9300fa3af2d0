/*
 * poweroff — end the machine cleanly: write everything back to the disk, then
 * switch off (reboot(2) with LINUX_REBOOT_CMD_POWER_OFF, as Linux's poweroff does
 * once its init has stopped everything). QEMU exits. Quitting QEMU with Ctrl-A X
 * instead pulls the plug: what is still only in the kernel's buffer cache is lost.
 *
 *   poweroff
 * It returns only if the kernel refused: then it says why and exits with status 1.
 */
#include "user/lib/errno_names.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define REBOOT_MAGIC1        0xfee1dead
#define REBOOT_MAGIC2        672274793
#define REBOOT_CMD_POWER_OFF 0x4321fedc

int main(void)
{
    syscall0(SYS_sync); /* as poweroff does on Linux, though the kernel syncs anyway */
    long err = syscall4(SYS_reboot, REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_POWER_OFF, 0);
    printf("poweroff: reboot: %s\n", errno_text(err));
    return 1;
}
